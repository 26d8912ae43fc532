//! Node device and secret event registrations. vSphere has neither kind of object, so these
//! register (programs that register every kind keep working) and never fire; the opaque data
//! is freed on deregistration, and until then, as in libvirt, each holds a connection reference.

use crate::error::{Code, Error, Result};
use crate::event;
use crate::ffi::event::Held;
use crate::ffi::export::export;
use crate::ffi::handles::ConnectHandle;
use crate::ffi::types::{
    virConnectNodeDeviceEventGenericCallback, virConnectPtr, virConnectSecretEventGenericCallback,
    virFreeCallback, virNodeDevicePtr, virSecretPtr,
};
use std::ffi::{c_int, c_void};

/// The last id given, and the registrations with their opaque data.
pub(crate) type Registrations = (i32, Vec<(i32, Held)>);

/// Both kinds define two event IDs (LIFECYCLE 0 and UPDATE / VALUE_CHANGED 1).
const IDS: c_int = 2;

fn register(
    c: &ConnectHandle,
    object_given: bool,
    event_id: c_int,
    has_cb: bool,
    opaque: *mut c_void,
    freecb: virFreeCallback,
    what: &str,
) -> Result<c_int> {
    if object_given {
        return Err(Error::esx(
            Code::InvalidArg,
            format!("vSphere has no {what} objects; register with a NULL {what}"),
        ));
    }
    if !has_cb {
        return Err(Error::invalid_arg(format!(
            "a {what} event callback must not be NULL"
        )));
    }
    if !(0..IDS).contains(&event_id) {
        return Err(Error::invalid_arg(format!(
            "unsupported event ID {event_id}"
        )));
    }
    if event::current().is_none() {
        return Err(Error::esx(
            Code::OperationInvalid,
            "no event loop is registered: call virEventRegisterDefaultImpl (or \
             virEventRegisterImpl) before registering for events",
        ));
    }
    let held = Held::new(c, opaque, freecb);
    let mut regs = c.silent_events.lock().unwrap_or_else(|p| p.into_inner());
    regs.0 += 1;
    let id = regs.0;
    regs.1.push((id, held));
    Ok(id)
}

fn deregister(c: &ConnectHandle, id: c_int) -> Result<c_int> {
    let gone = {
        let mut regs = c.silent_events.lock().unwrap_or_else(|p| p.into_inner());
        let at = regs.1.iter().position(|(i, _)| *i == id).ok_or_else(|| {
            Error::invalid_arg(format!("could not find event callback {id} for deletion"))
        })?;
        regs.1.remove(at)
    };
    drop(gone); // frees the opaque data, then the connection reference, outside the lock
    Ok(0)
}

/// Registers and never fires: vSphere has no node devices.
///
/// # Safety
/// `conn` is NULL or a connection from this library; `freecb` NULL or a function freeing
/// `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNodeDeviceEventRegisterAny(
    conn: virConnectPtr,
    dev: virNodeDevicePtr,
    eventID: c_int,
    cb: virConnectNodeDeviceEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| register(c, !dev.is_null(), eventID, cb.is_some(), opaque, freecb, "node device"))
}

/// Ends a node device event registration (which never fires: vSphere adds no host devices while it
/// runs); its opaque data is freed.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNodeDeviceEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    export!(conn conn, -1, |c| deregister(c, callbackID))
}

/// Registers and never fires: vSphere keeps no secrets for libvirt.
///
/// # Safety
/// As virConnectNodeDeviceEventRegisterAny.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectSecretEventRegisterAny(
    conn: virConnectPtr,
    secret: virSecretPtr,
    eventID: c_int,
    cb: virConnectSecretEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| register(c, !secret.is_null(), eventID, cb.is_some(), opaque, freecb, "secret"))
}

/// Ends a secret event registration (which never fires: vSphere has no secrets); its opaque data is
/// freed.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectSecretEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    export!(conn conn, -1, |c| deregister(c, callbackID))
}
