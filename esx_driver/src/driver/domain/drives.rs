//! CD-ROM and floppy drives: attached and detached on the slot their target names, their
//! media (an image, a host device, the client's drive, or none) changed in place.

use super::disks::{Devices, Plug, controller_types};
use super::{PowerState, Vm, invalid_state};
use crate::driver::connection::Connection;
use crate::driver::domain::disks::datastore_file;
use crate::error::{Code, Error, Result};
use crate::vi::specs::{
    VirtualCdromAtapiBackingInfo, VirtualCdromIsoBackingInfo,
    VirtualCdromRemotePassthroughBackingInfo, VirtualDevice, VirtualDeviceBackingInfo,
    VirtualDeviceConfigSpec, VirtualDeviceConfigSpecOperation as Op, VirtualDeviceConnectInfo,
    VirtualFloppyDeviceBackingInfo, VirtualFloppyImageBackingInfo,
};
use crate::vi::types::FromNode;
use crate::vmx::{Dialect, disk_slot};
use crate::xml::domain::{Disk, DiskBus, DiskDevice, disk_name_to_index};

const NEW_DRIVE: i32 = -102;

/// Where a drive sits: its controller types, controller number and unit.
fn slot(disk: &Disk, dialect: Dialect) -> Result<(Vec<&'static str>, u32, u32)> {
    if disk.device == DiskDevice::Floppy {
        let index = disk
            .target
            .strip_prefix("fd")
            .and_then(|_| disk_name_to_index(&disk.target))
            .filter(|i| *i < 2)
            .ok_or_else(|| {
                Error::esx(
                    Code::XmlError,
                    format!("floppy target '{}' is not fda or fdb", disk.target),
                )
            })?;
        return Ok((vec!["VirtualSIOController"], 0, index));
    }
    if !matches!(disk.bus, DiskBus::Ide | DiskBus::Sata) {
        return Err(Error::esx(
            Code::ConfigUnsupported,
            format!(
                "CD-ROM drive '{}' must sit on the IDE or SATA bus, not '{}'",
                disk.target,
                disk.bus.as_str()
            ),
        ));
    }
    let (number, unit) = disk_slot(disk, dialect)?;
    Ok((controller_types(&disk.bus)?, number, unit))
}

fn vsphere_type(disk: &Disk) -> &'static str {
    match disk.device {
        DiskDevice::Floppy => "VirtualFloppy",
        _ => "VirtualCdrom",
    }
}

/// The drive's media as vSphere backs it, and whether there is any.
fn media(conn: &Connection, vm: &Vm, disk: &Disk) -> Result<(VirtualDeviceBackingInfo, bool)> {
    let floppy = disk.device == DiskDevice::Floppy;
    let source = disk.source.as_deref().filter(|s| !s.is_empty());
    Ok(match (disk.disk_type.as_str(), source) {
        ("file", Some(file)) => {
            let file_name = datastore_file(conn, vm, file)?;
            match floppy {
                true => (VirtualFloppyImageBackingInfo { file_name }.into(), true),
                false => (VirtualCdromIsoBackingInfo { file_name }.into(), true),
            }
        }
        ("block", Some(dev)) => {
            let device_name = dev.to_string();
            match floppy {
                true => (VirtualFloppyDeviceBackingInfo { device_name }.into(), true),
                false => (VirtualCdromAtapiBackingInfo { device_name }.into(), true),
            }
        }
        ("file" | "block", None) if !floppy => (
            // An empty drive: the client's, not connected.
            VirtualCdromRemotePassthroughBackingInfo {
                device_name: String::new(),
                exclusive: false,
            }
            .into(),
            false,
        ),
        ("file" | "block", None) => {
            return Err(Error::esx(
                Code::XmlError,
                format!("floppy '{}' needs a source", disk.target),
            ));
        }
        (other, _) => {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                format!(
                    "{} '{}' has unsupported type '{}', expecting 'file' or 'block'",
                    disk.device.as_str(),
                    disk.target,
                    crate::error::shorten(other, 32)
                ),
            ));
        }
    })
}

fn connect_info(has_media: bool, state: PowerState) -> VirtualDeviceConnectInfo {
    VirtualDeviceConnectInfo {
        start_connected: has_media,
        allow_guest_control: true,
        connected: has_media && state == PowerState::PoweredOn,
    }
}

pub(crate) fn attach_drive(
    conn: &Connection,
    p: &Plug,
    disk: &Disk,
) -> Result<Vec<VirtualDeviceConfigSpec>> {
    let (vm, state, devices) = (p.vm, p.state, &p.devices);
    let (types, number, unit) = slot(disk, conn.spec.dialect)?;
    let controller = devices.controller(&types, number).ok_or_else(|| {
        invalid_state(format!(
            "the domain has no {} controller {number} for '{}'; attach a disk there first",
            disk.bus.as_str(),
            disk.target
        ))
    })?;
    if devices.at(controller, unit).is_some() {
        return Err(Error::esx(
            Code::OperationFailed,
            format!("target {} already exists", disk.target),
        ));
    }
    let (backing, has_media) = media(conn, vm, disk)?;
    let drive = VirtualDevice::drive(
        vsphere_type(disk),
        NEW_DRIVE,
        backing,
        connect_info(has_media, state),
        (controller, unit as i32),
    )
    .ok_or_else(|| Error::internal("a drive type without a drive"))?;
    Ok(vec![VirtualDeviceConfigSpec {
        operation: Some(Op::Add),
        file_operation: None,
        device: drive,
    }])
}

/// The drive on the target's slot, as the VM has it.
fn drive_at(disk: &Disk, devices: &Devices, dialect: Dialect) -> Result<VirtualDevice> {
    let (types, number, unit) = slot(disk, dialect)?;
    let missing = || {
        Error::esx(
            Code::DeviceMissing,
            format!("{} {} not found", disk.device.as_str(), disk.target),
        )
    };
    let controller = devices.controller(&types, number).ok_or_else(missing)?;
    devices
        .of_type_at(Some(vsphere_type(disk)), controller, unit)
        .and_then(VirtualDevice::from_node)
        .ok_or_else(missing)
}

pub(crate) fn detach_drive(
    conn: &Connection,
    p: &Plug,
    disk: &Disk,
) -> Result<VirtualDeviceConfigSpec> {
    Ok(VirtualDeviceConfigSpec {
        operation: Some(Op::Remove),
        file_operation: None,
        device: drive_at(disk, &p.devices, conn.spec.dialect)?,
    })
}

/// virDomainUpdateDeviceFlags of a drive: other media, or none (ejected), live too.
pub(crate) fn change_media(
    conn: &Connection,
    p: &Plug,
    disk: &Disk,
) -> Result<VirtualDeviceConfigSpec> {
    let drive = drive_at(disk, &p.devices, conn.spec.dialect)?;
    let (backing, has_media) = media(conn, p.vm, disk)?;
    let device = drive
        .with_media(backing, connect_info(has_media, p.state))
        .ok_or_else(|| Error::internal("a drive without media"))?;
    Ok(VirtualDeviceConfigSpec {
        operation: Some(Op::Edit),
        file_operation: None,
        device,
    })
}
