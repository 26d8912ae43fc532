//! Disks and controllers → VMX: libvirt's address checks, the legacy `<driver name>` SCSI
//! model, model autodetection, then one block of keys per disk and the floppy defaults.

use super::{
    LIBVIRT_SCSI_MODELS, NVME_UNITS, SATA_UNITS, SCSI_MODELS, has_suffix, sata_slot, slot,
    slot_prefix,
};
use crate::error::Result;
use crate::vmx::datastore::{DatastorePaths, write_file_name};
use crate::vmx::file::VmxWriter;
use crate::vmx::version::HwVersion;
use crate::vmx::{Dialect, vmx_error, vmx_unsupported};
use crate::xml::domain::defaults::{SCSI_WIDE_BUS_MAX_UNIT, assign_drive_address};
use crate::xml::domain::{
    Address, Controller, ControllerType, Disk, DiskBus, DiskDevice, DriveAddress,
    disk_name_to_index, nvme_name_to_slot,
};

pub(crate) fn format_disks(
    disks: &[Disk],
    controllers: &[Controller],
    ctx: &dyn DatastorePaths,
    hw: HwVersion,
    w: &mut VmxWriter,
) -> Result<()> {
    let dialect = ctx.dialect();
    let mut controllers = controllers.to_vec();
    let mut slots: Vec<(&DiskBus, (u32, u32), &str)> = Vec::new();
    for disk in disks {
        verify_address(disk, hw, dialect)?;
        apply_legacy_driver_name(disk, &mut controllers)?;
        if dialect == Dialect::Full && disk.device != DiskDevice::Floppy {
            let at = slot(disk, dialect)?;
            if let Some((_, _, other)) = slots.iter().find(|(b, s, _)| **b == disk.bus && *s == at)
            {
                return Err(vmx_error(format!(
                    "Disks '{other}' and '{}' are on one slot, {}",
                    disk.target,
                    slot_prefix(&disk.bus, at.0, at.1)
                )));
            }
            slots.push((&disk.bus, at, &disk.target));
        }
    }
    for (index, model) in gather_scsi_controllers(disks, &mut controllers, ctx)? {
        w.set(format_args!("scsi{index}.present"), "true");
        if let Some(model) = model {
            w.set(format_args!("scsi{index}.virtualDev"), model);
        }
    }
    for bus in [DiskBus::Sata, DiskBus::Nvme] {
        let mut used = Vec::new();
        for disk in disks.iter().filter(|d| d.bus == bus) {
            used.push(slot(disk, dialect)?.0);
        }
        used.sort_unstable();
        used.dedup();
        for index in used {
            w.set(format_args!("{}{index}.present", bus.as_str()), "true");
        }
    }

    let mut floppy_present = [false; 2];
    for disk in disks {
        match disk.device {
            DiskDevice::Floppy => format_floppy(disk, ctx, w, &mut floppy_present)?,
            _ => format_disk(disk, ctx, dialect, w)?,
        }
    }
    // VMware assumes both floppies present unless told otherwise
    for (unit, present) in floppy_present.iter().enumerate() {
        if !present {
            w.set(format_args!("floppy{unit}.present"), "false");
        }
    }
    Ok(())
}

/// The address must be the one libvirt derives from the target name, within VMware's
/// ranges; buses VMware lacks are refused.
fn verify_address(disk: &Disk, hw: HwVersion, dialect: Dialect) -> Result<()> {
    let drive = match &disk.address {
        Some(Address::Drive(drive)) => *drive,
        Some(Address::Other(kind)) => {
            return Err(vmx_unsupported(format!(
                "Unsupported disk address type '{kind}'"
            )));
        }
        None => return Err(vmx_unsupported("Unsupported disk address type 'none'")),
    };
    // libvirt derives no address for other buses and so compares against all zeros
    let derived = match disk.bus {
        DiskBus::Other(_) => DriveAddress::default(),
        _ => assign_drive_address(disk, SCSI_WIDE_BUS_MAX_UNIT)
            .ok_or_else(|| vmx_error("Could not verify disk address"))?,
    };
    if !derived.same_slot(&drive) {
        if dialect == Dialect::Full && matches!(disk.bus, DiskBus::Scsi | DiskBus::Sata) {
            return verify_true_slot(disk, drive, hw);
        }
        return Err(vmx_error(format!(
            "Disk address {drive} doesn't match target device '{}'",
            disk.target
        )));
    }
    let (name, max_controller, max_bus, unit_range): (&str, u32, u32, &str) = match disk.bus {
        DiskBus::Scsi => ("SCSI", 3, 0, "[0..6,8..15]"),
        DiskBus::Ide => ("IDE", 0, 1, "[0..1]"),
        DiskBus::Fdc => ("FDC", 0, 0, "[0..1]"),
        // their slots come from the target name and are range-checked with it
        DiskBus::Sata if hw.has_sata() => return Ok(()),
        DiskBus::Nvme if hw.has_nvme() => return Ok(()),
        _ => {
            return Err(vmx_unsupported(format!(
                "Unsupported bus type '{}'",
                disk.bus.as_str()
            )));
        }
    };
    let unit_ok = match disk.bus {
        DiskBus::Scsi => drive.unit <= 15 && drive.unit != 7,
        _ => drive.unit <= 1,
    };
    let range = |max: u32| {
        if max == 0 {
            "[0]".to_string()
        } else {
            format!("[0..{max}]")
        }
    };
    if drive.controller > max_controller {
        return Err(vmx_error(format!(
            "{name} controller index {} out of {} range",
            drive.controller,
            range(max_controller)
        )));
    }
    if drive.bus > max_bus {
        return Err(vmx_error(format!(
            "{name} bus index {} out of {} range",
            drive.bus,
            range(max_bus)
        )));
    }
    if !unit_ok {
        return Err(vmx_error(format!(
            "{name} unit index {} out of {unit_range} range",
            drive.unit
        )));
    }
    Ok(())
}

/// An address the full dialect takes as the slot itself (see `slot`) must be one VMware has.
fn verify_true_slot(disk: &Disk, drive: DriveAddress, hw: HwVersion) -> Result<()> {
    let (name, units) = match disk.bus {
        DiskBus::Scsi => ("SCSI", hw.scsi_bus_max_unit()),
        _ if hw.has_sata() => ("SATA", SATA_UNITS),
        _ => {
            return Err(vmx_unsupported(format!(
                "Unsupported bus type '{}'",
                disk.bus.as_str()
            )));
        }
    };
    let scsi_self = disk.bus == DiskBus::Scsi && drive.unit == 7;
    if drive.controller > 3 || drive.bus != 0 || drive.unit >= units || scsi_self {
        return Err(vmx_error(format!(
            "{name} disk '{}' has address {drive}, which is no slot VMware has (controller 0..3, bus 0, unit below {units}{})",
            disk.target,
            if disk.bus == DiskBus::Scsi {
                ", not 7"
            } else {
                ""
            }
        )));
    }
    Ok(())
}

/// Old domain XML named the SCSI controller model in the disk's `<driver name>`.
fn apply_legacy_driver_name(disk: &Disk, controllers: &mut [Controller]) -> Result<()> {
    let (DiskBus::Scsi, Some(driver)) = (&disk.bus, &disk.driver_name) else {
        return Ok(());
    };
    let model = driver.to_ascii_lowercase();
    if !LIBVIRT_SCSI_MODELS.contains(&model.as_str()) {
        return Err(vmx_error(format!("Unknown driver name '{driver}'")));
    }
    let index = disk.drive_address().map_or(0, |a| a.controller);
    let controller = controllers
        .iter_mut()
        .find(|c| c.controller_type == ControllerType::Scsi && c.index == index)
        .ok_or_else(|| vmx_error(format!("Missing SCSI controller for index {index}")))?;
    match &controller.model {
        None => controller.model = Some(model),
        Some(existing) if *existing != model => {
            return Err(vmx_error(format!(
                "Inconsistent SCSI controller model ('{driver}' is not '{existing}') for SCSI controller index {index}"
            )));
        }
        Some(_) => {}
    }
    Ok(())
}

/// SCSI controllers with disks attached, with the VMX model to write.
fn gather_scsi_controllers(
    disks: &[Disk],
    controllers: &mut [Controller],
    ctx: &dyn DatastorePaths,
) -> Result<Vec<(u32, Option<&'static str>)>> {
    let mut present = Vec::new();
    for controller in controllers
        .iter_mut()
        .filter(|c| c.controller_type == ControllerType::Scsi)
    {
        let attached: Vec<&Disk> = disks
            .iter()
            .filter(|d| {
                d.bus == DiskBus::Scsi
                    && d.drive_address().map(|a| a.controller) == Some(controller.index)
            })
            .collect();
        if attached.is_empty() {
            continue;
        }
        if controller.model.as_deref() == Some("auto") {
            let mut detected = Vec::new();
            for disk in &attached {
                detected.push(ctx.autodetect_scsi_controller_model(disk)?);
            }
            if detected.windows(2).any(|pair| pair.first() != pair.last()) {
                return Err(vmx_error(format!(
                    "Disks on SCSI controller {} have inconsistent controller models, cannot autodetect model",
                    controller.index
                )));
            }
            if let Some(Some(model)) = detected.into_iter().next() {
                controller.model = Some(model);
            }
        }
        let vmx_model = match &controller.model {
            None => None,
            Some(model) => Some(
                SCSI_MODELS
                    .iter()
                    .find(|(name, _)| name == model)
                    .map(|(_, vmx_name)| *vmx_name)
                    .ok_or_else(|| {
                        vmx_error(format!(
                            "Expecting domain XML attribute 'model' of entry 'controller' to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'vmpvscsi' but found '{model}'"
                        ))
                    })?,
            ),
        };
        present.push((controller.index, vmx_model));
    }
    present.sort_by_key(|(index, _)| *index);
    Ok(present)
}

/// The VMX slot of a disk, from its target name the way libvirt computes it: the controller's
/// number on its bus and the unit on the controller.
pub(crate) fn slot_of(disk: &Disk) -> Result<(u32, u32)> {
    let indexed = |prefix: &str, limit: u32, name: &str| -> Result<u32> {
        if !disk.target.starts_with(prefix) {
            return Err(vmx_error(format!(
                "Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with '{prefix}'"
            )));
        }
        let index = disk_name_to_index(&disk.target).ok_or_else(|| {
            vmx_error(format!(
                "Could not parse valid disk index from '{}'",
                disk.target
            ))
        })?;
        if index >= limit {
            return Err(vmx_error(format!(
                "{name} disk index (parsed from '{}') is too large",
                disk.target
            )));
        }
        Ok(index)
    };
    Ok(match disk.bus {
        DiskBus::Scsi => {
            let index = indexed("sd", 4 * 15, "SCSI")?;
            let unit = index % 15;
            (index / 15, if unit >= 7 { unit + 1 } else { unit })
        }
        DiskBus::Ide => {
            let index = indexed("hd", 4, "IDE")?;
            (index / 2, index % 2)
        }
        DiskBus::Sata => sata_slot(indexed("sd", 4 * SATA_UNITS, "SATA")?),
        DiskBus::Nvme => nvme_name_to_slot(&disk.target)
            .filter(|&(controller, unit)| controller < 4 && unit < NVME_UNITS)
            .ok_or_else(|| {
                vmx_error(format!(
                    "NVMe disk name '{}' is not nvme<0..3>n<1..{NVME_UNITS}>",
                    disk.target
                ))
            })?,
        _ => {
            return Err(vmx_unsupported(format!(
                "Unsupported bus type '{}' for {}",
                disk.bus.as_str(),
                disk.device.as_str()
            )));
        }
    })
}

fn format_disk(
    disk: &Disk,
    ctx: &dyn DatastorePaths,
    dialect: Dialect,
    w: &mut VmxWriter,
) -> Result<()> {
    let bus = disk.bus.as_str();
    let device = disk.device.as_str();
    let is_file = disk.disk_type == "file";
    if !is_file && disk.disk_type != "block" {
        return Err(vmx_unsupported(format!(
            "{bus} {device} '{}' has unsupported type '{}', expecting 'file' or 'block'",
            disk.target, disk.disk_type
        )));
    }
    let (controller, unit) = slot(disk, dialect)?;
    let prefix = slot_prefix(&disk.bus, controller, unit);
    let source = disk.source.as_deref();
    let device_type = match (disk.device, is_file) {
        (DiskDevice::Disk, true) => match disk.bus {
            DiskBus::Scsi => Some("scsi-hardDisk"),
            DiskBus::Ide => Some("ata-hardDisk"),
            // VMware writes no device type for SATA and NVMe hard disks
            _ => None,
        },
        (DiskDevice::Cdrom, true) => Some("cdrom-image"),
        (DiskDevice::Cdrom, false) => Some("atapi-cdrom"),
        (DiskDevice::Lun, _) => Some(
            if disk.bus == DiskBus::Scsi
                && source.is_some_and(|s| s.starts_with("/vmfs/devices/cdrom/"))
            {
                "scsi-passthru"
            } else {
                "cdrom-raw"
            },
        ),
        _ => {
            return Err(vmx_unsupported(format!(
                "{bus} {device} '{}' has an unsupported type '{}'",
                disk.target, disk.disk_type
            )));
        }
    };
    w.set(format_args!("{prefix}.present"), "true");
    if let Some(device_type) = device_type {
        w.set(format_args!("{prefix}.deviceType"), device_type);
    }
    if is_file {
        let extension = if disk.device == DiskDevice::Disk {
            ".vmdk"
        } else {
            ".iso"
        };
        let file_name = match source {
            Some(src) if !has_suffix(src, extension) => {
                return Err(vmx_error(format!(
                    "Image file for {bus} {device} '{}' has unsupported suffix, expecting '{extension}'",
                    disk.target
                )));
            }
            Some(src) => write_file_name(ctx, src)?,
            None if disk.device == DiskDevice::Cdrom => "emptyBackingString".to_string(),
            None => {
                return Err(vmx_error(format!(
                    "{bus} {device} '{}' has no source",
                    disk.target
                )));
            }
        };
        w.set(format_args!("{prefix}.fileName"), file_name);
    } else if source.is_none() && disk.startup_policy.as_deref() == Some("optional") {
        w.set(format_args!("{prefix}.autodetect"), "true");
        w.set(format_args!("{prefix}.fileName"), "auto detect");
    } else {
        w.set(
            format_args!("{prefix}.fileName"),
            source.unwrap_or_default(),
        );
    }
    if disk.bus == DiskBus::Scsi {
        match disk.cache.as_deref() {
            Some("writethrough") => w.set(format_args!("{prefix}.writeThrough"), "true"),
            None | Some("default") => {}
            Some(other) => {
                return Err(vmx_unsupported(format!(
                    "{bus} harddisk '{}' has unsupported cache mode '{other}'",
                    disk.target
                )));
            }
        }
    }
    if disk.transient {
        w.set(format_args!("{prefix}.mode"), "independent-nonpersistent");
    }
    Ok(())
}

fn format_floppy(
    disk: &Disk,
    ctx: &dyn DatastorePaths,
    w: &mut VmxWriter,
    present: &mut [bool; 2],
) -> Result<()> {
    if !disk.target.starts_with("fd") {
        return Err(vmx_error(
            "Expecting domain XML attribute 'dev' of entry 'devices/disk/target' to start with 'fd'",
        ));
    }
    let unit = disk_name_to_index(&disk.target).ok_or_else(|| {
        vmx_error(format!(
            "Could not parse valid disk index from '{}'",
            disk.target
        ))
    })?;
    let Some(slot) = present.get_mut(unit as usize) else {
        return Err(vmx_error(format!(
            "Floppy disk index (parsed from '{}') is too large",
            disk.target
        )));
    };
    *slot = true;
    w.set(format_args!("floppy{unit}.present"), "true");
    let source = disk.source.as_deref();
    match disk.disk_type.as_str() {
        "file" => {
            w.set(format_args!("floppy{unit}.fileType"), "file");
            if let Some(src) = source {
                w.set(
                    format_args!("floppy{unit}.fileName"),
                    write_file_name(ctx, src)?,
                );
            }
        }
        "block" => {
            w.set(format_args!("floppy{unit}.fileType"), "device");
            if let Some(src) = source {
                w.set(format_args!("floppy{unit}.fileName"), src);
            }
        }
        other => {
            return Err(vmx_unsupported(format!(
                "Floppy '{}' has unsupported type '{other}', expecting 'file' or 'block'",
                disk.target
            )));
        }
    }
    Ok(())
}
