//! Opening and closing a connection: URI → endpoint, product check, credentials, login and
//! inventory placement; `vcenter=` adds a second, vCenter endpoint for the same host.

pub mod auth;
pub(crate) mod authconf;
mod clientconf;
pub(crate) mod convert;
mod domains;
mod domcaps;
pub(crate) mod endpoint;
pub mod evc;
mod events;
pub(crate) mod host;
pub(crate) mod inventory;
mod keepalive;
mod networks;
pub(crate) mod placement;
mod storage;
pub(crate) mod task;
#[cfg(feature = "test-support")]
mod testing;
pub(crate) mod vms;

use crate::error::{Code, Error, Result};
use crate::uri::{ConnectSpec, Scheme, Transport as UriTransport, VCenter};
use crate::vi::Client;
use crate::vi::transport::TransportConfig;
use auth::{Authenticator, CredentialSource};
use authconf::AuthConf;
pub(crate) use endpoint::Endpoint;
use inventory::Placement;
use secrecy::ExposeSecret;
use std::net::ToSocketAddrs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

pub(crate) const UNPREFIXED: u8 = 1;
pub(crate) const PREFIXED: u8 = 2;

/// A connection dropped without `close` still ends its sessions, so that servers, which limit
/// sessions per user, are not left holding them until they time out.
impl Drop for Connection {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

/// What kind of vSphere server an endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// An ESX or ESXi host (`productLineId` `esx` or `embeddedEsx`), reached with esx://.
    Esx,
    /// A VMware Server (GSX) host, reached with gsx://.
    Gsx,
    /// A vCenter Server (`productLineId` `vpx`, API type `VirtualCenter`), reached with vpx://.
    Vpx,
}

impl Product {
    fn of(product_line_id: &str, api_type: &str) -> Option<Product> {
        match (product_line_id, api_type) {
            ("esx" | "embeddedEsx", _) => Some(Product::Esx),
            ("gsx", _) => Some(Product::Gsx),
            ("vpx", _) => Some(Product::Vpx),
            (_, "VirtualCenter") => Some(Product::Vpx),
            _ => None,
        }
    }

    fn scheme(self) -> &'static str {
        match self {
            Product::Esx => "esx",
            Product::Gsx => "gsx",
            Product::Vpx => "vpx",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Product::Esx => "an ESX(i) host",
            Product::Gsx => "a VMware Server (GSX)",
            Product::Vpx => "a vCenter",
        }
    }
}

/// An open connection to a vSphere server, libvirt's `virConnect`: the parsed URI, the logged-in
/// endpoints and the state shared by the calls made on it.
pub struct Connection {
    pub(crate) spec: ConnectSpec,
    pub(crate) read_only: bool,
    /// The host for esx:// and gsx://, the vCenter for vpx://.
    pub(crate) primary: Endpoint,
    /// The managing vCenter when `vcenter=` was given on esx://.
    pub(crate) vcenter: Option<Endpoint>,
    closed: AtomicBool,
    /// Whether this server names VMs `vm-N` (vCenter, some hosts) or plain `N` (ESX): learnt
    /// from the first VM seen, so ID lookups ask for the right object at once.
    pub(crate) vm_ids_prefixed: AtomicU8,
    /// The domains' running jobs (migrations), for job info and abort from other threads.
    pub(crate) jobs: crate::driver::jobs::Jobs,
    /// Event registrations and their watcher.
    pub(crate) events: crate::driver::events::Events,
    /// Keepalive and the close callback.
    pub(crate) liveness: crate::driver::liveness::Liveness,
    /// Performance counter ids and the CPU time counted so far.
    pub(crate) perf: crate::driver::perf::Perf,
}

impl Connection {
    /// The URI the connection was opened with.
    pub fn uri(&self) -> &str {
        &self.spec.uri
    }

    /// The URI libvirt's open calls connect to for `name`: when none is given,
    /// `$LIBVIRT_DEFAULT_URI`, else `uri_default` of libvirt.conf (the system's for root, else
    /// `$XDG_CONFIG_HOME/libvirt/libvirt.conf`); then, with `aliases`, the URI the name stands
    /// for in its `uri_aliases`.
    pub fn resolve_uri(name: Option<&str>, aliases: bool) -> Result<String> {
        clientconf::resolve_uri(name, aliases)
    }

    /// libvirt's `virConnectOpenAuth`: parses the URI, checks the server is the product its
    /// scheme names, logs in with the URI's, auth.conf's or `auth`'s credentials.
    pub fn open(uri: &str, auth: Option<&dyn Authenticator>, read_only: bool) -> Result<Arc<Self>> {
        let spec = ConnectSpec::parse(uri)?;
        let authconf = AuthConf::load(spec.authfile.as_deref())?;
        let creds = CredentialSource {
            authconf: authconf.as_ref(),
            auth,
        };
        let wanted = match spec.scheme {
            Scheme::Esx => Product::Esx,
            Scheme::Gsx => Product::Gsx,
            Scheme::Vpx => Product::Vpx,
        };
        let (client, product) = connect_checked(&spec, &spec.base_url(), wanted)?;
        let user = creds.username(spec.user.as_deref(), &spec.host, spec.default_user())?;
        CredentialSource::refuse_control("user name", &user)?;
        let password = creds.password(&user, &spec.host)?;
        CredentialSource::refuse_control("password", password.expose_secret())?;
        client.login(&user, password)?;
        let scope = match product {
            Product::Vpx => inventory::locate_by_path(&client, &spec.path)?,
            _ => inventory::locate_single_host(&client)?,
        };
        let primary = Endpoint {
            client,
            product,
            scope,
        };
        let vcenter = match (&spec.vcenter, product) {
            (Some(vc), Product::Esx | Product::Gsx) => {
                Some(open_vcenter(&spec, vc, &primary, &creds)?)
            }
            _ => None,
        };
        Ok(Arc::new(Connection {
            spec,
            read_only,
            primary,
            vcenter,
            closed: AtomicBool::new(false),
            vm_ids_prefixed: AtomicU8::new(match product {
                Product::Vpx => PREFIXED,
                _ => UNPREFIXED,
            }),
            jobs: Default::default(),
            events: Default::default(),
            liveness: Default::default(),
            perf: Default::default(),
        }))
    }

    /// Logs out of every endpoint once; the connection is unusable afterwards, and later calls
    /// (and the drop) do nothing.
    pub fn close(&self) -> Result<()> {
        if self.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.events.stop(&self.primary.client);
        self.liveness
            .closed(crate::abi::enums::virConnectCloseReason::VIR_CONNECT_CLOSE_REASON_CLIENT);
        let mut result = Ok(());
        for ep in std::iter::once(&self.primary).chain(self.vcenter.as_ref()) {
            if let Err(e) = ep.client.logout() {
                result = Err(e.into());
            }
        }
        result
    }

    /// libvirt's `virConnectIsAlive`: not closed, keepalive not failed, and the session still
    /// logged in (no round trip).
    pub fn is_alive(&self) -> bool {
        !self.closed.load(Ordering::SeqCst)
            && !self.liveness.is_dead()
            && self.primary.client.is_logged_in()
    }

    /// Refuses modifying calls on a read-only connection, naming the API as libvirt does.
    pub fn check_writable(&self, api: &str) -> Result<()> {
        if self.read_only {
            return Err(Error::esx(
                Code::OperationDenied,
                format!("read only access prevents {api}"),
            ));
        }
        Ok(())
    }

    /// SOAP and HTTP requests sent on all endpoints so far.
    pub fn round_trips(&self) -> u64 {
        std::iter::once(&self.primary)
            .chain(self.vcenter.as_ref())
            .map(|e| e.client.transport().round_trips())
            .sum()
    }

    /// Every host of the scope, for reads that cover them all.
    pub(crate) fn scope_hosts(&self) -> Result<Vec<&Placement>> {
        Ok(self.primary.hosts()?.iter().collect())
    }

    /// libvirt's `virConnectIsEncrypted`: whether the URI asked for HTTPS.
    pub fn is_encrypted(&self) -> bool {
        self.spec.transport == UriTransport::Https
    }
}

fn transport_config(spec: &ConnectSpec, base_url: &str) -> TransportConfig {
    let defaults = TransportConfig::new(base_url);
    let secs = |given: Option<u64>, default| given.map_or(default, Duration::from_secs);
    TransportConfig {
        no_verify: spec.no_verify,
        cacert: spec.cacert.clone(),
        proxy: spec.proxy_url(),
        connect_timeout: secs(spec.connect_timeout, defaults.connect_timeout),
        call_timeout: secs(spec.timeout, defaults.call_timeout),
        ..defaults
    }
}

/// Fetches the service content and insists the server is the product the scheme names.
fn connect_checked(
    spec: &ConnectSpec,
    base_url: &str,
    wanted: Product,
) -> Result<(Client, Product)> {
    let client = Client::connect(transport_config(spec, base_url))?;
    let about = &client.content().about;
    let found = Product::of(&about.product_line_id, &about.api_type).ok_or_else(|| {
        Error::internal(format!(
            "'{base_url}' is '{}' (product line '{}'), which is neither ESX, VMware Server nor vCenter",
            about.full_name, about.product_line_id
        ))
    })?;
    if found != wanted {
        return Err(Error::invalid_arg(format!(
            "Expecting '{}' to be {} but found {} ({}); use '{}://' instead",
            spec.host,
            wanted.describe(),
            found.describe(),
            about.full_name,
            found.scheme()
        )));
    }
    Ok((client, found))
}

/// `esx://host/?vcenter=VC|*`: log into the host's vCenter and find the host there.
fn open_vcenter(
    spec: &ConnectSpec,
    vc: &VCenter,
    host: &Endpoint,
    creds: &CredentialSource,
) -> Result<Endpoint> {
    let managed_by = host.single_host("vcenter=")?.management_server_ip.trim();
    let vc_host = match vc {
        VCenter::Auto if managed_by.is_empty() => {
            return Err(Error::internal("This host is not managed by a vCenter"));
        }
        VCenter::Auto => managed_by.to_string(),
        VCenter::Host(name) => {
            if !managed_by.is_empty() && !resolves_to(name, managed_by) {
                return Err(Error::internal(format!(
                    "This host is managed by a vCenter with IP address {managed_by}, \
                     but a mismatching vCenter '{name}' has been specified"
                )));
            }
            name.clone()
        }
    };
    let scheme = match spec.transport {
        UriTransport::Https => "https",
        UriTransport::Http => "http",
    };
    let bracketed = if vc_host.contains(':') {
        format!("[{vc_host}]")
    } else {
        vc_host.clone()
    };
    let base_url = format!("{scheme}://{bracketed}:{}", spec.port);
    let (client, product) = connect_checked(spec, &base_url, Product::Vpx)?;
    let user = creds.username(None, &vc_host, "administrator@vsphere.local")?;
    let password = creds.password(&user, &vc_host)?;
    client.login(&user, password)?;
    let host_ip = resolve_ip(&spec.host)?;
    let scope = inventory::locate_host_by_ip(&client, &host_ip)?;
    Ok(Endpoint {
        client,
        product,
        scope,
    })
}

/// The IPv4 address of a host name (an address is its own), as vCenter indexes hosts by it.
fn resolve_ip(host: &str) -> Result<String> {
    let addrs: Vec<_> = (host, 0)
        .to_socket_addrs()
        .map_err(|e| Error::internal(format!("Could not resolve host '{host}': {e}")))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .map(|a| a.ip().to_string())
        .ok_or_else(|| Error::internal(format!("Host '{host}' has no address")))
}

fn resolves_to(name: &str, ip: &str) -> bool {
    name == ip
        || (name, 0)
            .to_socket_addrs()
            .map(|mut addrs| addrs.any(|a| a.ip().to_string() == ip))
            .unwrap_or(false)
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("uri", &self.spec.uri)
            .field("product", &self.primary.product)
            .field("scope", &self.primary.scope.object)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}
