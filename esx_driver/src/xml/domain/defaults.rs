//! libvirt's generic post-parse step for VMware domains: defaults, drive addresses derived
//! from target names, implicit controllers, the serial console copy and the default video.

use super::disk_name::{disk_name_to_index, nvme_name_to_slot};
use super::{Address, Chr, Disk, DiskBus, DomainDef, DriveAddress, Video};

/// Units per SCSI bus before virtualHW 13 (unit 7 being the controller itself).
pub(crate) const SCSI_WIDE_BUS_MAX_UNIT: u32 = 16;
/// Units per SCSI bus from virtualHW 13 on.
pub(crate) const SCSI_SUPER_WIDE_BUS_MAX_UNIT: u32 = 64;

/// Units per SATA controller in the address libvirt derives from a target name (its generic
/// rule; VMware's AHCI has 30).
pub(crate) const LIBVIRT_SATA_UNITS: u32 = 6;

/// The video RAM libvirt gives a VMware guest's VGA-like adapter, KiB.
const DEFAULT_VRAM_KIB: u32 = 4096;

/// The drive address libvirt derives from a disk's target name and bus.
pub(crate) fn assign_drive_address(disk: &Disk, scsi_bus_max_unit: u32) -> Option<DriveAddress> {
    if disk.bus == DiskBus::Nvme {
        let (controller, unit) = nvme_name_to_slot(&disk.target)?;
        return Some(DriveAddress {
            controller,
            unit,
            ..DriveAddress::default()
        });
    }
    let index = disk_name_to_index(&disk.target)?;
    let (controller, bus, unit) = match disk.bus {
        DiskBus::Scsi => {
            let per_bus = scsi_bus_max_unit.saturating_sub(1).max(1);
            let unit = index % per_bus;
            (index / per_bus, 0, if unit >= 7 { unit + 1 } else { unit })
        }
        DiskBus::Ide => (index / 4, (index % 4) / 2, index % 2),
        DiskBus::Fdc => (index / 2, 0, index % 2),
        DiskBus::Sata => (index / LIBVIRT_SATA_UNITS, 0, index % LIBVIRT_SATA_UNITS),
        DiskBus::Nvme | DiskBus::Other(_) => return None,
    };
    Some(DriveAddress {
        controller,
        bus,
        target: 0,
        unit,
    })
}

pub(crate) fn apply(def: &mut DomainDef) {
    fill_if_empty(&mut def.os.os_type, "hvm");
    fill_if_empty(&mut def.os.arch, "i686");
    fill_if_empty(&mut def.clock_offset, "utc");
    fill_if_empty(&mut def.on_poweroff, "destroy");
    fill_if_empty(&mut def.on_reboot, "restart");
    fill_if_empty(&mut def.on_crash, "destroy");

    let memory = &mut def.memory;
    if memory.current_kib == 0 || memory.current_kib > memory.max_kib {
        memory.current_kib = memory.max_kib;
    }
    if def.vcpu.current == 0 {
        def.vcpu.current = def.vcpu.max;
    }

    for disk in &mut def.devices.disks {
        if disk.address.is_none() {
            disk.address = assign_drive_address(disk, SCSI_WIDE_BUS_MAX_UNIT).map(Address::Drive);
        }
    }
    add_implicit_controllers(def);
    add_serial_console(def);
    default_videos(def);
}

fn fill_if_empty(field: &mut String, value: &str) {
    if field.is_empty() {
        *field = value.to_string();
    }
}

fn add_implicit_controllers(def: &mut DomainDef) {
    let devices = &mut def.devices;
    for bus in [
        DiskBus::Scsi,
        DiskBus::Fdc,
        DiskBus::Ide,
        DiskBus::Sata,
        DiskBus::Nvme,
    ] {
        let highest = devices
            .disks
            .iter()
            .filter(|d| d.bus == bus)
            .filter_map(Disk::drive_address)
            .map(|a| a.controller)
            .max();
        let (Some(highest), Some(controller_type)) = (highest, bus.controller_type()) else {
            continue;
        };
        for index in 0..=highest {
            devices.add_controller(controller_type.clone(), index, None);
        }
    }
}

/// An hvm guest's first serial port doubles as its console.
fn add_serial_console(def: &mut DomainDef) {
    let devices = &mut def.devices;
    if !devices.consoles.is_empty() {
        return;
    }
    if let Some(serial) = devices.serials.first() {
        devices.consoles.push(Chr {
            source: serial.source.clone(),
            target_port: serial.target_port,
            target_type: Some("serial".to_string()),
        });
    }
}

fn default_videos(def: &mut DomainDef) {
    let vmware = def.virt_type == "vmware";
    let videos = &mut def.devices.videos;
    if videos.is_empty() && !def.devices.graphics.is_empty() {
        videos.push(Video {
            model: "default".to_string(),
            vram: 0,
            heads: 0,
            primary: false,
        });
    }
    for video in videos.iter_mut() {
        if video.model == "default" {
            video.model = "vmvga".to_string();
        }
        if video.vram == 0 && vmware && matches!(video.model.as_str(), "vmvga" | "vga" | "cirrus") {
            video.vram = DEFAULT_VRAM_KIB;
        }
    }
    if let Some(first) = videos.first_mut() {
        first.primary = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::domain::DiskDevice;

    fn disk(bus: DiskBus, target: &str) -> Disk {
        Disk {
            disk_type: "file".into(),
            device: DiskDevice::Disk,
            bus,
            source: None,
            startup_policy: None,
            target: target.into(),
            driver_name: None,
            cache: None,
            readonly: false,
            transient: false,
            address: None,
        }
    }

    #[test]
    fn addresses_follow_libvirt_rules() {
        let a = |bus, t, max| assign_drive_address(&disk(bus, t), max).unwrap();
        assert_eq!(
            (
                a(DiskBus::Scsi, "sdp", 16).controller,
                a(DiskBus::Scsi, "sdp", 16).unit
            ),
            (1, 0)
        );
        assert_eq!(a(DiskBus::Scsi, "sdp", 64).unit, 16);
        assert_eq!(a(DiskBus::Scsi, "sdh", 16).unit, 8);
        let hdd = a(DiskBus::Ide, "hdd", 16);
        assert_eq!((hdd.controller, hdd.bus, hdd.unit), (0, 1, 1));
        assert_eq!(a(DiskBus::Sata, "sdg", 16).controller, 1);
        assert_eq!(a(DiskBus::Nvme, "nvme2n1", 16).controller, 2);
    }

    #[test]
    fn implicit_controllers_are_grouped_by_type() {
        let mut def = DomainDef::default();
        def.devices.disks = vec![
            disk(DiskBus::Ide, "hda"),
            disk(DiskBus::Fdc, "fda"),
            disk(DiskBus::Scsi, "sdp"),
        ];
        apply(&mut def);
        let order: Vec<_> = def
            .devices
            .controllers
            .iter()
            .map(|c| (c.controller_type.as_str().to_string(), c.index))
            .collect();
        let expected = [("scsi", 0), ("scsi", 1), ("fdc", 0), ("ide", 0)];
        assert_eq!(order, expected.map(|(t, i)| (t.to_string(), i)));
    }
}
