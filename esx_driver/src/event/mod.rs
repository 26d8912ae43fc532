//! libvirt's event loop contract: file handles and timeouts served by the loop the
//! application registered, this library's own poll loop (`poll`) or one of its own.
//!
//! Everything here is safe Rust over boxed callbacks and shared files; the C side
//! (`ffi::event`) turns C callbacks, their opaque pointers and raw descriptors into these and back. Dropping a box is
//! libvirt's "free callback": it happens once the handle or timeout is removed and no
//! longer running.

pub mod poll;
pub(crate) mod wakeup;

use std::os::fd::AsFd;
use std::sync::{Arc, RwLock};

/// The file a handle watches, shared with the loop so that it stays open as long as the
/// handle is registered (a C caller's raw descriptor is wrapped as one in `ffi::event`).
pub type HandleFd = Arc<dyn AsFd + Send + Sync>;

/// Called with (watch, fd, events) when the fd is ready.
pub type HandleFn = Box<dyn FnMut(i32, i32, i32) + Send>;
/// Called with the timer's id when it fires.
pub type TimeoutFn = Box<dyn FnMut(i32) + Send>;

/// An event loop as libvirt sees one (virEventRegisterImpl's six functions).
pub trait Loop: Send + Sync {
    /// A watch id (> 0) for `fd`, or -1.
    fn add_handle(&self, fd: HandleFd, events: i32, cb: HandleFn) -> i32;
    /// Changes the events a watch waits for.
    fn update_handle(&self, watch: i32, events: i32);
    /// 0, or -1 for an unknown watch.
    fn remove_handle(&self, watch: i32) -> i32;
    /// A timer id (> 0) firing every `ms` milliseconds (0: every iteration, -1: disabled).
    fn add_timeout(&self, ms: i32, cb: TimeoutFn) -> i32;
    /// Changes a timer's period (as `add_timeout`'s `ms`).
    fn update_timeout(&self, timer: i32, ms: i32);
    /// 0, or -1 for an unknown timer.
    fn remove_timeout(&self, timer: i32) -> i32;
}

static CURRENT: RwLock<Option<Arc<dyn Loop>>> = RwLock::new(None);

/// Makes `l` the loop every later registration uses (libvirt keeps the first one in
/// practice; a later call replaces it, as virEventRegisterImpl does).
pub fn register(l: Arc<dyn Loop>) {
    *CURRENT.write().unwrap_or_else(|p| p.into_inner()) = Some(l);
}

/// The registered loop, if the application registered one.
pub fn current() -> Option<Arc<dyn Loop>> {
    CURRENT.read().unwrap_or_else(|p| p.into_inner()).clone()
}
