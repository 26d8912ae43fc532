//! PCI passthrough devices plugged into a stopped VM: a new one backed by what the VM's host
//! offers (QueryConfigTarget's active functions), an existing one found by its host address.

use super::{PowerState, Vm, invalid_state};
use crate::driver::connection::Connection;
use crate::driver::node_device::parse_address;
use crate::error::{Code, Error, Result};
use crate::vi::methods::QueryConfigTarget;
use crate::vi::node::Node;
use crate::vi::specs::{
    VirtualDevice, VirtualDeviceBackingInfo, VirtualPCIPassthrough,
    VirtualPCIPassthroughDeviceBackingInfo,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::VmTarget;
use crate::xml::domain::Hostdev;

/// vSphere adds and removes a VM's passthrough devices while it is powered off only.
fn check_off(state: PowerState) -> Result<()> {
    match state {
        PowerState::PoweredOff => Ok(()),
        _ => Err(invalid_state(
            "PCI passthrough devices are attached to and detached from a stopped domain only",
        )),
    }
}

/// The VM's passthrough device for the host function `h` names.
fn find<'a>(nodes: &'a [Node], h: &Hostdev) -> Option<&'a Node> {
    nodes.iter().find(|n| {
        n.xsi_type.as_deref() == Some("VirtualPCIPassthrough")
            && n.text_at("backing.id").and_then(parse_address) == Some(h.address)
    })
}

/// A new passthrough device for the function, which the VM's host must have passed through
/// (virNodeDeviceDetachFlags): two round trips (where the VM runs, what its host offers).
pub(super) fn attach_passthru(
    conn: &Connection,
    vm: &Vm,
    state: PowerState,
    nodes: &[Node],
    h: &Hostdev,
) -> Result<VirtualDevice> {
    check_off(state)?;
    let name = h.address.device_name();
    if find(nodes, h).is_some() {
        return Err(invalid_state(format!(
            "PCI device {name} is already attached to the domain"
        )));
    }
    let target = conn
        .primary
        .client
        .retrieve_one(&vm.moref, VmTarget::PATHS)?
        .and_then(|oc| VmTarget::from_node(&oc.props))
        .unwrap_or_default();
    let browser = target.browser.ok_or_else(|| {
        Error::esx(
            Code::OperationFailed,
            "the domain has no environment browser",
        )
    })?;
    let offered = conn.primary.client.invoke(&QueryConfigTarget {
        this: browser,
        host: target.host,
    })?;
    let function = offered
        .pci_passthrough
        .into_iter()
        .find(|p| parse_address(&p.id) == Some(h.address))
        .ok_or_else(|| {
            invalid_state(format!(
                "PCI device {name} is not passed through on the domain's host: detach it from \
                 its host driver first (virNodeDeviceDetachFlags), and reboot the host if it asks"
            ))
        })?;
    Ok(VirtualDevice::VirtualPCIPassthrough(
        VirtualPCIPassthrough {
            // A new device's key is any negative number, unique in the change.
            key: -100,
            device_info: None,
            backing: Some(
                VirtualDeviceBackingInfo::VirtualPCIPassthroughDeviceBackingInfo(
                    VirtualPCIPassthroughDeviceBackingInfo {
                        device_name: function.device_name,
                        id: function.id,
                        device_id: format!("{:x}", function.device_id as u16),
                        system_id: function.system_id,
                        vendor_id: function.vendor_id,
                    },
                ),
            ),
            connectable: None,
            controller_key: None,
            unit_number: None,
        },
    ))
}

/// The VM's passthrough device for the function, to remove.
pub(super) fn detach_passthru(
    state: PowerState,
    nodes: &[Node],
    h: &Hostdev,
) -> Result<VirtualDevice> {
    check_off(state)?;
    find(nodes, h)
        .and_then(VirtualDevice::from_node)
        .ok_or_else(|| {
            Error::esx(
                Code::DeviceMissing,
                format!("host pci device {} not found", h.address),
            )
        })
}
