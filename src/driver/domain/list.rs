//! Listing and looking up domains: every VM of the connection's host with what a handle needs,
//! plus the autostart configuration, in one RetrievePropertiesEx whatever the number of VMs.

use super::{PowerState, Vm, VmProps, no_domain};
use crate::driver::connection::{Connection, PREFIXED, UNPREFIXED};
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::types::{FromNode, vim_type};
use crate::xml::ids::Uuid;
use std::sync::atomic::Ordering;

vim_type!(AutostartPowerInfo {
    key: Option<MoRef> = "key",
    start_action: String = "startAction",
});

vim_type!(AutostartConfig {
    enabled: bool = "config.defaults.enabled",
    power_info: Vec<AutostartPowerInfo> = "config.powerInfo",
});

impl AutostartPowerInfo {
    pub fn powers_on(&self) -> bool {
        self.start_action.eq_ignore_ascii_case("powerOn")
    }
}

impl AutostartConfig {
    /// libvirt's rule: autostart is on when the host starts VMs and this one's action is
    /// to power on.
    pub fn starts(&self, vm: &MoRef) -> bool {
        self.enabled
            && self
                .power_info
                .iter()
                .any(|p| p.key.as_ref() == Some(vm) && p.powers_on())
    }
}

/// `virConnectListAllDomainsFlags`.
pub mod flags {
    pub const ACTIVE: u32 = 1;
    pub const INACTIVE: u32 = 2;
    pub const PERSISTENT: u32 = 4;
    pub const TRANSIENT: u32 = 8;
    pub const RUNNING: u32 = 16;
    pub const PAUSED: u32 = 32;
    pub const SHUTOFF: u32 = 64;
    pub const OTHER: u32 = 128;
    pub const MANAGEDSAVE: u32 = 256;
    pub const NO_MANAGEDSAVE: u32 = 512;
    pub const AUTOSTART: u32 = 1024;
    pub const NO_AUTOSTART: u32 = 2048;
    pub const HAS_SNAPSHOT: u32 = 4096;
    pub const NO_SNAPSHOT: u32 = 8192;
    pub const HAS_CHECKPOINT: u32 = 16384;
    pub const NO_CHECKPOINT: u32 = 32768;
    pub const ALL: u32 = 0xFFFF;
}

/// For a pair of opposite flags: `Some(true)` keeps only the first kind, `Some(false)` only
/// the second, `None` (neither or both given) keeps all.
fn wanted(flags: u32, yes: u32, no: u32) -> Option<bool> {
    match (flags & yes != 0, flags & no != 0) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

fn keep(filter: Option<bool>, has: bool) -> bool {
    filter.is_none_or(|w| w == has)
}

impl Connection {
    /// Every VM on the host (and, when asked, the host's autostart configuration): one round
    /// trip for any number of VMs.
    pub fn list_vms(&self, with_autostart: bool) -> Result<(Vec<Vm>, Option<AutostartConfig>)> {
        let ep = &self.primary;
        let mut specs = vec![FilterSpec::neighbours(
            ep.placement.host.clone(),
            "HostSystem",
            "vm",
            "VirtualMachine",
            VmProps::PATHS,
        )];
        let autostart_mgr = ep
            .placement
            .autostart_manager
            .as_ref()
            .filter(|_| with_autostart);
        if let Some(mgr) = autostart_mgr {
            specs.push(FilterSpec::object(mgr.clone(), AutostartConfig::PATHS));
        }
        let mut vms = Vec::new();
        let mut autostart = autostart_mgr.map(|_| AutostartConfig::default());
        for oc in ep.client.retrieve_all(&specs)? {
            if oc.obj.kind == "VirtualMachine" {
                self.learn_vm_id_style(&oc.obj);
                let props = VmProps::from_node(&oc.props).unwrap_or_default();
                vms.push(Vm::from_props(oc.obj, props));
            } else if Some(&oc.obj) == autostart_mgr {
                autostart = AutostartConfig::from_node(&oc.props);
            }
        }
        Ok((vms, autostart))
    }

    /// `virConnectListAllDomains` with libvirt's filter flags.
    pub fn list_all_domains(&self, flags: u32) -> Result<Vec<Vm>> {
        use flags::*;
        // No VM is transient, has a managed save image or a checkpoint.
        let impossible = [
            (TRANSIENT, PERSISTENT),
            (MANAGEDSAVE, NO_MANAGEDSAVE),
            (HAS_CHECKPOINT, NO_CHECKPOINT),
        ];
        if impossible
            .iter()
            .any(|(yes, no)| wanted(flags, *yes, *no) == Some(true))
        {
            return Ok(Vec::new());
        }
        let autostart_filter = wanted(flags, AUTOSTART, NO_AUTOSTART);
        let (vms, autostart) = self.list_vms(autostart_filter.is_some())?;
        let active = wanted(flags, ACTIVE, INACTIVE);
        let snapshot = wanted(flags, HAS_SNAPSHOT, NO_SNAPSHOT);
        let states = flags & (RUNNING | PAUSED | SHUTOFF | OTHER);
        Ok(vms
            .into_iter()
            .filter(|vm| {
                let state_bit = match vm.state {
                    PowerState::PoweredOn => RUNNING,
                    PowerState::Suspended => PAUSED,
                    PowerState::PoweredOff => SHUTOFF,
                };
                let starts = autostart.as_ref().is_some_and(|a| a.starts(&vm.moref));
                keep(active, vm.state.is_active())
                    && (states == 0 || states & state_bit != 0)
                    && keep(snapshot, vm.has_snapshot)
                    && keep(autostart_filter, starts)
            })
            .collect())
    }

    pub fn lookup_by_name(&self, name: &str) -> Result<Vm> {
        self.list_vms(false)?
            .0
            .into_iter()
            .find(|vm| vm.name == name)
            .ok_or_else(|| no_domain(format!("no domain with matching name '{name}'")))
    }

    pub fn lookup_by_uuid(&self, uuid: &Uuid) -> Result<Vm> {
        self.list_vms(false)?
            .0
            .into_iter()
            .find(|vm| vm.uuid == *uuid)
            .ok_or_else(|| no_domain(format!("no domain with matching uuid '{uuid}'")))
    }

    fn learn_vm_id_style(&self, vm: &MoRef) {
        let style = if vm.value.starts_with("vm-") {
            PREFIXED
        } else {
            UNPREFIXED
        };
        self.vm_ids_prefixed.store(style, Ordering::Relaxed);
    }

    /// IDs name running VMs only, as in libvirt; the managed object is read directly.
    pub fn lookup_by_id(&self, id: i32) -> Result<Vm> {
        let not_found = || no_domain(format!("no domain with matching id {id}"));
        if id <= 0 {
            return Err(not_found());
        }
        // vCenter names VMs `vm-N`, an ESX host plain `N`; try the form seen last first.
        let forms = match self.vm_ids_prefixed.load(Ordering::Relaxed) {
            PREFIXED => [format!("vm-{id}"), id.to_string()],
            _ => [id.to_string(), format!("vm-{id}")],
        };
        let vm = forms
            .iter()
            .find_map(|value| self.refresh_vm(&MoRef::new("VirtualMachine", value)).ok())
            .ok_or_else(not_found)?;
        if vm.id() != id || vm.host.as_ref() != Some(&self.primary.placement.host) {
            return Err(not_found());
        }
        Ok(vm)
    }
}
