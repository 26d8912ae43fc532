//! Domain tuning through the C API: memory, vCPUs, autostart, and the "allocation" scheduler
//! with libvirt's typed parameters.

use super::boundary::{dom_boundary, owned_c_string, req_out};
use super::types::{
    _virTypedParameterValue, virDomainPtr, virTypedParameter, virTypedParameterPtr,
};
use crate::driver::check_flags;
use crate::driver::domain::tune::{AFFECT_CONFIG, AFFECT_LIVE, MAXIMUM, SchedParams};
use crate::error::{Code, Error, Result};
use std::ffi::{CStr, c_char, c_int, c_uint, c_ulong};
use std::ptr;

const TYPED_INT: c_int = 1;
const TYPED_LLONG: c_int = 3;
const TYPED_STRING: c_int = 7;

/// # Safety
/// `domain` is NULL or a domain from this library.
unsafe fn set_memory(
    domain: virDomainPtr,
    api: &'static str,
    kib: c_ulong,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, api, -1, |d, conn| {
            // c_ulong is 32 bits on some platforms, 64 here.
            #[allow(clippy::useless_conversion)]
            let kib = u64::from(kib);
            let vm = conn.set_memory(&d.vm(), kib, flags)?;
            d.set_vm(vm);
            Ok(0)
        })
    }
}

/// Sets the current memory (vSphere's memory limit), live and in the configuration.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { set_memory(domain, "virDomainSetMemory", memory, 0) }
}

/// Sets the VM's memory size (powered off, or growing with memory hot-add).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMaxMemory(domain: virDomainPtr, memory: c_ulong) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { set_memory(domain, "virDomainSetMaxMemory", memory, MAXIMUM) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMemoryFlags(
    domain: virDomainPtr,
    memory: c_ulong,
    flags: c_uint,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { set_memory(domain, "virDomainSetMemoryFlags", memory, flags) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetVcpusFlags(
    domain: virDomainPtr,
    nvcpus: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainSetVcpusFlags", -1, |d, conn| {
            let vm = conn.set_vcpus(&d.vm(), nvcpus, flags)?;
            d.set_vm(vm);
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetVcpus(domain: virDomainPtr, nvcpus: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { virDomainSetVcpusFlags(domain, nvcpus, AFFECT_LIVE) }
}

/// # Safety
/// `domain` is NULL or a domain from this library; `autostart` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetAutostart(
    domain: virDomainPtr,
    autostart: *mut c_int,
) -> c_int {
    // SAFETY: the boundary checks the handle; written on success only.
    unsafe {
        dom_boundary(domain, "virDomainGetAutostart", -1, |d, conn| {
            let out = req_out(autostart, "autostart", "virDomainGetAutostart")?;
            *out = conn.autostart(&d.vm())? as c_int;
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetAutostart(domain: virDomainPtr, autostart: c_int) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainSetAutostart", -1, |d, conn| {
            conn.set_autostart(&d.vm(), autostart != 0)?;
            Ok(0)
        })
    }
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
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(
            domain,
            "virDomainGetSchedulerType",
            ptr::null_mut(),
            |_, _| {
                if !nparams.is_null() {
                    *nparams = 3;
                }
                owned_c_string("allocation")
            },
        )
    }
}

fn typed(field: &str, kind: c_int, value: _virTypedParameterValue) -> virTypedParameter {
    let mut p = virTypedParameter {
        field: [0; 80],
        r#type: kind,
        value,
    };
    for (dst, src) in p.field.iter_mut().zip(field.bytes().take(79)) {
        *dst = src as c_char;
    }
    p
}

fn sched_typed(s: SchedParams) -> [virTypedParameter; 3] {
    [
        typed(
            "reservation",
            TYPED_LLONG,
            _virTypedParameterValue { l: s.reservation },
        ),
        typed("limit", TYPED_LLONG, _virTypedParameterValue { l: s.limit }),
        typed("shares", TYPED_INT, _virTypedParameterValue { i: s.shares }),
    ]
}

/// # Safety
/// `dom` is NULL or a domain from this library; `params` holds `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetSchedulerParametersFlags(
    dom: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle; at most *nparams entries are written.
    unsafe {
        dom_boundary(
            dom,
            "virDomainGetSchedulerParametersFlags",
            -1,
            |d, conn| {
                // vSphere's allocation applies live and to the configuration at once.
                check_flags(
                    flags,
                    AFFECT_LIVE | AFFECT_CONFIG,
                    "virDomainGetSchedulerParametersFlags",
                )?;
                let n = req_out(nparams, "nparams", "virDomainGetSchedulerParameters")?;
                let out = req_out(params, "params", "virDomainGetSchedulerParameters")?;
                if *n < 0 {
                    return Err(Error::invalid_arg("nparams must not be negative"));
                }
                let all = sched_typed(conn.scheduler_params(&d.vm())?);
                let count = (*n as usize).min(all.len());
                for (i, p) in all.into_iter().take(count).enumerate() {
                    out.add(i).write(p);
                }
                *n = count as c_int;
                Ok(0)
            },
        )
    }
}

/// # Safety
/// As virDomainGetSchedulerParametersFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { virDomainGetSchedulerParametersFlags(domain, params, nparams, 0) }
}

/// Reads `reservation` (LLONG, MHz), `limit` (LLONG, MHz, -1 unlimited) and `shares` (INT;
/// -1/-2/-3 = low/normal/high) from C's parameters.
///
/// # Safety
/// `params` holds `n` entries.
unsafe fn parse_sched(
    params: *const virTypedParameter,
    n: c_int,
) -> Result<(Option<i64>, Option<i64>, Option<i32>)> {
    if n < 0 || (n > 0 && params.is_null()) {
        return Err(Error::invalid_arg("params must hold nparams entries"));
    }
    let mut out = (None, None, None);
    for i in 0..n as usize {
        // SAFETY: within the caller's array.
        let p = unsafe { &*params.add(i) };
        // SAFETY: a fixed-size buffer; a missing NUL is caught.
        let field = unsafe {
            CStr::from_bytes_until_nul(std::slice::from_raw_parts(
                p.field.as_ptr().cast::<u8>(),
                80,
            ))
        }
        .ok()
        .and_then(|f| f.to_str().ok())
        .ok_or_else(|| Error::invalid_arg("a parameter's field name is not terminated"))?;
        let wrong_type =
            |want: &str| Error::invalid_arg(format!("parameter '{field}' must be of type {want}"));
        match field {
            "reservation" | "limit" => {
                if p.r#type != TYPED_LLONG {
                    return Err(wrong_type("llong"));
                }
                // SAFETY: the type says the union holds `l`.
                let v = unsafe { p.value.l };
                if field == "reservation" {
                    out.0 = Some(v);
                } else {
                    out.1 = Some(v);
                }
            }
            "shares" => {
                if p.r#type != TYPED_INT {
                    return Err(wrong_type("int"));
                }
                // SAFETY: the type says the union holds `i`.
                out.2 = Some(unsafe { p.value.i });
            }
            other => {
                return Err(Error::esx(
                    Code::InvalidArg,
                    format!(
                        "Unknown scheduler parameter '{other}' (known: reservation, limit, shares)"
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// # Safety
/// `dom` is NULL or a domain from this library; `params` holds `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetSchedulerParametersFlags(
    dom: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle; the array per the contract.
    unsafe {
        dom_boundary(
            dom,
            "virDomainSetSchedulerParametersFlags",
            -1,
            |d, conn| {
                check_flags(
                    flags,
                    AFFECT_LIVE | AFFECT_CONFIG,
                    "virDomainSetSchedulerParametersFlags",
                )?;
                let (reservation, limit, shares) = parse_sched(params, nparams)?;
                conn.set_scheduler_params(&d.vm(), reservation, limit, shares)?;
                Ok(0)
            },
        )
    }
}

/// # Safety
/// As virDomainSetSchedulerParametersFlags.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetSchedulerParameters(
    domain: virDomainPtr,
    params: virTypedParameterPtr,
    nparams: c_int,
) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { virDomainSetSchedulerParametersFlags(domain, params, nparams, 0) }
}

/// Frees the strings held by typed parameters (not the array).
///
/// # Safety
/// `params` is NULL or holds `nparams` entries whose strings are malloc'd.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsClear(params: virTypedParameterPtr, nparams: c_int) {
    if params.is_null() {
        return;
    }
    for i in 0..nparams.max(0) as usize {
        // SAFETY: within the caller's array.
        let p = unsafe { &mut *params.add(i) };
        if p.r#type == TYPED_STRING {
            // SAFETY: string parameters hold malloc'd strings.
            unsafe {
                libc::free(p.value.s.cast());
                p.value.s = ptr::null_mut();
            }
        }
    }
}

/// Frees typed parameters' strings and the malloc'd array itself.
///
/// # Safety
/// `params` is NULL or a malloc'd array of `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsFree(params: virTypedParameterPtr, nparams: c_int) {
    // SAFETY: forwarded contract; then the array itself.
    unsafe {
        virTypedParamsClear(params, nparams);
        libc::free(params.cast());
    }
}
