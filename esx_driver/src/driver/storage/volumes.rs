//! The files of a datastore as libvirt storage volumes, as libvirt's ESX driver lists them:
//! VMDK disks (their descriptors, never the extents), ISO and floppy images, named by their
//! path in the datastore and keyed by the disk's UUID (ESX) or their datastore path.

use super::pool::{PoolFacts, PoolKind};
use crate::driver::Connection;
use crate::driver::connection::Product;
use crate::driver::freshness::FRESH_FOR;
use crate::driver::storage::Pool;
use crate::error::{Code, Error, Result};
use crate::vi::Fault;
use crate::vi::methods::{
    QueryVirtualDiskUuid, SearchDatastore_Task, SearchDatastoreSubFolders_Task,
};
use crate::vi::node::Node;
use crate::vi::specs::{
    FileQuery, FileQueryFlags, HostDatastoreBrowserSearchSpec, VmDiskFileQuery,
    VmDiskFileQueryFlags,
};
use crate::vi::task::result_items;
use crate::vmx::datastore::check_inside;
use crate::xml::ids::Uuid;
use crate::xml::storage::VolumeDesc;
use std::sync::Arc;
use std::time::Instant;

/// What kind of file (or device) a volume is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeKind {
    /// A VMDK disk's descriptor (`VmDiskFileInfo`): format `vmdk`.
    Disk,
    /// A VMDK file in a hosted format, its data in the file itself (monolithicSparse, as
    /// `qemu-img convert -O vmdk` and VMware Workstation write it; the host lists it as a
    /// `VirtualDiskSparseVer2BackingInfo` disk, or as no disk it can read while empty):
    /// uploaded and downloaded whole, made a disk with virStorageVolCreateXMLFrom. Format `vmdk`.
    Hosted,
    /// An ISO image (`IsoImageFileInfo`): format `iso`.
    Iso,
    /// A floppy image (`FloppyImageFileInfo`): format `raw`.
    Floppy,
    /// A SCSI disk of an iSCSI target: its device path and SCSI UUID.
    Lun {
        /// The disk's device path on the host (`devicePath`), the volume's path.
        path: String,
        /// The SCSI LUN's `uuid`; the volume's key is its MD5 digest.
        uuid: String,
    },
}

impl VolumeKind {
    /// libvirt's volume format name (none for an iSCSI LUN).
    pub(crate) fn format(&self) -> Option<&'static str> {
        match self {
            VolumeKind::Disk | VolumeKind::Hosted => Some("vmdk"),
            VolumeKind::Iso => Some("iso"),
            VolumeKind::Floppy => Some("raw"),
            VolumeKind::Lun { .. } => None,
        }
    }

    /// Whether the volume is an iSCSI target's LUN rather than a datastore file.
    pub fn is_lun(&self) -> bool {
        matches!(self, VolumeKind::Lun { .. })
    }
}

/// A volume of a pool (a datastore file, or an iSCSI LUN): what libvirt's `virStorageVolPtr`
/// is, with its pool's facts and its own as last read. Its operations are here and in `ops`.
#[derive(Debug, Clone)]
pub struct Volume {
    conn: Arc<Connection>,
    pool: PoolFacts,
    facts: VolumeFacts,
    fetched: Instant,
}

impl Volume {
    /// The volume object for `facts`, a volume of `pool` read through `conn`.
    pub fn new(conn: Arc<Connection>, pool: PoolFacts, facts: VolumeFacts) -> Volume {
        Volume {
            conn,
            pool,
            facts,
            fetched: Instant::now(),
        }
    }

    /// The volume as it is now: the facts it was made with while they are fresh
    /// (`FRESH_FOR`), else read again (one search of its folder).
    pub fn current(&self) -> Result<VolumeFacts> {
        if self.fetched.elapsed() < FRESH_FOR {
            return Ok(self.facts.clone());
        }
        Pool::new(self.conn.clone(), self.pool.clone()).volume_facts_by_name(&self.facts.name)
    }

    /// The volume's facts as read.
    pub fn facts(&self) -> &VolumeFacts {
        &self.facts
    }

    /// The volume's facts, the object given up.
    pub fn into_facts(self) -> VolumeFacts {
        self.facts
    }

    /// Its pool's facts as read with it.
    pub fn pool(&self) -> &PoolFacts {
        &self.pool
    }

    /// The connection the volume belongs to.
    pub fn conn(&self) -> &Arc<Connection> {
        &self.conn
    }
}

/// One file of a pool as a volume: what one read says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeFacts {
    /// The datastore's name.
    pub(crate) pool: String,
    /// Its path in the datastore, `/`-separated (`dir/disk.vmdk`).
    pub name: String,
    /// What kind of file (or device) it is.
    pub kind: VolumeKind,
    /// The size guests see, in bytes: a disk's `capacityKb` · 1024, else the file's (or LUN's)
    /// size.
    pub capacity: u64,
    /// Bytes used on the datastore: the file's `fileSize` (for a LUN, its whole size).
    pub allocation: u64,
}

impl VolumeFacts {
    /// libvirt's path: `[datastore] dir/disk.vmdk`, or an iSCSI LUN's device path.
    pub fn path(&self) -> String {
        match &self.kind {
            VolumeKind::Lun { path, .. } => path.clone(),
            _ => format!("[{}] {}", self.pool, self.name),
        }
    }
}

pub(crate) fn no_volume(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoStorageVol, detail)
}

/// The backing a host reports for a hosted sparse VMDK it can read.
const HOSTED_SPARSE: &str = "VirtualDiskSparseVer2BackingInfo";

/// The queries libvirt's ESX driver sends: disks with their capacity, ISO and floppy images,
/// each with its size, every name.
fn volume_search(pattern: &str) -> HostDatastoreBrowserSearchSpec {
    HostDatastoreBrowserSearchSpec {
        query: vec![
            FileQuery::VmDisk(VmDiskFileQuery {
                details: Some(VmDiskFileQueryFlags {
                    disk_type: true,
                    capacity_kb: true,
                    ..VmDiskFileQueryFlags::default()
                }),
            }),
            FileQuery::IsoImage,
            FileQuery::FloppyImage,
        ],
        details: Some(FileQueryFlags {
            file_type: true,
            file_size: true,
            ..FileQueryFlags::default()
        }),
        match_pattern: vec![pattern.to_string()],
        ..HostDatastoreBrowserSearchSpec::default()
    }
}

/// The volumes of one search result (`folderPath` and its files).
fn volumes_of(pool: &str, found: &Node) -> Vec<VolumeFacts> {
    let folder = found.text_at("folderPath").unwrap_or("").trim();
    // `[ds] dir/` → `dir`; `[ds]` → the root.
    let dir = folder
        .split_once(']')
        .map(|(_, rest)| rest.trim().trim_end_matches('/'))
        .unwrap_or("");
    found
        .children_named("file")
        .filter_map(|f| {
            let kind = match f.xsi_type.as_deref()? {
                "VmDiskFileInfo"
                    if f.text_at("diskType") == Some(HOSTED_SPARSE)
                        || f.child("capacityKb").is_none() =>
                {
                    VolumeKind::Hosted
                }
                "VmDiskFileInfo" => VolumeKind::Disk,
                "IsoImageFileInfo" => VolumeKind::Iso,
                "FloppyImageFileInfo" => VolumeKind::Floppy,
                _ => return None,
            };
            let file = f.text_at("path")?.trim();
            let size = f
                .text_at("fileSize")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(0u64);
            let capacity = match kind {
                VolumeKind::Disk | VolumeKind::Hosted => f
                    .text_at("capacityKb")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .unwrap_or(0)
                    .saturating_mul(1024),
                _ => size,
            };
            Some(VolumeFacts {
                pool: pool.to_string(),
                name: match dir {
                    "" => file.to_string(),
                    d => format!("{d}/{file}"),
                },
                kind,
                capacity,
                allocation: size,
            })
        })
        .collect()
}

impl Pool {
    /// Every volume of a pool, all folders deep: one search task and its wait.
    pub fn volumes(&self) -> Result<Vec<Volume>> {
        Ok(self
            .volume_facts()?
            .into_iter()
            .map(|v| self.volume(v))
            .collect())
    }

    /// The volume named `name` (its path in the datastore, or an iSCSI LUN's name).
    pub fn volume_by_name(&self, name: &str) -> Result<Volume> {
        self.volume_facts_by_name(name).map(|v| self.volume(v))
    }

    /// A volume object for `facts`, a volume of this pool.
    pub(crate) fn volume(&self, facts: VolumeFacts) -> Volume {
        Volume::new(self.conn().clone(), self.facts().clone(), facts)
    }

    fn volume_facts(&self) -> Result<Vec<VolumeFacts>> {
        let (conn, pool) = (self.conn(), self.facts());
        if matches!(pool.kind, PoolKind::Iscsi { .. }) {
            return self.iscsi_volumes();
        }
        let browser = browser_of(pool)?;
        let search = SearchDatastoreSubFolders_Task {
            this: browser,
            datastore_path: format!("[{}]", pool.name),
            search_spec: Some(volume_search("*")),
        };
        let result = conn
            .run_task(&conn.primary, &search, None)
            .map_err(|e| search_failed(pool, e))?;
        let mut volumes: Vec<VolumeFacts> = result
            .iter()
            .flat_map(|r| result_items(r))
            .flat_map(|found| volumes_of(&pool.name, found))
            .collect();
        volumes.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(volumes)
    }

    fn volume_facts_by_name(&self, name: &str) -> Result<VolumeFacts> {
        let (conn, pool) = (self.conn(), self.facts());
        if matches!(pool.kind, PoolKind::Iscsi { .. }) {
            return self.iscsi_volume(name);
        }
        let missing = || {
            no_volume(format!(
                "No storage volume with key or path '[{}] {name}'",
                pool.name
            ))
        };
        check_inside(&format!("[{}] {name}", pool.name), &pool.name, name)?;
        let (dir, file) = match name.rsplit_once('/') {
            Some((d, f)) => (d, f),
            None => ("", name),
        };
        if file.is_empty() {
            return Err(Error::internal(format!(
                "Datastore path '[{}] {name}' doesn't reference a file",
                pool.name
            )));
        }
        let search = SearchDatastore_Task {
            this: browser_of(pool)?,
            datastore_path: match dir {
                "" => format!("[{}]", pool.name),
                d => format!("[{}] {d}", pool.name),
            },
            search_spec: Some(volume_search(file)),
        };
        let result = match conn.run_task_vi(&conn.primary, &search, None) {
            Ok(r) => r,
            // A folder that is not there holds no such volume.
            Err(e) if e.is_fault(&Fault::FileNotFound) => return Err(missing()),
            Err(e) => return Err(search_failed(pool, e.into())),
        };
        result
            .iter()
            .flat_map(|r| result_items(r))
            .flat_map(|found| volumes_of(&pool.name, found))
            .find(|v| v.name == name)
            .ok_or_else(missing)
    }
}

impl Volume {
    /// libvirt's key: on ESX a disk's UUID (one round trip), else the datastore path.
    pub fn key(&self) -> Result<String> {
        let (conn, pool, vol) = (self.conn(), self.pool(), self.facts());
        if let VolumeKind::Lun { uuid, .. } = &vol.kind {
            return Ok(Uuid::md5_of(uuid.as_bytes()).to_string());
        }
        if vol.kind != VolumeKind::Disk || conn.primary.product != Product::Esx {
            return Ok(vol.path());
        }
        let uuid = conn.primary.client.invoke(&QueryVirtualDiskUuid {
            this: conn.disk_manager()?,
            name: vol.path(),
            datacenter: Some(pool.datacenter.clone()),
        })?;
        Uuid::parse(&uuid)
            .map(|u| u.to_string())
            .ok_or_else(|| Error::internal(format!("Could not parse UUID from string '{uuid}'")))
    }

    /// `virStorageVolGetXMLDesc`, as libvirt's ESX driver writes it, and a child disk's base
    /// as `<backingStore>` (read from the disk's descriptor).
    pub fn xml(&self) -> Result<String> {
        let vol = &self.current()?;
        let key = self.key()?;
        let backing = match vol.kind {
            VolumeKind::Disk => self.backing_store()?,
            _ => None,
        };
        Ok(VolumeDesc {
            kind: if vol.kind.is_lun() { "block" } else { "file" },
            name: &vol.name,
            key: &key,
            capacity: vol.capacity,
            allocation: vol.allocation,
            path: &vol.path(),
            format: vol.kind.format(),
            backing: backing.as_deref(),
        }
        .format())
    }

    /// The disk's base when it is a child disk: its descriptor's `parentFileNameHint`, a name
    /// beside the disk or a `/vmfs/volumes` path, as a datastore path. One round trip (the
    /// descriptor's first 64 KiB), and one more for a path on another datastore.
    fn backing_store(&self) -> Result<Option<String>> {
        const DESCRIPTOR_MAX: u64 = 64 << 10;
        let (conn, pool, vol) = (self.conn(), self.pool(), self.facts());
        let head = conn.primary.client.read_head(
            &pool.datacenter_path,
            &pool.name,
            &vol.name,
            DESCRIPTOR_MAX,
        )?;
        let Some(hint) = parent_hint(&String::from_utf8_lossy(&head)) else {
            return Ok(None);
        };
        if let Some(rest) = hint.strip_prefix("/vmfs/volumes/") {
            let (ds, file) = rest.split_once('/').unwrap_or((rest, ""));
            return Ok(Some(match conn.pool_by_volume_name(ds)? {
                Some(p) => format!("[{}] {file}", p.name),
                None => hint,
            }));
        }
        if hint.starts_with('/') {
            return Ok(Some(hint));
        }
        Ok(Some(match vol.name.rsplit_once('/') {
            Some((dir, _)) => format!("[{}] {dir}/{hint}", pool.name),
            None => format!("[{}] {hint}", pool.name),
        }))
    }
}

/// A descriptor's `parentFileNameHint="…"`, the base of a child disk.
fn parent_hint(descriptor: &str) -> Option<String> {
    descriptor.lines().find_map(|l| {
        let value = l.trim().strip_prefix("parentFileNameHint")?.trim_start();
        let value = value.strip_prefix('=')?.trim().trim_matches('"');
        (!value.is_empty()).then(|| value.to_string())
    })
}

fn browser_of(pool: &PoolFacts) -> Result<crate::vi::MoRef> {
    pool.browser
        .clone()
        .ok_or_else(|| Error::internal(format!("Datastore '{}' has no browser", pool.name)))
}

fn search_failed(pool: &PoolFacts, e: Error) -> Error {
    Error::internal(format!(
        "Could not search in datastore '{}': {}",
        pool.name, e.detail
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_results_become_volumes_named_by_their_path() {
        let found = crate::vi::node::parse(
            "<r xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>\
             <folderPath>[ds] vm1/</folderPath>\
             <file xsi:type='VmDiskFileInfo'><path>vm1.vmdk</path><fileSize>512</fileSize>\
             <capacityKb>1024</capacityKb></file>\
             <file xsi:type='IsoImageFileInfo'><path>a.iso</path><fileSize>7</fileSize></file>\
             <file xsi:type='FolderFileInfo'><path>sub</path></file></r>",
        )
        .unwrap();
        let v = volumes_of("ds", &found);
        assert_eq!(v.len(), 2);
        assert_eq!(
            (v[0].name.as_str(), v[0].capacity, v[0].allocation),
            ("vm1/vm1.vmdk", 1 << 20, 512)
        );
        assert_eq!(v[1].path(), "[ds] vm1/a.iso");
        assert_eq!((v[1].capacity, v[1].kind.format()), (7, Some("iso")));
        let root = crate::vi::node::parse(
            "<r xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><folderPath>[ds]</folderPath>\
             <file xsi:type='FloppyImageFileInfo'><path>f.flp</path></file></r>",
        )
        .unwrap();
        assert_eq!(volumes_of("ds", &root)[0].name, "f.flp");
    }
}
