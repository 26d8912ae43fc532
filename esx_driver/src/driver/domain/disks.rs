//! Disks attached to and detached from a VM: the target names the slot by the converter's
//! rule, the controller is the VM's (or one added while it is off), and the file stays.

use super::{PowerState, Vm, invalid_state};
use crate::driver::Product;
use crate::driver::connection::Connection;
use crate::driver::datastores::LiveDatastores;
use crate::driver::domain::vm_placement;
use crate::error::{Code, Error, Result};
use crate::vi::methods::QueryVirtualDiskUuid;
use crate::vi::node::Node;
use crate::vi::specs::{
    VirtualDevice, VirtualDeviceConfigSpec, VirtualDeviceConfigSpecOperation as Op, VirtualDisk,
    VirtualDiskFlatVer2BackingInfo,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::DeviceSlot;
use crate::vmx::{DatastorePath, DatastorePaths, disk_slot};
use crate::xml::domain::defaults::{SCSI_WIDE_BUS_MAX_UNIT, assign_drive_address};
use crate::xml::domain::{Address, Disk, DiskBus, DiskDevice};

/// libvirt's SCSI controller models and vSphere's types for them.
const SCSI_MODELS: &[(&str, &str)] = &[
    ("lsilogic", "VirtualLsiLogicController"),
    ("lsisas1068", "VirtualLsiLogicSASController"),
    ("buslogic", "VirtualBusLogicController"),
    ("vmpvscsi", "ParaVirtualSCSIController"),
];

/// A new device's key: any negative number unique in the change.
const NEW_CONTROLLER: i32 = -200;
const NEW_DISK: i32 = -101;

/// The vSphere controller types of a bus.
pub(super) fn controller_types(bus: &DiskBus) -> Result<Vec<&'static str>> {
    Ok(match bus {
        DiskBus::Scsi => SCSI_MODELS.iter().map(|(_, t)| *t).collect(),
        DiskBus::Ide => vec!["VirtualIDEController"],
        DiskBus::Sata => vec!["VirtualAHCIController"],
        DiskBus::Nvme => vec!["VirtualNVMEController"],
        other => {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                format!("disks on bus '{}' cannot be attached", other.as_str()),
            ));
        }
    })
}

/// What a device change works on: the VM, its power state and its devices as read.
pub(super) struct Plug<'a> {
    pub(crate) vm: &'a Vm,
    pub(crate) state: PowerState,
    pub(crate) devices: Devices<'a>,
}

/// The VM's devices with their slots, as read.
pub(super) struct Devices<'a> {
    pub(crate) nodes: &'a [Node],
}

impl Devices<'_> {
    fn slots(&self) -> impl Iterator<Item = (&str, DeviceSlot)> {
        self.nodes.iter().filter_map(|n| {
            Some((
                n.xsi_type.as_deref().unwrap_or(""),
                DeviceSlot::from_node(n)?,
            ))
        })
    }

    /// The key of the bus's controller number `number`.
    pub(crate) fn controller(&self, types: &[&str], number: u32) -> Option<i32> {
        self.slots()
            .find(|(t, s)| types.contains(t) && s.bus_number == Some(number as i32))
            .map(|(_, s)| s.key)
    }

    /// The device in a controller's unit.
    pub(crate) fn at(&self, controller: i32, unit: u32) -> Option<&Node> {
        self.of_type_at(None, controller, unit)
    }

    /// The device of a type (any type for `None`) in a controller's unit: the simulator's
    /// model puts a VM's CD-ROM in its disk's unit.
    pub(crate) fn of_type_at(
        &self,
        kind: Option<&str>,
        controller: i32,
        unit: u32,
    ) -> Option<&Node> {
        self.nodes.iter().find(|n| {
            kind.is_none_or(|k| n.xsi_type.as_deref() == Some(k))
                && DeviceSlot::from_node(n).is_some_and(|s| {
                    s.controller_key == Some(controller) && s.unit_number == Some(unit as i32)
                })
        })
    }

    fn scsi_model_in_use(&self) -> Option<&'static str> {
        self.slots().find_map(|(t, _)| {
            SCSI_MODELS
                .iter()
                .find(|(_, kind)| *kind == t)
                .map(|(_, kind)| *kind)
        })
    }
}

/// A hot-plugged disk's slot comes from its target name, so an `<address>` naming another
/// slot (or a controller the bus cannot have) would be ignored: it is refused instead, as
/// libvirt's VMX converter refuses it in a domain's XML.
pub(super) fn check_address(disk: &Disk) -> Result<()> {
    let given = match &disk.address {
        None => return Ok(()),
        Some(Address::Drive(given)) => given,
        Some(Address::Other(kind)) => {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                format!(
                    "disk '{}' has an address of type '{}'; vSphere disks have drive addresses",
                    disk.target,
                    crate::error::shorten(kind, 32)
                ),
            ));
        }
    };
    // Buses without drive addresses are refused later, with their own reason.
    let Some(slot) = assign_drive_address(disk, SCSI_WIDE_BUS_MAX_UNIT) else {
        return Ok(());
    };
    match given.same_slot(&slot) {
        true => Ok(()),
        false => Err(Error::esx(
            Code::ConfigUnsupported,
            format!(
                "Disk address {given} doesn't match target device '{}', which sits at {slot} \
                 (controller:bus:unit); leave <address> out or give that one",
                disk.target
            ),
        )),
    }
}

/// vSphere adds and removes IDE devices (and floppies) of stopped VMs only.
pub(super) fn check_hot_plug(disk: &Disk, state: PowerState) -> Result<()> {
    let cold = disk.bus == DiskBus::Ide || disk.device == DiskDevice::Floppy;
    if cold && state == PowerState::PoweredOn {
        let what = match disk.device {
            DiskDevice::Floppy => "floppy drives".to_string(),
            other => format!("{} {}s", disk.bus.as_str().to_uppercase(), other.as_str()),
        };
        return Err(invalid_state(format!(
            "{what} cannot be added to or removed from a running domain: vSphere hot-plugs \
             SCSI, SATA and NVMe disks and SATA CD-ROMs only"
        )));
    }
    Ok(())
}

fn add(device: VirtualDevice) -> VirtualDeviceConfigSpec {
    VirtualDeviceConfigSpec {
        operation: Some(Op::Add),
        file_operation: None,
        device,
    }
}

/// The device changes that attach an existing virtual disk (and its controller).
pub(crate) fn attach_disk(
    conn: &Connection,
    p: &Plug,
    disk: &Disk,
) -> Result<Vec<VirtualDeviceConfigSpec>> {
    let (vm, state, devices) = (p.vm, p.state, &p.devices);
    let (number, unit) = disk_slot(disk, conn.spec.dialect)?;
    let types = controller_types(&disk.bus)?;
    let file = disk_file(conn, vm, disk)?;
    let mut changes = Vec::new();
    let controller = match devices.controller(&types, number) {
        Some(key) => key,
        None if state == PowerState::PoweredOn => {
            return Err(invalid_state(format!(
                "the domain has no {} controller {number} for '{}', and vSphere adds \
                 controllers to stopped domains only",
                disk.bus.as_str(),
                disk.target
            )));
        }
        None if disk.bus == DiskBus::Ide => {
            return Err(Error::internal(format!(
                "the VM has no IDE controller {number}"
            )));
        }
        None => {
            let kind = match disk.bus {
                DiskBus::Scsi => disk
                    .driver_name
                    .as_deref()
                    .and_then(|m| SCSI_MODELS.iter().find(|(name, _)| *name == m))
                    .map(|(_, kind)| *kind)
                    .or_else(|| devices.scsi_model_in_use())
                    .unwrap_or("VirtualLsiLogicController"),
                _ => types[0],
            };
            let new = VirtualDevice::controller(kind, NEW_CONTROLLER, number as i32)
                .ok_or_else(|| Error::internal(format!("{kind} is no controller")))?;
            changes.push(add(new));
            NEW_CONTROLLER
        }
    };
    if controller != NEW_CONTROLLER && devices.at(controller, unit).is_some() {
        return Err(Error::esx(
            Code::OperationFailed,
            format!("target {} already exists", disk.target),
        ));
    }
    changes.push(add(VirtualDisk {
        device_info: None,
        key: NEW_DISK,
        backing: Some(
            VirtualDiskFlatVer2BackingInfo {
                file_name: file,
                datastore: None,
                disk_mode: if disk.transient {
                    "independent_nonpersistent"
                } else {
                    "persistent"
                }
                .into(),
                thin_provisioned: None,
            }
            .into(),
        ),
        connectable: None,
        controller_key: Some(controller),
        unit_number: Some(unit as i32),
        ..VirtualDisk::default()
    }
    .into()));
    Ok(changes)
}

/// The device change that detaches the disk on the target's slot; its file stays.
pub(crate) fn detach_disk(
    conn: &Connection,
    p: &Plug,
    disk: &Disk,
) -> Result<VirtualDeviceConfigSpec> {
    let devices = &p.devices;
    let (number, unit) = disk_slot(disk, conn.spec.dialect)?;
    let missing = || {
        Error::esx(
            Code::DeviceMissing,
            format!("disk {} not found", disk.target),
        )
    };
    let controller = devices
        .controller(&controller_types(&disk.bus)?, number)
        .ok_or_else(missing)?;
    let device = devices
        .at(controller, unit)
        .filter(|n| n.xsi_type.as_deref() == Some("VirtualDisk"))
        .and_then(VirtualDevice::from_node)
        .ok_or_else(missing)?;
    Ok(VirtualDeviceConfigSpec {
        operation: Some(Op::Remove),
        file_operation: None,
        device,
    })
}

/// The disk's file as a datastore path, on ESX checked to be a virtual disk (one round
/// trip; one more for a `/vmfs/volumes/…` path).
fn disk_file(conn: &Connection, vm: &Vm, disk: &Disk) -> Result<String> {
    let source = disk
        .source
        .as_deref()
        .filter(|s| s.ends_with(".vmdk"))
        .ok_or_else(|| {
            Error::esx(
                Code::XmlError,
                format!(
                    "disk '{}' needs a <source file=…/> naming a .vmdk file; create new \
                     disks with virStorageVolCreateXML first",
                    disk.target
                ),
            )
        })?;
    let file = datastore_file(conn, vm, source)?;
    // A vCenter answers a missing file in the reconfiguration's own fault.
    if conn.primary.product == Product::Esx {
        conn.primary
            .client
            .invoke(&QueryVirtualDiskUuid {
                this: conn.disk_manager()?,
                name: file.clone(),
                datacenter: Some(vm_placement(conn, vm)?.datacenter.clone()),
            })
            .map_err(|e| Error::from(e).context(&format!("Could not find disk '{file}'")))?;
    }
    Ok(file)
}

/// A file of the XML (`[ds] path` or `/vmfs/volumes/…`, which costs a round trip) as the
/// datastore path vSphere takes.
pub(crate) fn datastore_file(conn: &Connection, vm: &Vm, source: &str) -> Result<String> {
    let file = match source.starts_with('[') {
        true => source.to_string(),
        false => LiveDatastores::read(conn, &[vm_placement(conn, vm)?], None, None)?
            .parse_file_name(source, false)?
            .unwrap_or_default(),
    };
    DatastorePath::parse(&file)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::domain::{DeviceDef, parse_device};

    fn disk(target: &str, address: &str) -> Disk {
        let xml = format!(
            "<disk type='file' device='disk'><source file='[ds] a.vmdk'/>\
             <target dev='{target}'/>{address}</disk>"
        );
        match parse_device(&xml).unwrap() {
            DeviceDef::Disk(disk) => disk,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_address_must_be_the_targets_slot() {
        let drive = |c: u32, b: u32, u: u32| {
            format!("<address type='drive' controller='{c}' bus='{b}' unit='{u}'/>")
        };
        for (target, address) in [
            ("sdb", String::new()),
            ("sdb", drive(0, 0, 1)),
            ("sdi", drive(0, 0, 9)),
            ("sdp", drive(1, 0, 0)),
            ("hdc", drive(0, 1, 0)),
        ] {
            check_address(&disk(target, &address)).unwrap();
        }
        for (target, address, says) in [
            (
                "sdb",
                drive(999, 0, 99),
                "Disk address 999:0:99 doesn't match target device 'sdb', which sits at 0:0:1",
            ),
            ("sdb", drive(0, 0, 7), "Disk address 0:0:7 doesn't match"),
            ("hdc", drive(0, 0, 0), "which sits at 0:1:0"),
            (
                "sdb",
                "<address type='pci'/>".into(),
                "address of type 'pci'",
            ),
        ] {
            let e = check_address(&disk(target, &address)).unwrap_err();
            assert_eq!(e.code, Code::ConfigUnsupported, "{e}");
            assert!(e.detail.contains(says), "{e}");
        }
    }
}
