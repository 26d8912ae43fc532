//! virEvent* exports: the default loop, an application's own loop (virEventRegisterImpl),
//! and registrations on whichever is current. C callbacks become `event::HandleFn` /
//! `TimeoutFn` boxes whose drop runs the C free callback; Rust boxes handed to a C loop
//! travel as opaque pointers through the trampolines below.

use crate::error::{Code, Domain, Error};
use crate::event::poll::PollLoop;
use crate::event::{self, HandleFd, HandleFn, Loop, TimeoutFn};
use crate::ffi::export::export;
use crate::ffi::handles::{ArcHandle, ConnectHandle};
use crate::ffi::types::{
    virConnectPtr, virEventAddHandleFunc, virEventAddTimeoutFunc, virEventHandleCallback,
    virEventRemoveHandleFunc, virEventRemoveTimeoutFunc, virEventTimeoutCallback,
    virEventUpdateHandleFunc, virEventUpdateTimeoutFunc, virFreeCallback,
};
use std::ffi::{c_int, c_void};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A C caller's opaque pointer and free callback, freed when the registration goes. Armed
/// only once the loop accepted the registration: libvirt frees nothing it refused.
pub(crate) struct Opaque {
    opaque: *mut c_void,
    ff: virFreeCallback,
    armed: AtomicBool,
}

// SAFETY: libvirt hands opaque pointers to whichever thread runs the loop; the caller
// promises they may be used there (the same contract as libvirt's).
unsafe impl Send for Opaque {}
// SAFETY: shared only to arm the free callback (an atomic); the pointer is only passed on.
unsafe impl Sync for Opaque {}

impl Opaque {
    pub(crate) fn new(opaque: *mut c_void, ff: virFreeCallback) -> Arc<Opaque> {
        Arc::new(Opaque {
            opaque,
            ff,
            armed: AtomicBool::new(false),
        })
    }

    /// For a registration that cannot be refused once made: armed at once.
    pub(crate) fn armed(opaque: *mut c_void, ff: virFreeCallback) -> Arc<Opaque> {
        let o = Opaque::new(opaque, ff);
        o.accepted(0);
        o
    }

    pub(crate) fn ptr(&self) -> *mut c_void {
        self.opaque
    }

    /// The loop's answer to a registration: an id arms the free callback.
    pub(crate) fn accepted(&self, id: c_int) -> c_int {
        if id >= 0 {
            self.armed.store(true, Ordering::SeqCst);
        }
        id
    }
}

impl Drop for Opaque {
    fn drop(&mut self) {
        if let Some(ff) = self.ff.filter(|_| self.armed.load(Ordering::SeqCst)) {
            // SAFETY: the free callback was given for this pointer, and runs once.
            unsafe { ff(self.opaque) }
        }
    }
}

/// What a registration made on a connection keeps: the caller's opaque data and, as each of
/// libvirt's registrations does, a reference on the connection, so that virConnectClose leaves
/// the connection open (returning the references left) while registrations exist. The fields
/// drop in this order: the free callback runs while the connection is alive, and may use it.
pub(crate) struct Held {
    opaque: Arc<Opaque>,
    conn: Arc<ConnectHandle>,
}

impl Held {
    pub(crate) fn new(c: &ConnectHandle, opaque: *mut c_void, ff: virFreeCallback) -> Held {
        Held {
            opaque: Opaque::armed(opaque, ff),
            conn: c.arc(),
        }
    }

    pub(crate) fn ptr(&self) -> *mut c_void {
        self.opaque.ptr()
    }

    /// Runs `call` with a C pointer to the connection, a reference held for the call only (a
    /// callback keeping the connection takes its own).
    pub(crate) fn with_conn(&self, call: impl FnOnce(&ConnectHandle, virConnectPtr)) {
        let connp = ConnectHandle::into_c(self.conn.clone());
        call(&self.conn, connp);
        // SAFETY: the reference taken above, given up once the call is over.
        unsafe { ConnectHandle::release(connp) };
    }
}

fn c_handle(
    cb: unsafe extern "C" fn(c_int, c_int, c_int, *mut c_void),
    o: Arc<Opaque>,
) -> HandleFn {
    // SAFETY: the callback was registered for this pointer.
    Box::new(move |watch, fd, events| unsafe { cb(watch, fd, events, o.ptr()) })
}

fn c_timeout(cb: unsafe extern "C" fn(c_int, *mut c_void), o: Arc<Opaque>) -> TimeoutFn {
    // SAFETY: the callback was registered for this pointer.
    Box::new(move |timer| unsafe { cb(timer, o.ptr()) })
}

/// A descriptor a C caller watches through virEventAddHandle; the caller keeps it open.
struct CallerFd(RawFd);

impl AsFd for CallerFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        // SAFETY: virEventAddHandle's contract: the fd (checked >= 0) is the caller's and stays
        // open until the caller removes the handle, and the loop drops this once removed.
        unsafe { BorrowedFd::borrow_raw(self.0) }
    }
}

/// An application's loop, as its six C functions.
struct CLoop {
    add_handle: virEventAddHandleFunc,
    update_handle: virEventUpdateHandleFunc,
    remove_handle: virEventRemoveHandleFunc,
    add_timeout: virEventAddTimeoutFunc,
    update_timeout: virEventUpdateTimeoutFunc,
    remove_timeout: virEventRemoveTimeoutFunc,
}

unsafe extern "C" fn run_handle(watch: c_int, fd: c_int, events: c_int, opaque: *mut c_void) {
    // SAFETY: `opaque` is the HandleFn box CLoop::add_handle made, alive until freed.
    let cb = unsafe { &mut *opaque.cast::<HandleFn>() };
    let _ = catch_unwind(AssertUnwindSafe(|| cb(watch, fd, events)));
}

unsafe extern "C" fn run_timeout(timer: c_int, opaque: *mut c_void) {
    // SAFETY: `opaque` is the TimeoutFn box CLoop::add_timeout made, alive until freed.
    let cb = unsafe { &mut *opaque.cast::<TimeoutFn>() };
    let _ = catch_unwind(AssertUnwindSafe(|| cb(timer)));
}

/// The free callback of a box `boxed` made: a `HandleFn` or a `TimeoutFn`.
unsafe extern "C" fn free_box<T>(opaque: *mut c_void) {
    // SAFETY: made by Box::into_raw in `boxed` for this T; the loop frees it once.
    drop(unsafe { Box::from_raw(opaque.cast::<T>()) });
}

/// Hands `cb` to an application's add function as a box and its free callback; `add`
/// gives the id, or a refusal, after which the box is freed here (the loop keeps no
/// pointer to it).
fn boxed<T>(cb: T, add: impl FnOnce(*mut c_void, virFreeCallback) -> c_int) -> c_int {
    let p = Box::into_raw(Box::new(cb)).cast::<c_void>();
    let id = add(p, Some(free_box::<T>));
    if id < 0 {
        // SAFETY: refused, so the box is still ours alone.
        unsafe { free_box::<T>(p) };
    }
    id
}

// SAFETY: the application's loop functions may be called from any thread, as libvirt calls
// them (its documentation requires it of every implementation).
unsafe impl Send for CLoop {}
// SAFETY: as Send: the functions are plain pointers the loop allows calling concurrently.
unsafe impl Sync for CLoop {}

impl Loop for CLoop {
    fn add_handle(&self, fd: HandleFd, events: i32, mut cb: HandleFn) -> i32 {
        let Some(add) = self.add_handle else {
            return -1;
        };
        let raw = fd.as_fd().as_raw_fd();
        // the callback holds the file, so it stays open until the application frees the box
        let held: HandleFn = Box::new(move |watch, n, events| {
            let _ = &fd;
            cb(watch, n, events)
        });
        // SAFETY: the application's function, given our trampoline, its box and free.
        boxed(held, |p, ff| unsafe {
            add(raw, events, Some(run_handle), p, ff)
        })
    }

    fn update_handle(&self, watch: i32, events: i32) {
        if let Some(update) = self.update_handle {
            // SAFETY: the application's function.
            unsafe { update(watch, events) }
        }
    }

    fn remove_handle(&self, watch: i32) -> i32 {
        // SAFETY: the application's function.
        self.remove_handle
            .map_or(-1, |remove| unsafe { remove(watch) })
    }

    fn add_timeout(&self, ms: i32, cb: TimeoutFn) -> i32 {
        let Some(add) = self.add_timeout else {
            return -1;
        };
        // SAFETY: the application's function, given our trampoline, its box and free.
        boxed(cb, |p, ff| unsafe { add(ms, Some(run_timeout), p, ff) })
    }

    fn update_timeout(&self, timer: i32, ms: i32) {
        if let Some(update) = self.update_timeout {
            // SAFETY: the application's function.
            unsafe { update(timer, ms) }
        }
    }

    fn remove_timeout(&self, timer: i32) -> i32 {
        // SAFETY: the application's function.
        self.remove_timeout
            .map_or(-1, |remove| unsafe { remove(timer) })
    }
}

fn event_error(detail: impl Into<String>) -> Error {
    Error::new(Code::InternalError, Domain::Event, detail)
}

/// Nothing to set up: every call initializes what it needs.
#[unsafe(no_mangle)]
pub extern "C" fn virInitialize() -> c_int {
    0
}

/// Makes this library's poll loop the one registrations use; run it with
/// virEventRunDefaultImpl.
#[unsafe(no_mangle)]
pub extern "C" fn virEventRegisterDefaultImpl() -> c_int {
    export!(-1, || {
        let l = PollLoop::default_loop()
            .map_err(|e| event_error(format!("Unable to create the event loop: {e}")))?;
        event::register(l);
        Ok(0)
    })
}

/// One iteration of the default loop: waits for a handle or timeout and runs the callbacks
/// that are due, in this thread.
#[unsafe(no_mangle)]
pub extern "C" fn virEventRunDefaultImpl() -> c_int {
    export!(-1, || {
        let l = PollLoop::default_loop()
            .map_err(|e| event_error(format!("Unable to create the event loop: {e}")))?;
        l.run_once()
            .map_err(|e| event_error(format!("Unable to poll on file handles: {e}")))?;
        Ok(0)
    })
}

/// Registers the application's own loop (functions may be NULL: those registrations fail).
///
/// # Safety
/// The functions are NULL or behave as libvirt documents for an event implementation.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEventRegisterImpl(
    addHandle: virEventAddHandleFunc,
    updateHandle: virEventUpdateHandleFunc,
    removeHandle: virEventRemoveHandleFunc,
    addTimeout: virEventAddTimeoutFunc,
    updateTimeout: virEventUpdateTimeoutFunc,
    removeTimeout: virEventRemoveTimeoutFunc,
) {
    event::register(Arc::new(CLoop {
        add_handle: addHandle,
        update_handle: updateHandle,
        remove_handle: removeHandle,
        add_timeout: addTimeout,
        update_timeout: updateTimeout,
        remove_timeout: removeTimeout,
    }));
}

/// A watch on `fd` in the registered loop; -1 when none is registered (as libvirt).
///
/// # Safety
/// `cb` is NULL or a callback that may be called with `opaque` from the loop's thread; `ff`
/// NULL or a function freeing `opaque`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEventAddHandle(
    fd: c_int,
    events: c_int,
    cb: virEventHandleCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    match (event::current(), cb) {
        (Some(l), Some(cb)) if fd >= 0 => {
            let o = Opaque::new(opaque, ff);
            o.accepted(l.add_handle(Arc::new(CallerFd(fd)), events, c_handle(cb, o.clone())))
        }
        _ => -1,
    }
}

/// Changes a watched descriptor's events in the registered event loop (libvirt's default
/// implementation or the application's own).
#[unsafe(no_mangle)]
pub extern "C" fn virEventUpdateHandle(watch: c_int, events: c_int) {
    if let Some(l) = event::current() {
        l.update_handle(watch, events);
    }
}

/// Stops watching a descriptor in the registered event loop; -1 when the watch is unknown.
#[unsafe(no_mangle)]
pub extern "C" fn virEventRemoveHandle(watch: c_int) -> c_int {
    event::current().map_or(-1, |l| l.remove_handle(watch))
}

/// A timer in the registered loop, every `timeout` ms (0: every iteration, -1: disabled);
/// -1 when no loop is registered.
///
/// # Safety
/// As virEventAddHandle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEventAddTimeout(
    timeout: c_int,
    cb: virEventTimeoutCallback,
    opaque: *mut c_void,
    ff: virFreeCallback,
) -> c_int {
    match (event::current(), cb) {
        (Some(l), Some(cb)) => {
            let o = Opaque::new(opaque, ff);
            o.accepted(l.add_timeout(timeout, c_timeout(cb, o.clone())))
        }
        _ => -1,
    }
}

/// Changes a timer's period in the registered event loop (-1 disables it, 0 fires at every
/// iteration).
#[unsafe(no_mangle)]
pub extern "C" fn virEventUpdateTimeout(timer: c_int, timeout: c_int) {
    if let Some(l) = event::current() {
        l.update_timeout(timer, timeout);
    }
}

/// Removes a timer from the registered event loop; -1 when the timer is unknown.
#[unsafe(no_mangle)]
pub extern "C" fn virEventRemoveTimeout(timer: c_int) -> c_int {
    event::current().map_or(-1, |l| l.remove_timeout(timer))
}
