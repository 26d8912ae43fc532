//! A disk's sizes (virDomainGetBlockInfo) and what the VM is busy with (virDomainGetControlInfo),
//! each read in one round trip.

use super::usage::disks_and_nics;
use crate::driver::domain::Domain;
use crate::error::{Error, Result};
use crate::vi::datetime::epoch_seconds;
use crate::vi::property::FilterSpec;
use crate::vi::types::FromNode;
use crate::vi::views::vm::DEVICES;
use crate::vi::views::vm::{DiskLayout, LayoutFile};

/// A disk's sizes in bytes, as virDomainBlockInfo holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockInfo {
    /// The disk's size as the guest sees it.
    pub capacity: u64,
    /// The extents' bytes on the datastore.
    pub allocation: u64,
    /// Every file of the disk (descriptors, extents, snapshot deltas).
    pub physical: u64,
}

/// What the VM is busy with: whether a task runs on it, and since when (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// A task is running on the VM.
    pub busy: bool,
    /// When that task started (seconds since the epoch), when known.
    pub since: Option<i64>,
}

impl Domain {
    /// The sizes of the disk named by its target (`sda`) or its file (`[ds] dir/x.vmdk`).
    pub fn block_info(&self, disk: &str) -> Result<BlockInfo> {
        let (conn, vm) = (self.conn(), &self.cached());
        let oc = conn
            .primary
            .client
            .retrieve_one(&vm.moref, &[DEVICES, "layoutEx.file", "layoutEx.disk"])?
            .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))?;
        let (disks, _) = disks_and_nics(&oc.props, conn.spec.dialect);
        let found = disks.into_iter().find(|d| d.is(disk)).ok_or_else(|| {
            Error::invalid_arg(format!("invalid path {disk} not assigned to domain"))
        })?;
        let (capacity, key) = (found.capacity.unwrap_or(0), found.key);
        let layout = DiskLayout::from_node(&oc.props).unwrap_or_default();
        let chain: Vec<&LayoutFile> = layout
            .disks
            .iter()
            .filter(|d| d.key == key)
            .flat_map(|d| d.chain.iter().flat_map(|link| &link.files))
            .filter_map(|k| layout.files.iter().find(|f| f.key == *k))
            .collect();
        if chain.is_empty() {
            // No layout from the server: a thick disk's size.
            return Ok(BlockInfo {
                capacity,
                allocation: capacity,
                physical: capacity,
            });
        }
        let bytes = |extents_only: bool| {
            chain
                .iter()
                .filter(|f| !extents_only || f.kind == "diskExtent")
                .map(|f| f.size.max(0) as u64)
                .sum()
        };
        Ok(BlockInfo {
            capacity,
            allocation: bytes(true),
            physical: bytes(false),
        })
    }

    /// Whether one of the VM's recent tasks is running, and since when: one round trip.
    pub fn control(&self) -> Result<Control> {
        let (conn, vm) = (self.conn(), &self.cached());
        let spec = FilterSpec::neighbours(
            vm.moref.clone(),
            "VirtualMachine",
            "recentTask",
            "Task",
            &["info.state", "info.startTime"],
        );
        let running = conn
            .primary
            .client
            .retrieve(&spec)?
            .into_iter()
            .filter(|oc| oc.props.text_at("info.state") == Some("running"))
            .map(|oc| oc.props.text_at("info.startTime").and_then(epoch_seconds))
            .collect::<Vec<_>>();
        Ok(Control {
            busy: !running.is_empty(),
            since: running.into_iter().flatten().min(),
        })
    }
}
