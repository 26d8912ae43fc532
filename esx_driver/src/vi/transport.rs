//! HTTP(S) to one vSphere endpoint: TLS policy, proxy, timeouts, the session cookie, and a
//! counter of round trips that tests read to hold the library to its budgets.

use super::error::{Error, ErrorKind, Result};
use crate::local_file::{CA_BUNDLE_MAX, read_bounded};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// The largest answer read from a server: a page of RetrievePropertiesEx (at most 1000
/// objects) stays far below it, and a server cannot make the process allocate more.
pub(crate) const MAX_BODY: u64 = 64 << 20;
/// The pauses before a repeatable call is sent again (see `send_soap`): at most 1.5 s in all.
const RETRY_PAUSES: [Duration; 4] = [
    Duration::ZERO,
    Duration::from_millis(100),
    Duration::from_millis(400),
    Duration::from_millis(1000),
];

#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// `https://host:port`, without a path.
    pub base_url: String,
    pub no_verify: bool,
    pub cacert: Option<PathBuf>,
    /// A proxy URL in the form ureq takes (`socks5://h:p`).
    pub proxy: Option<String>,
    pub connect_timeout: Duration,
    /// Bound of one whole request, including long polls of WaitForUpdatesEx.
    pub call_timeout: Duration,
}

impl TransportConfig {
    pub fn new(base_url: impl Into<String>) -> Self {
        TransportConfig {
            base_url: base_url.into(),
            no_verify: false,
            cacert: None,
            proxy: None,
            connect_timeout: Duration::from_secs(20),
            call_timeout: Duration::from_secs(300),
        }
    }
}

pub struct Transport {
    agent: ureq::Agent,
    config: TransportConfig,
    cookie: Mutex<Option<String>>,
    round_trips: AtomicU64,
}

/// What came back from the server: the status and the whole body.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// A SOAP answer being read: its status, and its body as it arrives, counted, with what ended
/// the read early kept for `Transport::body_error` (the parser sees only that it ended).
pub struct Answer {
    pub status: u16,
    body: ureq::BodyReader<'static>,
    /// The body's bytes read so far.
    pub received: u64,
    /// What ended the read early, if anything did.
    pub failure: Option<std::io::Error>,
}

impl std::io::Read for Answer {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.body.read(buf) {
            Ok(n) => {
                self.received += n as u64;
                Ok(n)
            }
            Err(e) => {
                let told = std::io::Error::new(e.kind(), e.to_string());
                self.failure = Some(e);
                Err(told)
            }
        }
    }
}

impl Transport {
    pub fn new(config: TransportConfig) -> Result<Transport> {
        let roots = match &config.cacert {
            Some(path) => RootCerts::new_with_certs(&read_ca_bundle(path)?),
            None => RootCerts::PlatformVerifier,
        };
        let tls = TlsConfig::builder()
            .root_certs(roots)
            .disable_verification(config.no_verify)
            .build();
        let proxy = match &config.proxy {
            Some(p) => Some(ureq::Proxy::new(p).map_err(|e| {
                Error::new(ErrorKind::Config, format!("Proxy '{p}' is not usable: {e}"))
            })?),
            None => None,
        };
        let agent = ureq::Agent::config_builder()
            .tls_config(tls)
            .proxy(proxy)
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.call_timeout))
            .user_agent(concat!("libvirt_esx/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Ok(Transport {
            agent,
            config,
            cookie: Mutex::new(None),
            round_trips: AtomicU64::new(0),
        })
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    pub fn is_encrypted(&self) -> bool {
        self.config.base_url.starts_with("https:")
    }

    /// The bound of one request; long polls must ask the server to answer well before it.
    pub fn call_timeout(&self) -> Duration {
        self.config.call_timeout
    }

    /// Requests sent so far, whatever their outcome.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    pub fn set_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap_or_else(|p| p.into_inner()) = cookie;
    }

    /// The session cookie's value alone, which logs must never show.
    pub fn cookie_secret(&self) -> String {
        self.cookie()
            .and_then(|c| {
                c.split_once('=')
                    .map(|(_, v)| v.trim_matches('"').to_string())
            })
            .unwrap_or_default()
    }

    fn cookie(&self) -> Option<String> {
        self.cookie
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// POSTs a SOAP envelope to `/sdk`; the caller reads faults out of a 500. A `repeatable`
    /// call (one a server may see twice without harm) whose connection the server dropped
    /// before answering is sent once more: a kept-alive connection may be closed by the server
    /// just as it is reused.
    pub fn post_soap(&self, soap_action: &str, envelope: &str, repeatable: bool) -> Result<Reply> {
        let resp = self.send_soap(soap_action, envelope, repeatable)?;
        self.finish(resp)
    }

    /// As `post_soap`, the answer's body read as it arrives (at most `MAX_BODY` bytes), for a
    /// parser that takes it as it comes rather than as one buffer.
    pub fn post_soap_streamed(
        &self,
        soap_action: &str,
        envelope: &str,
        repeatable: bool,
    ) -> Result<Answer> {
        let resp = self.send_soap(soap_action, envelope, repeatable)?;
        let status = self.head(&resp)?;
        Ok(Answer {
            status,
            body: resp.into_body().into_with_config().limit(MAX_BODY).reader(),
            received: 0,
            failure: None,
        })
    }

    fn send_soap(
        &self,
        soap_action: &str,
        envelope: &str,
        repeatable: bool,
    ) -> Result<ureq::http::Response<ureq::Body>> {
        let url = format!("{}/sdk", self.config.base_url);
        let send = || {
            let mut req = self
                .agent
                .post(&url)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", soap_action);
            if let Some(c) = self.cookie() {
                req = req.header("Cookie", c);
            }
            self.round_trips.fetch_add(1, Ordering::Relaxed);
            req.send(envelope)
        };
        // A repeatable call is sent again when the server dropped the connection before
        // answering (at once: a kept-alive connection may close just as it is reused) or said
        // it is too busy (503), up to RETRY_PAUSES times, pausing longer each time. A call that
        // changes something is sent once, whatever happens.
        let mut pauses = RETRY_PAUSES.iter();
        loop {
            let sent = send();
            let again = repeatable
                && match &sent {
                    Err(ureq::Error::Io(e)) => dropped(e),
                    Ok(resp) => resp.status().as_u16() == 503,
                    Err(_) => false,
                };
            match pauses.next() {
                Some(pause) if again => std::thread::sleep(*pause),
                _ => return sent.map_err(|e| self.transport_error(&e)),
            }
        }
    }

    /// What ended the read of an answer's body early, in the transport's words (the size limit,
    /// a timeout, a dropped connection).
    pub fn body_error(&self, e: std::io::Error) -> Error {
        match e.into_inner().map(|inner| inner.downcast::<ureq::Error>()) {
            Some(Ok(ureq)) => self.transport_error(&ureq),
            Some(Err(other)) => Error::new(
                ErrorKind::Transport,
                format!(
                    "reading the answer of '{}' failed: {other}",
                    self.config.base_url
                ),
            ),
            None => Error::new(
                ErrorKind::Transport,
                format!("reading the answer of '{}' failed", self.config.base_url),
            ),
        }
    }

    /// GET of a path below the endpoint (`/folder/...`), with the session cookie.
    pub fn get(&self, path_and_query: &str) -> Result<Reply> {
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let mut req = self.agent.get(&url);
        if let Some(c) = self.cookie() {
            req = req.header("Cookie", c);
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let resp = req.call().map_err(|e| self.transport_error(&e))?;
        self.finish(resp)
    }

    /// PUT of a body to a path below the endpoint, with the session cookie.
    pub fn put(&self, path_and_query: &str, body: &[u8]) -> Result<Reply> {
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let mut req = self
            .agent
            .put(&url)
            .header("Content-Type", "application/octet-stream");
        if let Some(c) = self.cookie() {
            req = req.header("Cookie", c);
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let resp = req.send(body).map_err(|e| self.transport_error(&e))?;
        self.finish(resp)
    }

    /// GET of a path below the endpoint whose body is read as the caller goes (no size limit,
    /// no overall timeout: a transfer takes as long as the data needs, but each read of the
    /// socket at most the call timeout, so a server gone quiet ends it). `range` is an HTTP
    /// byte range (`bytes=0-99`).
    pub fn get_reader(
        &self,
        path_and_query: &str,
        range: Option<&str>,
    ) -> Result<(u16, ureq::BodyReader<'static>)> {
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let mut req = self.streamed(self.agent.get(&url));
        if let Some(c) = self.cookie() {
            req = req.header("Cookie", c);
        }
        if let Some(r) = range {
            req = req.header("Range", r);
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let resp = req.call().map_err(|e| self.transport_error(&e))?;
        let status = resp.status().as_u16();
        Ok((status, resp.into_body().into_reader()))
    }

    /// PUT of a body read from `body` as it is sent: `length` bytes (Content-Length) when
    /// known, else chunked; no overall timeout, but each read and write of the socket at most
    /// the call timeout (a server that stops reading ends it).
    pub fn put_reader(
        &self,
        path_and_query: &str,
        body: impl std::io::Read + Send + 'static,
        length: Option<u64>,
    ) -> Result<Reply> {
        let url = format!("{}{}", self.config.base_url, path_and_query);
        let mut req = self
            .streamed(self.agent.put(&url))
            .header("Content-Type", "application/octet-stream");
        if let Some(c) = self.cookie() {
            req = req.header("Cookie", c);
        }
        if let Some(n) = length {
            req = req.header("Content-Length", n.to_string());
        }
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let resp = req
            .send(ureq::SendBody::from_owned_reader(body))
            .map_err(|e| self.transport_error(&e))?;
        self.finish(resp)
    }

    /// A transfer's request: no overall timeout (it takes as long as its data needs), but
    /// each socket read and write at most the call timeout, so a server gone quiet ends it.
    fn streamed<B>(&self, req: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        let quiet = Some(self.config.call_timeout);
        req.config()
            .timeout_global(None)
            .timeout_per_read(quiet)
            .timeout_per_write(quiet)
            .build()
    }

    fn finish(&self, mut resp: ureq::http::Response<ureq::Body>) -> Result<Reply> {
        let status = self.head(&resp)?;
        let body = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| self.transport_error(&e))?;
        Ok(Reply { status, body })
    }

    /// An answer's status, once its session cookie is taken and a redirect refused.
    fn head(&self, resp: &ureq::http::Response<ureq::Body>) -> Result<u16> {
        let status = resp.status().as_u16();
        if let Some(cookie) = session_cookie(resp.headers()) {
            self.set_cookie(Some(cookie));
        }
        if (300..400).contains(&status) {
            let to = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("?")
                .to_string();
            return Err(Error::protocol(format!(
                "The server redirects from '{}' to '{to}'",
                self.config.base_url
            )));
        }
        Ok(status)
    }

    fn transport_error(&self, e: &ureq::Error) -> Error {
        let url = &self.config.base_url;
        let text = e.to_string();
        // Through a proxy, the connection that fails to open is the one to the proxy.
        if let Some(proxy) = &self.config.proxy
            && matches!(
                e,
                ureq::Error::Io(_) | ureq::Error::HostNotFound | ureq::Error::ConnectProxyFailed(_)
            )
        {
            return Error::new(
                ErrorKind::Transport,
                format!("cannot get through the proxy '{proxy}' to '{url}': {text}"),
            );
        }
        match e {
            _ if text.contains("ertificate") || text.contains("UnknownIssuer") => Error::new(
                ErrorKind::Certificate,
                format!(
                    "TLS certificate verification of '{url}' failed ({text}); use ?no_verify=1 \
                             to skip verification, or install the server's CA certificate in the system \
                             trust store or name it with ?cacert=PATH"
                ),
            ),
            ureq::Error::Rustls(_) | ureq::Error::Tls(_) => Error::new(
                ErrorKind::Transport,
                format!("TLS error talking to '{url}': {text}"),
            ),
            ureq::Error::BodyExceedsLimit(limit) => Error::new(
                ErrorKind::Protocol,
                format!("the answer of '{url}' is larger than the {limit} bytes allowed"),
            ),
            ureq::Error::Timeout(t) => Error::new(
                ErrorKind::Timeout,
                format!("no answer from '{url}' in time ({t})"),
            ),
            ureq::Error::HostNotFound => Error::new(
                ErrorKind::Transport,
                format!("cannot resolve the host of '{url}'"),
            ),
            _ => Error::new(
                ErrorKind::Transport,
                format!("HTTP request to '{url}' failed: {e}"),
            ),
        }
    }
}

/// Whether the server dropped the connection without an answer.
fn dropped(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe
    )
}

/// The `vmware_soap_session` cookie as `name=value`, quotes kept as the server sent them.
fn session_cookie(headers: &ureq::http::HeaderMap) -> Option<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::trim)
        .find(|c| c.starts_with("vmware_soap_session="))
        .map(str::to_string)
}

fn read_ca_bundle(path: &std::path::Path) -> Result<Vec<Certificate<'static>>> {
    let pem = read_bounded(path, CA_BUNDLE_MAX).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("cannot read CA file '{}': {e}", path.display()),
        )
    })?;
    let certs: Vec<_> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect();
    if certs.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            format!("CA file '{}' holds no PEM certificate", path.display()),
        ));
    }
    Ok(certs)
}
