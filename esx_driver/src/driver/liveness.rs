//! Connection liveness: keepalive (virConnectSetKeepAlive) and the close callback. A
//! keepalive thread sends CurrentTime every `interval` seconds in which the connection sent
//! nothing else, which also keeps the vSphere session from expiring; `count` failures in a
//! row mark the connection dead and queue the close callback (reason KEEPALIVE) on the
//! application's event loop. The event watcher's long poll failing `ATTEMPTS` times in a row
//! does too, with EOF (no answer) or ERROR (answers refusing it). Closing the connection
//! queues it with reason CLIENT.

use crate::abi::enums::virConnectCloseReason as Reason;
use crate::error::{Code, Error, Result};
use crate::event;
use crate::log::log;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Called once, from the event loop, with the reason the connection closed.
pub(crate) type OnClose = Box<dyn FnOnce(i32) + Send>;

#[derive(Default)]
pub struct Liveness {
    state: Mutex<State>,
    dead: AtomicBool,
}

#[derive(Default)]
struct State {
    keepalive: Option<Arc<AtomicBool>>,
    on_close: Option<(usize, OnClose)>,
}

impl Liveness {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn is_dead(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    /// The server is gone for good: the connection is dead and the close callback queued.
    pub(crate) fn lost(&self, reason: Reason) {
        self.dead.store(true, Ordering::SeqCst);
        self.closed(reason);
    }

    /// Stops the running keepalive and keeps the stop flag of the one `start` starts (if
    /// any), under one lock so that a close cannot come between the two.
    pub(crate) fn replace_keepalive(
        &self,
        start: impl FnOnce() -> Result<Option<Arc<AtomicBool>>>,
    ) -> Result<()> {
        let mut st = self.state();
        if let Some(stop) = st.keepalive.take() {
            stop.store(true, Ordering::SeqCst);
        }
        st.keepalive = start()?;
        Ok(())
    }

    /// virConnectRegisterCloseCallback: one per connection, known by `key` (the C function).
    pub fn register_close_callback(&self, key: usize, cb: OnClose) -> Result<()> {
        let mut st = self.state();
        if st.on_close.is_some() {
            return Err(Error::esx(
                Code::OperationInvalid,
                "A close callback is already registered",
            ));
        }
        st.on_close = Some((key, cb));
        Ok(())
    }

    /// virConnectUnregisterCloseCallback: the callback registered under `key` goes (its
    /// opaque data is freed as it drops).
    pub fn unregister_close_callback(&self, key: usize) -> Result<()> {
        let gone = {
            let mut st = self.state();
            match &st.on_close {
                Some((k, _)) if *k == key => st.on_close.take(),
                _ => {
                    return Err(Error::esx(
                        Code::OperationInvalid,
                        "A different callback was requested",
                    ));
                }
            }
        };
        // Dropped outside the lock: its free callback may call back into the connection.
        drop(gone);
        Ok(())
    }

    /// On close: stops the keepalive and queues the close callback with `reason`.
    pub(crate) fn closed(&self, reason: Reason) {
        let (keepalive, on_close) = {
            let mut st = self.state();
            (st.keepalive.take(), st.on_close.take())
        };
        if let Some(stop) = keepalive {
            stop.store(true, Ordering::SeqCst);
        }
        if let Some((_, cb)) = on_close {
            post(cb, reason as i32);
        }
    }
}

/// Runs `cb(reason)` from the registered loop: a one-shot timer that removes itself.
fn post(cb: OnClose, reason: i32) {
    let Some(l) = event::current() else {
        log!(
            Warning,
            &[],
            "no event loop to deliver the close callback (reason {reason})"
        );
        return;
    };
    let mut cb = Some(cb);
    let me = l.clone();
    l.add_timeout(
        0,
        Box::new(move |timer| {
            if let Some(cb) = cb.take() {
                cb(reason);
            }
            me.remove_timeout(timer);
        }),
    );
}

/// Sleeps for `d`, in steps of at most 0.1 s so that `stop` ends it early; whether it did.
pub(crate) fn pause(stop: &AtomicBool, d: Duration) -> bool {
    let until = Instant::now() + d;
    while Instant::now() < until {
        if stop.load(Ordering::SeqCst) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100).min(d));
    }
    stop.load(Ordering::SeqCst)
}
