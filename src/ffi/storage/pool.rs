//! virStoragePool* and virConnect*StoragePools exports: datastores listed (one round trip for
//! all, with their facts), looked up, described and refreshed, and the handles' identity.

use crate::abi::flags::{ListPoolsFlags, NoFlags, PoolDefineFlags, StorageXmlFlags};
use crate::abi::{VIR_UUID_BUFLEN, VIR_UUID_STRING_BUFLEN};
use crate::driver::storage::PoolFacts;
use crate::error::Error;
use crate::ffi::args::{flags, in_slice, in_str, names_out, out, out_slice, put_uuid_string};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, PoolHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{
    virConnectPtr, virStoragePoolInfo, virStoragePoolInfoPtr, virStoragePoolPtr,
};
use crate::xml::ids::Uuid;
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;
use std::sync::Arc;

const UUID_LEN: usize = VIR_UUID_BUFLEN as usize;
const UUID_STRING_LEN: usize = VIR_UUID_STRING_BUFLEN as usize;

fn new_pool(c: &ConnectHandle, pool: PoolFacts) -> virStoragePoolPtr {
    PoolHandle::into_c(c.pool(pool))
}

/// How many datastores (and iSCSI targets) the scope's hosts have, all active: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfStoragePools(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| Ok(c.conn.list_pools()?.len() as c_int))
}

/// The names of the scope's datastores and iSCSI targets: one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListStoragePools(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let pools = c.conn.list_pools()?;
        let all: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &all)
    })
}

/// Datastores are always active: none is merely defined.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedStoragePools(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |_c| Ok(0))
}

/// None: every datastore is active while mounted.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListDefinedStoragePools(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |_c| names_out!(names, (maxnames, "maxnames"), &[]))
}

/// All pools matching `flags`; with `pools` non-NULL, a NULL-terminated malloc'd array of new
/// handles (free each with virStoragePoolFree, then the array with free()). One round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `pools` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListAllStoragePools(
    conn: virConnectPtr,
    pools: *mut *mut virStoragePoolPtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        let filter = flags!(flags as ListPoolsFlags)?;
        let kept: Vec<PoolFacts> = c
            .conn
            .list_pools()?
            .into_iter()
            .filter(|p| p.keeps(filter))
            .collect();
        handle_array(out!(pools?), kept, |pool| new_pool(c, pool))
    })
}

/// The pool whose target path (where the connection's hosts mount it, `/vmfs/volumes/…`) is
/// `path`; a trailing `/` is ignored.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolLookupByTargetPath(
    conn: virConnectPtr,
    path: *const c_char,
) -> virStoragePoolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_pool(c, c.conn.pool_by_target_path(in_str!(path)?)?))
    })
}

/// The datastore (or iSCSI target) of this name: one round trip; VIR_ERR_NO_STORAGE_POOL if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virStoragePoolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_pool(c, c.conn.pool_by_name(in_str!(name)?)?))
    })
}

/// The datastore with this UUID (an MD5 of its mount path, as libvirt's ESX driver makes it): one
/// round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuid` NULL or 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virStoragePoolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let mut id = [0u8; UUID_LEN];
        id.copy_from_slice(in_slice!(uuid, UUID_LEN)?);
        Ok(new_pool(c, c.conn.pool_by_uuid(&Uuid(id))?))
    })
}

/// As virStoragePoolLookupByUUID, the UUID in text; one that does not parse is VIR_ERR_INVALID_ARG.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuidstr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virStoragePoolPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let uuid = Uuid::parse(in_str!(uuidstr)?).ok_or_else(|| {
            Error::invalid_arg(format!("uuidstr in {} must be a valid UUID", api_name!()))
        })?;
        Ok(new_pool(c, c.conn.pool_by_uuid(&uuid)?))
    })
}

/// The datastore's state, capacity, allocation and free space (`summary`), read now: one round
/// trip.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetInfo(
    pool: virStoragePoolPtr,
    info: virStoragePoolInfoPtr,
) -> c_int {
    export!(pool pool, -1, |p| {
        let out = out!(info)?;
        let now = p.object().fresh()?;
        let (capacity, allocation, available) = now.sizes();
        out.set(virStoragePoolInfo {
            state: now.state() as c_int,
            capacity,
            allocation,
            available,
        });
        Ok(0)
    })
}

/// The pool's XML as libvirt's ESX driver writes it (`dir`, `netfs` or `iscsi`, sizes, target
/// path), read now: one round trip.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetXMLDesc(
    pool: virStoragePoolPtr,
    flags: c_uint,
) -> *mut c_char {
    export!(pool pool, ptr::null_mut(), |p| {
        flags!(flags as StorageXmlFlags)?;
        owned_c_string(&p.object().fresh()?.xml())
    })
}

/// Has the host refresh the datastore (RefreshDatastore), so its sizes and files are current.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolRefresh(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    export!(pool pool, write, -1, |p| {
        flags!(flags as NoFlags)?;
        p.object().refresh().map(|()| 0)
    })
}

/// Always 1: a host mounts its datastores when it starts (libvirt's ESX driver says so too).
///
/// # Safety
/// `pool` is NULL or a pool from this library; `autostart` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetAutostart(
    pool: virStoragePoolPtr,
    autostart: *mut c_int,
) -> c_int {
    export!(pool pool, -1, |_p| {
        out!(autostart)?.set(1);
        Ok(0)
    })
}

/// Enabling is a no-op; disabling is refused, as libvirt's ESX driver refuses it.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolSetAutostart(
    pool: virStoragePoolPtr,
    autostart: c_int,
) -> c_int {
    export!(pool pool, -1, |p| p.object().set_autostart(autostart != 0).map(|()| 0))
}

/// 1: a datastore is active while mounted.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolIsActive(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, -1, |_p| Ok(1))
}

/// 1: a datastore persists in the host's configuration.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolIsPersistent(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, -1, |_p| Ok(1))
}

/// The name, owned by the handle.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetName(pool: virStoragePoolPtr) -> *const c_char {
    export!(pool pool, ptr::null(), |p| Ok(p.name.as_ptr()))
}

/// The pool's UUID, 16 bytes; no round trip.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `uuid` NULL or 16 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetUUID(
    pool: virStoragePoolPtr,
    uuid: *mut c_uchar,
) -> c_int {
    export!(pool pool, -1, |p| {
        out_slice!(uuid, UUID_LEN)?.copy_from_slice(&p.pool.uuid.0);
        Ok(0)
    })
}

/// The pool's UUID in text; no round trip.
///
/// # Safety
/// `pool` is NULL or a pool from this library; `buf` NULL or VIR_UUID_STRING_BUFLEN bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetUUIDString(
    pool: virStoragePoolPtr,
    buf: *mut c_char,
) -> c_int {
    export!(pool pool, -1, |p| {
        put_uuid_string(out_slice!(buf, UUID_STRING_LEN)?, &p.pool.uuid);
        Ok(0)
    })
}

/// The pool's connection (no new reference, as libvirt).
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolGetConnect(pool: virStoragePoolPtr) -> virConnectPtr {
    export!(pool pool, ptr::null_mut(), |p| Ok(Arc::as_ptr(&p.conn).cast_mut()))
}

/// Takes another reference on the pool handle; no round trip.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolRef(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, -1, |p| {
        p.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the datastore is untouched).
///
/// # Safety
/// `pool` is NULL or a pool from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolFree(pool: virStoragePoolPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { PoolHandle::borrow(pool, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { PoolHandle::release(pool) };
        Ok(0)
    })
}

/// Mounts the NFS share a `netfs` pool names as a datastore of the connection's host;
/// other pool types are `VIR_ERR_NO_SUPPORT`.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xmlDesc` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolCreateXML(
    conn: virConnectPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    export!(conn conn, write, ptr::null_mut(), |c| {
        flags!(flags as NoFlags)?;
        Ok(new_pool(c, c.conn.create_nfs_pool(in_str!(xmlDesc)?, api_name!())?))
    })
}

/// As virStoragePoolCreateXML: a datastore is defined and active at once.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `xml` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolDefineXML(
    conn: virConnectPtr,
    xml: *const c_char,
    flags: c_uint,
) -> virStoragePoolPtr {
    export!(conn conn, write, ptr::null_mut(), |c| {
        flags!(flags as PoolDefineFlags)?;
        Ok(new_pool(c, c.conn.create_nfs_pool(in_str!(xml)?, api_name!())?))
    })
}

/// Unmounts an NFS datastore from the connection's host; refused while VMs live on it.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolDestroy(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, write, -1, |p| {
        p.object().remove_nfs(api_name!()).map(|()| 0)
    })
}

/// As virStoragePoolDestroy: a datastore has no definition apart from its mount.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolUndefine(pool: virStoragePoolPtr) -> c_int {
    export!(pool pool, write, -1, |p| {
        p.object().remove_nfs(api_name!()).map(|()| 0)
    })
}

/// A datastore is active while mounted: starting one is refused, as libvirt refuses to start an
/// active pool.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolCreate(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    export!(pool pool, write, -1, |p| {
        flags!(flags as NoFlags)?;
        Err(Error::esx(
            crate::error::Code::OperationInvalid,
            format!("storage pool '{}' is already active", p.pool.name),
        ))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: a datastore exists once the host mounts it.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolBuild(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    export!(pool pool, write, -1, |p| {
        let _ = flags;
        Err(Error::esx(
            crate::error::Code::NoSupport,
            format!(
                "Building storage pool '{}' is not supported: a datastore exists once the host \
                 mounts it",
                p.pool.name
            ),
        ))
    })
}

/// Refused with VIR_ERR_NO_SUPPORT: delete its volumes, or unmount an NFS datastore with
/// virStoragePoolDestroy.
///
/// # Safety
/// `pool` is NULL or a pool from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStoragePoolDelete(pool: virStoragePoolPtr, flags: c_uint) -> c_int {
    export!(pool pool, write, -1, |p| {
        let _ = flags;
        Err(Error::esx(
            crate::error::Code::NoSupport,
            format!(
                "Deleting storage pool '{}' is not supported: delete its volumes, or unmount an \
                 NFS datastore with virStoragePoolDestroy",
                p.pool.name
            ),
        ))
    })
}
