//! virStreamEventAddCallback, Update and Remove: a non-blocking stream's callback runs from the
//! registered event loop, on a timer that each change of the transfer arms.

use crate::abi::enums::virStreamEventType as E;
use crate::error::{Code, Error};
use crate::event;
use crate::ffi::event::Opaque;
use crate::ffi::export::{api_name, export, null_arg};
use crate::ffi::handles::{ArcHandle, StreamEvents, StreamHandle};
use crate::ffi::types::{virFreeCallback, virStreamEventCallback, virStreamPtr};
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, MutexGuard, TryLockError};

/// How soon to look again while another thread's call holds the transfer (a blocking Finish).
const BUSY_RETRY_MS: i32 = 10;

fn events(s: &StreamHandle) -> MutexGuard<'_, Option<StreamEvents>> {
    s.events.lock().unwrap_or_else(|p| p.into_inner())
}

fn none_registered() -> Error {
    Error::internal("no stream callback registered")
}

/// The events of `wanted` the stream meets now; `None` while a call holds the transfer.
fn due(s: &StreamHandle, wanted: c_int) -> Option<c_int> {
    let (readable, writable) = match s.transfer.try_lock() {
        Ok(t) => t.ready(),
        Err(TryLockError::Poisoned(p)) => p.into_inner().ready(),
        Err(TryLockError::WouldBlock) => return None,
    };
    let mut due = 0;
    if readable {
        due |= E::VIR_STREAM_EVENT_READABLE as c_int;
    }
    if writable {
        due |= E::VIR_STREAM_EVENT_WRITABLE as c_int;
    }
    Some(due & wanted)
}

/// Registers `cb` for `events` of a stream; it runs from the loop while the stream meets them
/// (level-triggered, as libvirt's). The registration holds a reference on the stream until it
/// is removed; `ff` frees `opaque` then.
///
/// # Safety
/// `stream` is NULL or a stream from this library; `cb` a valid callback or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamEventAddCallback(
    stream: virStreamPtr,
    events: c_int,
    cb: virStreamEventCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    export!(stream stream, -1, |s| {
        let cb = cb.ok_or_else(|| null_arg("cb", api_name!()))?;
        let l = event::current().ok_or_else(|| {
            Error::esx(
                Code::OperationInvalid,
                "no event loop is registered: call virEventRegisterDefaultImpl or \
                 virEventRegisterImpl first",
            )
        })?;
        let mut slot = self::events(s);
        if slot.is_some() {
            return Err(Error::internal("multiple stream callbacks not supported"));
        }
        let wanted = Arc::new(AtomicI32::new(events));
        let data = Opaque::new(opaque, ff);
        let (me, looper, want, held) = (s.arc(), l.clone(), wanted.clone(), data.clone());
        let fire = move |timer: i32| {
            // Disarmed first: a change from here on arms it again, so none is missed.
            looper.update_timeout(timer, -1);
            match due(&me, want.load(Ordering::SeqCst)) {
                None => looper.update_timeout(timer, BUSY_RETRY_MS),
                Some(0) => {}
                Some(due) => {
                    looper.update_timeout(timer, 0);
                    let p: virStreamPtr = Arc::as_ptr(&me).cast_mut();
                    // SAFETY: the caller's callback, with the stream this registration holds.
                    unsafe { cb(p, due, data.ptr()) };
                }
            }
        };
        // The free callback is armed only once the loop took the timer.
        let timer = held.accepted(l.add_timeout(0, Box::new(fire)));
        if timer < 0 {
            return Err(Error::internal("the event loop refused the stream's timer"));
        }
        let rearm_loop = l.clone();
        let rearm: crate::driver::storage::transfer::Watcher =
            Arc::new(move || rearm_loop.update_timeout(timer, 0));
        *slot = Some(StreamEvents {
            event_loop: l,
            timer,
            wanted,
            rearm: rearm.clone(),
        });
        drop(slot);
        crate::ffi::storage::transfer::watch(s, Some(rearm));
        Ok(0)
    })
}

/// Changes the events the callback is for.
///
/// # Safety
/// `stream` is NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamEventUpdateCallback(
    stream: virStreamPtr,
    events: c_int,
) -> c_int {
    export!(stream stream, -1, |s| {
        let slot = self::events(s);
        let ev = slot.as_ref().ok_or_else(none_registered)?;
        ev.wanted.store(events, Ordering::SeqCst);
        (ev.rearm)();
        Ok(0)
    })
}

/// Removes the callback; its free callback runs once the loop no longer runs it.
///
/// # Safety
/// `stream` is NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamEventRemoveCallback(stream: virStreamPtr) -> c_int {
    export!(stream stream, -1, |s| {
        let ev = self::events(s).take().ok_or_else(none_registered)?;
        crate::ffi::storage::transfer::watch(s, None);
        ev.event_loop.remove_timeout(ev.timer);
        Ok(0)
    })
}
