//! Listing and looking up domains: every VM of the connection's host with what a handle needs,
//! plus the autostart configuration, in one RetrievePropertiesEx whatever the number of VMs.

use super::{PowerState, Vm, VmProps, no_domain};
use crate::abi::flags::ListDomainsFlags;
use crate::driver::connection::{Connection, PREFIXED, UNPREFIXED};
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::specs::AutoStartPowerInfo;
use crate::vi::types::{FromNode, vim_type};
use crate::xml::ids::Uuid;
use std::sync::atomic::Ordering;

vim_type!(AutostartConfig {
    enabled: bool = "config.defaults.enabled",
    power_info: Vec<AutoStartPowerInfo> = "config.powerInfo",
});

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

/// For a pair of opposite flags: `Some(true)` keeps only the first kind, `Some(false)` only
/// the second, `None` (neither or both given) keeps all.
fn wanted(flags: ListDomainsFlags, yes: ListDomainsFlags, no: ListDomainsFlags) -> Option<bool> {
    match (flags.intersects(yes), flags.intersects(no)) {
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
    pub fn list_all_domains(&self, flags: ListDomainsFlags) -> Result<Vec<Vm>> {
        type F = ListDomainsFlags;
        // No VM is transient, has a managed save image or a checkpoint.
        let impossible = [
            (F::TRANSIENT, F::PERSISTENT),
            (F::MANAGEDSAVE, F::NO_MANAGEDSAVE),
            (F::HAS_CHECKPOINT, F::NO_CHECKPOINT),
        ];
        if impossible
            .iter()
            .any(|(yes, no)| wanted(flags, *yes, *no) == Some(true))
        {
            return Ok(Vec::new());
        }
        let autostart_filter = wanted(flags, F::AUTOSTART, F::NO_AUTOSTART);
        let (vms, autostart) = self.list_vms(autostart_filter.is_some())?;
        let active = wanted(flags, F::ACTIVE, F::INACTIVE);
        let snapshot = wanted(flags, F::HAS_SNAPSHOT, F::NO_SNAPSHOT);
        let states = flags & (F::RUNNING | F::PAUSED | F::SHUTOFF | F::OTHER);
        Ok(vms
            .into_iter()
            .filter(|vm| {
                let state_bit = match vm.state {
                    PowerState::PoweredOn => F::RUNNING,
                    PowerState::Suspended => F::PAUSED,
                    PowerState::PoweredOff => F::SHUTOFF,
                };
                let starts = autostart.as_ref().is_some_and(|a| a.starts(&vm.moref));
                keep(active, vm.state.is_active())
                    && (states.is_empty() || states.contains(state_bit))
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
