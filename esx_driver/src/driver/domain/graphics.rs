//! virDomainOpenGraphicsFD and virDomainOpenGraphics: a running VM's VNC server (the VMX's
//! `RemoteDisplay.vnc.*`, which ESX runs on the VM's host) as a socket, or joined to the caller's.

use super::xml::domain_def;
use super::{Domain, PowerState, Vm, invalid_state, vm_placement};
use crate::driver::connection::Connection;
use crate::error::{Code, Error, Result};
use crate::uri::Scheme;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long connecting to a VNC server may take when the URI sets no `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

impl Domain {
    /// A socket connected to the VNC server of the running VM's graphics device `idx`: on
    /// the address the device listens on, else its host's (the connection's host on esx://,
    /// the host's name in a vCenter). With `skip_auth`, refused when the server asks a
    /// password, as VMware's VNC server has no way to skip it. One round trip and the VMX.
    pub fn open_graphics(&self, idx: u32, skip_auth: bool) -> Result<TcpStream> {
        let conn = self.conn();
        let (vm, def) = domain_def(conn, &self.cached())?;
        if vm.state != PowerState::PoweredOn {
            return Err(invalid_state("domain is not running"));
        }
        let g =
            def.devices.graphics.get(idx as usize).ok_or_else(|| {
                Error::invalid_arg(format!("No graphics backend with index {idx}"))
            })?;
        let port = u16::try_from(g.port)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                invalid_state(format!(
                    "the VNC server of domain '{}' has no port (RemoteDisplay.vnc.port)",
                    vm.name
                ))
            })?;
        if skip_auth && g.passwd.is_some() {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH: VMware's VNC server asks the domain's \
                 password and cannot skip it",
            ));
        }
        connect_on_host(conn, &vm, g.listen.as_deref(), port, "VNC server")
    }
}

/// A connection to `port` of what the VM serves (`what`, for errors): on `listen`, unless it
/// names every address, else on the VM's host (the URI's host on esx://, the host's name in
/// a vCenter), within the URI's `connect_timeout=`.
pub(super) fn connect_on_host(
    conn: &Connection,
    vm: &Vm,
    listen: Option<&str>,
    port: u16,
    what: &str,
) -> Result<TcpStream> {
    let host = match listen {
        Some(l) if !matches!(l, "" | "0.0.0.0" | "::") => l.to_string(),
        _ if conn.spec.scheme != Scheme::Vpx => conn.spec.host.clone(),
        _ => vm_placement(conn, vm)?.host_name.clone(),
    };
    let timeout = conn
        .spec
        .connect_timeout
        .map_or(CONNECT_TIMEOUT, Duration::from_secs);
    let failed = |e: std::io::Error| {
        Error::esx(
            Code::SystemError,
            format!(
                "Unable to connect to the {what} of domain '{}' at {host}:{port}: {e}",
                vm.name
            ),
        )
    };
    let addr = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(failed)?
        .next()
        .ok_or_else(|| failed(std::io::ErrorKind::NotFound.into()))?;
    TcpStream::connect_timeout(&addr, timeout).map_err(failed)
}

impl Domain {
    /// Joins the caller's socket (or pipe) `peer` to the VM's VNC server (see
    /// `open_graphics`): two threads copy each way until either side closes.
    pub fn attach_graphics(&self, idx: u32, skip_auth: bool, peer: File) -> Result<()> {
        let vnc = self.open_graphics(idx, skip_auth)?;
        let io = |e: std::io::Error| Error::esx(Code::SystemError, format!("graphics: {e}"));
        let (vnc_in, peer_out) = (vnc.try_clone().map_err(io)?, peer.try_clone().map_err(io)?);
        let (end_in, end_out) = (vnc.try_clone().map_err(io)?, vnc.try_clone().map_err(io)?);
        std::thread::Builder::new()
            .name("vnc-in".into())
            .spawn(move || pump(vnc_in, peer_out, end_in))
            .map_err(io)?;
        std::thread::Builder::new()
            .name("vnc-out".into())
            .spawn(move || pump(peer, vnc, end_out))
            .map_err(io)?;
        Ok(())
    }
}

/// Copies `from` to `to` until either ends, then closes the VNC connection both ways (which
/// ends the other direction's copy too).
fn pump(mut from: impl Read, mut to: impl Write, vnc: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = vnc.shutdown(Shutdown::Both);
}
