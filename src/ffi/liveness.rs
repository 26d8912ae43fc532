//! virConnectSetKeepAlive and the close callback exports (see `driver::liveness`).

use crate::error::Error;
use crate::ffi::event::Held;
use crate::ffi::export::export;
use crate::ffi::types::{virConnectCloseFunc, virConnectPtr, virFreeCallback};
use std::ffi::{c_int, c_uint, c_void};

/// A CurrentTime request every `interval` seconds the connection is otherwise idle; `count`
/// failures in a row close it (reason KEEPALIVE). `interval` ≤ 0 turns keepalive off. Needs
/// a registered event loop, which delivers the close callback.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectSetKeepAlive(
    conn: virConnectPtr,
    interval: c_int,
    count: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        c.conn.set_keepalive(interval, count)?;
        Ok(0)
    })
}

/// One close callback per connection; as in libvirt it holds a reference on the connection
/// until it is unregistered or has run.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `freecb` NULL or a function freeing
/// `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectRegisterCloseCallback(
    conn: virConnectPtr,
    cb: virConnectCloseFunc,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectRegisterCloseCallback must not be NULL"))?;
        let held = Held::new(c, opaque, freecb);
        c.conn.liveness().register_close_callback(
            cb as usize,
            Box::new(move |reason| {
                // SAFETY: the application's callback for this opaque pointer, with the
                // connection reference this registration holds.
                held.with_conn(|_, connp| unsafe { cb(connp, reason, held.ptr()) })
            }),
        )?;
        Ok(0)
    })
}

/// Removes the connection's close callback (its opaque data freed) and the reference it held; -1
/// when `cb` is not the one registered.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectUnregisterCloseCallback(
    conn: virConnectPtr,
    cb: virConnectCloseFunc,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectUnregisterCloseCallback must not be NULL"))?;
        c.conn.liveness().unregister_close_callback(cb as usize)?;
        Ok(0)
    })
}
