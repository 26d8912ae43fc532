//! virConnectNetworkEvent* and virConnectStoragePoolEvent* exports: registrations whose
//! callbacks the driver's event queue calls from the application's event loop (see
//! `driver::events`), each given a network or pool handle valid for the call.

use crate::driver::events::{Callback, EventId, Family};
use crate::error::{Error, Result};
use crate::ffi::event::Held;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, NetworkHandle, PoolHandle};
use crate::ffi::types::{
    virConnectNetworkEventGenericCallback, virConnectPtr,
    virConnectStoragePoolEventGenericCallback, virFreeCallback, virNetworkPtr, virStoragePoolPtr,
};
use crate::xml::ids::Uuid;
use std::ffi::{c_int, c_void};

type NetGeneric = unsafe extern "C" fn(virConnectPtr, virNetworkPtr, *mut c_void);
type NetLifecycle = unsafe extern "C" fn(virConnectPtr, virNetworkPtr, c_int, c_int, *mut c_void);
type PoolGeneric = unsafe extern "C" fn(virConnectPtr, virStoragePoolPtr, *mut c_void);
type PoolLifecycle =
    unsafe extern "C" fn(virConnectPtr, virStoragePoolPtr, c_int, c_int, *mut c_void);

fn network_callback(held: Held, cb: NetGeneric) -> Callback {
    Callback::Network(Box::new(move |ev| {
        held.with_conn(|c, connp| {
            let net = NetworkHandle::into_c(c.network(ev.net.clone()));
            // SAFETY: only LIFECYCLE fires, and its callback has the lifecycle type, as
            // VIR_NETWORK_EVENT_CALLBACK cast it.
            let f = unsafe { std::mem::transmute::<NetGeneric, NetLifecycle>(cb) };
            // SAFETY: the application's callback with live handles.
            unsafe { f(connp, net, ev.event as c_int, 0, held.ptr()) };
            // SAFETY: the reference taken above, given up once the call is over.
            unsafe { NetworkHandle::release(net) };
        })
    }))
}

fn pool_callback(held: Held, cb: PoolGeneric) -> Callback {
    Callback::Pool(Box::new(move |ev| {
        held.with_conn(|c, connp| {
            let pool = PoolHandle::into_c(c.pool(ev.pool.clone()));
            match ev.event {
                Some(event) => {
                    // SAFETY: a LIFECYCLE registration's callback has the lifecycle type (the
                    // driver delivers each event to its own ID's registrations only).
                    let f = unsafe { std::mem::transmute::<PoolGeneric, PoolLifecycle>(cb) };
                    // SAFETY: the application's callback with live handles.
                    unsafe { f(connp, pool, event as c_int, 0, held.ptr()) };
                }
                // SAFETY: a REFRESH callback has the generic type; live handles.
                None => unsafe { cb(connp, pool, held.ptr()) },
            }
            // SAFETY: the reference taken above, given up once the call is over.
            unsafe { PoolHandle::release(pool) };
        })
    }))
}

/// The UUID of the object a registration is for (none: all of them).
fn filter<H: ArcHandle>(p: *mut H, uuid: impl Fn(&H) -> Uuid, api: &str) -> Result<Option<Uuid>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: per the calling export's contract: NULL or a live handle of this library.
    let h = unsafe { H::borrow(p, api) }?;
    Ok(Some(uuid(h)))
}

/// Lifecycle events (a vSwitch or distributed switch defined, undefined) of `net` (NULL:
/// every network of the scope); METADATA_CHANGE registers and never fires.
///
/// # Safety
/// `conn` is NULL or a connection, `net` NULL or a network from this library; `cb` has the
/// type `eventID` names; `freecb` NULL or a function freeing `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNetworkEventRegisterAny(
    conn: virConnectPtr,
    net: virNetworkPtr,
    eventID: c_int,
    cb: virConnectNetworkEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectNetworkEventRegisterAny must not be NULL"))?;
        let object = filter(net, |h: &NetworkHandle| h.net.uuid, api_name!())?;
        let callback = network_callback(Held::new(c, opaque, freecb), cb);
        let event = EventId::from_raw(Family::Network, eventID)?;
        c.conn.register_event(object, event, callback)
    })
}

/// Ends a network event registration, as virConnectDomainEventDeregisterAny.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectNetworkEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        c.conn.deregister_event(Family::Network, callbackID)?;
        Ok(0)
    })
}

/// Lifecycle events (a datastore mounted or unmounted: DEFINED + STARTED, STOPPED +
/// UNDEFINED) and REFRESH (the datastore's free space recomputed, by anyone) of `pool`
/// (NULL: every pool of the scope).
///
/// # Safety
/// `conn` is NULL or a connection, `pool` NULL or a pool from this library; `cb` has the
/// type `eventID` names; `freecb` NULL or a function freeing `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectStoragePoolEventRegisterAny(
    conn: virConnectPtr,
    pool: virStoragePoolPtr,
    eventID: c_int,
    cb: virConnectStoragePoolEventGenericCallback,
    opaque: *mut c_void,
    freecb: virFreeCallback,
) -> c_int {
    export!(conn conn, -1, |c| {
        let cb = cb.ok_or_else(|| Error::invalid_arg("cb in virConnectStoragePoolEventRegisterAny must not be NULL"))?;
        let object = filter(pool, |h: &PoolHandle| h.pool.uuid, api_name!())?;
        let callback = pool_callback(Held::new(c, opaque, freecb), cb);
        let event = EventId::from_raw(Family::Pool, eventID)?;
        c.conn.register_event(object, event, callback)
    })
}

/// Ends a storage pool event registration, as virConnectDomainEventDeregisterAny.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnectStoragePoolEventDeregisterAny(
    conn: virConnectPtr,
    callbackID: c_int,
) -> c_int {
    export!(conn conn, -1, |c| {
        c.conn.deregister_event(Family::Pool, callbackID)?;
        Ok(0)
    })
}
