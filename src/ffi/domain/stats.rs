//! virConnectGetAllDomainStats, virDomainListGetStats and virDomainStatsRecordListFree: the
//! driver's records (see `driver::domain::stats`) as a NULL-terminated malloc'd list of
//! malloc'd records, each with a domain handle and typed parameters.

use crate::abi::flags::{StatsFlags, StatsGroups};
use crate::driver::domain::stats::{StatsRecord, groups};
use crate::error::{Error, Result};
use crate::ffi::args::{flags, out, out_slice};
use crate::ffi::export::export;
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::malloc::MallocArray;
use crate::ffi::typed_params::{Builder, TypedValue, virTypedParamsFree};
use crate::ffi::types::{
    virConnectPtr, virDomainPtr, virDomainStatsRecord, virDomainStatsRecordPtr, virTypedParameter,
};
use std::ffi::{c_int, c_uint};

/// One record, malloc'd with its parameters and a new domain handle.
fn c_record(c: &ConnectHandle, r: StatsRecord) -> Result<virDomainStatsRecordPtr> {
    let built = r
        .fields
        .into_iter()
        .fold(Builder::default(), |b, (f, s)| b.add(f, s));
    let mut rec = MallocArray::<virDomainStatsRecord>::zeroed(1)?;
    let (params, filled) = built.into_malloc()?;
    let slot = &mut rec.as_mut_slice()[0];
    slot.nparams = filled as c_int;
    slot.params = params.into_raw();
    slot.dom = DomainHandle::into_c(c.domain(r.vm));
    Ok(rec.into_raw())
}

/// The list, or nothing left behind when a record cannot be made.
fn c_list(
    c: &ConnectHandle,
    recs: Vec<StatsRecord>,
) -> Result<(*mut virDomainStatsRecordPtr, c_int)> {
    let n = recs.len();
    let list = MallocArray::<virDomainStatsRecordPtr>::zeroed(n + 1)?.into_raw();
    for (i, r) in recs.into_iter().enumerate() {
        match c_record(c, r) {
            Ok(p) => {
                // SAFETY: `list` holds n + 1 slots; i < n.
                let slot = unsafe { list.add(i) };
                // SAFETY: as above: a slot of the list, writable.
                unsafe { *slot = p };
            }
            Err(e) => {
                // SAFETY: a NULL-terminated list of records made here.
                unsafe { virDomainStatsRecordListFree(list) };
                return Err(e);
            }
        }
    }
    Ok((list, n as c_int))
}

fn served(stats: c_uint, f: StatsFlags) -> Result<StatsGroups> {
    groups(stats, f.contains(StatsFlags::ENFORCE_STATS))
}

/// Statistics of every domain the flags' filters keep (STATE, BALLOON and VCPU groups),
/// from one read of the scope's VMs.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `retStats` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectGetAllDomainStats(
    conn: virConnectPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        let f = flags!(flags as StatsFlags)?;
        let out = out!(retStats)?;
        let wanted = served(stats, f)?;
        let filter = f.list_filter();
        let recs = c.conn.all_domain_stats(filter, wanted)?;
        let (list, n) = c_list(c, recs)?;
        out.set(list);
        Ok(n)
    })
}

/// Statistics of the given domains (a NULL-terminated array of one connection's).
///
/// # Safety
/// `doms` is NULL or a NULL-terminated array of domains from this library; `retStats`
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainListGetStats(
    doms: *mut virDomainPtr,
    stats: c_uint,
    retStats: *mut *mut virDomainStatsRecordPtr,
    flags: c_uint,
) -> c_int {
    export!(-1, || {
        let f = flags!(flags as StatsFlags)?;
        if !f.list_filter().is_empty() {
            return Err(Error::invalid_arg(
                "virDomainListGetStats: domain filter flags are for virConnectGetAllDomainStats",
            ));
        }
        let out = out!(retStats)?;
        if doms.is_null() {
            return Err(Error::invalid_arg(
                "doms in virDomainListGetStats must not be NULL",
            ));
        }
        let mut handles = Vec::new();
        loop {
            // SAFETY: a NULL-terminated array, per the contract: this slot exists.
            let at = unsafe { doms.add(handles.len()) };
            // SAFETY: as above, readable.
            let p = unsafe { at.read() };
            if p.is_null() {
                break;
            }
            // SAFETY: each entry is a domain from this library.
            handles.push(unsafe { DomainHandle::borrow(p, "virDomainListGetStats") }?);
        }
        let Some(first) = handles.first() else {
            return Err(Error::invalid_arg("doms in virDomainListGetStats is empty"));
        };
        if handles
            .iter()
            .any(|h| !std::sync::Arc::ptr_eq(&h.conn, &first.conn))
        {
            return Err(Error::invalid_arg(
                "virDomainListGetStats: domains must all be from the same connection",
            ));
        }
        let wanted = served(stats, f)?;
        let morefs: Vec<_> = handles
            .iter()
            .map(|h| h.dom.cached().moref.clone())
            .collect();
        let recs = first.conn.conn.domain_stats(&morefs, wanted)?;
        let (list, n) = c_list(&first.conn, recs)?;
        out.set(list);
        Ok(n)
    })
}

/// Frees a list from virConnectGetAllDomainStats or virDomainListGetStats.
///
/// # Safety
/// `stats` is NULL or such a list, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainStatsRecordListFree(stats: *mut virDomainStatsRecordPtr) {
    if stats.is_null() {
        return;
    }
    let mut i = 0;
    loop {
        // SAFETY: a NULL-terminated list, per the contract: this slot exists.
        let at = unsafe { stats.add(i) };
        // SAFETY: as above, readable.
        let rec = unsafe { *at };
        if rec.is_null() {
            break;
        }
        // SAFETY: a record made by c_record.
        let r = unsafe { &*rec };
        if !r.dom.is_null() {
            // SAFETY: the record's own domain reference.
            unsafe { DomainHandle::release(r.dom) };
        }
        // SAFETY: the record's malloc'd parameters.
        unsafe { virTypedParamsFree(r.params, r.nparams) };
        // SAFETY: the record itself, malloc'd by c_record.
        unsafe { libc::free(rec.cast()) };
        i += 1;
    }
    // SAFETY: the list itself is malloc'd.
    unsafe { libc::free(stats.cast()) };
}

/// The domain's total CPU time (`start_cpu` -1, `ncpus` 1): `cpu_time`, `user_time` and
/// `system_time` in nanoseconds, cumulative from this connection's first read (see
/// `driver::perf`; system is the hypervisor's time for the VM, user the rest); with `params`
/// NULL and `nparams` 0, how many parameters there are. vSphere keeps no per-host-CPU time
/// of a VM, so per-CPU queries are refused.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` NULL or holding `nparams`
/// entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetCPUStats(
    domain: virDomainPtr,
    params: *mut virTypedParameter,
    nparams: c_uint,
    start_cpu: c_int,
    ncpus: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as crate::abi::flags::NoFlags)?;
        if start_cpu != -1 {
            return Err(Error::esx(
                crate::error::Code::NoSupport,
                "per-CPU statistics are not available: vSphere reports a VM's CPU time as \
                 one total (start_cpu -1, ncpus 1)",
            ));
        }
        if ncpus != 1 {
            return Err(Error::invalid_arg("ncpus must be 1 when start_cpu is -1"));
        }
        if params.is_null() && nparams == 0 {
            return Ok(3);
        }
        let out = out_slice!(params, nparams as usize)?;
        let t = d.dom.cpu_stats()?;
        let split = [("user_time", t.user), ("system_time", t.system)];
        let n = split
            .into_iter()
            .filter_map(|(f, v)| Some((f, v?)))
            .fold(
                Builder::default().add("cpu_time", TypedValue::ULLong(t.total)),
                |b, (f, v)| b.add(f, TypedValue::ULLong(v)),
            )
            .fill(out)?;
        Ok(n as c_int)
    })
}
