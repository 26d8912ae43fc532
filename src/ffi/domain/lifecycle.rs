//! virDomainCreateXML, managed save, rename and metadata exports, and the client-file save and
//! restore calls vSphere has no counterpart for (refused, pointing at managed save).

use crate::abi::enums::virDomainMetadataType as Meta;
use crate::abi::flags::{AffectFlags, CreateXmlFlags, ManagedSaveFlags, NoFlags};
use crate::error::{Code, Error, Result};
use crate::ffi::args::{flags, in_opt_str, in_str};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, DomainHandle};
use crate::ffi::malloc::owned_c_string;
use crate::ffi::types::{virConnectPtr, virDomainDiskErrorPtr, virDomainPtr};
use crate::xml::metadata::Metadata;
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// A new domain, defined and started (VMware keeps it defined: it has no transient VMs).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreateXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virDomainPtr {
    export!(conn conn, write, ptr::null_mut(), |c| {
        let f = flags!(flags as CreateXmlFlags)?;
        if f.contains(CreateXmlFlags::AUTODESTROY) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "VMware has no transient domains to destroy when the connection closes",
            ));
        }
        let vm = c
            .conn
            .create_xml(in_str!(xml)?, f.contains(CreateXmlFlags::PAUSED))?;
        Ok(DomainHandle::into_c(c.domain(vm)))
    })
}

fn no_client_files(api: &str) -> Error {
    Error::esx(
        Code::NoSupport,
        format!(
            "{api}: a VM's memory is saved to its own files on the datastore, not to a client \
             file; use virDomainManagedSave and virDomainCreate"
        ),
    )
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreateXMLWithFiles(
    conn: virConnectPtr,
    _xml: *const c_char,
    _nfiles: c_uint,
    _files: *mut c_int,
    _flags: c_uint,
) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |_c| Err(Error::esx(
        Code::NoSupport,
        "virDomainCreateXMLWithFiles: a VM on vSphere cannot be handed file descriptors"
    )))
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSave(domain: virDomainPtr, _to: *const c_char) -> c_int {
    export!(dom domain, -1, |_d| Err(no_client_files(api_name!())))
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSaveFlags(
    domain: virDomainPtr,
    _to: *const c_char,
    _dxml: *const c_char,
    _flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |_d| Err(no_client_files(api_name!())))
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRestore(conn: virConnectPtr, _from: *const c_char) -> c_int {
    export!(conn conn, -1, |_c| Err(no_client_files(api_name!())))
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRestoreFlags(
    conn: virConnectPtr,
    _from: *const c_char,
    _dxml: *const c_char,
    _flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |_c| Err(no_client_files(api_name!())))
}

/// Suspends the running VM to its own files; virDomainCreate resumes it.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainManagedSave(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as ManagedSaveFlags)?;
        d.dom.managed_save().map(|_| ())?;
        Ok(0)
    })
}

/// 1 while the VM is suspended.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainHasManagedSaveImage(
    domain: virDomainPtr,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        Ok(d.dom.has_managed_save()? as c_int)
    })
}

/// Discards the suspended state: the VM is powered off.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainManagedSaveRemove(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        d.dom.managed_save_remove().map(|_| ())?;
        Ok(0)
    })
}

/// The VM's new name in the inventory; the handle answers with it from now on.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `new_name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRename(
    domain: virDomainPtr,
    new_name: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        let name = in_str!(new_name)?;
        d.dom.rename(name).map(|_| ())?;
        d.renamed(name);
        Ok(0)
    })
}

/// The kinds of metadata vSphere has a place for: the description is the VM's annotation,
/// an application's element an `extraConfig` entry; the title has none.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Description,
    Element,
}

fn kind_of(kind: c_int) -> Result<Kind> {
    match kind {
        k if k == Meta::VIR_DOMAIN_METADATA_DESCRIPTION as c_int => Ok(Kind::Description),
        k if k == Meta::VIR_DOMAIN_METADATA_ELEMENT as c_int => Ok(Kind::Element),
        k if k == Meta::VIR_DOMAIN_METADATA_TITLE as c_int => Err(Error::esx(
            Code::NoSupport,
            "vSphere keeps no title apart from the VM's name; use the description \
             (VIR_DOMAIN_METADATA_DESCRIPTION, the VM's annotation)",
        )),
        other => Err(Error::invalid_arg(format!("unknown metadata type {other}"))),
    }
}

fn no_metadata(what: &str) -> Error {
    Error::esx(Code::NoDomainMetadata, what)
}

/// NULL `metadata` removes the description or the namespace's element, as libvirt does.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `metadata`, `key` and `uri` NULL or C
/// strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMetadata(
    domain: virDomainPtr,
    kind: c_int,
    metadata: *const c_char,
    key: *const c_char,
    uri: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        let text = in_opt_str!(metadata)?;
        match kind_of(kind)? {
            Kind::Description => {
                d.dom.set_description(text.unwrap_or(""))?;
            }
            Kind::Element => {
                let uri = in_str!(uri)?;
                let element = match text {
                    Some(xml) => Some(Metadata::new(xml, in_str!(key)?, uri)?),
                    None => None,
                };
                d.dom.set_element_metadata(uri, element.as_ref())?;
            }
        }
        Ok(0)
    })
}

/// # Safety
/// `domain` is NULL or a domain from this library; `uri` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMetadata(
    domain: virDomainPtr,
    kind: c_int,
    uri: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |d| {
        flags!(flags as AffectFlags)?;
        let text = match kind_of(kind)? {
            Kind::Description => Some(d.dom.description()?)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| no_metadata("the domain has no description"))?,
            Kind::Element => {
                let uri = in_str!(uri)?;
                d.dom
                    .element_metadata(uri)?
                    .map(|m| m.xml)
                    .ok_or_else(|| {
                        no_metadata("Requested metadata element is not present")
                    })?
            }
        };
        owned_c_string(&text)
    })
}

/// vSphere reports no I/O errors of a VM's disks: none.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetDiskErrors(
    domain: virDomainPtr,
    _errors: virDomainDiskErrorPtr,
    _maxerrors: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |_d| {
        flags!(flags as NoFlags)?;
        Ok(0)
    })
}
