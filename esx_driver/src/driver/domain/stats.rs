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
use crate::driver::perf::{Counter, CpuTime, Series, Totals};
use crate::error::{Code, Error, Result};
use crate::vi::soap::MoRef;

/// libvirt's `virDomainStatsTypes` bits this library serves.
const STATE: u32 = T::VIR_DOMAIN_STATS_STATE as u32;
const CPU_TOTAL: u32 = T::VIR_DOMAIN_STATS_CPU_TOTAL as u32;
const BALLOON: u32 = T::VIR_DOMAIN_STATS_BALLOON as u32;
const VCPU: u32 = T::VIR_DOMAIN_STATS_VCPU as u32;
const INTERFACE: u32 = T::VIR_DOMAIN_STATS_INTERFACE as u32;
const BLOCK: u32 = T::VIR_DOMAIN_STATS_BLOCK as u32;
const SERVED: u32 = STATE | CPU_TOTAL | BALLOON | VCPU | INTERFACE | BLOCK;
/// Every group libvirt 11.3 defines (`VIR_DOMAIN_STATS_*`, up to VM).
const KNOWN: u32 = (T::VIR_DOMAIN_STATS_VM as u32) * 2 - 1;

/// The paths the listing reads for `groups`, beyond identity and sizing.
pub(crate) fn usage_paths(groups: u32) -> &'static [&'static [&'static str]] {
    match (groups & (INTERFACE | BLOCK) != 0, groups & BALLOON != 0) {
        (true, true) => &[DEVICE_PATHS, MEMORY_PATHS],
        (true, false) => &[DEVICE_PATHS],
        (false, true) => &[MEMORY_PATHS],
        (false, false) => &[],
    }
}

/// One statistic's value, typed as libvirt types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    /// libvirt's `VIR_TYPED_PARAM_INT` (`state.state`).
    Int(i32),
    /// libvirt's `VIR_TYPED_PARAM_UINT` (`vcpu.current`).
    UInt(u32),
    /// libvirt's `VIR_TYPED_PARAM_ULLONG` (`balloon.current`, in KiB).
    ULLong(u64),
    /// libvirt's `VIR_TYPED_PARAM_STRING` (`net.0.name`).
    Str(String),
}

/// A domain's statistics, named as libvirt names them (`state.state`, `balloon.current`, …).
#[derive(Debug, Clone)]
pub struct StatsRecord {
    /// The domain the statistics are of, as the read found it.
    pub vm: Vm,
    /// Each statistic's libvirt name (`vcpu.0.state`) and value, group by group.
    pub fields: Vec<(String, Stat)>,
}

/// The groups to serve for `stats` (0: all served); unserved groups fail with `enforce`.
pub fn groups(stats: u32, enforce: bool) -> Result<u32> {
    if stats & !KNOWN != 0 || (enforce && stats & !SERVED != 0) {
        return Err(Error::esx(
            Code::InvalidArg,
            format!(
                "Stats types bits 0x{:x} are not supported by this daemon",
                stats & !SERVED
            ),
        ));
    }
    Ok(match stats {
        0 => SERVED,
        s => s & SERVED,
    })
}

/// A VM's disks and NICs, from the read's device list (none without one).
pub(crate) type VmDevices = (Vec<DiskUsage>, Vec<NicUsage>);

pub(crate) fn record(
    vm: Vm,
    devices: &VmDevices,
    groups: u32,
    totals: Option<&Totals>,
) -> StatsRecord {
    let mut fields = Vec::new();
    let none = Totals::new();
    let totals = totals.unwrap_or(&none);
    let running = vm.state == PowerState::PoweredOn;
    if groups & STATE != 0 {
        fields.push(("state.state".into(), Stat::Int(vm.state.libvirt_state())));
        fields.push(("state.reason".into(), Stat::Int(vm.state.libvirt_reason())));
    }
    if let Some(t) = CpuTime::of(totals).filter(|_| groups & CPU_TOTAL != 0) {
        fields.push(("cpu.time".into(), Stat::ULLong(t.total)));
        push_counters(
            &mut fields,
            "cpu",
            &[("user", t.user), ("system", t.system)],
        );
    }
    if groups & BALLOON != 0 {
        fields.push(("balloon.current".into(), Stat::ULLong(vm.memory_kib())));
        fields.push(("balloon.maximum".into(), Stat::ULLong(vm.max_memory_kib())));
        if let Some(props) = vm.usage.as_deref().filter(|_| running) {
            let m = memory_of(props);
            fields.push(("balloon.unused".into(), Stat::ULLong(m.unused)));
            fields.push(("balloon.available".into(), Stat::ULLong(m.available)));
            fields.push(("balloon.rss".into(), Stat::ULLong(m.rss)));
        }
    }
    if groups & VCPU != 0 {
        // vSphere has no offline vCPUs: the configured count is both.
        let n = vm.num_cpu.max(0) as u32;
        let state = match vm.state {
            PowerState::PoweredOn => VcpuState::VIR_VCPU_RUNNING,
            _ => VcpuState::VIR_VCPU_OFFLINE,
        } as i32;
        fields.push(("vcpu.current".into(), Stat::UInt(n)));
        fields.push(("vcpu.maximum".into(), Stat::UInt(n)));
        for i in 0..n {
            fields.push((format!("vcpu.{i}.state"), Stat::Int(state)));
            if let Some(ns) = totals.get(&(Counter::CpuUsed, i.to_string())) {
                fields.push((format!("vcpu.{i}.time"), Stat::ULLong(*ns)));
            }
        }
    }
    let (disks, nics) = devices;
    if groups & INTERFACE != 0 {
        fields.push(("net.count".into(), Stat::UInt(nics.len() as u32)));
        for (i, nic) in nics.iter().enumerate() {
            fields.push((format!("net.{i}.name"), Stat::Str(nic.mac.clone())));
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
    if groups & BLOCK != 0 {
        fields.push(("block.count".into(), Stat::UInt(disks.len() as u32)));
        for (i, disk) in disks.iter().enumerate() {
            fields.push((format!("block.{i}.name"), Stat::Str(disk.target.clone())));
            if let Some(path) = &disk.path {
                fields.push((format!("block.{i}.path"), Stat::Str(path.clone())));
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

fn push_counters(fields: &mut Vec<(String, Stat)>, prefix: &str, named: &[(&str, Option<u64>)]) {
    for (name, value) in named {
        if let Some(v) = value {
            fields.push((format!("{prefix}.{name}"), Stat::ULLong(*v)));
        }
    }
}

/// The series each VM is counted by for `groups`: CPU time for all, devices of running
/// VMs (a stopped VM has no samples).
pub(crate) fn asks(vms: &[Vm], devices: &[VmDevices], groups: u32) -> Vec<(MoRef, Vec<Series>)> {
    vms.iter()
        .zip(devices)
        .map(|(vm, (disks, nics))| {
            let mut series = Vec::new();
            if groups & CPU_TOTAL != 0 {
                series.extend(CpuTime::series());
            }
            if vm.state == PowerState::PoweredOn {
                if groups & VCPU != 0 {
                    series.extend(vcpu_series(vm));
                }
                let d: &[DiskUsage] = if groups & BLOCK != 0 { disks } else { &[] };
                let n: &[NicUsage] = if groups & INTERFACE != 0 { nics } else { &[] };
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
        let both: Vec<&str> = usage_paths(SERVED).concat();
        assert!(
            DEVICE_PATHS
                .iter()
                .chain(MEMORY_PATHS)
                .all(|p| both.contains(p))
        );
        assert!(usage_paths(STATE | CPU_TOTAL | VCPU).is_empty());
    }
}
