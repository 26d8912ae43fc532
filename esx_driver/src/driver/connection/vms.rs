//! Listing and looking up domains: every VM of the connection's scope (a host, a cluster, a
//! datacenter or a whole vCenter) with its identity, in one RetrievePropertiesEx plus pages.

use crate::abi::flags::ListDomainsFlags;
use crate::driver::connection::{Connection, PREFIXED, UNPREFIXED};
use crate::driver::domain::{Detail, PowerState, Vm, no_domain};
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::node::Node;
use crate::vi::property::{FilterSpec, Hop};
use crate::vi::types::FromNode;
use crate::vi::views::vm::VmProps;
use crate::vi::views::vm::{AutostartConfig, EntityName};
use crate::vi::views::vm::{CONFIG_UUID, POWER_STATE};
use crate::xml::ids::Uuid;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

impl AutostartConfig {
    /// libvirt's rule: autostart is on when the host starts VMs and this one's action is
    /// to power on.
    pub(crate) fn starts(&self, vm: &MoRef) -> bool {
        self.enabled
            && self
                .power_info
                .iter()
                .any(|p| p.key.as_ref() == Some(vm) && p.powers_on())
    }
}

/// What a listing reads of each VM (`Detail::Listed`): what handles and state filters need
/// (and `config.template` where the traversal can meet templates).
const LISTED: &[&str] = &["name", CONFIG_UUID, POWER_STATE];

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

/// What a listing reads beyond each VM's identity.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListExtras {
    /// The autostart configuration of every host in scope.
    pub(crate) autostart: bool,
    /// Each VM's current snapshot (whether it has one).
    pub(crate) snapshot: bool,
    /// Templates too (marked `template`), as lookups need to say what a name is.
    pub(crate) templates: bool,
    /// Each VM's sizing too (memory, its limit, vCPUs): read to `Detail::Sized`.
    pub(crate) sized: bool,
    /// What statistics need too (devices, quickStats), kept in `Vm::usage`.
    pub(crate) usage: &'static [&'static [&'static str]],
}

/// What `ListExtras::sized` adds to a listing's read.
const SIZING: &[&str] = &[
    "config.hardware.memoryMB",
    "config.hardware.numCPU",
    "config.memoryAllocation.limit",
];

/// Lookups read templates too, to say that a name or UUID is one.
pub(crate) const WITH_TEMPLATES: ListExtras = ListExtras {
    autostart: false,
    snapshot: false,
    templates: true,
    sized: false,
    usage: &[],
};

impl Connection {
    /// Every VM in scope with its identity (templates only where the traversal meets them,
    /// or `extras` asks: callers decide), and what `extras` asks for: one round trip (plus
    /// the pages the server asks for) for any number of VMs and hosts.
    pub fn list_vms(&self, extras: ListExtras) -> Result<(Vec<Vm>, Vec<AutostartConfig>)> {
        let ep = &self.primary;
        let source = ep.scope.vm_source(extras.templates);
        let mut paths = LISTED.to_vec();
        if source.templates {
            paths.push("config.template");
        }
        if extras.snapshot {
            paths.push("snapshot.currentSnapshot");
        }
        if extras.sized {
            paths.extend(SIZING);
        }
        for p in extras.usage.iter().copied().flatten() {
            if !paths.contains(p) {
                paths.push(p);
            }
        }
        let detail = match extras.sized {
            true => Detail::Sized,
            false => Detail::Listed,
        };
        let mut specs = vec![FilterSpec::reach(
            source.start,
            source.hops,
            "VirtualMachine",
            &paths,
        )];
        let managers: Vec<MoRef> = match extras.autostart {
            true => ep
                .hosts()?
                .iter()
                .filter_map(|p| p.autostart_manager.clone())
                .collect(),
            false => Vec::new(),
        };
        specs.extend(FilterSpec::objects(
            "HostAutoStartManager",
            &managers,
            AutostartConfig::PATHS,
        ));
        let mut vms = Vec::new();
        let mut autostart = Vec::new();
        for mut oc in ep.client.retrieve_all(&specs)? {
            if oc.obj.kind == "VirtualMachine" {
                let props = read_props(&mut oc.props, !extras.usage.is_empty());
                let mut vm = Vm::from_props(oc.obj, props, detail);
                if !extras.usage.is_empty() {
                    vm.usage = Some(Arc::new(oc.props));
                }
                vms.push(vm);
            } else if managers.contains(&oc.obj) {
                autostart.extend(AutostartConfig::from_node(&oc.props));
            }
        }
        if let Some(vm) = vms.first() {
            self.learn_vm_id_style(&vm.moref);
        }
        Ok((vms, autostart))
    }

    /// The domains in scope: every VM but templates.
    fn non_templates(&self, extras: ListExtras) -> Result<(Vec<Vm>, Vec<AutostartConfig>)> {
        let (mut vms, autostart) = self.list_vms(extras)?;
        vms.retain(|vm| !vm.template);
        Ok((vms, autostart))
    }

    /// `virConnectListAllDomains` with libvirt's filter flags.
    pub fn list_all_domains(&self, flags: ListDomainsFlags) -> Result<Vec<Vm>> {
        self.filtered_domains(flags, None)
    }

    /// As `list_all_domains`, each VM read to `Detail::Sized` and with `usage` (the paths
    /// statistics need) in the same one read.
    pub(crate) fn list_all_domains_sized(
        &self,
        flags: ListDomainsFlags,
        usage: &'static [&'static [&'static str]],
    ) -> Result<Vec<Vm>> {
        self.filtered_domains(flags, Some(usage))
    }

    fn filtered_domains(
        &self,
        flags: ListDomainsFlags,
        sized: Option<&'static [&'static [&'static str]]>,
    ) -> Result<Vec<Vm>> {
        type F = ListDomainsFlags;
        // No VM is transient or has a checkpoint; a suspended one has a managed save image.
        let impossible = [
            (F::TRANSIENT, F::PERSISTENT),
            (F::HAS_CHECKPOINT, F::NO_CHECKPOINT),
        ];
        if impossible
            .iter()
            .any(|(yes, no)| wanted(flags, *yes, *no) == Some(true))
        {
            return Ok(Vec::new());
        }
        let autostart_filter = wanted(flags, F::AUTOSTART, F::NO_AUTOSTART);
        let snapshot = wanted(flags, F::HAS_SNAPSHOT, F::NO_SNAPSHOT);
        let (vms, autostart) = self.non_templates(ListExtras {
            autostart: autostart_filter.is_some(),
            snapshot: snapshot.is_some(),
            templates: false,
            sized: sized.is_some(),
            usage: sized.unwrap_or_default(),
        })?;
        let active = wanted(flags, F::ACTIVE, F::INACTIVE);
        let saved = wanted(flags, F::MANAGEDSAVE, F::NO_MANAGEDSAVE);
        let states = flags & (F::RUNNING | F::PAUSED | F::SHUTOFF | F::OTHER);
        Ok(vms
            .into_iter()
            .filter(|vm| {
                let state_bit = match vm.state {
                    PowerState::PoweredOn => F::RUNNING,
                    PowerState::Suspended => F::PAUSED,
                    PowerState::PoweredOff => F::SHUTOFF,
                };
                let starts = autostart.iter().any(|a| a.starts(&vm.moref));
                keep(active, vm.state.is_active())
                    && (states.is_empty() || states.contains(state_bit))
                    && keep(snapshot, vm.has_snapshot)
                    && keep(saved, vm.state == PowerState::Suspended)
                    && keep(autostart_filter, starts)
            })
            .collect())
    }

    /// The one domain of this name in scope. Names are unique per folder only, so a name
    /// found twice is an error naming both inventory paths; a template is not a domain.
    pub(crate) fn lookup_by_name(&self, name: &str) -> Result<Vm> {
        let (vms, _) = self.list_vms(WITH_TEMPLATES)?;
        let found: Vec<Vm> = vms.into_iter().filter(|vm| vm.name == name).collect();
        let domains: Vec<&Vm> = found.iter().filter(|vm| !vm.template).collect();
        match domains.as_slice() {
            [vm] => Ok((*vm).clone()),
            [] if !found.is_empty() => Err(is_template(name)),
            [] => Err(no_domain(format!("no domain with matching name '{name}'"))),
            many => {
                let morefs: Vec<MoRef> = many.iter().map(|vm| vm.moref.clone()).collect();
                let paths = self.inventory_paths(&morefs)?;
                Err(Error::esx(
                    Code::OperationFailed,
                    format!(
                        "domain name '{name}' is ambiguous in this scope: {}; connect to a \
                         narrower scope or look it up by UUID",
                        paths.join(", ")
                    ),
                ))
            }
        }
    }

    pub(crate) fn lookup_by_uuid(&self, uuid: &Uuid) -> Result<Vm> {
        let (vms, _) = self.list_vms(WITH_TEMPLATES)?;
        let mut found = vms.into_iter().filter(|vm| vm.uuid == *uuid).peekable();
        let first = found.peek().cloned();
        match found.find(|vm| !vm.template) {
            Some(vm) => Ok(vm),
            None => match first {
                Some(t) => Err(is_template(&t.name)),
                None => Err(no_domain(format!("no domain with matching uuid '{uuid}'"))),
            },
        }
    }

    /// Inventory paths (`DC0/vm/folder/name`) of objects, read in one round trip: each
    /// object's ancestors by `parent`, to below the root folder.
    pub(crate) fn inventory_paths(&self, objs: &[MoRef]) -> Result<Vec<String>> {
        let ep = &self.primary;
        let Some(mut spec) = FilterSpec::objects("ManagedEntity", objs, EntityName::PATHS) else {
            return Ok(Vec::new());
        };
        spec.hops = vec![Hop {
            name: "up",
            kind: "ManagedEntity",
            path: "parent",
            then: &["up"],
        }];
        let entities: HashMap<MoRef, EntityName> = ep
            .client
            .retrieve(&spec)?
            .into_iter()
            .filter_map(|oc| Some((oc.obj, EntityName::from_node(&oc.props)?)))
            .collect();
        Ok(objs
            .iter()
            .map(|obj| {
                let mut names = Vec::new();
                let mut at = Some(obj);
                // Bounded by the number of entities read, whatever parents the server names.
                for _ in 0..=entities.len() {
                    let Some(e) = at.and_then(|r| entities.get(r)) else {
                        break;
                    };
                    if e.parent.is_none() {
                        break; // the root folder is not part of a path
                    }
                    names.push(crate::driver::domain::unescape_name(&e.name));
                    at = e.parent.as_ref();
                }
                names.reverse();
                names.join("/")
            })
            .collect())
    }

    fn learn_vm_id_style(&self, vm: &MoRef) {
        let style = if vm.value.starts_with("vm-") {
            PREFIXED
        } else {
            UNPREFIXED
        };
        self.vm_ids_prefixed.store(style, Ordering::Relaxed);
    }

    /// IDs name running VMs only, as in libvirt; the managed object is read directly, and
    /// counts when it runs on a host of the scope.
    pub(crate) fn lookup_by_id(&self, id: i32) -> Result<Vm> {
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
        let in_scope = match &vm.host {
            Some(h) => self.primary.in_scope(h)?,
            None => false,
        };
        if vm.id() != id || vm.template || !in_scope {
            return Err(not_found());
        }
        Ok(vm)
    }

    /// Full properties of many VMs in one round trip; VMs gone meanwhile are left out.
    pub fn fetch_vms(&self, morefs: &[MoRef]) -> Result<Vec<Vm>> {
        self.fetch_vms_with(morefs, &[])
    }

    /// As `fetch_vms`, with `usage` (the paths statistics need) in the same read.
    pub(crate) fn fetch_vms_with(&self, morefs: &[MoRef], usage: &[&[&str]]) -> Result<Vec<Vm>> {
        let mut paths = VmProps::PATHS.to_vec();
        paths.extend(
            usage
                .iter()
                .copied()
                .flatten()
                .filter(|p| !VmProps::PATHS.contains(p)),
        );
        let Some(spec) = FilterSpec::objects("VirtualMachine", morefs, &paths) else {
            return Ok(Vec::new());
        };
        Ok(self
            .primary
            .client
            .retrieve(&spec)?
            .into_iter()
            .map(|mut oc| {
                let props = read_props(&mut oc.props, !usage.is_empty());
                let mut vm = Vm::from_props(oc.obj, props, Detail::Full);
                if !usage.is_empty() {
                    vm.usage = Some(Arc::new(oc.props));
                }
                vm
            })
            .collect())
    }
}

/// A VM's properties from its part of an answer: moved out of it unless the answer is kept
/// (for statistics), as a listing of thousands would copy every name, UUID and state.
fn read_props(props: &mut Node, kept: bool) -> VmProps {
    match kept {
        true => VmProps::from_node(props),
        false => VmProps::take_node(props),
    }
    .unwrap_or_default()
}

fn is_template(name: &str) -> Error {
    no_domain(format!(
        "'{name}' is a template, not a domain; templates are not listed or looked up"
    ))
}
