//! Domain status through the C API: info, state with reason, activity, OS type, memory and
//! vCPU counts, a disk's sizes and errors, and what the VM is busy with.

use crate::abi::enums::virDomainControlState;
use crate::abi::flags::{NoFlags, VcpuFlags};
use crate::abi::virVcpuState;
use crate::error::{Code, Error, Result};
use crate::ffi::args::{count, flags, in_str, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::DomainHandle;
use crate::ffi::malloc::owned_c_string;
use crate::ffi::types::{
    virDomainBlockInfo, virDomainBlockInfoPtr, virDomainControlInfo, virDomainControlInfoPtr,
    virDomainDiskErrorPtr, virDomainInfo, virDomainInfoPtr, virDomainPtr, virVcpuInfo,
    virVcpuInfoPtr,
};
use std::ffi::{c_char, c_int, c_uchar, c_uint, c_ulong, c_ushort};
use std::ptr;

/// State, maximum and current memory, vCPUs and CPU time (the host's counters, QueryPerf): the
/// first info call of a listing reads every listed VM's sizing at once, then the CPU time in one
/// QueryPerf.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetInfo(domain: virDomainPtr, info: virDomainInfoPtr) -> c_int {
    export!(dom domain, -1, |d| {
        let out = out!(info)?;
        let vm = d.dom.current()?;
        let cpu_time = d.dom.cpu_time(&vm)?;
        out.set(virDomainInfo {
            state: vm.state.libvirt_state() as c_uchar,
            maxMem: vm.max_memory_kib() as c_ulong,
            memory: vm.memory_kib() as c_ulong,
            nrVirtCpu: vm.num_cpu.max(0) as c_ushort,
            cpuTime: cpu_time,
        });
        Ok(0)
    })
}

/// The VM's state and libvirt's reason for it (`runtime.powerState`): one round trip, none when the
/// handle is fresh (2 s).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `state` NULL or writable, `reason` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetState(
    domain: virDomainPtr,
    state: *mut c_int,
    reason: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        let out = out!(state)?;
        let vm = d.dom.current_state()?;
        out.set(vm.state.libvirt_state());
        if let Some(r) = out!(reason?) {
            r.set(vm.state.libvirt_reason());
        }
        Ok(0)
    })
}

/// Whether the VM runs (powered on or suspended), as read now or within the last 2 s.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsActive(dom: virDomainPtr) -> c_int {
    export!(dom dom, -1, |d| Ok(d.dom.current_state()?.state.is_active() as c_int))
}

/// Every VM registered on a host is persistent.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsPersistent(dom: virDomainPtr) -> c_int {
    export!(dom dom, -1, |d| d.dom.current_state().map(|_| 1))
}

/// vSphere applies changes to running VMs at once: a running VM never differs from its config.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsUpdated(dom: virDomainPtr) -> c_int {
    export!(dom dom, -1, |d| d.dom.current_state().map(|_| 0))
}

/// "hvm"; the caller frees it.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetOSType(domain: virDomainPtr) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |_| owned_c_string("hvm"))
}

/// The VM's memory size in KiB; 0 on error.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMaxMemory(domain: virDomainPtr) -> c_ulong {
    export!(dom domain, 0, |d| Ok(d.dom.current()?.max_memory_kib() as c_ulong))
}

/// The vCPU count: VMware's current and maximum are one number.
fn vcpus(d: &DomainHandle, flags: VcpuFlags) -> Result<c_int> {
    if flags.contains(VcpuFlags::GUEST) {
        return Err(Error::esx(
            Code::ArgumentUnsupported,
            "VIR_DOMAIN_VCPU_GUEST needs a guest agent, which vSphere does not offer",
        ));
    }
    Ok(d.dom.current()?.num_cpu)
}

/// The VM's vCPUs (`config.hardware.numCPU`; VIR_DOMAIN_VCPU_MAXIMUM: the most its hardware version
/// allows): one round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetVcpusFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, -1, |d| vcpus(d, flags!(flags as VcpuFlags)?))
}

/// As virDomainGetVcpusFlags with VIR_DOMAIN_VCPU_MAXIMUM.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMaxVcpus(domain: virDomainPtr) -> c_int {
    export!(dom domain, -1, |d| vcpus(d, VcpuFlags::MAXIMUM))
}

/// Per-vCPU info of a running domain: each vCPU's CPU time from the performance counters
/// (see `driver::perf`); vSphere reports no placement, so `cpu` is -1, and each map is the
/// VM's CPU affinity (every host CPU when none is set).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `info` holds `maxinfo` entries; `cpumaps`
/// NULL or `maxinfo * maplen` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetVcpus(
    domain: virDomainPtr,
    info: virVcpuInfoPtr,
    maxinfo: c_int,
    cpumaps: *mut c_uchar,
    maplen: c_int,
) -> c_int {
    export!(dom domain, -1, |d| {
        let api = api_name!();
        let (maxinfo, maplen) = (count(maxinfo, "maxinfo", api)?, count(maplen, "maplen", api)?);
        if maxinfo < 1 || (!cpumaps.is_null() && maplen < 1) {
            return Err(Error::invalid_arg("maxinfo and maplen must be positive"));
        }
        let info = out_slice!(info, maxinfo)?;
        let times = d.dom.vcpu_times()?;
        let n = times.len().min(maxinfo);
        if !cpumaps.is_null() {
            let map = d.dom.cpu_affinity()?.map(maplen);
            let maps = out_slice!(cpumaps, n * maplen)?;
            for chunk in maps.chunks_mut(maplen) {
                chunk.copy_from_slice(&map);
            }
        }
        for (i, slot) in info.iter_mut().take(n).enumerate() {
            *slot = virVcpuInfo {
                number: i as c_uint,
                state: virVcpuState::VIR_VCPU_RUNNING as c_int,
                cpuTime: times.get(i).copied().unwrap_or(0),
                cpu: -1,
            };
        }
        Ok(n as c_int)
    })
}

/// A disk's capacity, allocation (its extents) and physical size (all its files), by target
/// (`sda`) or file (`[ds] dir/x.vmdk`).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `disk` NULL or a C string; `info` NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetBlockInfo(
    domain: virDomainPtr,
    disk: *const c_char,
    info: virDomainBlockInfoPtr,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        let disk = in_str!(disk)?;
        let out = out!(info)?;
        let b = d.dom.block_info(disk)?;
        out.set(virDomainBlockInfo {
            capacity: b.capacity,
            allocation: b.allocation,
            physical: b.physical,
        });
        Ok(0)
    })
}

/// JOB while a task runs on the VM (for how long, in stateTime), else OK.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetControlInfo(
    domain: virDomainPtr,
    info: virDomainControlInfoPtr,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        let out = out!(info)?;
        let c = d.dom.control()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() as i64);
        let state = match c.busy {
            true => virDomainControlState::VIR_DOMAIN_CONTROL_JOB,
            false => virDomainControlState::VIR_DOMAIN_CONTROL_OK,
        };
        out.set(virDomainControlInfo {
            state: state as c_uint,
            details: 0,
            // The task's start is the server's clock: any value must give a duration.
            stateTime: c
                .since
                .map_or(0, |s| (now.saturating_sub(s).max(0) as u64).saturating_mul(1000)),
        });
        Ok(0)
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
