//! Domain XML through the C API: virDomainGetXMLDesc, defining domains from XML and
//! undefining them.

use crate::abi::flags::{DefineFlags, DomainXmlFlags, UndefineFlags};
use crate::error::Result;
use crate::ffi::args::{flags, in_str};
use crate::ffi::export::export;
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::malloc::owned_c_string;
use crate::ffi::types::{virConnectPtr, virDomainPtr};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// The domain's XML (converted from its VMX file); the caller frees it.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetXMLDesc(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |d| {
        let flags = flags!(flags as DomainXmlFlags)?;
        owned_c_string(&d.dom.domain_xml(flags)?)
    })
}

fn define(c: &ConnectHandle, xml: &str) -> Result<virDomainPtr> {
    Ok(DomainHandle::into_c(c.domain(c.conn.define_xml(xml)?)))
}

/// Flags: 0 or VIR_DOMAIN_DEFINE_VALIDATE (the XML is always parsed strictly).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDefineXMLFlags(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virDomainPtr {
    export!(conn conn, write, ptr::null_mut(), |c| {
        flags!(flags as DefineFlags)?;
        define(c, in_str!(xml)?)
    })
}

/// Defines a VM from domain XML: the converter writes its VMX into the datastore of its first disk,
/// which is registered (RegisterVM_Task) on a host of the scope; an existing VM of that name is
/// redefined in place.
///
/// # Safety
/// As virDomainDefineXMLFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virDomainPtr {
    export!(conn conn, write, ptr::null_mut(), |c| define(c, in_str!(xml)?))
}

/// Unregisters the domain; its files stay on the datastore. vSphere keeps no managed-save
/// image, snapshot or checkpoint metadata apart from the VM, so those flags need no action.
fn undefine(d: &DomainHandle, flags: UndefineFlags) -> Result<c_int> {
    d.dom.undefine(flags)?;
    Ok(0)
}

/// Unregisters the VM (UnregisterVM; its files stay on the datastore, as libvirt's ESX driver
/// does); a running VM is refused (VIR_ERR_OPERATION_INVALID), and NVRAM and TPM removal with
/// VIR_ERR_ARGUMENT_UNSUPPORTED.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainUndefineFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| undefine(d, flags!(flags as UndefineFlags)?))
}

/// As virDomainUndefineFlags with no flags.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainUndefine(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| undefine(d, UndefineFlags::empty()))
}
