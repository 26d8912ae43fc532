//! A connection's domains through the C API: listing (all at once, by ID, by name, counts) and
//! lookups by ID, name and UUID, as the driver's connection/domains.rs serves them.

use crate::abi::flags::ListDomainsFlags;
use crate::driver::domain::{Domain, Vm};
use crate::error::{Error, Result};
use crate::ffi::args::{count, flags, in_slice, in_str, out, out_slice};
use crate::ffi::domain::object::UUID_LEN;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::malloc::{MallocStr, handle_array};
use crate::ffi::types::{virConnectPtr, virDomainPtr};
use crate::xml::ids::Uuid;
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;

/// A new handle for C.
fn new_domain(c: &ConnectHandle, dom: Domain) -> virDomainPtr {
    DomainHandle::into_c(c.domain_handle(dom))
}

/// All domains matching `flags`; with `domains` non-NULL, a NULL-terminated malloc'd array of
/// new handles (free each with virDomainFree, then the array with free()).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `domains` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListAllDomains(
    conn: virConnectPtr,
    domains: *mut *mut virDomainPtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        let filter = flags!(flags as ListDomainsFlags)?;
        let doms = c.conn.domains(filter)?;
        handle_array(out!(domains?), doms, |dom| {
            DomainHandle::into_c(c.domain_handle(dom))
        })
    })
}

/// The domains `filter` keeps, at most `max` of them (`max` < 0 is refused).
fn listed(
    c: &ConnectHandle,
    filter: ListDomainsFlags,
    (max, what): (c_int, &str),
    api: &str,
) -> Result<Vec<Vm>> {
    let max = count(max, what, api)?;
    if max == 0 {
        return Ok(Vec::new());
    }
    let mut vms = c.conn.list_all_domains(filter)?;
    vms.truncate(max);
    Ok(vms)
}

/// IDs of the active domains, at most `maxids`.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `ids` holds `maxids` ints.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListDomains(
    conn: virConnectPtr,
    ids: *mut c_int,
    maxids: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let vms = listed(c, ListDomainsFlags::ACTIVE, (maxids, "maxids"), api_name!())?;
        if vms.is_empty() {
            return Ok(0);
        }
        let out = out_slice!(ids, vms.len())?;
        for (slot, vm) in out.iter_mut().zip(&vms) {
            *slot = vm.id();
        }
        Ok(vms.len() as c_int)
    })
}

/// How many domains run (powered on or suspended): one listing read of the scope's VMs (more only
/// for the pages the server asks for).
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDomains(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        Ok(c.conn.list_all_domains(ListDomainsFlags::ACTIVE)?.len() as c_int)
    })
}

/// Names of the inactive domains (malloc'd; the caller frees each), at most `maxnames`.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `names` holds `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListDefinedDomains(
    conn: virConnectPtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        let vms = listed(c, ListDomainsFlags::INACTIVE, (maxnames, "maxnames"), api_name!())?;
        if vms.is_empty() {
            return Ok(0);
        }
        let out = out_slice!(names, vms.len())?;
        let copies = vms
            .iter()
            .map(|vm| MallocStr::new(&vm.name))
            .collect::<Result<Vec<_>>>()?;
        for (slot, name) in out.iter_mut().zip(copies) {
            *slot = name.into_raw();
        }
        Ok(vms.len() as c_int)
    })
}

/// How many domains are defined but off: one listing read of the scope's VMs.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedDomains(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        Ok(c.conn.list_all_domains(ListDomainsFlags::INACTIVE)?.len() as c_int)
    })
}

/// The running VM with this ID (its managed object number, as libvirt's ESX driver gives): one
/// round trip; VIR_ERR_NO_DOMAIN if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByID(conn: virConnectPtr, id: c_int) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_domain(c, c.conn.domain_by_id(id)?))
    })
}

/// The VM with this name in the connection's scope: one round trip; VIR_ERR_NO_DOMAIN if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_domain(c, c.conn.domain_by_name(in_str!(name)?)?))
    })
}

/// The VM with this BIOS UUID (`config.uuid`): one round trip; VIR_ERR_NO_DOMAIN if none.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuid` NULL or 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let bytes = in_slice!(uuid, UUID_LEN)?;
        let mut id = [0u8; UUID_LEN];
        id.copy_from_slice(bytes);
        Ok(new_domain(c, c.conn.domain_by_uuid(&Uuid(id))?))
    })
}

/// As virDomainLookupByUUID, the UUID in text; one that does not parse is VIR_ERR_INVALID_ARG.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `uuidstr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let s = in_str!(uuidstr)?;
        let uuid =
            Uuid::parse(s).ok_or_else(|| Error::invalid_arg(format!("cannot parse UUID '{s}'")))?;
        Ok(new_domain(c, c.conn.domain_by_uuid(&uuid)?))
    })
}
