//! Serial and parallel ports ⇄ `serialN.*` / `parallelN.*`: host devices, files, named
//! pipes and network (telnet/TCP/TLS) backings.

use crate::error::Result;
use crate::log::log;
use crate::vmx::datastore::{DatastorePaths, read_file_name, write_file_name};
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::{vmx_error, vmx_unsupported};
use crate::xml::domain::format::chr_type;
use crate::xml::domain::{Chr, ChrSource, TcpSource};

const SERIAL_PORTS: u32 = 4;
const PARALLEL_PORTS: u32 = 3;

/// URI schemes of VMware's network serial backing and libvirt's TCP protocols.
const NETWORK_SCHEMES: [(&str, &str); 10] = [
    ("tcp", "raw"),
    ("tcp4", "raw"),
    ("tcp6", "raw"),
    ("telnet", "telnet"),
    ("telnets", "telnets"),
    ("ssl", "tls"),
    ("tcp+ssl", "tls"),
    ("tcp4+ssl", "tls"),
    ("tcp6+ssl", "tls"),
    ("", "raw"),
];

fn file_source(ctx: &dyn DatastorePaths, file_name: Option<&str>, key: &str) -> Result<ChrSource> {
    let file_name =
        file_name.ok_or_else(|| vmx_error(format!("Missing essential config entry '{key}'")))?;
    Ok(ChrSource::File(
        read_file_name(ctx, file_name, false)?.unwrap_or_default(),
    ))
}

pub(crate) fn parse_serials(vmx: &VmxFile, ctx: &dyn DatastorePaths) -> Result<Vec<Chr>> {
    let mut serials = Vec::new();
    for port in 0..SERIAL_PORTS {
        let key = |field: &str| format!("serial{port}.{field}");
        let present = vmx.boolean(&key("present"), false)?;
        vmx.boolean(&key("startConnected"), true)?;
        if !present {
            continue;
        }
        let file_type = vmx.get(&key("fileType"));
        let file_name = vmx.get(&key("fileName"));
        let end_point = vmx.get(&key("network.endPoint"));
        let is = |name: &str| file_type.is_some_and(|t| t.eq_ignore_ascii_case(name));
        if is("thinprint") {
            // Workstation's printer redirection: the guest sees a port, but no libvirt
            // character device describes where ThinPrint sends its data
            log!(
                Warning,
                &[],
                "VMX entry '{}' is a ThinPrint port, which domain XML cannot describe; left out",
                key("fileType")
            );
            continue;
        }
        let path = || file_name.unwrap_or_default().to_string();
        let source = if file_type.is_none() || is("device") {
            ChrSource::Dev(path())
        } else if is("file") {
            file_source(ctx, file_name, &key("fileName"))?
        } else if is("pipe") {
            // VMware's client/server and app/VM pipe ends have no libvirt equivalent
            ChrSource::Pipe(path())
        } else if is("network") {
            parse_network(file_name.unwrap_or_default(), end_point, &key)?
        } else {
            return Err(vmx_error(format!(
                "Expecting VMX entry '{}' to be 'device', 'file' or 'pipe' or 'network' but found '{}'",
                key("fileType"),
                file_type.unwrap_or_default()
            )));
        };
        serials.push(Chr {
            source,
            target_port: port,
            target_type: None,
        });
    }
    Ok(serials)
}

/// A network backing without a usable `scheme://host:port` becomes a null port.
fn parse_network(
    file_name: &str,
    end_point: Option<&str>,
    key: &dyn Fn(&str) -> String,
) -> Result<ChrSource> {
    let Some((scheme, host, port)) = split_uri(file_name).filter(|(_, _, port)| *port != 0) else {
        return Ok(ChrSource::Null);
    };
    let protocol = NETWORK_SCHEMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(scheme))
        .map(|(_, protocol)| protocol.to_string())
        .ok_or_else(|| {
            vmx_error(format!(
                "VMX entry '{}' contains unsupported scheme '{scheme}'",
                key("fileName")
            ))
        })?;
    let listen = match end_point {
        None => true,
        Some(e) if e.eq_ignore_ascii_case("server") => true,
        Some(e) if e.eq_ignore_ascii_case("client") => false,
        Some(other) => {
            return Err(vmx_error(format!(
                "Expecting VMX entry '{}' to be 'server' or 'client' but found '{other}'",
                key("network.endPoint")
            )));
        }
    };
    Ok(ChrSource::Tcp(TcpSource {
        host: host.to_string(),
        service: port.to_string(),
        listen,
        protocol,
    }))
}

/// The scheme, host and port of a URI; the port is 0 when there is no authority or it
/// names none, and `None` means the text is no URI at all.
fn split_uri(text: &str) -> Option<(&str, &str, u32)> {
    if text.bytes().any(|b| b.is_ascii_whitespace() || b == b'"') {
        return None;
    }
    let (scheme, rest) = match text.split_once(':') {
        Some((scheme, rest))
            if scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            (scheme, rest)
        }
        _ => ("", text),
    };
    let Some(authority) = rest.strip_prefix("//") else {
        return Some((scheme, "", 0));
    };
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed.split_once(']')?;
            (host, after.strip_prefix(':').unwrap_or(after))
        }
        None => host_port.rsplit_once(':').unwrap_or((host_port, "")),
    };
    let port = if port.is_empty() {
        0
    } else if port.bytes().all(|b| b.is_ascii_digit()) {
        port.parse().ok()?
    } else {
        return None;
    };
    Some((scheme, host, port))
}

pub(crate) fn parse_parallels(vmx: &VmxFile, ctx: &dyn DatastorePaths) -> Result<Vec<Chr>> {
    let mut parallels = Vec::new();
    for port in 0..PARALLEL_PORTS {
        let key = |field: &str| format!("parallel{port}.{field}");
        let present = vmx.boolean(&key("present"), false)?;
        vmx.boolean(&key("startConnected"), true)?;
        if !present {
            continue;
        }
        let file_type = vmx.string(&key("fileType"), false)?.unwrap_or_default();
        let file_name = vmx.string(&key("fileName"), false)?;
        let source = if file_type.eq_ignore_ascii_case("device") {
            ChrSource::Dev(file_name.unwrap_or_default().to_string())
        } else if file_type.eq_ignore_ascii_case("file") {
            file_source(ctx, file_name, &key("fileName"))?
        } else {
            return Err(vmx_error(format!(
                "Expecting VMX entry '{}' to be 'device' or 'file' but found '{file_type}'",
                key("fileType")
            )));
        };
        parallels.push(Chr {
            source,
            target_port: port,
            target_type: None,
        });
    }
    Ok(parallels)
}

/// Starts port `kind`N in the VMX: the range check, `present`, and the device or file
/// backing serial and parallel ports share. Returns the key prefix; other sources are the
/// caller's to write.
fn begin_port(
    kind: &str,
    label: &str,
    ports: u32,
    chr: &Chr,
    ctx: &dyn DatastorePaths,
    w: &mut VmxWriter,
) -> Result<String> {
    let port = chr.target_port;
    if port >= ports {
        return Err(vmx_error(format!(
            "{label} port index {port} out of [0..{}] range",
            ports - 1
        )));
    }
    let prefix = format!("{kind}{port}");
    w.set(format_args!("{prefix}.present"), "true");
    match &chr.source {
        ChrSource::Dev(path) => {
            w.set(format_args!("{prefix}.fileType"), "device");
            w.set(format_args!("{prefix}.fileName"), path);
        }
        ChrSource::File(path) => {
            w.set(format_args!("{prefix}.fileType"), "file");
            w.set(
                format_args!("{prefix}.fileName"),
                write_file_name(ctx, path)?,
            );
        }
        _ => {}
    }
    Ok(prefix)
}

pub(crate) fn format_serial(chr: &Chr, ctx: &dyn DatastorePaths, w: &mut VmxWriter) -> Result<()> {
    let prefix = begin_port("serial", "Serial", SERIAL_PORTS, chr, ctx, w)?;
    match &chr.source {
        ChrSource::Dev(_) | ChrSource::File(_) => {}
        ChrSource::Pipe(path) => {
            // the VI client's defaults for a new pipe
            w.set(format_args!("{prefix}.fileType"), "pipe");
            w.set(format_args!("{prefix}.pipe.endPoint"), "client");
            w.set(format_args!("{prefix}.tryNoRxLoss"), "false");
            w.set(format_args!("{prefix}.fileName"), path);
        }
        ChrSource::Tcp(tcp) => {
            let scheme = match tcp.protocol.as_str() {
                "raw" => "tcp",
                "telnet" => "telnet",
                "telnets" => "telnets",
                "tls" => "ssl",
                other => {
                    return Err(vmx_unsupported(format!(
                        "Unsupported character device TCP protocol '{other}'"
                    )));
                }
            };
            w.set(format_args!("{prefix}.fileType"), "network");
            w.set(
                format_args!("{prefix}.fileName"),
                format_args!("{scheme}://{}:{}", tcp.host, tcp.service),
            );
            w.set(
                format_args!("{prefix}.network.endPoint"),
                if tcp.listen { "server" } else { "client" },
            );
        }
        ChrSource::Null | ChrSource::Other(_) => {
            return Err(vmx_unsupported(format!(
                "Unsupported character device type '{}'",
                chr_type(&chr.source)
            )));
        }
    }
    // the VI client's default, which keeps idle guests from spinning
    w.set(format_args!("{prefix}.yieldOnMsrRead"), "true");
    Ok(())
}

pub(crate) fn format_parallel(
    chr: &Chr,
    ctx: &dyn DatastorePaths,
    w: &mut VmxWriter,
) -> Result<()> {
    begin_port("parallel", "Parallel", PARALLEL_PORTS, chr, ctx, w)?;
    match &chr.source {
        ChrSource::Dev(_) | ChrSource::File(_) => {}
        other => {
            return Err(vmx_unsupported(format!(
                "Unsupported character device type '{}'",
                chr_type(other)
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_splitting() {
        assert_eq!(
            split_uri("telnets://0.0.0.0:42001"),
            Some(("telnets", "0.0.0.0", 42001))
        );
        assert_eq!(split_uri("tcp://[::1]:5"), Some(("tcp", "::1", 5)));
        assert_eq!(split_uri("//host:7/x"), Some(("", "host", 7)));
        assert_eq!(split_uri("ZmVybmV0IGdBQUFB"), Some(("", "", 0)));
        assert_eq!(split_uri(""), Some(("", "", 0)));
        assert_eq!(split_uri("tcp://h:x"), None);
        assert_eq!(split_uri("a b"), None);
    }
}
