//! Refcounted heap handles behind libvirt's opaque pointers, with a magic word so that NULL,
//! stray and already-freed pointers are refused with libvirt's errors instead of crashing.

use super::error::CError;
use super::types::{virConnectPtr, virErrorFunc};
use crate::driver::Connection;
use crate::error::{Code, Domain, Error, Result};
use std::ffi::c_void;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

const CONN_MAGIC: u64 = 0x7669_7243_6f6e_6e21; // "virConn!"
const DEAD: u64 = 0xdead_dead_dead_dead;

/// Per-connection error state of libvirt's deprecated `virConn*Error` API.
pub struct ConnErrors {
    pub last: CError,
    pub handler: virErrorFunc,
    pub user_data: *mut c_void,
}

// SAFETY: the raw user-data pointer is only handed back to the C handler that came with it.
unsafe impl Send for ConnErrors {}

pub struct ConnBox {
    magic: AtomicU64,
    refs: AtomicUsize,
    pub conn: Connection,
    pub errors: Mutex<ConnErrors>,
}

impl ConnBox {
    pub fn into_raw(conn: Connection) -> virConnectPtr {
        Box::into_raw(Box::new(ConnBox {
            magic: AtomicU64::new(CONN_MAGIC),
            refs: AtomicUsize::new(1),
            conn,
            errors: Mutex::new(ConnErrors {
                last: CError::empty(),
                handler: None,
                user_data: std::ptr::null_mut(),
            }),
        }))
    }

    /// Borrows a live handle. libvirt reports a bad connection pointer with the API's name.
    ///
    /// # Safety
    /// `p` is NULL or a pointer this library returned; a freed one is caught by the magic word
    /// as long as its memory was not reused.
    pub unsafe fn from_ptr<'a>(p: virConnectPtr, api: &str) -> Result<&'a ConnBox> {
        if p.is_null() || !(p as usize).is_multiple_of(std::mem::align_of::<ConnBox>()) {
            return Err(invalid_conn(api));
        }
        // SAFETY: non-null and aligned; the caller promises it came from `into_raw`.
        let b = unsafe { &*p };
        if b.magic.load(Ordering::Acquire) != CONN_MAGIC {
            return Err(invalid_conn(api));
        }
        Ok(b)
    }

    pub fn add_ref(&self) {
        self.refs.fetch_add(1, Ordering::AcqRel);
    }

    /// Drops one reference; the last one logs out and frees. Returns the references left.
    ///
    /// # Safety
    /// `p` must be live (checked with `from_ptr`) and not used by the caller after its last reference.
    pub unsafe fn release(p: virConnectPtr) -> Result<usize> {
        // SAFETY: the caller checked liveness.
        let b = unsafe { &*p };
        let left = b.refs.fetch_sub(1, Ordering::AcqRel) - 1;
        if left > 0 {
            return Ok(left);
        }
        let closed = b.conn.close();
        b.magic.store(DEAD, Ordering::Release);
        // SAFETY: the last reference is gone; the pointer came from Box::into_raw.
        drop(unsafe { Box::from_raw(p) });
        closed.map(|_| 0)
    }
}

fn invalid_conn(api: &str) -> Error {
    Error::new(Code::InvalidConn, Domain::None, api)
}
