//! A host's standard vSwitches as libvirt networks and its physical NICs as libvirt interfaces,
//! as libvirt's ESX drivers model them: one read of the host's `config.network` (and the
//! datacenter's network names) answers every question.

use super::Connection;
use super::storage::pools::md5_uuid;
use crate::error::{Code, Error, Result};
use crate::vi::property::FilterSpec;
use crate::vi::types::{FromNode, vim_type};
use crate::xml::ids::Uuid;
use crate::xml::network::{Bandwidth, InterfaceDesc, NetworkDesc, PortGroupDesc, prefix_of};

vim_type!(HostNetworkTrafficShapingPolicy {
    enabled: Option<bool> = "enabled",
    average: Option<i64> = "averageBandwidth",
    peak: Option<i64> = "peakBandwidth",
    burst: Option<i64> = "burstSize",
});

vim_type!(HostVirtualSwitch {
    name: String = "name",
    key: String = "key",
    portgroups: Vec<String> = "portgroup",
    pnics: Vec<String> = "pnic",
    shaping: Option<HostNetworkTrafficShapingPolicy> = "spec.policy.shapingPolicy",
});

vim_type!(HostPortGroupPort {
    kind: String = "type",
});

vim_type!(HostPortGroup {
    key: String = "key",
    name: String = "spec.name",
    vlan: i32 = "spec.vlanId",
    shaping: Option<HostNetworkTrafficShapingPolicy> = "spec.policy.shapingPolicy",
    ports: Vec<HostPortGroupPort> = "port",
});

vim_type!(PhysicalNic {
    key: String = "key",
    device: String = "device",
    mac: String = "mac",
    dhcp: bool = "spec.ip.dhcp",
    address: String = "spec.ip.ipAddress",
    mask: String = "spec.ip.subnetMask",
    link_mb: Option<i32> = "linkSpeed.speedMb",
});

vim_type!(HostNetworkFacts {
    switches: Vec<HostVirtualSwitch> = "config.network.vswitch",
    portgroups: Vec<HostPortGroup> = "config.network.portgroup",
    pnics: Vec<PhysicalNic> = "config.network.pnic",
});

/// A standard vSwitch as a network.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub name: String,
    /// libvirt's rule: the MD5 digest of the switch's key.
    pub uuid: Uuid,
    pub xml: String,
}

/// A physical NIC as an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub mac: String,
    /// Whether its link is up (the host reports a link speed only then).
    pub link_up: bool,
    dhcp: bool,
    address: String,
    mask: String,
}

impl Interface {
    /// `virInterfaceGetXMLDesc`; with `inactive`, a DHCP address is left out, as libvirt does.
    pub fn xml(&self, inactive: bool) -> Result<String> {
        let has_address = !self.address.is_empty() && !self.mask.is_empty();
        let ipv4 = match has_address && !(self.dhcp && inactive) {
            true => Some((
                self.address.as_str(),
                prefix_of(&self.mask).ok_or_else(|| {
                    Error::internal(format!("Could not parse IPv4 netmask '{}'", self.mask))
                })?,
            )),
            false => None,
        };
        Ok(InterfaceDesc {
            name: &self.name,
            mac: &self.mac,
            dhcp: self.dhcp,
            ipv4,
        }
        .format())
    }
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

/// The host's networking as read once.
#[derive(Debug)]
pub struct HostNetworking {
    pub networks: Vec<Network>,
    pub interfaces: Vec<Interface>,
}

impl HostNetworking {
    fn from_facts(f: HostNetworkFacts, named: &[String]) -> Result<HostNetworking> {
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
                if named.contains(&pg.name) {
                    groups.push(pg);
                }
            }
            let descs: Vec<PortGroupDesc> = groups
                .iter()
                .map(|pg| PortGroupDesc {
                    name: &pg.name,
                    vlan: u16::try_from(pg.vlan)
                        .ok()
                        .filter(|v| (1..4095).contains(v)),
                    bandwidth: bandwidth(&pg.shaping),
                })
                .collect();
            let uuid = md5_uuid(sw.key.as_bytes());
            let xml = NetworkDesc {
                name: &sw.name,
                uuid: &uuid.to_string(),
                uplinks: &uplinks,
                bandwidth: bandwidth(&sw.shaping),
                portgroups: &descs,
            }
            .format();
            networks.push(Network {
                name: sw.name.clone(),
                uuid,
                xml,
            });
        }
        let interfaces = f
            .pnics
            .into_iter()
            .map(|p| Interface {
                link_up: p.link_mb.is_some(),
                name: p.device,
                mac: p.mac,
                dhcp: p.dhcp,
                address: p.address,
                mask: p.mask,
            })
            .collect();
        Ok(HostNetworking {
            networks,
            interfaces,
        })
    }
}

pub fn no_network(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoNetwork, detail)
}

pub fn no_interface(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoInterface, detail)
}

impl Connection {
    /// The connection's host's switches, port groups and NICs, with the datacenter's network
    /// names: one round trip. Above one host there is no single host's networking to show.
    pub fn host_networking(&self, api: &str) -> Result<HostNetworking> {
        let p = self.primary.single_host(api)?;
        let specs = [
            FilterSpec::object(p.host.clone(), HostNetworkFacts::PATHS),
            FilterSpec::neighbours(
                p.datacenter.clone(),
                "Datacenter",
                "network",
                "Network",
                &["name"],
            ),
        ];
        let mut facts = None;
        let mut named = Vec::new();
        for oc in self.primary.client.retrieve_all(&specs)? {
            if oc.obj == p.host {
                facts = HostNetworkFacts::from_node(&oc.props);
            } else if let Some(n) = oc.props.text_at("name") {
                named.push(n.trim().to_string());
            }
        }
        let facts =
            facts.ok_or_else(|| Error::internal("The host's network configuration is missing"))?;
        HostNetworking::from_facts(facts, &named)
    }

    pub fn network_by_name(&self, name: &str, api: &str) -> Result<Network> {
        self.host_networking(api)?
            .networks
            .into_iter()
            .find(|n| n.name == name)
            .ok_or_else(|| {
                no_network(format!(
                    "Could not find HostVirtualSwitch with name '{name}'"
                ))
            })
    }

    pub fn network_by_uuid(&self, uuid: &Uuid, api: &str) -> Result<Network> {
        self.host_networking(api)?
            .networks
            .into_iter()
            .find(|n| n.uuid == *uuid)
            .ok_or_else(|| {
                no_network(format!(
                    "Could not find HostVirtualSwitch with UUID '{uuid}'"
                ))
            })
    }

    /// By device name (`vmnic0`): what libvirt's ESX driver means to do (its own lookup
    /// compares the name with the MAC address, and so never finds one).
    pub fn interface_by_name(&self, name: &str, api: &str) -> Result<Interface> {
        self.host_networking(api)?
            .interfaces
            .into_iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| no_interface(format!("Could not find physical NIC with name '{name}'")))
    }

    /// By MAC address, in any case.
    pub fn interface_by_mac(&self, mac: &str, api: &str) -> Result<Interface> {
        self.host_networking(api)?
            .interfaces
            .into_iter()
            .find(|i| i.mac.eq_ignore_ascii_case(mac.trim()))
            .ok_or_else(|| {
                no_interface(format!(
                    "Could not find physical NIC with MAC address '{mac}'"
                ))
            })
    }
}
