//! Refcounted heap handles behind libvirt's opaque pointers, with a magic word so that NULL,
//! stray and already-freed pointers are refused with libvirt's errors instead of crashing.

use super::error::CError;
use super::types::{virConnectPtr, virDomainPtr, virErrorFunc};
use crate::driver::Connection;
use crate::driver::domain::Vm;
use crate::error::{Code, Domain, Error, Result};
use std::ffi::{CString, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const CONN_MAGIC: u64 = 0x7669_7243_6f6e_6e21; // "virConn!"
const DOMAIN_MAGIC: u64 = 0x7669_7244_6f6d_2121; // "virDom!!"
const DEAD: u64 = 0xdead_dead_dead_dead;

/// The part every handle shares: what it is, and how many references C holds.
pub struct Header {
    magic: AtomicU64,
    refs: AtomicUsize,
}

impl Header {
    fn new(magic: u64) -> Header {
        Header {
            magic: AtomicU64::new(magic),
            refs: AtomicUsize::new(1),
        }
    }

    pub fn add_ref(&self) {
        self.refs.fetch_add(1, Ordering::AcqRel);
    }

    /// Drops a reference and returns how many are left; at 0 the handle is marked dead.
    fn release(&self) -> usize {
        let left = self.refs.fetch_sub(1, Ordering::AcqRel) - 1;
        if left == 0 {
            self.magic.store(DEAD, Ordering::Release);
        }
        left
    }
}

pub trait Handle {
    const MAGIC: u64;
    fn header(&self) -> &Header;
}

/// Borrows a live handle of type `T`, or says which kind of pointer was bad.
///
/// # Safety
/// `p` is NULL or a pointer this library returned; a freed one is caught by the magic word
/// as long as its memory was not reused.
unsafe fn checked<'a, T: Handle>(p: *mut T, bad: impl FnOnce() -> Error) -> Result<&'a T> {
    if p.is_null() || !(p as usize).is_multiple_of(std::mem::align_of::<T>()) {
        return Err(bad());
    }
    // SAFETY: non-null and aligned; the caller promises it came from Box::into_raw.
    let h = unsafe { &*p };
    if h.header().magic.load(Ordering::Acquire) != T::MAGIC {
        return Err(bad());
    }
    Ok(h)
}

/// Per-connection error state of libvirt's deprecated `virConn*Error` API.
pub struct ConnErrors {
    pub last: CError,
    pub handler: virErrorFunc,
    pub user_data: *mut c_void,
}

// SAFETY: the raw user-data pointer is only handed back to the C handler that came with it.
unsafe impl Send for ConnErrors {}

pub struct ConnBox {
    header: Header,
    pub conn: Connection,
    pub errors: Mutex<ConnErrors>,
}

impl Handle for ConnBox {
    const MAGIC: u64 = CONN_MAGIC;
    fn header(&self) -> &Header {
        &self.header
    }
}

impl ConnBox {
    pub fn into_raw(conn: Connection) -> virConnectPtr {
        Box::into_raw(Box::new(ConnBox {
            header: Header::new(CONN_MAGIC),
            conn,
            errors: Mutex::new(ConnErrors {
                last: CError::empty(),
                handler: None,
                user_data: std::ptr::null_mut(),
            }),
        }))
    }

    /// # Safety
    /// As `checked`.
    pub unsafe fn from_ptr<'a>(p: virConnectPtr, api: &str) -> Result<&'a ConnBox> {
        // SAFETY: forwarded contract.
        unsafe { checked(p, || Error::new(Code::InvalidConn, Domain::None, api)) }
    }

    pub fn add_ref(&self) {
        self.header.add_ref();
    }

    /// Drops one reference; the last one logs out and frees. Returns the references left.
    ///
    /// # Safety
    /// `p` must be live (checked with `from_ptr`) and unused by the caller after its last reference.
    pub unsafe fn release(p: virConnectPtr) -> Result<usize> {
        // SAFETY: the caller checked liveness.
        let b = unsafe { &*p };
        let left = b.header.release();
        if left > 0 {
            return Ok(left);
        }
        let closed = b.conn.close();
        // SAFETY: the last reference is gone; the pointer came from Box::into_raw.
        drop(unsafe { Box::from_raw(p) });
        closed.map(|_| 0)
    }
}

/// A domain handle: the VM as last seen, and a reference on its connection.
pub struct DomainBox {
    header: Header,
    conn: virConnectPtr,
    pub name: CString,
    pub vm: Mutex<Vm>,
}

// SAFETY: the connection pointer is a refcounted, thread-safe handle.
unsafe impl Send for DomainBox {}
unsafe impl Sync for DomainBox {}

impl Handle for DomainBox {
    const MAGIC: u64 = DOMAIN_MAGIC;
    fn header(&self) -> &Header {
        &self.header
    }
}

impl DomainBox {
    /// A new handle for `vm` holding a reference on `conn` (libvirt: a domain keeps its
    /// connection alive).
    pub fn into_raw(conn: &ConnBox, vm: Vm) -> virDomainPtr {
        conn.add_ref();
        let name = CString::new(vm.name.replace('\0', "")).unwrap_or_default();
        Box::into_raw(Box::new(DomainBox {
            header: Header::new(DOMAIN_MAGIC),
            conn: std::ptr::from_ref(conn).cast_mut(),
            name,
            vm: Mutex::new(vm),
        }))
    }

    /// # Safety
    /// As `checked`.
    pub unsafe fn from_ptr<'a>(p: virDomainPtr, api: &str) -> Result<&'a DomainBox> {
        // SAFETY: forwarded contract.
        unsafe { checked(p, || Error::new(Code::InvalidDomain, Domain::None, api)) }
    }

    pub fn conn_ptr(&self) -> virConnectPtr {
        self.conn
    }

    pub fn conn(&self) -> &ConnBox {
        // SAFETY: the domain holds a reference, so the connection outlives it.
        unsafe { &*self.conn }
    }

    pub fn add_ref(&self) {
        self.header.add_ref();
    }

    pub fn vm(&self) -> Vm {
        self.vm.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_vm(&self, vm: Vm) {
        *self.vm.lock().unwrap_or_else(|p| p.into_inner()) = vm;
    }

    /// Drops one reference; the last one frees the handle and its connection reference.
    ///
    /// # Safety
    /// `p` must be live (checked with `from_ptr`) and unused by the caller after its last reference.
    pub unsafe fn release(p: virDomainPtr) -> Result<()> {
        // SAFETY: the caller checked liveness.
        let b = unsafe { &*p };
        if b.header.release() > 0 {
            return Ok(());
        }
        let conn = b.conn;
        // SAFETY: the last reference is gone; the pointer came from Box::into_raw.
        drop(unsafe { Box::from_raw(p) });
        // SAFETY: the domain's own reference on a live connection.
        unsafe { ConnBox::release(conn) }.map(|_| ())
    }
}
