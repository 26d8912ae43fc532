//! Domain state and power through the C API: info, state with reason, activity, OS type,
//! memory and vCPU counts, and start/suspend/resume/shutdown/reboot/reset/destroy.

use super::boundary::{dom_boundary, owned_c_string, req_out};
use super::types::{virDomainInfo, virDomainInfoPtr, virDomainPtr, virVcpuInfo, virVcpuInfoPtr};
use crate::driver::check_flags;
use crate::driver::domain::power::PowerOp;
use crate::driver::domain::tune::{AFFECT_CONFIG, AFFECT_LIVE, MAXIMUM, VCPU_GUEST};
use crate::error::{Code, Error};
use std::ffi::{c_char, c_int, c_uchar, c_uint, c_ulong, c_ushort};
use std::ptr;

/// # Safety
/// `domain` is NULL or a domain from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetInfo(domain: virDomainPtr, info: virDomainInfoPtr) -> c_int {
    // SAFETY: the boundary checks the handle; `info` is written on success only.
    unsafe {
        dom_boundary(domain, "virDomainGetInfo", -1, |d, conn| {
            let out = req_out(info, "info", "virDomainGetInfo")?;
            let vm = conn.current_vm(&d.vm())?;
            *out = virDomainInfo {
                state: vm.state.libvirt_state() as c_uchar,
                maxMem: vm.max_memory_kib() as c_ulong,
                memory: vm.memory_kib() as c_ulong,
                nrVirtCpu: vm.num_cpu.max(0) as c_ushort,
                // vSphere keeps no cumulative CPU time of a VM (libvirt reports 0 as well).
                cpuTime: 0,
            };
            d.set_vm(vm);
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library; `state` NULL or writable, `reason` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetState(
    domain: virDomainPtr,
    state: *mut c_int,
    reason: *mut c_int,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle; outputs are written on success only.
    unsafe {
        dom_boundary(domain, "virDomainGetState", -1, |d, conn| {
            check_flags(flags, 0, "virDomainGetState")?;
            let out = req_out(state, "state", "virDomainGetState")?;
            let vm = conn.current_vm(&d.vm())?;
            *out = vm.state.libvirt_state();
            if !reason.is_null() {
                *reason = vm.state.libvirt_reason();
            }
            d.set_vm(vm);
            Ok(0)
        })
    }
}

/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsActive(dom: virDomainPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(dom, "virDomainIsActive", -1, |d, conn| {
            let vm = conn.current_vm(&d.vm())?;
            let active = vm.state.is_active();
            d.set_vm(vm);
            Ok(active as c_int)
        })
    }
}

/// Every VM registered on a host is persistent.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsPersistent(dom: virDomainPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(dom, "virDomainIsPersistent", -1, |d, conn| {
            conn.current_vm(&d.vm())?;
            Ok(1)
        })
    }
}

/// vSphere applies changes to running VMs at once: a running VM never differs from its config.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainIsUpdated(dom: virDomainPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(dom, "virDomainIsUpdated", -1, |d, conn| {
            conn.current_vm(&d.vm())?;
            Ok(0)
        })
    }
}

/// "hvm"; the caller frees it.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetOSType(domain: virDomainPtr) -> *mut c_char {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetOSType", ptr::null_mut(), |_, _| {
            owned_c_string("hvm")
        })
    }
}

/// The VM's memory size in KiB; 0 on error.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMaxMemory(domain: virDomainPtr) -> c_ulong {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetMaxMemory", 0, |d, conn| {
            let vm = conn.current_vm(&d.vm())?;
            let kib = vm.max_memory_kib() as c_ulong;
            d.set_vm(vm);
            Ok(kib)
        })
    }
}

/// The VM's vCPU count (VMware's current and maximum are one number).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetVcpusFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetVcpusFlags", -1, |d, conn| {
            if flags & VCPU_GUEST != 0 {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    "VIR_DOMAIN_VCPU_GUEST needs a guest agent, which vSphere does not offer",
                ));
            }
            check_flags(
                flags,
                AFFECT_LIVE | AFFECT_CONFIG | MAXIMUM,
                "virDomainGetVcpusFlags",
            )?;
            let vm = conn.current_vm(&d.vm())?;
            let n = vm.num_cpu;
            d.set_vm(vm);
            Ok(n)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMaxVcpus(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { virDomainGetVcpusFlags(domain, MAXIMUM) }
}

/// Per-vCPU info of a running domain; vSphere reports neither per-vCPU time nor placement,
/// so `cpuTime` is 0 and `cpu` -1, and the maps allow every host CPU.
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
    // SAFETY: the boundary checks the handle; the buffers' sizes are the caller's promise.
    unsafe {
        dom_boundary(domain, "virDomainGetVcpus", -1, |d, conn| {
            let out = req_out(info, "info", "virDomainGetVcpus")?;
            if maxinfo < 1 || (!cpumaps.is_null() && maplen < 1) {
                return Err(Error::invalid_arg("maxinfo and maplen must be positive"));
            }
            let vm = conn.current_vm(&d.vm())?;
            if !vm.state.is_active() {
                return Err(Error::esx(Code::OperationInvalid, "domain is not running"));
            }
            let n = (vm.num_cpu.max(0) as usize).min(maxinfo as usize);
            let host_cpus = if cpumaps.is_null() {
                0
            } else {
                conn.node_info()?.cpus as usize
            };
            for i in 0..n {
                *out.add(i) = virVcpuInfo {
                    number: i as c_uint,
                    state: 1,
                    cpuTime: 0,
                    cpu: -1,
                };
                if !cpumaps.is_null() {
                    let map = std::slice::from_raw_parts_mut(
                        cpumaps.add(i * maplen as usize),
                        maplen as usize,
                    );
                    map.fill(0);
                    for cpu in 0..host_cpus.min(map.len() * 8) {
                        map[cpu / 8] |= 1 << (cpu % 8);
                    }
                }
            }
            d.set_vm(vm);
            Ok(n as c_int)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
unsafe fn power(
    domain: virDomainPtr,
    api: &'static str,
    op: PowerOp,
    flags: c_uint,
    allowed: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, api, -1, |d, conn| {
            check_flags(flags, allowed, api)?;
            let vm = conn.power(&d.vm(), op)?;
            d.set_vm(vm);
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreate(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainCreate", PowerOp::Start, 0, 0) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreateWithFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainCreateWithFlags", PowerOp::Start, flags, 0) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSuspend(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainSuspend", PowerOp::Suspend, 0, 0) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainResume(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainResume", PowerOp::Resume, 0, 0) }
}

/// Asks the guest to shut down (VMware Tools needed); returns once the request is made.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainShutdown(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainShutdown", PowerOp::Shutdown, 0, 0) }
}

/// Flags: 0 or VIR_DOMAIN_SHUTDOWN_GUEST_AGENT (VMware Tools is the guest agent).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainShutdownFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe {
        power(
            domain,
            "virDomainShutdownFlags",
            PowerOp::Shutdown,
            flags,
            2,
        )
    }
}

/// Asks the guest to reboot (VMware Tools needed). Flags: 0 or VIR_DOMAIN_REBOOT_GUEST_AGENT.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainReboot(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainReboot", PowerOp::Reboot, flags, 2) }
}

/// A hard reset, like pressing the reset button.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainReset(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainReset", PowerOp::Reset, flags, 0) }
}

/// Powers the VM off at once.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDestroy(domain: virDomainPtr) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainDestroy", PowerOp::Destroy, 0, 0) }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDestroyFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { power(domain, "virDomainDestroyFlags", PowerOp::Destroy, flags, 0) }
}
