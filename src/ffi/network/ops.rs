//! virNetwork* exports that change networks: define and undefine a host's vSwitch, update its
//! port groups; start and stop, which a vSwitch has not, refused with the reason.

use crate::abi::flags::{NetworkDefineFlags, NetworkUpdateFlags};
use crate::error::{Code, Error, Result};
use crate::ffi::args::{flags, in_str};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, NetworkHandle};
use crate::ffi::types::{virConnectPtr, virNetworkPtr};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

fn define(c: &ConnectHandle, xml: &str) -> Result<virNetworkPtr> {
    let net = c.conn.define_network(xml, api_name!())?;
    Ok(NetworkHandle::into_c(c.network(net)))
}

/// A new standard vSwitch on the connection's host, with its uplinks and port groups.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virNetworkPtr {
    export!(conn conn, write, ptr::null_mut(), |c| define(c, in_str!(xml)?))
}

/// As virNetworkDefineXML; the XML is always checked in full, so VALIDATE changes nothing.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkDefineXMLFlags(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virNetworkPtr {
    export!(conn conn, write, ptr::null_mut(), |c| {
        flags!(flags as NetworkDefineFlags)?;
        define(c, in_str!(xml)?)
    })
}

/// Removes the vSwitch and its port groups; refused while VMs or the host use one.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkUndefine(network: virNetworkPtr) -> c_int {
    export!(net network, write, -1, |n| {
        n.object().undefine(api_name!())?;
        Ok(0)
    })
}

/// The portgroup section, one `<portgroup>` at a time; a vSwitch's live state is its
/// definition, so LIVE and CONFIG are one change. Other sections have no vSwitch counterpart.
///
/// # Safety
/// `network` is NULL or a network from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkUpdate(
    network: virNetworkPtr,
    command: c_uint,
    section: c_uint,
    _parent_index: c_int,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(net network, -1, |n| {
        flags!(flags as NetworkUpdateFlags)?;
        let xml = in_str!(xml)?;
        n.object().update(command, section, xml, api_name!())?;
        Ok(0)
    })
}

fn always_active(name: &str) -> Error {
    Error::esx(
        Code::NoSupport,
        format!(
            "network '{name}' cannot be started or stopped: a vSwitch runs as long as it exists"
        ),
    )
}

/// Refused with VIR_ERR_NO_SUPPORT: a vSwitch is active while it exists.
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkCreate(network: virNetworkPtr) -> c_int {
    export!(net network, write, -1, |n| Err(always_active(&n.net.name)))
}

/// Refused with VIR_ERR_NO_SUPPORT: a vSwitch is active while it exists (virNetworkUndefine removes
/// it).
///
/// # Safety
/// `network` is NULL or a network from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNetworkDestroy(network: virNetworkPtr) -> c_int {
    export!(net network, write, -1, |n| Err(always_active(&n.net.name)))
}
