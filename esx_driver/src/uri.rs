//! Connection URIs (`esx://`, `gsx://`, `vpx://`) parsed into a typed `ConnectSpec`.
//! Every rule of libvirt's ESX URI syntax, with clear errors for bad values.

use std::path::PathBuf;

use url::{Host, Url};

use crate::error::{Code, Domain, Error, Result};
use crate::vmx::Dialect;

/// Which kind of server the URI addresses; it decides default ports, the default user and
/// whether a path is meaningful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Esx,
    Gsx,
    Vpx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Http,
    Https,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyKind {
    Http,
    Socks4,
    Socks4a,
    Socks5,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Proxy {
    pub(crate) kind: ProxyKind,
    /// Without brackets for IPv6.
    pub(crate) host: String,
    pub(crate) port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VCenter {
    /// `vcenter=*`: use whichever vCenter manages the host.
    Auto,
    Host(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSpec {
    /// The URI as given, for virConnectGetURI.
    pub uri: String,
    pub(crate) scheme: Scheme,
    /// Percent-decoded user of the userinfo; `None` when absent or empty.
    pub(crate) user: Option<String>,
    /// Without brackets for IPv6.
    pub(crate) host: String,
    /// The explicit port, else the default for scheme and transport.
    pub(crate) port: u16,
    /// vpx: the non-empty, percent-decoded path items; esx/gsx: always empty (libvirt ignores a
    /// path there with a warning).
    pub(crate) path: Vec<String>,
    pub(crate) transport: Transport,
    pub(crate) vcenter: Option<VCenter>,
    pub(crate) no_verify: bool,
    pub(crate) auto_answer: bool,
    pub(crate) proxy: Option<Proxy>,
    pub(crate) cacert: Option<PathBuf>,
    /// libvirt's generic `authfile=` parameter.
    pub(crate) authfile: Option<PathBuf>,
    /// Our own `task_timeout=SECONDS`: the longest a vSphere task is waited for.
    pub(crate) task_timeout: Option<u64>,
    /// Our own `datastore=NAME` on a migration's destination: where the disks go when they
    /// move too (`VIR_MIGRATE_NON_SHARED_DISK`).
    pub(crate) datastore: Option<String>,
    /// Our own `timeout=SECONDS`: the bound of one HTTP request (default 300).
    pub(crate) timeout: Option<u64>,
    /// Our own `connect_timeout=SECONDS`: the bound of opening a TCP/TLS connection (default 20).
    pub(crate) connect_timeout: Option<u64>,
    /// Our own `converter=libvirt|full`: the domain XML read from VMX files.
    pub(crate) dialect: Dialect,
}

const DEFAULT_PROXY_PORT: u16 = 1080;

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Esx => "esx",
            Scheme::Gsx => "gsx",
            Scheme::Vpx => "vpx",
        }
    }

    fn from_name(name: &str) -> Option<Scheme> {
        // Case-sensitive on purpose: libvirt matches driver URI schemes exactly.
        match name {
            "esx" => Some(Scheme::Esx),
            "gsx" => Some(Scheme::Gsx),
            "vpx" => Some(Scheme::Vpx),
            _ => None,
        }
    }

    fn default_port(self, transport: Transport) -> u16 {
        // VMware Server (GSX) serves its SOAP API on its own ports, not on the web ports.
        match (self, transport) {
            (Scheme::Gsx, Transport::Https) => 8333,
            (Scheme::Gsx, Transport::Http) => 8222,
            (_, Transport::Https) => 443,
            (_, Transport::Http) => 80,
        }
    }
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Transport::Http => "http",
            Transport::Https => "https",
        }
    }
}

impl ProxyKind {
    fn url_scheme(self) -> &'static str {
        match self {
            ProxyKind::Http => "http",
            ProxyKind::Socks4 => "socks4",
            ProxyKind::Socks4a => "socks4a",
            ProxyKind::Socks5 => "socks5",
        }
    }
}

impl ConnectSpec {
    pub(crate) fn parse(uri: &str) -> Result<ConnectSpec> {
        // A NUL or line break would be cut or split somewhere between here and the server.
        if uri.chars().any(char::is_control) {
            return Err(Error::invalid_arg(format!(
                "URI '{}' contains a control character",
                shorten(&uri.escape_debug().to_string())
            )));
        }
        let scheme = parse_scheme(uri)?;
        let missing_host = || {
            Error::invalid_arg(format!(
                "URI is missing the server part; write {0}://HOST/ \
                 (for example {0}://esx1.example.com/)",
                scheme.name()
            ))
        };
        let url = Url::parse(uri).map_err(|e| match e {
            url::ParseError::EmptyHost => missing_host(),
            e => Error::invalid_arg(format!("Could not parse URI '{}': {e}", shorten(uri))),
        })?;

        let host = match url.host() {
            Some(Host::Domain(name)) if !name.is_empty() => {
                check_host_name(&percent_decode(name, "host name")?)?
            }
            Some(Host::Ipv4(addr)) => addr.to_string(),
            Some(Host::Ipv6(addr)) => addr.to_string(),
            _ => return Err(missing_host()),
        };

        if url.password().is_some() {
            // libvirt would take "user:secret" as the user name and fail the login with a
            // confusing message; refusing early also keeps secrets out of saved URIs.
            return Err(Error::invalid_arg(
                "URI must not contain a password; supply it through the authentication \
                 callback or auth.conf",
            ));
        }
        let user = match url.username() {
            "" => None,
            name => Some(percent_decode(name, "user name")?),
        };

        // On vpx:// the path is the scope: empty for the whole vCenter.
        let path = match scheme {
            Scheme::Vpx => url
                .path()
                .split('/')
                .filter(|item| !item.is_empty())
                .map(|item| percent_decode(item, "path item"))
                .collect::<Result<Vec<_>>>()?,
            Scheme::Esx | Scheme::Gsx => Vec::new(),
        };

        let params = QueryParams::parse(url.query().unwrap_or(""))?;
        let transport = params.transport.unwrap_or(Transport::Https);
        let port = match url.port() {
            Some(0) => return Err(Error::invalid_arg("URI port 0 is not a usable port")),
            Some(port) => port,
            None => scheme.default_port(transport),
        };

        Ok(ConnectSpec {
            uri: uri.to_owned(),
            scheme,
            user,
            host,
            port,
            path,
            transport,
            vcenter: params.vcenter,
            no_verify: params.no_verify,
            auto_answer: params.auto_answer,
            proxy: params.proxy,
            cacert: params.cacert,
            authfile: params.authfile,
            task_timeout: params.task_timeout,
            datastore: params.datastore,
            timeout: params.timeout,
            connect_timeout: params.connect_timeout,
            dialect: params.dialect,
        })
    }

    #[cfg(test)]
    fn sdk_url(&self) -> String {
        format!("{}/sdk", self.base_url())
    }

    pub(crate) fn base_url(&self) -> String {
        format!(
            "{}://{}:{}",
            self.transport.name(),
            bracket_host(&self.host),
            self.port
        )
    }

    pub(crate) fn proxy_url(&self) -> Option<String> {
        self.proxy.as_ref().map(|proxy| {
            format!(
                "{}://{}:{}",
                proxy.kind.url_scheme(),
                bracket_host(&proxy.host),
                proxy.port
            )
        })
    }

    pub(crate) fn default_user(&self) -> &'static str {
        match self.scheme {
            Scheme::Esx | Scheme::Gsx => "root",
            Scheme::Vpx => "administrator@vsphere.local",
        }
    }
}

/// The scheme is checked on the raw text because the `url` crate lowercases it, while libvirt
/// compares it exactly.
fn parse_scheme(uri: &str) -> Result<Scheme> {
    let raw = uri.split_once(':').map(|(scheme, _)| scheme).unwrap_or("");
    let well_formed = raw.starts_with(|c: char| c.is_ascii_alphabetic())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !well_formed {
        return Err(Error::invalid_arg(format!(
            "'{uri}' is not a URI; expected esx://HOST/, gsx://HOST/ or \
             vpx://VCENTER/DATACENTER/HOST"
        )));
    }
    if let Some(scheme) = Scheme::from_name(raw) {
        return Ok(scheme);
    }
    if let Some((base, transport)) = raw.split_once('+')
        && let Some(scheme) = Scheme::from_name(base)
    {
        let name = scheme.name();
        return Err(Error::invalid_arg(format!(
            "Transport-qualified URI scheme '{raw}' is not supported (the driver talks \
             SOAP over HTTP(S) itself, there is no '{transport}' transport); write \
             {name}://HOST/?transport=https (or transport=http) instead"
        )));
    }
    Err(Error::invalid_arg(format!(
        "Unsupported URI scheme '{raw}'; this driver accepts only esx://, gsx:// and vpx://"
    )))
}

/// The query parameters the driver knows, each validated as it is met so that an error names
/// the offending occurrence; a later valid repetition overrides an earlier one.
#[derive(Default)]
struct QueryParams {
    transport: Option<Transport>,
    vcenter: Option<VCenter>,
    no_verify: bool,
    auto_answer: bool,
    proxy: Option<Proxy>,
    cacert: Option<PathBuf>,
    authfile: Option<PathBuf>,
    task_timeout: Option<u64>,
    datastore: Option<String>,
    timeout: Option<u64>,
    connect_timeout: Option<u64>,
    dialect: Dialect,
}

impl QueryParams {
    fn parse(query: &str) -> Result<QueryParams> {
        let mut params = QueryParams::default();
        let mut seen: Vec<(String, String)> = Vec::new();
        for pair in query.split('&') {
            let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
            // Like CGI parsers, a pair without a name ("&=x&" or "&&") carries nothing.
            if raw_name.is_empty() {
                continue;
            }
            let name = percent_decode(raw_name, "query parameter name")?;
            let value = percent_decode(raw_value, "query parameter value")?;
            let key = name.to_ascii_lowercase();
            match seen.iter().find(|(k, _)| *k == key) {
                Some((_, v)) if *v != value => {
                    return Err(Error::invalid_arg(format!(
                        "Query parameter '{name}' is given twice, as '{}' and '{}'",
                        shorten(v),
                        shorten(&value)
                    )));
                }
                Some(_) => continue,
                None => seen.push((key.clone(), value.clone())),
            }
            let bad = |allowed: &str| {
                Error::invalid_arg(format!(
                    "Query parameter '{name}' has unexpected value '{value}' (should be {allowed})"
                ))
            };
            match key.as_str() {
                "transport" => {
                    params.transport = Some(match value.as_str() {
                        "http" => Transport::Http,
                        "https" => Transport::Https,
                        _ => return Err(bad("http or https")),
                    });
                }
                "vcenter" => {
                    params.vcenter = Some(match value.as_str() {
                        "" => return Err(bad("a host name or *")),
                        "*" => VCenter::Auto,
                        host => VCenter::Host(host.to_owned()),
                    });
                }
                "no_verify" => {
                    params.no_verify = parse_flag(&value).ok_or_else(|| bad("0 or 1"))?
                }
                "auto_answer" => {
                    params.auto_answer = parse_flag(&value).ok_or_else(|| bad("0 or 1"))?;
                }
                "task_timeout" | "timeout" | "connect_timeout" => {
                    let secs = value
                        .parse::<u64>()
                        .ok()
                        .filter(|s| (1..=86_400).contains(s))
                        .ok_or_else(|| bad("seconds from 1 to 86400"))?;
                    *match key.as_str() {
                        "task_timeout" => &mut params.task_timeout,
                        "timeout" => &mut params.timeout,
                        _ => &mut params.connect_timeout,
                    } = Some(secs);
                }
                "proxy" => {
                    params.proxy = Some(parse_proxy(&value).ok_or_else(|| {
                        bad("[http|socks|socks4|socks4a|socks5://]HOST[:PORT] with PORT 1-65535")
                    })?);
                }
                "cacert" => {
                    if value.is_empty() {
                        return Err(bad("the path of a CA certificate file"));
                    }
                    params.cacert = Some(PathBuf::from(value));
                }
                "converter" => {
                    params.dialect = match value.as_str() {
                        "full" => Dialect::Full,
                        "libvirt" => Dialect::Libvirt,
                        _ => return Err(bad("full or libvirt")),
                    };
                }
                "datastore" => {
                    if value.is_empty() {
                        return Err(bad("the name of a datastore"));
                    }
                    params.datastore = Some(value);
                }
                "authfile" => {
                    if value.is_empty() {
                        return Err(bad("the path of an auth.conf file"));
                    }
                    params.authfile = Some(PathBuf::from(value));
                }
                // libvirt only warns about parameters it does not know: failing would reject
                // URIs that libvirt accepts.
                _ => crate::log::log!(
                    Warning,
                    &[],
                    "ignoring the unknown URI query parameter '{}'",
                    shorten(&name)
                ),
            }
        }
        Ok(params)
    }
}

fn parse_flag(value: &str) -> Option<bool> {
    match value {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

fn parse_proxy(value: &str) -> Option<Proxy> {
    let (kind, rest) = match value.split_once("://") {
        Some((kind, rest)) => {
            let kind = match kind.to_ascii_lowercase().as_str() {
                "http" => ProxyKind::Http,
                // Plain "socks" means the modern protocol, as in curl.
                "socks" | "socks5" => ProxyKind::Socks5,
                "socks4" => ProxyKind::Socks4,
                "socks4a" => ProxyKind::Socks4a,
                _ => return None,
            };
            (kind, rest)
        }
        None => (ProxyKind::Http, value),
    };

    let (host, port) = if let Some(bracketed) = rest.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        if host.parse::<std::net::Ipv6Addr>().is_err() {
            return None;
        }
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    let host_ok = !host.is_empty()
        && !host
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '@' | '[' | ']'));
    if !host_ok {
        return None;
    }
    let port = match port {
        None => DEFAULT_PROXY_PORT,
        Some(text) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            match text.parse::<u16>() {
                Ok(0) | Err(_) => return None,
                Ok(port) => port,
            }
        }
        Some(_) => return None,
    };
    Some(Proxy {
        kind,
        host: host.to_owned(),
        port,
    })
}

fn bracket_host(host: &str) -> String {
    // Only IPv6 literals can contain ':' in a host, and URLs need them bracketed.
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// At most 100 bytes of something the caller wrote, for quoting in an error.
fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    crate::error::shorten(text, 100)
}

/// A DNS name: ASCII letters, digits, `-`, `_` and dots, labels of at most 63 and the whole of
/// at most 253 characters (internationalized names go in their ASCII `xn--` form).
fn check_host_name(name: &str) -> Result<String> {
    let valid = name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    if !valid {
        return Err(Error::invalid_arg(format!(
            "URI host '{}' is not a valid host name (internationalized names go in their \
             ASCII xn-- form)",
            shorten(name)
        )));
    }
    Ok(name.to_string())
}

/// Percent-decodes a URI component without turning '+' into a space: libvirt's URI parser does
/// not, and '+' is a plausible character in inventory and user names.
/// A '%' not followed by two hex digits is kept literally, as lenient URI parsers do.
fn percent_decode(text: &str, what: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|b| hex_value(*b)),
                bytes.get(i + 2).and_then(|b| hex_value(*b)),
            )
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        Error::new(
            Code::InvalidArg,
            Domain::Esx,
            format!("URI {what} '{text}' does not decode to valid UTF-8"),
        )
    })
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(uri: &str) -> ConnectSpec {
        match ConnectSpec::parse(uri) {
            Ok(spec) => spec,
            Err(e) => panic!("{uri}: {e}"),
        }
    }

    fn parse_err(uri: &str) -> Error {
        match ConnectSpec::parse(uri) {
            Ok(spec) => panic!("{uri} unexpectedly parsed: {spec:?}"),
            Err(e) => e,
        }
    }

    fn assert_invalid_arg(uri: &str, needles: &[&str]) {
        let e = parse_err(uri);
        assert_eq!(e.code, Code::InvalidArg, "{uri}: {e}");
        assert_eq!(e.domain, Domain::Esx, "{uri}: {e}");
        for needle in needles {
            assert!(e.detail.contains(needle), "{uri}: '{e}' lacks '{needle}'");
        }
    }

    #[test]
    fn minimal_esx_uri() {
        let spec = parse("esx://esx1.example.com/");
        assert_eq!(
            spec,
            ConnectSpec {
                uri: "esx://esx1.example.com/".into(),
                scheme: Scheme::Esx,
                user: None,
                host: "esx1.example.com".into(),
                port: 443,
                path: vec![],
                transport: Transport::Https,
                vcenter: None,
                no_verify: false,
                auto_answer: false,
                proxy: None,
                cacert: None,
                authfile: None,
                task_timeout: None,
                datastore: None,
                timeout: None,
                connect_timeout: None,
                dialect: Dialect::Full,
            }
        );
        assert_eq!(spec.sdk_url(), "https://esx1.example.com:443/sdk");
        assert_eq!(spec.base_url(), "https://esx1.example.com:443");
        assert_eq!(spec.proxy_url(), None);
    }

    #[test]
    fn uri_kept_as_given() {
        let uri = "esx://Root@ESX1.Example.com:8443/?No_Verify=1";
        let spec = parse(uri);
        assert_eq!(spec.uri, uri);
        assert_eq!(spec.host, "ESX1.Example.com");
    }

    #[test]
    fn no_trailing_slash_is_fine() {
        assert_eq!(parse("esx://host").host, "host");
        assert_eq!(parse("esx://host:444").port, 444);
    }

    #[test]
    fn schemes_and_default_users() {
        assert_eq!(parse("esx://h/").scheme, Scheme::Esx);
        assert_eq!(parse("gsx://h/").scheme, Scheme::Gsx);
        assert_eq!(parse("vpx://h/dc/host").scheme, Scheme::Vpx);
        assert_eq!(parse("esx://h/").default_user(), "root");
        assert_eq!(parse("gsx://h/").default_user(), "root");
        assert_eq!(
            parse("vpx://h/dc/host").default_user(),
            "administrator@vsphere.local"
        );
    }

    #[test]
    fn schemes_are_case_sensitive() {
        assert_invalid_arg("ESX://h/", &["'ESX'", "esx://, gsx:// and vpx://"]);
        assert_invalid_arg("Vpx://h/dc/host", &["'Vpx'"]);
    }

    #[test]
    fn other_schemes_rejected_naming_accepted_ones() {
        assert_invalid_arg("qemu:///system", &["'qemu'", "esx://, gsx:// and vpx://"]);
        assert_invalid_arg("https://h/sdk", &["'https'", "esx://, gsx:// and vpx://"]);
        assert_invalid_arg("qemu+ssh://h/system", &["'qemu+ssh'", "esx://"]);
    }

    #[test]
    fn transport_qualified_schemes_rejected() {
        for uri in [
            "esx+ssh://h/",
            "esx+tcp://h/",
            "gsx+tls://h/",
            "vpx+unix://h/dc/host",
        ] {
            assert_invalid_arg(
                uri,
                &["Transport-qualified", "not supported", "?transport=https"],
            );
        }
        assert_invalid_arg(
            "esx+ssh://h/",
            &["'esx+ssh'", "esx://HOST/?transport=https"],
        );
        assert_invalid_arg("vpx+ssh://h/", &["vpx://HOST/?transport=https"]);
    }

    #[test]
    fn not_a_uri() {
        for text in [
            "",
            "esx1.example.com",
            "://h/",
            "/etc/hosts",
            "1esx://h/",
            "é://h",
        ] {
            assert_invalid_arg(text, &["not a URI", "esx://HOST/"]);
        }
        // A scheme followed by something the url crate cannot parse.
        assert_invalid_arg("esx://h:99999/", &["Could not parse URI"]);
        assert_invalid_arg("esx://h:port/", &["Could not parse URI"]);
        assert_invalid_arg("esx://[::1/", &["Could not parse URI"]);
    }

    #[test]
    fn missing_host() {
        for uri in [
            "esx:///",
            "esx://",
            "esx:",
            "esx:/path",
            "gsx:///?transport=http",
        ] {
            assert_invalid_arg(uri, &["URI is missing the server part"]);
        }
        assert_invalid_arg("esx:///", &["esx://HOST/"]);
        assert_invalid_arg("gsx://", &["gsx://HOST/"]);
        assert_invalid_arg("vpx:///dc/host", &["vpx://HOST/"]);
        assert_invalid_arg("esx://user@/", &["missing the server part"]);
        assert_invalid_arg("esx://:443/", &["missing the server part"]);
    }

    #[test]
    fn user_is_percent_decoded() {
        assert_eq!(parse("esx://root@h/").user.as_deref(), Some("root"));
        assert_eq!(
            parse("vpx://administrator%40vsphere.local@vc/dc/h")
                .user
                .as_deref(),
            Some("administrator@vsphere.local")
        );
        assert_eq!(
            parse("esx://DOMAIN%5Cuser@h/").user.as_deref(),
            Some("DOMAIN\\user")
        );
        assert_eq!(parse("esx://a+b@h/").user.as_deref(), Some("a+b"));
        assert_eq!(parse("esx://@h/").user, None);
        assert_invalid_arg("esx://%FF@h/", &["user name", "UTF-8"]);
    }

    #[test]
    fn password_in_uri_rejected() {
        assert_invalid_arg("esx://root:secret@h/", &["must not contain a password"]);
        // The password must not be echoed back in the error.
        let e = parse_err("esx://root:secret@h/");
        assert!(!e.detail.contains("secret"));
    }

    #[test]
    fn ipv6_hosts() {
        let spec = parse("esx://[::1]/");
        assert_eq!(spec.host, "::1");
        assert_eq!(spec.port, 443);
        assert_eq!(spec.sdk_url(), "https://[::1]:443/sdk");
        let spec = parse("gsx://root@[fe80::1:2]:9000/?transport=http");
        assert_eq!(spec.host, "fe80::1:2");
        assert_eq!(spec.user.as_deref(), Some("root"));
        assert_eq!(spec.base_url(), "http://[fe80::1:2]:9000");
    }

    #[test]
    fn ipv4_hosts() {
        let spec = parse("esx://192.168.1.10:8443/");
        assert_eq!(spec.host, "192.168.1.10");
        assert_eq!(spec.sdk_url(), "https://192.168.1.10:8443/sdk");
    }

    #[test]
    fn default_ports() {
        assert_eq!(parse("esx://h/").port, 443);
        assert_eq!(parse("vpx://h/dc/x").port, 443);
        assert_eq!(parse("gsx://h/").port, 8333);
        assert_eq!(parse("esx://h/?transport=http").port, 80);
        assert_eq!(parse("vpx://h/dc/x?transport=http").port, 80);
        assert_eq!(parse("gsx://h/?transport=http").port, 8222);
        assert_eq!(parse("gsx://h/?transport=https").port, 8333);
    }

    #[test]
    fn explicit_port_wins() {
        assert_eq!(parse("esx://h:8443/").port, 8443);
        assert_eq!(parse("gsx://h:443/").port, 443);
        assert_eq!(parse("gsx://h:80/?transport=http").port, 80);
        assert_eq!(parse("esx://h:1/?transport=http").port, 1);
        assert_invalid_arg("esx://h:0/", &["port 0"]);
    }

    #[test]
    fn transport_parameter() {
        let spec = parse("esx://h/?transport=http");
        assert_eq!(spec.transport, Transport::Http);
        assert_eq!(spec.sdk_url(), "http://h:80/sdk");
        assert_eq!(
            parse("esx://h/?transport=https").transport,
            Transport::Https
        );
        assert_invalid_arg(
            "esx://h/?transport=ftp",
            &["Query parameter 'transport' has unexpected value 'ftp' (should be http or https)"],
        );
        assert_invalid_arg("esx://h/?transport=HTTP", &["'HTTP'"]);
        assert_invalid_arg("esx://h/?transport", &["value ''"]);
    }

    #[test]
    fn parameter_names_case_insensitive() {
        let spec = parse("esx://h/?TRANSPORT=http&No_Verify=1&Auto_Answer=1&VCenter=*");
        assert_eq!(spec.transport, Transport::Http);
        assert!(spec.no_verify);
        assert!(spec.auto_answer);
        assert_eq!(spec.vcenter, Some(VCenter::Auto));
    }

    #[test]
    fn error_names_parameter_as_written() {
        assert_invalid_arg(
            "esx://h/?No_Verify=yes",
            &["'No_Verify'", "'yes'", "0 or 1"],
        );
    }

    #[test]
    fn vcenter_parameter() {
        assert_eq!(parse("esx://h/").vcenter, None);
        assert_eq!(parse("esx://h/?vcenter=*").vcenter, Some(VCenter::Auto));
        assert_eq!(
            parse("esx://h/?vcenter=vc.example.com").vcenter,
            Some(VCenter::Host("vc.example.com".into()))
        );
        assert_eq!(
            parse("esx://h/?vcenter=%2A").vcenter,
            Some(VCenter::Auto),
            "values are percent-decoded before interpretation"
        );
        assert_invalid_arg(
            "esx://h/?vcenter=",
            &["'vcenter'", "value ''", "host name or *"],
        );
        assert_invalid_arg("esx://h/?vcenter", &["'vcenter'"]);
    }

    #[test]
    fn no_verify_parameter() {
        assert!(!parse("esx://h/").no_verify);
        assert!(parse("esx://h/?no_verify=1").no_verify);
        assert!(!parse("esx://h/?no_verify=0").no_verify);
        assert_invalid_arg(
            "esx://h/?no_verify=2",
            &["Query parameter 'no_verify' has unexpected value '2' (should be 0 or 1)"],
        );
        assert_invalid_arg("esx://h/?no_verify=", &["'no_verify'", "value ''"]);
        assert_invalid_arg("esx://h/?no_verify=true", &["'true'"]);
    }

    #[test]
    fn task_timeout_parameter() {
        assert_eq!(
            parse("esx://h/?timeout=7&connect_timeout=3").timeout,
            Some(7)
        );
        assert_eq!(parse("esx://h/?connect_timeout=3").connect_timeout, Some(3));
        assert_eq!(parse_err("esx://h/?timeout=0").code, Code::InvalidArg);
        assert_eq!(parse("esx://h/").task_timeout, None);
        assert_eq!(parse("esx://h/?task_timeout=90").task_timeout, Some(90));
        let e = ConnectSpec::parse("esx://h/?task_timeout=0").unwrap_err();
        assert!(e.message().contains("seconds from 1 to 86400"), "{e}");
    }

    #[test]
    fn auto_answer_parameter() {
        assert!(!parse("esx://h/").auto_answer);
        assert!(parse("esx://h/?auto_answer=1").auto_answer);
        assert!(!parse("esx://h/?auto_answer=0").auto_answer);
        assert_invalid_arg(
            "esx://h/?auto_answer=01",
            &["Query parameter 'auto_answer' has unexpected value '01' (should be 0 or 1)"],
        );
    }

    #[test]
    fn proxy_parameter_kinds() {
        let cases = [
            ("proxy.lan", ProxyKind::Http, "http://proxy.lan:1080"),
            ("http://proxy.lan", ProxyKind::Http, "http://proxy.lan:1080"),
            (
                "socks://proxy.lan",
                ProxyKind::Socks5,
                "socks5://proxy.lan:1080",
            ),
            (
                "socks4://proxy.lan",
                ProxyKind::Socks4,
                "socks4://proxy.lan:1080",
            ),
            (
                "socks4a://proxy.lan",
                ProxyKind::Socks4a,
                "socks4a://proxy.lan:1080",
            ),
            (
                "socks5://proxy.lan",
                ProxyKind::Socks5,
                "socks5://proxy.lan:1080",
            ),
            (
                "SOCKS5://proxy.lan",
                ProxyKind::Socks5,
                "socks5://proxy.lan:1080",
            ),
        ];
        for (value, kind, url) in cases {
            let spec = parse(&format!("esx://h/?proxy={value}"));
            let proxy = spec.proxy.clone().expect(value);
            assert_eq!(proxy.kind, kind, "{value}");
            assert_eq!(proxy.host, "proxy.lan", "{value}");
            assert_eq!(proxy.port, 1080, "{value}");
            assert_eq!(spec.proxy_url().as_deref(), Some(url), "{value}");
        }
    }

    #[test]
    fn proxy_parameter_ports_and_hosts() {
        let spec = parse("esx://h/?proxy=http://10.0.0.1:3128");
        assert_eq!(
            spec.proxy,
            Some(Proxy {
                kind: ProxyKind::Http,
                host: "10.0.0.1".into(),
                port: 3128
            })
        );
        assert_eq!(spec.proxy_url().as_deref(), Some("http://10.0.0.1:3128"));

        let spec = parse("esx://h/?proxy=socks5://[2001:db8::1]:9050");
        let proxy = spec.proxy.clone().expect("proxy");
        assert_eq!(proxy.host, "2001:db8::1");
        assert_eq!(proxy.port, 9050);
        assert_eq!(
            spec.proxy_url().as_deref(),
            Some("socks5://[2001:db8::1]:9050")
        );

        let spec = parse("esx://h/?proxy=[::1]");
        assert_eq!(spec.proxy_url().as_deref(), Some("http://[::1]:1080"));

        // Percent-encoded separators are decoded before the value is interpreted.
        let spec = parse("esx://h/?proxy=socks4%3A%2F%2Fp%3A1");
        assert_eq!(spec.proxy_url().as_deref(), Some("socks4://p:1"));
    }

    #[test]
    fn proxy_parameter_errors() {
        for value in [
            "",
            "http://",
            ":3128",
            "http://:3128",
            "p:",
            "p:0",
            "p:65536",
            "p:-1",
            "p:+80",
            "p:80x",
            "p:80:90",
            "ftp://p:21",
            "socks6://p",
            "user@p:80",
            "p/path",
            "[::1",
            "[not-v6]:80",
            "[::1]80",
        ] {
            assert_invalid_arg(
                &format!("esx://h/?proxy={value}"),
                &[
                    "Query parameter 'proxy' has unexpected value",
                    "http|socks|socks4|socks4a|socks5",
                ],
            );
        }
        assert_invalid_arg("esx://h/?proxy=p:99999", &["'p:99999'"]);
    }

    #[test]
    fn cacert_and_authfile_parameters() {
        let spec = parse("esx://h/?cacert=/etc/pki/esx%20ca.pem&authfile=%2Fhome%2Fu%2Fauth.conf");
        assert_eq!(spec.cacert, Some(PathBuf::from("/etc/pki/esx ca.pem")));
        assert_eq!(spec.authfile, Some(PathBuf::from("/home/u/auth.conf")));
        assert_invalid_arg("esx://h/?cacert=", &["'cacert'", "value ''"]);
        assert_invalid_arg("esx://h/?authfile=", &["'authfile'", "value ''"]);
    }

    #[test]
    fn several_parameters() {
        let spec = parse(
            "esx://root@h/?transport=http&vcenter=vc&no_verify=1&auto_answer=1\
             &proxy=socks://p:9&cacert=/ca.pem&authfile=/a.conf",
        );
        assert_eq!(spec.transport, Transport::Http);
        assert_eq!(spec.vcenter, Some(VCenter::Host("vc".into())));
        assert!(spec.no_verify);
        assert!(spec.auto_answer);
        assert_eq!(spec.proxy_url().as_deref(), Some("socks5://p:9"));
        assert_eq!(spec.cacert, Some(PathBuf::from("/ca.pem")));
        assert_eq!(spec.authfile, Some(PathBuf::from("/a.conf")));
    }

    /// libvirt lets the last of repeated parameters win; a URI that says two things is more
    /// likely a mistake than a choice, so it is refused unless both say the same.
    #[test]
    fn repeated_parameters_must_agree() {
        for uri in [
            "esx://h/?no_verify=0&no_verify=1",
            "esx://h/?transport=http&transport=https",
            "esx://h/?vcenter=a&vcenter=b",
        ] {
            assert_eq!(parse_err(uri).code, Code::InvalidArg, "{uri}");
        }
        let e = parse_err("esx://h/?no_verify=1&no_verify=0");
        assert!(e.detail.contains("given twice, as '1' and '0'"), "{e}");
        assert!(parse("esx://h/?no_verify=1&NO_VERIFY=1").no_verify);
        assert_eq!(
            parse("esx://h/?transport=http&transport=http").transport,
            Transport::Http
        );
    }

    #[test]
    fn hosts_it_cannot_take_are_invalid_arguments_quoted_short() {
        for uri in [
            "esx://%%%/",
            "esx://\u{e9}sx.example/",
            "esx://a..b/",
            "esx://a%20b/",
        ] {
            let e = parse_err(uri);
            assert_eq!(e.code, Code::InvalidArg, "{uri}: {e}");
            assert!(e.detail.contains("not a valid host name"), "{uri}: {e}");
        }
        let long = format!("esx://{}/", "a".repeat(100_000));
        let e = parse_err(&long);
        assert_eq!(e.code, Code::InvalidArg);
        assert!(e.message().len() < 400, "{} bytes", e.message().len());
        for uri in [
            "esx://h\0x/",
            "esx://h/?no_verify=1\n",
            "esx://ro\u{1}ot@h/",
        ] {
            let e = parse_err(uri);
            assert!(e.detail.contains("control character"), "{uri:?}: {e}");
        }
        assert_eq!(
            parse("esx://xn--sx-9ia.example/").host,
            "xn--sx-9ia.example"
        );
    }

    #[test]
    fn unknown_and_empty_parameters_ignored() {
        let plain = parse("esx://h/");
        let spec = parse("esx://h/?foo=bar&&=x&debug&transport=https&");
        assert_eq!(
            ConnectSpec {
                uri: plain.uri.clone(),
                ..spec
            },
            plain
        );
        // Not even a malformed value of an unknown parameter matters.
        assert!(!parse("esx://h/?novrfy=2").no_verify);
    }

    #[test]
    fn plus_is_not_a_space_in_values() {
        assert_eq!(
            parse("esx://h/?vcenter=a+b").vcenter,
            Some(VCenter::Host("a+b".into()))
        );
    }

    #[test]
    fn invalid_utf8_in_query_is_an_error() {
        assert_invalid_arg("esx://h/?vcenter=%C3%28", &["UTF-8"]);
    }

    #[test]
    fn stray_percent_kept_literally() {
        assert_eq!(
            parse("esx://h/?vcenter=a%zz").vcenter,
            Some(VCenter::Host("a%zz".into()))
        );
        assert_eq!(
            parse("esx://h/?vcenter=a%2").vcenter,
            Some(VCenter::Host("a%2".into()))
        );
    }

    #[test]
    fn vpx_path_items() {
        let spec = parse("vpx://vc.example.com/dc1/cluster1/esx1.example.com?no_verify=1");
        assert_eq!(spec.path, ["dc1", "cluster1", "esx1.example.com"]);
        assert_eq!(spec.host, "vc.example.com");
        assert_eq!(spec.sdk_url(), "https://vc.example.com:443/sdk");
        assert!(spec.no_verify);

        let spec = parse("vpx://vc/folder1/dc1/folder2//host/");
        assert_eq!(spec.path, ["folder1", "dc1", "folder2", "host"]);

        let spec = parse("vpx://vc/My%20DC/a%2Fb/h%C3%A9");
        assert_eq!(spec.path, ["My DC", "a/b", "hé"]);

        // A single item still parses; the inventory walk decides whether it is enough.
        assert_eq!(parse("vpx://vc/dc").path, ["dc"]);
    }

    #[test]
    fn vpx_without_path_is_the_whole_vcenter() {
        for uri in [
            "vpx://vc",
            "vpx://vc/",
            "vpx://vc//",
            "vpx://vc/?no_verify=1",
        ] {
            assert!(ConnectSpec::parse(uri).unwrap().path.is_empty(), "{uri}");
        }
    }

    #[test]
    fn vpx_path_invalid_utf8() {
        assert_invalid_arg("vpx://vc/%FF/h", &["path item", "UTF-8"]);
    }

    #[test]
    fn esx_and_gsx_ignore_path() {
        assert!(parse("esx://h/some/path").path.is_empty());
        assert!(parse("gsx://h/a/b?transport=http").path.is_empty());
        // Ignored entirely, so undecodable text there is no error either.
        assert!(parse("esx://h/%FF").path.is_empty());
    }

    #[test]
    fn fragment_ignored() {
        assert!(parse("esx://h/?no_verify=1#frag").no_verify);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "esx://",
            "esx:",
            ":",
            "esx://:",
            "esx://:443/",
            "esx://[]/",
            "esx://h/?",
            "esx://h/?&",
            "esx://h/?=",
            "esx://h/?%",
            "esx://h/?%%%",
            "esx://h/?proxy=[",
            "esx://h/?proxy=]",
            "esx://h/?proxy=[]",
            "esx://h/?proxy=[]:1",
            "esx://h/?proxy=://",
            "esx://h/?proxy=:",
            "esx://\u{0}/",
            "esx://h\u{7f}/",
            "vpx://h/%",
            "esx://%/",
            "esx://%zz/",
            "esx://h:/",
            "esx+://h/",
            "+esx://h/",
        ] {
            let _ = ConnectSpec::parse(text);
        }
    }

    #[test]
    fn empty_port_uses_default() {
        // "host:" with nothing after the colon is accepted by URI syntax and means no port.
        assert_eq!(parse("esx://h:/").port, 443);
    }
}
