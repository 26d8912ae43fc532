//! CPU pinning through the C API over the VM's one CPU affinity set (see
//! `driver::domain::affinity`): vCPU and emulator pinning, read and set.

use crate::abi::flags::AffectFlags;
use crate::driver::domain::affinity::cpus_of_map;
use crate::error::{Error, Result};
use crate::ffi::args::{buffer, count, flags, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::DomainHandle;
use crate::ffi::types::virDomainPtr;
use std::ffi::{c_int, c_uchar, c_uint};

/// A caller's CPU map of `maplen` bytes, as the CPUs it names (`api` the export's name).
///
/// # Safety
/// `cpumap` is NULL or holds `maplen` bytes.
unsafe fn given_map(cpumap: *mut c_uchar, maplen: c_int, api: &str) -> Result<Vec<u32>> {
    let n = count(maplen, "maplen", api)?;
    if n == 0 {
        return Err(Error::invalid_arg("maplen must be greater than zero"));
    }
    // SAFETY: per the contract.
    Ok(cpus_of_map(unsafe { buffer(cpumap, n, "cpumap", api) }?))
}

fn pin_vcpu(d: &DomainHandle, vcpu: c_uint, cpus: Result<Vec<u32>>) -> Result<c_int> {
    d.dom.pin_vcpu(vcpu, &cpus?)?;
    Ok(0)
}

/// Pins a vCPU: accepted when every vCPU keeps one set (see `Domain::pin_vcpu`).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `cpumap` NULL or `maplen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainPinVcpu(
    domain: virDomainPtr,
    vcpu: c_uint,
    cpumap: *mut c_uchar,
    maplen: c_int,
) -> c_int {
    // SAFETY: per the contract.
    export!(dom domain, write, -1, |d| pin_vcpu(d, vcpu, unsafe { given_map(cpumap, maplen, api_name!()) }))
}

/// As virDomainPinVcpu with libvirt's impact flags: the VM's one `config.cpuAffinity` set
/// (ReconfigVM_Task, 3 round trips), accepted only when every vCPU keeps the same set.
///
/// # Safety
/// As virDomainPinVcpu.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainPinVcpuFlags(
    domain: virDomainPtr,
    vcpu: c_uint,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        // SAFETY: per the contract.
        pin_vcpu(d, vcpu, unsafe { given_map(cpumap, maplen, api_name!()) })
    })
}

/// Each vCPU's map (all the same: the VM's affinity); how many were filled.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `cpumaps` NULL or `ncpumaps * maplen`
/// bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetVcpuPinInfo(
    domain: virDomainPtr,
    ncpumaps: c_int,
    cpumaps: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as AffectFlags)?;
        let api = api_name!();
        let (n, len) = (count(ncpumaps, "ncpumaps", api)?, count(maplen, "maplen", api)?);
        if n == 0 || len == 0 {
            return Err(Error::invalid_arg("ncpumaps and maplen must be greater than zero"));
        }
        let maps = out_slice!(cpumaps, n * len)?;
        let a = d.dom.cpu_affinity()?;
        let map = a.map(len);
        let filled = n.min(a.vcpus as usize);
        for chunk in maps.chunks_mut(len).take(filled) {
            chunk.copy_from_slice(&map);
        }
        Ok(filled as c_int)
    })
}

/// Sets the VM's affinity (vSphere's one set for all of its threads).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `cpumap` NULL or `maplen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainPinEmulator(
    domain: virDomainPtr,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        // SAFETY: per the contract.
        let cpus = unsafe { given_map(cpumap, maplen, api_name!()) }?;
        d.dom.set_cpu_affinity(&cpus)?;
        Ok(0)
    })
}

/// The VM's affinity as a map; 1 (its threads are always placed by the set).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `cpumap` NULL or `maplen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetEmulatorPinInfo(
    domain: virDomainPtr,
    cpumap: *mut c_uchar,
    maplen: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as AffectFlags)?;
        let len = count(maplen, "maplen", api_name!())?;
        if len == 0 {
            return Err(Error::invalid_arg("maplen must be greater than zero"));
        }
        let out = out_slice!(cpumap, len)?;
        out.copy_from_slice(&d.dom.cpu_affinity()?.map(len));
        Ok(1)
    })
}
