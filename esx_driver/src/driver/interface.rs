//! A host's physical NICs as libvirt's interfaces: the object, what one read says of a NIC,
//! and the connection's lookups (all, by name, by MAC), each one round trip.

use super::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::views::network::PhysicalNic;
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
    /// The NIC's device name on the host (`device`, such as `vmnic0`), the interface's name.
    pub name: String,
    /// The NIC's MAC address as the host reports it (`mac`).
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

pub(crate) fn no_interface(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoInterface, detail)
}
