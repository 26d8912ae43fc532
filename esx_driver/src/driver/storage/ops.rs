//! Making, copying, growing, wiping and removing volumes: the virtual disk manager's tasks for
//! disks, the file manager's (or an empty upload) for other files; refused with the reason
//! where vSphere cannot do what is asked.

use super::pool::{PoolFacts, PoolKind};
use super::volumes::{VolumeFacts, VolumeKind};
use crate::abi::flags::ResizeFlags;
use crate::abi::virStorageVolWipeAlgorithm;
use crate::driver::Connection;
use crate::driver::datastores::delete_file;
use crate::driver::datastores::file_manager;
use crate::driver::storage::Pool;
use crate::driver::storage::Volume;
use crate::error::{Code, Error, Result};
use crate::vi::Fault;
use crate::vi::methods::{
    CopyDatastoreFile_Task, CopyVirtualDisk_Task, CreateVirtualDisk_Task, DeleteVirtualDisk_Task,
    ExtendVirtualDisk_Task, MakeDirectory, ZeroFillVirtualDisk_Task,
};
use crate::vi::soap::Request;
use crate::vi::specs::{FileBackedVirtualDiskSpec, VirtualDiskSpec};
use crate::xml::storage::VolumeDef;

/// What a create request makes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Making {
    /// A VMDK disk, thin or preallocated, of a capacity in KiB.
    Disk { thin: bool, capacity_kb: i64 },
    /// An empty file of that name, for an upload to fill (ISO, floppy or raw images).
    File(VolumeKind),
}

/// A volume name as a path in the datastore: no leading or trailing `/`, no empty or `..`
/// parts (a name must not reach outside its datastore).
fn checked_name(name: &str) -> Result<&str> {
    let bad = name.starts_with('/')
        || name.ends_with('/')
        || name
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..");
    match bad {
        true => Err(Error::internal(format!(
            "Volume name '{}' doesn't have expected format '<directory>/<file>'",
            crate::error::shorten(name, 256)
        ))),
        false => Ok(name),
    }
}

/// The largest virtual disk vSphere makes (VMFS 5 and 6, NFS and vSAN alike): 62 TiB.
const MAX_DISK_BYTES: u64 = 62 << 40;

/// A disk's capacity in bytes as the KiB vSphere takes, rounded up as libvirt's ESX driver
/// rounds; refused (as libvirt refuses a number that does not fit) past vSphere's largest
/// disk, so that the KiB, and the bytes made of them again, always fit.
fn disk_capacity_kb(bytes: u64) -> Result<i64> {
    if bytes > MAX_DISK_BYTES {
        return Err(Error::esx(
            Code::Overflow,
            format!(
                "a disk capacity of {bytes} bytes is more than vSphere's largest virtual disk \
                 ({MAX_DISK_BYTES} bytes, 62 TiB)"
            ),
        ));
    }
    // At most 62 TiB / 1 KiB = 2^36 KiB: fits.
    Ok(bytes.div_ceil(1024) as i64)
}

/// A capacity in KiB (as checked by `disk_capacity_kb`) in bytes.
fn kb_bytes(kb: i64) -> u64 {
    kb.max(0) as u64 * 1024
}

/// Whether a disk is thin, as libvirt's allocation says: none or the capacity is
/// preallocated, 0 thin; vSphere has nothing between.
fn thin_of(def: &VolumeDef) -> Result<bool> {
    match def.allocation {
        None => Ok(false),
        Some(a) if a == def.capacity => Ok(false),
        Some(0) => Ok(true),
        Some(_) => Err(Error::internal(
            "Unsupported capacity-to-allocation relation: a disk is thin (allocation 0) \
             or preallocated (allocation equal to capacity)",
        )),
    }
}

fn making(def: &VolumeDef) -> Result<Making> {
    let lower = def.name.to_ascii_lowercase();
    if lower.ends_with(".vmdk") {
        if def.format != "vmdk" {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Creation of {} volumes named '.vmdk' is not supported; ask for \
                     <format type='vmdk'/>",
                    def.format
                ),
            ));
        }
        if def.capacity == 0 {
            // A disk of nothing is no disk: the file a hosted VMDK is uploaded into.
            return Ok(Making::File(VolumeKind::Hosted));
        }
        let thin = thin_of(def)?;
        let capacity_kb = disk_capacity_kb(def.capacity)?;
        return Ok(Making::Disk { thin, capacity_kb });
    }
    let kind = if lower.ends_with(".iso") || def.format == "iso" {
        VolumeKind::Iso
    } else if lower.ends_with(".img") || lower.ends_with(".flp") || def.format == "raw" {
        VolumeKind::Floppy
    } else {
        return Err(Error::esx(
            Code::NoSupport,
            format!(
                "Creation of {} volumes is not supported: make a '.vmdk' disk, or an ISO, \
                 floppy or raw image ('.iso', '.img', '.flp') to upload into",
                def.format
            ),
        ));
    };
    Ok(Making::File(kind))
}

/// iSCSI pools are the storage array's: libvirt's ESX driver changes nothing on them.
fn refuse_iscsi(pool: &PoolFacts, what: &str) -> Result<()> {
    match pool.kind {
        PoolKind::Iscsi { .. } => Err(super::iscsi::read_only(what)),
        _ => Ok(()),
    }
}

/// A failed call in libvirt's ESX words ("Could not create volume: …"), its code kept.
fn failed(what: &str, e: impl Into<Error>) -> Error {
    e.into().context(what)
}

impl Pool {
    /// `virStorageVolCreateXML`: a disk (`CreateVirtualDisk_Task`), or an empty image file.
    pub fn create_volume(&self, xml: &str) -> Result<Volume> {
        self.conn().check_writable("virStorageVolCreateXML")?;
        let (conn, pool) = (self.conn(), self.facts());
        refuse_iscsi(pool, "volume creation")?;
        let def = VolumeDef::parse(xml)?;
        let name = checked_name(&def.name)?;
        if let Some(base) = &def.backing {
            return self.create_child(&def, name, base);
        }
        let what = making(&def)?;
        ensure_folder(conn, pool, name)?;
        let path = format!("[{}] {name}", pool.name);
        let made = |kind, capacity, allocation| {
            self.volume(VolumeFacts {
                pool: pool.name.clone(),
                name: name.to_string(),
                kind,
                capacity,
                allocation,
            })
        };
        match what {
            Making::Disk { thin, capacity_kb } => {
                conn.task(&CreateVirtualDisk_Task {
                    this: conn.disk_manager()?,
                    name: path,
                    datacenter: Some(pool.datacenter.clone()),
                    spec: FileBackedVirtualDiskSpec {
                        disk_type: if thin { "thin" } else { "preallocated" }.into(),
                        adapter_type: def.adapter.clone().unwrap_or_else(|| "lsiLogic".into()),
                        capacity_kb,
                    },
                })
                .map_err(|e| failed("Could not create volume", e))?;
                let capacity = kb_bytes(capacity_kb);
                Ok(made(
                    VolumeKind::Disk,
                    capacity,
                    if thin { 0 } else { capacity },
                ))
            }
            Making::File(kind) => {
                conn.primary
                    .client
                    .upload(&pool.datacenter_path, &pool.name, name, &[])
                    .map_err(|e| failed("Could not create volume", e))?;
                Ok(made(kind, 0, 0))
            }
        }
    }

    /// A linked clone of the disk `base` (`[ds] dir/base.vmdk` or its `/vmfs/volumes` path):
    /// a child disk that reads what it has not written from its base (CreateChildDisk_Task,
    /// vSphere's internal method), of the base's capacity.
    fn create_child(&self, def: &VolumeDef, name: &str, base: &str) -> Result<Volume> {
        let (conn, pool) = (self.conn(), self.facts());
        if !name.to_ascii_lowercase().ends_with(".vmdk")
            || !["vmdk", "raw"].contains(&def.format.as_str())
        {
            return Err(Error::esx(
                Code::NoSupport,
                "a linked clone is a VMDK disk: name it '.vmdk' (format vmdk)",
            ));
        }
        let base = conn
            .volume_by_path(base)
            .map_err(|e| failed("Could not find the backing store", e))?;
        let (base_pool, base_facts) = (base.pool(), base.facts());
        if base_facts.kind != VolumeKind::Disk {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                format!("backing store '{}' is not a VMDK disk", base_facts.path()),
            ));
        }
        if def.capacity != 0 && def.capacity != base_facts.capacity {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                format!(
                    "a linked clone has its base's capacity ({} bytes), not {}: leave <capacity> \
                     out, or resize the clone once made",
                    base_facts.capacity, def.capacity
                ),
            ));
        }
        ensure_folder(conn, pool, name)?;
        let mut call = Request::internal("CreateChildDisk_Task", &conn.disk_manager()?);
        call.text("childName", &format!("[{}] {name}", pool.name))
            .moref("childDatacenter", &pool.datacenter)
            .text("parentName", &base_facts.path())
            .moref("parentDatacenter", &base_pool.datacenter)
            .text("isLinkedClone", "true");
        conn.task(&call)
            .map_err(|e| failed("Could not create volume", e))?;
        Ok(self.volume(VolumeFacts {
            pool: pool.name.clone(),
            name: name.to_string(),
            kind: VolumeKind::Disk,
            capacity: base_facts.capacity,
            allocation: 0,
        }))
    }

    /// `virStorageVolCreateXMLFrom`: a copy of `source` (a volume of any pool) in this pool,
    /// named as `xml` says.
    pub fn clone_volume(&self, xml: &str, source: &Volume) -> Result<Volume> {
        self.conn().check_writable("virStorageVolCreateXMLFrom")?;
        let (conn, pool) = (self.conn(), self.facts());
        let (source_pool, source) = (source.pool(), source.facts());
        refuse_iscsi(pool, "volume creation")?;
        refuse_iscsi(source_pool, "volume cloning")?;
        let def = VolumeDef::parse(xml)?;
        let name = checked_name(&def.name)?;
        ensure_folder(conn, pool, name)?;
        let dest = format!("[{}] {name}", pool.name);
        let hosted = source.kind == VolumeKind::Hosted;
        if hosted && !name.to_ascii_lowercase().ends_with(".vmdk") {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "'{}' is a hosted VMDK, which converts into a disk: name the copy '.vmdk'",
                    source.path()
                ),
            ));
        }
        // The disk's format as asked (a hosted one always converts), else the source's.
        let dest_spec = match hosted || def.allocation.is_some() {
            true => Some(VirtualDiskSpec {
                disk_type: if thin_of(&def)? {
                    "thin"
                } else {
                    "preallocated"
                }
                .into(),
                adapter_type: def.adapter.clone().unwrap_or_else(|| "lsiLogic".into()),
            }),
            false => None,
        };
        let copied = match source.kind {
            VolumeKind::Disk | VolumeKind::Hosted => conn.task(&CopyVirtualDisk_Task {
                this: conn.disk_manager()?,
                source_name: source.path(),
                source_datacenter: Some(source_pool.datacenter.clone()),
                dest_name: dest,
                dest_datacenter: Some(pool.datacenter.clone()),
                dest_spec,
                force: Some(false),
            }),
            _ => conn.task(&CopyDatastoreFile_Task {
                this: file_manager(conn)?,
                source_name: source.path(),
                source_datacenter: Some(source_pool.datacenter.clone()),
                destination_name: dest,
                destination_datacenter: Some(pool.datacenter.clone()),
                force: Some(false),
            }),
        };
        copied.map_err(|e| failed("Could not copy volume", e))?;
        Ok(self.volume(VolumeFacts {
            pool: pool.name.clone(),
            name: name.to_string(),
            kind: match hosted {
                true => VolumeKind::Disk,
                false => source.kind.clone(),
            },
            ..source.clone()
        }))
    }
}

/// The folder of `name` in `pool`, made when missing (one round trip).
fn ensure_folder(conn: &Connection, pool: &PoolFacts, name: &str) -> Result<()> {
    let Some((dir, _)) = name.rsplit_once('/') else {
        return Ok(());
    };
    let made = conn.primary.client.invoke(&MakeDirectory {
        this: file_manager(conn)?,
        name: format!("[{}] {dir}", pool.name),
        datacenter: Some(pool.datacenter.clone()),
        create_parent_directories: Some(true),
    });
    match made {
        Err(e) if !e.is_fault(&Fault::FileAlreadyExists) => Err(e.into()),
        _ => Ok(()),
    }
}

impl Volume {
    /// `virStorageVolDelete`: the disk with its extents, or the file.
    pub fn delete(&self) -> Result<()> {
        self.conn().check_writable("virStorageVolDelete")?;
        let (conn, pool, vol) = (self.conn(), self.pool(), self.facts());
        refuse_iscsi(pool, "volume deletion")?;
        let done = match vol.kind {
            VolumeKind::Disk => conn.task(&DeleteVirtualDisk_Task {
                this: conn.disk_manager()?,
                name: vol.path(),
                datacenter: Some(pool.datacenter.clone()),
            }),
            _ => delete_file(conn, &vol.path(), &pool.datacenter),
        };
        done.map_err(|e| failed("Could not delete volume", e))
    }

    /// `virStorageVolWipe`: a disk's blocks zeroed (`ZeroFillVirtualDisk_Task`).
    pub fn wipe(&self) -> Result<()> {
        self.conn().check_writable("virStorageVolWipe")?;
        let (conn, pool, vol) = (self.conn(), self.pool(), self.facts());
        refuse_iscsi(pool, "volume wiping")?;
        if vol.kind != VolumeKind::Disk {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Wiping '{}' is not supported: vSphere zero-fills disks only",
                    vol.path()
                ),
            ));
        }
        conn.task(&ZeroFillVirtualDisk_Task {
            this: conn.disk_manager()?,
            name: vol.path(),
            datacenter: Some(pool.datacenter.clone()),
        })
        .map_err(|e| failed("Could not wipe volume", e))
    }

    /// `virStorageVolWipePattern`: vSphere zero-fills a disk and knows no other pattern, so
    /// `ZERO` is `wipe` and every other algorithm is refused by name.
    pub fn wipe_with(&self, algorithm: virStorageVolWipeAlgorithm) -> Result<()> {
        self.conn().check_writable("virStorageVolWipePattern")?;
        if algorithm != virStorageVolWipeAlgorithm::VIR_STORAGE_VOL_WIPE_ALG_ZERO {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Wiping with {algorithm:?} is not supported: vSphere zero-fills disks only"
                ),
            ));
        }
        self.wipe()
    }

    /// `virStorageVolResize`: a disk grown to `capacity` bytes (or by it, with `DELTA`).
    /// Returns the new capacity.
    pub fn resize(&self, capacity: u64, flags: ResizeFlags) -> Result<u64> {
        self.conn().check_writable("virStorageVolResize")?;
        let (conn, pool, vol) = (self.conn(), self.pool(), &self.current()?);
        refuse_iscsi(pool, "volume resizing")?;
        if vol.kind != VolumeKind::Disk {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Resizing '{}' is not supported: vSphere grows disks only",
                    vol.path()
                ),
            ));
        }
        if flags.contains(ResizeFlags::SHRINK) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "virStorageVolResize: SHRINK cannot be honoured: vSphere disks only grow",
            ));
        }
        if flags.contains(ResizeFlags::ALLOCATE) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "virStorageVolResize: ALLOCATE cannot be honoured: vSphere grows a disk as it \
                 was made (thin stays thin)",
            ));
        }
        let wanted = match flags.contains(ResizeFlags::DELTA) {
            true => vol.capacity.checked_add(capacity).ok_or_else(|| {
                Error::esx(
                    Code::Overflow,
                    format!(
                        "a capacity of {} bytes grown by {capacity} bytes does not fit in 64 bits",
                        vol.capacity
                    ),
                )
            })?,
            false => capacity,
        };
        if wanted < vol.capacity {
            return Err(Error::invalid_arg(
                "Can't shrink capacity below current capacity unless shrink flag explicitly \
                 specified",
            ));
        }
        let new_kb = disk_capacity_kb(wanted)?;
        conn.task(&ExtendVirtualDisk_Task {
            this: conn.disk_manager()?,
            name: vol.path(),
            datacenter: Some(pool.datacenter.clone()),
            new_capacity_kb: new_kb,
            eager_zero: None,
        })
        .map_err(|e| failed("Could not resize volume", e))?;
        Ok(kb_bytes(new_kb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str, format: &str, allocation: Option<u64>) -> VolumeDef {
        VolumeDef {
            name: name.into(),
            capacity: 1 << 20,
            allocation,
            format: format.into(),
            adapter: None,
            backing: None,
        }
    }

    #[test]
    fn requests_decide_what_is_made() {
        assert_eq!(
            making(&def("d/x.vmdk", "vmdk", Some(0))).unwrap(),
            Making::Disk {
                thin: true,
                capacity_kb: 1024
            }
        );
        assert_eq!(
            making(&def("d/x.VMDK", "vmdk", None)).unwrap(),
            Making::Disk {
                thin: false,
                capacity_kb: 1024
            }
        );
        assert_eq!(
            making(&def("iso/a.iso", "raw", None)).unwrap(),
            Making::File(VolumeKind::Iso)
        );
        assert_eq!(
            making(&def("f.img", "raw", None)).unwrap(),
            Making::File(VolumeKind::Floppy)
        );
        assert!(making(&def("d/x.vmdk", "vmdk", Some(5))).is_err());
        assert_eq!(
            making(&def("d/x.vmdk", "raw", None)).unwrap_err().code,
            Code::NoSupport
        );
        assert_eq!(
            making(&def("d/x.qcow2", "qcow2", None)).unwrap_err().code,
            Code::NoSupport
        );
    }

    /// 2^64 - 1 bytes once became 2^54 KiB and, back in bytes, 0 (a panic in debug builds).
    #[test]
    fn disk_sizes_past_vsphere_are_refused_before_any_unit_overflows() {
        assert_eq!(disk_capacity_kb(0).unwrap(), 0);
        assert_eq!(disk_capacity_kb(1).unwrap(), 1);
        assert_eq!(disk_capacity_kb(1025).unwrap(), 2);
        let most = disk_capacity_kb(MAX_DISK_BYTES).unwrap();
        assert_eq!(kb_bytes(most), MAX_DISK_BYTES);
        for bytes in [MAX_DISK_BYTES + 1, u64::MAX - 1023, u64::MAX] {
            let e = disk_capacity_kb(bytes).unwrap_err();
            assert_eq!(e.code, Code::Overflow, "{e}");
            assert!(e.detail.contains(&format!("{bytes} bytes")), "{e}");
            let huge = VolumeDef {
                capacity: bytes,
                ..def("d/x.vmdk", "vmdk", None)
            };
            assert_eq!(making(&huge).unwrap_err().code, Code::Overflow);
        }
    }

    #[test]
    fn names_stay_inside_their_datastore() {
        assert!(checked_name("d/x.vmdk").is_ok());
        assert!(checked_name("x.iso").is_ok());
        for bad in ["/x", "d/", "../x", "d/../../x", "d//x", "./x"] {
            assert!(checked_name(bad).is_err(), "{bad}");
        }
    }
}
