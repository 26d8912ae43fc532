//! virDomainAttachDevice*, DetachDevice*, UpdateDeviceFlags and DetachDeviceAlias exports: one
//! device of XML added to, taken from or changed on the VM with one ReconfigVM_Task.

use crate::abi::flags::AffectFlags;
use crate::driver::domain::devices::DeviceChange;
use crate::error::Result;
use crate::ffi::args::{flags, in_str};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::DomainHandle;
use crate::ffi::types::virDomainPtr;
use std::ffi::{c_char, c_int, c_uint};

/// What the flagless calls mean, as in libvirt: the running domain.
const LIVE: c_uint =
    crate::abi::enums::virDomainModificationImpact::VIR_DOMAIN_AFFECT_LIVE as c_uint;

fn change(
    d: &DomainHandle,
    xml: &str,
    change: DeviceChange,
    f: AffectFlags,
    api: &str,
) -> Result<c_int> {
    d.dom.change_device(xml, change, f, api)?;
    Ok(0)
}

/// LIVE, CONFIG or CURRENT as vSphere can honour them: a running VM's devices change live and
/// in its configuration at once, a stopped VM's in its configuration.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainAttachDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| change(
        d,
        in_str!(xml)?,
        DeviceChange::Attach,
        flags!(flags as AffectFlags)?,
        api_name!()
    ))
}

/// As virDomainAttachDeviceFlags; a disk's file stays.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDetachDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| change(
        d,
        in_str!(xml)?,
        DeviceChange::Detach,
        flags!(flags as AffectFlags)?,
        api_name!()
    ))
}

/// A drive's media (changed or ejected), or a NIC's port group or link state.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainUpdateDeviceFlags(
    domain: virDomainPtr,
    xml: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| change(
        d,
        in_str!(xml)?,
        DeviceChange::Update,
        flags!(flags as AffectFlags)?,
        api_name!()
    ))
}

/// As libvirt: the running domain's devices (VIR_DOMAIN_AFFECT_LIVE).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainAttachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    // SAFETY: the caller's pointers, passed on under the same contract.
    unsafe { virDomainAttachDeviceFlags(domain, xml, LIVE) }
}

/// virDomainDetachDeviceFlags with VIR_DOMAIN_AFFECT_LIVE, as libvirt defines it.
///
/// # Safety
/// As virDomainAttachDevice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDetachDevice(domain: virDomainPtr, xml: *const c_char) -> c_int {
    // SAFETY: as virDomainAttachDevice.
    unsafe { virDomainDetachDeviceFlags(domain, xml, LIVE) }
}

/// The device whose vSphere label (`Network adapter 2`, `Hard disk 1`) is `alias`.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `alias` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDetachDeviceAlias(
    domain: virDomainPtr,
    alias: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        let f = flags!(flags as AffectFlags)?;
        let alias = in_str!(alias)?;
        d.dom
            .detach_alias(alias, f, api_name!())?;
        Ok(0)
    })
}
