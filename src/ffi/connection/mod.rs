//! Opening, referencing and closing connections, and the connection's own facts (type,
//! versions, URI, encryption, liveness).

pub mod auth;
pub mod convert;
pub mod cpu;
pub mod domains;
pub mod host;

use super::args::{flags, in_opt_str, out};
use super::export::{api_name, export};
use super::handles::{ArcHandle, ConnectHandle};
use super::malloc::owned_c_string;
use super::types::{virConnectAuthPtr, virConnectPtr};
use crate::abi::LIBVIR_VERSION_NUMBER;
use crate::abi::flags::ConnectFlags;
use crate::driver::Connection;
use crate::driver::connection::auth::Authenticator;
use crate::error::{Code, Domain, Error, Result};
use auth::{CAuth, SavedAuth};
use std::ffi::{c_char, c_int, c_longlong, c_uint, c_ulong};
use std::ptr;

/// What every open does once its arguments are read.
fn open(uri: Option<&str>, auth: virConnectAuthPtr, flags: ConnectFlags) -> Result<virConnectPtr> {
    let uri = Connection::resolve_uri(uri, !flags.contains(ConnectFlags::NO_ALIASES))?;
    let cauth = (!auth.is_null()).then_some(CAuth(auth));
    let authenticator = cauth.as_ref().map(|a| a as &dyn Authenticator);
    let conn = Connection::open(&uri, authenticator, flags.contains(ConnectFlags::RO))?;
    Ok(ConnectHandle::into_c(ConnectHandle::new(
        conn,
        // SAFETY: `auth` is the open call's own argument, NULL or valid during the call.
        unsafe { SavedAuth::save(auth) },
    )))
}

/// Opens a connection; credentials come from the URI and auth.conf only.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectOpen(name: *const c_char) -> virConnectPtr {
    export!(ptr::null_mut(), || open(
        in_opt_str!(name)?,
        ptr::null_mut(),
        ConnectFlags::empty()
    ))
}

/// Opens a connection on which every modifying call fails with VIR_ERR_OPERATION_DENIED.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    export!(ptr::null_mut(), || open(
        in_opt_str!(name)?,
        ptr::null_mut(),
        ConnectFlags::RO
    ))
}

/// Opens a connection, asking `auth`'s callback for what the URI and auth.conf do not give.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `auth` is NULL or a valid `virConnectAuth`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectOpenAuth(
    name: *const c_char,
    auth: virConnectAuthPtr,
    flags: c_uint,
) -> virConnectPtr {
    export!(ptr::null_mut(), || {
        let flags = flags!(flags as ConnectFlags)?;
        open(in_opt_str!(name)?, auth, flags)
    })
}

/// Drops a reference; the last one logs out. Returns the references left, or -1.
///
/// # Safety
/// `conn` is NULL or a connection from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectClose(conn: virConnectPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        let c = unsafe { ConnectHandle::borrow(conn, api_name!()) }?;
        // The last reference reports a failed logout, which the drop would swallow.
        let closed = if c.refs() == 1 {
            c.conn.close()
        } else {
            Ok(())
        };
        // SAFETY: the caller's reference, given up here; `c` is not used after this.
        let left = unsafe { ConnectHandle::release(conn) };
        closed.map(|_| left as c_int)
    })
}

/// Takes another reference on the connection (as libvirt: virConnectClose drops it); no round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectRef(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        c.add_ref();
        Ok(0)
    })
}

/// Always "ESX", as libvirt's ESX driver answers for esx, gsx and vpx alike.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    export!(conn conn, ptr::null(), |_| Ok(c"ESX".as_ptr()))
}

/// The server's product version (major·1,000,000 + minor·1,000 + micro).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `hvVer` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetVersion(conn: virConnectPtr, hvVer: *mut c_ulong) -> c_int {
    export!(conn conn, -1, |c| {
        let out = out!(hvVer)?;
        out.set(c.conn.version()? as c_ulong);
        Ok(0)
    })
}

/// The libvirt API version this library implements.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `libVer` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetLibVersion(
    conn: virConnectPtr,
    libVer: *mut c_ulong,
) -> c_int {
    export!(conn conn, -1, |_| {
        out!(libVer)?.set(LIBVIR_VERSION_NUMBER);
        Ok(0)
    })
}

/// The library's libvirt API version, and for type NULL, "ESX", "esx", "gsx" or "vpx" the same
/// number as the hypervisor-driver version (libvirt reports its own version for drivers too).
///
/// # Safety
/// Pointers are NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virGetVersion(
    libVer: *mut c_ulong,
    r#type: *const c_char,
    typeVer: *mut c_ulong,
) -> c_int {
    export!(-1, || {
        let kind = in_opt_str!(r#type)?;
        if let Some(k) = kind
            && !["ESX", "esx", "gsx", "vpx", "VMware"].contains(&k)
        {
            return Err(Error::new(
                Code::NoSupport,
                Domain::None,
                format!("virGetVersion: this library has no '{k}' driver, only ESX"),
            ));
        }
        if let Some(out) = out!(libVer?) {
            out.set(LIBVIR_VERSION_NUMBER);
        }
        if let (Some(_), Some(out)) = (kind, out!(typeVer?)) {
            out.set(LIBVIR_VERSION_NUMBER);
        }
        Ok(0)
    })
}

/// The URI the connection was opened with; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetURI(conn: virConnectPtr) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| owned_c_string(c.conn.uri()))
}

/// 1 when the connection uses HTTPS.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| Ok(c.conn.is_encrypted() as c_int))
}

/// 1 when the connection uses HTTPS (the only channel; nothing runs locally).
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| Ok(c.conn.is_encrypted() as c_int))
}

/// 1 while the connection is open and logged in.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| Ok(c.conn.is_alive() as c_int))
}

/// libvirt_esx's own extension: SOAP and HTTP requests this connection has sent so far, so
/// callers and tests can check round-trip budgets. -1 on a bad handle.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEsxConnectGetRoundTrips(conn: virConnectPtr) -> c_longlong {
    export!(conn conn, -1, |c| Ok(c.conn.round_trips() as c_longlong))
}

/// libvirt_esx's own extension: how many connection and domain handles are alive in the
/// process (each virConnectOpen*, lookup and listed domain adds one; the last Close or Free of
/// it removes it), so that programs and tests can check that they free what they are given.
#[unsafe(no_mangle)]
pub extern "C" fn virEsxGetLiveHandles() -> c_longlong {
    export!(-1, || Ok(super::handles::live_handles() as c_longlong))
}
