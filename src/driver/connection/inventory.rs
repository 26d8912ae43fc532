//! Finding "our" datacenter, compute resource and host in one PropertyCollector read: the whole
//! folder tree down to hosts, then the URI path (vpx) or the first of each (esx/gsx) resolved locally.

use crate::error::{Code, Error, Result};
use crate::vi::methods::FindByIp;
use crate::vi::property::{FilterSpec, Hop};
use crate::vi::types::{FromNode, vim_type};
use crate::vi::{Client, MoRef};
use std::collections::HashMap;

vim_type!(Entity {
    name: String = "name",
    parent: Option<MoRef> = "parent",
    vm_folder: Option<MoRef> = "vmFolder",
    host_folder: Option<MoRef> = "hostFolder",
    resource_pool: Option<MoRef> = "resourcePool",
    management_server_ip: String = "summary.managementServerIp",
    autostart_manager: Option<MoRef> = "configManager.autoStartManager",
});

/// Where the connection's host lives in the inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub datacenter: MoRef,
    /// Folder-qualified datacenter name (`dcPath` of datastore URLs).
    pub datacenter_path: String,
    pub vm_folder: MoRef,
    pub compute_resource: MoRef,
    pub resource_pool: MoRef,
    pub host: MoRef,
    pub host_name: String,
    /// The vCenter the host reports as its manager (empty when unmanaged).
    pub management_server_ip: String,
    pub autostart_manager: Option<MoRef>,
}

struct Tree {
    entities: HashMap<MoRef, Entity>,
    /// Children in server order, by parent.
    children: HashMap<MoRef, Vec<MoRef>>,
}

impl Tree {
    fn read(client: &Client) -> Result<Tree> {
        let spec = FilterSpec {
            props: vec![
                ("Folder".into(), vec!["name".into(), "parent".into()]),
                (
                    "Datacenter".into(),
                    ["name", "parent", "vmFolder", "hostFolder"]
                        .map(String::from)
                        .into(),
                ),
                (
                    "ComputeResource".into(),
                    ["name", "parent", "resourcePool"].map(String::from).into(),
                ),
                (
                    "HostSystem".into(),
                    [
                        "name",
                        "parent",
                        "summary.managementServerIp",
                        "configManager.autoStartManager",
                    ]
                    .map(String::from)
                    .into(),
                ),
            ],
            start: client.root_folder(),
            skip_start: false,
            hops: vec![
                Hop {
                    name: "folder",
                    kind: "Folder",
                    path: "childEntity",
                    then: &["folder", "dcHosts", "crHosts"],
                },
                Hop {
                    name: "dcHosts",
                    kind: "Datacenter",
                    path: "hostFolder",
                    then: &["folder"],
                },
                Hop {
                    name: "crHosts",
                    kind: "ComputeResource",
                    path: "host",
                    then: &[],
                },
            ],
        };
        let mut tree = Tree {
            entities: HashMap::new(),
            children: HashMap::new(),
        };
        for oc in client.retrieve(&spec)? {
            let Some(e) = Entity::from_node(&oc.props) else {
                continue;
            };
            if let Some(p) = &e.parent {
                tree.children
                    .entry(p.clone())
                    .or_default()
                    .push(oc.obj.clone());
            }
            tree.entities.insert(oc.obj, e);
        }
        Ok(tree)
    }

    fn kids<'a>(&'a self, of: &MoRef) -> impl Iterator<Item = &'a MoRef> + 'a {
        self.children.get(of).into_iter().flatten()
    }

    fn name(&self, r: &MoRef) -> &str {
        self.entities.get(r).map(|e| e.name.as_str()).unwrap_or("")
    }

    fn child_named(&self, of: &MoRef, name: &str) -> Option<&MoRef> {
        self.kids(of).find(|k| self.name(k) == name)
    }

    fn first_of(&self, of: &MoRef, kinds: &[&str]) -> Option<&MoRef> {
        self.kids(of).find(|k| kinds.contains(&k.kind.as_str()))
    }

    fn entity(&self, r: &MoRef) -> Result<&Entity> {
        self.entities
            .get(r)
            .ok_or_else(|| Error::internal(format!("Could not read {} '{}'", r.kind, r.value)))
    }

    fn placement(
        &self,
        dc: &MoRef,
        datacenter_path: String,
        cr: &MoRef,
        host: &MoRef,
    ) -> Result<Placement> {
        let dce = self.entity(dc)?;
        let cre = self.entity(cr)?;
        let he = self.entity(host)?;
        let missing = |what: &str, of: &MoRef| {
            Error::internal(format!("{} '{}' has no {what}", of.kind, self.name(of)))
        };
        Ok(Placement {
            datacenter: dc.clone(),
            datacenter_path,
            vm_folder: dce
                .vm_folder
                .clone()
                .ok_or_else(|| missing("vmFolder", dc))?,
            compute_resource: cr.clone(),
            resource_pool: cre
                .resource_pool
                .clone()
                .ok_or_else(|| missing("resource pool", cr))?,
            host: host.clone(),
            host_name: he.name.clone(),
            management_server_ip: he.management_server_ip.clone(),
            autostart_manager: he.autostart_manager.clone(),
        })
    }
}

const COMPUTE: &[&str] = &["ComputeResource", "ClusterComputeResource"];

/// esx:// and gsx://: the host's one datacenter, compute resource and host.
pub fn locate_single_host(client: &Client) -> Result<Placement> {
    let tree = Tree::read(client)?;
    let root = client.root_folder();
    let not_found = |what: &str| Error::internal(format!("Could not find a {what} on the host"));
    let dc = tree
        .first_of(&root, &["Datacenter"])
        .ok_or_else(|| not_found("datacenter"))?;
    let host_folder = tree
        .entity(dc)?
        .host_folder
        .clone()
        .ok_or_else(|| not_found("host folder"))?;
    let cr = tree
        .first_of(&host_folder, COMPUTE)
        .ok_or_else(|| not_found("compute resource"))?;
    let host = tree
        .first_of(cr, &["HostSystem"])
        .ok_or_else(|| not_found("host system"))?;
    tree.placement(dc, tree.name(dc).to_string(), cr, host)
}

/// vpx://: `[folder/…]datacenter/[folder/…]compute-resource[/host]`.
pub fn locate_by_path(client: &Client, path: &[String]) -> Result<Placement> {
    let shown = path.join("/");
    if path.is_empty() {
        return Err(Error::invalid_arg(
            "Path has to specify the datacenter and compute resource",
        ));
    }
    let tree = Tree::read(client)?;
    let mut items = path.iter();
    let mut at = client.root_folder();
    let mut dc_path = Vec::new();
    let dc = loop {
        let Some(item) = items.next() else {
            return Err(Error::invalid_arg(format!(
                "Path '{shown}' does not specify a datacenter"
            )));
        };
        let Some(found) = tree.child_named(&at, item) else {
            return Err(Error::esx(
                Code::InvalidArg,
                format!("Could not find datacenter or folder '{item}' specified in '{shown}'"),
            ));
        };
        dc_path.push(item.as_str());
        match found.kind.as_str() {
            "Datacenter" => break found.clone(),
            "Folder" => at = found.clone(),
            _ => {
                return Err(Error::invalid_arg(format!(
                    "'{item}' in '{shown}' is a {}, not a folder or datacenter",
                    found.kind
                )));
            }
        }
    };
    at = tree.entity(&dc)?.host_folder.clone().ok_or_else(|| {
        Error::internal(format!(
            "Datacenter '{}' has no host folder",
            tree.name(&dc)
        ))
    })?;
    let cr = loop {
        let Some(item) = items.next() else {
            return Err(Error::invalid_arg(format!(
                "Path '{shown}' does not specify a compute resource"
            )));
        };
        let Some(found) = tree.child_named(&at, item) else {
            return Err(Error::invalid_arg(format!(
                "Could not find compute resource or folder '{item}' specified in '{shown}'"
            )));
        };
        match found.kind.as_str() {
            k if COMPUTE.contains(&k) => break found.clone(),
            "Folder" => at = found.clone(),
            _ => {
                return Err(Error::invalid_arg(format!(
                    "'{item}' in '{shown}' is a {}, not a folder or compute resource",
                    found.kind
                )));
            }
        }
    };
    let host = if cr.kind == "ClusterComputeResource" {
        let Some(item) = items.next() else {
            return Err(Error::invalid_arg(format!(
                "Path '{shown}' does not specify a host system in cluster '{}'",
                tree.name(&cr)
            )));
        };
        tree.child_named(&cr, item).cloned().ok_or_else(|| {
            Error::invalid_arg(format!(
                "Could not find host system '{item}' specified in '{shown}'"
            ))
        })?
    } else {
        tree.first_of(&cr, &["HostSystem"])
            .cloned()
            .ok_or_else(|| {
                Error::internal(format!("Compute resource '{}' has no host", tree.name(&cr)))
            })?
    };
    if let Some(extra) = items.next() {
        return Err(Error::invalid_arg(format!(
            "Path '{shown}' ends with an excess item '{extra}'"
        )));
    }
    tree.placement(&dc, dc_path.join("/"), &cr, &host)
}

/// The host a vCenter knows by this management IP (FindByIp, as libvirt finds it), placed in
/// that vCenter's inventory.
pub fn locate_host_by_ip(client: &Client, ip: &str) -> Result<Placement> {
    let index = client
        .content()
        .search_index
        .clone()
        .ok_or_else(|| Error::internal("The vCenter has no search index"))?;
    let host = client
        .invoke(&FindByIp {
            this: index,
            datacenter: None,
            ip: ip.to_string(),
            vm_search: false,
        })?
        .ok_or_else(|| {
            Error::invalid_arg(format!(
                "The vCenter does not manage a host with IP address {ip}"
            ))
        })?;
    let tree = Tree::read(client)?;
    let host_name = tree.name(&host).to_string();
    let cr =
        tree.entity(&host)?.parent.clone().ok_or_else(|| {
            Error::internal(format!("Host '{host_name}' has no compute resource"))
        })?;
    // Up through host folders to the datacenter, then the folders above it for dcPath.
    let mut up = tree.entity(&cr)?.parent.clone();
    let dc = loop {
        match up {
            Some(r) if r.kind == "Datacenter" => break r,
            Some(r) => up = tree.entity(&r)?.parent.clone(),
            None => {
                return Err(Error::internal(format!(
                    "Host '{host_name}' is not inside a datacenter"
                )));
            }
        }
    };
    let mut names = vec![tree.name(&dc).to_string()];
    let mut up = tree.entity(&dc)?.parent.clone();
    while let Some(r) = up {
        let e = tree.entity(&r)?;
        if e.parent.is_none() {
            break; // the root folder is not part of the path
        }
        names.push(e.name.clone());
        up = e.parent.clone();
    }
    names.reverse();
    tree.placement(&dc, names.join("/"), &cr, &host)
}
