//! CPU models through the C API: vSphere's EVC modes listed, compared with the scope's hosts
//! and taken as a baseline (see `driver::connection::evc`).

use crate::abi::flags::{BaselineCpuFlags, CompareCpuFlags, NoFlags};
use crate::abi::virCPUCompareResult as R;
use crate::driver::connection::evc::{
    CpuComparison, check_hypervisor, incompatible, no_feature_lists,
};
use crate::error::{Error, Result};
use crate::ffi::args::{buffer, flags, in_opt_str, in_str, out};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::ConnectHandle;
use crate::ffi::malloc::{MallocArray, MallocStr, owned_c_string};
use crate::ffi::types::virConnectPtr;
use std::ffi::{CStr, c_char, c_int, c_uint};
use std::ptr;

/// The EVC modes' names as a NULL-terminated malloc'd array (`models` NULL: the count only).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `arch` NULL or a C string; `models`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetCPUModelNames(
    conn: virConnectPtr,
    arch: *const c_char,
    models: *mut *mut *mut c_char,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        flags!(flags as NoFlags)?;
        let names = c.conn.cpu_model_names(in_str!(arch)?)?;
        if let Some(out) = out!(models?) {
            let mut arr = MallocArray::<*mut c_char>::zeroed(names.len() + 1)?;
            let strings = names
                .iter()
                .map(|n| MallocStr::new(n))
                .collect::<Result<Vec<_>>>()?;
            for (slot, s) in arr.as_mut_slice().iter_mut().zip(strings) {
                *slot = s.into_raw();
            }
            out.set(arr.into_raw());
        }
        Ok(names.len() as c_int)
    })
}

fn compare(
    c: &ConnectHandle,
    arch: Option<&str>,
    xml: &str,
    flags: CompareCpuFlags,
) -> Result<c_int> {
    Ok(match c.conn.compare_cpu(arch, xml)? {
        CpuComparison::Incompatible if flags.contains(CompareCpuFlags::FAIL_INCOMPATIBLE) => {
            return Err(incompatible());
        }
        CpuComparison::Incompatible => R::VIR_CPU_COMPARE_INCOMPATIBLE,
        CpuComparison::Identical => R::VIR_CPU_COMPARE_IDENTICAL,
        CpuComparison::Superset => R::VIR_CPU_COMPARE_SUPERSET,
    } as c_int)
}

/// How the CPU (an EVC mode as its `<model>`) compares with every host of the scope.
///
/// # Safety
/// `conn` is NULL or a connection from this library; the strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectCompareHypervisorCPU(
    conn: virConnectPtr,
    emulator: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    xmlCPU: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(conn conn, R::VIR_CPU_COMPARE_ERROR as c_int, |c| {
        let flags = flags!(flags as CompareCpuFlags)?;
        check_hypervisor(in_opt_str!(emulator)?, in_opt_str!(virttype)?)?;
        // A hardware version does not change which EVC modes a host runs.
        let _ = in_opt_str!(machine)?;
        compare(c, in_opt_str!(arch)?, in_str!(xmlCPU)?, flags)
    })
}

/// The highest EVC mode the given CPUs and every host of the scope run, as a CPU definition.
///
/// # Safety
/// `conn` is NULL or a connection from this library; the strings NULL or NUL-terminated;
/// `xmlCPUs` NULL or holding `ncpus` C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectBaselineHypervisorCPU(
    conn: virConnectPtr,
    emulator: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    xmlCPUs: *mut *const c_char,
    ncpus: c_uint,
    flags: c_uint,
) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        let flags = flags!(flags as BaselineCpuFlags)?;
        if flags.contains(BaselineCpuFlags::EXPAND_FEATURES) {
            return Err(no_feature_lists());
        }
        check_hypervisor(in_opt_str!(emulator)?, in_opt_str!(virttype)?)?;
        let _ = in_opt_str!(machine)?;
        // SAFETY: per the contract, `ncpus` pointers.
        let ptrs = unsafe { buffer(xmlCPUs.cast_const(), ncpus as usize, "xmlCPUs", api_name!()) }?;
        let xmls = ptrs
            .iter()
            .map(|p| {
                if p.is_null() {
                    return Err(Error::invalid_arg("a NULL CPU definition in xmlCPUs"));
                }
                // SAFETY: NUL-terminated, per the contract.
                unsafe { CStr::from_ptr(*p) }
                    .to_str()
                    .map_err(|_| Error::invalid_arg("a CPU definition is not UTF-8"))
            })
            .collect::<Result<Vec<&str>>>()?;
        owned_c_string(&c.conn.baseline_cpu(in_opt_str!(arch)?, &xmls)?)
    })
}
