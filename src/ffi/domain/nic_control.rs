//! A NIC's bandwidth controls through the C API (see `driver::domain::nic_control`):
//! `outbound.average` (the limit) and `inbound.floor` (the reservation), KiB/s.

use crate::abi::enums::{VIR_DOMAIN_BANDWIDTH_IN_FLOOR, VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE};
use crate::abi::flags::AffectFlags;
use crate::driver::domain::nic_control::bandwidth_change;
use crate::ffi::args::{count, flags, in_slice, in_str, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::typed_params::{self, Builder, TypedValue, with_room};
use crate::ffi::types::{virDomainPtr, virTypedParameterPtr};
use std::ffi::{c_char, c_int, c_uint};

/// `outbound.average` and `inbound.floor` (UINT KiB/s, 0: none) of the NIC with MAC `device`.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `device` NULL or a C string; `params` holds
/// `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetInterfaceParameters(
    dom: virDomainPtr,
    device: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as AffectFlags)?;
        let Some(n) = with_room(out!(nparams)?, 2) else {
            return Ok(0);
        };
        let device = in_str!(device)?;
        let out = out_slice!(params, count(n.get(), "nparams", api_name!())?)?;
        let b = d.dom.nic_bandwidth(device)?;
        let uint = |v: Option<u64>| {
            TypedValue::UInt(u32::try_from(v.unwrap_or(0)).unwrap_or(u32::MAX))
        };
        Builder::default()
            .add(VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE, uint(b.average))
            .add(VIR_DOMAIN_BANDWIDTH_IN_FLOOR, uint(b.floor))
            .give(out, n)
    })
}

/// Sets `outbound.average` and `inbound.floor`; vSphere has no other NIC control, so the
/// others may only be 0.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `device` NULL or a C string; `params` holds
/// `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetInterfaceParameters(
    dom: virDomainPtr,
    device: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        let device = in_str!(device)?;
        let given = in_slice!(params, count(nparams, "nparams", api_name!())?)?;
        let mut asked = Vec::new();
        for (field, value) in typed_params::read(given)? {
            match value {
                TypedValue::UInt(v) => asked.push((field, u64::from(v))),
                v => return Err(typed_params::wrong_type(&field, "uint", &v)),
            }
        }
        let (average, floor) = bandwidth_change(&asked)?;
        if average.is_some() || floor.is_some() {
            d.dom.set_nic_bandwidth(device, average, floor)?;
        }
        Ok(0)
    })
}
