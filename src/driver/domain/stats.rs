//! Domain statistics (virConnectGetAllDomainStats, virDomainListGetStats) from one property
//! read for every domain asked for: the groups vSphere's configuration and state answer.
//!
//! STATE, BALLOON and VCPU come from that read; CPU_TOTAL's `cpu.time` from one QueryPerf
//! per 1,000 VMs (see `driver::perf`). The groups that need the device list or other
//! counters (INTERFACE, BLOCK, …) are left out, or refused with ENFORCE_STATS, as libvirt
//! does with groups a driver lacks.

use super::{PowerState, Vm};
use crate::abi::enums::{virDomainStatsTypes as T, virVcpuState as VcpuState};
use crate::driver::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::soap::MoRef;

/// libvirt's `virDomainStatsTypes` bits this library serves.
const STATE: u32 = T::VIR_DOMAIN_STATS_STATE as u32;
const CPU_TOTAL: u32 = T::VIR_DOMAIN_STATS_CPU_TOTAL as u32;
const BALLOON: u32 = T::VIR_DOMAIN_STATS_BALLOON as u32;
const VCPU: u32 = T::VIR_DOMAIN_STATS_VCPU as u32;
const SERVED: u32 = STATE | CPU_TOTAL | BALLOON | VCPU;
/// Every group libvirt 11.3 defines (`VIR_DOMAIN_STATS_*`, up to VM).
const KNOWN: u32 = (T::VIR_DOMAIN_STATS_VM as u32) * 2 - 1;

/// One statistic's value, typed as libvirt types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    Int(i32),
    UInt(u32),
    ULLong(u64),
}

/// A domain's statistics, named as libvirt names them (`state.state`, `balloon.current`, …).
#[derive(Debug, Clone)]
pub struct StatsRecord {
    pub vm: Vm,
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

fn record(vm: Vm, groups: u32, cpu_ns: Option<u64>) -> StatsRecord {
    let mut fields = Vec::new();
    if groups & STATE != 0 {
        fields.push(("state.state".into(), Stat::Int(vm.state.libvirt_state())));
        fields.push(("state.reason".into(), Stat::Int(vm.state.libvirt_reason())));
    }
    if let Some(ns) = cpu_ns.filter(|_| groups & CPU_TOTAL != 0) {
        fields.push(("cpu.time".into(), Stat::ULLong(ns)));
    }
    if groups & BALLOON != 0 {
        fields.push(("balloon.current".into(), Stat::ULLong(vm.memory_kib())));
        fields.push(("balloon.maximum".into(), Stat::ULLong(vm.max_memory_kib())));
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
        }
    }
    StatsRecord { vm, fields }
}

impl Connection {
    /// Statistics of every domain `filter` keeps, from one read.
    pub fn all_domain_stats(
        &self,
        filter: crate::abi::flags::ListDomainsFlags,
        groups: u32,
    ) -> Result<Vec<StatsRecord>> {
        let vms = self.list_all_domains_sized(filter)?;
        self.records(vms, groups)
    }

    /// The records of `vms`, with their CPU time when asked for.
    fn records(&self, vms: Vec<Vm>, groups: u32) -> Result<Vec<StatsRecord>> {
        let cpu = match groups & CPU_TOTAL {
            0 => Default::default(),
            _ => {
                let morefs: Vec<MoRef> = vms.iter().map(|v| v.moref.clone()).collect();
                self.cpu_times(&morefs)?
            }
        };
        Ok(vms
            .into_iter()
            .map(|vm| {
                let ns = cpu.get(&vm.moref).copied();
                record(vm, groups, ns)
            })
            .collect())
    }

    /// Statistics of the given domains, in their order, from one read (and the CPU time's
    /// QueryPerf); one that is gone
    /// fails the call, as it would in libvirt.
    pub fn domain_stats(&self, morefs: &[MoRef], groups: u32) -> Result<Vec<StatsRecord>> {
        let found = self.fetch_vms(morefs)?;
        let vms = morefs
            .iter()
            .map(|m| {
                found
                    .iter()
                    .find(|v| v.moref == *m)
                    .cloned()
                    .ok_or_else(|| {
                        super::no_domain(format!(
                            "Domain with managed object id '{}' is gone",
                            m.value
                        ))
                    })
            })
            .collect::<Result<Vec<Vm>>>()?;
        self.records(vms, groups)
    }
}
