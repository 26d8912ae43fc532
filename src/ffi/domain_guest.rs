//! Guest information through the C API (VMware Tools in the guest): hostname and interface
//! addresses, with the interface structs C frees by virDomainInterfaceFree.

use super::boundary::{dom_boundary, owned_c_string, req_out};
use super::domain::malloc_array;
use super::types::{virDomainIPAddress, virDomainInterface, virDomainInterfacePtr, virDomainPtr};
use crate::driver::check_flags;
use crate::driver::domain::guest::{Interface, check_source};
use crate::error::Result;
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetHostname(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    // SAFETY: the boundary checks the handle.
    unsafe {
        dom_boundary(
            domain,
            "virDomainGetHostname",
            ptr::null_mut(),
            |d, conn| {
                // 0, or VIR_DOMAIN_GET_HOSTNAME_AGENT (2): VMware Tools is the agent.
                check_flags(flags, 2, "virDomainGetHostname")?;
                owned_c_string(&conn.guest_hostname(&d.vm())?)
            },
        )
    }
}

/// A malloc'd `virDomainInterface` for C; partial allocations are released on failure.
fn c_interface(iface: &Interface) -> Result<virDomainInterfacePtr> {
    let mut it = Box::new(virDomainInterface {
        name: ptr::null_mut(),
        hwaddr: ptr::null_mut(),
        naddrs: 0,
        addrs: ptr::null_mut(),
    });
    let mut addrs = Vec::with_capacity(iface.addrs.len());
    let built = (|| {
        it.name = owned_c_string(&iface.name)?;
        it.hwaddr = owned_c_string(&iface.hwaddr)?;
        for (v6, addr, prefix) in &iface.addrs {
            addrs.push(virDomainIPAddress {
                r#type: *v6 as c_int,
                addr: owned_c_string(addr)?,
                prefix: *prefix,
            });
        }
        it.addrs = malloc_array(&addrs, None)?;
        it.naddrs = addrs.len() as c_uint;
        let raw = malloc_array(std::slice::from_ref(&*it), None)?;
        Ok(raw)
    })();
    if built.is_err() {
        // SAFETY: NULL or malloc'd by us above.
        unsafe {
            for a in &addrs {
                libc::free(a.addr.cast());
            }
            libc::free(it.addrs.cast());
            libc::free(it.name.cast());
            libc::free(it.hwaddr.cast());
        }
    }
    built
}

/// The guest's interfaces as VMware Tools reports them (source must be AGENT).
///
/// # Safety
/// `dom` is NULL or a domain from this library; `ifaces` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainInterfaceAddresses(
    dom: virDomainPtr,
    ifaces: *mut *mut virDomainInterfacePtr,
    source: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: the boundary checks the handle; `ifaces` is written on success only.
    unsafe {
        dom_boundary(dom, "virDomainInterfaceAddresses", -1, |d, conn| {
            check_flags(flags, 0, "virDomainInterfaceAddresses")?;
            check_source(source)?;
            let out = req_out(ifaces, "ifaces", "virDomainInterfaceAddresses")?;
            let list = conn.guest_interfaces(&d.vm())?;
            let mut built = Vec::with_capacity(list.len());
            for iface in &list {
                match c_interface(iface) {
                    Ok(p) => built.push(p),
                    Err(e) => {
                        built.into_iter().for_each(|p| virDomainInterfaceFree(p));
                        return Err(e);
                    }
                }
            }
            match malloc_array(&built, None) {
                Ok(arr) => {
                    *out = arr;
                    Ok(built.len() as c_int)
                }
                Err(e) => {
                    built.into_iter().for_each(|p| virDomainInterfaceFree(p));
                    Err(e)
                }
            }
        })
    }
}

/// # Safety
/// `iface` is NULL or an interface from virDomainInterfaceAddresses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainInterfaceFree(iface: virDomainInterfacePtr) {
    if iface.is_null() {
        return;
    }
    // SAFETY: built by c_interface: every pointer malloc'd or NULL.
    unsafe {
        let it = &*iface;
        for i in 0..it.naddrs as usize {
            libc::free((*it.addrs.add(i)).addr.cast());
        }
        libc::free(it.addrs.cast());
        libc::free(it.name.cast());
        libc::free(it.hwaddr.cast());
        libc::free(iface.cast());
    }
}
