//! A disk's size and I/O controls through the C API (see `driver::domain::disk_control`):
//! virDomainBlockResize, the IOPS limit as `total_iops_sec`, and disk shares as blkio weights.

use crate::abi::enums::{
    VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, VIR_DOMAIN_BLKIO_WEIGHT, VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC,
};
use crate::abi::flags::{AffectFlags, BlockResizeFlags};
use crate::driver::domain::disk_control::{device_weights, not_a_weight, not_an_io_limit};
use crate::error::{Code, Error};
use crate::ffi::args::{count, flags, in_slice, in_str, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::typed_params::{self, Builder, TypedValue, with_room};
use crate::ffi::types::{virDomainPtr, virTypedParameter, virTypedParameterPtr};
use std::ffi::{c_char, c_int, c_uint, c_ulonglong};

/// Grows a disk (by target or file) to `size` KiB, or bytes with
/// VIR_DOMAIN_BLOCK_RESIZE_BYTES; vSphere cannot shrink one.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `disk` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainBlockResize(
    dom: virDomainPtr,
    disk: *const c_char,
    size: c_ulonglong,
    flags: c_uint,
) -> c_int {
    export!(dom dom, write, -1, |d| {
        let flags = flags!(flags as BlockResizeFlags)?;
        let disk = in_str!(disk)?;
        if flags.contains(BlockResizeFlags::CAPACITY) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "VIR_DOMAIN_BLOCK_RESIZE_CAPACITY fits a disk to its block device; a VMware \
                 disk is a file: give the size",
            ));
        }
        let bytes = match flags.contains(BlockResizeFlags::BYTES) {
            true => size,
            false => size
                .checked_mul(1024)
                .ok_or_else(|| Error::invalid_arg(format!("size {size} KiB is too large")))?,
        };
        d.dom.block_resize(disk, bytes)?;
        Ok(0)
    })
}

/// `total_iops_sec` (ULLONG, 0 = unlimited): the disk's IOPS limit.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `disk` NULL or a C string; `params` holds
/// `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetBlockIoTune(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as AffectFlags)?;
        let Some(n) = with_room(out!(nparams)?, 1) else {
            return Ok(0);
        };
        let disk = in_str!(disk)?;
        let out = out_slice!(params, count(n.get(), "nparams", api_name!())?)?;
        let limit = d.dom.disk_iops_limit(disk)?.unwrap_or(0);
        Builder::default()
            .add(VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC, TypedValue::ULLong(limit))
            .give(out, n)
    })
}

/// Sets `total_iops_sec`; vSphere has no other I/O limit, so any other field is refused.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `disk` NULL or a C string; `params` holds
/// `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetBlockIoTune(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        let disk = in_str!(disk)?;
        let given = in_slice!(params, count(nparams, "nparams", api_name!())?)?;
        let mut limit = None;
        for (field, value) in typed_params::read(given)? {
            match (field.as_str(), value) {
                (VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC, TypedValue::ULLong(v)) => limit = Some(v),
                (f @ VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC, v) => {
                    return Err(typed_params::wrong_type(f, "ullong", &v));
                }
                (other, _) => return Err(not_an_io_limit(other)),
            }
        }
        if let Some(l) = limit {
            d.dom.set_disk_iops_limit(disk, Some(l))?;
        }
        Ok(0)
    })
}

/// `weight` (UINT, the first disk's; 500 without disks) and `device_weight` (STRING,
/// `target,weight,...` for every disk): the disks' shares as libvirt's weights.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` holds `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetBlkioParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as AffectFlags)?;
        let Some(n) = with_room(out!(nparams)?, 2) else {
            return Ok(0);
        };
        let out = out_slice!(params, count(n.get(), "nparams", api_name!())?)?;
        let weights = d.dom.disk_weights()?;
        Builder::default()
            .add(VIR_DOMAIN_BLKIO_WEIGHT, TypedValue::UInt(weights.weight()))
            .add(
                VIR_DOMAIN_BLKIO_DEVICE_WEIGHT,
                TypedValue::String(weights.device_weight()),
            )
            .give(out, n)
    })
}

/// Sets `weight` (every disk) and `device_weight` (the listed disks; 0 = normal shares).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` holds `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetBlkioParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        let given: &[virTypedParameter] =
            in_slice!(params, count(nparams, "nparams", api_name!())?)?;
        let (mut all, mut each) = (None, Vec::new());
        for (field, value) in typed_params::read(given)? {
            match (field.as_str(), value) {
                (VIR_DOMAIN_BLKIO_WEIGHT, TypedValue::UInt(w)) => all = Some(w),
                (VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, TypedValue::String(s)) => {
                    each.extend(device_weights(&s)?)
                }
                (f @ VIR_DOMAIN_BLKIO_WEIGHT, v) => {
                    return Err(typed_params::wrong_type(f, "uint", &v));
                }
                (f @ VIR_DOMAIN_BLKIO_DEVICE_WEIGHT, v) => {
                    return Err(typed_params::wrong_type(f, "string", &v));
                }
                (other, _) => return Err(not_a_weight(other)),
            }
        }
        d.dom.set_disk_weights(all, &each)?;
        Ok(0)
    })
}
