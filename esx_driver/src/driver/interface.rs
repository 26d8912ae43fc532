//! A host's physical NICs as libvirt's interfaces: the object, what one read says of a NIC,
//! and the connection's lookups (all, by name, by MAC), each one round trip.

use super::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::types::FromNode;
use crate::vi::views::network::{HostNics, PhysicalNic};
use crate::xml::network::{InterfaceDesc, prefix_of};
use std::sync::Arc;

/// A physical NIC of the connection's host: what libvirt's `virInterfacePtr` is.
#[derive(Debug, Clone)]
pub struct Interface {
    conn: Arc<Connection>,
    facts: InterfaceFacts,
}

impl Interface {
    /// The interface object for `facts`, read through `conn`.
    pub fn new(conn: Arc<Connection>, facts: InterfaceFacts) -> Interface {
        Interface { conn, facts }
    }

    /// The NIC's facts as read.
    pub fn facts(&self) -> &InterfaceFacts {
        &self.facts
    }

    /// `virInterfaceGetXMLDesc`: the NIC read again by its MAC address (one round trip);
    /// with `inactive`, a DHCP address is left out, as libvirt does.
    pub fn xml(&self, inactive: bool, api: &str) -> Result<String> {
        self.conn
            .interface_by_mac(&self.facts.mac, api)?
            .xml(inactive)
    }
}

/// A physical NIC as an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceFacts {
    pub name: String,
    pub mac: String,
    /// Whether its link is up (the host reports a link speed only then).
    pub link_up: bool,
    dhcp: bool,
    address: String,
    mask: String,
}

impl InterfaceFacts {
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

pub(crate) fn interface_of(p: PhysicalNic) -> InterfaceFacts {
    InterfaceFacts {
        link_up: p.link_mb.is_some(),
        name: p.device,
        mac: p.mac,
        dhcp: p.dhcp,
        address: p.address,
        mask: p.mask,
    }
}

pub fn no_interface(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoInterface, detail)
}

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
