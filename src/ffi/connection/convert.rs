//! Domain XML ⇄ native configuration through the C API: virConnectDomainXMLFromNative and
//! virConnectDomainXMLToNative ("vmware-vmx").

use crate::abi::flags::NoFlags;
use crate::ffi::args::{flags, in_bytes, in_str};
use crate::ffi::export::export;
use crate::ffi::malloc::owned_c_string;
use crate::ffi::types::virConnectPtr;
use std::ffi::{c_char, c_uint};
use std::ptr;

/// A native configuration (a VMX file, in the charset its `.encoding` names) as domain XML; the
/// caller frees it.
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
    export!(conn conn, write, ptr::null_mut(), |c| {
        let (format, config) = (in_str!(nativeFormat)?, in_bytes!(nativeConfig)?);
        flags!(flags as NoFlags)?;
        owned_c_string(&c.conn.domain_xml_from_native(format, config)?)
    })
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
    export!(conn conn, write, ptr::null_mut(), |c| {
        let (format, xml) = (in_str!(nativeFormat)?, in_str!(domainXml)?);
        flags!(flags as NoFlags)?;
        owned_c_string(&c.conn.domain_xml_to_native(format, xml)?)
    })
}
