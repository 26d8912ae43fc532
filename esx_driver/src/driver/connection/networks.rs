//! The connection's network lookups: its networks (standard and distributed switches) in one
//! read, by name or UUID, a vSwitch defined from XML, and the host's NICs as interfaces.

use super::Connection;
use crate::driver::interface::InterfaceFacts;
use crate::driver::interface::interface_of;
use crate::driver::interface::no_interface;
use crate::driver::network::NetworkFacts;
use crate::driver::network::ScopeNetworks;
use crate::driver::network::backing_in;
use crate::driver::network::no_network;
use crate::driver::network::ops::HostView;
use crate::driver::network::ops::group_spec;
use crate::driver::network::ops::shaping;
use crate::error::Code;
use crate::error::Error;
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::methods::AddPortGroup;
use crate::vi::methods::AddVirtualSwitch;
use crate::vi::methods::RemovePortGroup;
use crate::vi::methods::RemoveVirtualSwitch;
use crate::vi::property::FilterSpec;
use crate::vi::property::Hop;
use crate::vi::property::ObjectContent;
use crate::vi::specs::HostNetworkPolicy;
use crate::vi::specs::HostVirtualSwitchBondBridge;
use crate::vi::specs::HostVirtualSwitchSpec;
use crate::vi::specs::VirtualDeviceBackingInfo;
use crate::vi::types::FromNode;
use crate::vi::views::network::HostNetworkFacts;
use crate::vi::views::network::HostNics;
use crate::vi::views::network::NamedNetwork;
use crate::xml::ids::Uuid;
use crate::xml::network_def::NetworkDef;

impl Connection {
    /// The connection's host's NICs: one round trip. Above one host, NIC names repeat.
    pub fn interfaces(&self, api: &str) -> Result<Vec<InterfaceFacts>> {
        let host = self.primary.single_host(api)?.host.clone();
        let nics = self
            .primary
            .client
            .retrieve_one(&host, HostNics::PATHS)?
            .and_then(|oc| HostNics::from_node(&oc.props))
            .ok_or_else(|| Error::internal("The host's network configuration is missing"))?;
        Ok(nics.pnics.into_iter().map(interface_of).collect())
    }

    /// By device name (`vmnic0`): what libvirt's ESX driver means to do (its own lookup
    /// compares the name with the MAC address, and so never finds one).
    pub fn interface_by_name(&self, name: &str, api: &str) -> Result<InterfaceFacts> {
        self.interfaces(api)?
            .into_iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| no_interface(format!("Could not find physical NIC with name '{name}'")))
    }

    /// By MAC address, in any case.
    pub fn interface_by_mac(&self, mac: &str, api: &str) -> Result<InterfaceFacts> {
        self.interfaces(api)?
            .into_iter()
            .find(|i| i.mac.eq_ignore_ascii_case(mac.trim()))
            .ok_or_else(|| {
                no_interface(format!(
                    "Could not find physical NIC with MAC address '{mac}'"
                ))
            })
    }
}

impl Connection {
    pub(crate) fn host_view(&self, api: &str) -> Result<HostView> {
        self.primary.single_host(api)?;
        let mut facts = self.network_facts()?;
        // A one-host scope's read holds the host's networking, or fails.
        let host = facts
            .host
            .take()
            .ok_or_else(|| Error::internal("The host's network configuration is missing"))?;
        let system = host
            .network_system
            .clone()
            .ok_or_else(|| Error::esx(Code::NoSupport, "The host has no network system"))?;
        Ok(HostView {
            facts,
            host,
            system,
        })
    }

    /// `virNetworkDefineXML`: a new vSwitch with its uplinks and port groups, as one change: a
    /// port group the host refuses takes the switch away again.
    pub fn define_network(&self, xml: &str, api: &str) -> Result<NetworkFacts> {
        self.check_writable(api)?;
        let def = NetworkDef::parse(xml)?;
        let view = self.host_view(api)?;
        let host = &view.host;
        if host.switches.iter().any(|s| s.name == def.name) {
            return Err(Error::internal(
                "HostVirtualSwitch already exists, editing existing ones is not supported yet",
            ));
        }
        for pg in &def.portgroups {
            if let Some(existing) = view.group(&pg.name) {
                return Err(Error::esx(
                    Code::NetworkExist,
                    format!(
                        "port group '{}' of vSwitch '{}'",
                        pg.name,
                        view.switch_of(existing)
                    ),
                ));
            }
        }
        for dev in &def.uplinks {
            let nic = host
                .pnics
                .iter()
                .find(|p| p.device == *dev)
                .ok_or_else(|| {
                    Error::internal(format!("Could not find PhysicalNic with name '{dev}'"))
                })?;
            if let Some(sw) = host.switches.iter().find(|s| s.pnics.contains(&nic.key)) {
                return Err(Error::esx(
                    Code::OperationInvalid,
                    format!(
                        "PhysicalNic '{dev}' is an uplink of HostVirtualSwitch '{}' already",
                        sw.name
                    ),
                ));
            }
        }
        let client = &self.primary.client;
        client
            .invoke(&AddVirtualSwitch {
                this: view.system.clone(),
                vswitch_name: def.name.clone(),
                spec: Some(HostVirtualSwitchSpec {
                    // libvirt's choice for a new switch.
                    num_ports: 128,
                    bridge: (!def.uplinks.is_empty()).then(|| HostVirtualSwitchBondBridge {
                        nic_device: def.uplinks.clone(),
                    }),
                    policy: Some(HostNetworkPolicy {
                        shaping: shaping(&def.bandwidth),
                    }),
                }),
            })
            .map_err(|e| {
                Error::from(e).context(&format!("Could not add HostVirtualSwitch '{}'", def.name))
            })?;
        for (i, pg) in def.portgroups.iter().enumerate() {
            let added = client.invoke(&AddPortGroup {
                this: view.system.clone(),
                portgrp: group_spec(pg, &def.name),
            });
            if let Err(e) = added {
                let e =
                    Error::from(e).context(&format!("Could not add HostPortGroup '{}'", pg.name));
                for done in &def.portgroups[..i] {
                    let _ = client.invoke(&RemovePortGroup {
                        this: view.system.clone(),
                        pg_name: done.name.clone(),
                    });
                }
                let _ = client.invoke(&RemoveVirtualSwitch {
                    this: view.system.clone(),
                    vswitch_name: def.name.clone(),
                });
                return Err(e);
            }
        }
        self.network_by_name(&def.name)
    }
}

impl Connection {
    /// The scope's networks in one round trip: the host's `config.network` on a one-host
    /// scope, and the datacenters' networks, distributed switches and port groups.
    fn network_facts(&self) -> Result<ScopeNetworks> {
        Ok(self.network_facts_with(None)?.0)
    }

    /// As `network_facts`, reading `extra` (a VM's properties, say) in the same round trip.
    fn network_facts_with(
        &self,
        extra: Option<FilterSpec>,
    ) -> Result<(ScopeNetworks, Option<ObjectContent>)> {
        let extra_obj = extra.as_ref().map(|s| s.start.clone());
        let scope = &self.primary.scope;
        let host = scope.host().map(|p| p.host.clone());
        let datacenters = scope.datacenters();
        let mut specs: Vec<FilterSpec> = host
            .iter()
            .map(|h| FilterSpec::object(h.clone(), HostNetworkFacts::PATHS))
            .collect();
        if let Some((first, rest)) = datacenters.split_first() {
            let hops = vec![
                Hop {
                    name: "dcNetworks",
                    kind: "Datacenter",
                    path: "networkFolder",
                    then: &["folderChildren"],
                },
                Hop {
                    name: "folderChildren",
                    kind: "Folder",
                    path: "childEntity",
                    then: &["folderChildren"],
                },
            ];
            let mut spec = FilterSpec::reach(first.clone(), hops, "Network", NamedNetwork::PATHS);
            spec.props.extend(
                crate::driver::network::dvs::PROPS
                    .iter()
                    .map(|(kind, paths)| {
                        (
                            kind.to_string(),
                            paths.iter().map(|p| p.to_string()).collect(),
                        )
                    }),
            );
            spec.more = rest.to_vec();
            specs.push(spec);
        }
        specs.extend(extra);
        let mut extra_read = None;
        let mut facts = ScopeNetworks {
            host: None,
            named: Vec::new(),
            distributed: Vec::new(),
        };
        for oc in self.primary.client.retrieve_all(&specs)? {
            if Some(&oc.obj) == extra_obj.as_ref() {
                extra_read = Some(oc);
                continue;
            }
            if Some(&oc.obj) == host.as_ref() {
                facts.host = HostNetworkFacts::from_node(&oc.props);
                continue;
            }
            if crate::driver::network::dvs::is_switch(&oc)
                || oc.obj.kind == crate::driver::network::dvs::PORTGROUP
            {
                facts.distributed.push(oc.clone());
            }
            if crate::driver::network::dvs::is_switch(&oc) {
                continue;
            }
            if let Some(n) = NamedNetwork::from_node(&oc.props) {
                facts.named.push((oc.obj, n));
            }
        }
        if host.is_some() && facts.host.is_none() {
            return Err(Error::internal(
                "The host's network configuration is missing",
            ));
        }
        Ok((facts, extra_read))
    }

    /// The hosts whose distributed switches a host or cluster scope shows; `None` (all of the
    /// datacenters') above.
    fn switch_members(&self) -> Result<Option<Vec<MoRef>>> {
        use crate::driver::connection::inventory::ScopeKind;
        let ep = &self.primary;
        Ok(match ep.scope.kind {
            ScopeKind::Host | ScopeKind::Cluster => Some(ep.host_refs()?),
            _ => None,
        })
    }

    /// The scope's networks: one round trip.
    pub fn networks(&self) -> Result<Vec<NetworkFacts>> {
        let members = self.switch_members()?;
        self.network_facts()?.networks(members.as_deref())
    }

    /// libvirt's `virNetworkLookupByName`: the scope's network of that switch name (one round
    /// trip); `VIR_ERR_NO_NETWORK` when there is none.
    pub fn network_by_name(&self, name: &str) -> Result<NetworkFacts> {
        self.networks()?
            .into_iter()
            .find(|n| n.name == name)
            .ok_or_else(|| {
                no_network(format!(
                    "Could not find HostVirtualSwitch with name '{name}'"
                ))
            })
    }

    /// libvirt's `virNetworkLookupByUUID`: the scope's network with that UUID (one round trip);
    /// `VIR_ERR_NO_NETWORK` when there is none.
    pub fn network_by_uuid(&self, uuid: &Uuid) -> Result<NetworkFacts> {
        self.networks()?
            .into_iter()
            .find(|n| n.uuid == *uuid)
            .ok_or_else(|| {
                no_network(format!(
                    "Could not find HostVirtualSwitch with UUID '{uuid}'"
                ))
            })
    }
}

impl Connection {
    /// What a NIC on the network called `name` is backed by (a standard port group's network,
    /// or a distributed port group's port on its switch), with the `paths` of object `obj` read
    /// in the same round trip.
    pub(crate) fn nic_backing_with(
        &self,
        name: &str,
        obj: &MoRef,
        paths: &[&str],
    ) -> Result<(VirtualDeviceBackingInfo, Option<ObjectContent>)> {
        let (facts, read) =
            self.network_facts_with(Some(FilterSpec::object(obj.clone(), paths)))?;
        Ok((backing_in(&facts, name)?, read))
    }
}
