//! iSCSI targets as read-only pools, as libvirt's ESX iSCSI backend shows them: each static
//! target of a host's (first) iSCSI adapter is a pool named by its IQN, and the SCSI disks the
//! host sees through that target are its volumes (block devices, keyed by the MD5 of their UUID).

use super::pool::{Pool, PoolFacts, PoolKind};
use super::volumes::{VolumeFacts, VolumeKind, no_volume};
use crate::driver::connection::inventory::Placement;
use crate::error::{Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::RescanHba;
use crate::vi::node::Node;
use crate::vi::types::FromNode;
use crate::vi::views::storage::{HostHostBusAdapter, HostScsiDisk, HostScsiTopologyInterface};
use crate::xml::ids::Uuid;
use std::time::Instant;

/// The host property that names its adapters (read with the datastores, in one request).
pub(crate) const ADAPTERS: &str = "config.storageDevice.hostBusAdapter";
const TOPOLOGY: &str = "config.storageDevice.scsiTopology.adapter";
const LUNS: &str = "config.storageDevice.scsiLun";

/// The pools of a host's iSCSI adapter, from its `config.storageDevice.hostBusAdapter`:
/// the first `HostInternetScsiHba`'s static targets, as libvirt's driver takes them.
pub(crate) fn pools_of(host: &MoRef, placement: &Placement, props: &Node) -> Vec<PoolFacts> {
    let holder = props.path("config.storageDevice");
    let Some(hba) = holder
        .into_iter()
        .flat_map(|h| h.children_named("hostBusAdapter"))
        .find(|a| a.xsi_type.as_deref() == Some("HostInternetScsiHba"))
        .and_then(HostHostBusAdapter::from_node)
    else {
        return Vec::new();
    };
    hba.static_targets
        .into_iter()
        .map(|t| PoolFacts {
            moref: host.clone(),
            uuid: Uuid::md5_of(t.iqn.as_bytes()),
            kind: PoolKind::Iscsi {
                address: t.address,
                port: t.port.and_then(|p| u16::try_from(p).ok()),
                hba_key: hba.key.clone(),
                hba_device: hba.device.clone(),
            },
            name: t.iqn,
            capacity: 0,
            free: 0,
            accessible: true,
            mount_path: String::new(),
            datacenter: placement.datacenter.clone(),
            datacenter_path: placement.datacenter_path.clone(),
            browser: None,
            fetched: Instant::now(),
        })
        .collect()
}

/// libvirt's refusal of a change to an iSCSI pool (`what`: "volume creation", …).
pub(crate) fn read_only(what: &str) -> Error {
    Error::esx(
        crate::error::Code::NoSupport,
        format!("iSCSI storage pool does not support {what}: its LUNs are the storage array's"),
    )
}

impl Pool {
    /// The SCSI disks the host sees through the pool's target: one round trip.
    pub(crate) fn iscsi_volumes(&self) -> Result<Vec<VolumeFacts>> {
        let (conn, pool) = (self.conn(), self.facts());
        let PoolKind::Iscsi { hba_key, .. } = &pool.kind else {
            return Ok(Vec::new());
        };
        let Some(oc) = conn
            .primary
            .client
            .retrieve_one(&pool.moref, &[TOPOLOGY, LUNS])?
        else {
            return Ok(Vec::new());
        };
        let storage = oc.props.path("config.storageDevice");
        let lun_keys: Vec<String> = storage
            .and_then(|s| s.path("scsiTopology"))
            .into_iter()
            .flat_map(|t| t.children_named("adapter"))
            .filter_map(HostScsiTopologyInterface::from_node)
            .filter(|i| i.adapter == *hba_key)
            .flat_map(|i| i.targets)
            .filter(|t| t.iqn == pool.name)
            .flat_map(|t| t.luns)
            .map(|l| l.scsi_lun)
            .collect();
        let mut volumes: Vec<VolumeFacts> = storage
            .into_iter()
            .flat_map(|s| s.children_named("scsiLun"))
            .filter(|l| l.xsi_type.as_deref() == Some("HostScsiDisk"))
            .filter_map(HostScsiDisk::from_node)
            .filter(|d| lun_keys.contains(&d.key))
            .map(|d| {
                let size = (d.blocks.max(0) as u64).saturating_mul(d.block_size.max(0) as u64);
                VolumeFacts {
                    pool: pool.name.clone(),
                    name: d.device_name,
                    kind: VolumeKind::Lun {
                        path: d.device_path,
                        uuid: d.uuid,
                    },
                    capacity: size,
                    allocation: size,
                }
            })
            .collect();
        volumes.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(volumes)
    }

    /// The LUN named `name` (its device name) in the pool.
    pub(crate) fn iscsi_volume(&self, name: &str) -> Result<VolumeFacts> {
        self.iscsi_volumes()?
            .into_iter()
            .find(|v| v.name == name)
            .ok_or_else(|| no_volume(format!("Could not find volume with name: {name}")))
    }

    /// `virStoragePoolRefresh` of an iSCSI pool: the adapter rescanned (every target of it).
    pub(crate) fn rescan_iscsi(&self) -> Result<()> {
        let (conn, pool) = (self.conn(), self.facts());
        let PoolKind::Iscsi { hba_device, .. } = &pool.kind else {
            return Ok(());
        };
        let path = "configManager.storageSystem";
        let system = conn
            .primary
            .client
            .retrieve_one(&pool.moref, &[path])?
            .and_then(|oc| oc.props.path(path).and_then(MoRef::from_node))
            .ok_or_else(|| Error::internal("The host has no storage system"))?;
        Ok(conn.primary.client.invoke(&RescanHba {
            this: system,
            hba_device: hba_device.clone(),
        })?)
    }
}
