//! virNetwork* exports: the scope's switches and port groups, read in one round trip, looked
//! up, described; the handles' identity and references.

pub mod ops;

use crate::abi::flags::{ListNetworksFlags, NetworkXmlFlags, group_keeps};
use crate::abi::{VIR_UUID_BUFLEN, VIR_UUID_STRING_BUFLEN};
use crate::error::{Code, Error};
use crate::ffi::args::{flags, in_slice, in_str, names_out, out, out_slice, put_uuid_string};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, NetworkHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{virConnectPtr, virNetworkPtr};
use crate::xml::ids::Uuid;
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;
use std::sync::Arc;

const UUID_LEN: usize = VIR_UUID_BUFLEN as usize;
const UUID_STRING_LEN: usize = VIR_UUID_STRING_BUFLEN as usize;

/// How many networks the scope has (the host's standard vSwitches, and on vCenter its distributed
/// switches), all active: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfNetworks(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        Ok(c.conn.networks()?.len() as c_int)
    })
}

/// The names of the scope's networks (vSwitches and distributed switches): one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListNetworks(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let nets = c.conn.networks()?;
        let all: Vec<&str> = nets.iter().map(|n| n.name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &all)
    })
}

/// A vSwitch is active as long as it exists: none is merely defined.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedNetworks(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |_c| Ok(0))
}

/// None: every vSwitch is active while it exists, so no network is defined but inactive.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListDefinedNetworks(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |_c| names_out!(names, (maxnames, "maxnames"), &[]))
}

/// Networks matching `flags` (vSwitches are active, persistent and started automatically);
/// with `nets` non-NULL, a NULL-terminated malloc'd array of new handles. One round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `nets` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListAllNetworks(
    conn: virConnectPtr,
    nets: *mut *mut virNetworkPtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        use ListNetworksFlags as F;
        let f = flags!(flags as ListNetworksFlags)?;
        let keeps = group_keeps(f, &[(F::ACTIVE, true), (F::INACTIVE, false)])
            && group_keeps(f, &[(F::PERSISTENT, true), (F::TRANSIENT, false)])
            && group_keeps(f, &[(F::AUTOSTART, true), (F::NO_AUTOSTART, false)]);
        let all = match keeps {
            true => c.conn.networks()?,
            false => Vec::new(),
        };
        handle_array(out!(nets?), all, |net| NetworkHandle::into_c(c.network(net)))
    })
}

/// The vSwitch (or distributed switch) of this name: one round trip; VIR_ERR_NO_NETWORK if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNetworkPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let net = c.conn.network_by_name(in_str!(name)?)?;
        Ok(NetworkHandle::into_c(c.network(net)))
    })
}

/// The network with this UUID (an MD5 of the vSwitch's key, as libvirt's ESX driver makes it): one
/// round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuid` NULL or 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virNetworkPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let mut id = [0u8; UUID_LEN];
        id.copy_from_slice(in_slice!(uuid, UUID_LEN)?);
        let net = c.conn.network_by_uuid(&Uuid(id))?;
        Ok(NetworkHandle::into_c(c.network(net)))
    })
}

/// As virNetworkLookupByUUID, the UUID in text; one that does not parse is VIR_ERR_INVALID_ARG.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuidstr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virNetworkPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let uuid = Uuid::parse(in_str!(uuidstr)?).ok_or_else(|| {
            Error::invalid_arg(format!("uuidstr in {} must be a valid UUID", api_name!()))
        })?;
        let net = c.conn.network_by_uuid(&uuid)?;
        Ok(NetworkHandle::into_c(c.network(net)))
    })
}

/// The network as the host has it now: one round trip.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetXMLDesc(
    network: virNetworkPtr,
    flags: c_uint,
) -> *mut c_char {
    export!(net network, ptr::null_mut(), |n| {
        flags!(flags as NetworkXmlFlags)?;
        owned_c_string(&n.object().xml()?)
    })
}

/// The name, owned by the handle.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetName(network: virNetworkPtr) -> *const c_char {
    export!(net network, ptr::null(), |n| Ok(n.name.as_ptr()))
}

/// The network's UUID, 16 bytes; no round trip.
///
/// # Safety
/// `network` is NULL or a network from this library; `uuid` NULL or 16 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetUUID(network: virNetworkPtr, uuid: *mut c_uchar) -> c_int {
    export!(net network, -1, |n| {
        out_slice!(uuid, UUID_LEN)?.copy_from_slice(&n.net.uuid.0);
        Ok(0)
    })
}

/// The network's UUID in text; no round trip.
///
/// # Safety
/// `network` is NULL or a network from this library; `buf` NULL or VIR_UUID_STRING_BUFLEN bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetUUIDString(
    network: virNetworkPtr,
    buf: *mut c_char,
) -> c_int {
    export!(net network, -1, |n| {
        put_uuid_string(out_slice!(buf, UUID_STRING_LEN)?, &n.net.uuid);
        Ok(0)
    })
}

/// The network's connection (no new reference, as libvirt).
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetConnect(network: virNetworkPtr) -> virConnectPtr {
    export!(net network, ptr::null_mut(), |n| Ok(Arc::as_ptr(&n.conn).cast_mut()))
}

/// ESX has no host bridge device behind a vSwitch.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetBridgeName(network: virNetworkPtr) -> *mut c_char {
    export!(net network, ptr::null_mut(), |n| Err(Error::esx(
        Code::NoSupport,
        format!(
            "network '{}' has no bridge device: a vSwitch lives inside the ESX kernel",
            n.net.name
        ),
    )))
}

/// 1: a vSwitch is active while it exists.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkIsActive(network: virNetworkPtr) -> c_int {
    export!(net network, -1, |_n| Ok(1))
}

/// 1: a vSwitch persists in the host's configuration.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkIsPersistent(network: virNetworkPtr) -> c_int {
    export!(net network, -1, |_n| Ok(1))
}

/// Always 1: a host brings its vSwitches up when it starts.
///
/// # Safety
/// `network` is NULL or a network from this library; `autostart` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkGetAutostart(
    network: virNetworkPtr,
    autostart: *mut c_int,
) -> c_int {
    export!(net network, -1, |_n| {
        out!(autostart)?.set(1);
        Ok(0)
    })
}

/// Enabling is a no-op; disabling is refused, as libvirt's ESX driver refuses it.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkSetAutostart(network: virNetworkPtr, autostart: c_int) -> c_int {
    export!(net network, -1, |n| n.object().set_autostart(autostart != 0).map(|()| 0))
}

/// Takes another reference on the network handle; no round trip.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkRef(network: virNetworkPtr) -> c_int {
    export!(net network, -1, |n| {
        n.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the vSwitch is untouched).
///
/// # Safety
/// `network` is NULL or a network from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkFree(network: virNetworkPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { NetworkHandle::borrow(network, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { NetworkHandle::release(network) };
        Ok(0)
    })
}
