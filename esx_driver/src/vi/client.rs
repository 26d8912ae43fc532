//! One vSphere endpoint's session: service content, the API version we speak, login and
//! logout, SOAP calls that log in again once when the server forgot the session, and bulk reads.

use super::error::{Error, Fault, Result};
use super::methods::{
    ContinueRetrievePropertiesEx, CurrentTime, FromReturn, Login, Logout, Method,
    RetrievePropertiesEx, RetrieveServiceContent,
};
use super::node::Node;
use super::property::{FilterSpec, ObjectContent, RetrieveOptions};
use super::soap::{self, MoRef, Request};
use super::transport::{Transport, TransportConfig};
use super::types::{ServiceContent, UserSession};
use crate::log::{self, Level, log};
use secrecy::SecretString;
use std::sync::Mutex;

/// Spoken to fetch the service content, before the server's own version is known; every
/// vSphere release since 5.5 answers it.
const BOOTSTRAP_VERSION: &str = "5.5";
/// Objects per RetrievePropertiesEx page.
const PAGE: i32 = 1000;

struct Credentials {
    user: String,
    password: SecretString,
}

pub struct Client {
    transport: Transport,
    content: ServiceContent,
    soap_action: String,
    credentials: Mutex<Option<Credentials>>,
}

impl Client {
    /// Reads the service content (one round trip) and adopts the server's API version.
    pub fn connect(config: TransportConfig) -> Result<Client> {
        let transport = Transport::new(config)?;
        let call = RetrieveServiceContent {
            this: service_instance(),
        };
        let req = call.request();
        let reply = transport.post_soap(
            &format!("urn:vim25/{BOOTSTRAP_VERSION}"),
            &req.envelope(),
            true,
        )?;
        let resp = soap::read_response(req.method(), reply.status, &reply.body)?;
        let content = ServiceContent::from_return(req.method(), &resp)?;
        for (what, r) in [
            ("rootFolder", &content.root_folder),
            ("propertyCollector", &content.property_collector),
            ("sessionManager", &content.session_manager),
        ] {
            if r.is_none() {
                return Err(Error::protocol(format!(
                    "The server's service content lacks '{what}'; is this a vSphere endpoint?"
                )));
            }
        }
        let version = match content.about.api_version.trim() {
            "" => BOOTSTRAP_VERSION.to_string(),
            v => v.to_string(),
        };
        Ok(Client {
            transport,
            soap_action: format!("urn:vim25/{version}"),
            content,
            credentials: Mutex::new(None),
        })
    }

    pub fn content(&self) -> &ServiceContent {
        &self.content
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    pub fn root_folder(&self) -> MoRef {
        self.content.root_folder.clone().unwrap_or_default_moref()
    }

    fn property_collector(&self) -> MoRef {
        self.content
            .property_collector
            .clone()
            .unwrap_or_default_moref()
    }

    fn session_manager(&self) -> MoRef {
        self.content
            .session_manager
            .clone()
            .unwrap_or_default_moref()
    }

    pub fn login(&self, user: &str, password: SecretString) -> Result<UserSession> {
        let session = self.login_once(user, &password)?;
        *self.credentials.lock().unwrap_or_else(|p| p.into_inner()) = Some(Credentials {
            user: user.to_string(),
            password,
        });
        Ok(session)
    }

    fn login_once(&self, user: &str, password: &SecretString) -> Result<UserSession> {
        let login = Login {
            this: self.session_manager(),
            user_name: user.to_string(),
            password: password.clone(),
            locale: None,
        };
        let session: Option<UserSession> = self.invoke_once(&login)?;
        Ok(session.unwrap_or_default())
    }

    pub fn logout(&self) -> Result<()> {
        let result = self.invoke_once(&Logout {
            this: self.session_manager(),
        });
        *self.credentials.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.transport.set_cookie(None);
        result
    }

    /// One typed call: its request written, sent (with a new login when the session is gone, as
    /// `call` does) and its `returnval` read into the method's return type.
    pub fn invoke<M: Method>(&self, m: &M) -> Result<M::Returns> {
        let req = m.request();
        let resp = self.call(&req)?;
        M::Returns::from_return(req.method(), &resp)
    }

    /// A typed call without the new login: for the session's own methods.
    fn invoke_once<M: Method>(&self, m: &M) -> Result<M::Returns> {
        let req = m.request();
        let resp = self.send(&req)?;
        M::Returns::from_return(req.method(), &resp)
    }

    /// One raw SOAP call, answered by the whole `<MethodResponse>`. A `NotAuthenticated` fault (session expired or dropped by the server)
    /// logs in again with the stored credentials and repeats the call once.
    pub fn call(&self, req: &Request) -> Result<Node> {
        self.with_session(|| self.send(req))
    }

    /// Runs `f`; when the server says the session is gone, logs in again and runs it once more.
    fn with_session<T>(&self, f: impl Fn() -> Result<T>) -> Result<T> {
        match f() {
            Err(e) if e.is_fault(&Fault::NotAuthenticated) => {
                let creds = self.credentials.lock().unwrap_or_else(|p| p.into_inner());
                let Some(c) = creds.as_ref() else {
                    return Err(e);
                };
                self.transport.set_cookie(None);
                self.login_once(&c.user, &c.password)?;
                drop(creds);
                f()
            }
            other => other,
        }
    }

    fn send(&self, req: &Request) -> Result<Node> {
        self.send_with(req, None)
    }

    /// Sends `req`; with `objects`, the answer's `returnval/objects` go there one by one.
    fn send_with(&self, req: &Request, objects: Option<&mut dyn FnMut(Node)>) -> Result<Node> {
        let envelope = zeroize::Zeroizing::new(req.envelope());
        let started = std::time::Instant::now();
        let (method, repeat) = (req.method(), repeatable(req.method()));
        let items = objects.map(|take| ("objects", take));
        if log::enabled(Level::Debug) {
            // The debug log shows the answer whole, so it is read whole first.
            let reply = self
                .transport
                .post_soap(&self.soap_action, &envelope, repeat);
            let outcome = reply
                .as_ref()
                .map(|r| (r.status, r.body.len() as u64, &r.body[..]));
            self.log_call(method, &envelope, outcome, started.elapsed().as_millis());
            let reply = reply?;
            return soap::read_answer(method, reply.status, &reply.body[..], items);
        }
        // Otherwise the answer is parsed as it arrives, and its size known once it is read.
        let mut answer =
            match self
                .transport
                .post_soap_streamed(&self.soap_action, &envelope, repeat)
            {
                Ok(answer) => answer,
                Err(e) => {
                    self.log_call(method, &envelope, Err(&e), started.elapsed().as_millis());
                    return Err(e);
                }
            };
        let status = answer.status;
        let parsed = soap::read_answer(method, status, &mut answer, items);
        let ms = started.elapsed().as_millis();
        match answer.failure.take() {
            // The body ended early: the transport's reason, not the parser's.
            Some(cut) => {
                let e = self.transport.body_error(cut);
                self.log_call(method, &envelope, Err(&e), ms);
                Err(e)
            }
            None => {
                self.log_call(method, &envelope, Ok((status, answer.received, &[])), ms);
                parsed
            }
        }
    }

    /// One SOAP call in the log: failures as warnings, the rest at info level, bodies at debug.
    /// The secrets to redact are gathered only when a line will be written: calls are the hot
    /// path and the log is off below warnings by default.
    fn log_call(
        &self,
        method: &str,
        envelope: &str,
        reply: std::result::Result<(u16, u64, &[u8]), &Error>,
        ms: u128,
    ) {
        if !log::enabled(if reply.is_ok() {
            Level::Info
        } else {
            Level::Warning
        }) {
            return;
        }
        // The cookie is read after the call: a Login answer is what sets it.
        let password = self.stored_password();
        let cookie = self.transport.cookie_secret();
        let secrets = [password.as_str(), cookie.as_str()];
        let debug = log::enabled(Level::Debug);
        if debug {
            let body = log::without_passwords(envelope);
            log!(Debug, &secrets, "{method} request: {body}");
        }
        match reply {
            Err(e) => log!(
                Warning,
                &secrets,
                "{method} failed after {ms} ms: {}",
                e.detail
            ),
            Ok((status, got, body)) => {
                let sent = envelope.len();
                log!(
                    Info,
                    &secrets,
                    "{method}: HTTP {status} in {ms} ms, {sent} bytes sent, {got} received"
                );
                if debug {
                    let body = String::from_utf8_lossy(body);
                    log!(Debug, &secrets, "{method} response: {body}");
                }
            }
        }
    }

    /// The password of the stored credentials, for redaction: empty before the first login,
    /// and while a login again holds them (its body's password is cut out by the log itself).
    fn stored_password(&self) -> zeroize::Zeroizing<String> {
        let creds = self.credentials.try_lock();
        zeroize::Zeroizing::new(
            creds
                .ok()
                .and_then(|c| {
                    c.as_ref()
                        .map(|c| secrecy::ExposeSecret::expose_secret(&c.password).to_string())
                })
                .unwrap_or_default(),
        )
    }

    /// RetrievePropertiesEx, then ContinueRetrievePropertiesEx until the last page.
    pub fn retrieve(&self, spec: &FilterSpec) -> Result<Vec<ObjectContent>> {
        self.retrieve_all(std::slice::from_ref(spec))
    }

    /// Several filter specs answered in one round trip (plus pages).
    pub fn retrieve_all(&self, specs: &[FilterSpec]) -> Result<Vec<ObjectContent>> {
        let call = RetrievePropertiesEx {
            this: self.property_collector(),
            spec_set: specs.iter().map(FilterSpec::to_spec).collect(),
            options: RetrieveOptions {
                max_objects: Some(PAGE),
            },
        };
        let req = call.request();
        // A few paths: a list is searched faster than a hash set for each property read.
        let mut asked: Vec<&str> = specs
            .iter()
            .flat_map(|s| {
                s.props
                    .iter()
                    .flat_map(|(_, paths)| paths.iter().map(String::as_str))
            })
            .collect();
        asked.sort_unstable();
        asked.dedup();
        // Some servers answer a read without a session with a NotAuthenticated fault per
        // property rather than for the call; both mean "log in again".
        let (mut out, mut token) = self.with_session(|| {
            let (objects, token, missing) = self.send_page(&req, &asked)?;
            if missing.as_deref() == Some("NotAuthenticated") {
                return Err(Error::fault(
                    req.method(),
                    Fault::NotAuthenticated,
                    "session is not authenticated",
                ));
            }
            Ok((objects, token))
        })?;
        while let Some(t) = token {
            let next = ContinueRetrievePropertiesEx {
                this: self.property_collector(),
                token: t,
            };
            let (objects, more, _) =
                self.with_session(|| self.send_page(&next.request(), &asked))?;
            out.extend(objects);
            token = more;
        }
        Ok(out)
    }

    /// One page of a retrieve: its objects, folded one by one as they are read (thousands of
    /// them never stand as one tree) with only the `asked` properties kept, its token, and the
    /// first missing property's fault type.
    fn send_page(
        &self,
        req: &Request,
        asked: &[&str],
    ) -> Result<(Vec<ObjectContent>, Option<String>, Option<String>)> {
        let mut objects = Vec::new();
        let mut missing = None;
        let mut take = |n: Node| {
            if missing.is_none() {
                missing = first_missing_fault(&n);
            }
            objects.extend(ObjectContent::take_asked(n, Some(asked)));
        };
        let resp = self.send_with(req, Some(&mut take))?;
        let token = resp
            .text_at("returnval.token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Ok((objects, token, missing))
    }

    /// Properties of one object; `None` when the server does not know it, so callers can say
    /// what was not found.
    pub fn retrieve_one(&self, obj: &MoRef, paths: &[&str]) -> Result<Option<ObjectContent>> {
        let spec = FilterSpec::object(obj.clone(), paths);
        match self.retrieve(&spec) {
            Ok(mut v) => Ok(v.pop()),
            Err(e) if e.is_fault(&Fault::ManagedObjectNotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A cheap call that proves the session is alive.
    pub fn current_time(&self) -> Result<String> {
        self.invoke(&CurrentTime {
            this: service_instance(),
        })
    }

    pub fn is_logged_in(&self) -> bool {
        self.credentials
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }
}

/// The fault type of an object's first missing property.
fn first_missing_fault(object: &Node) -> Option<String> {
    object
        .children_named("missingSet")
        .find_map(|m| m.path("fault.fault").and_then(|f| f.xsi_type.as_deref()))
        .map(str::to_string)
}

fn service_instance() -> MoRef {
    MoRef::new("ServiceInstance", "ServiceInstance")
}

trait MoRefDefault {
    fn unwrap_or_default_moref(self) -> MoRef;
}

impl MoRefDefault for Option<MoRef> {
    /// `connect` refused service contents without these, so the default is never used.
    fn unwrap_or_default_moref(self) -> MoRef {
        self.unwrap_or_else(|| MoRef::new("", ""))
    }
}

/// Methods a server may see twice without harm (reads, waits, and the ends of the library's
/// own collectors and views): sent once more when the server dropped the connection before
/// answering. Nothing that changes the inventory is repeated.
fn repeatable(method: &str) -> bool {
    ["Retrieve", "Query", "Find"]
        .iter()
        .any(|p| method.starts_with(p))
        || matches!(
            method,
            "ContinueRetrievePropertiesEx"
                | "CancelRetrievePropertiesEx"
                | "WaitForUpdatesEx"
                | "CancelWaitForUpdates"
                | "CurrentTime"
                | "ReadNextEvents"
                | "DestroyPropertyCollector"
                | "DestroyPropertyFilter"
                | "DestroyCollector"
                | "DestroyView"
                | "Logout"
        )
}
