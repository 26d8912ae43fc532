//! Disks and their controllers in both directions: SCSI, SATA, IDE, floppy and NVMe slots,
//! their VMX key prefixes, and the SCSI controller models VMware knows.

mod format;
mod parse;

pub(crate) use format::{format_disks, slot_of};
pub(crate) use parse::parse_disks;

use crate::error::Result;
use crate::vmx::Dialect;
use crate::xml::domain::defaults::{
    LIBVIRT_SATA_UNITS, SCSI_WIDE_BUS_MAX_UNIT, assign_drive_address,
};
use crate::xml::domain::{Disk, DiskBus, DriveAddress, index_to_disk_name, nvme_slot_to_name};

/// Units per SATA controller.
const SATA_UNITS: u32 = 30;
/// Namespaces per NVMe controller.
const NVME_UNITS: u32 = 15;

/// SCSI controller models VMware offers: libvirt's name and the VMX `virtualDev` value.
const SCSI_MODELS: [(&str, &str); 4] = [
    ("buslogic", "buslogic"),
    ("lsilogic", "lsilogic"),
    ("lsisas1068", "lsisas1068"),
    ("vmpvscsi", "pvscsi"),
];

/// Every SCSI controller model name libvirt's XML accepts.
const LIBVIRT_SCSI_MODELS: [&str; 13] = [
    "auto",
    "buslogic",
    "lsilogic",
    "lsisas1068",
    "vmpvscsi",
    "ibmvscsi",
    "virtio-scsi",
    "lsisas1078",
    "virtio-transitional",
    "virtio-non-transitional",
    "ncr53c90",
    "am53c974",
    "dc390",
];

/// The VMX key prefix of a disk slot: `scsi0:1`, `ide1:0`, `floppy0`, …
fn slot_prefix(bus: &DiskBus, controller: u32, unit: u32) -> String {
    match bus {
        DiskBus::Fdc => format!("floppy{unit}"),
        other => format!("{}{controller}:{unit}", other.as_str()),
    }
}

/// libvirt's target name of a slot (SCSI skips unit 7, SATA has 30 units per controller);
/// `None` for SCSI unit 7 and buses without names.
pub(crate) fn slot_target(bus: &DiskBus, controller: u32, unit: u32) -> Option<String> {
    let (c, u) = (controller, unit);
    Some(match bus {
        DiskBus::Scsi | DiskBus::Sata => index_to_disk_name(sd_index(bus, c, u)?, "sd"),
        DiskBus::Ide => index_to_disk_name(c * 2 + u, "hd"),
        DiskBus::Fdc => index_to_disk_name(u, "fd"),
        DiskBus::Nvme => nvme_slot_to_name(c, u),
        DiskBus::Other(_) => return None,
    })
}

/// libvirt's index in the `sd` sequence of a SCSI or SATA slot (15 names per SCSI controller,
/// its unit 7 being the controller itself; 30 per SATA controller).
fn sd_index(bus: &DiskBus, controller: u32, unit: u32) -> Option<u32> {
    match bus {
        DiskBus::Scsi if unit == 7 => None,
        DiskBus::Scsi => Some(controller * 15 + if unit < 7 { unit } else { unit - 1 }),
        DiskBus::Sata => Some(controller * SATA_UNITS + unit),
        _ => None,
    }
}

/// The SATA slot libvirt's name rule gives `sd` index `index` (the inverse of `sd_index`).
fn sata_slot(index: u32) -> (u32, u32) {
    (index / SATA_UNITS, index % SATA_UNITS)
}

/// Case-insensitive file name suffix test, as VMware's own names vary in case.
fn has_suffix(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name
            .get(name.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}

/// The VMX slot of a disk. libvirt's rule reads it from the target name. The full dialect
/// writes SATA devices and SCSI units past 15 a target of their own (see `full_sd_targets`)
/// and their true slot as the address, so there the address wins wherever it is not the one
/// libvirt derives from the name; where it is, both agree on libvirt's slot.
pub(crate) fn slot(disk: &Disk, dialect: Dialect) -> Result<(u32, u32)> {
    if let (Dialect::Full, DiskBus::Scsi | DiskBus::Sata, Some(address)) =
        (dialect, &disk.bus, disk.drive_address())
    {
        let by_name = assign_drive_address(disk, SCSI_WIDE_BUS_MAX_UNIT);
        if by_name.is_none_or(|derived| !derived.same_slot(&address)) {
            return Ok((address.controller, address.unit));
        }
    }
    slot_of(disk)
}

/// The target names of a VM's SCSI and SATA devices, given as (bus, controller, unit) in the
/// reader's order, in the full dialect. libvirt names both buses from one `sd` sequence, so a
/// SCSI disk and a SATA CD-ROM can both be `sda` (which libvirt's own validation refuses), and
/// a SCSI unit past 15 takes the next controller's names. Here SCSI units 0–15 keep libvirt's
/// names; each SATA device and SCSI unit past 15 keeps libvirt's name when no earlier device
/// has it, else takes the lowest free `sd` name that `slot` maps back to its slot.
pub(crate) fn full_sd_targets(slots: &[(DiskBus, u32, u32)]) -> Vec<String> {
    let libvirt_index = |(bus, c, u): &(DiskBus, u32, u32)| sd_index(bus, *c, *u);
    let regular = |(bus, _, u): &(DiskBus, u32, u32)| *bus == DiskBus::Scsi && *u < 16;
    let mut names: Vec<Option<u32>> = slots
        .iter()
        .map(|s| libvirt_index(s).filter(|_| regular(s)))
        .collect();
    let mut taken: Vec<u32> = names.iter().flatten().copied().collect();
    for (slot, name) in slots.iter().zip(names.iter_mut()) {
        if name.is_some() {
            continue;
        }
        let (bus, c, u) = slot;
        // a SATA name whose libvirt address is the slot itself must also name that slot
        let maps_back = |n: u32| {
            *bus != DiskBus::Sata
                || (n / LIBVIRT_SATA_UNITS, n % LIBVIRT_SATA_UNITS) != (*c, *u)
                || sata_slot(n) == (*c, *u)
        };
        let chosen = match libvirt_index(slot).filter(|n| !taken.contains(n)) {
            Some(wanted) => wanted,
            None => (0..)
                .find(|n| !taken.contains(n) && maps_back(*n))
                .unwrap_or_default(),
        };
        taken.push(chosen);
        *name = Some(chosen);
    }
    names
        .into_iter()
        .map(|n| index_to_disk_name(n.unwrap_or_default(), "sd"))
        .collect()
}

/// The true slot of a SCSI or SATA device as its drive address (the full dialect's).
fn slot_address(controller: u32, unit: u32) -> DriveAddress {
    DriveAddress {
        controller,
        unit,
        ..DriveAddress::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_targets_keep_libvirt_names_unless_taken() {
        let scsi = |c, u| (DiskBus::Scsi, c, u);
        let sata = |c, u| (DiskBus::Sata, c, u);
        // libvirt: sda twice; and scsi0:16 would be sdp, scsi1:0's name
        let names = full_sd_targets(&[scsi(0, 0), scsi(0, 16), scsi(1, 0), sata(0, 0), sata(0, 2)]);
        assert_eq!(names, ["sda", "sdb", "sdp", "sdc", "sdd"]);
        // sata1:0 wants sdae (scsi2:0's); sdg would read back as sata1:0 by libvirt's address
        // rule yet name sata0:6, so the next free name is taken
        let mut slots: Vec<_> = (0..6).map(|u| scsi(0, u)).collect();
        slots.extend([scsi(2, 0), sata(1, 0)]);
        let names = full_sd_targets(&slots);
        assert_eq!(names.last().map(String::as_str), Some("sdh"));
    }
}
