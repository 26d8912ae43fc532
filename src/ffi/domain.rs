//! Domain handles through the C API: listing, lookups, identity (name, ID, UUID), references,
//! and the connection a domain belongs to.

use super::boundary::{conn_boundary, dom_boundary, owned_c_string, req_out, req_str};
use super::handles::{ConnBox, DomainBox};
use super::types::{virConnectPtr, virDomainPtr};
use crate::driver::check_flags;
use crate::driver::domain::Vm;
use crate::driver::domain::list::flags as list_flags;
use crate::error::{Code, Domain, Error, Result};
use crate::xml::ids::Uuid;
use std::ffi::{c_char, c_int, c_uchar, c_uint};
use std::ptr;

/// Copies `items` into a malloc'd array C frees with `free()`; NULL-terminated when asked.
pub(crate) fn malloc_array<T: Copy>(items: &[T], terminator: Option<T>) -> Result<*mut T> {
    let n = items.len() + terminator.is_some() as usize;
    // SAFETY: calloc of n (at least 1) elements; we write n of them.
    let p = unsafe { libc::calloc(n.max(1), std::mem::size_of::<T>()) }.cast::<T>();
    if p.is_null() {
        return Err(Error::new(Code::NoMemory, Domain::None, "array"));
    }
    for (i, item) in items.iter().chain(terminator.as_ref()).enumerate() {
        // SAFETY: i < n.
        unsafe { p.add(i).write(*item) };
    }
    Ok(p)
}

fn new_domain(c: &ConnBox, vm: Vm) -> virDomainPtr {
    DomainBox::into_raw(c, vm)
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
    // SAFETY: the boundary checks the handle; `domains` is written on success only.
    unsafe {
        conn_boundary(conn, "virConnectListAllDomains", -1, |c| {
            check_flags(flags, list_flags::ALL, "virConnectListAllDomains")?;
            let vms = c.conn.list_all_domains(flags)?;
            let count = vms.len() as c_int;
            if !domains.is_null() {
                let handles: Vec<virDomainPtr> =
                    vms.into_iter().map(|vm| new_domain(c, vm)).collect();
                match malloc_array(&handles, Some(ptr::null_mut())) {
                    Ok(arr) => *domains = arr,
                    Err(e) => {
                        for h in handles {
                            let _ = DomainBox::release(h);
                        }
                        return Err(e);
                    }
                }
            }
            Ok(count)
        })
    }
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
    // SAFETY: the boundary checks the handle; at most `maxids` ids are written.
    unsafe {
        conn_boundary(conn, "virConnectListDomains", -1, |c| {
            if maxids < 0 {
                return Err(Error::invalid_arg(
                    "maxids in virConnectListDomains must not be negative",
                ));
            }
            if maxids == 0 {
                return Ok(0);
            }
            let out = req_out(ids, "ids", "virConnectListDomains")?;
            let vms = c.conn.list_all_domains(list_flags::ACTIVE)?;
            let mut n = 0;
            for vm in vms.iter().take(maxids as usize) {
                *out.add(n) = vm.id();
                n += 1;
            }
            Ok(n as c_int)
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDomains(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectNumOfDomains", -1, |c| {
            Ok(c.conn.list_all_domains(list_flags::ACTIVE)?.len() as c_int)
        })
    }
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
    // SAFETY: the boundary checks the handle; at most `maxnames` names are written.
    unsafe {
        conn_boundary(conn, "virConnectListDefinedDomains", -1, |c| {
            if maxnames < 0 {
                return Err(Error::invalid_arg(
                    "maxnames in virConnectListDefinedDomains must not be negative",
                ));
            }
            if maxnames == 0 {
                return Ok(0);
            }
            let out = req_out(names, "names", "virConnectListDefinedDomains")?;
            let vms = c.conn.list_all_domains(list_flags::INACTIVE)?;
            let copies: Result<Vec<*mut c_char>> = vms
                .iter()
                .take(maxnames as usize)
                .map(|vm| owned_c_string(&vm.name))
                .collect();
            match copies {
                Ok(copies) => {
                    for (i, p) in copies.iter().enumerate() {
                        *out.add(i) = *p;
                    }
                    Ok(copies.len() as c_int)
                }
                Err(e) => Err(e),
            }
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNumOfDefinedDomains(conn: virConnectPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virConnectNumOfDefinedDomains", -1, |c| {
            Ok(c.conn.list_all_domains(list_flags::INACTIVE)?.len() as c_int)
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByID(conn: virConnectPtr, id: c_int) -> virDomainPtr {
    // SAFETY: the boundary checks the handle.
    unsafe {
        conn_boundary(conn, "virDomainLookupByID", ptr::null_mut(), |c| {
            Ok(new_domain(c, c.conn.lookup_by_id(id)?))
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virDomainPtr {
    // SAFETY: the boundary checks the handle; the string per the contract.
    unsafe {
        conn_boundary(conn, "virDomainLookupByName", ptr::null_mut(), |c| {
            let name = req_str(name, "name", "virDomainLookupByName")?;
            Ok(new_domain(c, c.conn.lookup_by_name(name)?))
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library; `uuid` NULL or 16 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByUUID(
    conn: virConnectPtr,
    uuid: *const c_uchar,
) -> virDomainPtr {
    // SAFETY: the boundary checks the handle; `uuid` holds VIR_UUID_BUFLEN bytes.
    unsafe {
        conn_boundary(conn, "virDomainLookupByUUID", ptr::null_mut(), |c| {
            if uuid.is_null() {
                return Err(Error::invalid_arg(
                    "uuid in virDomainLookupByUUID must not be NULL",
                ));
            }
            let mut bytes = [0u8; 16];
            bytes.copy_from_slice(std::slice::from_raw_parts(uuid, 16));
            Ok(new_domain(c, c.conn.lookup_by_uuid(&Uuid(bytes))?))
        })
    }
}

/// # Safety
/// `conn` is NULL or a connection from this library; `uuidstr` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainLookupByUUIDString(
    conn: virConnectPtr,
    uuidstr: *const c_char,
) -> virDomainPtr {
    // SAFETY: the boundary checks the handle; the string per the contract.
    unsafe {
        conn_boundary(conn, "virDomainLookupByUUIDString", ptr::null_mut(), |c| {
            let s = req_str(uuidstr, "uuidstr", "virDomainLookupByUUIDString")?;
            let uuid = Uuid::parse(s)
                .ok_or_else(|| Error::invalid_arg(format!("cannot parse UUID '{s}'")))?;
            Ok(new_domain(c, c.conn.lookup_by_uuid(&uuid)?))
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRef(domain: virDomainPtr) -> c_int {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainRef", -1, |d, _| {
            d.add_ref();
            Ok(0)
        })
    }
}

/// Drops a reference; the last one frees the handle (the VM itself is untouched).
///
/// # Safety
/// `domain` is NULL or a domain from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainFree(domain: virDomainPtr) -> c_int {
    super::boundary::boundary("virDomainFree", -1, || {
        // SAFETY: checked, then released once.
        unsafe {
            DomainBox::from_ptr(domain, "virDomainFree")?;
            DomainBox::release(domain)?;
        }
        Ok(0)
    })
}

/// The domain's connection (no new reference, as libvirt).
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetConnect(dom: virDomainPtr) -> virConnectPtr {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(dom, "virDomainGetConnect", ptr::null_mut(), |d, _| {
            Ok(d.conn_ptr())
        })
    }
}

/// The name, owned by the handle.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetName(domain: virDomainPtr) -> *const c_char {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetName", ptr::null(), |d, _| {
            Ok(d.name.as_ptr())
        })
    }
}

/// The ID as of the handle's last look at the VM; (unsigned)-1 when it is not running.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetID(domain: virDomainPtr) -> c_uint {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(domain, "virDomainGetID", c_uint::MAX, |d, _| {
            Ok(d.vm().id() as c_uint)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library; `uuid` NULL or 16 writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUID(domain: virDomainPtr, uuid: *mut c_uchar) -> c_int {
    // SAFETY: the boundary checks the handle; 16 bytes are written on success.
    unsafe {
        dom_boundary(domain, "virDomainGetUUID", -1, |d, _| {
            let out = req_out(uuid, "uuid", "virDomainGetUUID")?;
            ptr::copy_nonoverlapping(d.vm().uuid.0.as_ptr(), out, 16);
            Ok(0)
        })
    }
}

/// # Safety
/// `domain` is NULL or a domain from this library; `buf` NULL or VIR_UUID_STRING_BUFLEN bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetUUIDString(domain: virDomainPtr, buf: *mut c_char) -> c_int {
    // SAFETY: the boundary checks the handle; 37 bytes are written on success.
    unsafe {
        dom_boundary(domain, "virDomainGetUUIDString", -1, |d, _| {
            let out = req_out(buf, "buf", "virDomainGetUUIDString")?;
            let s = d.vm().uuid.to_string();
            ptr::copy_nonoverlapping(s.as_ptr().cast::<c_char>(), out, 36);
            *out.add(36) = 0;
            Ok(0)
        })
    }
}
