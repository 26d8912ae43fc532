//! Tuning a VM: memory (size and limit), vCPUs, CPU allocation (libvirt's "allocation"
//! scheduler) and autostart, through ReconfigVM_Task and the host's autostart manager.

use super::{PowerState, Vm, invalid_state};
use crate::abi::flags::{MemoryFlags, VcpuFlags};
use crate::driver::connection::Connection;
use crate::driver::domain::Domain;
use crate::driver::domain::current_vm;
use crate::driver::domain::vm_placement;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::{ReconfigVM_Task, ReconfigureAutostart};
use crate::vi::specs::{
    AutoStartDefaults, AutoStartPowerInfo, HostAutoStartManagerConfig, ResourceAllocationInfo,
    SharesInfo, SharesLevel, VirtualMachineConfigSpec,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::AutostartConfig;
use crate::vi::views::vm::{CpuAllocation, MemoryAllocation};

/// The memory tunables: KiB, `None` for no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryParams {
    /// `min_guarantee`: the memory reservation.
    pub min_guarantee: u64,
    /// `hard_limit`: the memory limit (the domain's current memory, as virDomainSetMemory).
    pub hard_limit: Option<u64>,
}

/// libvirt's ESX scheduler parameters: MHz, -1 = unlimited; shares -1/-2/-3 = low/normal/high.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedParams {
    /// CPU reservation in MHz.
    pub reservation: i64,
    /// CPU limit in MHz (-1: unlimited).
    pub limit: i64,
    /// CPU shares: a number, or -1/-2/-3 for low/normal/high.
    pub shares: i32,
}

impl Domain {
    /// virDomainSetMemoryFlags: MAXIMUM changes the VM's memory size (a running VM needs memory
    /// hot-add and may only grow); otherwise the current memory, which vSphere expresses as
    /// the memory limit and applies live and to the configuration alike.
    pub fn set_memory(&self, kib: u64, flags: MemoryFlags) -> Result<Vm> {
        self.conn().check_writable("virDomainSetMemoryFlags")?;
        self.change(|conn, vm| {
            let api = "virDomainSetMemoryFlags";
            let vm = current_vm(conn, vm)?;
            let mut change = VirtualMachineConfigSpec::default();
            if flags.contains(MemoryFlags::MAXIMUM) {
                let mb = (kib.div_ceil(4096) * 4) as i64;
                if vm.state != PowerState::PoweredOff {
                    if !vm.memory_hot_add {
                        return Err(invalid_state(
                            "Domain is not powered off; changing the maximum memory of a running \
                         domain needs memory hot-add enabled in the VM",
                        ));
                    }
                    if mb < vm.memory_mb {
                        return Err(invalid_state(
                            "the memory of a running domain can only grow (memory hot-add)",
                        ));
                    }
                }
                change.memory_mb = Some(mb);
            } else {
                let mb = kib.div_ceil(1024) as i64;
                if mb > vm.memory_mb {
                    return Err(Error::invalid_arg(format!(
                        "cannot set memory higher than max memory ({} KiB)",
                        vm.max_memory_kib()
                    )));
                }
                change.memory_allocation = Some(ResourceAllocationInfo {
                    limit: Some(mb),
                    ..ResourceAllocationInfo::default()
                });
            }
            reconfigure(conn, &vm, change, api)?;
            conn.refresh_vm(&vm.moref)
        })
    }

    /// virDomainSetVcpusFlags: powered off, any count; running, only with CPU hot-add (to
    /// grow) or hot-remove (to shrink). VMware has no separate maximum, so MAXIMUM sets the count.
    pub fn set_vcpus(&self, n: u32, flags: VcpuFlags) -> Result<Vm> {
        self.conn().check_writable("virDomainSetVcpusFlags")?;
        self.change(|conn, vm| {
            let api = "virDomainSetVcpusFlags";
            if flags.contains(VcpuFlags::GUEST) {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    "VIR_DOMAIN_VCPU_GUEST needs a guest agent, which vSphere does not offer",
                ));
            }
            if n < 1 {
                return Err(Error::invalid_arg(
                    "Requested number of virtual CPUs must at least be 1",
                ));
            }
            let max = conn.max_vcpus()?;
            if n > max {
                return Err(Error::invalid_arg(format!(
                    "Requested number of virtual CPUs is greater than max allowable number of \
                 virtual CPUs for the domain: {n} > {max}"
                )));
            }
            let vm = current_vm(conn, vm)?;
            let n = n as i32;
            if vm.state != PowerState::PoweredOff && n != vm.num_cpu {
                let (ok, what) = if n > vm.num_cpu {
                    (vm.cpu_hot_add, "CPU hot-add")
                } else {
                    (vm.cpu_hot_remove, "CPU hot-remove")
                };
                if !ok {
                    return Err(invalid_state(format!(
                        "Domain is not powered off; changing the vCPUs of a running domain needs \
                     {what} enabled in the VM"
                    )));
                }
            }
            let change = VirtualMachineConfigSpec {
                num_cpus: Some(n),
                ..VirtualMachineConfigSpec::default()
            };
            reconfigure(conn, &vm, change, api)?;
            conn.refresh_vm(&vm.moref)
        })
    }

    /// virDomainGetSchedulerParameters: the VM's `config.cpuAllocation` (MHz); shares set by
    /// level (low, normal, high) read as -1, -2, -3.
    pub fn scheduler_params(&self) -> Result<SchedParams> {
        let (conn, vm) = (self.conn(), &self.cached());
        let oc = conn
            .primary
            .client
            .retrieve_one(&vm.moref, CpuAllocation::PATHS)?
            .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))?;
        let a = CpuAllocation::from_node(&oc.props).unwrap_or_default();
        let shares = match a.level.as_str() {
            "low" => -1,
            "normal" => -2,
            "high" => -3,
            _ => a.shares,
        };
        Ok(SchedParams {
            reservation: a.reservation,
            limit: a.limit,
            shares,
        })
    }

    /// Sets any of reservation, limit and shares, validated as libvirt does and with the
    /// limit checked against the reservation it will end up with.
    pub fn set_scheduler_params(
        &self,
        reservation: Option<i64>,
        limit: Option<i64>,
        shares: Option<i32>,
    ) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainSetSchedulerParametersFlags")?;
        if let Some(r) = reservation
            && r < 0
        {
            return Err(Error::invalid_arg(format!(
                "Could not set reservation to {r} MHz, expecting positive value"
            )));
        }
        if let Some(l) = limit
            && l < -1
        {
            return Err(Error::invalid_arg(format!(
                "Could not set limit to {l} MHz, expecting positive value or -1 (unlimited)"
            )));
        }
        let level = match shares {
            None => None,
            Some(-1) => Some((0, SharesLevel::Low)),
            Some(-2) => Some((0, SharesLevel::Normal)),
            Some(-3) => Some((0, SharesLevel::High)),
            Some(s) if s >= 0 => Some((s, SharesLevel::Custom)),
            Some(s) => {
                return Err(Error::invalid_arg(format!(
                    "Shares has unsupported value {s}, expecting positive value or -1 (low), \
                     -2 (normal) or -3 (high)"
                )));
            }
        };
        if limit.is_some_and(|l| l != -1) || reservation.is_some() {
            let current = self.scheduler_params()?;
            let r = reservation.unwrap_or(current.reservation);
            let l = limit.unwrap_or(current.limit);
            if l != -1 && l < r {
                return Err(Error::invalid_arg(format!(
                    "limit ({l} MHz) must be -1 (unlimited) or at least the reservation ({r} MHz)"
                )));
            }
        }
        let change = VirtualMachineConfigSpec {
            cpu_allocation: Some(ResourceAllocationInfo {
                reservation,
                limit,
                shares: level.map(|(shares, level)| SharesInfo { shares, level }),
                ..ResourceAllocationInfo::default()
            }),
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, change, "virDomainSetSchedulerParameters")
    }

    /// virDomainGetMemoryParameters: one round trip.
    pub fn memory_params(&self) -> Result<MemoryParams> {
        let (conn, vm) = (self.conn(), &self.cached());
        let a = memory_allocation(conn, vm)?;
        Ok(MemoryParams {
            min_guarantee: super::mib_to_kib(a.reservation),
            hard_limit: a.limit.filter(|l| *l >= 0).map(super::mib_to_kib),
        })
    }

    /// virDomainSetMemoryParameters: the reservation and limit in whole MB (rounded up), the
    /// limit no lower than the reservation, neither above the VM's memory.
    pub fn set_memory_params(
        &self,
        min_guarantee: Option<u64>,
        hard_limit: Option<Option<u64>>,
    ) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainSetMemoryParameters")?;
        let mb = |kib: u64| i64::try_from(kib.div_ceil(1024)).unwrap_or(i64::MAX);
        let now = memory_allocation(conn, vm)?;
        let reservation = min_guarantee.map(mb);
        let limit = hard_limit.map(|l| l.map_or(-1, mb));
        let (r, l) = (
            reservation.unwrap_or(now.reservation),
            limit.unwrap_or(now.limit.unwrap_or(-1)),
        );
        if r > now.size_mb {
            return Err(Error::invalid_arg(format!(
                "min_guarantee ({r} MB) is more than the domain's memory ({} MB)",
                now.size_mb
            )));
        }
        if l != -1 && l < r {
            return Err(Error::invalid_arg(format!(
                "hard_limit ({l} MB) must be unlimited or at least min_guarantee ({r} MB)"
            )));
        }
        let change = VirtualMachineConfigSpec {
            memory_allocation: Some(ResourceAllocationInfo {
                reservation,
                limit,
                ..ResourceAllocationInfo::default()
            }),
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, change, "virDomainSetMemoryParameters")
    }

    /// virDomainGetAutostart: whether the host's autostart manager is enabled and powers this
    /// VM on when the host starts.
    pub fn autostart(&self) -> Result<bool> {
        let (conn, vm) = (self.conn(), &self.cached());
        let mgr = autostart_manager(conn, vm)?;
        Ok(autostart_config(conn, &mgr)?.starts(&vm.moref))
    }

    /// Turning autostart on also turns on the host's autostart when that changes no other VM.
    pub fn set_autostart(&self, on: bool) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainSetAutostart")?;
        let mgr = autostart_manager(conn, vm)?;
        let st = autostart_config(conn, &mgr)?;
        let enable_host = on && !st.enabled;
        if enable_host
            && st
                .power_info
                .iter()
                .any(|p| p.key.as_ref() != Some(&vm.moref) && p.powers_on())
        {
            return Err(invalid_state(
                "Cannot enable general autostart option without affecting other domains",
            ));
        }
        let spec = HostAutoStartManagerConfig {
            defaults: enable_host.then(|| AutoStartDefaults {
                enabled: Some(true),
                ..AutoStartDefaults::default()
            }),
            power_info: vec![AutoStartPowerInfo {
                key: Some(vm.moref.clone()),
                start_order: -1,
                start_delay: -1,
                start_action: if on { "powerOn" } else { "none" }.to_string(),
                stop_delay: -1,
                stop_action: "none".to_string(),
                ..AutoStartPowerInfo::default()
            }],
        };
        conn.primary
            .client
            .invoke(&ReconfigureAutostart { this: mgr, spec })?;
        Ok(())
    }
}

/// ReconfigVM_Task with the spec's fields that are `Some`.
pub(crate) fn reconfigure(
    conn: &Connection,
    vm: &Vm,
    spec: VirtualMachineConfigSpec,
    api: &str,
) -> Result<()> {
    conn.check_writable(api)?;
    let call = ReconfigVM_Task {
        this: vm.moref.clone(),
        spec,
    };
    conn.run_task(&conn.primary, &call, Some(&vm.moref))
        .map(|_| ())
}

fn memory_allocation(conn: &Connection, vm: &Vm) -> Result<MemoryAllocation> {
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, MemoryAllocation::PATHS)?
        .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))?;
    Ok(MemoryAllocation::from_node(&oc.props).unwrap_or_default())
}

/// The autostart manager of the VM's host (known without a read on a host scope).
fn autostart_manager(conn: &Connection, vm: &Vm) -> Result<MoRef> {
    let placement = match conn.primary.scope.host() {
        Some(p) => p,
        None => vm_placement(conn, &current_vm(conn, vm)?)?,
    };
    placement.autostart_manager.clone().ok_or_else(|| {
        Error::esx(
            Code::OperationUnsupported,
            "the host has no autostart manager",
        )
    })
}

fn autostart_config(conn: &Connection, mgr: &MoRef) -> Result<AutostartConfig> {
    let oc = conn
        .primary
        .client
        .retrieve_one(mgr, AutostartConfig::PATHS)?
        .ok_or_else(|| Error::internal("The host's autostart manager is missing"))?;
    Ok(AutostartConfig::from_node(&oc.props).unwrap_or_default())
}
