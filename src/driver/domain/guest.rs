//! What VMware Tools in a running guest report: its hostname and its network interfaces with
//! their addresses (libvirt's AGENT source).

use super::{PowerState, Vm, invalid_state, no_domain};
use crate::abi::virDomainInterfaceAddressesSource;
use crate::driver::connection::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::types::FromNode;
use crate::vi::views::vm::GuestInfo;
use crate::vi::views::vm::POWER_STATE;

/// One interface as `virDomainInterface` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub hwaddr: String,
    /// (is IPv6, address, prefix length)
    pub addrs: Vec<(bool, String, u32)>,
}

impl Connection {
    fn guest_info(&self, vm: &Vm, paths: &[&str]) -> Result<GuestInfo> {
        let oc = self
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

    pub fn guest_hostname(&self, vm: &Vm) -> Result<String> {
        let info = self.guest_info(vm, &[POWER_STATE, "guest.hostName"])?;
        match info.host_name.trim() {
            "" => Err(invalid_state(
                "hostName field not available (missing VMware Tools?)",
            )),
            h => Ok(h.to_string()),
        }
    }

    /// Connected NICs with their addresses; the prefix is 0 where Tools report none.
    pub fn guest_interfaces(&self, vm: &Vm) -> Result<Vec<Interface>> {
        let info = self.guest_info(vm, &[POWER_STATE, "guest.net"])?;
        Ok(info
            .nics
            .into_iter()
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
            .collect())
    }
}

/// Address sources other than the guest agent (VMware Tools) have nothing to ask on vSphere.
pub fn check_source(source: u32) -> Result<()> {
    if source != virDomainInterfaceAddressesSource::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT as u32
    {
        return Err(Error::esx(
            Code::ArgumentUnsupported,
            format!(
                "Unknown IP address data source {source}: only VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT \
                 (VMware Tools) is available on vSphere"
            ),
        ));
    }
    Ok(())
}
