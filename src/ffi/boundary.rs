//! The one way into the library from C: reset the last error, check handles, catch panics,
//! record failures; plus the string conversions every export needs (malloc'd for C to free).

use super::error::{reset_last_error, set_last_error};
use super::handles::{ConnBox, DomainBox};
use super::types::{virConnectPtr, virDomainPtr};
use crate::driver::Connection;
use crate::error::{Code, Domain, Error, Result};
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs an export's body: no unwinding into C, failures become the thread's last error and
/// the function's failure value.
pub fn boundary<T>(api: &'static str, fail: T, body: impl FnOnce() -> Result<T>) -> T {
    reset_last_error();
    guarded(api, fail, None, body)
}

/// `boundary` for calls on a connection: checks the handle and also records the error there.
///
/// # Safety
/// `conn` is NULL or a pointer this library returned.
pub unsafe fn conn_boundary<T>(
    conn: virConnectPtr,
    api: &'static str,
    fail: T,
    body: impl FnOnce(&ConnBox) -> Result<T>,
) -> T {
    reset_last_error();
    // SAFETY: per the contract; NULL and stray pointers are refused.
    match unsafe { ConnBox::from_ptr(conn, api) } {
        Ok(c) => guarded(api, fail, Some(c), || body(c)),
        Err(e) => guarded(api, fail, None, || Err(e)),
    }
}

/// `boundary` for calls on a domain: checks the handle, records errors on its connection too.
///
/// # Safety
/// `dom` is NULL or a pointer this library returned.
pub unsafe fn dom_boundary<T>(
    dom: virDomainPtr,
    api: &'static str,
    fail: T,
    body: impl FnOnce(&DomainBox, &Connection) -> Result<T>,
) -> T {
    reset_last_error();
    // SAFETY: per the contract; NULL and stray pointers are refused.
    match unsafe { DomainBox::from_ptr(dom, api) } {
        Ok(d) => guarded(api, fail, Some(d.conn()), || body(d, &d.conn().conn)),
        Err(e) => guarded(api, fail, None, || Err(e)),
    }
}

/// Catches panics of `body` and records its failure (on `conn` as well, when given). The
/// failure is recorded and the error handlers run inside the boundary too, so nothing they do
/// can unwind into C.
fn guarded<T>(
    api: &'static str,
    fail: T,
    conn: Option<&ConnBox>,
    body: impl FnOnce() -> Result<T>,
) -> T {
    let run = AssertUnwindSafe(|| match body() {
        Ok(v) => Some(v),
        Err(e) => {
            set_last_error(&e, conn);
            None
        }
    });
    match catch_unwind(run) {
        Ok(Some(v)) => v,
        Ok(None) => fail,
        Err(panic) => {
            let e = panic_error(api, panic.as_ref());
            // Recording cannot panic twice: it only allocates and calls the handler.
            let _ = catch_unwind(AssertUnwindSafe(|| set_last_error(&e, conn)));
            fail
        }
    }
}

fn panic_error(api: &str, payload: &(dyn std::any::Any + Send)) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Error::new(
        Code::InternalError,
        Domain::None,
        format!("{api}: unexpected failure inside the library: {what}"),
    )
}

/// A C string argument that may be NULL.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub unsafe fn opt_str<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: NUL-terminated per the contract.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map(Some).map_err(|_| {
        Error::new(
            Code::InvalidArg,
            Domain::None,
            format!("{what} is not UTF-8"),
        )
    })
}

/// A C string argument that must be given.
///
/// # Safety
/// As `opt_str`.
pub unsafe fn req_str<'a>(p: *const c_char, what: &str, api: &str) -> Result<&'a str> {
    // SAFETY: as opt_str.
    unsafe { opt_str(p, what) }?.ok_or_else(|| {
        Error::new(
            Code::InvalidArg,
            Domain::None,
            format!("{what} in {api} must not be NULL"),
        )
    })
}

/// An output pointer that must be given.
pub fn req_out<T>(p: *mut T, what: &str, api: &str) -> Result<*mut T> {
    if p.is_null() {
        Err(Error::new(
            Code::InvalidArg,
            Domain::None,
            format!("{what} in {api} must not be NULL"),
        ))
    } else {
        Ok(p)
    }
}

/// A malloc'd copy of `s` for C to `free()`; NULL only if out of memory. Interior NULs end it.
pub fn c_string(s: &str) -> *mut c_char {
    let bytes = s.as_bytes();
    let len = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    // SAFETY: we allocate len+1 bytes, copy len bytes and terminate.
    unsafe {
        let p = libc::malloc(len + 1).cast::<u8>();
        if p.is_null() {
            return std::ptr::null_mut();
        }
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, len);
        *p.add(len) = 0;
        p.cast()
    }
}

/// `c_string` as a result, for exports returning strings that C frees.
pub fn owned_c_string(s: &str) -> Result<*mut c_char> {
    let p = c_string(s);
    if p.is_null() {
        Err(Error::new(Code::NoMemory, Domain::None, "string copy"))
    } else {
        Ok(p)
    }
}
