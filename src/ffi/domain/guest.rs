//! Guest information through the C API (VMware Tools in the guest): hostname, interface
//! addresses, the typed guest report and file systems, with the structs C frees.

use crate::abi::flags::{GuestInfoTypes, HostnameFlags, NoFlags};
use crate::abi::virIPAddrType;
use crate::driver::domain::guest::{AddressSource, Interface};
use crate::driver::domain::guest_report::FileSystem;
use crate::error::Result;
use crate::ffi::args::{flags, out};
use crate::ffi::export::export;
use crate::ffi::malloc::{MallocArray, MallocStr, owned_c_string};
use crate::ffi::typed_params::Builder;
use crate::ffi::types::{
    virDomainFSInfo, virDomainFSInfoPtr, virDomainIPAddress, virDomainInterface,
    virDomainInterfacePtr, virDomainPtr, virTypedParameterPtr,
};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// The guest's host name as VMware Tools report it (`guest.hostName`): one round trip;
/// VIR_ERR_AGENT_UNRESPONSIVE when Tools do not run.
///
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
        out.set(built_array(&list, c_interface, free_interface)?.into_raw());
        Ok(list.len() as c_int)
    })
}

/// A malloc'd array of structs built one by one by `make`; a failure frees (with `free`)
/// those already built, so nothing is handed to C half made.
fn built_array<T, S>(
    items: &[T],
    make: fn(&T) -> Result<*mut S>,
    free: unsafe fn(*mut S),
) -> Result<MallocArray<*mut S>> {
    let mut arr = MallocArray::<*mut S>::zeroed(items.len())?;
    for (i, item) in items.iter().enumerate() {
        match make(item) {
            Ok(p) => arr.as_mut_slice()[i] = p,
            Err(e) => {
                for p in &arr.as_mut_slice()[..i] {
                    // SAFETY: built by `make` above and not handed to C.
                    unsafe { free(*p) };
                }
                return Err(e);
            }
        }
    }
    Ok(arr)
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

/// Frees a `virDomainInterface` from virDomainInterfaceAddresses (NULL is ignored).
///
/// # Safety
/// `iface` is NULL or an interface from virDomainInterfaceAddresses.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainInterfaceFree(iface: virDomainInterfacePtr) {
    if !iface.is_null() {
        // SAFETY: per the contract, from virDomainInterfaceAddresses, i.e. from c_interface.
        unsafe { free_interface(iface) };
    }
}

/// What VMware Tools report of the running guest, as typed parameters in libvirt's names
/// (see `GuestReport::params`); `types` 0 asks for every group Tools report.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `params` and `nparams` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetGuestInfo(
    domain: virDomainPtr,
    types: c_uint,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        let groups = flags!(types as GuestInfoTypes)?.reported()?;
        let (out_params, count) = (out!(params)?, out!(nparams)?);
        let report = d.dom.guest_report()?;
        let (arr, n) = Builder::from(report.params(groups)).into_malloc()?;
        out_params.set(arr.into_raw());
        count.set(n as c_int);
        Ok(0)
    })
}

/// The guest's file systems as VMware Tools report them, each with the targets of the
/// virtual disks it lives on; vSphere names no guest device, so `name` is empty.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetFSInfo(
    dom: virDomainPtr,
    info: *mut *mut virDomainFSInfoPtr,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        flags!(flags as NoFlags)?;
        let out = out!(info)?;
        let list = d.dom.guest_report()?.filesystems;
        out.set(built_array(&list, c_fs_info, free_fs_info)?.into_raw());
        Ok(list.len() as c_int)
    })
}

/// A malloc'd `virDomainFSInfo` for C, all of it allocated before any is handed over.
fn c_fs_info(fs: &FileSystem) -> Result<virDomainFSInfoPtr> {
    let (mountpoint, name) = (MallocStr::new(&fs.mountpoint)?, MallocStr::new("")?);
    let fstype = MallocStr::new(&fs.fstype)?;
    let aliases = fs
        .disks
        .iter()
        .map(|d| MallocStr::new(d))
        .collect::<Result<Vec<_>>>()?;
    let mut alias_array = MallocArray::<*mut c_char>::zeroed(aliases.len())?;
    let mut it = MallocArray::<virDomainFSInfo>::zeroed(1)?;
    for (slot, a) in alias_array.as_mut_slice().iter_mut().zip(aliases) {
        *slot = a.into_raw();
    }
    it.as_mut_slice()[0] = virDomainFSInfo {
        mountpoint: mountpoint.into_raw(),
        name: name.into_raw(),
        fstype: fstype.into_raw(),
        ndevAlias: fs.disks.len(),
        devAlias: alias_array.into_raw(),
    };
    Ok(it.into_raw())
}

/// Frees a struct built by `c_fs_info`.
///
/// # Safety
/// `info` came from `c_fs_info` and is not used afterwards.
unsafe fn free_fs_info(info: virDomainFSInfoPtr) {
    // SAFETY: a live struct built by c_fs_info, per the contract.
    let it = unsafe { *info };
    if !it.devAlias.is_null() {
        // SAFETY: c_fs_info made `ndevAlias` strings there.
        for a in unsafe { std::slice::from_raw_parts(it.devAlias, it.ndevAlias) } {
            // SAFETY: each malloc'd (MallocStr).
            unsafe { libc::free(a.cast()) };
        }
    }
    for p in [
        it.devAlias.cast(),
        it.mountpoint.cast(),
        it.name.cast(),
        it.fstype.cast(),
        info.cast::<libc::c_void>(),
    ] {
        // SAFETY: each malloc'd by c_fs_info and freed once here.
        unsafe { libc::free(p) };
    }
}

/// Frees a `virDomainFSInfo` from virDomainGetFSInfo (NULL is ignored).
///
/// # Safety
/// `info` is NULL or one entry of virDomainGetFSInfo's answer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainFSInfoFree(info: virDomainFSInfoPtr) {
    if !info.is_null() {
        // SAFETY: per the contract, from virDomainGetFSInfo, i.e. from c_fs_info.
        unsafe { free_fs_info(info) };
    }
}
