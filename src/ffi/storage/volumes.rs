//! virStorageVol* exports and the pool calls that list or make volumes: one datastore search
//! lists a pool; lookups by name, path or key; info, XML; create, clone, resize, wipe, delete.

use crate::abi::flags::{NoFlags, ResizeFlags};
use crate::abi::{virStorageVolType, virStorageVolWipeAlgorithm};
use crate::driver::storage::{Volume, VolumeFacts};
use crate::error::{Error, Result};
use crate::ffi::args::{flags, in_str, names_out, out};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, PoolHandle, VolumeHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{
    virConnectPtr, virStoragePoolPtr, virStorageVolInfo, virStorageVolInfoPtr, virStorageVolPtr,
};
use std::ffi::{CString, c_char, c_int, c_uint, c_ulonglong};
use std::ptr;
use std::sync::Arc;

fn new_volume(p: &PoolHandle, vol: VolumeFacts) -> virStorageVolPtr {
    VolumeHandle::into_c(p.volume(vol))
}

/// A volume handle for a (pool, volume) found from the connection.
fn found(c: &ConnectHandle, vol: Volume) -> virStorageVolPtr {
    VolumeHandle::into_c(c.volume_handle(vol))
}

/// How many volumes (disks, ISO and floppy images, hosted VMDKs) the datastore holds: 2 round trips
/// (one search task and its read).
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolNumOfVolumes(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, -1, |p| Ok(p.object().volumes()?.len() as c_int))
}

/// The names (`dir/file`) of the datastore's volumes: 2 round trips.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolListVolumes(
    pool: virStoragePoolPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(pool pool, -1, |p| {
        let vols = p.object().volumes()?;
        let all: Vec<&str> = vols.iter().map(|v| v.facts().name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &all)
    })
}

/// Every volume of the pool; with `vols` non-NULL, a NULL-terminated malloc'd array of new
/// handles (free each with virStorageVolFree, then the array with free()).
///
/// # Safety
/// `pool` is NULL or a pool from this library; `vols` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolListAllVolumes(
    pool: virStoragePoolPtr,
    vols: *mut *mut virStorageVolPtr,
    flags: c_uint,
) -> c_int {
    export!(pool pool, -1, |p| {
        flags!(flags as NoFlags)?;
        let all = p.object().volumes()?;
        handle_array(out!(vols?), all, |vol| new_volume(p, vol.facts().clone()))
    })
}

/// `name` is the volume's path inside the pool (`dir/disk.vmdk`).
///
/// # Safety
/// `pool` is NULL or a pool from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolLookupByName(
    pool: virStoragePoolPtr,
    name: *const c_char,
) -> virStorageVolPtr {
    export!(pool pool, ptr::null_mut(), |p| {
        let vol = p.object().volume_by_name(in_str!(name)?)?;
        Ok(new_volume(p, vol.facts().clone()))
    })
}

/// `path` is `[datastore] dir/file` or `/vmfs/volumes/datastore/dir/file`.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolLookupByPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStorageVolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(found(c, c.conn.volume_by_path(in_str!(path)?)?))
    })
}

/// The volume with this key: a disk's UUID on ESX (each datastore searched), else its path.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `key` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolLookupByKey(
    conn: virConnectPtr,
    key: *const c_char,
) -> virStorageVolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(found(c, c.conn.volume_by_key(in_str!(key)?)?))
    })
}

/// The volume's pool, as the volume knows it; no round trip.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolLookupByVolume(vol: virStorageVolPtr) -> virStoragePoolPtr {
    export!(vol vol, ptr::null_mut(), |v| {
        Ok(PoolHandle::into_c(v.conn.pool(v.vol.pool().clone())))
    })
}

/// The volume's type, capacity and allocation (a disk's capacity and its extent's size), read now:
/// 2 round trips.
///
/// # Safety
/// `vol` is NULL or a volume from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetInfo(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
) -> c_int {
    export!(vol vol, -1, |v| vol_info(v, out!(info)?))
}

/// As virStorageVolGetInfo; with VIR_STORAGE_VOL_GET_PHYSICAL the allocation is the physical
/// size, which for a datastore file or a LUN it is already.
///
/// # Safety
/// `vol` is NULL or a volume from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetInfoFlags(
    vol: virStorageVolPtr,
    info: virStorageVolInfoPtr,
    flags: c_uint,
) -> c_int {
    export!(vol vol, -1, |v| {
        flags!(flags as crate::abi::flags::VolInfoFlags)?;
        vol_info(v, out!(info)?)
    })
}

fn vol_info(v: &VolumeHandle, out: crate::ffi::args::Out<virStorageVolInfo>) -> Result<c_int> {
    let now = v.vol.current()?;
    out.set(virStorageVolInfo {
        r#type: match now.kind.is_lun() {
            true => virStorageVolType::VIR_STORAGE_VOL_BLOCK,
            false => virStorageVolType::VIR_STORAGE_VOL_FILE,
        } as c_int,
        capacity: now.capacity,
        allocation: now.allocation,
    });
    Ok(0)
}

/// The volume's XML as libvirt's ESX driver writes it, and a child disk's base as `<backingStore>`
/// (from its descriptor): 2 round trips for a fresh handle (its key, its descriptor).
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetXMLDesc(
    vol: virStorageVolPtr,
    flags: c_uint,
) -> *mut c_char {
    export!(vol vol, ptr::null_mut(), |v| {
        flags!(flags as NoFlags)?;
        owned_c_string(&v.vol.xml()?)
    })
}

/// The name (path inside the pool), owned by the handle.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetName(vol: virStorageVolPtr) -> *const c_char {
    export!(vol vol, ptr::null(), |v| Ok(v.name.as_ptr()))
}

/// The key, owned by the handle: a disk's UUID on ESX (read once, one round trip), else the
/// datastore path.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetKey(vol: virStorageVolPtr) -> *const c_char {
    export!(vol vol, ptr::null(), |v| {
        if let Some(k) = v.key.get() {
            return Ok(k.as_ptr());
        }
        let key = v.vol.key()?;
        let key = CString::new(key).map_err(|_| Error::internal("the key holds a NUL"))?;
        Ok(v.key.get_or_init(|| key).as_ptr())
    })
}

/// `[datastore] dir/file` (malloc'd; the caller frees it).
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetPath(vol: virStorageVolPtr) -> *mut c_char {
    export!(vol vol, ptr::null_mut(), |v| owned_c_string(&v.vol.facts().path()))
}

/// The volume's connection (no new reference, as libvirt).
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolGetConnect(vol: virStorageVolPtr) -> virConnectPtr {
    export!(vol vol, ptr::null_mut(), |v| Ok(Arc::as_ptr(&v.conn).cast_mut()))
}

/// A VMDK disk (`<allocation>` 0: thin; equal to the capacity or absent: preallocated), or an
/// empty ISO, floppy or raw image for virStorageVolUpload to fill.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `xmlDesc` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolCreateXML(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStorageVolPtr {
    export!(pool pool, write, ptr::null_mut(), |p| {
        flags!(flags as NoFlags)?;
        let vol = p.object().create_volume(in_str!(xmlDesc)?)?;
        Ok(new_volume(p, vol.facts().clone()))
    })
}

/// A copy of `clonevol` (of any pool of the connection) named as `xmlDesc` says.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `xmlDesc` NULL or a C string; `clonevol` NULL or
/// a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolCreateXMLFrom(
    pool: virStoragePoolPtr,
    xmlDesc: *const c_char,
    clonevol: virStorageVolPtr,
    flags: c_uint,
) -> virStorageVolPtr {
    export!(pool pool, write, ptr::null_mut(), |p| {
        flags!(flags as NoFlags)?;
        let xml = in_str!(xmlDesc)?;
        // SAFETY: per this export's contract.
        let source = unsafe { VolumeHandle::borrow(clonevol, api_name!()) }?;
        let vol = p.object().clone_volume(xml, &source.vol)?;
        Ok(new_volume(p, vol.facts().clone()))
    })
}

/// Deletes the volume: a disk with its extents (DeleteVirtualDisk_Task), another file
/// (DeleteDatastoreFile_Task); a disk a VM uses is refused by the host.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolDelete(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    export!(vol vol, write, -1, |v| {
        flags!(flags as NoFlags)?;
        v.vol.delete().map(|()| 0)
    })
}

/// Zero-fills a disk (ZeroFillVirtualDisk_Task); other files refused with VIR_ERR_NO_SUPPORT.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolWipe(vol: virStorageVolPtr, flags: c_uint) -> c_int {
    export!(vol vol, write, -1, |v| {
        flags!(flags as NoFlags)?;
        v.vol.wipe().map(|()| 0)
    })
}

/// Wipes with `algorithm`: `VIR_STORAGE_VOL_WIPE_ALG_ZERO` zero-fills the disk as
/// virStorageVolWipe does; vSphere has no other pattern, so the others are refused by name.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolWipePattern(
    vol: virStorageVolPtr,
    algorithm: c_uint,
    flags: c_uint,
) -> c_int {
    export!(vol vol, write, -1, |v| {
        flags!(flags as NoFlags)?;
        let algorithm = virStorageVolWipeAlgorithm::from_raw(algorithm).ok_or_else(|| {
            Error::invalid_arg(format!("wiping algorithm {algorithm} not supported"))
        })?;
        v.vol.wipe_with(algorithm).map(|()| 0)
    })
}

/// Grows a disk to `capacity` bytes (by them with `DELTA`); vSphere cannot shrink one.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolResize(
    vol: virStorageVolPtr,
    capacity: c_ulonglong,
    flags: c_uint,
) -> c_int {
    export!(vol vol, write, -1, |v| {
        let flags = flags!(flags as ResizeFlags)?;
        if capacity == 0 && !flags.intersects(ResizeFlags::DELTA | ResizeFlags::SHRINK) {
            return Err(Error::invalid_arg(format!(
                "capacity in {} cannot be zero without 'delta' or 'shrink' flags set",
                api_name!()
            )));
        }
        v.vol.resize(capacity, flags).map(|_| 0)
    })
}

/// Takes another reference on the volume handle; no round trip.
///
/// # Safety
/// `vol` is NULL or a volume from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolRef(vol: virStorageVolPtr) -> c_int {
    export!(vol vol, -1, |v| {
        v.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the file is untouched).
///
/// # Safety
/// `vol` is NULL or a volume from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolFree(vol: virStorageVolPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { VolumeHandle::borrow(vol, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { VolumeHandle::release(vol) };
        Ok(0)
    })
}
