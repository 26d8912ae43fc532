//! virConnectDomainEvent* exports: registrations whose callbacks the driver's event queue
//! calls from the application's event loop (see `driver::events`), each given a domain
//! handle valid for the call, as libvirt gives one.

use crate::abi::enums::virDomainEventID;
use crate::error::{Error, Result};
use crate::ffi::event::Opaque;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::types::{
    virConnectDomainEventCallback, virConnectDomainEventGenericCallback, virConnectPtr,
    virDomainPtr, virFreeCallback,
};
use std::ffi::{c_int, c_void};
use std::sync::{Arc, Weak};

type Lifecycle =
    unsafe extern "C" fn(virConnectPtr, virDomainPtr, c_int, c_int, *mut c_void) -> c_int;

/// The callback side of a registration: called with a connection and domain reference held
/// for the call only.
fn deliver(
    conn: Weak<ConnectHandle>,
    cb: Lifecycle,
    o: Arc<Opaque>,
) -> crate::driver::events::Deliver {
    Box::new(move |ev| {
        let Some(c) = conn.upgrade() else { return };
        let dom = DomainHandle::into_c(c.domain(ev.vm.clone(), None));
        let connp = ConnectHandle::into_c(c);
        // SAFETY: the application's callback, registered for this opaque pointer, with two
        // live handles (a callback keeping one takes its own reference).
        unsafe { cb(connp, dom, ev.event, ev.detail, o.ptr()) };
        // SAFETY: the references taken above, given up once the call is over.
        unsafe { DomainHandle::release(dom) };
        // SAFETY: as above.
        unsafe { ConnectHandle::release(connp) };
    })
}

fn register(
    api: &str,
    c: &ConnectHandle,
    dom: virDomainPtr,
    event_id: c_int,
    cb: Lifecycle,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> Result<c_int> {
    let filter = match dom.is_null() {
        true => None,
        // SAFETY: per the calling export's contract.
        false => Some(unsafe { DomainHandle::borrow(dom, api) }?.dom.cached().uuid),
    };
    let o = Opaque::armed(opaque, freecb);
    let weak = Arc::downgrade(&c.arc());
    c.conn
        .register_domain_event(filter, event_id, deliver(weak, cb, o))
}

/// Events of `eventID` for `dom` (NULL: every domain of the connection's scope); the
/// callback is cast to the event's own type, as VIR_DOMAIN_EVENT_CALLBACK does. Lifecycle
/// events fire; every other ID registers and never fires (vSphere cannot produce it).
///
/// # Safety
/// `conn` is NULL or a connection, `dom` NULL or a domain from this library; `cb` has the
/// type `eventID` names; `freecb` NULL or a function freeing `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainEventRegisterAny(
    conn: virConnectPtr,
    dom: virDomainPtr,
    eventID: c_int,
    cb: virConnectDomainEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectDomainEventRegisterAny must not be NULL"))?;
        // SAFETY: libvirt's contract: the callback has the type its event ID names, and
        // only lifecycle callbacks are ever called (with the lifecycle type).
        let cb: Lifecycle = unsafe { std::mem::transmute::<unsafe extern "C" fn(virConnectPtr, virDomainPtr, *mut c_void), Lifecycle>(cb) };
        register(api_name!(), c, dom, eventID, cb, opaque, freecb)
    })
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        c.conn.deregister_domain_event(callbackID)?;
        Ok(0)
    })
}

/// The original lifecycle registration: one per callback function.
///
/// # Safety
/// As virConnectDomainEventRegisterAny, with a lifecycle callback.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainEventRegister(
    conn: virConnectPtr,
    cb: virConnectDomainEventCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectDomainEventRegister must not be NULL"))?;
        let mut legacy = c.legacy_events.lock().unwrap_or_else(|p| p.into_inner());
        if legacy.iter().any(|(f, _)| *f == cb as usize) {
            return Err(Error::invalid_arg("event callback already tracked"));
        }
        let lifecycle = virDomainEventID::VIR_DOMAIN_EVENT_ID_LIFECYCLE as c_int;
        let id = register(api_name!(), c, std::ptr::null_mut(), lifecycle, cb, opaque, freecb)?;
        legacy.push((cb as usize, id));
        Ok(0)
    })
}

/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectDomainEventDeregister(
    conn: virConnectPtr,
    cb: virConnectDomainEventCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectDomainEventDeregister must not be NULL"))?;
        let mut legacy = c.legacy_events.lock().unwrap_or_else(|p| p.into_inner());
        let at = legacy
            .iter()
            .position(|(f, _)| *f == cb as usize)
            .ok_or_else(|| Error::invalid_arg("could not find event callback for removal"))?;
        let (_, id) = legacy.remove(at);
        c.conn.deregister_domain_event(id)?;
        Ok(0)
    })
}
