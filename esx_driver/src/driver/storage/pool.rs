//! A datastore as libvirt's storage pool: its kind, facts and identity, as one read gives them;
//! the calls that list, look up, define and change pools are in `pools`.

use crate::abi::flags::{ListPoolsFlags, group_keeps};
use crate::abi::virStoragePoolState;
use crate::driver::Connection;
use crate::driver::freshness::FRESH_FOR;
use crate::error::{Code, Error};
use crate::vi::MoRef;
use crate::vi::node::Node;
use crate::xml::ids::Uuid;
use crate::xml::storage::PoolDesc;
use std::sync::Arc;
use std::time::Instant;

/// What kind of storage a datastore is, as libvirt's pool types say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolKind {
    /// A host's local directory (`LocalDatastoreInfo`): `type='dir'`.
    Dir,
    /// VMFS (`VmfsDatastoreInfo`): `type='fs'` with format `vmfs`.
    Vmfs,
    /// NFS or CIFS (`NasDatastoreInfo`): `type='netfs'`.
    Netfs {
        /// The NAS server, `nas.remoteHost`.
        host: String,
        /// The exported directory on the server, `nas.remotePath`.
        dir: String,
        /// `nfs` or `cifs`.
        format: String,
    },
    /// A static target of the host's iSCSI adapter, named by its IQN (read-only).
    Iscsi {
        /// The target's address, the static target's `address`.
        address: String,
        /// The target's TCP port, when the static target names one.
        port: Option<u16>,
        /// The `key` of the host's iSCSI adapter (`HostInternetScsiHba`) that has the target.
        hba_key: String,
        /// That adapter's device name, such as `vmhba33`.
        hba_device: String,
    },
    /// vSAN, vVol, PMem and any other: a directory of files as far as libvirt can say
    /// (`type='dir'`); `info_type` keeps what the server called it.
    Other {
        /// The `xsi:type` of the datastore's `info`, such as `VsanDatastoreInfo`.
        info_type: String,
    },
}

/// A storage pool of a connection (a datastore, or an iSCSI target): what libvirt's
/// `virStoragePoolPtr` is. Its operations are in `pools` (the pool's own), `volumes` and `ops`
/// (its volumes).
#[derive(Debug, Clone)]
pub struct Pool {
    conn: Arc<Connection>,
    facts: PoolFacts,
}

impl Pool {
    /// The pool object for `facts`, read through `conn`.
    pub fn new(conn: Arc<Connection>, facts: PoolFacts) -> Pool {
        Pool { conn, facts }
    }

    /// The pool's facts as last read (`current` and `fresh` read them again).
    pub(crate) fn facts(&self) -> &PoolFacts {
        &self.facts
    }

    /// The connection the pool belongs to.
    pub(crate) fn conn(&self) -> &Arc<Connection> {
        &self.conn
    }
}

/// One datastore as a pool: what one read says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolFacts {
    /// The `Datastore` object; for an iSCSI target, the host whose adapter has it.
    pub moref: MoRef,
    /// The pool's name: the datastore's name, or the iSCSI target's IQN.
    pub name: String,
    /// libvirt's ESX rule: the MD5 digest of the mount path, or of an iSCSI target's IQN.
    pub uuid: Uuid,
    /// What kind of storage it is, and libvirt's pool type with it.
    pub kind: PoolKind,
    /// The pool's capacity in bytes, the datastore's `summary.capacity` (0 for iSCSI).
    pub capacity: u64,
    /// Free space in bytes, the datastore's `summary.freeSpace` (0 for iSCSI).
    pub free: u64,
    pub(crate) accessible: bool,
    /// Where the connection's host mounts it (`/vmfs/volumes/…`): the pool's target path.
    pub mount_path: String,
    /// The datacenter it belongs to, for `/folder` URLs and disk manager calls.
    pub(crate) datacenter: MoRef,
    /// That datacenter's folder-qualified name (`dcPath` of datastore URLs).
    pub datacenter_path: String,
    pub(crate) browser: Option<MoRef>,
    /// When the facts were read.
    pub(crate) fetched: Instant,
}

impl PoolFacts {
    /// libvirt's pool type name.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            PoolKind::Dir | PoolKind::Other { .. } => "dir",
            PoolKind::Vmfs => "fs",
            PoolKind::Netfs { .. } => "netfs",
            PoolKind::Iscsi { .. } => "iscsi",
        }
    }

    /// `virStoragePoolState`: running, or inaccessible (libvirt's ESX driver's two states).
    pub fn state(&self) -> virStoragePoolState {
        match self.accessible {
            true => virStoragePoolState::VIR_STORAGE_POOL_RUNNING,
            false => virStoragePoolState::VIR_STORAGE_POOL_INACCESSIBLE,
        }
    }

    /// Capacity, allocation and available bytes; all 0 while the datastore is inaccessible.
    pub fn sizes(&self) -> (u64, u64, u64) {
        match self.accessible {
            true => (self.capacity, self.allocation(), self.free),
            false => (0, 0, 0),
        }
    }

    /// Whether `virConnectListAllStoragePools` keeps the pool: datastores are always active,
    /// persistent and started automatically; the type flags select by pool type.
    pub fn keeps(&self, flags: ListPoolsFlags) -> bool {
        use ListPoolsFlags as F;
        let kind = match self.kind_name() {
            "fs" => F::FS,
            "netfs" => F::NETFS,
            "iscsi" => F::ISCSI,
            _ => F::DIR,
        };
        // Every flag outside the three state groups names a pool type.
        let types = F::all().difference(
            F::ACTIVE | F::INACTIVE | F::PERSISTENT | F::TRANSIENT | F::AUTOSTART | F::NO_AUTOSTART,
        );
        group_keeps(flags, &[(F::ACTIVE, true), (F::INACTIVE, false)])
            && group_keeps(flags, &[(F::PERSISTENT, true), (F::TRANSIENT, false)])
            && group_keeps(flags, &[(F::AUTOSTART, true), (F::NO_AUTOSTART, false)])
            && (!flags.intersects(types) || flags.contains(kind))
    }

    /// Whether the facts may still be answered from (see `freshness::FRESH_FOR`).
    pub(crate) fn is_fresh(&self) -> bool {
        self.fetched.elapsed() < FRESH_FOR
    }

    /// `virStoragePoolGetXMLDesc`, as libvirt's ESX driver writes it.
    pub fn xml(&self) -> String {
        let (capacity, allocation, available) = self.sizes();
        let uuid = self.uuid.to_string();
        let (host, dir, format) = match &self.kind {
            PoolKind::Netfs { host, dir, format } => (
                Some((host.as_str(), None)),
                Some(dir.as_str()),
                Some(format.as_str()),
            ),
            PoolKind::Iscsi { address, port, .. } => (Some((address.as_str(), *port)), None, None),
            PoolKind::Vmfs => (None, None, Some("vmfs")),
            PoolKind::Dir | PoolKind::Other { .. } => (None, None, None),
        };
        let is_iscsi = matches!(self.kind, PoolKind::Iscsi { .. });
        PoolDesc {
            kind: self.kind_name(),
            name: &self.name,
            uuid: &uuid,
            capacity,
            allocation,
            available,
            host,
            dir,
            format,
            // libvirt's ESX driver writes the target's IQN as the initiator's.
            iqn: is_iscsi.then_some(self.name.as_str()),
            target_path: (!is_iscsi).then_some(self.mount_path.as_str()),
        }
        .format()
    }
    /// Capacity less free space, as libvirt's ESX driver reports allocation.
    pub(crate) fn allocation(&self) -> u64 {
        self.capacity.saturating_sub(self.free)
    }
}

/// libvirt's ESX rule for a datastore's UUID: the MD5 digest of its host mount path.
pub(crate) fn pool_uuid(mount_path: &str) -> Uuid {
    Uuid::md5_of(mount_path.as_bytes())
}

pub(crate) fn kind_of(info: Option<&Node>) -> PoolKind {
    let Some(info) = info else {
        return PoolKind::Other {
            info_type: "unknown".into(),
        };
    };
    match info.xsi_type.as_deref().unwrap_or("") {
        "LocalDatastoreInfo" => PoolKind::Dir,
        "VmfsDatastoreInfo" => PoolKind::Vmfs,
        "NasDatastoreInfo" => {
            let nas = |p| info.text_at(p).unwrap_or("").trim().to_string();
            PoolKind::Netfs {
                host: nas("nas.remoteHost"),
                dir: nas("nas.remotePath"),
                format: match nas("nas.type").to_ascii_uppercase().as_str() {
                    "CIFS" => "cifs".into(),
                    _ => "nfs".into(),
                },
            }
        }
        other => PoolKind::Other {
            info_type: other.to_string(),
        },
    }
}

pub(crate) fn no_pool(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoStoragePool, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_the_md5_of_the_mount_path() {
        for (path, uuid) in [
            (
                "/vmfs/volumes/4b0beca7-7fd401f3-1d7f-000ae484a6a3",
                "76c0e119-50c6-98e7-f08b-8d9609e38fdb",
            ),
            (
                "/vmfs/volumes/5f1e7b4a-3c2d1e0f",
                "33935e6e-826d-c58b-fa37-9b18557c7842",
            ),
        ] {
            assert_eq!(pool_uuid(path).to_string(), uuid);
        }
    }
}
