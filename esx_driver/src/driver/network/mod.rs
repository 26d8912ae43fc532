//! Networks and interfaces as libvirt's ESX drivers model them: a host's standard vSwitches
//! and, on vCenter, the scope's distributed switches as networks; a host's NICs as interfaces.

pub(crate) mod dvs;
pub(crate) mod ops;

pub use ops::PortGroupChange;

use super::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::property::ObjectContent;
use crate::vi::specs::{
    DistributedVirtualSwitchPortConnection, HostNetworkTrafficShapingPolicy,
    VirtualDeviceBackingInfo, VirtualEthernetCardDistributedVirtualPortBackingInfo,
    VirtualEthernetCardNetworkBackingInfo,
};
use crate::vi::views::network::{HostNetworkFacts, HostPortGroup, NamedNetwork};
use crate::xml::ids::Uuid;
use crate::xml::network::{Bandwidth, Forward, NetworkDesc, PortGroupDesc, Vlan};
use std::sync::Arc;

/// Where a network comes from, which decides what can be changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NetworkKind {
    /// A host's standard vSwitch.
    Standard,
    /// A vCenter's distributed switch, read-only here.
    Distributed,
}

/// A network of a connection (a standard vSwitch, or a distributed switch): what libvirt's
/// `virNetworkPtr` is. Its changes are in `ops`.
#[derive(Debug, Clone)]
pub struct Network {
    conn: Arc<Connection>,
    facts: NetworkFacts,
}

impl Network {
    /// The network object for `facts`, read through `conn`.
    pub fn new(conn: Arc<Connection>, facts: NetworkFacts) -> Network {
        Network { conn, facts }
    }

    /// The network's facts as read.
    pub(crate) fn facts(&self) -> &NetworkFacts {
        &self.facts
    }

    /// The connection the network belongs to.
    pub(crate) fn conn(&self) -> &Arc<Connection> {
        &self.conn
    }

    /// `virNetworkGetXMLDesc`: the network read again (one round trip), as libvirt's ESX
    /// driver writes it.
    pub fn xml(&self) -> Result<String> {
        Ok(self.conn.network_by_uuid(&self.facts.uuid)?.xml)
    }
}

/// A switch as a network: what one read says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkFacts {
    /// The network's name: the standard or distributed virtual switch's name.
    pub name: String,
    /// libvirt's rule for a vSwitch: the MD5 digest of its key; a distributed switch's own.
    pub uuid: Uuid,
    /// The network's XML as libvirt's ESX driver writes it (`virNetworkGetXMLDesc`).
    pub xml: String,
    pub(crate) kind: NetworkKind,
}

/// libvirt's units from vSphere's: bit/s → kB/s, bytes → KiB; only an enabled policy counts.
fn bandwidth(p: &Option<HostNetworkTrafficShapingPolicy>) -> Option<Bandwidth> {
    let p = p.as_ref().filter(|p| p.enabled == Some(true))?;
    let kbytes = |v: Option<i64>| (v.unwrap_or(0).max(0) as u64) / 8 / 1000;
    Some(Bandwidth {
        average: kbytes(p.average),
        peak: kbytes(p.peak),
        burst: (p.burst.unwrap_or(0).max(0) as u64) / 1024,
    })
}

/// One read of the networks of a connection's scope.
pub(crate) struct ScopeNetworks {
    /// The host's, on a one-host scope.
    pub(crate) host: Option<HostNetworkFacts>,
    /// The datacenters' networks, by object.
    pub(crate) named: Vec<(MoRef, NamedNetwork)>,
    /// The distributed switches and port groups, raw.
    pub(crate) distributed: Vec<ObjectContent>,
}

impl ScopeNetworks {
    fn names(&self) -> impl Iterator<Item = &str> {
        self.named.iter().map(|(_, n)| n.name.as_str())
    }

    /// The VMs on the datacenter network called `name`.
    fn vms_on(&self, name: &str) -> usize {
        self.named
            .iter()
            .filter(|(_, n)| n.name == name)
            .map(|(_, n)| n.vms.len())
            .sum()
    }

    pub(crate) fn networks(&self, members: Option<&[MoRef]>) -> Result<Vec<NetworkFacts>> {
        let mut out = match &self.host {
            Some(f) => standard_networks(f, &self.names().collect::<Vec<_>>())?,
            None => Vec::new(),
        };
        out.extend(dvs::networks(&self.distributed, members));
        Ok(out)
    }
}

fn standard_networks(f: &HostNetworkFacts, named: &[&str]) -> Result<Vec<NetworkFacts>> {
    let mut networks = Vec::new();
    for sw in &f.switches {
        let uplinks = sw
            .pnics
            .iter()
            .map(|key| {
                f.pnics
                    .iter()
                    .find(|p| p.key == *key)
                    .map(|p| p.device.as_str())
                    .ok_or_else(|| {
                        Error::internal(format!("Could not find PhysicalNic with key '{key}'"))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut groups = Vec::new();
        for key in &sw.portgroups {
            let pg = f.portgroups.iter().find(|p| p.key == *key).ok_or_else(|| {
                Error::internal(format!("Could not find HostPortGroup with key '{key}'"))
            })?;
            // libvirt shows the port groups VMs can use: those with a network of their name.
            if named.contains(&pg.name.as_str()) {
                groups.push(pg);
            }
        }
        let descs: Vec<PortGroupDesc> = groups
            .iter()
            .map(|pg| PortGroupDesc {
                name: &pg.name,
                vlan: match u16::try_from(pg.vlan) {
                    Ok(tag @ 1..=4094) => Vlan::Tag(tag),
                    _ => Vlan::None,
                },
                bandwidth: bandwidth(&pg.shaping),
            })
            .collect();
        let uuid = Uuid::md5_of(sw.key.as_bytes());
        let xml = NetworkDesc {
            name: &sw.name,
            uuid: &uuid.to_string(),
            forward: match uplinks.is_empty() {
                true => Forward::None,
                false => Forward::Bridge(&uplinks),
            },
            bandwidth: bandwidth(&sw.shaping),
            portgroups: &descs,
        }
        .format();
        networks.push(NetworkFacts {
            name: sw.name.clone(),
            uuid,
            xml,
            kind: NetworkKind::Standard,
        });
    }
    Ok(networks)
}

/// The network readers on one object of an answer, for the fuzz targets.
#[cfg(feature = "fuzzing")]
pub(crate) fn read_for_fuzzing(oc: &ObjectContent) {
    if let Some(f) = <HostNetworkFacts as crate::vi::types::FromNode>::from_node(&oc.props) {
        let _ = standard_networks(&f, &["VM Network"]);
        f.pnics
            .into_iter()
            .map(crate::driver::interface::interface_of)
            .for_each(|i| {
                let _ = i.xml(false);
            });
    }
    let _ = dvs::networks(std::slice::from_ref(oc), None);
}

pub(crate) fn no_network(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoNetwork, detail)
}

pub(crate) fn backing_in(facts: &ScopeNetworks, name: &str) -> Result<VirtualDeviceBackingInfo> {
    let (obj, _) = facts
        .named
        .iter()
        .find(|(_, n)| n.name == name)
        .ok_or_else(|| no_network(format!("no network with matching name '{name}'")))?;
    if obj.kind != dvs::PORTGROUP {
        return Ok(VirtualEthernetCardNetworkBackingInfo {
            device_name: name.to_string(),
            network: Some(obj.clone()),
        }
        .into());
    }
    let switch_uuid = dvs::switch_uuid_of(&facts.distributed, obj).ok_or_else(|| {
        Error::internal(format!(
            "Could not find the distributed switch of port group '{name}'"
        ))
    })?;
    Ok(VirtualEthernetCardDistributedVirtualPortBackingInfo {
        port: DistributedVirtualSwitchPortConnection {
            switch_uuid,
            // A distributed port group's key is its object's.
            portgroup_key: Some(obj.value.clone()),
            port_key: None,
            connection_cookie: None,
        },
    }
    .into())
}
