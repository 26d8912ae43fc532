//! Where a VM goes in a scope above one host: the datastore its disks are on picks the
//! datacenter, and of the connected hosts mounting it the one with the most free memory wins.

use crate::driver::connection::inventory::Placement;
use crate::driver::connection::{Connection, Endpoint};
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::types::FromNode;
use crate::vi::views::host::{HostConnection, HostMemory};
use crate::vi::views::vm::DatastoreMounts;

impl Connection {
    /// The host a new VM whose files go on `datastore` is registered on. On a host scope,
    /// that host. Above one, deterministically: the hosts of the scope that mount a datastore
    /// of that name must all be in one datacenter (else the candidates are named), and of
    /// those that are connected the one with the most free memory is taken, the first in
    /// inventory order on a tie. One round trip.
    pub(crate) fn place_new(&self, datastore: &str) -> Result<&Placement> {
        if let Some(p) = self.primary.scope.host() {
            return Ok(p);
        }
        place_among(&self.primary, datastore)
    }
}

/// Of the hosts of `ep`'s scope, the connected one with the most free memory that mounts
/// `datastore` (one round trip).
pub(crate) fn place_among<'a>(ep: &'a Endpoint, datastore: &str) -> Result<&'a Placement> {
    let hosts: Vec<&Placement> = ep.hosts()?.iter().collect();
    let refs: Vec<MoRef> = hosts.iter().map(|p| p.host.clone()).collect();
    let Some(mounts) = FilterSpec::neighbours_of(
        &refs,
        "HostSystem",
        "datastore",
        "Datastore",
        DatastoreMounts::PATHS,
    ) else {
        return Err(no_host("this scope has no host"));
    };
    let load_paths: Vec<&str> = HostMemory::PATHS
        .iter()
        .chain(HostConnection::PATHS)
        .copied()
        .collect();
    let specs: Vec<FilterSpec> = std::iter::once(mounts)
        .chain(FilterSpec::objects("HostSystem", &refs, &load_paths))
        .collect();
    let mut datastores = Vec::new();
    let mut free = Vec::new();
    for oc in ep.client.retrieve_all(&specs)? {
        if oc.obj.kind == "Datastore" {
            datastores.extend(DatastoreMounts::from_node(&oc.props));
        } else if HostConnection::from_node(&oc.props).is_some_and(|c| c.state == "connected") {
            let m = HostMemory::from_node(&oc.props).unwrap_or_default();
            free.push((oc.obj, m.free_bytes()));
        }
    }
    let mounting: Vec<&Placement> = hosts
        .into_iter()
        .filter(|p| {
            datastores.iter().any(|d| {
                d.name == datastore && d.mounts.iter().any(|m| m.host.as_ref() == Some(&p.host))
            })
        })
        .collect();
    if mounting.is_empty() {
        let mut names: Vec<&str> = datastores.iter().map(|d| d.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        return Err(Error::invalid_arg(format!(
            "datastore '{datastore}' is not mounted by any host here (they mount: {})",
            names.join(", ")
        )));
    }
    let mut datacenters: Vec<&str> = mounting
        .iter()
        .map(|p| p.datacenter_path.as_str())
        .collect();
    datacenters.sort_unstable();
    datacenters.dedup();
    if datacenters.len() > 1 {
        return Err(Error::invalid_arg(format!(
            "datastore name '{datastore}' is ambiguous here: datacenters {} each have one; \
                 connect to one datacenter",
            datacenters.join(", ")
        )));
    }
    let free_of = |p: &Placement| free.iter().find(|(h, _)| *h == p.host).map(|(_, f)| *f);
    let mut best: Option<(&Placement, i64)> = None;
    for p in mounting {
        if let Some(f) = free_of(p)
            && best.is_none_or(|(_, b)| f > b)
        {
            best = Some((p, f));
        }
    }
    best.map(|(p, _)| p)
        .ok_or_else(|| no_host(&format!("no connected host mounts datastore '{datastore}'")))
}

fn no_host(detail: &str) -> Error {
    Error::esx(Code::OperationInvalid, detail)
}
