//! Domain XML through the C API: virDomainGetXMLDesc, defining domains from XML and
//! undefining them.

use super::boundary::{conn_boundary, dom_boundary, owned_c_string, req_str};
use super::handles::DomainBox;
use super::types::{virConnectPtr, virDomainPtr};
use crate::driver::check_flags;
use crate::driver::domain::xml::{XML_INACTIVE, XML_MIGRATABLE, XML_SECURE};
use crate::error::{Code, Error};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// `virDomainUndefineFlagsValues` that need no action: vSphere keeps no managed-save image,
/// snapshot or checkpoint metadata apart from the VM, and the files stay anyway.
const UNDEFINE_HARMLESS: c_uint = 1 | 2 | 8 | 16 | 64;
const UNDEFINE_NVRAM: c_uint = 4;
const UNDEFINE_TPM: c_uint = 32;

/// The domain's XML (converted from its VMX file); the caller frees it.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetXMLDesc(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetXMLDesc", ptr::null_mut(), |d, conn| {
            check_flags(
                flags,
                XML_SECURE | XML_INACTIVE | XML_MIGRATABLE,
                "virDomainGetXMLDesc",
            )?;
            owned_c_string(&conn.domain_xml(&d.vm(), flags)?)
        })
    }
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
    // SAFETY: the boundary checks the handle; the string per the contract.
    unsafe {
        conn_boundary(conn, "virDomainDefineXMLFlags", ptr::null_mut(), |c| {
            check_flags(flags, 1, "virDomainDefineXMLFlags")?;
            let xml = req_str(xml, "xml", "virDomainDefineXML")?;
            Ok(DomainBox::into_raw(c, c.conn.define_xml(xml)?))
        })
    }
}

/// # Safety
/// As virDomainDefineXMLFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
) -> virDomainPtr {
    // SAFETY: forwarded contract.
    unsafe { virDomainDefineXMLFlags(conn, xml, 0) }
}

/// Unregisters the domain; its files stay on the datastore.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainUndefineFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainUndefineFlags", -1, |d, conn| {
            if flags & (UNDEFINE_NVRAM | UNDEFINE_TPM) != 0 {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    "undefine keeps the VM's files on the datastore; removing NVRAM or TPM \
                     state is not supported",
                ));
            }
            check_flags(flags, UNDEFINE_HARMLESS, "virDomainUndefineFlags")?;
            conn.undefine(&d.vm())?;
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainUndefine(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { virDomainUndefineFlags(domain, 0) }
}
