//! The one shape every export has: its API name from the function itself, the last error reset,
//! the handle borrowed, panics caught, and failures recorded and dispatched inside the boundary.
//!
//! cbindgen reads the exports' signatures from the source, so each export stays a plain
//! `extern "C" fn` whose body is one `export!`; the macro learns the name from the compiler.

use super::error::{reset_last_error, set_last_error};
use super::handles::{
    ArcHandle, ConnectHandle, DomainHandle, InterfaceHandle, NetworkHandle, NodeDeviceHandle,
    PoolHandle, SnapshotHandle, StreamHandle, VolumeHandle,
};
use crate::error::{Code, Domain, Error, Result};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The name of the export this is expanded in (`virDomainGetInfo`), never a hand-typed string.
/// Worked out once per export: every call needs it, and a listing's thousands of handle calls
/// would each search the function's path again.
macro_rules! api_name {
    () => {{
        fn here() {}
        static NAME: ::std::sync::OnceLock<&'static str> = ::std::sync::OnceLock::new();
        *NAME.get_or_init(|| $crate::ffi::export::enclosing(::std::any::type_name_of_val(&here)))
    }};
}
pub(crate) use api_name;

/// The last path segment that names a function: `a::virX::{{closure}}::here` → `virX`.
pub fn enclosing(path: &'static str) -> &'static str {
    path.rsplit("::")
        .find(|seg| *seg != "here" && !seg.starts_with('{'))
        .unwrap_or(path)
}

/// Runs an export's body: `export!(FAIL, || …)`, `export!(conn c, FAIL, |c| …)`,
/// `export!(dom d, FAIL, |d| …)` or `export!(snap s, FAIL, |s| …)`; `write` after the handle
/// refuses the call on a read-only connection first, naming this export as libvirt's error does.
macro_rules! export {
    ($kind:ident $h:ident, write, $fail:expr, $body:expr) => {{
        let body = $crate::ffi::export::$kind($body);
        let api = $crate::ffi::export::api_name!();
        // SAFETY: every export documents its handle argument as NULL or from this library.
        unsafe {
            $crate::ffi::export::on_handle($h, api, $fail, |h| {
                $crate::ffi::export::Export::connection(h)
                    .conn
                    .check_writable(api)?;
                body(h)
            })
        }
    }};
    ($kind:ident $h:ident, $fail:expr, $body:expr) => {{
        let body = $crate::ffi::export::$kind($body);
        // SAFETY: every export documents its handle argument as NULL or from this library.
        unsafe { $crate::ffi::export::on_handle($h, $crate::ffi::export::api_name!(), $fail, body) }
    }};
    ($fail:expr, $body:expr) => {
        $crate::ffi::export::run($crate::ffi::export::api_name!(), $fail, $body)
    };
}
pub(crate) use export;

/// Gives an export's body on a connection its signature (for any borrow of the handle).
pub fn conn<T, F: FnOnce(&ConnectHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a domain its signature (for any borrow of the handle).
pub fn dom<T, F: FnOnce(&DomainHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a snapshot its signature (for any borrow of the handle).
pub fn snap<T, F: FnOnce(&SnapshotHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a storage pool its signature (for any borrow of the handle).
pub fn pool<T, F: FnOnce(&PoolHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a storage volume its signature (for any borrow of the handle).
pub fn vol<T, F: FnOnce(&VolumeHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a stream its signature (for any borrow of the handle).
pub fn stream<T, F: FnOnce(&StreamHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a network its signature (for any borrow of the handle).
pub fn net<T, F: FnOnce(&NetworkHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on an interface its signature (for any borrow of the handle).
pub fn iface<T, F: FnOnce(&InterfaceHandle) -> Result<T>>(f: F) -> F {
    f
}

/// Gives an export's body on a node device its signature (for any borrow of the handle).
pub fn nodedev<T, F: FnOnce(&NodeDeviceHandle) -> Result<T>>(f: F) -> F {
    f
}

/// A handle an export runs on: its failures are recorded on its connection as well (libvirt's
/// virConn*Error), and its connection says whether it may modify anything.
pub trait Export: ArcHandle {
    fn connection(&self) -> &ConnectHandle;
}

impl Export for ConnectHandle {
    fn connection(&self) -> &ConnectHandle {
        self
    }
}

impl Export for DomainHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for PoolHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for VolumeHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for StreamHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for NetworkHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for InterfaceHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for NodeDeviceHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.conn
    }
}

impl Export for SnapshotHandle {
    fn connection(&self) -> &ConnectHandle {
        &self.dom.conn
    }
}

/// An export without a handle.
pub fn run<T>(api: &'static str, fail: T, body: impl FnOnce() -> Result<T>) -> T {
    reset_last_error();
    guarded(api, fail, None, body)
}

/// An export on a handle: NULL and misaligned pointers are refused with the handle's error.
///
/// # Safety
/// `p` is NULL or a live handle of type `H` from this library.
pub unsafe fn on_handle<H: Export, T>(
    p: *mut H,
    api: &'static str,
    fail: T,
    body: impl FnOnce(&H) -> Result<T>,
) -> T {
    reset_last_error();
    // SAFETY: per the contract.
    match unsafe { H::borrow(p, api) } {
        Ok(h) => {
            // A reference of the call's own: whatever the call releases (a deregistration
            // dropping the last reference a registration held, say), the handle and its
            // connection live until the call is over. It goes last, outside every lock.
            let held = h.arc();
            let result = guarded(api, fail, Some(held.connection()), || body(&held));
            drop(held);
            result
        }
        Err(e) => guarded(api, fail, None, || Err(e)),
    }
}

/// Catches panics of `body` and records its failure (on `conn` as well, when given). Recording
/// and the error handlers run inside the boundary too, so nothing they do unwinds into C.
fn guarded<T>(
    api: &'static str,
    fail: T,
    conn: Option<&ConnectHandle>,
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

/// libvirt's error for a NULL argument that must be given.
pub fn null_arg(what: &str, api: &str) -> Error {
    Error::new(
        Code::InvalidArg,
        Domain::None,
        format!("{what} in {api} must not be NULL"),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_name_is_the_enclosing_function() {
        fn virDomainSample() -> &'static str {
            api_name!()
        }
        fn virDomainInClosure() -> &'static str {
            let name = || api_name!();
            name()
        }
        assert_eq!(virDomainSample(), "virDomainSample");
        assert_eq!(virDomainInClosure(), "virDomainInClosure");
    }
}
