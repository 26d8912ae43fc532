//! Domain XML ⇄ native configuration through the C API: virConnectDomainXMLFromNative and
//! virConnectDomainXMLToNative ("vmware-vmx").

use super::boundary::{conn_boundary, owned_c_string, req_str};
use super::types::virConnectPtr;
use crate::driver::check_flags;
use std::ffi::{c_char, c_uint};
use std::ptr;

/// A native configuration (a VMX file) as domain XML; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library; the strings NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainXMLFromNative(
    conn: virConnectPtr,
    nativeFormat: *const c_char,
    nativeConfig: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    const API: &str = "virConnectDomainXMLFromNative";
    // SAFETY: the boundary checks the handle; the strings per the contract.
    unsafe {
        conn_boundary(conn, API, ptr::null_mut(), |c| {
            let format = req_str(nativeFormat, "nativeFormat", API)?;
            let config = req_str(nativeConfig, "nativeConfig", API)?;
            check_flags(flags, 0, API)?;
            owned_c_string(&c.conn.domain_xml_from_native(format, config)?)
        })
    }
}

/// Domain XML as a native configuration (a VMX file); the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library; the strings NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainXMLToNative(
    conn: virConnectPtr,
    nativeFormat: *const c_char,
    domainXml: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    const API: &str = "virConnectDomainXMLToNative";
    // SAFETY: the boundary checks the handle; the strings per the contract.
    unsafe {
        conn_boundary(conn, API, ptr::null_mut(), |c| {
            let format = req_str(nativeFormat, "nativeFormat", API)?;
            let xml = req_str(domainXml, "domainXml", API)?;
            check_flags(flags, 0, API)?;
            owned_c_string(&c.conn.domain_xml_to_native(format, xml)?)
        })
    }
}
