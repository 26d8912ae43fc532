//! Defining, undefining and updating a host's standard vSwitches and their port groups with
//! the host network system's own calls, each refused up front when the host would refuse it.

use super::{
    HostNetworkFacts, HostPortGroup, Network, NetworkFacts, NetworkKind, ScopeNetworks, no_network,
};
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::{AddPortGroup, RemovePortGroup, RemoveVirtualSwitch, UpdatePortGroup};
use crate::vi::specs::{HostNetworkPolicy, HostNetworkTrafficShapingPolicy, HostPortGroupSpec};
use crate::xml::network::Bandwidth;
use crate::xml::network_def::PortGroupDef;

/// What virNetworkUpdate does with a `<portgroup>`; ESX keeps port groups unordered, so adding
/// first and adding last are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortGroupChange {
    /// `VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST` or `_ADD_LAST`: a new port group (`AddPortGroup`).
    Add,
    /// `VIR_NETWORK_UPDATE_COMMAND_MODIFY`: an existing port group changed (`UpdatePortGroup`).
    Modify,
    /// `VIR_NETWORK_UPDATE_COMMAND_DELETE`: a port group removed (`RemovePortGroup`).
    Delete,
}

/// vSphere's units from libvirt's: kB/s → bit/s, KiB → bytes (bounded by the XML reader).
pub(crate) fn shaping(b: &Option<Bandwidth>) -> Option<HostNetworkTrafficShapingPolicy> {
    b.map(|b| HostNetworkTrafficShapingPolicy {
        enabled: Some(true),
        average: Some(b.average as i64 * 8000),
        peak: Some(b.peak as i64 * 8000),
        burst: Some(b.burst as i64 * 1024),
    })
}

pub(crate) fn group_spec(pg: &PortGroupDef, switch: &str) -> HostPortGroupSpec {
    HostPortGroupSpec {
        name: pg.name.clone(),
        vlan_id: pg.vlan,
        vswitch_name: switch.to_string(),
        policy: HostNetworkPolicy {
            shaping: shaping(&pg.bandwidth),
        },
    }
}

fn read_only(net: &NetworkFacts) -> Result<()> {
    match net.kind {
        NetworkKind::Standard => Ok(()),
        NetworkKind::Distributed => Err(Error::esx(
            Code::NoSupport,
            format!(
                "network '{}' is a distributed switch, which vCenter manages: it is read-only \
                 through this driver",
                net.name
            ),
        )),
    }
}

/// The kind of the first port among `groups` that is not a VM's (`host`: a VMkernel NIC,
/// `systemManagement`: a service console): the host's own networking, which neither an
/// undefine nor a port group's deletion may take away.
fn host_port<'a>(groups: impl IntoIterator<Item = &'a HostPortGroup>) -> Option<&'a str> {
    groups
        .into_iter()
        .flat_map(|pg| &pg.ports)
        .find(|p| p.kind != "virtualMachine")
        .map(|p| p.kind.as_str())
}

/// The host's networking and its network system, read once.
pub(crate) struct HostView {
    /// The datacenter's networks (with their VMs).
    pub(crate) facts: ScopeNetworks,
    pub(crate) host: HostNetworkFacts,
    pub(crate) system: MoRef,
}

impl HostView {
    /// The switch a port group belongs to.
    pub(crate) fn switch_of(&self, pg: &HostPortGroup) -> &str {
        self.host
            .switches
            .iter()
            .find(|s| s.portgroups.contains(&pg.key))
            .map_or("", |s| s.name.as_str())
    }

    pub(crate) fn group(&self, name: &str) -> Option<&HostPortGroup> {
        self.host.portgroups.iter().find(|p| p.name == name)
    }

    /// Refuses changing a port group a VM uses: one with VMs on its network or VM ports.
    fn not_in_use(&self, network: &str, pg: &HostPortGroup) -> Result<()> {
        let ports = pg
            .ports
            .iter()
            .filter(|p| p.kind == "virtualMachine")
            .count();
        let vms = self.facts.vms_on(&pg.name).max(ports);
        match vms {
            0 => Ok(()),
            n => Err(Error::esx(
                Code::OperationInvalid,
                format!(
                    "port group '{}' of network '{network}' is in use by {n} virtual machine{}",
                    pg.name,
                    if n == 1 { "" } else { "s" }
                ),
            )),
        }
    }
}

impl Network {
    /// `virNetworkSetAutostart`: a host always brings its vSwitches up, so turning autostart
    /// on changes nothing and turning it off is refused.
    pub fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn().check_writable("virNetworkSetAutostart")?;
        match on {
            true => Ok(()),
            false => Err(Error::internal(
                "Cannot deactivate network autostart: a host always brings its vSwitches up",
            )),
        }
    }

    /// `virNetworkUpdate`'s command and section (libvirt's numbers): the portgroup section,
    /// one `<portgroup>` at a time; a vSwitch's live state is its definition, so LIVE and
    /// CONFIG are one change. Other sections have no vSwitch counterpart.
    pub fn update(&self, command: u32, section: u32, xml: &str, api: &str) -> Result<()> {
        use crate::abi::enums::{virNetworkUpdateCommand as Cmd, virNetworkUpdateSection as S};
        self.conn().check_writable(api)?;
        if section != S::VIR_NETWORK_SECTION_PORTGROUP as u32 {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "can't update section {section} of network '{}': a vSwitch has port groups \
                     (VIR_NETWORK_SECTION_PORTGROUP) only",
                    self.facts().name
                ),
            ));
        }
        let change = match command {
            c if c == Cmd::VIR_NETWORK_UPDATE_COMMAND_MODIFY as u32 => PortGroupChange::Modify,
            c if c == Cmd::VIR_NETWORK_UPDATE_COMMAND_DELETE as u32 => PortGroupChange::Delete,
            c if c == Cmd::VIR_NETWORK_UPDATE_COMMAND_ADD_LAST as u32
                || c == Cmd::VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST as u32 =>
            {
                PortGroupChange::Add
            }
            other => {
                return Err(Error::esx(
                    Code::InvalidArg,
                    format!("unrecognized network update command code {other}"),
                ));
            }
        };
        self.update_portgroup(change, xml, api)
    }

    /// `virNetworkUndefine`: the switch's port groups, then the switch; refused while a VM or
    /// the host itself (a VMkernel port) uses one of them.
    pub fn undefine(&self, api: &str) -> Result<()> {
        self.conn().check_writable(api)?;
        let (conn, net) = (self.conn(), self.facts());
        read_only(net)?;
        let view = conn.host_view(api)?;
        let host = &view.host;
        let sw = host
            .switches
            .iter()
            .find(|s| s.name == net.name)
            .ok_or_else(|| {
                no_network(format!(
                    "Could not find HostVirtualSwitch with name '{}'",
                    net.name
                ))
            })?;
        let groups: Vec<&HostPortGroup> = host
            .portgroups
            .iter()
            .filter(|p| sw.portgroups.contains(&p.key))
            .collect();
        if let Some(kind) = host_port(groups.iter().copied()) {
            return Err(Error::esx(
                Code::OperationInvalid,
                format!("Cannot undefine HostVirtualSwitch that has a '{kind}' port"),
            ));
        }
        for pg in &groups {
            view.not_in_use(&net.name, pg)?;
        }
        let client = &conn.primary.client;
        for pg in &groups {
            client
                .invoke(&RemovePortGroup {
                    this: view.system.clone(),
                    pg_name: pg.name.clone(),
                })
                .map_err(|e| {
                    Error::from(e).context(&format!("Could not remove HostPortGroup '{}'", pg.name))
                })?;
        }
        client
            .invoke(&RemoveVirtualSwitch {
                this: view.system.clone(),
                vswitch_name: sw.name.clone(),
            })
            .map_err(|e| {
                Error::from(e).context(&format!("Could not remove HostVirtualSwitch '{}'", sw.name))
            })
    }

    /// `virNetworkUpdate` of the portgroup section: one port group added, changed (VLAN,
    /// shaping) or removed with the host's own call.
    pub fn update_portgroup(&self, change: PortGroupChange, xml: &str, api: &str) -> Result<()> {
        self.conn().check_writable(api)?;
        let (conn, net) = (self.conn(), self.facts());
        read_only(net)?;
        let def = PortGroupDef::parse(xml)?;
        let view = conn.host_view(api)?;
        if !view.host.switches.iter().any(|s| s.name == net.name) {
            return Err(no_network(format!(
                "Could not find HostVirtualSwitch with name '{}'",
                net.name
            )));
        }
        let existing = view.group(&def.name);
        let here = existing.filter(|pg| view.switch_of(pg) == net.name);
        let client = &conn.primary.client;
        let system = view.system.clone();
        let done = match (change, existing, here) {
            (PortGroupChange::Add, Some(pg), _) => {
                return Err(Error::esx(
                    Code::NetworkExist,
                    format!(
                        "port group '{}' of vSwitch '{}'",
                        def.name,
                        view.switch_of(pg)
                    ),
                ));
            }
            (PortGroupChange::Add, None, _) => client.invoke(&AddPortGroup {
                this: system,
                portgrp: group_spec(&def, &net.name),
            }),
            (_, _, None) => {
                return Err(Error::esx(
                    Code::OperationInvalid,
                    format!(
                        "couldn't find a portgroup entry in network '{}' matching <portgroup \
                         name='{}'>",
                        net.name, def.name
                    ),
                ));
            }
            (PortGroupChange::Modify, _, Some(_)) => client.invoke(&UpdatePortGroup {
                this: system,
                pg_name: def.name.clone(),
                portgrp: group_spec(&def, &net.name),
            }),
            (PortGroupChange::Delete, _, Some(pg)) => {
                if let Some(kind) = host_port([pg]) {
                    return Err(Error::esx(
                        Code::OperationInvalid,
                        format!(
                            "Cannot delete HostPortGroup '{}' that has a '{kind}' port: the host \
                             itself uses it",
                            pg.name
                        ),
                    ));
                }
                view.not_in_use(&net.name, pg)?;
                client.invoke(&RemovePortGroup {
                    this: system,
                    pg_name: def.name.clone(),
                })
            }
        };
        done.map_err(|e| {
            Error::from(e).context(&format!("Could not update HostPortGroup '{}'", def.name))
        })
    }
}
