//! Guest information through the C API (VMware Tools in the guest): hostname and interface
//! addresses, with the interface structs C frees by virDomainInterfaceFree.

use crate::abi::flags::{HostnameFlags, NoFlags};
use crate::abi::virIPAddrType;
use crate::driver::domain::guest::{AddressSource, Interface};
use crate::error::Result;
use crate::ffi::args::{flags, out};
use crate::ffi::export::export;
use crate::ffi::malloc::{MallocArray, MallocStr, owned_c_string};
use crate::ffi::types::{
    virDomainIPAddress, virDomainInterface, virDomainInterfacePtr, virDomainPtr,
};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetHostname(domain: virDomainPtr, flags: c_uint) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |d| {
        flags!(flags as HostnameFlags)?;
        owned_c_string(&d.dom.guest_hostname()?)
    })
}

/// A malloc'd `virDomainInterface` for C. Everything is allocated before anything is handed
/// over, so a failure frees what was built.
fn c_interface(iface: &Interface) -> Result<virDomainInterfacePtr> {
    let name = MallocStr::new(&iface.name)?;
    let hwaddr = MallocStr::new(&iface.hwaddr)?;
    let addrs = iface
        .addrs
        .iter()
        .map(|(_, addr, _)| MallocStr::new(addr))
        .collect::<Result<Vec<_>>>()?;
    let mut addr_array = MallocArray::<virDomainIPAddress>::zeroed(addrs.len())?;
    let mut it = MallocArray::<virDomainInterface>::zeroed(1)?;
    for ((slot, (v6, _, prefix)), addr) in addr_array
        .as_mut_slice()
        .iter_mut()
        .zip(&iface.addrs)
        .zip(addrs)
    {
        *slot = virDomainIPAddress {
            r#type: if *v6 {
                virIPAddrType::VIR_IP_ADDR_TYPE_IPV6
            } else {
                virIPAddrType::VIR_IP_ADDR_TYPE_IPV4
            } as c_int,
            addr: addr.into_raw(),
            prefix: *prefix,
        };
    }
    it.as_mut_slice()[0] = virDomainInterface {
        name: name.into_raw(),
        hwaddr: hwaddr.into_raw(),
        naddrs: iface.addrs.len() as c_uint,
        addrs: addr_array.into_raw(),
    };
    Ok(it.into_raw())
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
    export!(dom dom, -1, |d| {
        flags!(flags as NoFlags)?;
        AddressSource::from_raw(source).check()?;
        let out = out!(ifaces)?;
        let list = d.dom.guest_interfaces()?;
        let mut arr = MallocArray::<virDomainInterfacePtr>::zeroed(list.len())?;
        for (i, iface) in list.iter().enumerate() {
            match c_interface(iface) {
                Ok(p) => arr.as_mut_slice()[i] = p,
                Err(e) => {
                    for p in &arr.as_mut_slice()[..i] {
                        // SAFETY: built above and not handed to C.
                        unsafe { free_interface(*p) };
                    }
                    return Err(e);
                }
            }
        }
        out.set(arr.into_raw());
        Ok(list.len() as c_int)
    })
}

/// Frees an interface built by `c_interface`.
///
/// # Safety
/// `iface` came from `c_interface` and is not used afterwards.
unsafe fn free_interface(iface: virDomainInterfacePtr) {
    // SAFETY: a live struct built by c_interface, per the contract.
    let it = unsafe { *iface };
    if !it.addrs.is_null() {
        // SAFETY: c_interface made `naddrs` addresses there.
        let addrs = unsafe { std::slice::from_raw_parts(it.addrs, it.naddrs as usize) };
        for a in addrs {
            // SAFETY: each address string is malloc'd (MallocStr).
            unsafe { libc::free(a.addr.cast()) };
        }
    }
    for p in [
        it.addrs.cast(),
        it.name.cast(),
        it.hwaddr.cast(),
        iface.cast::<libc::c_void>(),
    ] {
        // SAFETY: each malloc'd by c_interface (MallocArray, MallocStr) and freed once here.
        unsafe { libc::free(p) };
    }
}

/// # Safety
/// `iface` is NULL or an interface from virDomainInterfaceAddresses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainInterfaceFree(iface: virDomainInterfacePtr) {
    if !iface.is_null() {
        // SAFETY: per the contract, from virDomainInterfaceAddresses, i.e. from c_interface.
        unsafe { free_interface(iface) };
    }
}
