//! virInterface* exports: the host's physical NICs, read in one round trip, looked up,
//! described; the handles' identity and references; the changes vSphere does not make.

use crate::abi::flags::{InterfaceXmlFlags, ListInterfacesFlags, group_keeps};
use crate::error::{Code, Error};
use crate::ffi::args::{flags, in_str, names_out, out};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, InterfaceHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{virConnectPtr, virInterfacePtr};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;
use std::sync::Arc;

/// How many of the host's physical NICs have their link up: one round trip (a scope above one host
/// refuses it).
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfInterfaces(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        let all = c.conn.interfaces(api_name!())?;
        Ok(all.iter().filter(|i| i.link_up).count() as c_int)
    })
}

/// The NICs whose link is up (libvirt's active interfaces).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListInterfaces(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let all = c.conn.interfaces(api_name!())?;
        let up: Vec<&str> = all.iter().filter(|i| i.link_up).map(|i| i.name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &up)
    })
}

/// The NICs whose link is down.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedInterfaces(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        let all = c.conn.interfaces(api_name!())?;
        Ok(all.iter().filter(|i| !i.link_up).count() as c_int)
    })
}

/// The names of the host's physical NICs whose link is down: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListDefinedInterfaces(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let all = c.conn.interfaces(api_name!())?;
        let down: Vec<&str> = all.iter().filter(|i| !i.link_up).map(|i| i.name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &down)
    })
}

/// The host's physical NICs as interfaces, filtered by VIR_CONNECT_LIST_INTERFACES_ACTIVE (link up)
/// or INACTIVE: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `ifaces` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListAllInterfaces(
    conn: virConnectPtr,
    ifaces: *mut *mut virInterfacePtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        use ListInterfacesFlags as F;
        let f = flags!(flags as ListInterfacesFlags)?;
        let all: Vec<_> = c
            .conn
            .interfaces(api_name!())?
            .into_iter()
            .filter(|i| group_keeps(f, &[(F::ACTIVE, i.link_up), (F::INACTIVE, !i.link_up)]))
            .collect();
        handle_array(out!(ifaces?), all, |iface| {
            InterfaceHandle::into_c(c.interface(iface))
        })
    })
}

/// By device name (`vmnic0`), which libvirt's ESX driver means to do.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virInterfacePtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let iface = c.conn.interface_by_name(in_str!(name)?, api_name!())?;
        Ok(InterfaceHandle::into_c(c.interface(iface)))
    })
}

/// The host's physical NIC with this MAC address, in any case: one round trip; VIR_ERR_NO_INTERFACE
/// if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `macstr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceLookupByMACString(
    conn: virConnectPtr,
    macstr: *const c_char,
) -> virInterfacePtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let iface = c.conn.interface_by_mac(in_str!(macstr)?, api_name!())?;
        Ok(InterfaceHandle::into_c(c.interface(iface)))
    })
}

/// The NIC as the host has it now: one round trip.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceGetXMLDesc(
    iface: virInterfacePtr,
    flags: c_uint,
) -> *mut c_char {
    export!(iface iface, ptr::null_mut(), |i| {
        let f = flags!(flags as InterfaceXmlFlags)?;
        let inactive = f.contains(InterfaceXmlFlags::INACTIVE);
        owned_c_string(&i.object().xml(inactive, api_name!())?)
    })
}

/// The device name, owned by the handle.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceGetName(iface: virInterfacePtr) -> *const c_char {
    export!(iface iface, ptr::null(), |i| Ok(i.name.as_ptr()))
}

/// The MAC address as the host reports it, owned by the handle.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceGetMACString(iface: virInterfacePtr) -> *const c_char {
    export!(iface iface, ptr::null(), |i| Ok(i.mac.as_ptr()))
}

/// The interface's connection (no new reference, as libvirt).
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceGetConnect(iface: virInterfacePtr) -> virConnectPtr {
    export!(iface iface, ptr::null_mut(), |i| Ok(Arc::as_ptr(&i.conn).cast_mut()))
}

/// Whether the NIC's link is up, as of its read.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceIsActive(iface: virInterfacePtr) -> c_int {
    export!(iface iface, -1, |i| Ok(i.iface.link_up as c_int))
}

/// Takes another reference on the interface handle; no round trip.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceRef(iface: virInterfacePtr) -> c_int {
    export!(iface iface, -1, |i| {
        i.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the NIC is untouched).
///
/// # Safety
/// `iface` is NULL or an interface from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceFree(iface: virInterfacePtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { InterfaceHandle::borrow(iface, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { InterfaceHandle::release(iface) };
        Ok(0)
    })
}

fn hardware(what: &str) -> Error {
    Error::esx(
        Code::NoSupport,
        format!("{what} is not supported: interfaces are the host's physical NICs"),
    )
}

/// Refused with VIR_ERR_NO_SUPPORT: interfaces are the host's physical NICs.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virInterfacePtr {
    export!(conn conn, write, ptr::null_mut(), |_c| {
        let _ = (in_str!(xml)?, flags);
        Err(hardware("Defining an interface"))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: interfaces are the host's physical NICs.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceUndefine(iface: virInterfacePtr) -> c_int {
    export!(iface iface, write, -1, |_i| Err(hardware("Undefining an interface")))
}

/// Refused with VIR_ERR_NO_SUPPORT: a physical NIC's link is the cable's.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceCreate(iface: virInterfacePtr, flags: c_uint) -> c_int {
    export!(iface iface, write, -1, |_i| {
        let _ = flags;
        Err(hardware("Starting an interface"))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: a physical NIC's link is the cable's.
///
/// # Safety
/// `iface` is NULL or an interface from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceDestroy(iface: virInterfacePtr, flags: c_uint) -> c_int {
    export!(iface iface, write, -1, |_i| {
        let _ = flags;
        Err(hardware("Stopping an interface"))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: vSphere has no interface change transactions.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceChangeBegin(conn: virConnectPtr, flags: c_uint) -> c_int {
    export!(conn conn, write, -1, |_c| {
        let _ = flags;
        Err(hardware("An interface change transaction"))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: vSphere has no interface change transactions.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceChangeCommit(conn: virConnectPtr, flags: c_uint) -> c_int {
    export!(conn conn, write, -1, |_c| {
        let _ = flags;
        Err(hardware("An interface change transaction"))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: vSphere has no interface change transactions.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virInterfaceChangeRollback(conn: virConnectPtr, flags: c_uint) -> c_int {
    export!(conn conn, write, -1, |_c| {
        let _ = flags;
        Err(hardware("An interface change transaction"))
    })
}
