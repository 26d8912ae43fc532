//! What each VMware virtual hardware version allows, where the converter has to check.
//! libvirt knows versions 4 to 14; this covers what VMware documents up to version 21.

use super::{vmx_error, vmx_unsupported};
use crate::error::Result;
use crate::xml::domain::defaults::{SCSI_SUPER_WIDE_BUS_MAX_UNIT, SCSI_WIDE_BUS_MAX_UNIT};

/// The newest virtual hardware version the converter writes (ESXi 8.0 U2).
/// VMware's most NICs of a VM, as the highest `ethernetN` index.
pub(crate) const MAX_ETHERNET_INDEX: u32 = 9;

pub(crate) const MAX_HW_VERSION: i64 = 21;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct HwVersion(pub i64);

impl HwVersion {
    /// A version the converter can write a VMX file for.
    pub(crate) fn for_output(version: i32) -> Result<HwVersion> {
        HwVersion::writable(i64::from(version))
    }

    fn writable(version: i64) -> Result<HwVersion> {
        if !(4..=MAX_HW_VERSION).contains(&version) {
            return Err(vmx_error(format!(
                "Expecting virtualHW.version to be between 4 and {MAX_HW_VERSION} but found {version}"
            )));
        }
        Ok(HwVersion(version))
    }

    /// The version a definition keeps from its VMX file, which must be one the converter
    /// writes and the target runs.
    pub(crate) fn kept(version: i64, newest: HwVersion) -> Result<HwVersion> {
        if version > newest.0 {
            return Err(vmx_unsupported(format!(
                "The domain's virtual hardware version {version} (vmware:virtualhw) is newer than the {} this host runs; without that element the VMX file is written for {}",
                newest.0, newest.0
            )));
        }
        HwVersion::writable(version)
    }

    /// Units per SCSI bus, unit 7 included: 16, or 64 from version 13 on.
    pub(crate) fn scsi_bus_max_unit(self) -> u32 {
        if self.0 >= 13 {
            SCSI_SUPER_WIDE_BUS_MAX_UNIT
        } else {
            SCSI_WIDE_BUS_MAX_UNIT
        }
    }

    /// The highest ethernet index: 4 NICs before version 7, 10 after.
    pub(crate) fn max_ethernet_index(self) -> u32 {
        if self.0 >= 7 { MAX_ETHERNET_INDEX } else { 3 }
    }

    /// PCI bridges and the VMCI device exist from version 7 on.
    pub(crate) fn has_pcie_bridges(self) -> bool {
        self.0 >= 7
    }

    /// AHCI (SATA) controllers came with version 10.
    pub(crate) fn has_sata(self) -> bool {
        self.0 >= 10
    }

    /// NVMe controllers came with version 13.
    pub(crate) fn has_nvme(self) -> bool {
        self.0 >= 13
    }
}
