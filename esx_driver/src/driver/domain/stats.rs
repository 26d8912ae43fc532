//! Domain statistics (virConnectGetAllDomainStats, virDomainListGetStats) from one property
//! read for every domain asked for, plus the QueryPerf batches its counters take.
//!
//! STATE, BALLOON and VCPU (but `vcpu.N.time`) come from that read (BALLOON's rss, available and unused from
//! quickStats, for running VMs); CPU_TOTAL's `cpu.time` and the counters of INTERFACE and
//! BLOCK from QueryPerf, batched for all VMs (see `driver::perf`), the devices they count
//! from the same read. The groups vSphere cannot answer (PERF, IOTHREAD, MEMORY, DIRTYRATE,
//! VM) are left out, or refused with ENFORCE_STATS, as libvirt does with groups a driver lacks.

use super::usage::{
    BlockCounters, DEVICE_PATHS, DiskUsage, MEMORY_PATHS, NicCounters, NicUsage, device_series,
    memory_of, vcpu_series,
};
use super::{PowerState, Vm};
use crate::abi::enums::{virDomainStatsTypes as T, virVcpuState as VcpuState};
use crate::abi::flags::StatsGroups as G;
use crate::driver::TypedValue;
use crate::driver::perf::{Counter, CpuTime, Series, Totals};
use crate::error::{Code, Error, Result};
use crate::vi::soap::MoRef;

/// Every group libvirt 11.3 defines (`VIR_DOMAIN_STATS_*`, up to VM).
const KNOWN: u32 = (T::VIR_DOMAIN_STATS_VM as u32) * 2 - 1;

/// The paths the listing reads for `groups`, beyond identity and sizing.
pub(crate) fn usage_paths(groups: G) -> &'static [&'static [&'static str]] {
    match (
        groups.intersects(G::INTERFACE | G::BLOCK),
        groups.contains(G::BALLOON),
    ) {
        (true, true) => &[DEVICE_PATHS, MEMORY_PATHS],
        (true, false) => &[DEVICE_PATHS],
        (false, true) => &[MEMORY_PATHS],
        (false, false) => &[],
    }
}

/// A domain's statistics, named as libvirt names them (`state.state`, `balloon.current`, …).
#[derive(Debug, Clone)]
pub struct StatsRecord {
    /// The domain the statistics are of, as the read found it.
    pub vm: Vm,
    /// Each statistic's libvirt name (`vcpu.0.state`) and value, group by group.
    pub fields: Vec<(String, TypedValue)>,
}

/// The groups to serve for `stats` (0: all served); unserved groups fail with `enforce`.
pub fn groups(stats: u32, enforce: bool) -> Result<G> {
    let served = G::all().bits();
    if stats & !KNOWN != 0 || (enforce && stats & !served != 0) {
        return Err(Error::esx(
            Code::InvalidArg,
            format!(
                "Stats types bits 0x{:x} are not supported by this daemon",
                stats & !served
            ),
        ));
    }
    Ok(match stats {
        0 => G::all(),
        s => G::from_bits_truncate(s),
    })
}

/// A VM's disks and NICs, from the read's device list (none without one).
pub(crate) type VmDevices = (Vec<DiskUsage>, Vec<NicUsage>);

pub(crate) fn record(
    vm: Vm,
    devices: &VmDevices,
    groups: G,
    totals: Option<&Totals>,
) -> StatsRecord {
    let mut fields = Vec::new();
    let none = Totals::new();
    let totals = totals.unwrap_or(&none);
    let running = vm.state == PowerState::PoweredOn;
    if groups.contains(G::STATE) {
        fields.push((
            "state.state".into(),
            TypedValue::Int(vm.state.libvirt_state()),
        ));
        fields.push((
            "state.reason".into(),
            TypedValue::Int(vm.state.libvirt_reason()),
        ));
    }
    if let Some(t) = CpuTime::of(totals).filter(|_| groups.contains(G::CPU_TOTAL)) {
        fields.push(("cpu.time".into(), TypedValue::ULLong(t.total)));
        push_counters(
            &mut fields,
            "cpu",
            &[("user", t.user), ("system", t.system)],
        );
    }
    if groups.contains(G::BALLOON) {
        fields.push((
            "balloon.current".into(),
            TypedValue::ULLong(vm.memory_kib()),
        ));
        fields.push((
            "balloon.maximum".into(),
            TypedValue::ULLong(vm.max_memory_kib()),
        ));
        if let Some(props) = vm.usage.as_deref().filter(|_| running) {
            let m = memory_of(props);
            fields.push(("balloon.unused".into(), TypedValue::ULLong(m.unused)));
            fields.push(("balloon.available".into(), TypedValue::ULLong(m.available)));
            fields.push(("balloon.rss".into(), TypedValue::ULLong(m.rss)));
        }
    }
    if groups.contains(G::VCPU) {
        // vSphere has no offline vCPUs: the configured count is both.
        let n = vm.num_cpu.max(0) as u32;
        let state = match vm.state {
            PowerState::PoweredOn => VcpuState::VIR_VCPU_RUNNING,
            _ => VcpuState::VIR_VCPU_OFFLINE,
        } as i32;
        fields.push(("vcpu.current".into(), TypedValue::UInt(n)));
        fields.push(("vcpu.maximum".into(), TypedValue::UInt(n)));
        for i in 0..n {
            fields.push((format!("vcpu.{i}.state"), TypedValue::Int(state)));
            if let Some(ns) = totals.get(&(Counter::CpuUsed, i.to_string())) {
                fields.push((format!("vcpu.{i}.time"), TypedValue::ULLong(*ns)));
            }
        }
    }
    let (disks, nics) = devices;
    if groups.contains(G::INTERFACE) {
        fields.push(("net.count".into(), TypedValue::UInt(nics.len() as u32)));
        for (i, nic) in nics.iter().enumerate() {
            fields.push((format!("net.{i}.name"), TypedValue::String(nic.mac.clone())));
            let c = NicCounters::of(totals, nic);
            let named = [
                ("rx.bytes", c.rx_bytes),
                ("rx.pkts", c.rx_packets),
                ("rx.errs", c.rx_errs),
                ("rx.drop", c.rx_drop),
                ("tx.bytes", c.tx_bytes),
                ("tx.pkts", c.tx_packets),
                ("tx.errs", c.tx_errs),
                ("tx.drop", c.tx_drop),
            ];
            push_counters(&mut fields, &format!("net.{i}"), &named);
        }
    }
    if groups.contains(G::BLOCK) {
        fields.push(("block.count".into(), TypedValue::UInt(disks.len() as u32)));
        for (i, disk) in disks.iter().enumerate() {
            fields.push((
                format!("block.{i}.name"),
                TypedValue::String(disk.target.clone()),
            ));
            if let Some(path) = &disk.path {
                fields.push((format!("block.{i}.path"), TypedValue::String(path.clone())));
            }
            let c = BlockCounters::of(totals, disk);
            let named = [
                ("rd.reqs", c.rd_reqs),
                ("rd.bytes", c.rd_bytes),
                ("wr.reqs", c.wr_reqs),
                ("wr.bytes", c.wr_bytes),
                ("capacity", disk.capacity),
            ];
            push_counters(&mut fields, &format!("block.{i}"), &named);
        }
    }
    StatsRecord { vm, fields }
}

fn push_counters(
    fields: &mut Vec<(String, TypedValue)>,
    prefix: &str,
    named: &[(&str, Option<u64>)],
) {
    for (name, value) in named {
        if let Some(v) = value {
            fields.push((format!("{prefix}.{name}"), TypedValue::ULLong(*v)));
        }
    }
}

/// The series each VM is counted by for `groups`: CPU time for all, devices of running
/// VMs (a stopped VM has no samples).
pub(crate) fn asks(vms: &[Vm], devices: &[VmDevices], groups: G) -> Vec<(MoRef, Vec<Series>)> {
    vms.iter()
        .zip(devices)
        .map(|(vm, (disks, nics))| {
            let mut series = Vec::new();
            if groups.contains(G::CPU_TOTAL) {
                series.extend(CpuTime::series());
            }
            if vm.state == PowerState::PoweredOn {
                if groups.contains(G::VCPU) {
                    series.extend(vcpu_series(vm));
                }
                let d: &[DiskUsage] = if groups.contains(G::BLOCK) {
                    disks
                } else {
                    &[]
                };
                let n: &[NicUsage] = if groups.contains(G::INTERFACE) {
                    nics
                } else {
                    &[]
                };
                series.extend(device_series(d, n));
            }
            (vm.moref.clone(), series)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_paths_cover_both_reads() {
        let both: Vec<&str> = usage_paths(G::all()).concat();
        assert!(
            DEVICE_PATHS
                .iter()
                .chain(MEMORY_PATHS)
                .all(|p| both.contains(p))
        );
        assert!(usage_paths(G::STATE | G::CPU_TOTAL | G::VCPU).is_empty());
    }
}
