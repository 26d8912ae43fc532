//! Opening, referencing and closing connections, and the connection's own facts (type,
//! versions, URI, encryption, liveness).

use super::auth::CAuth;
use super::boundary::{boundary, conn_boundary, opt_str, owned_c_string, req_out};
use super::handles::ConnBox;
use super::types::{LIBVIR_VERSION_NUMBER, virConnectAuthPtr, virConnectPtr};
use crate::driver::Connection;
use crate::driver::auth::Authenticator;
use crate::driver::check_flags;
use crate::error::{Code, Domain, Error};
use std::ffi::{c_char, c_int, c_longlong, c_uint, c_ulong};
use std::ptr;

const VIR_CONNECT_RO: u32 = 1;
const VIR_CONNECT_NO_ALIASES: u32 = 2;

/// # Safety
/// `name` is NULL or a NUL-terminated string; `auth` is NULL or a valid `virConnectAuth`.
unsafe fn open(
    api: &'static str,
    name: *const c_char,
    auth: virConnectAuthPtr,
    flags: c_uint,
) -> virConnectPtr {
    boundary(api, ptr::null_mut(), || {
        check_flags(flags, VIR_CONNECT_RO | VIR_CONNECT_NO_ALIASES, api)?;
        // SAFETY: per the contract.
        let given = unsafe { opt_str(name, "URI") }?.map(str::to_string);
        let uri = given.or_else(Connection::default_uri).ok_or_else(|| {
            Error::new(
                Code::InvalidArg,
                Domain::None,
                "no connection URI given and LIBVIRT_DEFAULT_URI is not set: name an esx://, \
                 gsx:// or vpx:// URI",
            )
        })?;
        let cauth = (!auth.is_null()).then_some(CAuth(auth));
        let authenticator = cauth.as_ref().map(|a| a as &dyn Authenticator);
        let conn = Connection::open(&uri, authenticator, flags & VIR_CONNECT_RO != 0)?;
        Ok(ConnBox::into_raw(conn))
    })
}

/// Opens a connection; credentials come from the URI and auth.conf only.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectOpen(name: *const c_char) -> virConnectPtr {
    // SAFETY: forwarded contract.
    unsafe { open("virConnectOpen", name, ptr::null_mut(), 0) }
}

/// Opens a connection on which every modifying call fails with VIR_ERR_OPERATION_DENIED.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectOpenReadOnly(name: *const c_char) -> virConnectPtr {
    // SAFETY: forwarded contract.
    unsafe {
        open(
            "virConnectOpenReadOnly",
            name,
            ptr::null_mut(),
            VIR_CONNECT_RO,
        )
    }
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
    // SAFETY: forwarded contract.
    unsafe { open("virConnectOpenAuth", name, auth, flags) }
}

/// Drops a reference; the last one logs out. Returns the references left, or -1.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectClose(conn: virConnectPtr) -> c_int {
    boundary("virConnectClose", -1, || {
        // SAFETY: checked here, released once.
        unsafe {
            ConnBox::from_ptr(conn, "virConnectClose")?;
            ConnBox::release(conn).map(|left| left as c_int)
        }
    })
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectRef(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectRef", -1, |c| {
            c.add_ref();
            Ok(0)
        })
    }
}

/// Always "ESX", as libvirt's ESX driver answers for esx, gsx and vpx alike.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetType(conn: virConnectPtr) -> *const c_char {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectGetType", ptr::null(), |_| {
            Ok(c"ESX".as_ptr())
        })
    }
}

/// The server's product version (major·1,000,000 + minor·1,000 + micro).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `hvVer` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetVersion(conn: virConnectPtr, hvVer: *mut c_ulong) -> c_int {
    // SAFETY: the boundary checks the handle; the output is checked and written on success.
    unsafe {
        conn_boundary(conn, "virConnectGetVersion", -1, |c| {
            let out = req_out(hvVer, "hvVer", "virConnectGetVersion")?;
            let v = c.conn.version()?;
            *out = v as c_ulong;
            Ok(0)
        })
    }
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
    // SAFETY: as virConnectGetVersion.
    unsafe {
        conn_boundary(conn, "virConnectGetLibVersion", -1, |_| {
            *req_out(libVer, "libVer", "virConnectGetLibVersion")? = LIBVIR_VERSION_NUMBER;
            Ok(0)
        })
    }
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
    boundary("virGetVersion", -1, || {
        // SAFETY: per the contract.
        let kind = unsafe { opt_str(r#type, "type") }?;
        if let Some(k) = kind
            && !["ESX", "esx", "gsx", "vpx", "VMware"].contains(&k)
        {
            return Err(Error::new(
                Code::NoSupport,
                Domain::None,
                format!("virGetVersion: this library has no '{k}' driver, only ESX"),
            ));
        }
        if !libVer.is_null() {
            // SAFETY: writable per the contract.
            unsafe { *libVer = LIBVIR_VERSION_NUMBER };
        }
        if kind.is_some() && !typeVer.is_null() {
            // SAFETY: writable per the contract.
            unsafe { *typeVer = LIBVIR_VERSION_NUMBER };
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
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectGetURI", ptr::null_mut(), |c| {
            owned_c_string(&c.conn.spec.uri)
        })
    }
}

/// 1 when the connection uses HTTPS.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsEncrypted(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectIsEncrypted", -1, |c| {
            Ok(c.conn.is_encrypted() as c_int)
        })
    }
}

/// 1 when the connection uses HTTPS (the only channel; nothing runs locally).
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsSecure(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectIsSecure", -1, |c| {
            Ok(c.conn.is_encrypted() as c_int)
        })
    }
}

/// 1 while the connection is open and logged in.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectIsAlive(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectIsAlive", -1, |c| {
            Ok(c.conn.is_alive() as c_int)
        })
    }
}

/// libvirt_esx's own extension: SOAP and HTTP requests this connection has sent so far, so
/// callers and tests can check round-trip budgets. -1 on a bad handle.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEsxConnectGetRoundTrips(conn: virConnectPtr) -> c_longlong {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virEsxConnectGetRoundTrips", -1, |c| {
            Ok(c.conn.round_trips() as c_longlong)
        })
    }
}
