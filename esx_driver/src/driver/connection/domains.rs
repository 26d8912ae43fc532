//! The connection's domains as objects: all of them (or those a filter keeps) in one round
//! trip, and lookups by name, UUID or ID; each object completes its facts by the rule of
//! `domain/listing.rs`, the same for C callers and Rust ones.

use super::Connection;
use crate::abi::flags::{ListDomainsFlags, StatsGroups};
use crate::driver::domain::no_domain;
use crate::driver::domain::power::PowerOp;
use crate::driver::domain::power::power;
use crate::driver::domain::stats::StatsRecord;
use crate::driver::domain::stats::VmDevices;
use crate::driver::domain::stats::asks;
use crate::driver::domain::stats::record;
use crate::driver::domain::stats::usage_paths;
use crate::driver::domain::usage::disks_and_nics;
use crate::driver::domain::usage::if_kept;
use crate::driver::domain::xml::define;
use crate::driver::domain::xml::undefine;
use crate::driver::domain::{Detail, PowerState, Vm};
use crate::driver::domain::{Domain, Listing};
use crate::driver::perf::CpuTime;
use crate::driver::perf::Totals;
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::types::FromNode;
use crate::vi::views::vm::VmProps;
use crate::xml::ids::Uuid;
use std::collections::HashMap;
use std::sync::Arc;

impl Connection {
    /// virConnectListAllDomains: the domains `filter` keeps, read in one round trip. The
    /// first info-type call on any of them reads the sizing of all of them, in one more.
    pub fn domains(self: &Arc<Self>, filter: ListDomainsFlags) -> Result<Vec<Domain>> {
        let vms = self.list_all_domains(filter)?;
        let listing = Arc::new(Listing::new(&vms, filter.is_empty()));
        Ok(vms
            .into_iter()
            .map(|vm| Domain::new(self.clone(), vm, Some(listing.clone())))
            .collect())
    }

    /// virDomainLookupByName (one round trip).
    pub fn domain_by_name(self: &Arc<Self>, name: &str) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_name(name)?, None))
    }

    /// virDomainLookupByUUID (one round trip).
    pub fn domain_by_uuid(self: &Arc<Self>, uuid: &Uuid) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_uuid(uuid)?, None))
    }

    /// virDomainLookupByID: a running domain by libvirt's ID (the number of its managed
    /// object).
    pub fn domain_by_id(self: &Arc<Self>, id: i32) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_id(id)?, None))
    }
}

impl Connection {
    /// `cpu_times`, or none where the server keeps no statistics.
    pub(crate) fn cpu_times_if_kept(&self, morefs: &[MoRef]) -> Result<HashMap<MoRef, CpuTime>> {
        if_kept(self.perf.cpu_times(&self.primary.client, morefs))
    }
}

impl Connection {
    /// Reads one VM afresh (one round trip); a VM that is gone is `VIR_ERR_NO_DOMAIN`.
    pub fn refresh_vm(&self, moref: &MoRef) -> Result<Vm> {
        let oc = self
            .primary
            .client
            .retrieve_one(moref, VmProps::PATHS)?
            .ok_or_else(|| {
                no_domain(format!(
                    "Domain with managed object id '{}' is gone",
                    moref.value
                ))
            })?;
        let props = VmProps::from_node(&oc.props).unwrap_or_default();
        Ok(Vm::from_props(oc.obj, props, Detail::Full))
    }
}

impl Connection {
    /// virDomainCreateXML: a new domain defined and started (paused when asked); VMware has no
    /// transient VMs, so it stays defined. A start that fails takes the definition away again.
    pub fn create_xml(&self, xml: &str, paused: bool) -> Result<Vm> {
        self.check_writable("virDomainCreateXML")?;
        let vm = define(self, xml, false)?;
        let started = power(self, &vm, PowerOp::Start).and_then(|vm| match paused {
            true => power(self, &vm, PowerOp::Suspend),
            false => Ok(vm),
        });
        match started {
            Ok(vm) => Ok(vm),
            Err(e) => {
                if let Ok(now) = self.refresh_vm(&vm.moref) {
                    if now.state != PowerState::PoweredOff {
                        let _ = power(self, &now, PowerOp::Destroy);
                    }
                    let _ = undefine(self, &now);
                }
                Err(e)
            }
        }
    }
}

impl Connection {
    /// Defines a domain from XML: a new VM is written next to its first disk and registered;
    /// an existing one (same UUID or name) is rewritten while powered off.
    pub fn define_xml(&self, xml: &str) -> Result<Vm> {
        define(self, xml, true)
    }
}

impl Connection {
    /// Statistics of every domain `filter` keeps, from one read and the counters' QueryPerf.
    pub fn all_domain_stats(
        &self,
        filter: crate::abi::flags::ListDomainsFlags,
        groups: StatsGroups,
    ) -> Result<Vec<StatsRecord>> {
        let vms = self.list_all_domains_sized(filter, usage_paths(groups))?;
        self.records(vms, groups)
    }

    /// The records of `vms`, with the counters `groups` asks for.
    fn records(&self, vms: Vec<Vm>, groups: StatsGroups) -> Result<Vec<StatsRecord>> {
        let devices: Vec<VmDevices> = vms
            .iter()
            .map(|vm| {
                vm.usage
                    .as_deref()
                    .map(|props| disks_and_nics(props, self.spec.dialect))
                    .unwrap_or_default()
            })
            .collect();
        let mut counted: HashMap<MoRef, Totals> = self
            .perf
            .counted(&self.primary.client, &asks(&vms, &devices, groups))?;
        Ok(vms
            .into_iter()
            .zip(&devices)
            .map(|(vm, d)| {
                let totals = counted.remove(&vm.moref);
                record(vm, d, groups, totals.as_ref())
            })
            .collect())
    }

    /// Statistics of the given domains, in their order, from one read (and the counters'
    /// QueryPerf); one that is gone fails the call, as it would in libvirt.
    pub fn domain_stats(&self, morefs: &[MoRef], groups: StatsGroups) -> Result<Vec<StatsRecord>> {
        let found = self.fetch_vms_with(morefs, usage_paths(groups))?;
        let vms = morefs
            .iter()
            .map(|m| {
                found
                    .iter()
                    .find(|v| v.moref == *m)
                    .cloned()
                    .ok_or_else(|| {
                        no_domain(format!(
                            "Domain with managed object id '{}' is gone",
                            m.value
                        ))
                    })
            })
            .collect::<Result<Vec<Vm>>>()?;
        self.records(vms, groups)
    }
}
