//! virDomainCreateXML, managed save and rename exports, and the client-file save and restore
//! calls vSphere has no counterpart for (refused, pointing at managed save).

use crate::abi::flags::{CreateXmlFlags, ManagedSaveFlags, NoFlags};
use crate::error::{Code, Error};
use crate::ffi::args::{flags, in_str};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, DomainHandle};
use crate::ffi::types::{virConnectPtr, virDomainPtr};
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

/// Refused with VIR_ERR_NO_SUPPORT: a VM on vSphere cannot be handed the caller's file descriptors
/// (use virDomainCreateXML).
///
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

/// Refused with VIR_ERR_NO_SUPPORT: vSphere writes no saved state to the caller's files;
/// virDomainManagedSave suspends the VM to its own.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSave(domain: virDomainPtr, _to: *const c_char) -> c_int {
    export!(dom domain, -1, |_d| Err(no_client_files(api_name!())))
}

/// Refused as virDomainSave.
///
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

/// Refused with VIR_ERR_NO_SUPPORT: there are no saved-state files outside the VM; virDomainCreate
/// resumes a managed save.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRestore(conn: virConnectPtr, _from: *const c_char) -> c_int {
    export!(conn conn, -1, |_c| Err(no_client_files(api_name!())))
}

/// Refused as virDomainRestore.
///
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
