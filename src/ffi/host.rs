//! Host facts through the C API: node info, free memory, hostname, capabilities, sysinfo and
//! the maximum vCPUs of a guest.

use super::args::{flags, in_opt_str, out};
use super::export::export;
use super::malloc::owned_c_string;
use super::types::{virConnectPtr, virNodeInfo, virNodeInfoPtr};
use crate::abi::flags::NoFlags;
use crate::error::{Code, Domain, Error};
use std::ffi::{c_char, c_int, c_uint, c_ulong, c_ulonglong};
use std::ptr;

/// # Safety
/// `conn` is NULL or a connection from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    export!(conn conn, -1, |c| {
        let out = out!(info)?;
        let n = c.conn.node_info()?;
        let mut model = [0 as c_char; 32];
        for (dst, src) in model.iter_mut().zip(n.model.bytes().take(31)) {
            *dst = src as c_char;
        }
        out.set(virNodeInfo {
            model,
            memory: n.memory_kib as c_ulong,
            cpus: n.cpus,
            mhz: n.mhz,
            nodes: n.nodes,
            sockets: n.sockets,
            cores: n.cores,
            threads: n.threads,
        });
        Ok(0)
    })
}

/// Free host memory in bytes; 0 on error, as libvirt.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetFreeMemory(conn: virConnectPtr) -> c_ulonglong {
    export!(conn conn, 0, |c| c.conn.free_memory())
}

/// The host's DNS name; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| owned_c_string(&c.conn.hostname()?))
}

/// The capabilities XML; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        owned_c_string(&c.conn.capabilities_xml()?)
    })
}

/// SMBIOS-style sysinfo XML of the host's hardware; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetSysinfo(conn: virConnectPtr, flags: c_uint) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        flags!(flags as NoFlags)?;
        owned_c_string(&c.conn.sysinfo_xml()?)
    })
}

/// The most vCPUs a guest may have on this host; `type` may be NULL, "vmware" or "esx".
///
/// # Safety
/// `conn` is NULL or a connection from this library; `type` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetMaxVcpus(
    conn: virConnectPtr,
    r#type: *const c_char,
) -> c_int {
    export!(conn conn, -1, |c| {
        if let Some(t) = in_opt_str!(r#type)?
            && !t.eq_ignore_ascii_case("vmware")
            && !t.eq_ignore_ascii_case("esx")
        {
            return Err(Error::new(
                Code::InvalidArg,
                Domain::Esx,
                format!("unknown guest type '{t}' (should be vmware)"),
            ));
        }
        Ok(c.conn.max_vcpus()? as c_int)
    })
}
