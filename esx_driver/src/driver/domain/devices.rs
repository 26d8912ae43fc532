//! Device hot-plug: a device's XML, read by the converter's parser, becomes one ReconfigVM_Task
//! device change against the devices the VM has now (read from the server, never cached).

use super::disks::{Devices, Plug, check_address, check_hot_plug};
use super::{PowerState, Vm, invalid_state};
use crate::abi::flags::AffectFlags;
use crate::driver::connection::Connection;
use crate::driver::domain::Domain;
use crate::driver::domain::disks::attach_disk;
use crate::driver::domain::disks::detach_disk;
use crate::driver::domain::drives::attach_drive;
use crate::driver::domain::drives::change_media;
use crate::driver::domain::drives::detach_drive;
use crate::driver::domain::passthru::{attach_passthru, detach_passthru};
use crate::driver::domain::tune::reconfigure;
use crate::error::{Code, Error, Result};
use crate::vi::node::Node;
use crate::vi::specs::{
    EthernetCard, VirtualDevice, VirtualDeviceBackingInfo, VirtualDeviceConfigSpec,
    VirtualDeviceConfigSpecOperation as Op, VirtualDeviceConnectInfo, VirtualMachineConfigSpec,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::{DEVICES, POWER_STATE};
use crate::xml::domain::{DeviceDef, DiskDevice, Interface, parse_device};

/// What is done with the device the XML describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChange {
    /// virDomainAttachDeviceFlags: the device is added to the VM.
    Attach,
    /// virDomainDetachDeviceFlags: the VM's matching device is removed.
    Detach,
    /// virDomainUpdateDeviceFlags: a drive's media, a NIC's port group or link state.
    Update,
}

/// libvirt's NIC models and the vSphere type of each; a NIC without a model is an E1000,
/// the card every guest ESX supports has a driver for.
pub(crate) const NIC_MODELS: &[(&str, &str)] = &[
    ("e1000", "VirtualE1000"),
    ("e1000e", "VirtualE1000e"),
    ("vlance", "VirtualPCNet32"),
    ("vmxnet", "VirtualVmxnet"),
    ("vmxnet2", "VirtualVmxnet2"),
    ("vmxnet3", "VirtualVmxnet3"),
];

fn spec(op: Op, device: VirtualDevice) -> VirtualDeviceConfigSpec {
    VirtualDeviceConfigSpec {
        operation: Some(op),
        file_operation: None,
        device,
    }
}

fn not_pluggable(name: &str) -> Error {
    Error::esx(
        Code::ConfigUnsupported,
        format!("device <{name}> cannot be attached or detached"),
    )
}

fn no_device(detail: String) -> Error {
    Error::esx(Code::DeviceMissing, detail)
}

/// Whether the change is made live: vSphere changes a running VM's devices live and in its
/// configuration at once, and a stopped VM's configuration only.
fn check_impact(state: PowerState, flags: AffectFlags) -> Result<()> {
    match state {
        PowerState::Suspended => Err(invalid_state(
            "a suspended domain's devices cannot be changed: resume or power it off first",
        )),
        PowerState::PoweredOff if flags.contains(AffectFlags::LIVE) => {
            Err(invalid_state("domain is not running"))
        }
        PowerState::PoweredOn if flags == AffectFlags::CONFIG => Err(invalid_state(
            "vSphere changes a running domain's devices live and in its configuration at once; \
             ask for VIR_DOMAIN_AFFECT_LIVE (the change persists)",
        )),
        _ => Ok(()),
    }
}

impl Domain {
    /// virDomainAttachDeviceFlags / DetachDeviceFlags / UpdateDeviceFlags.
    pub fn change_device(
        &self,
        xml: &str,
        change: DeviceChange,
        flags: AffectFlags,
        api: &str,
    ) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable(api)?;
        let device = parse_device(xml)?;
        if let DeviceDef::Other(name) = &device {
            return Err(not_pluggable(name));
        }
        // A NIC's port group is resolved in the same read as the VM's devices.
        let bridge = match (&device, change) {
            (DeviceDef::Interface { iface, .. }, DeviceChange::Attach | DeviceChange::Update)
                if iface.net_type == "bridge" =>
            {
                iface.bridge.as_deref()
            }
            _ => None,
        };
        let (state, nodes, backing) = vm_devices_and(conn, vm, bridge)?;
        check_impact(state, flags)?;
        let nics = || {
            nodes
                .iter()
                .filter_map(VirtualDevice::from_node)
                .collect::<Vec<_>>()
        };
        let device_change = match (device, change) {
            (
                DeviceDef::Interface {
                    iface, mac_given, ..
                },
                DeviceChange::Attach,
            ) => {
                vec![spec(Op::Add, new_nic(&iface, mac_given, state, backing)?)]
            }
            (
                DeviceDef::Interface {
                    iface, mac_given, ..
                },
                DeviceChange::Detach,
            ) => {
                vec![spec(Op::Remove, matching_nic(&nics(), &iface, mac_given)?)]
            }
            (
                DeviceDef::Interface {
                    iface,
                    mac_given,
                    link_up,
                },
                DeviceChange::Update,
            ) => {
                let now = updated_nic(&nics(), &iface, mac_given, link_up, state, backing)?;
                vec![spec(Op::Edit, now)]
            }
            (DeviceDef::Disk(disk), _) if disk.device == DiskDevice::Lun => {
                return Err(Error::esx(
                    Code::NoSupport,
                    "LUN passthrough devices cannot be attached, detached or updated",
                ));
            }
            (DeviceDef::Disk(disk), change) => {
                check_address(&disk)?;
                let drive = disk.device != DiskDevice::Disk;
                if change != DeviceChange::Update {
                    check_hot_plug(&disk, state)?;
                }
                let p = Plug {
                    vm,
                    state,
                    devices: Devices { nodes: &nodes },
                };
                match (change, drive) {
                    (DeviceChange::Attach, true) => attach_drive(conn, &p, &disk)?,
                    (DeviceChange::Attach, false) => attach_disk(conn, &p, &disk)?,
                    (DeviceChange::Detach, true) => vec![detach_drive(conn, &p, &disk)?],
                    (DeviceChange::Detach, false) => vec![detach_disk(conn, &p, &disk)?],
                    (DeviceChange::Update, true) => vec![change_media(conn, &p, &disk)?],
                    (DeviceChange::Update, false) => {
                        return Err(Error::esx(
                            Code::OperationUnsupported,
                            "a disk cannot be updated in place: only a CD-ROM's or floppy's \
                             media can change; attach or detach disks",
                        ));
                    }
                }
            }
            (DeviceDef::Hostdev(h), DeviceChange::Attach) => {
                vec![spec(Op::Add, attach_passthru(conn, vm, state, &nodes, &h)?)]
            }
            (DeviceDef::Hostdev(h), DeviceChange::Detach) => {
                vec![spec(Op::Remove, detach_passthru(state, &nodes, &h)?)]
            }
            (DeviceDef::Hostdev(_), DeviceChange::Update) => {
                return Err(Error::esx(
                    Code::OperationUnsupported,
                    "a PCI passthrough device cannot be updated: detach it and attach another",
                ));
            }
            (DeviceDef::Other(name), _) => return Err(not_pluggable(&name)),
        };
        let spec = VirtualMachineConfigSpec {
            device_change,
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, spec, api)
    }

    /// virDomainDetachDeviceAlias: the device whose vSphere label (`Network adapter 2`,
    /// `Hard disk 1`, `CD/DVD drive 1`) is `alias`; a disk's file stays.
    pub fn detach_alias(&self, alias: &str, flags: AffectFlags, api: &str) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable(api)?;
        let (state, nodes) = vm_devices(conn, vm)?;
        check_impact(state, flags)?;
        let node = nodes
            .iter()
            .find(|n| n.text_at("deviceInfo.label") == Some(alias))
            .ok_or_else(|| no_device(format!("no device found with alias {alias}")))?;
        let kind = node.xsi_type.as_deref().unwrap_or("");
        let on_ide = || {
            let controller = node.text_at("controllerKey");
            nodes.iter().any(|c| {
                c.xsi_type.as_deref() == Some("VirtualIDEController")
                    && c.child_text("key") == controller
            })
        };
        let pluggable = |d: &VirtualDevice| {
            d.ethernet().is_some()
                || matches!(kind, "VirtualDisk" | "VirtualCdrom" | "VirtualFloppy")
        };
        let device = VirtualDevice::from_node(node)
            .filter(pluggable)
            .ok_or_else(|| {
                Error::esx(
                    Code::OperationUnsupported,
                    format!(
                        "device '{alias}' ({kind}) cannot be detached; disks, drives and NICs can"
                    ),
                )
            })?;
        if state == PowerState::PoweredOn && (kind == "VirtualFloppy" || on_ide()) {
            return Err(invalid_state(format!(
                "'{alias}' is an IDE or floppy device, which vSphere removes from stopped domains only"
            )));
        }
        let spec = VirtualMachineConfigSpec {
            device_change: vec![spec(Op::Remove, device)],
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, spec, api)
    }
}

/// The VM's power state and devices (raw) as the server has them now: one round trip.
fn vm_devices(conn: &Connection, vm: &Vm) -> Result<(PowerState, Vec<Node>)> {
    let (state, nodes, _) = vm_devices_and(conn, vm, None)?;
    Ok((state, nodes))
}

/// As `vm_devices`, with what a NIC on the network `bridge` is backed by, read in the same
/// round trip.
fn vm_devices_and(
    conn: &Connection,
    vm: &Vm,
    bridge: Option<&str>,
) -> Result<(PowerState, Vec<Node>, Option<VirtualDeviceBackingInfo>)> {
    const PATHS: &[&str] = &[POWER_STATE, DEVICES];
    let (backing, oc) = match bridge {
        Some(name) => {
            let (backing, oc) = conn.nic_backing_with(name, &vm.moref, PATHS)?;
            (Some(backing), oc)
        }
        None => (None, conn.primary.client.retrieve_one(&vm.moref, PATHS)?),
    };
    let oc = oc.ok_or_else(|| {
        Error::esx(
            Code::NoDomain,
            format!("domain '{}' no longer exists", vm.name),
        )
    })?;
    let state = PowerState::parse(oc.props.text_at(POWER_STATE).unwrap_or(""));
    let devices = oc
        .props
        .path("config.hardware")
        .map(|h| h.children_named("device").cloned().collect())
        .unwrap_or_default();
    Ok((state, devices, backing))
}

/// The NIC the XML names (by MAC, else the only one) with its new port group or link.
fn updated_nic(
    devices: &[VirtualDevice],
    iface: &Interface,
    mac_given: bool,
    link_up: Option<bool>,
    state: PowerState,
    backing: Option<VirtualDeviceBackingInfo>,
) -> Result<VirtualDevice> {
    let any_port_group = Interface {
        bridge: None,
        ..iface.clone()
    };
    let (kind, mut card) = matching_nic(devices, &any_port_group, mac_given)?
        .ethernet()
        .ok_or_else(|| Error::internal("a NIC that is not one"))?;
    if let Some(model) = iface.model.as_deref()
        && NIC_MODELS
            .iter()
            .find(|(m, _)| *m == model)
            .map(|(_, k)| *k)
            != Some(kind)
    {
        return Err(Error::esx(
            Code::OperationUnsupported,
            "cannot change network interface model; detach the NIC and attach another",
        ));
    }
    if iface.bridge.is_some() && backing_name(&card) != iface.bridge.as_deref() {
        card.backing = backing;
    }
    let was = card.connectable.clone().unwrap_or_default();
    let up = link_up.unwrap_or(was.start_connected);
    card.connectable = Some(VirtualDeviceConnectInfo {
        start_connected: up,
        allow_guest_control: was.allow_guest_control,
        connected: up && state == PowerState::PoweredOn,
    });
    VirtualDevice::nic(kind, card).ok_or_else(|| Error::internal(format!("{kind} is no NIC")))
}

fn new_nic(
    iface: &Interface,
    mac_given: bool,
    state: PowerState,
    backing: Option<VirtualDeviceBackingInfo>,
) -> Result<VirtualDevice> {
    if iface.net_type != "bridge" {
        return Err(Error::esx(
            Code::ConfigUnsupported,
            format!(
                "attaching an interface of type '{}' is not supported: use type='bridge' \
                 with a port group as its source",
                crate::error::shorten(&iface.net_type, 32)
            ),
        ));
    }
    // Resolved with the VM's devices when the XML names a port group.
    let backing = backing
        .ok_or_else(|| Error::esx(Code::XmlError, "missing <source bridge=…/> of interface"))?;
    let model = iface.model.as_deref().unwrap_or("e1000");
    let kind = NIC_MODELS
        .iter()
        .find(|(m, _)| *m == model)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            Error::esx(
                Code::ConfigUnsupported,
                format!(
                    "unknown NIC model '{}'; vSphere has {}",
                    crate::error::shorten(model, 32),
                    NIC_MODELS
                        .iter()
                        .map(|(m, _)| *m)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
    let card = EthernetCard {
        device_info: None,
        // A new device's key is any negative number, unique in the change.
        key: -100,
        backing: Some(backing),
        connectable: Some(VirtualDeviceConnectInfo {
            start_connected: true,
            allow_guest_control: true,
            connected: state == PowerState::PoweredOn,
        }),
        controller_key: None,
        unit_number: None,
        address_type: Some(if mac_given { "manual" } else { "generated" }.into()),
        mac_address: mac_given.then(|| iface.mac.to_string()),
        resource_allocation: None,
    };
    VirtualDevice::nic(kind, card).ok_or_else(|| Error::internal(format!("{kind} is no NIC")))
}

/// The VM's NIC the XML names: by MAC when it gives one, else by port group, else its only NIC.
fn matching_nic(
    devices: &[VirtualDevice],
    iface: &Interface,
    mac_given: bool,
) -> Result<VirtualDevice> {
    let mac = iface.mac.to_string();
    let found: Vec<&VirtualDevice> = devices
        .iter()
        .filter(|d| match d.ethernet() {
            None => false,
            Some((_, card)) if mac_given => card
                .mac_address
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(&mac)),
            Some((_, card)) => {
                iface.bridge.is_none() || backing_name(&card) == iface.bridge.as_deref()
            }
        })
        .collect();
    let what = match mac_given {
        true => format!("MAC address {mac}"),
        false => format!(
            "port group '{}'",
            iface.bridge.as_deref().unwrap_or_default()
        ),
    };
    match found[..] {
        [one] => Ok(one.clone()),
        [] => Err(no_device(format!("no device matching {what} found"))),
        _ => Err(Error::esx(
            Code::OperationFailed,
            format!("multiple devices matching {what} found; name the NIC by its MAC address"),
        )),
    }
}

fn backing_name(card: &EthernetCard) -> Option<&str> {
    use crate::vi::specs::VirtualDeviceBackingInfo as B;
    match card.backing.as_ref()? {
        B::VirtualEthernetCardNetworkBackingInfo(b) => Some(b.device_name.as_str()),
        _ => None,
    }
}
