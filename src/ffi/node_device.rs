//! virNodeDevice* exports: the host and its PCI functions, read in one round trip, looked up and
//! described; passthrough switched on (detach) and off (re-attach); the handles' references.

use crate::abi::flags::{ListNodeDevicesFlags, NoFlags};
use crate::ffi::args::{flags, in_opt_str, in_str, names_out, out};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, NodeDeviceHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{virConnectPtr, virNodeDevicePtr};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

/// How many devices have capability `cap` (all of them for NULL): one round trip.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `cap` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeNumOfDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        flags!(flags as NoFlags)?;
        let devices = c.conn.node_devices_with(in_opt_str!(cap)?, api_name!())?;
        Ok(devices.len() as c_int)
    })
}

/// The names of the devices with capability `cap` (all of them for NULL).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `cap` NULL or a C string; `names` NULL
/// or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeListDevices(
    conn: virConnectPtr,
    cap: *const c_char,
    names: *mut *mut c_char,
    maxnames: c_int,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        flags!(flags as NoFlags)?;
        let devices = c.conn.node_devices_with(in_opt_str!(cap)?, api_name!())?;
        let listed: Vec<&str> = devices.iter().map(|d| d.name.as_str()).collect();
        names_out!(names, (maxnames, "maxnames"), &listed)
    })
}

/// The host (`computer`) and its PCI functions as node devices, read in one round trip
/// (hardware.pciDevice, config.pciPassthruInfo): CAP_SYSTEM and CAP_PCI_DEV filter them, any other
/// capability lists nothing; every device is active, none persistent. A scope above one host is
/// refused.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `devices` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectListAllNodeDevices(
    conn: virConnectPtr,
    devices: *mut *mut virNodeDevicePtr,
    flags: c_uint,
) -> c_int {
    export!(conn conn, -1, |c| {
        let f = flags!(flags as ListNodeDevicesFlags)?;
        let all: Vec<_> = c
            .conn
            .node_devices(api_name!())?
            .into_iter()
            .filter(|d| d.listed_by(f))
            .collect();
        handle_array(out!(devices?), all, |d| NodeDeviceHandle::into_c(c.node_device(d)))
    })
}

/// By libvirt's name: `computer` or `pci_DDDD_BB_SS_F`.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceLookupByName(
    conn: virConnectPtr,
    name: *const c_char,
) -> virNodeDevicePtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let dev = c.conn.node_device(in_str!(name)?, api_name!())?;
        Ok(NodeDeviceHandle::into_c(c.node_device(dev)))
    })
}

/// The device as the host has it now: one round trip.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceGetXMLDesc(
    dev: virNodeDevicePtr,
    flags: c_uint,
) -> *mut c_char {
    export!(nodedev dev, ptr::null_mut(), |d| {
        flags!(flags as NoFlags)?;
        owned_c_string(&d.object().xml(api_name!())?)
    })
}

/// The device's name, owned by the handle.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceGetName(dev: virNodeDevicePtr) -> *const c_char {
    export!(nodedev dev, ptr::null(), |d| Ok(d.name.as_ptr()))
}

/// The parent's name, owned by the handle; NULL without an error for `computer`, the root.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceGetParent(dev: virNodeDevicePtr) -> *const c_char {
    export!(nodedev dev, ptr::null(), |d| {
        Ok(d.parent.as_ref().map_or(ptr::null(), |p| p.as_ptr()))
    })
}

/// 1: a device has one capability, `pci` or `system`.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceNumOfCaps(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, -1, |_d| Ok(1))
}

/// The device's one capability: `pci` or `system`.
///
/// # Safety
/// `dev` is NULL or a node device from this library; `names` NULL or `maxnames` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceListCaps(
    dev: virNodeDevicePtr,
    names: *mut *mut c_char,
    maxnames: c_int,
) -> c_int {
    export!(nodedev dev, -1, |d| {
        names_out!(names, (maxnames, "maxnames"), &[d.dev.capability()])
    })
}

/// The host's devices are always present.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceIsActive(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, -1, |_d| Ok(1))
}

/// None is defined by libvirt: the host's devices are transient in its terms.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceIsPersistent(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, -1, |_d| Ok(0))
}

/// Only defined mediated devices start with their host in libvirt; none here.
///
/// # Safety
/// `dev` is NULL or a node device from this library; `autostart` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceGetAutostart(
    dev: virNodeDevicePtr,
    autostart: *mut c_int,
) -> c_int {
    export!(nodedev dev, -1, |_d| {
        out!(autostart)?.set(0);
        Ok(0)
    })
}

/// Passthrough enabled for the PCI function (libvirt's driver `vfio` is its counterpart, and
/// NULL means the same). Succeeds once the host has it configured; when it takes effect only
/// after the host reboots, a warning is logged and the device's XML shows no driver yet.
///
/// # Safety
/// `dev` is NULL or a node device from this library; `driverName` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceDetachFlags(
    dev: virNodeDevicePtr,
    driverName: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(nodedev dev, write, -1, |d| {
        flags!(flags as NoFlags)?;
        d.object().detach(in_opt_str!(driverName)?, api_name!())?;
        Ok(0)
    })
}

/// libvirt's first spelling of virNodeDeviceDetachFlags(dev, NULL, 0).
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceDettach(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, write, -1, |d| {
        d.object().detach(None, api_name!())?;
        Ok(0)
    })
}

/// Passthrough disabled: the host's driver takes the function back (after a reboot when the
/// host says so, logged as a warning).
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceReAttach(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, write, -1, |d| {
        d.object().reattach(api_name!())?;
        Ok(0)
    })
}

/// Takes another reference on the node device handle; no round trip.
///
/// # Safety
/// `dev` is NULL or a node device from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceRef(dev: virNodeDevicePtr) -> c_int {
    export!(nodedev dev, -1, |d| {
        d.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the device is untouched).
///
/// # Safety
/// `dev` is NULL or a node device from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virNodeDeviceFree(dev: virNodeDevicePtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { NodeDeviceHandle::borrow(dev, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { NodeDeviceHandle::release(dev) };
        Ok(0)
    })
}
