//! virDomainOpenConsole: a VM's serial port backed by a network URI in server mode (VMX
//! `serialN.fileType = "network"`, `telnet://` or `tcp://`) joined to the caller's stream.

use super::graphics::connect_on_host;
use super::xml::domain_def;
use super::{Domain, PowerState, invalid_state};
use crate::driver::storage::socket::SocketStream;
use crate::error::{Code, Error, Result};
use crate::xml::domain::{Chr, ChrSource};

impl Domain {
    /// Connects to the serial port `dev` names (`serial0`, `console0`, `parallel0`; the first
    /// console, else serial port, without one) of the running VM, which listens on its host:
    /// the bytes of the stream are the port's (telnet's own talk answered and left out).
    /// A port backed otherwise, or connecting out, is refused with the reason.
    pub fn open_console(&self, dev: Option<&str>) -> Result<SocketStream> {
        let conn = self.conn();
        let (vm, def) = domain_def(conn, &self.cached())?;
        if vm.state != PowerState::PoweredOn {
            return Err(invalid_state("domain is not running"));
        }
        let d = &def.devices;
        let numbered = |prefix: &str, list: &'_ [Chr]| {
            let n = dev?.strip_prefix(prefix)?.parse::<usize>().ok()?;
            list.get(n).cloned()
        };
        let (name, chr) = match dev {
            None => d
                .consoles
                .first()
                .map(|c| ("console0".to_string(), c.clone()))
                .or_else(|| {
                    d.serials
                        .first()
                        .map(|c| (format!("serial{}", c.target_port), c.clone()))
                }),
            Some(name) => numbered("serial", &d.serials)
                .or_else(|| numbered("console", &d.consoles))
                .or_else(|| numbered("parallel", &d.parallels))
                .map(|c| (name.to_string(), c)),
        }
        .ok_or_else(|| {
            Error::internal(format!(
                "cannot find character device {}",
                dev.unwrap_or("<null>")
            ))
        })?;
        let not_network = |how: &str| {
            Error::esx(
                Code::OperationUnsupported,
                format!(
                    "character device {name} is backed by {how}: a console needs a serial \
                     port backed by a network URI (telnet:// or tcp://) in server mode"
                ),
            )
        };
        let tcp = match &chr.source {
            ChrSource::Tcp(t) => t,
            ChrSource::File(_) => return Err(not_network("a file")),
            ChrSource::Dev(_) => return Err(not_network("a host device")),
            ChrSource::Pipe(_) => return Err(not_network("a named pipe")),
            ChrSource::Null | ChrSource::Other(_) => return Err(not_network("nothing")),
        };
        if !tcp.listen {
            return Err(not_network(&format!(
                "a connection out to {}:{} (client mode)",
                tcp.host, tcp.service
            )));
        }
        let telnet = match tcp.protocol.as_str() {
            "telnet" => true,
            "raw" => false,
            p => {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    format!("character device {name} speaks {p}, which the console does not"),
                ));
            }
        };
        let port = tcp.service.parse::<u16>().map_err(|_| {
            Error::internal(format!(
                "character device {name} has no port: '{}'",
                tcp.service
            ))
        })?;
        let socket = connect_on_host(conn, &vm, Some(&tcp.host), port, &name)?;
        SocketStream::start(socket, telnet)
    }
}
