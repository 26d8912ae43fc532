//! One vSphere endpoint's session: service content, the API version we speak, login and
//! logout, SOAP calls that log in again once when the server forgot the session, and bulk reads.

use super::error::{Error, Fault, Result};
use super::node::Node;
use super::property::{FilterSpec, ObjectContent};
use super::soap::{self, MoRef, Request};
use super::transport::{Transport, TransportConfig};
use super::types::{FromNode, ServiceContent, UserSession};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Mutex;

/// Spoken to fetch the service content, before the server's own version is known; every
/// vSphere release since 5.5 answers it.
const BOOTSTRAP_VERSION: &str = "5.5";
/// Objects per RetrievePropertiesEx page.
const PAGE: u32 = 1000;

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
        let req = Request::new(
            "RetrieveServiceContent",
            &MoRef::new("ServiceInstance", "ServiceInstance"),
        );
        let reply =
            transport.post_soap(&format!("urn:vim25/{BOOTSTRAP_VERSION}"), &req.envelope())?;
        let resp = soap::read_response(req.method(), reply.status, &reply.body)?;
        let content = resp
            .child("returnval")
            .and_then(ServiceContent::from_node)
            .ok_or_else(|| Error::protocol("RetrieveServiceContent returned nothing"))?;
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
        let mut req = Request::new("Login", &self.session_manager());
        req.text("userName", user)
            .text("password", password.expose_secret());
        let resp = self.send(&req)?;
        Ok(resp
            .child("returnval")
            .and_then(UserSession::from_node)
            .unwrap_or_default())
    }

    pub fn logout(&self) -> Result<()> {
        let req = Request::new("Logout", &self.session_manager());
        let result = self.send(&req).map(|_| ());
        *self.credentials.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.transport.set_cookie(None);
        result
    }

    /// One SOAP call. A `NotAuthenticated` fault (session expired or dropped by the server)
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
        let envelope = zeroize::Zeroizing::new(req.envelope());
        let reply = self.transport.post_soap(&self.soap_action, &envelope)?;
        soap::read_response(req.method(), reply.status, &reply.body)
    }

    /// RetrievePropertiesEx, then ContinueRetrievePropertiesEx until the last page.
    pub fn retrieve(&self, spec: &FilterSpec) -> Result<Vec<ObjectContent>> {
        self.retrieve_all(std::slice::from_ref(spec))
    }

    /// Several filter specs answered in one round trip (plus pages).
    pub fn retrieve_all(&self, specs: &[FilterSpec]) -> Result<Vec<ObjectContent>> {
        let mut req = Request::new("RetrievePropertiesEx", &self.property_collector());
        for spec in specs {
            spec.write(&mut req, "specSet");
        }
        req.open("options", None)
            .text("maxObjects", &PAGE.to_string())
            .close("options");
        let mut out = Vec::new();
        // Some servers answer a read without a session with a NotAuthenticated fault per
        // property rather than for the call; both mean "log in again".
        let mut resp = self.with_session(|| {
            let resp = self.send(&req)?;
            if first_missing_fault(&resp).as_deref() == Some("NotAuthenticated") {
                return Err(Error::fault(
                    req.method(),
                    Fault::NotAuthenticated,
                    "session is not authenticated",
                ));
            }
            Ok(resp)
        })?;
        loop {
            let Some(result) = resp.child("returnval") else {
                return Ok(out);
            };
            out.extend(
                result
                    .children_named("objects")
                    .filter_map(ObjectContent::from_node),
            );
            let token = match result.text_at("token").map(str::trim) {
                Some(t) if !t.is_empty() => t.to_string(),
                _ => return Ok(out),
            };
            let mut next = Request::new("ContinueRetrievePropertiesEx", &self.property_collector());
            next.text("token", &token);
            resp = self.call(&next)?;
        }
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
        let req = Request::new(
            "CurrentTime",
            &MoRef::new("ServiceInstance", "ServiceInstance"),
        );
        let resp = self.call(&req)?;
        Ok(resp.text_at("returnval").unwrap_or_default().to_string())
    }

    pub fn is_logged_in(&self) -> bool {
        self.credentials
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }
}

/// The fault type of the first property a retrieve could not read, if any.
fn first_missing_fault(resp: &Node) -> Option<String> {
    resp.child("returnval")?
        .children_named("objects")
        .flat_map(|o| o.children_named("missingSet"))
        .find_map(|m| m.path("fault.fault").and_then(|f| f.xsi_type.clone()))
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
