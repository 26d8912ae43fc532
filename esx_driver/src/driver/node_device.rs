//! A host's PCI functions (and the host itself, `computer`) as libvirt's node devices: all of
//! them in one read, and passthrough switched on (detach) or off (re-attach) for one.

use super::Connection;
use crate::abi::flags::{ListNodeDevicesFlags, group_keeps};
use crate::error::{Code, Error, Result};
use crate::log::log;
use crate::vi::methods::UpdatePassthruConfig;
use crate::vi::specs::HostPciPassthruConfig;
use crate::vi::types::FromNode;
use crate::vi::views::host::{HostPci, HostPciDevice, HostPciPassthruInfo, HostSysinfo};
use crate::xml::node_device::{Capability, PciAddress, PciDesc, SystemDesc, format};
use std::sync::Arc;

/// The host's own node device, the root of the tree.
const COMPUTER: &str = "computer";
/// The driver a passed-through function is bound to on ESXi (what its `lspci` shows).
const PASSTHRU_DRIVER: &str = "pciPassthru";

/// A device of the connection's host: what libvirt's `virNodeDevicePtr` is.
#[derive(Debug, Clone)]
pub struct NodeDevice {
    conn: Arc<Connection>,
    facts: NodeDeviceFacts,
}

/// Where a passthrough change stands once vSphere has taken it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Passthrough {
    /// The host runs with it now.
    Active,
    /// The host has it configured and applies it when it next reboots.
    AfterReboot,
}

impl NodeDevice {
    /// The node device object for `facts`, read through `conn`.
    pub fn new(conn: Arc<Connection>, facts: NodeDeviceFacts) -> NodeDevice {
        NodeDevice { conn, facts }
    }

    /// The device's facts as read.
    pub fn facts(&self) -> &NodeDeviceFacts {
        &self.facts
    }

    /// `virNodeDeviceGetXMLDesc`: the device read again (one round trip).
    pub fn xml(&self, api: &str) -> Result<String> {
        Ok(self.conn.node_device(&self.facts.name, api)?.xml())
    }

    /// `virNodeDeviceDetachFlags`: passthrough enabled for the PCI function, so that VMs can be
    /// given it. `driver` is libvirt's backend, `vfio` (or none), passthrough's counterpart.
    /// Three round trips (the host's devices, the change, the state it left).
    pub fn detach(&self, driver: Option<&str>, api: &str) -> Result<Passthrough> {
        if let Some(other) = driver.filter(|d| *d != "vfio") {
            return Err(Error::esx(
                Code::InvalidArg,
                format!("unknown driver name '{other}'"),
            ));
        }
        self.set_passthrough(true, api)
    }

    /// `virNodeDeviceReAttach`: passthrough disabled, the host's own driver takes it back.
    pub fn reattach(&self, api: &str) -> Result<Passthrough> {
        self.set_passthrough(false, api)
    }

    fn set_passthrough(&self, on: bool, api: &str) -> Result<Passthrough> {
        let conn = &self.conn;
        conn.check_writable(api)?;
        let name = &self.facts.name;
        let pci = conn.read_pci(api)?;
        let device = pci
            .devices
            .iter()
            .find(|d| address_of(d).map(|a| a.device_name()).as_deref() == Some(name))
            .ok_or_else(|| match name == COMPUTER {
                true => Error::esx(
                    Code::InvalidArg,
                    format!("device {name} is not a PCI device"),
                ),
                false => no_node_device(name),
            })?;
        let state = passthru_of(&pci, &device.id);
        if on && !state.is_some_and(|s| s.capable) {
            return Err(Error::esx(
                Code::OperationInvalid,
                format!(
                    "PCI device {name} cannot be passed through: its host says it is not capable"
                ),
            ));
        }
        if state.is_none_or(|s| s.enabled != on) {
            let system = pci.passthru_system.clone().ok_or_else(|| {
                Error::esx(Code::NoSupport, "the host has no PCI passthrough system")
            })?;
            let call = UpdatePassthruConfig {
                this: system,
                config: vec![HostPciPassthruConfig {
                    id: device.id.clone(),
                    passthru_enabled: on,
                }],
            };
            conn.primary.client.invoke(&call)?;
        }
        let after = conn.read_pci(api)?;
        let active = passthru_of(&after, &device.id).is_some_and(|s| s.active);
        if active == on {
            return Ok(Passthrough::Active);
        }
        log!(
            Warning,
            &[],
            "{api}: PCI device {name} is {} when its host reboots",
            if on { "passed through" } else { "given back" }
        );
        Ok(Passthrough::AfterReboot)
    }
}

/// A node device as read: its name, its parent's, and its capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDeviceFacts {
    /// libvirt's name: `computer`, or `pci_DDDD_BB_SS_F`.
    pub name: String,
    /// The parent's name: a PCI function's bridge, else `computer`; none for `computer`.
    pub parent: Option<String>,
    cap: Capability,
}

impl NodeDeviceFacts {
    /// `virNodeDeviceGetXMLDesc`'s document.
    pub fn xml(&self) -> String {
        format(&self.name, self.parent.as_deref(), &self.cap)
    }

    /// `virNodeDeviceListCaps`: the one capability the device has (`pci` or `system`).
    pub fn capability(&self) -> &'static str {
        self.cap.name()
    }

    /// Whether `virConnectListAllNodeDevices` lists it: a capability asked for (any, if none
    /// is), and active but not persistent (the host's devices, none defined by libvirt).
    pub fn listed_by(&self, flags: ListNodeDevicesFlags) -> bool {
        use ListNodeDevicesFlags as F;
        let states = F::ACTIVE | F::INACTIVE | F::PERSISTENT | F::TRANSIENT;
        let own = match self.cap {
            Capability::System(_) => F::CAP_SYSTEM,
            Capability::Pci(_) => F::CAP_PCI_DEV,
        };
        let caps: Vec<_> = F::all()
            .difference(states)
            .iter()
            .map(|f| (f, f == own))
            .collect();
        group_keeps(flags, &caps)
            && group_keeps(flags, &[(F::ACTIVE, true), (F::INACTIVE, false)])
            && group_keeps(flags, &[(F::PERSISTENT, false), (F::TRANSIENT, true)])
    }
}

impl Connection {
    /// The host and its PCI functions (`virConnectListAllNodeDevices`): one round trip;
    /// refused for a scope above one host.
    pub fn node_devices(&self, api: &str) -> Result<Vec<NodeDeviceFacts>> {
        let host = self.primary.single_host(api)?;
        let paths: Vec<&str> = HostSysinfo::PATHS
            .iter()
            .chain(HostPci::PATHS)
            .copied()
            .collect();
        let props = self
            .primary
            .client
            .retrieve_one(&host.host, &paths)?
            .map(|oc| oc.props)
            .ok_or_else(|| gone(&host.host_name))?;
        let sys = HostSysinfo::from_node(&props).unwrap_or_default();
        let pci = HostPci::from_node(&props).unwrap_or_default();
        let computer = NodeDeviceFacts {
            name: COMPUTER.to_string(),
            parent: None,
            cap: Capability::System(SystemDesc {
                product: sys.model,
                vendor: sys.vendor,
                serial: sys.serial,
                uuid: sys.uuid,
                firmware_vendor: sys.bios_vendor,
                firmware_version: sys.bios_version,
                firmware_date: super::connection::host::smbios_date(&sys.bios_date),
            }),
        };
        let functions = pci.devices.iter().filter_map(|d| {
            let address = address_of(d)?;
            let active = passthru_of(&pci, &d.id).is_some_and(|s| s.active);
            let parent = match d.parent_bridge.trim() {
                "" => COMPUTER.to_string(),
                bridge => parse_address(bridge)?.device_name(),
            };
            Some(NodeDeviceFacts {
                name: address.device_name(),
                parent: Some(parent),
                cap: Capability::Pci(PciDesc {
                    address,
                    class: d.class_id as u16,
                    vendor_id: d.vendor_id as u16,
                    vendor: d.vendor_name.clone(),
                    product_id: d.device_id as u16,
                    product: d.device_name.clone(),
                    driver: active.then_some(PASSTHRU_DRIVER),
                }),
            })
        });
        Ok(std::iter::once(computer).chain(functions).collect())
    }

    /// `virNodeNumOfDevices` / `virNodeListDevices`: the devices with capability `cap` (all of
    /// them for none), one round trip.
    pub fn node_devices_with(&self, cap: Option<&str>, api: &str) -> Result<Vec<NodeDeviceFacts>> {
        let mut all = self.node_devices(api)?;
        all.retain(|d| cap.is_none_or(|k| d.capability() == k));
        Ok(all)
    }

    /// `virNodeDeviceLookupByName`: one round trip.
    pub fn node_device(&self, name: &str, api: &str) -> Result<NodeDeviceFacts> {
        self.node_devices(api)?
            .into_iter()
            .find(|d| d.name == name)
            .ok_or_else(|| no_node_device(name))
    }

    fn read_pci(&self, api: &str) -> Result<HostPci> {
        let host = self.primary.single_host(api)?;
        self.primary
            .client
            .retrieve_one(&host.host, HostPci::PATHS)?
            .and_then(|oc| HostPci::from_node(&oc.props))
            .ok_or_else(|| gone(&host.host_name))
    }
}

fn passthru_of<'a>(pci: &'a HostPci, id: &str) -> Option<&'a HostPciPassthruInfo> {
    pci.passthru.iter().find(|p| p.id == id)
}

/// The function's address: its `id` (`0000:0b:00.0`), which alone holds the domain.
fn address_of(d: &HostPciDevice) -> Option<PciAddress> {
    parse_address(&d.id)
}

/// `DDDD:BB:SS.F` in hexadecimal, as a host names its PCI functions.
pub(crate) fn parse_address(id: &str) -> Option<PciAddress> {
    let (domain, rest) = id.trim().split_once(':')?;
    let (bus, rest) = rest.split_once(':')?;
    let (slot, function) = rest.split_once('.')?;
    let hex = |s: &str, max: u32| u32::from_str_radix(s, 16).ok().filter(|n| *n <= max);
    Some(PciAddress {
        domain: hex(domain, 0xffff)?,
        bus: hex(bus, 0xff)? as u8,
        slot: hex(slot, 0x1f)? as u8,
        function: hex(function, 7)? as u8,
    })
}

fn no_node_device(name: &str) -> Error {
    Error::esx(
        Code::NoNodeDevice,
        format!("no node device with matching name '{name}'"),
    )
}

fn gone(host: &str) -> Error {
    Error::internal(format!("Host '{host}' is no longer in the inventory"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_addresses_are_read_in_hexadecimal_and_checked() {
        let a = parse_address("0000:1b:1f.7").unwrap();
        assert_eq!((a.domain, a.bus, a.slot, a.function), (0, 0x1b, 0x1f, 7));
        for bad in [
            "0000:1b:20.0",
            "0000:1b:00.8",
            "1b:00.0",
            "0000:100:00.0",
            "x:0:0.0",
            "",
        ] {
            assert_eq!(parse_address(bad), None, "{bad}");
        }
    }
}
