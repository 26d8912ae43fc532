//! A disk's size and I/O controls: growing it (virDomainBlockResize), its IOPS limit
//! (virDomainSet/GetBlockIoTune) and its shares (virDomainSet/GetBlkioParameters weights).
//!
//! libvirt's blkio weight runs from 100 to 1000 (500 by default); vSphere gives each disk shares
//! of its datastore's I/O (normal = 1000, low = 500, high = 2000). A weight w is written as
//! custom shares 2·w, so 500 is vSphere's normal, 250 its low and 1000 its high; shares are read
//! back as weight shares/2, kept within 100–1000. A device weight of 0 puts the disk back to
//! normal shares, as libvirt's 0 removes a device's weight.

use super::tune::reconfigure;
use super::usage::{DiskUsage, disks_and_nics};
use super::{Vm, no_domain};
use crate::driver::domain::Domain;
use crate::error::{Code, Error, Result};
use crate::vi::specs::{
    SharesInfo, SharesLevel, StorageIOAllocationInfo, VirtualDevice, VirtualDeviceConfigSpec,
    VirtualDeviceConfigSpecOperation as Op, VirtualDisk, VirtualMachineConfigSpec,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::DEVICES;

/// The range of libvirt's blkio weights.
const WEIGHT_MIN: u32 = 100;
/// The range of libvirt's blkio weights.
const WEIGHT_MAX: u32 = 1000;
/// vSphere's normal shares of a disk, libvirt's default weight 500.
const NORMAL_SHARES: i32 = 1000;

/// The disks' weights (target, 100–1000), as libvirt's two blkio parameters give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskWeights(pub Vec<(String, u32)>);

impl DiskWeights {
    /// libvirt's `weight`: the first disk's (500, normal, without disks).
    pub fn weight(&self) -> u32 {
        self.0.first().map_or(NORMAL_SHARES as u32 / 2, |(_, w)| *w)
    }

    /// libvirt's `device_weight`: `target,weight` for every disk, comma-separated.
    pub fn device_weight(&self) -> String {
        let pairs: Vec<String> = self.0.iter().map(|(t, w)| format!("{t},{w}")).collect();
        pairs.join(",")
    }
}

/// One disk of the VM: its names and its vSphere device.
struct VmDisk {
    usage: DiskUsage,
    device: VirtualDisk,
}

impl Domain {
    /// Grows the disk named by its target (`sda`) or file to `bytes` (rounded up to a whole
    /// KiB), live or off. vSphere cannot shrink a disk, so a smaller size is refused; the same
    /// size changes nothing.
    pub fn block_resize(&self, disk: &str, bytes: u64) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainBlockResize")?;
        let disks = vm_disks(self)?;
        let d = find(&disks, disk)?;
        let current = capacity(&d.device);
        let kib = bytes.div_ceil(1024);
        let new = kib.saturating_mul(1024);
        if new < current {
            return Err(Error::esx(
                Code::OperationUnsupported,
                format!(
                    "vSphere cannot shrink a disk: {} has {current} bytes, {bytes} asked",
                    d.usage.target
                ),
            ));
        }
        if new == current {
            return Ok(());
        }
        let too_big = || Error::invalid_arg(format!("size {bytes} bytes is too large"));
        let device = VirtualDisk {
            capacity_in_kb: Some(i64::try_from(kib).map_err(|_| too_big())?),
            capacity_in_bytes: Some(i64::try_from(new).map_err(|_| too_big())?),
            ..d.device.clone()
        };
        edit(self, vm, vec![device], "virDomainBlockResize")
    }

    /// The disk's IOPS limit (`storageIOAllocation.limit`), `None` when unlimited.
    pub fn disk_iops_limit(&self, disk: &str) -> Result<Option<u64>> {
        let disks = vm_disks(self)?;
        let limit = io(&find(&disks, disk)?.device).limit.unwrap_or(-1);
        Ok(u64::try_from(limit).ok().filter(|l| *l > 0))
    }

    /// Sets the disk's IOPS limit; `None` (libvirt's 0) removes it.
    pub fn set_disk_iops_limit(&self, disk: &str, limit: Option<u64>) -> Result<()> {
        let vm = &self.cached();
        self.conn().check_writable("virDomainSetBlockIoTune")?;
        let limit = match limit.filter(|l| *l > 0) {
            None => -1,
            Some(l) => i64::try_from(l)
                .map_err(|_| Error::invalid_arg(format!("total_iops_sec {l} is too large")))?,
        };
        let disks = vm_disks(self)?;
        let d = find(&disks, disk)?;
        let device = with_io(
            &d.device,
            StorageIOAllocationInfo {
                limit: Some(limit),
                ..io(&d.device)
            },
        );
        edit(self, vm, vec![device], "virDomainSetBlockIoTune")
    }

    /// Each disk's weight (target, 100–1000), from its shares; one round trip.
    pub fn disk_weights(&self) -> Result<DiskWeights> {
        let disks = vm_disks(self)?;
        Ok(DiskWeights(
            disks
                .iter()
                .map(|d| (d.usage.target.clone(), weight(&d.device)))
                .collect(),
        ))
    }

    /// Sets every disk's weight (`all`), then the listed disks' own (a disk by target or
    /// file; weight 0 = back to normal shares). Weights are 100–1000.
    pub fn set_disk_weights(&self, all: Option<u32>, each: &[(String, u32)]) -> Result<()> {
        let vm = &self.cached();
        self.conn().check_writable("virDomainSetBlkioParameters")?;
        if let Some(w) = all {
            check_weight(w, false)?;
        }
        for (_, w) in each {
            check_weight(*w, true)?;
        }
        let disks = vm_disks(self)?;
        let mut shares: Vec<Option<i32>> = vec![all.map(|w| 2 * w as i32); disks.len()];
        for (name, w) in each {
            let i = disks
                .iter()
                .position(|d| d.usage.is(name))
                .ok_or_else(|| missing(name))?;
            shares[i] = Some(match *w {
                0 => NORMAL_SHARES,
                w => 2 * w as i32,
            });
        }
        let devices = disks
            .iter()
            .zip(shares)
            .filter_map(|(d, s)| {
                let level = match s? {
                    NORMAL_SHARES => SharesLevel::Normal,
                    _ => SharesLevel::Custom,
                };
                Some(with_io(
                    &d.device,
                    StorageIOAllocationInfo {
                        shares: Some(SharesInfo { shares: s?, level }),
                        ..io(&d.device)
                    },
                ))
            })
            .collect();
        edit(self, vm, devices, "virDomainSetBlkioParameters")
    }
}

/// The refusal of an I/O limit vSphere does not have (any but `total_iops_sec`).
pub fn not_an_io_limit(field: &str) -> Error {
    Error::esx(
        Code::ArgumentUnsupported,
        format!(
            "vSphere limits a disk's I/O by total IOPS only: '{field}' cannot be set \
             (total_iops_sec can)"
        ),
    )
}

/// The refusal of a blkio parameter vSphere does not have (any but the weights).
pub fn not_a_weight(field: &str) -> Error {
    Error::esx(
        Code::ArgumentUnsupported,
        format!(
            "vSphere's disk controls are shares, as weight and device_weight: '{field}' \
             cannot be set"
        ),
    )
}

/// libvirt's `device_weight` text, `disk,weight,disk,weight` (disks by target or file).
pub fn device_weights(text: &str) -> Result<Vec<(String, u32)>> {
    let bad = || {
        Error::invalid_arg(format!(
            "unable to parse blkio device_weight '{text}': expecting disk,weight pairs"
        ))
    };
    let parts: Vec<&str> = text.split(',').filter(|p| !p.is_empty()).collect();
    if !parts.len().is_multiple_of(2) {
        return Err(bad());
    }
    parts
        .chunks(2)
        .map(|p| Ok((p[0].to_string(), p[1].trim().parse().map_err(|_| bad())?)))
        .collect()
}

fn check_weight(w: u32, device: bool) -> Result<()> {
    if (WEIGHT_MIN..=WEIGHT_MAX).contains(&w) || (device && w == 0) {
        return Ok(());
    }
    Err(Error::invalid_arg(format!(
        "weight {w} is out of range: libvirt's weights run from {WEIGHT_MIN} to {WEIGHT_MAX}{}",
        if device { " (0 resets a disk)" } else { "" }
    )))
}

fn missing(disk: &str) -> Error {
    Error::invalid_arg(format!("disk '{disk}' was not found in the domain"))
}

/// The VM's disks with their devices, read in one round trip.
fn vm_disks(dom: &Domain) -> Result<Vec<VmDisk>> {
    let (conn, vm) = (dom.conn(), &dom.cached());
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, &[DEVICES])?
        .ok_or_else(|| no_domain(format!("Domain '{}' is gone", vm.name)))?;
    let (usages, _) = disks_and_nics(&oc.props, conn.spec.dialect);
    let nodes: Vec<_> = oc
        .props
        .path("config.hardware")
        .into_iter()
        .flat_map(|h| h.children_named("device"))
        .filter(|n| n.xsi_type.as_deref() == Some("VirtualDisk"))
        .filter_map(VirtualDevice::from_node)
        .filter_map(|d| match d {
            VirtualDevice::VirtualDisk(d) => Some(d),
            _ => None,
        })
        .collect();
    Ok(usages
        .into_iter()
        .filter_map(|u| {
            let device = nodes.iter().find(|d| d.key == u.key)?.clone();
            Some(VmDisk { usage: u, device })
        })
        .collect())
}

fn find<'a>(disks: &'a [VmDisk], name: &str) -> Result<&'a VmDisk> {
    disks
        .iter()
        .find(|d| d.usage.is(name))
        .ok_or_else(|| missing(name))
}

fn capacity(d: &VirtualDisk) -> u64 {
    d.capacity_in_bytes
        .or(d.capacity_in_kb.map(|kb| kb.saturating_mul(1024)))
        .and_then(|b| u64::try_from(b).ok())
        .unwrap_or(0)
}

fn io(d: &VirtualDisk) -> StorageIOAllocationInfo {
    d.storage_io_allocation.clone().unwrap_or_default()
}

fn with_io(d: &VirtualDisk, io: StorageIOAllocationInfo) -> VirtualDisk {
    VirtualDisk {
        storage_io_allocation: Some(io),
        ..d.clone()
    }
}

/// The disk's weight: its shares / 2 within 100–1000 (no shares read: normal, 500).
fn weight(d: &VirtualDisk) -> u32 {
    let shares = io(d).shares.map_or(NORMAL_SHARES, |s| match s.level {
        SharesLevel::Low => NORMAL_SHARES / 2,
        SharesLevel::Normal => NORMAL_SHARES,
        SharesLevel::High => NORMAL_SHARES * 2,
        SharesLevel::Custom => s.shares,
    });
    (shares.max(0) as u32 / 2).clamp(WEIGHT_MIN, WEIGHT_MAX)
}

/// Edits the devices in one ReconfigVM_Task (nothing to edit: no task).
fn edit(dom: &Domain, vm: &Vm, devices: Vec<VirtualDisk>, api: &str) -> Result<()> {
    if devices.is_empty() {
        return Ok(());
    }
    let change = VirtualMachineConfigSpec {
        device_change: devices
            .into_iter()
            .map(|d| VirtualDeviceConfigSpec {
                operation: Some(Op::Edit),
                file_operation: None,
                device: d.into(),
            })
            .collect(),
        ..VirtualMachineConfigSpec::default()
    };
    reconfigure(dom.conn(), vm, change, api)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(level: SharesLevel, shares: i32) -> VirtualDisk {
        VirtualDisk {
            storage_io_allocation: Some(StorageIOAllocationInfo {
                shares: Some(SharesInfo { shares, level }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn weights_are_half_the_shares_within_libvirts_range() {
        assert_eq!(weight(&VirtualDisk::default()), 500);
        assert_eq!(weight(&disk(SharesLevel::Normal, 0)), 500);
        assert_eq!(weight(&disk(SharesLevel::Low, 0)), 250);
        assert_eq!(weight(&disk(SharesLevel::High, 0)), 1000);
        assert_eq!(weight(&disk(SharesLevel::Custom, 700)), 350);
        assert_eq!(weight(&disk(SharesLevel::Custom, 100)), 100);
        assert_eq!(weight(&disk(SharesLevel::Custom, 4000)), 1000);
    }

    #[test]
    fn weights_outside_the_range_are_refused() {
        assert!(check_weight(100, false).is_ok() && check_weight(1000, false).is_ok());
        assert!(check_weight(0, true).is_ok());
        let e = check_weight(0, false).unwrap_err();
        assert_eq!(e.code, Code::InvalidArg);
        assert!(e.message().contains("from 100 to 1000"), "{e}");
        assert!(check_weight(1001, true).is_err());
    }

    #[test]
    fn device_weights_are_pairs() {
        assert_eq!(
            device_weights("sda,300,[ds] a/b.vmdk,0").unwrap(),
            vec![("sda".into(), 300), ("[ds] a/b.vmdk".into(), 0)]
        );
        assert!(device_weights("").unwrap().is_empty());
        for bad in ["sda", "sda,x", "sda,300,sdb"] {
            let e = device_weights(bad).unwrap_err();
            assert!(e.message().contains("disk,weight pairs"), "{e}");
        }
    }
}
