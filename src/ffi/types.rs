//! libvirt's public C structs and handle typedefs with their exact layouts (LP64 sizes are
//! checked by a C test against these definitions).

#![allow(non_camel_case_types, non_snake_case)]

use super::handles::ConnBox;
use std::ffi::{c_char, c_int, c_uint, c_ulong, c_void};

/// libvirt's connection object, opaque to C (cbindgen names it `struct _virConnect`).
pub type virConnect = ConnBox;
pub type virConnectPtr = *mut virConnect;

/// A domain handle; domains arrive with the domain API, the type is part of virError.
pub struct _virDomain {
    _private: [u8; 0],
}
pub type virDomain = _virDomain;
pub type virDomainPtr = *mut virDomain;

/// A network handle; see `_virDomain`.
pub struct _virNetwork {
    _private: [u8; 0],
}
pub type virNetwork = _virNetwork;
pub type virNetworkPtr = *mut virNetwork;

#[repr(C)]
pub struct _virConnectCredential {
    pub r#type: c_int,
    pub prompt: *const c_char,
    pub challenge: *const c_char,
    pub defresult: *const c_char,
    pub result: *mut c_char,
    pub resultlen: c_uint,
}
pub type virConnectCredential = _virConnectCredential;
pub type virConnectCredentialPtr = *mut virConnectCredential;

pub type virConnectAuthCallbackPtr = Option<
    unsafe extern "C" fn(
        cred: virConnectCredentialPtr,
        ncred: c_uint,
        cbdata: *mut c_void,
    ) -> c_int,
>;

#[repr(C)]
pub struct _virConnectAuth {
    pub credtype: *mut c_int,
    pub ncredtype: c_uint,
    pub cb: virConnectAuthCallbackPtr,
    pub cbdata: *mut c_void,
}
pub type virConnectAuth = _virConnectAuth;
pub type virConnectAuthPtr = *mut virConnectAuth;

#[repr(C)]
pub struct _virError {
    pub code: c_int,
    pub domain: c_int,
    pub message: *mut c_char,
    pub level: c_int,
    pub conn: virConnectPtr,
    pub dom: virDomainPtr,
    pub str1: *mut c_char,
    pub str2: *mut c_char,
    pub str3: *mut c_char,
    pub int1: c_int,
    pub int2: c_int,
    pub net: virNetworkPtr,
}
pub type virError = _virError;
pub type virErrorPtr = *mut virError;

pub type virErrorFunc = Option<unsafe extern "C" fn(userData: *mut c_void, error: virErrorPtr)>;

#[repr(C)]
pub struct _virNodeInfo {
    pub model: [c_char; 32],
    pub memory: c_ulong,
    pub cpus: c_uint,
    pub mhz: c_uint,
    pub nodes: c_uint,
    pub sockets: c_uint,
    pub cores: c_uint,
    pub threads: c_uint,
}
pub type virNodeInfo = _virNodeInfo;
pub type virNodeInfoPtr = *mut virNodeInfo;

pub const VIR_UUID_BUFLEN: c_int = 16;
pub const VIR_UUID_STRING_BUFLEN: c_int = 37;
pub const VIR_TYPED_PARAM_FIELD_LENGTH: c_int = 80;
pub const LIBVIR_VERSION_NUMBER: c_ulong = 11_003_000;
