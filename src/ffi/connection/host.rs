//! Host facts through the C API: node info, free memory, CPU and memory statistics, hostname,
//! capabilities, domain capabilities, sysinfo and the maximum vCPUs of a guest.

use crate::abi::enums::{
    VIR_NODE_CPU_STATS_ALL_CPUS, VIR_NODE_CPU_STATS_IDLE, VIR_NODE_CPU_STATS_USER,
    VIR_NODE_MEMORY_STATS_ALL_CELLS, VIR_NODE_MEMORY_STATS_FREE, VIR_NODE_MEMORY_STATS_TOTAL,
};
use crate::abi::flags::{DomainCapsFlags, NoFlags};
use crate::error::{Code, Domain, Error, Result};
use crate::ffi::args::{count, flags, in_opt_str, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::malloc::owned_c_string;
use crate::ffi::typed_params::field_name;
use crate::ffi::types::{
    virConnectPtr, virNodeCPUStats, virNodeCPUStatsPtr, virNodeInfo, virNodeInfoPtr,
    virNodeMemoryStats, virNodeMemoryStatsPtr,
};
use std::ffi::{c_char, c_int, c_uint, c_ulong, c_ulonglong};
use std::ptr;

/// The host's (or the scope's hosts') CPU model, CPUs, MHz, sockets, cores, threads, NUMA nodes and
/// memory: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetInfo(conn: virConnectPtr, info: virNodeInfoPtr) -> c_int {
    export!(conn conn, -1, |c| {
        let out = out!(info)?;
        let n = c.conn.node_info()?;
        let mut model = [0 as c_char; 32];
        for (dst, src) in model.iter_mut().zip(n.model.bytes().take(31)) {
            *dst = src as c_char;
        }
        out.set(virNodeInfo {
            model,
            memory: n.memory_kib as c_ulong,
            cpus: n.cpus,
            mhz: n.mhz,
            nodes: n.nodes,
            sockets: n.sockets,
            cores: n.cores,
            threads: n.threads,
        });
        Ok(0)
    })
}

/// Free host memory in bytes; 0 on error, as libvirt.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetFreeMemory(conn: virConnectPtr) -> c_ulonglong {
    export!(conn conn, 0, |c| c.conn.free_memory())
}

/// Fills `params` from `fields` (`*nparams` entries at most) and says how many in
/// `*nparams`; with `params` NULL and `*nparams` 0, says how many there are.
///
/// # Safety
/// `nparams` writable; `params` NULL or holding `*nparams` entries.
unsafe fn node_stats<T>(
    params: *mut T,
    nparams: *mut c_int,
    fields: &[&str],
    make: fn([c_char; 80], c_ulonglong) -> T,
    get: impl FnOnce() -> Result<Vec<c_ulonglong>>,
) -> Result<c_int> {
    let n = out!(nparams)?;
    if params.is_null() && n.get() == 0 {
        n.set(fields.len() as c_int);
        return Ok(0);
    }
    let want = count(n.get(), "nparams", api_name!())?;
    if want < fields.len() {
        return Err(Error::invalid_arg(format!(
            "nparams must be at least {}",
            fields.len()
        )));
    }
    let room = out_slice!(params, fields.len())?;
    for (slot, (name, value)) in room.iter_mut().zip(fields.iter().zip(get()?)) {
        *slot = make(field_name(name), value);
    }
    n.set(fields.len() as c_int);
    Ok(0)
}

/// The CPU time used (`user`: vSphere does not split user and kernel time) and idle, in
/// nanoseconds, cumulative from this connection's first read (see `driver::perf`): of all
/// CPUs of the scope (`cpuNum` -1) or of one logical CPU of a host connection.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `nparams` writable; `params` NULL or
/// holding `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetCPUStats(
    conn: virConnectPtr,
    cpuNum: c_int,
    params: virNodeCPUStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        flags!(flags as NoFlags)?;
        let cpu = match cpuNum {
            VIR_NODE_CPU_STATS_ALL_CPUS => None,
            n => Some(u32::try_from(n).map_err(|_| {
                Error::invalid_arg(format!("Invalid cpuNum {n} in {}", api_name!()))
            })?),
        };
        let fields = [VIR_NODE_CPU_STATS_USER, VIR_NODE_CPU_STATS_IDLE];
        let make = |field, value| virNodeCPUStats { field, value };
        // SAFETY: the caller's pointers, as this function's contract says.
        unsafe {
            node_stats(params, nparams, &fields, make, || {
                let (used, idle) = c.conn.node_cpu_stats(cpu)?;
                Ok(vec![used, idle])
            })
        }
    })
}

/// Total and free memory in KiB, summed over the scope's hosts (`cellNum` -1; vSphere
/// reports no free memory per NUMA cell).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `nparams` writable; `params` NULL or
/// holding `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeGetMemoryStats(
    conn: virConnectPtr,
    cellNum: c_int,
    params: virNodeMemoryStatsPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        flags!(flags as NoFlags)?;
        if cellNum != VIR_NODE_MEMORY_STATS_ALL_CELLS {
            return Err(Error::esx(
                Code::NoSupport,
                "per-cell memory statistics are not available: vSphere reports a host's \
                 memory as one total (cellNum -1)",
            ));
        }
        let fields = [VIR_NODE_MEMORY_STATS_TOTAL, VIR_NODE_MEMORY_STATS_FREE];
        let make = |field, value| virNodeMemoryStats { field, value };
        // SAFETY: the caller's pointers, as this function's contract says.
        unsafe {
            node_stats(params, nparams, &fields, make, || {
                let (total, free) = c.conn.node_memory_stats()?;
                Ok(vec![total, free])
            })
        }
    })
}

/// The host's DNS name; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetHostname(conn: virConnectPtr) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| owned_c_string(&c.conn.hostname()?))
}

/// The capabilities XML; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetCapabilities(conn: virConnectPtr) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        owned_c_string(&c.conn.capabilities_xml()?)
    })
}

/// The domain capabilities XML of the scope's host or cluster for a hardware version (see
/// `Connection::domain_capabilities`); the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library; the strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetDomainCapabilities(
    conn: virConnectPtr,
    emulatorbin: *const c_char,
    arch: *const c_char,
    machine: *const c_char,
    virttype: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        // No deprecated features to hide: the flag changes nothing.
        flags!(flags as DomainCapsFlags)?;
        let xml = c.conn.domain_capabilities(
            in_opt_str!(emulatorbin)?,
            in_opt_str!(arch)?,
            in_opt_str!(machine)?,
            in_opt_str!(virttype)?,
        )?;
        owned_c_string(&xml)
    })
}

/// SMBIOS-style sysinfo XML of the host's hardware; the caller frees it.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetSysinfo(conn: virConnectPtr, flags: c_uint) -> *mut c_char {
    export!(conn conn, ptr::null_mut(), |c| {
        flags!(flags as NoFlags)?;
        owned_c_string(&c.conn.sysinfo_xml()?)
    })
}

/// The most vCPUs a guest may have on this host; `type` may be NULL, "vmware" or "esx".
///
/// # Safety
/// `conn` is NULL or a connection from this library; `type` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetMaxVcpus(
    conn: virConnectPtr,
    r#type: *const c_char,
) -> c_int {
    export!(conn conn, -1, |c| {
        if let Some(t) = in_opt_str!(r#type)?
            && !t.eq_ignore_ascii_case("vmware")
            && !t.eq_ignore_ascii_case("esx")
        {
            return Err(Error::new(
                Code::InvalidArg,
                Domain::Esx,
                format!("unknown guest type '{t}' (should be vmware)"),
            ));
        }
        Ok(c.conn.max_vcpus()? as c_int)
    })
}
