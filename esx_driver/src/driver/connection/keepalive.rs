//! The keepalive of a connection (virConnectSetKeepAlive): a thread that sends CurrentTime
//! after each quiet interval and marks the connection dead after `count` failures in a row.

use super::Connection;
use crate::abi::enums::virConnectCloseReason as Reason;
use crate::driver::liveness::{Liveness, pause};
use crate::error::{Code, Error, Result};
use crate::event;
use crate::log::log;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

impl Connection {
    /// virConnectSetKeepAlive: `interval` ≤ 0 stops it.
    pub fn set_keepalive(self: &Arc<Self>, interval: i32, count: u32) -> Result<()> {
        self.liveness.replace_keepalive(|| {
            if interval <= 0 {
                return Ok(None);
            }
            if event::current().is_none() {
                return Err(Error::esx(
                    Code::OperationInvalid,
                    "keepalive needs an event loop: call virEventRegisterDefaultImpl (or \
                     virEventRegisterImpl) first",
                ));
            }
            let stop = Arc::new(AtomicBool::new(false));
            let (weak, flag) = (Arc::downgrade(self), stop.clone());
            let every = Duration::from_secs(interval as u64);
            std::thread::Builder::new()
                .name("libvirt-esx-keepalive".into())
                .spawn(move || keep_alive(weak, &flag, every, count.max(1)))
                .map_err(|e| Error::internal(format!("Unable to start keepalive: {e}")))?;
            Ok(Some(stop))
        })
    }

    /// The connection's liveness: its close callback (virConnectRegisterCloseCallback).
    pub fn liveness(&self) -> &Liveness {
        &self.liveness
    }
}

/// The keepalive thread: a ping after each quiet interval; `count` failed pings in a row
/// and the connection is dead.
fn keep_alive(conn: Weak<Connection>, stop: &AtomicBool, every: Duration, count: u32) {
    let mut seen = u64::MAX;
    let mut misses = 0;
    loop {
        if pause(stop, every) {
            return;
        }
        let Some(c) = conn.upgrade() else { return };
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if c.round_trips() != seen {
            // Something else was sent in this interval: that kept the session alive.
            seen = c.round_trips();
            misses = 0;
            continue;
        }
        match c.primary.client.current_time() {
            Ok(_) => misses = 0,
            Err(e) => {
                misses += 1;
                log!(Warning, &[], "keepalive {misses}/{count} failed: {e}");
            }
        }
        seen = c.round_trips();
        if misses >= count {
            c.liveness.lost(Reason::VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
            return;
        }
    }
}
