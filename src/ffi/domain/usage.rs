//! virDomainMemoryStats, virDomainBlockStats(Flags) and virDomainInterfaceStats: a running
//! VM's memory from quickStats and its disks' and NICs' counters (see `driver::domain::usage`).

use crate::abi::enums::{
    VIR_DOMAIN_BLOCK_STATS_READ_BYTES, VIR_DOMAIN_BLOCK_STATS_READ_REQ,
    VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, VIR_DOMAIN_BLOCK_STATS_WRITE_REQ,
    virDomainMemoryStatTags as Tag,
};
use crate::abi::flags::{NoFlags, TypedParamFlags};
use crate::error::{Error, Result};
use crate::ffi::args::{count, flags, in_str, out, out_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::typed_params::{Builder, TypedValue};
use crate::ffi::types::{
    virDomainBlockStatsPtr, virDomainBlockStatsStruct, virDomainInterfaceStatsPtr,
    virDomainInterfaceStatsStruct, virDomainMemoryStatPtr, virDomainMemoryStatStruct, virDomainPtr,
    virTypedParameterPtr,
};
use std::ffi::{c_char, c_int, c_longlong, c_uint};

/// A counter as libvirt's structs hold it: -1 where unknown.
fn known(v: Option<u64>) -> c_longlong {
    v.map_or(-1, |v| v.min(i64::MAX as u64) as c_longlong)
}

/// Copies the first `size` bytes of `value` to `dst`, as libvirt's core does for callers
/// built against an older, shorter struct; a larger `size` is refused.
///
/// # Safety
/// `dst` is NULL or holds `size` writable bytes.
unsafe fn put_sized<T>(dst: *mut T, size: usize, value: T, api: &str) -> Result<()> {
    if dst.is_null() || size > std::mem::size_of::<T>() {
        return Err(Error::invalid_arg(format!(
            "stats in {api} must be non-NULL and size at most {}",
            std::mem::size_of::<T>()
        )));
    }
    // SAFETY: `dst` holds `size` bytes (the caller's contract), `size` ≤ size_of::<T>(),
    // and `value` lives until the copy is made; byte copies need no alignment.
    unsafe {
        std::ptr::copy_nonoverlapping((&value as *const T).cast::<u8>(), dst.cast::<u8>(), size)
    };
    Ok(())
}

/// The memory statistics of a running domain, in KiB: the balloon's current value
/// (configured memory less the ballooned), available (configured), unused (configured less
/// vSphere's active-memory estimate) and rss (host memory consumed). Fills at most
/// `nr_stats` (and VIR_DOMAIN_MEMORY_STAT_NR) entries and returns how many.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `stats` NULL or holding `nr_stats` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainMemoryStats(
    dom: virDomainPtr,
    stats: virDomainMemoryStatPtr,
    nr_stats: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as NoFlags)?;
        if stats.is_null() || nr_stats == 0 {
            return Ok(0);
        }
        let room = (nr_stats as usize).min(Tag::VIR_DOMAIN_MEMORY_STAT_NR as usize);
        let out = out_slice!(stats, room)?;
        let m = d.dom.memory_stats()?;
        let all = [
            (Tag::VIR_DOMAIN_MEMORY_STAT_UNUSED, m.unused),
            (Tag::VIR_DOMAIN_MEMORY_STAT_AVAILABLE, m.available),
            (Tag::VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON, m.actual),
            (Tag::VIR_DOMAIN_MEMORY_STAT_RSS, m.rss),
        ];
        let mut n = 0;
        for (slot, (tag, val)) in out.iter_mut().zip(all) {
            *slot = virDomainMemoryStatStruct {
                tag: tag as c_int,
                val,
            };
            n += 1;
        }
        Ok(n)
    })
}

/// A running domain's disk counters (cumulative, see `driver::perf`): `disk` is a target
/// (`sda`), a file (`[ds] dir/x.vmdk`) or "" for all disks together; `errs` is -1 (vSphere
/// counts none).
///
/// # Safety
/// `dom` is NULL or a domain from this library; `disk` NULL or a C string; `stats` NULL or
/// `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainBlockStats(
    dom: virDomainPtr,
    disk: *const c_char,
    stats: virDomainBlockStatsPtr,
    size: usize,
) -> c_int {
    export!(dom dom, -1, |d| {
        let disk = in_str!(disk)?;
        let c = d.dom.block_stats(disk)?;
        let value = virDomainBlockStatsStruct {
            rd_req: known(c.rd_reqs),
            rd_bytes: known(c.rd_bytes),
            wr_req: known(c.wr_reqs),
            wr_bytes: known(c.wr_bytes),
            errs: -1,
        };
        // SAFETY: `stats` holds `size` bytes per this function's contract.
        unsafe { put_sized(stats, size, value, api_name!()) }?;
        Ok(0)
    })
}

/// As virDomainBlockStats, as typed parameters (`rd_operations`, `rd_bytes`,
/// `wr_operations`, `wr_bytes`); with `*nparams` 0, how many there are.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `disk` NULL or a C string; `nparams`
/// writable; `params` NULL or holding `*nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainBlockStatsFlags(
    dom: virDomainPtr,
    disk: *const c_char,
    params: virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as TypedParamFlags)?;
        let disk = in_str!(disk)?;
        let n = out!(nparams)?;
        if n.get() == 0 {
            n.set(4);
            return Ok(0);
        }
        let room = out_slice!(params, count(n.get(), "nparams", api_name!())?)?;
        let c = d.dom.block_stats(disk)?;
        let built = [
            (VIR_DOMAIN_BLOCK_STATS_READ_REQ, c.rd_reqs),
            (VIR_DOMAIN_BLOCK_STATS_READ_BYTES, c.rd_bytes),
            (VIR_DOMAIN_BLOCK_STATS_WRITE_REQ, c.wr_reqs),
            (VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES, c.wr_bytes),
        ]
        .into_iter()
        .filter_map(|(f, v)| Some((f, known(Some(v?)))))
        .fold(Builder::default(), |b, (f, v)| b.add(f, TypedValue::LLong(v)));
        n.set(built.fill(room)? as c_int);
        Ok(0)
    })
}

/// A running domain's NIC counters (cumulative, see `driver::perf`): `device` is the NIC's
/// MAC address, as `net.N.name` of the domain statistics names it.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `device` NULL or a C string; `stats` NULL or
/// `size` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainInterfaceStats(
    dom: virDomainPtr,
    device: *const c_char,
    stats: virDomainInterfaceStatsPtr,
    size: usize,
) -> c_int {
    export!(dom dom, -1, |d| {
        let device = in_str!(device)?;
        let c = d.dom.interface_stats(device)?;
        let value = virDomainInterfaceStatsStruct {
            rx_bytes: known(c.rx_bytes),
            rx_packets: known(c.rx_packets),
            rx_errs: known(c.rx_errs),
            rx_drop: known(c.rx_drop),
            tx_bytes: known(c.tx_bytes),
            tx_packets: known(c.tx_packets),
            tx_errs: known(c.tx_errs),
            tx_drop: known(c.tx_drop),
        };
        // SAFETY: `stats` holds `size` bytes per this function's contract.
        unsafe { put_sized(stats, size, value, api_name!()) }?;
        Ok(0)
    })
}
