//! Domain handles through the C API: listing, lookups, identity (name, ID, UUID), references,
//! and the connection a domain belongs to.

use crate::abi::flags::ListDomainsFlags;
use crate::abi::{VIR_UUID_BUFLEN, VIR_UUID_STRING_BUFLEN};
use crate::driver::domain::Vm;
use crate::error::{Error, Result};
use crate::ffi::args::{count, flags, in_slice, in_str, out, out_slice, put_uuid_string};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::malloc::{MallocStr, handle_array};
use crate::ffi::types::{virConnectPtr, virDomainPtr};
use crate::xml::ids::Uuid;
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;

const UUID_LEN: usize = VIR_UUID_BUFLEN as usize;
const UUID_STRING_LEN: usize = VIR_UUID_STRING_BUFLEN as usize;

/// A new handle for C.
fn new_domain(c: &ConnectHandle, vm: Vm) -> virDomainPtr {
    DomainHandle::into_c(c.domain(vm))
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

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedDomains(conn: virConnectPtr) -> c_int {
    export!(conn conn, -1, |c| {
        Ok(c.conn.list_all_domains(ListDomainsFlags::INACTIVE)?.len() as c_int)
    })
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByID(conn: virConnectPtr, id: c_int) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_domain(c, c.conn.lookup_by_id(id)?))
    })
}

/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virDomainPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        Ok(new_domain(c, c.conn.lookup_by_name(in_str!(name)?)?))
    })
}

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
        Ok(new_domain(c, c.conn.lookup_by_uuid(&Uuid(id))?))
    })
}

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
        Ok(new_domain(c, c.conn.lookup_by_uuid(&uuid)?))
    })
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRef(domain: virDomainPtr) -> c_int {
    export!(dom domain, -1, |d| {
        d.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the VM itself is untouched).
///
/// # Safety
/// `domain` is NULL or a domain from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainFree(domain: virDomainPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { DomainHandle::borrow(domain, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { DomainHandle::release(domain) };
        Ok(0)
    })
}

/// The domain's connection (no new reference, as libvirt).
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetConnect(dom: virDomainPtr) -> virConnectPtr {
    export!(dom dom, ptr::null_mut(), |d| {
        Ok(std::sync::Arc::as_ptr(&d.conn).cast_mut())
    })
}

/// The name, owned by the handle.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetName(domain: virDomainPtr) -> *const c_char {
    export!(dom domain, ptr::null(), |d| Ok(d.name_ptr()))
}

/// The ID as of the handle's last look at the VM; (unsigned)-1 when it is not running.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetID(domain: virDomainPtr) -> c_uint {
    export!(dom domain, c_uint::MAX, |d| Ok(d.dom.cached().id() as c_uint))
}

/// # Safety
/// `domain` is NULL or a domain from this library; `uuid` NULL or 16 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUID(domain: virDomainPtr, uuid: *mut c_uchar) -> c_int {
    export!(dom domain, -1, |d| {
        out_slice!(uuid, UUID_LEN)?.copy_from_slice(&d.dom.cached().uuid.0);
        Ok(0)
    })
}

/// # Safety
/// `domain` is NULL or a domain from this library; `buf` NULL or VIR_UUID_STRING_BUFLEN bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUIDString(domain: virDomainPtr, buf: *mut c_char) -> c_int {
    export!(dom domain, -1, |d| {
        put_uuid_string(out_slice!(buf, UUID_STRING_LEN)?, &d.dom.cached().uuid);
        Ok(0)
    })
}
