//! Domain tuning through the C API: memory, vCPUs, autostart, and the "allocation" scheduler
//! with libvirt's typed parameters.

use crate::abi::enums::{
    VIR_DOMAIN_MEMORY_HARD_LIMIT, VIR_DOMAIN_MEMORY_MIN_GUARANTEE,
    VIR_DOMAIN_MEMORY_PARAM_UNLIMITED, VIR_DOMAIN_MEMORY_SOFT_LIMIT,
    VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT,
};
use crate::abi::flags::{AffectFlags, MemoryFlags, VcpuFlags};
use crate::error::{Code, Error, Result};
use crate::ffi::args::{Out, count, flags, in_slice, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::DomainHandle;
use crate::ffi::malloc::owned_c_string;
use crate::ffi::typed_params::{self, Builder, TypedValue, with_room};
use crate::ffi::types::{virDomainPtr, virTypedParameter, virTypedParameterPtr};
use std::ffi::{c_char, c_int, c_uint, c_ulong};
use std::ptr;

/// The scheduler parameters, in the order libvirt's ESX driver gives them.
const SCHED_PARAMS: usize = 3;

fn set_memory(d: &DomainHandle, kib: c_ulong, flags: MemoryFlags) -> Result<c_int> {
    // c_ulong is 32 bits on some platforms, 64 here.
    #[allow(clippy::useless_conversion)]
    let kib = u64::from(kib);
    d.dom.set_memory(kib, flags).map(|_| ()).map(|_| 0)
}

/// Sets the current memory (vSphere's memory limit), live and in the configuration.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    export!(dom domain, write, -1, |d| set_memory(d, memory, MemoryFlags::empty()))
}

/// Sets the VM's memory size (powered off, or growing with memory hot-add).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMaxMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    export!(dom domain, write, -1, |d| set_memory(d, memory, MemoryFlags::MAXIMUM))
}

/// With ReconfigVM_Task: the current memory is the VM's memory limit (`memoryAllocation.limit`), at
/// most its memory (else VIR_ERR_INVALID_ARG); VIR_DOMAIN_MEM_MAXIMUM sets its memory (`memoryMB`,
/// in 4 MiB steps; a running VM's only with memory hot-add, and only up).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMemoryFlags(
    domain: virDomainPtr,
    memory: c_ulong,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| set_memory(d, memory, flags!(flags as MemoryFlags)?))
}

fn set_vcpus(d: &DomainHandle, n: c_uint, flags: VcpuFlags) -> Result<c_int> {
    d.dom.set_vcpus(n, flags).map(|_| ()).map(|_| 0)
}

/// Sets the VM's vCPUs (`numCPU`) with ReconfigVM_Task: 3 round trips; a running VM's only when CPU
/// hot-add allows it; VIR_DOMAIN_VCPU_GUEST refused.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetVcpusFlags(
    domain: virDomainPtr,
    nvcpus: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| set_vcpus(d, nvcpus, flags!(flags as VcpuFlags)?))
}

/// As virDomainSetVcpusFlags with VIR_DOMAIN_AFFECT_LIVE.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetVcpus(domain: virDomainPtr, nvcpus: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| set_vcpus(d, nvcpus, VcpuFlags::LIVE))
}

/// Whether the host's autostart manager is enabled and powers this VM on when the host starts.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `autostart` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetAutostart(
    domain: virDomainPtr,
    autostart: *mut c_int,
) -> c_int {
    export!(dom domain, -1, |d| {
        let out = out!(autostart)?;
        out.set(d.dom.autostart()? as c_int);
        Ok(0)
    })
}

/// Adds the VM to, or removes it from, the host's autostart order (ReconfigureAutostart), turning
/// the host's autostart on when that changes no other VM (else VIR_ERR_OPERATION_INVALID, as
/// libvirt's ESX driver).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetAutostart(domain: virDomainPtr, autostart: c_int) -> c_int {
    export!(dom domain, write, -1, |d| {
        d.dom.set_autostart(autostart != 0)?;
        Ok(0)
    })
}

/// "allocation", with 3 parameters; the caller frees the string.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `nparams` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetSchedulerType(
    domain: virDomainPtr,
    nparams: *mut c_int,
) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |_| {
        let name = owned_c_string("allocation")?;
        if let Some(n) = out!(nparams?) {
            n.set(SCHED_PARAMS as c_int);
        }
        Ok(name)
    })
}

/// `reservation` and `limit` (LLONG, MHz; limit -1 = unlimited) and `shares` (INT; -1/-2/-3 =
/// low/normal/high), vSphere's CPU allocation. It applies live and to the configuration at once.
fn get_sched(
    d: &DomainHandle,
    params: &mut [virTypedParameter],
    nparams: Out<c_int>,
) -> Result<c_int> {
    let s = d.dom.scheduler_params()?;
    Builder::default()
        .add("reservation", TypedValue::LLong(s.reservation))
        .add("limit", TypedValue::LLong(s.limit))
        .add("shares", TypedValue::Int(s.shares))
        .give(params, nparams)
}

/// The VM's CPU allocation as libvirt's ESX scheduler parameters: `reservation` and `limit` in MHz
/// (-1 unlimited), `shares` a number or -1/-2/-3 for low/normal/high: one round trip.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `params` holds `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetSchedulerParametersFlags(
    dom: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as AffectFlags)?;
        let n = out!(nparams)?;
        get_sched(d, out_slice!(params, count(n.get(), "nparams", api_name!())?)?, n)
    })
}

/// As virDomainGetSchedulerParametersFlags with no flags.
///
/// # Safety
/// As virDomainGetSchedulerParametersFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
) -> c_int {
    export!(dom domain, -1, |d| {
        let n = out!(nparams)?;
        get_sched(d, out_slice!(params, count(n.get(), "nparams", api_name!())?)?, n)
    })
}

fn set_sched(d: &DomainHandle, given: &[virTypedParameter]) -> Result<c_int> {
    let (mut reservation, mut limit, mut shares) = (None, None, None);
    for (field, value) in typed_params::read(given)? {
        match (field.as_str(), value) {
            ("reservation", TypedValue::LLong(v)) => reservation = Some(v),
            ("limit", TypedValue::LLong(v)) => limit = Some(v),
            ("shares", TypedValue::Int(v)) => shares = Some(v),
            (f @ ("reservation" | "limit"), v) => {
                return Err(typed_params::wrong_type(f, "llong", &v));
            }
            ("shares", v) => return Err(typed_params::wrong_type("shares", "int", &v)),
            (other, _) => {
                return Err(Error::esx(
                    Code::InvalidArg,
                    format!(
                        "Unknown scheduler parameter '{other}' (known: reservation, limit, shares)"
                    ),
                ));
            }
        }
    }
    d.dom.set_scheduler_params(reservation, limit, shares)?;
    Ok(0)
}

/// Sets the VM's CPU reservation, limit and shares (ReconfigVM_Task, 3 round trips); other
/// parameter names are refused.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `params` holds `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetSchedulerParametersFlags(
    dom: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        set_sched(d, in_slice!(params, count(nparams, "nparams", api_name!())?)?)
    })
}

/// As virDomainSetSchedulerParametersFlags with no flags.
///
/// # Safety
/// As virDomainSetSchedulerParametersFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        set_sched(d, in_slice!(params, count(nparams, "nparams", api_name!())?)?)
    })
}

fn get_mem(d: &DomainHandle, out: &mut [virTypedParameter], nparams: Out<c_int>) -> Result<c_int> {
    let m = d.dom.memory_params()?;
    Builder::default()
        .add(
            VIR_DOMAIN_MEMORY_HARD_LIMIT,
            TypedValue::ULLong(m.hard_limit.unwrap_or(VIR_DOMAIN_MEMORY_PARAM_UNLIMITED)),
        )
        .add(
            VIR_DOMAIN_MEMORY_MIN_GUARANTEE,
            TypedValue::ULLong(m.min_guarantee),
        )
        .give(out, nparams)
}

/// `hard_limit` (the memory limit) and `min_guarantee` (the reservation), in KiB.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` holds `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMemoryParameters(
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
        get_mem(d, out_slice!(params, count(n.get(), "nparams", api_name!())?)?, n)
    })
}

fn set_mem(d: &DomainHandle, given: &[virTypedParameter]) -> Result<c_int> {
    let (mut guarantee, mut limit) = (None, None);
    for (field, value) in typed_params::read(given)? {
        match (field.as_str(), value) {
            (VIR_DOMAIN_MEMORY_MIN_GUARANTEE, TypedValue::ULLong(v)) => guarantee = Some(v),
            (VIR_DOMAIN_MEMORY_HARD_LIMIT, TypedValue::ULLong(v)) => {
                limit = Some((v < VIR_DOMAIN_MEMORY_PARAM_UNLIMITED).then_some(v))
            }
            (f @ (VIR_DOMAIN_MEMORY_MIN_GUARANTEE | VIR_DOMAIN_MEMORY_HARD_LIMIT), v) => {
                return Err(typed_params::wrong_type(f, "ullong", &v));
            }
            (f @ (VIR_DOMAIN_MEMORY_SOFT_LIMIT | VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT), _) => {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    format!(
                        "vSphere has no {f}: its memory tunables are hard_limit and min_guarantee"
                    ),
                ));
            }
            (other, _) => {
                return Err(Error::esx(
                    Code::InvalidArg,
                    format!(
                        "Unknown memory parameter '{other}' (known: hard_limit, min_guarantee)"
                    ),
                ));
            }
        }
    }
    d.dom.set_memory_params(guarantee, limit)?;
    Ok(0)
}

/// Sets the VM's memory reservation (`min_guarantee`) and limit (`hard_limit`) in whole MB, rounded
/// up, the limit no lower than the reservation and neither above the VM's memory (ReconfigVM_Task,
/// 3 round trips); other names are refused.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` holds `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMemoryParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        set_mem(d, in_slice!(params, count(nparams, "nparams", api_name!())?)?)
    })
}
