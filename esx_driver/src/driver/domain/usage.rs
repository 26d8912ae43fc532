//! What a running VM uses: its disks and NICs as statistics name them, their I/O counters,
//! and its memory as quickStats reports it (virDomainBlockStats, InterfaceStats, MemoryStats).
//!
//! Disks are named by libvirt's target (`sda`) and found by target or file; their counters'
//! instance is vSphere's slot (`scsi0:0`). NICs are named and found by MAC address (the
//! domain XML has no target device), their counters' instance is the device key.

use super::{PowerState, Vm, invalid_state};
use crate::driver::Connection;
use crate::driver::domain::Domain;
use crate::driver::perf::{Counter, CpuTime, Series, Totals};
use crate::error::{Error, Result};
use crate::vi::node::Node;
use crate::vi::types::FromNode;
use crate::vi::views::vm::{DEVICES, POWER_STATE};
use crate::vi::views::vm::{QuickMemory, Slot};
use crate::vmx::{Dialect, disk_target, full_sd_targets};
use crate::xml::domain::DiskBus;
use std::collections::HashMap;

/// A disk as statistics name it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DiskUsage {
    /// The device key, as the VM's file layout names the disk.
    pub(crate) key: i32,
    pub(crate) target: String,
    pub(crate) path: Option<String>,
    pub(crate) capacity: Option<u64>,
    /// The counters' instance: `scsi0:0`, `ide1:0`, `sata0:2`, `nvme0:1`.
    pub(crate) instance: String,
}

impl DiskUsage {
    /// Whether `name` is its target (`sda`) or its file (`[ds] dir/x.vmdk`).
    pub(crate) fn is(&self, name: &str) -> bool {
        self.target == name || self.path.as_deref() == Some(name)
    }
}

/// A NIC as statistics name it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NicUsage {
    pub(crate) mac: String,
    /// The counters' instance: the device key.
    pub(crate) instance: String,
}

/// A VM's memory in KiB, from quickStats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUsage {
    /// Configured memory less what the balloon holds.
    pub actual: u64,
    /// The configured memory.
    pub available: u64,
    /// Configured memory less the active memory vSphere estimates.
    pub unused: u64,
    /// Host memory backing the VM (consumed).
    pub rss: u64,
}

/// A disk's counters (bytes and requests, cumulative); `None` where vSphere has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BlockCounters {
    /// Read requests.
    pub rd_reqs: Option<u64>,
    /// Bytes read.
    pub rd_bytes: Option<u64>,
    /// Write requests.
    pub wr_reqs: Option<u64>,
    /// Bytes written.
    pub wr_bytes: Option<u64>,
}

/// A NIC's counters (cumulative); `None` where vSphere has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NicCounters {
    /// Bytes received.
    pub rx_bytes: Option<u64>,
    /// Packets received.
    pub rx_packets: Option<u64>,
    /// Receive errors.
    pub rx_errs: Option<u64>,
    /// Received packets dropped.
    pub rx_drop: Option<u64>,
    /// Bytes sent.
    pub tx_bytes: Option<u64>,
    /// Packets sent.
    pub tx_packets: Option<u64>,
    /// Send errors.
    pub tx_errs: Option<u64>,
    /// Packets to send dropped.
    pub tx_drop: Option<u64>,
}

/// The paths a read needs for `disks_and_nics`.
pub(crate) const DEVICE_PATHS: &[&str] = &[DEVICES];
pub(crate) const MEMORY_PATHS: &[&str] = QuickMemory::PATHS;

const DISK_COUNTERS: [Counter; 4] = [
    Counter::DiskReadReqs,
    Counter::DiskReadBytes,
    Counter::DiskWriteReqs,
    Counter::DiskWriteBytes,
];
const NIC_COUNTERS: [Counter; 8] = [
    Counter::NetRxBytes,
    Counter::NetRxPackets,
    Counter::NetRxErrors,
    Counter::NetRxDrops,
    Counter::NetTxBytes,
    Counter::NetTxPackets,
    Counter::NetTxErrors,
    Counter::NetTxDrops,
];

/// The bus of a controller type, and its slot prefix in counter instances.
pub(crate) fn bus_of(kind: &str) -> Option<(DiskBus, &'static str)> {
    Some(match kind {
        "VirtualLsiLogicController"
        | "VirtualLsiLogicSASController"
        | "VirtualBusLogicController"
        | "ParaVirtualSCSIController" => (DiskBus::Scsi, "scsi"),
        "VirtualIDEController" => (DiskBus::Ide, "ide"),
        "VirtualAHCIController" => (DiskBus::Sata, "sata"),
        "VirtualNVMEController" => (DiskBus::Nvme, "nvme"),
        _ => return None,
    })
}

/// The disks and NICs of a read of `config.hardware.device` (`props` the object's), disks
/// named as the domain XML of `dialect` names them.
pub(crate) fn disks_and_nics(props: &Node, dialect: Dialect) -> (Vec<DiskUsage>, Vec<NicUsage>) {
    let nodes: Vec<(&str, Slot)> = props
        .path("config.hardware")
        .into_iter()
        .flat_map(|h| h.children_named("device"))
        .filter_map(|n| Some((n.xsi_type.as_deref().unwrap_or(""), Slot::from_node(n)?)))
        .collect();
    // each disk or CD-ROM with its bus, controller number and unit
    let drives: Vec<Drive<'_>> = nodes
        .iter()
        .filter(|(kind, _)| matches!(*kind, "VirtualDisk" | "VirtualCdrom"))
        .filter_map(|(kind, d)| {
            let (controller_kind, controller) = nodes
                .iter()
                .find(|(_, c)| Some(c.key) == d.controller_key)?;
            let (bus, prefix) = bus_of(controller_kind)?;
            let number = u32::try_from(controller.bus_number?).ok()?;
            let unit = u32::try_from(d.unit?).ok()?;
            Some((*kind, d, bus, prefix, number, unit))
        })
        .collect();
    let names = sd_targets(&drives, dialect);
    let disks = drives
        .iter()
        .filter(|(kind, ..)| *kind == "VirtualDisk")
        .filter_map(|(_, d, bus, prefix, number, unit)| {
            let (number, unit) = (*number, *unit);
            let target = match names.get(&(bus.clone(), number, unit)) {
                Some(name) => name.clone(),
                None => disk_target(bus, number, unit)?,
            };
            Some(DiskUsage {
                key: d.key,
                target,
                path: d.file.clone(),
                capacity: d
                    .capacity
                    .or(d.capacity_kb.map(|kb| kb.saturating_mul(1024)))
                    .and_then(|c| u64::try_from(c).ok()),
                instance: format!("{prefix}{number}:{unit}"),
            })
        })
        .collect();
    let nics = nodes
        .iter()
        .filter_map(|(_, n)| {
            Some(NicUsage {
                mac: n.mac.clone().filter(|m| !m.is_empty())?,
                instance: n.key.to_string(),
            })
        })
        .collect();
    (disks, nics)
}

/// The full dialect's names of the SCSI and SATA drives (see `full_sd_targets`), by slot;
/// empty for libvirt's, which names each slot alone.
type Drive<'a> = (&'a str, &'a Slot, DiskBus, &'static str, u32, u32);
fn sd_targets(drives: &[Drive<'_>], dialect: Dialect) -> HashMap<(DiskBus, u32, u32), String> {
    if dialect != Dialect::Full {
        return HashMap::new();
    }
    let rank = |bus: &DiskBus| match bus {
        DiskBus::Scsi => 0,
        DiskBus::Sata => 1,
        _ => 2,
    };
    // in the VMX reader's order
    let mut slots: Vec<(DiskBus, u32, u32)> = drives
        .iter()
        .filter(|(_, _, bus, ..)| rank(bus) < 2)
        .map(|(_, _, bus, _, number, unit)| (bus.clone(), *number, *unit))
        .collect();
    slots.sort_by_key(|(bus, number, unit)| (rank(bus), *number, *unit));
    let names = full_sd_targets(&slots);
    slots.into_iter().zip(names).collect()
}

/// Each vCPU's CPU time: `cpu.used` of instance `0`, `1`, …
pub(crate) fn vcpu_series(vm: &Vm) -> Vec<Series> {
    (0..vm.num_cpu.max(0))
        .map(|i| (Counter::CpuUsed, i.to_string()))
        .collect()
}

/// The memory of a read of `MEMORY_PATHS`.
pub(crate) fn memory_of(props: &Node) -> MemoryUsage {
    let q = QuickMemory::from_node(props).unwrap_or_default();
    let kib = super::mib_to_kib;
    MemoryUsage {
        actual: kib(q.memory_mb.saturating_sub(q.ballooned_mb.max(0))),
        available: kib(q.memory_mb),
        unused: kib(q.memory_mb.saturating_sub(q.active_mb.max(0))),
        rss: kib(q.consumed_mb),
    }
}

/// The series a VM's disks and NICs are counted by.
pub(crate) fn device_series(disks: &[DiskUsage], nics: &[NicUsage]) -> Vec<Series> {
    let disk = disks
        .iter()
        .flat_map(|d| DISK_COUNTERS.map(|c| (c, d.instance.clone())));
    let nic = nics
        .iter()
        .flat_map(|n| NIC_COUNTERS.map(|c| (c, n.instance.clone())));
    disk.chain(nic).collect()
}

fn total(totals: &Totals, c: Counter, instance: &str) -> Option<u64> {
    totals.get(&(c, instance.to_string())).copied()
}

impl BlockCounters {
    pub(crate) fn of(totals: &Totals, disk: &DiskUsage) -> BlockCounters {
        let t = |c| total(totals, c, &disk.instance);
        BlockCounters {
            rd_reqs: t(Counter::DiskReadReqs),
            rd_bytes: t(Counter::DiskReadBytes),
            wr_reqs: t(Counter::DiskWriteReqs),
            wr_bytes: t(Counter::DiskWriteBytes),
        }
    }
}

impl NicCounters {
    pub(crate) fn of(totals: &Totals, nic: &NicUsage) -> NicCounters {
        let t = |c| total(totals, c, &nic.instance);
        NicCounters {
            rx_bytes: t(Counter::NetRxBytes),
            rx_packets: t(Counter::NetRxPackets),
            rx_errs: t(Counter::NetRxErrors),
            rx_drop: t(Counter::NetRxDrops),
            tx_bytes: t(Counter::NetTxBytes),
            tx_packets: t(Counter::NetTxPackets),
            tx_errs: t(Counter::NetTxErrors),
            tx_drop: t(Counter::NetTxDrops),
        }
    }
}

/// Nothing where the server keeps no statistics (NO_SUPPORT), which info calls answer with 0,
/// as libvirt's ESX driver does.
pub(crate) fn if_kept<T: Default>(r: Result<T>) -> Result<T> {
    match r {
        Err(e) if e.code == crate::error::Code::NoSupport => Ok(T::default()),
        other => other,
    }
}

fn running(vm: &Vm, state: PowerState) -> Result<()> {
    match state {
        PowerState::PoweredOn => Ok(()),
        _ => Err(invalid_state(format!(
            "domain '{}' is not running",
            vm.name
        ))),
    }
}

impl Domain {
    /// virDomainGetCPUStats' totals: the VM's CPU time, split into user and system time
    /// (one QueryPerf); zero where the server counts none.
    pub fn cpu_stats(&self) -> Result<CpuTime> {
        let moref = self.cached().moref;
        let mut times = self
            .conn()
            .perf
            .cpu_times(&self.conn().primary.client, std::slice::from_ref(&moref))?;
        Ok(times.remove(&moref).unwrap_or_default())
    }

    /// virDomainMemoryStats' values: one read.
    pub fn memory_stats(&self) -> Result<MemoryUsage> {
        let (conn, vm) = (self.conn(), &self.cached());
        Ok(memory_of(&running_props(conn, vm, MEMORY_PATHS)?))
    }

    /// The counters of the disk named by target (`sda`) or file (`[ds] dir/x.vmdk`), or
    /// with "" the sum over all disks, as libvirt's QEMU driver: one read and one QueryPerf.
    pub fn block_stats(&self, disk: &str) -> Result<BlockCounters> {
        let (conn, vm) = (self.conn(), &self.cached());
        let props = running_props(conn, vm, DEVICE_PATHS)?;
        let (mut disks, _) = disks_and_nics(&props, conn.spec.dialect);
        if !disk.is_empty() {
            disks.retain(|d| d.is(disk));
            if disks.is_empty() {
                return Err(Error::invalid_arg(format!("invalid path: {disk}")));
            }
        }
        let totals = device_totals(conn, vm, &disks, &[])?;
        let sum = |f: fn(&BlockCounters) -> Option<u64>| {
            disks
                .iter()
                .map(|d| f(&BlockCounters::of(&totals, d)))
                .try_fold(0u64, |acc, v| Some(acc.saturating_add(v?)))
        };
        Ok(BlockCounters {
            rd_reqs: sum(|c| c.rd_reqs),
            rd_bytes: sum(|c| c.rd_bytes),
            wr_reqs: sum(|c| c.wr_reqs),
            wr_bytes: sum(|c| c.wr_bytes),
        })
    }

    /// The counters of the NIC with this MAC address: one read and one QueryPerf.
    pub fn interface_stats(&self, device: &str) -> Result<NicCounters> {
        let (conn, vm) = (self.conn(), &self.cached());
        let props = running_props(conn, vm, DEVICE_PATHS)?;
        let (_, nics) = disks_and_nics(&props, conn.spec.dialect);
        let found = nics
            .into_iter()
            .find(|n| n.mac.eq_ignore_ascii_case(device))
            .ok_or_else(|| {
                Error::invalid_arg(format!(
                    "invalid path, '{device}' is not a known interface (name them by MAC \
                     address)"
                ))
            })?;
        let totals = device_totals(conn, vm, &[], std::slice::from_ref(&found))?;
        Ok(NicCounters::of(&totals, &found))
    }

    /// virDomainGetVcpus' cpuTime of each vCPU of the running domain (one read of its state
    /// and vCPUs, and the counters).
    pub fn vcpu_times(&self) -> Result<Vec<u64>> {
        let (conn, vm) = (self.conn(), &self.current()?);
        if !vm.state.is_active() {
            return Err(invalid_state("domain is not running"));
        }
        let series = vcpu_series(vm);
        let totals = running_totals(conn, vm, series.clone())?;
        Ok(series
            .iter()
            .map(|s| totals.get(s).copied().unwrap_or(0))
            .collect())
    }
}

/// One read of the VM's power state and `paths`; the VM must be running.
fn running_props(conn: &Connection, vm: &Vm, paths: &[&str]) -> Result<Node> {
    let mut all = vec![POWER_STATE];
    all.extend(paths);
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, &all)?
        .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))?;
    let state = oc
        .props
        .text_at(POWER_STATE)
        .map(PowerState::parse)
        .unwrap_or(PowerState::PoweredOff);
    running(vm, state)?;
    Ok(oc.props)
}

/// virDomainGetInfo's cpuTime: the CPU time counted for a running VM (one QueryPerf),
/// 0 for a stopped one or where the server keeps no statistics.
pub(crate) fn cpu_time(conn: &Connection, vm: &Vm) -> Result<u64> {
    let totals = running_totals(conn, vm, CpuTime::series())?;
    Ok(CpuTime::of(&totals).map_or(0, |t| t.total))
}

/// A running VM's totals of `series`; none for a stopped VM or a server without
/// statistics.
fn running_totals(conn: &Connection, vm: &Vm, series: Vec<Series>) -> Result<Totals> {
    if vm.state != PowerState::PoweredOn {
        return Ok(Totals::new());
    }
    let mut counted = if_kept(
        conn.perf
            .counted(&conn.primary.client, &[(vm.moref.clone(), series)]),
    )?;
    Ok(counted.remove(&vm.moref).unwrap_or_default())
}

fn device_totals(
    conn: &Connection,
    vm: &Vm,
    disks: &[DiskUsage],
    nics: &[NicUsage],
) -> Result<Totals> {
    let asks = [(vm.moref.clone(), device_series(disks, nics))];
    Ok(conn
        .perf
        .counted(&conn.primary.client, &asks)?
        .remove(&vm.moref)
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vi::node::parse;

    #[test]
    fn disks_are_named_by_target_and_slot() {
        let props = parse(
            r#"<p xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><config><hardware>
            <device xsi:type="VirtualLsiLogicController"><key>1000</key><busNumber>0</busNumber></device>
            <device xsi:type="VirtualIDEController"><key>200</key><busNumber>1</busNumber></device>
            <device xsi:type="VirtualDisk"><key>2000</key><controllerKey>1000</controllerKey><unitNumber>8</unitNumber>
              <backing><fileName>[ds] a/a.vmdk</fileName></backing><capacityInBytes>1024</capacityInBytes></device>
            <device xsi:type="VirtualDisk"><key>3000</key><controllerKey>200</controllerKey><unitNumber>1</unitNumber></device>
            <device xsi:type="VirtualVmxnet3"><key>4000</key><macAddress>00:50:56:aa:bb:cc</macAddress></device>
            <device xsi:type="VirtualAHCIController"><key>15000</key><busNumber>0</busNumber></device>
            <device xsi:type="VirtualCdrom"><key>16000</key><controllerKey>15000</controllerKey><unitNumber>0</unitNumber></device>
            <device xsi:type="VirtualDisk"><key>16001</key><controllerKey>15000</controllerKey><unitNumber>7</unitNumber></device>
            </hardware></config></p>"#,
        )
        .unwrap();
        // SATA names as the full dialect's XML gives them: sdh is scsi0:8's, so sata0:7 takes
        // the lowest free one after the CD-ROM's sda
        let (libvirt, _) = disks_and_nics(&props, Dialect::Libvirt);
        assert_eq!(libvirt[2].target, "sdh");
        let (mut disks, nics) = disks_and_nics(&props, Dialect::Full);
        assert_eq!(
            disks.pop().map(|d| (d.target, d.instance)),
            Some(("sdb".into(), "sata0:7".into()))
        );
        assert_eq!(disks.len(), 2);
        assert_eq!(disks[0].target, "sdh");
        assert_eq!(disks[0].instance, "scsi0:8");
        assert_eq!(disks[0].path.as_deref(), Some("[ds] a/a.vmdk"));
        assert_eq!(disks[0].capacity, Some(1024));
        assert_eq!(disks[1].target, "hdd");
        assert_eq!(disks[1].instance, "ide1:1");
        assert_eq!(
            nics,
            vec![NicUsage {
                mac: "00:50:56:aa:bb:cc".into(),
                instance: "4000".into()
            }]
        );
        assert_eq!(device_series(&disks, &nics).len(), 16);
    }
}
