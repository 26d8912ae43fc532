//! A domain handle's identity and references through the C API: name, ID, UUID, the
//! connection it belongs to; the driver's domain/object.rs holds what it wraps.

use crate::abi::{VIR_UUID_BUFLEN, VIR_UUID_STRING_BUFLEN};
use crate::ffi::args::{out_slice, put_uuid_string};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, DomainHandle};
use crate::ffi::types::{virConnectPtr, virDomainPtr};
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;

/// Takes another reference on the domain handle; no round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRef(domain: virDomainPtr) -> c_int {
    export!(dom domain, -1, |d| {
        d.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the VM itself is untouched).
///
/// # Safety
/// `domain` is NULL or a domain from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainFree(domain: virDomainPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { DomainHandle::borrow(domain, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { DomainHandle::release(domain) };
        Ok(0)
    })
}

/// The domain's connection (no new reference, as libvirt).
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetConnect(dom: virDomainPtr) -> virConnectPtr {
    export!(dom dom, ptr::null_mut(), |d| {
        Ok(std::sync::Arc::as_ptr(&d.conn).cast_mut())
    })
}

/// The name, owned by the handle.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetName(domain: virDomainPtr) -> *const c_char {
    export!(dom domain, ptr::null(), |d| Ok(d.name_ptr()))
}

/// The ID as of the handle's last look at the VM; (unsigned)-1 when it is not running.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetID(domain: virDomainPtr) -> c_uint {
    export!(dom domain, c_uint::MAX, |d| Ok(d.dom.cached().id() as c_uint))
}

/// The VM's BIOS UUID (`config.uuid`), 16 bytes, as last read; no round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `uuid` NULL or 16 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUID(domain: virDomainPtr, uuid: *mut c_uchar) -> c_int {
    export!(dom domain, -1, |d| {
        out_slice!(uuid, UUID_LEN)?.copy_from_slice(&d.dom.cached().uuid.0);
        Ok(0)
    })
}

/// The VM's BIOS UUID in text, as last read; no round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `buf` NULL or VIR_UUID_STRING_BUFLEN bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUIDString(domain: virDomainPtr, buf: *mut c_char) -> c_int {
    export!(dom domain, -1, |d| {
        put_uuid_string(out_slice!(buf, UUID_STRING_LEN)?, &d.dom.cached().uuid);
        Ok(0)
    })
}

pub(crate) const UUID_LEN: usize = VIR_UUID_BUFLEN as usize;

const UUID_STRING_LEN: usize = VIR_UUID_STRING_BUFLEN as usize;
