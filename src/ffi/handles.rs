//! libvirt's opaque handles as `Arc`s of Rust objects (rustls-ffi's shared-ownership shape): the
//! pointer C holds is `Arc::into_raw`, `*Ref` adds a strong count and `*Free`/`*Close` drop one.
//!
//! As in libvirt, passing a pointer that was freed or never came from this library is undefined
//! behaviour; only NULL and misaligned pointers are caught, because only those checks are sound.

use super::error::CError;
use super::types::virErrorFunc;
use crate::driver::Connection;
use crate::driver::domain::{Domain, Vm};
use crate::driver::interface::{Interface, InterfaceFacts};
use crate::driver::network::{Network, NetworkFacts};
use crate::driver::node_device::{NodeDevice, NodeDeviceFacts};
use crate::driver::snapshot::Snapshot;
use crate::driver::storage::socket::SocketStream;
use crate::driver::storage::transfer::{Download, Stopper, Upload, Watcher};
use crate::driver::storage::{Pool, PoolFacts, Volume, VolumeFacts};
use crate::error::{Code, Error, Result};
use crate::ffi::connection::auth::SavedAuth;
use std::ffi::{CString, c_void};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Connection, domain and snapshot handles alive in the process, so that callers (the Python package's
/// tests, leak checks) can see that every handle they were given was freed.
static LIVE: AtomicI64 = AtomicI64::new(0);

pub fn live_handles() -> i64 {
    LIVE.load(Ordering::SeqCst)
}

/// Counts one live handle for as long as it exists.
pub struct Counted(());

impl Counted {
    fn new() -> Counted {
        LIVE.fetch_add(1, Ordering::SeqCst);
        Counted(())
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A handle type: what C holds is a pointer to `Self` inside an `Arc`.
pub trait ArcHandle: Sized {
    /// libvirt's error for a bad pointer of this kind (VIR_ERR_INVALID_CONN, …).
    const INVALID: Code;

    /// Hands a new handle to C.
    fn into_c(this: Arc<Self>) -> *mut Self {
        Arc::into_raw(this).cast_mut()
    }

    /// Borrows the object behind a C pointer for the duration of one call.
    ///
    /// # Safety
    /// `p` is NULL or a pointer from `into_c` whose references are not all released.
    unsafe fn borrow<'a>(p: *mut Self, api: &str) -> Result<&'a Self> {
        if p.is_null() || !p.is_aligned() {
            return Err(Error::new(Self::INVALID, crate::error::Domain::None, api));
        }
        // SAFETY: a live Arc allocation per the contract.
        Ok(unsafe { &*p })
    }

    /// A new owned reference to the object behind a borrowed handle.
    fn arc(&self) -> Arc<Self> {
        let p: *const Self = self;
        // SAFETY: `self` is borrowed from a live handle, so its Arc holds at least one reference.
        unsafe { Arc::increment_strong_count(p) };
        // SAFETY: the reference just added is owned by the returned Arc.
        unsafe { Arc::from_raw(p) }
    }

    /// Gives C one more reference (`virConnectRef`, `virDomainRef`).
    fn add_ref(&self) {
        std::mem::forget(self.arc());
    }

    /// How many references there are, C's and the library's own.
    fn refs(&self) -> usize {
        Arc::strong_count(&self.arc()) - 1
    }

    /// Takes one reference away from C (the last one drops the object).
    ///
    /// # Safety
    /// `p` was borrowed successfully in this call, and the caller gives up this reference.
    unsafe fn release(p: *mut Self) -> usize {
        // SAFETY: per the contract, this reference is ours to drop.
        let this = unsafe { Arc::from_raw(p.cast_const()) };
        Arc::strong_count(&this) - 1
    }
}

/// Per-connection error state of libvirt's deprecated `virConn*Error` API.
pub struct ConnErrors {
    pub last: CError,
    pub handler: virErrorFunc,
    pub user_data: *mut c_void,
}

// SAFETY: the raw user-data pointer is only handed back to the C handler that came with it.
unsafe impl Send for ConnErrors {}

/// `virConnectPtr`: a connection and its libvirt error state. The last reference logs out
/// (the driver's Connection does on drop); domains hold references, as in libvirt.
pub struct ConnectHandle {
    pub conn: Arc<Connection>,
    pub errors: Mutex<ConnErrors>,
    /// How the connection asked for credentials, to ask the same for connections the
    /// library opens on its behalf.
    pub auth: Option<SavedAuth>,
    /// virConnectDomainEventRegister's callbacks (by address) and their registration ids.
    pub legacy_events: Mutex<Vec<(usize, i32)>>,
    /// Node device and secret event registrations (by id): kept, and their opaque data
    /// freed, until deregistered; vSphere has no such objects, so they never fire.
    pub(crate) silent_events: Mutex<crate::ffi::events::silent::Registrations>,
    _counted: Counted,
}

impl ArcHandle for ConnectHandle {
    const INVALID: Code = Code::InvalidConn;
}

impl ConnectHandle {
    pub fn new(conn: Arc<Connection>, auth: Option<SavedAuth>) -> Arc<ConnectHandle> {
        Arc::new(ConnectHandle {
            conn,
            auth,
            legacy_events: Mutex::new(Vec::new()),
            silent_events: Mutex::new((0, Vec::new())),
            errors: Mutex::new(ConnErrors {
                last: CError::empty(),
                handler: None,
                user_data: std::ptr::null_mut(),
            }),
            _counted: Counted::new(),
        })
    }

    /// A new domain handle on this connection for `vm` (a lookup's: it reads its sizing alone).
    pub fn domain(&self, vm: Vm) -> Arc<DomainHandle> {
        self.domain_handle(Domain::new(self.conn.clone(), vm, None))
    }

    /// A new handle for a volume object of this connection.
    pub fn volume_handle(&self, vol: Volume) -> Arc<VolumeHandle> {
        Arc::new(VolumeHandle {
            name: c_name(&vol.facts().name),
            path: c_name(&vol.facts().path()),
            key: OnceLock::new(),
            vol,
            conn: self.arc(),
            _counted: Counted::new(),
        })
    }

    /// A new handle for a domain object of this connection.
    pub fn domain_handle(&self, dom: Domain) -> Arc<DomainHandle> {
        let names = Mutex::new(vec![c_name(&dom.cached().name)]);
        Arc::new(DomainHandle {
            dom,
            conn: self.arc(),
            names,
            _counted: Counted::new(),
        })
    }
}

/// A name as C reads it from a handle (a NUL, which no server should send, is left out).
fn c_name(name: &str) -> CString {
    CString::new(name.replace('\0', "")).unwrap_or_default()
}

/// `virDomainPtr`: the driver's Domain (which owns its cached VM state), its name as C reads
/// it, and a reference on its connection handle.
pub struct DomainHandle {
    pub dom: Domain,
    pub conn: Arc<ConnectHandle>,
    /// Every name the handle has had, the last one current: a name handed to C stays valid
    /// for the handle's life, even after virDomainRename.
    names: Mutex<Vec<CString>>,
    _counted: Counted,
}

impl DomainHandle {
    /// The current name, as C reads it.
    pub fn name_ptr(&self) -> *const std::ffi::c_char {
        let names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        names.last().map_or(std::ptr::null(), |n| n.as_ptr())
    }

    pub fn renamed(&self, name: &str) {
        let mut names = self.names.lock().unwrap_or_else(|e| e.into_inner());
        names.push(c_name(name));
    }
}

impl ArcHandle for DomainHandle {
    const INVALID: Code = Code::InvalidDomain;
}

impl DomainHandle {
    /// A new snapshot handle of this domain.
    pub fn snapshot(&self, snap: Snapshot) -> Arc<SnapshotHandle> {
        let name = c_name(&snap.name);
        Arc::new(SnapshotHandle {
            snap,
            dom: self.arc(),
            name,
            _counted: Counted::new(),
        })
    }
}

/// `virDomainSnapshotPtr`: the snapshot's managed object and name, and a reference on its
/// domain handle (which keeps the connection alive), as in libvirt.
pub struct SnapshotHandle {
    pub snap: Snapshot,
    pub dom: Arc<DomainHandle>,
    pub name: CString,
    _counted: Counted,
}

impl ArcHandle for SnapshotHandle {
    const INVALID: Code = Code::InvalidDomainSnapshot;
}

impl ConnectHandle {
    /// A new storage pool handle on this connection.
    pub fn pool(&self, pool: PoolFacts) -> Arc<PoolHandle> {
        Arc::new(PoolHandle {
            name: c_name(&pool.name),
            pool,
            conn: self.arc(),
            _counted: Counted::new(),
        })
    }
}

/// `virStoragePoolPtr`: the datastore's facts as last read, and a reference on the connection.
pub struct PoolHandle {
    pub pool: PoolFacts,
    pub conn: Arc<ConnectHandle>,
    pub name: CString,
    _counted: Counted,
}

impl ArcHandle for PoolHandle {
    const INVALID: Code = Code::InvalidStoragePool;
}

impl PoolHandle {
    /// The driver's pool object for the handle's facts.
    pub fn object(&self) -> Pool {
        Pool::new(self.conn.conn.clone(), self.pool.clone())
    }

    /// A new volume handle of this pool.
    pub fn volume(&self, vol: VolumeFacts) -> Arc<VolumeHandle> {
        let vol = Volume::new(self.conn.conn.clone(), self.pool.clone(), vol);
        self.conn.volume_handle(vol)
    }
}

/// `virStorageVolPtr`: the file's facts as last read, its pool's, its name and path as C
/// reads them, its key once asked for (a disk's UUID costs a round trip), and a reference on
/// the connection.
pub struct VolumeHandle {
    pub vol: Volume,
    pub conn: Arc<ConnectHandle>,
    pub name: CString,
    pub path: CString,
    pub key: OnceLock<CString>,
    _counted: Counted,
}

impl ArcHandle for VolumeHandle {
    const INVALID: Code = Code::InvalidStorageVol;
}

/// What a stream carries: nothing yet, a volume's upload or download, a VM's console, or
/// nothing any more.
pub enum Transfer {
    Idle,
    Up(Box<Upload>),
    Down(Box<Download>),
    Socket(Box<SocketStream>),
    Closed,
}

impl Transfer {
    /// What stops it from any thread.
    pub fn stopper(&self) -> Option<Stopper> {
        match self {
            Transfer::Up(up) => Some(up.stopper()),
            Transfer::Down(down) => Some(down.stopper()),
            Transfer::Socket(s) => Some(s.stopper()),
            Transfer::Idle | Transfer::Closed => None,
        }
    }

    /// Tells `w` of each change of what a non-blocking call would meet.
    pub fn watch(&self, w: Option<Watcher>) {
        match self {
            Transfer::Up(up) => up.watch(w),
            Transfer::Down(down) => down.watch(w),
            Transfer::Socket(s) => s.watch(w),
            Transfer::Idle | Transfer::Closed => {}
        }
    }

    /// Whether a non-blocking receive, and a non-blocking send, would not wait now.
    pub fn ready(&self) -> (bool, bool) {
        match self {
            Transfer::Down(down) => (down.readable(), false),
            Transfer::Up(up) => (false, up.writable()),
            // A console's sends go straight to its socket.
            Transfer::Socket(s) => (s.readable(), true),
            Transfer::Idle | Transfer::Closed => (false, false),
        }
    }
}

/// A stream's event callback (virStreamEventAddCallback): the loop's timer that runs it, and
/// what re-arms that timer when the transfer changes.
pub struct StreamEvents {
    pub event_loop: Arc<dyn crate::event::Loop>,
    pub timer: i32,
    pub wanted: Arc<std::sync::atomic::AtomicI32>,
    pub rearm: Watcher,
}

/// `virStreamPtr`: a stream on a connection and the transfer bound to it. A blocking call
/// moving data holds `transfer` while it waits; `stopper`, under a lock of its own that
/// nothing holds for long, lets virStreamAbort stop the transfer meanwhile. A non-blocking
/// stream's calls never wait; its event callback, if any, is in `events`.
pub struct StreamHandle {
    pub conn: Arc<ConnectHandle>,
    pub transfer: Mutex<Transfer>,
    pub stopper: Mutex<Option<Stopper>>,
    pub nonblocking: bool,
    pub events: Mutex<Option<StreamEvents>>,
    _counted: Counted,
}

impl ArcHandle for StreamHandle {
    const INVALID: Code = Code::InvalidStream;
}

impl ConnectHandle {
    pub fn stream(&self, nonblocking: bool) -> Arc<StreamHandle> {
        Arc::new(StreamHandle {
            conn: self.arc(),
            transfer: Mutex::new(Transfer::Idle),
            stopper: Mutex::new(None),
            nonblocking,
            events: Mutex::new(None),
            _counted: Counted::new(),
        })
    }
}

impl ConnectHandle {
    pub fn network(&self, net: NetworkFacts) -> Arc<NetworkHandle> {
        Arc::new(NetworkHandle {
            name: c_name(&net.name),
            net,
            conn: self.arc(),
            _counted: Counted::new(),
        })
    }

    pub fn interface(&self, iface: InterfaceFacts) -> Arc<InterfaceHandle> {
        Arc::new(InterfaceHandle {
            name: c_name(&iface.name),
            mac: c_name(&iface.mac),
            iface,
            conn: self.arc(),
            _counted: Counted::new(),
        })
    }

    pub fn node_device(&self, dev: NodeDeviceFacts) -> Arc<NodeDeviceHandle> {
        Arc::new(NodeDeviceHandle {
            name: c_name(&dev.name),
            parent: dev.parent.as_deref().map(c_name),
            dev,
            conn: self.arc(),
            _counted: Counted::new(),
        })
    }
}

/// `virNetworkPtr`: a vSwitch as last read, and a reference on the connection.
pub struct NetworkHandle {
    pub net: NetworkFacts,
    pub conn: Arc<ConnectHandle>,
    pub name: CString,
    _counted: Counted,
}

impl NetworkHandle {
    /// The driver's network object for the handle's facts.
    pub fn object(&self) -> Network {
        Network::new(self.conn.conn.clone(), self.net.clone())
    }
}

impl ArcHandle for NetworkHandle {
    const INVALID: Code = Code::InvalidNetwork;
}

/// `virInterfacePtr`: a physical NIC as last read, its name and MAC as C reads them, and a
/// reference on the connection.
pub struct InterfaceHandle {
    pub iface: InterfaceFacts,
    pub conn: Arc<ConnectHandle>,
    pub name: CString,
    pub mac: CString,
    _counted: Counted,
}

impl InterfaceHandle {
    /// The driver's interface object for the handle's facts.
    pub fn object(&self) -> Interface {
        Interface::new(self.conn.conn.clone(), self.iface.clone())
    }
}

impl ArcHandle for InterfaceHandle {
    const INVALID: Code = Code::InvalidInterface;
}

/// `virNodeDevicePtr`: a host device as last read, its name and parent's as C reads them, and
/// a reference on the connection.
pub struct NodeDeviceHandle {
    pub dev: NodeDeviceFacts,
    pub conn: Arc<ConnectHandle>,
    pub name: CString,
    pub parent: Option<CString>,
    _counted: Counted,
}

impl NodeDeviceHandle {
    /// The driver's node device object for the handle's facts.
    pub fn object(&self) -> NodeDevice {
        NodeDevice::new(self.conn.conn.clone(), self.dev.clone())
    }
}

impl ArcHandle for NodeDeviceHandle {
    const INVALID: Code = Code::InvalidNodeDevice;
}
