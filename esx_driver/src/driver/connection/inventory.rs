//! The connection's scope from one PropertyCollector read of the folder tree, the URI path (vpx)
//! or the first of each (esx/gsx) resolved locally; hosts above one read when first needed.

use crate::error::{Error, Result};
use crate::vi::methods::FindByIp;
use crate::vi::property::{FilterSpec, Hop};
use crate::vi::types::FromNode;
use crate::vi::views::inventory::Entity;
use crate::vi::{Client, MoRef};
use std::collections::HashMap;
use std::sync::OnceLock;

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
    pub(crate) management_server_ip: String,
    pub(crate) autostart_manager: Option<MoRef>,
}

#[derive(Debug, Clone)]
struct Tree {
    entities: HashMap<MoRef, Entity>,
    /// Children in server order, by parent.
    children: HashMap<MoRef, Vec<MoRef>>,
}

/// The properties of each inventory type the tree is made of.
fn tree_props(hosts: bool) -> Vec<(String, Vec<String>)> {
    let mut props = vec![
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
    ];
    if hosts {
        props.push(host_props());
    }
    props
}

fn host_props() -> (String, Vec<String>) {
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
    )
}

impl Tree {
    /// The folder tree from the root in one read, down to compute resources, and on to their
    /// hosts with `hosts`: a vCenter's thousands of hosts are read only where the scope is.
    fn read(client: &Client, hosts: bool) -> Result<Tree> {
        let mut tree = Tree {
            entities: HashMap::new(),
            children: HashMap::new(),
        };
        let hops = match hosts {
            true => inventory_hops(false),
            false => down_to_compute(&["folder", "dcHosts"]),
        };
        tree.add(client, client.root_folder(), tree_props(hosts), hops)?;
        Ok(tree)
    }

    /// Adds the hosts beneath `top` (one read), to a tree read without them.
    fn add_hosts(&mut self, client: &Client, top: &MoRef) -> Result<()> {
        self.add(
            client,
            top.clone(),
            vec![host_props()],
            inventory_hops(false),
        )
    }

    fn add(
        &mut self,
        client: &Client,
        start: MoRef,
        props: Vec<(String, Vec<String>)>,
        hops: Vec<Hop>,
    ) -> Result<()> {
        let spec = FilterSpec {
            props,
            start,
            skip_start: false,
            hops,
            more: Vec::new(),
            report_missing: false,
        };
        for oc in client.retrieve(&spec)? {
            let Some(e) = Entity::from_node(&oc.props) else {
                continue;
            };
            if self.entities.contains_key(&oc.obj) {
                continue;
            }
            if let Some(p) = &e.parent {
                self.children
                    .entry(p.clone())
                    .or_default()
                    .push(oc.obj.clone());
            }
            self.entities.insert(oc.obj, e);
        }
        Ok(())
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

    /// The names at one level, for errors that say what is there.
    fn names_of_kids(&self, of: &MoRef) -> String {
        let names: Vec<&str> = self.kids(of).map(|k| self.name(k)).collect();
        if names.is_empty() {
            "nothing".to_string()
        } else {
            names.join(", ")
        }
    }

    /// The datacenters at or beneath `top`, depth first in server order, or the one above it.
    fn datacenters_at(&self, top: &MoRef) -> Vec<MoRef> {
        match top.kind.as_str() {
            "Folder" => self.beneath(top, "Datacenter"),
            _ => self
                .datacenter_above(top)
                .ok()
                .flatten()
                .into_iter()
                .collect(),
        }
    }

    /// The objects of `kind` at or beneath `top`, depth first in server order.
    fn beneath(&self, top: &MoRef, kind: &str) -> Vec<MoRef> {
        let mut found = Vec::new();
        let mut stack = vec![top.clone()];
        while let Some(r) = stack.pop() {
            if r.kind == kind {
                found.push(r);
                continue;
            }
            let kids: Vec<&MoRef> = self.kids(&r).collect();
            stack.extend(kids.into_iter().rev().cloned());
        }
        found
    }

    /// The datacenter `r` is in (or is), found upwards; `None` above every datacenter.
    fn datacenter_above(&self, r: &MoRef) -> Result<Option<MoRef>> {
        let mut up = Some(r.clone());
        while let Some(at) = up {
            if at.kind == "Datacenter" {
                return Ok(Some(at));
            }
            up = self.entity(&at)?.parent.clone();
        }
        Ok(None)
    }

    /// Every host beneath `top`, depth first in server order, each with its placement.
    fn hosts_under(&self, top: &MoRef) -> Result<Vec<Placement>> {
        self.beneath(top, "HostSystem")
            .iter()
            .map(|h| self.placement_at(h))
            .collect()
    }

    /// A host's placement, found upwards: its compute resource, then through host folders
    /// to the datacenter, whose folders above make the `dcPath`.
    fn placement_at(&self, host: &MoRef) -> Result<Placement> {
        let host_name = self.name(host).to_string();
        let cr = self.entity(host)?.parent.clone().ok_or_else(|| {
            Error::internal(format!("Host '{host_name}' has no compute resource"))
        })?;
        let dc = self.datacenter_above(&cr)?.ok_or_else(|| {
            Error::internal(format!("Host '{host_name}' is not inside a datacenter"))
        })?;
        let mut names = vec![self.name(&dc).to_string()];
        let mut up = self.entity(&dc)?.parent.clone();
        while let Some(r) = up {
            let e = self.entity(&r)?;
            if e.parent.is_none() {
                break; // the root folder is not part of the path
            }
            names.push(e.name.clone());
            up = e.parent.clone();
        }
        names.reverse();
        self.placement(&dc, names.join("/"), &cr, host)
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

/// Folders at any depth, and datacenters' host folders, down to compute resources: the
/// hops every inventory read starts with; `to` names the hop taken at a compute resource.
fn down_to_compute(to: &'static [&'static str]) -> Vec<Hop> {
    vec![
        Hop {
            name: "folder",
            kind: "Folder",
            path: "childEntity",
            then: to,
        },
        Hop {
            name: "dcHosts",
            kind: "Datacenter",
            path: "hostFolder",
            then: &["folder"],
        },
    ]
}

/// The hops from any inventory object down to hosts (and, with `to_vms`, on to their VMs):
/// folders, datacenters' host folders, compute resources' hosts. The server takes the hops
/// whose type fits where it is, so one set serves a start at the root, a datacenter, a
/// cluster or a host.
pub(crate) fn inventory_hops(to_vms: bool) -> Vec<Hop> {
    let mut hops = down_to_compute(&["folder", "dcHosts", "crHosts"]);
    hops.extend([
        Hop {
            name: "crHosts",
            kind: "ComputeResource",
            path: "host",
            then: if to_vms { &["hostVms"] } else { &[] },
        },
        Hop {
            name: "hostVms",
            kind: "HostSystem",
            path: "vm",
            then: &[],
        },
    ]);
    hops
}

/// The hops from any inventory object down through compute resources' resource pools to
/// their VMs. Templates are in no resource pool, so this way reaches VMs only.
fn pool_hops() -> Vec<Hop> {
    let mut hops = down_to_compute(&["folder", "dcHosts", "crPools"]);
    hops.extend([
        Hop {
            name: "crPools",
            kind: "ComputeResource",
            path: "resourcePool",
            then: &["rpPools", "rpVms"],
        },
        Hop {
            name: "rpPools",
            kind: "ResourcePool",
            path: "resourcePool",
            then: &["rpPools", "rpVms"],
        },
        Hop {
            name: "rpVms",
            kind: "ResourcePool",
            path: "vm",
            then: &[],
        },
    ]);
    hops
}

/// Where one traversal finds a scope's VMs.
pub(crate) struct VmSource {
    pub(crate) start: MoRef,
    pub(crate) hops: Vec<Hop>,
    /// Whether templates are among what it finds (so each VM's `config.template` is needed).
    pub(crate) templates: bool,
}

const COMPUTE: &[&str] = &["ComputeResource", "ClusterComputeResource"];

/// How much of the inventory a connection covers (the URI path decides, on vpx://).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Every datacenter of a vCenter (`vpx://vc/`).
    Vcenter,
    Datacenter,
    Cluster,
    /// One host: esx://, gsx://, and vpx:// paths down to a host or a standalone compute resource.
    Host,
}

/// The part of the inventory a connection covers: its top object (root folder, datacenter,
/// cluster or host) and every host beneath it with its placement, in inventory order.
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub object: MoRef,
    /// The hosts: known at once for one host, else read when first needed (a listing needs
    /// none, and a vCenter's are thousands).
    hosts: OnceLock<Vec<Placement>>,
    /// The folder tree read when connecting, which places the hosts once they are read.
    tree: Option<Tree>,
}

impl Scope {
    fn single(p: Placement) -> Scope {
        Scope {
            kind: ScopeKind::Host,
            object: p.host.clone(),
            hosts: OnceLock::from(vec![p]),
            tree: None,
        }
    }

    /// A scope above one host, its hosts read from `tree` when first needed.
    fn above_hosts(kind: ScopeKind, object: MoRef, tree: Tree) -> Scope {
        Scope {
            kind,
            object,
            hosts: OnceLock::new(),
            tree: Some(tree),
        }
    }

    /// The host of a host scope; `None` above one host.
    pub fn host(&self) -> Option<&Placement> {
        match self.kind {
            ScopeKind::Host => self.hosts.get().and_then(|h| h.first()),
            _ => None,
        }
    }

    /// The datacenters the scope spans, in inventory order, known without its hosts.
    pub(crate) fn datacenters(&self) -> Vec<MoRef> {
        match (self.host(), &self.tree) {
            (Some(p), _) => vec![p.datacenter.clone()],
            (None, Some(tree)) => tree.datacenters_at(&self.object),
            (None, None) => Vec::new(),
        }
    }

    /// Every host of the scope with its placement (one read the first time, above one host).
    pub(crate) fn hosts(&self, client: &Client) -> Result<&[Placement]> {
        if let Some(hosts) = self.hosts.get() {
            return Ok(hosts);
        }
        let read = match &self.tree {
            Some(tree) => {
                let mut tree = tree.clone();
                tree.add_hosts(client, &self.object)?;
                tree.hosts_under(&self.object)?
            }
            None => Vec::new(),
        };
        // Two first uses at once each read; the first answer stays.
        Ok(self.hosts.get_or_init(|| read))
    }

    /// The references of the scope's hosts, as `hosts`.
    pub(crate) fn host_refs(&self, client: &Client) -> Result<Vec<MoRef>> {
        Ok(self.hosts(client)?.iter().map(|p| p.host.clone()).collect())
    }

    /// How to reach the scope's VMs. Through resource pools where they belong to the scope
    /// alone (templates are in none, so none is found); through the host's `vm` list for a
    /// host of a cluster, whose pools span the cluster — and, with `with_templates`, always.
    pub(crate) fn vm_source(&self, with_templates: bool) -> VmSource {
        let pools_from = match self.host() {
            None => Some(&self.object),
            Some(p) if p.compute_resource.kind == "ComputeResource" => Some(&p.compute_resource),
            Some(_) => None, // a host of a cluster
        };
        match pools_from.filter(|_| !with_templates) {
            Some(start) => VmSource {
                start: start.clone(),
                hops: pool_hops(),
                templates: false,
            },
            None => VmSource {
                start: self.object.clone(),
                hops: inventory_hops(true),
                templates: true,
            },
        }
    }

    /// Where a host of this scope lives; `None` for a host outside it.
    pub(crate) fn placement_of(&self, client: &Client, host: &MoRef) -> Result<Option<&Placement>> {
        Ok(self.hosts(client)?.iter().find(|p| p.host == *host))
    }
}

/// esx:// and gsx://: the host's one datacenter, compute resource and host.
pub(crate) fn locate_single_host(client: &Client) -> Result<Scope> {
    let tree = Tree::read(client, true)?;
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
    Ok(Scope::single(tree.placement_at(host)?))
}

/// vpx://: the path walks the real tree, folders at any depth: `[folder/…]datacenter`,
/// then `[folder/…]cluster-or-compute-resource`, then a cluster's host. Where it stops
/// decides the scope; an empty path is the whole vCenter.
pub(crate) fn locate_by_path(client: &Client, path: &[String]) -> Result<Scope> {
    // Hosts are read when first needed, and then only the scope's; here only where the path
    // names one.
    let mut tree = Tree::read(client, false)?;
    let shown = path.join("/");
    let root = client.root_folder();
    let mut walk = Walk {
        shown: &shown,
        items: path.iter(),
        walked: Vec::new(),
    };
    let Some(dc) = walk.down_to(&tree, &root, &["Datacenter"], "datacenter")? else {
        return Ok(Scope::above_hosts(ScopeKind::Vcenter, root, tree));
    };
    let host_folder = tree.entity(&dc)?.host_folder.clone().ok_or_else(|| {
        Error::internal(format!(
            "Datacenter '{}' has no host folder",
            tree.name(&dc)
        ))
    })?;
    let Some(cr) = walk.down_to(&tree, &host_folder, COMPUTE, "cluster or compute resource")?
    else {
        return Ok(Scope::above_hosts(ScopeKind::Datacenter, dc, tree));
    };
    let is_cluster = cr.kind == "ClusterComputeResource";
    if !is_cluster || walk.items.len() > 0 {
        tree.add_hosts(client, &cr)?;
    }
    let scope = if is_cluster {
        match walk.down_to(&tree, &cr, &["HostSystem"], "host")? {
            Some(host) => Scope::single(tree.placement_at(&host)?),
            None => Scope::above_hosts(ScopeKind::Cluster, cr, tree),
        }
    } else {
        // A standalone host's compute resource stands for its one host, as in libvirt.
        let host = tree.first_of(&cr, &["HostSystem"]).ok_or_else(|| {
            Error::internal(format!("Compute resource '{}' has no host", tree.name(&cr)))
        })?;
        Scope::single(tree.placement_at(host)?)
    };
    if let Some(extra) = walk.items.next() {
        return Err(Error::invalid_arg(format!(
            "Path '{shown}' ends with an excess item '{extra}'"
        )));
    }
    Ok(scope)
}

/// A URI path being resolved level by level.
struct Walk<'a> {
    shown: &'a str,
    items: std::slice::Iter<'a, String>,
    walked: Vec<&'a str>,
}

impl Walk<'_> {
    /// Follows the path's items from `at` through folders to an object of `kinds`; `None`
    /// when the path ends first (a path may not end at a folder). An item that is not
    /// there is named, with what the level does hold.
    fn down_to(
        &mut self,
        tree: &Tree,
        from: &MoRef,
        kinds: &[&str],
        what: &str,
    ) -> Result<Option<MoRef>> {
        let mut at = from.clone();
        loop {
            let Some(item) = self.items.next() else {
                if at == *from {
                    return Ok(None);
                }
                return Err(Error::invalid_arg(format!(
                    "Path '{}' ends at folder '{}'; name a {what} in it ({})",
                    self.shown,
                    tree.name(&at),
                    tree.names_of_kids(&at)
                )));
            };
            let Some(found) = tree.child_named(&at, item) else {
                let level = match self.walked.as_slice() {
                    [] => "the vCenter's root folder".to_string(),
                    w => format!("'{}'", w.join("/")),
                };
                return Err(Error::invalid_arg(format!(
                    "Could not find '{item}' in {level} (path '{}'); it has: {}",
                    self.shown,
                    tree.names_of_kids(&at)
                )));
            };
            self.walked.push(item);
            match found.kind.as_str() {
                k if kinds.contains(&k) => return Ok(Some(found.clone())),
                "Folder" if !kinds.contains(&"HostSystem") => at = found.clone(),
                k => {
                    return Err(Error::invalid_arg(format!(
                        "'{item}' in '{}' is a {k}, where a {what} was expected",
                        self.shown
                    )));
                }
            }
        }
    }
}

/// The host a vCenter knows by this management IP (FindByIp, as libvirt finds it), placed in
/// that vCenter's inventory.
pub(crate) fn locate_host_by_ip(client: &Client, ip: &str) -> Result<Scope> {
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
    let tree = Tree::read(client, true)?;
    Ok(Scope::single(tree.placement_at(&host)?))
}
