//! What VMware Tools in a running guest report: its hostname and its network interfaces with
//! their addresses (libvirt's AGENT source).

use super::{PowerState, Vm, invalid_state, no_domain};
use crate::abi::virDomainInterfaceAddressesSource;
use crate::driver::connection::Connection;
use crate::driver::domain::Domain;
use crate::error::{Code, Error, Result};
use crate::vi::data::GuestNicInfo;
use crate::vi::types::FromNode;
use crate::vi::views::vm::GuestInfo;
use crate::vi::views::vm::POWER_STATE;

/// One interface as `virDomainInterface` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// The network (port group) the NIC is connected to, as vSphere's `guest.net[].network`.
    pub name: String,
    /// The NIC's MAC address, as vSphere's `guest.net[].macAddress`.
    pub hwaddr: String,
    /// (is IPv6, address, prefix length)
    pub addrs: Vec<(bool, String, u32)>,
}

impl Domain {
    /// The guest's host name as VMware Tools report it (`guest.hostName`); an error without one.
    pub fn guest_hostname(&self) -> Result<String> {
        let (conn, vm) = (self.conn(), &self.cached());
        let info = guest_info(conn, vm, &[POWER_STATE, "guest.hostName"])?;
        match info.host_name.trim() {
            "" => Err(invalid_state(
                "hostName field not available (missing VMware Tools?)",
            )),
            h => Ok(h.to_string()),
        }
    }

    /// Connected NICs with their addresses; the prefix is 0 where Tools report none.
    pub fn guest_interfaces(&self) -> Result<Vec<Interface>> {
        let (conn, vm) = (self.conn(), &self.cached());
        let info = guest_info(conn, vm, &[POWER_STATE, "guest.net"])?;
        Ok(interfaces(info.nics))
    }
}

/// The connected NICs of a report, as libvirt's interfaces.
pub(super) fn interfaces(nics: Vec<GuestNicInfo>) -> Vec<Interface> {
    nics.into_iter()
        .filter(|n| n.connected && !n.network.is_empty())
        .map(|n| {
            let addrs = if n.addresses.is_empty() {
                n.plain_addresses
                    .into_iter()
                    .map(|a| (a.contains(':'), a, 0))
                    .collect()
            } else {
                n.addresses
                    .into_iter()
                    .map(|a| (a.address.contains(':'), a.address, a.prefix))
                    .collect()
            };
            Interface {
                name: n.network,
                hwaddr: n.mac,
                addrs,
            }
        })
        .collect()
}

fn guest_info(conn: &Connection, vm: &Vm, paths: &[&str]) -> Result<GuestInfo> {
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, paths)?
        .ok_or_else(|| no_domain(format!("Domain '{}' is gone", vm.name)))?;
    let info = GuestInfo::from_node(&oc.props).unwrap_or_default();
    if PowerState::parse(&info.power_state) != PowerState::PoweredOn {
        return Err(invalid_state("Domain is not powered on"));
    }
    Ok(info)
}

/// Where a guest's addresses are asked for (libvirt's virDomainInterfaceAddressesSource).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressSource {
    /// The DHCP server's leases.
    Lease,
    /// The guest agent: on vSphere, VMware Tools.
    Agent,
    /// The host's ARP table.
    Arp,
    /// A number libvirt does not define, kept to be named in the refusal.
    Unknown(u32),
}

impl AddressSource {
    /// The source libvirt's number names.
    pub fn from_raw(raw: u32) -> AddressSource {
        use virDomainInterfaceAddressesSource as S;
        match raw {
            n if n == S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE as u32 => AddressSource::Lease,
            n if n == S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT as u32 => AddressSource::Agent,
            n if n == S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP as u32 => AddressSource::Arp,
            n => AddressSource::Unknown(n),
        }
    }

    fn raw(self) -> u32 {
        use virDomainInterfaceAddressesSource as S;
        match self {
            AddressSource::Lease => S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE as u32,
            AddressSource::Agent => S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT as u32,
            AddressSource::Arp => S::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP as u32,
            AddressSource::Unknown(n) => n,
        }
    }

    /// Sources other than the guest agent (VMware Tools) have nothing to ask on vSphere.
    pub fn check(self) -> Result<()> {
        if self != AddressSource::Agent {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                format!(
                    "Unknown IP address data source {}: only VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT \
                     (VMware Tools) is available on vSphere",
                    self.raw()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_agent_is_a_source_and_refusals_name_the_number() {
        assert_eq!(AddressSource::from_raw(1), AddressSource::Agent);
        assert!(AddressSource::Agent.check().is_ok());
        for (raw, source) in [
            (0, AddressSource::Lease),
            (2, AddressSource::Arp),
            (7, AddressSource::Unknown(7)),
        ] {
            assert_eq!(AddressSource::from_raw(raw), source);
            let e = source.check().unwrap_err();
            assert_eq!(e.code, Code::ArgumentUnsupported);
            assert!(
                e.message()
                    .contains(&format!("Unknown IP address data source {raw}:")),
                "{e}"
            );
        }
    }
}
