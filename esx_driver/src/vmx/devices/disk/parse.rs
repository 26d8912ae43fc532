//! VMX → disks: every slot is tried as a hard disk, then as a CD-ROM, in libvirt's order
//! (SCSI, SATA, IDE, floppy, then NVMe), and the controllers in use are added.

use super::{
    NVME_UNITS, SATA_UNITS, SCSI_MODELS, full_sd_targets, has_suffix, slot_address, slot_prefix,
    slot_target,
};
use crate::error::Result;
use crate::vmx::datastore::{DatastorePaths, read_file_name};
use crate::vmx::file::VmxFile;
use crate::vmx::version::HwVersion;
use crate::vmx::{Dialect, vmx_error};
use crate::xml::domain::defaults::assign_drive_address;
use crate::xml::domain::{Address, ControllerType, Devices, Disk, DiskBus, DiskDevice};

/// One disk slot and what its parse needs to know.
struct Slot<'a> {
    vmx: &'a VmxFile,
    ctx: &'a dyn DatastorePaths,
    bus: DiskBus,
    controller: u32,
    unit: u32,
    scsi_bus_max_unit: u32,
    dialect: Dialect,
}

pub(crate) fn parse_disks(
    vmx: &VmxFile,
    ctx: &dyn DatastorePaths,
    hw: HwVersion,
    devices: &mut Devices,
) -> Result<()> {
    let max_unit = hw.scsi_bus_max_unit();
    let slot = |bus: DiskBus, controller, unit| Slot {
        vmx,
        ctx,
        bus,
        controller,
        unit,
        scsi_bus_max_unit: max_unit,
        dialect: ctx.dialect(),
    };

    let mut scsi_models: [Option<&str>; 4] = [None; 4];
    for controller in 0..4u32 {
        let Some(model) = parse_scsi_controller(vmx, controller)? else {
            continue;
        };
        if let Some(entry) = scsi_models.get_mut(controller as usize) {
            *entry = model;
        }
        for unit in (0..max_unit).filter(|&u| u != 7) {
            devices
                .disks
                .extend(slot(DiskBus::Scsi, controller, unit).parse_disk_or_cdrom()?);
        }
    }
    add_controllers_up_to_last(devices, 0, ControllerType::Scsi, |index| {
        scsi_models.get(index as usize).copied().flatten()
    });

    let first_sata = devices.disks.len();
    for controller in 0..4u32 {
        if !vmx.boolean(&format!("sata{controller}.present"), false)? {
            continue;
        }
        for unit in 0..SATA_UNITS {
            devices
                .disks
                .extend(slot(DiskBus::Sata, controller, unit).parse_disk_or_cdrom()?);
        }
    }
    add_controllers_up_to_last(devices, first_sata, ControllerType::Sata, |_| None);

    for bus in 0..2 {
        for unit in 0..2 {
            devices
                .disks
                .extend(slot(DiskBus::Ide, bus, unit).parse_disk_or_cdrom()?);
        }
    }
    for unit in 0..2 {
        devices
            .disks
            .extend(slot(DiskBus::Fdc, 0, unit).parse(DiskDevice::Floppy)?);
    }

    // NVMe goes beyond libvirt, which ignores these keys.
    let first_nvme = devices.disks.len();
    for controller in 0..4u32 {
        if !vmx.boolean(&format!("nvme{controller}.present"), false)? {
            continue;
        }
        for unit in 0..NVME_UNITS {
            devices
                .disks
                .extend(slot(DiskBus::Nvme, controller, unit).parse(DiskDevice::Disk)?);
        }
    }
    add_controllers_up_to_last(devices, first_nvme, ControllerType::Nvme, |_| None);
    if ctx.dialect() == Dialect::Full {
        name_sd_devices(&mut devices.disks);
    }
    Ok(())
}

/// Gives SCSI and SATA devices the full dialect's targets (`full_sd_targets`), their true
/// slots being their addresses.
fn name_sd_devices(disks: &mut [Disk]) {
    let mut sd: Vec<&mut Disk> = disks
        .iter_mut()
        .filter(|d| matches!(d.bus, DiskBus::Scsi | DiskBus::Sata))
        .collect();
    let slots: Vec<(DiskBus, u32, u32)> = sd
        .iter()
        .map(|d| {
            let a = d.drive_address().unwrap_or_default();
            (d.bus.clone(), a.controller, a.unit)
        })
        .collect();
    for (disk, target) in sd.iter_mut().zip(full_sd_targets(&slots)) {
        disk.target = target;
    }
}

/// libvirt adds every controller of a bus up to the one of the bus's last disk.
fn add_controllers_up_to_last<'m>(
    devices: &mut Devices,
    first_disk: usize,
    controller_type: ControllerType,
    model: impl Fn(u32) -> Option<&'m str>,
) {
    let Some(last) = devices
        .disks
        .get(first_disk..)
        .and_then(|disks| disks.last())
        .and_then(Disk::drive_address)
    else {
        return;
    };
    for index in 0..=last.controller {
        devices.add_controller(
            controller_type.clone(),
            index,
            model(index).map(str::to_string),
        );
    }
}

/// `None` when the controller is absent, else its libvirt model if `virtualDev` is set.
fn parse_scsi_controller(vmx: &VmxFile, controller: u32) -> Result<Option<Option<&'static str>>> {
    if !vmx.boolean(&format!("scsi{controller}.present"), false)? {
        return Ok(None);
    }
    let name = format!("scsi{controller}.virtualDev");
    let Some(value) = vmx.get(&name) else {
        return Ok(Some(None));
    };
    let value = value.to_ascii_lowercase();
    SCSI_MODELS
        .iter()
        .find(|(_, vmx_name)| *vmx_name == value)
        .map(|(model, _)| Some(Some(*model)))
        .ok_or_else(|| {
            vmx_error(format!(
                "Expecting VMX entry '{name}' to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'pvscsi' but found '{value}'"
            ))
        })
}

impl Slot<'_> {
    fn key(&self, field: &str) -> String {
        format!(
            "{}.{field}",
            slot_prefix(&self.bus, self.controller, self.unit)
        )
    }

    fn parse_disk_or_cdrom(&self) -> Result<Option<Disk>> {
        match self.parse(DiskDevice::Disk)? {
            Some(disk) => Ok(Some(disk)),
            None => self.parse(DiskDevice::Cdrom),
        }
    }

    /// libvirt's target naming, with the unit checked against the bus's range.
    fn target(&self) -> Result<String> {
        let (c, u) = (self.controller, self.unit);
        if self.bus == DiskBus::Scsi && (u > self.scsi_bus_max_unit || u == 7) {
            return Err(vmx_error(format!(
                "SCSI unit index {u} out of [0..6,8..{}] range",
                self.scsi_bus_max_unit
            )));
        }
        slot_target(&self.bus, c, u).ok_or_else(|| vmx_error("Unsupported disk bus"))
    }

    fn parse(&self, device: DiskDevice) -> Result<Option<Disk>> {
        let vmx = self.vmx;
        let present = vmx.boolean(&self.key("present"), false)?;
        vmx.boolean(&self.key("startConnected"), true)?;
        if !present {
            return Ok(None);
        }
        let device_type = vmx.get(&self.key("deviceType"));
        let client_device = vmx.boolean(&self.key("clientDevice"), false)?;
        let mode = vmx.get(&self.key("mode"));
        if client_device {
            // the VI client attaches these itself; nothing to describe
            return Ok(None);
        }
        let file_type = vmx.get(&self.key("fileType"));
        let file_name_key = self.key("fileName");
        let file_name = vmx.get(&file_name_key);
        let write_through = vmx.boolean(&self.key("writeThrough"), false)?;

        let mut disk = Disk {
            disk_type: "file".to_string(),
            device,
            bus: self.bus.clone(),
            source: None,
            startup_policy: None,
            target: self.target()?,
            driver_name: None,
            cache: None,
            readonly: false,
            transient: false,
            address: None,
        };
        let is_type = |name: &str| device_type.is_some_and(|t| t.eq_ignore_ascii_case(name));
        let unhandled = || {
            vmx_error(format!(
                "Invalid or not yet handled value '{}' for VMX entry '{file_name_key}' for device type '{}'",
                file_name.unwrap_or("<null>"),
                device_type.unwrap_or("unknown")
            ))
        };
        let expect_type = |expected: &str| -> Result<()> {
            match device_type {
                Some(found) if !found.eq_ignore_ascii_case(expected) => Err(vmx_error(format!(
                    "Expecting VMX entry '{}' to be '{expected}' but found '{found}'",
                    self.key("deviceType")
                ))),
                _ => Ok(()),
            }
        };
        let passthru_cdrom = is_type("scsi-passthru")
            && file_name.is_some_and(|f| f.starts_with("/vmfs/devices/cdrom/"));

        match device {
            DiskDevice::Disk => {
                let Some(file_name) = file_name else {
                    return Ok(None);
                };
                if has_suffix(file_name, ".iso")
                    || file_name == "emptyBackingString"
                    || is_type("atapi-cdrom")
                    || is_type("cdrom-raw")
                    || is_type("cdrom-image")
                    || passthru_cdrom
                {
                    return Ok(None);
                }
                if !has_suffix(file_name, ".vmdk") {
                    return Err(unhandled());
                }
                let hard_disk_type = match self.bus {
                    DiskBus::Scsi => Some("scsi-hardDisk"),
                    DiskBus::Ide => Some("ata-hardDisk"),
                    _ => None,
                };
                if let (Some(expected), Some(found)) = (hard_disk_type, device_type)
                    && !found.eq_ignore_ascii_case(expected)
                    && !found.eq_ignore_ascii_case("disk")
                {
                    return Err(vmx_error(format!(
                        "Expecting VMX entry '{}' to be '{expected}' or 'disk' but found '{found}'",
                        self.key("deviceType")
                    )));
                }
                disk.source = read_file_name(self.ctx, file_name, false)?;
                if write_through {
                    disk.cache = Some("writethrough".to_string());
                }
                disk.transient =
                    mode.is_some_and(|m| m.eq_ignore_ascii_case("independent-nonpersistent"));
            }
            DiskDevice::Cdrom | DiskDevice::Lun => {
                disk.readonly = true;
                match file_name {
                    Some(f) if has_suffix(f, ".vmdk") => return Ok(None),
                    Some(f) if has_suffix(f, ".iso") => {
                        expect_type("cdrom-image")?;
                        disk.source = read_file_name(self.ctx, f, true)?;
                    }
                    _ if is_type("atapi-cdrom") || is_type("cdrom-raw") => {
                        if is_type("cdrom-raw") {
                            disk.device = DiskDevice::Lun;
                        }
                        disk.disk_type = "block".to_string();
                        match file_name {
                            Some(f) if f.eq_ignore_ascii_case("auto detect") => {
                                disk.startup_policy = Some("optional".to_string());
                            }
                            other => disk.source = other.map(str::to_string),
                        }
                    }
                    _ if self.bus == DiskBus::Scsi && is_type("scsi-passthru") => {
                        if !passthru_cdrom {
                            return Ok(None);
                        }
                        disk.device = DiskDevice::Lun;
                        disk.disk_type = "block".to_string();
                        disk.source = file_name.map(str::to_string);
                    }
                    Some("" | "emptyBackingString") => expect_type("cdrom-image")?,
                    _ => return Err(unhandled()),
                }
            }
            DiskDevice::Floppy => match file_type {
                Some(t) if t.eq_ignore_ascii_case("device") => {
                    disk.disk_type = "block".to_string();
                    disk.source = file_name.map(str::to_string);
                }
                Some(t) if t.eq_ignore_ascii_case("file") => {
                    if let Some(f) = file_name {
                        disk.source = read_file_name(self.ctx, f, false)?;
                    }
                }
                _ => return Err(unhandled()),
            },
        }

        let true_slot =
            matches!(self.bus, DiskBus::Scsi | DiskBus::Sata) && self.dialect == Dialect::Full;
        let address = match true_slot {
            true => Some(slot_address(self.controller, self.unit)),
            false => assign_drive_address(&disk, self.scsi_bus_max_unit),
        }
        .ok_or_else(|| {
            vmx_error(format!(
                "Could not assign address to disk '{}'",
                disk.source.as_deref().unwrap_or("<null>")
            ))
        })?;
        disk.address = Some(Address::Drive(address));
        Ok(Some(disk))
    }
}
