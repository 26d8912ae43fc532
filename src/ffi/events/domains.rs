//! virConnectDomainEvent* exports: registrations whose callbacks the driver's event queue
//! calls from the application's event loop (see `driver::events`), each given a domain
//! handle valid for the call, as libvirt gives one.

use crate::abi::enums::virDomainEventID;
use crate::driver::events::{Callback, Deliver, DomainEvent, EventId, EventKind, Family};
use crate::error::{Error, Result};
use crate::ffi::event::Held;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, ConnectHandle, DomainHandle};
use crate::ffi::typed_params::{Builder, virTypedParamsFree};
use crate::ffi::types::virTypedParameter;
use crate::ffi::types::{
    virConnectDomainEventCallback, virConnectDomainEventGenericCallback, virConnectPtr,
    virDomainPtr, virFreeCallback,
};
use std::ffi::{CString, c_char, c_int, c_void};

type Generic = unsafe extern "C" fn(virConnectPtr, virDomainPtr, *mut c_void);
type Lifecycle =
    unsafe extern "C" fn(virConnectPtr, virDomainPtr, c_int, c_int, *mut c_void) -> c_int;
type Device = unsafe extern "C" fn(virConnectPtr, virDomainPtr, *const c_char, *mut c_void);
type Tunable =
    unsafe extern "C" fn(virConnectPtr, virDomainPtr, *mut virTypedParameter, c_int, *mut c_void);

/// Calls the application's callback with the type its event ID names, as libvirt does.
///
/// # Safety
/// `cb` was registered for `ev`'s event ID (the driver delivers only those), so it has the
/// type that ID names; the handles are live.
unsafe fn call(cb: Generic, c: virConnectPtr, d: virDomainPtr, ev: &DomainEvent, o: *mut c_void) {
    match &ev.kind {
        EventKind::Lifecycle(l) => {
            let (event, detail) = l.numbers();
            // SAFETY: a lifecycle registration's callback has the lifecycle type.
            let f = unsafe { std::mem::transmute::<Generic, Lifecycle>(cb) };
            // SAFETY: as above, with live handles.
            unsafe { f(c, d, event, detail, o) };
        }
        // SAFETY: a reboot callback has the generic type.
        EventKind::Reboot => unsafe { cb(c, d, o) },
        EventKind::DeviceAdded(alias) | EventKind::DeviceRemoved(alias) => {
            let Ok(alias) = CString::new(alias.as_str()) else {
                return;
            };
            // SAFETY: a device callback has the device-alias type.
            let f = unsafe { std::mem::transmute::<Generic, Device>(cb) };
            // SAFETY: as above; the alias lives until the call returns.
            unsafe { f(c, d, alias.as_ptr(), o) };
        }
        EventKind::Tunable(values) => {
            let built = values
                .iter()
                .fold(Builder::default(), |b, (k, v)| b.add(k.as_str(), v.clone()));
            let Ok((params, n)) = built.into_malloc() else {
                return;
            };
            let p = params.into_raw();
            // SAFETY: a tunable callback has the tunable type.
            let f = unsafe { std::mem::transmute::<Generic, Tunable>(cb) };
            // SAFETY: as above, with `n` parameters made here.
            unsafe { f(c, d, p, n as c_int, o) };
            // SAFETY: the parameters made above, freed once the call is over, as libvirt does.
            unsafe { virTypedParamsFree(p, n as c_int) };
        }
    }
}

/// The callback side of a registration: called with a domain reference held for the call
/// only; the registration itself holds the connection (see `Held`).
fn deliver(held: Held, cb: Generic) -> Deliver {
    Box::new(move |ev| {
        held.with_conn(|c, connp| {
            let dom = DomainHandle::into_c(c.domain(ev.vm.clone()));
            // SAFETY: the application's callback, registered for this opaque pointer and this
            // event's ID, with two live handles (a callback keeping one takes its own reference).
            unsafe { call(cb, connp, dom, ev, held.ptr()) };
            // SAFETY: the reference taken above, given up once the call is over.
            unsafe { DomainHandle::release(dom) };
        })
    })
}

fn register(
    api: &str,
    c: &ConnectHandle,
    dom: virDomainPtr,
    event_id: c_int,
    cb: Generic,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> Result<c_int> {
    let filter = match dom.is_null() {
        true => None,
        // SAFETY: per the calling export's contract.
        false => Some(unsafe { DomainHandle::borrow(dom, api) }?.dom.cached().uuid),
    };
    let held = Held::new(c, opaque, freecb);
    let event = EventId::from_raw(Family::Domain, event_id)?;
    c.conn
        .register_event(filter, event, Callback::Domain(deliver(held, cb)))
}

/// Events of `eventID` for `dom` (NULL: every domain of the connection's scope); the
/// callback is cast to the event's own type, as VIR_DOMAIN_EVENT_CALLBACK does. LIFECYCLE,
/// REBOOT, DEVICE_ADDED, DEVICE_REMOVED and TUNABLE fire; every other ID registers and never fires
/// (vSphere cannot produce it).
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
        register(api_name!(), c, dom, eventID, cb, opaque, freecb)
    })
}

/// Ends a domain event registration: its callbacks stop, its opaque data is freed, and it gives
/// back its reference on the connection.
///
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
        // SAFETY: the legacy callback is a lifecycle one; `call` casts it back to that type.
        let generic = unsafe { std::mem::transmute::<Lifecycle, Generic>(cb) };
        let id = register(api_name!(), c, std::ptr::null_mut(), lifecycle, generic, opaque, freecb)?;
        legacy.push((cb as usize, id));
        Ok(0)
    })
}

/// Ends the original-API domain event registration of this callback, as
/// virConnectDomainEventDeregisterAny.
///
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
