//! Disks and their controllers in both directions: SCSI, SATA, IDE, floppy and NVMe slots,
//! their VMX key prefixes, and the SCSI controller models VMware knows.

mod format;
mod parse;

pub use format::{format_disks, slot_of};
pub use parse::parse_disks;

use crate::xml::domain::{DiskBus, index_to_disk_name, nvme_slot_to_name};

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
pub fn slot_target(bus: &DiskBus, controller: u32, unit: u32) -> Option<String> {
    let (c, u) = (controller, unit);
    Some(match bus {
        DiskBus::Scsi if u == 7 => return None,
        DiskBus::Scsi => index_to_disk_name(c * 15 + if u < 7 { u } else { u - 1 }, "sd"),
        DiskBus::Sata => index_to_disk_name(c * SATA_UNITS + u, "sd"),
        DiskBus::Ide => index_to_disk_name(c * 2 + u, "hd"),
        DiskBus::Fdc => index_to_disk_name(u, "fd"),
        DiskBus::Nvme => nvme_slot_to_name(c, u),
        DiskBus::Other(_) => return None,
    })
}

/// Case-insensitive file name suffix test, as VMware's own names vary in case.
fn has_suffix(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name
            .get(name.len() - suffix.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix))
}
