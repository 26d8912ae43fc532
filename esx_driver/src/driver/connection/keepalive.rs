//! The keepalive of connections (virConnectSetKeepAlive): one thread for the whole process
//! checks each connection when its quiet interval is up and pings only one that sent nothing.
//!
//! A connection with events registered long-polls every few seconds, so a ping is rare; the
//! one that is needed runs in a thread of its own, so a server slow to answer holds up no
//! other connection's keepalive. `count` failed pings in a row mark the connection dead.

use super::Connection;
use crate::abi::enums::virConnectCloseReason as Reason;
use crate::driver::liveness::Liveness;
use crate::error::{Code, Error, Result};
use crate::event;
use crate::log::log;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

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
            let every = Duration::from_secs(interval as u64);
            schedule()?.add(Entry {
                conn: Arc::downgrade(self),
                stop: stop.clone(),
                every,
                count: count.max(1),
                due: Instant::now() + every,
                seen: u64::MAX,
                pings: Arc::new(Mutex::new(Pings::default())),
            });
            Ok(Some(stop))
        })
    }

    /// The connection's liveness: its close callback (virConnectRegisterCloseCallback).
    pub fn liveness(&self) -> &Liveness {
        &self.liveness
    }
}

/// One connection's keepalive.
struct Entry {
    conn: Weak<Connection>,
    /// Set when the keepalive is replaced, stopped or the connection closed.
    stop: Arc<AtomicBool>,
    every: Duration,
    count: u32,
    due: Instant,
    /// The connection's round trips when last checked.
    seen: u64,
    pings: Arc<Mutex<Pings>>,
}

#[derive(Default)]
struct Pings {
    misses: u32,
    under_way: bool,
    /// The connection's round trips once the last ping ended: the ping itself is no sign
    /// of life.
    after: Option<u64>,
}

/// The keepalives of every connection, and the thread that serves them.
struct Schedule {
    entries: Mutex<Vec<Entry>>,
    changed: Condvar,
}

fn schedule() -> Result<&'static Schedule> {
    type Started = std::result::Result<&'static Schedule, String>;
    static SCHEDULE: OnceLock<Started> = OnceLock::new();
    SCHEDULE
        .get_or_init(|| {
            let s: &'static Schedule = Box::leak(Box::new(Schedule {
                entries: Mutex::new(Vec::new()),
                changed: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("libvirt-esx-keepalive".into())
                .spawn(move || s.serve())
                .map(|_| s)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| Error::internal(format!("Unable to start keepalive: {e}")))
}

impl Schedule {
    fn add(&self, e: Entry) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.push(e);
        self.changed.notify_one();
    }

    /// Checks each entry when due; sleeps until the next one is (a stop is seen then, and a
    /// new entry wakes it).
    fn serve(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let now = Instant::now();
            entries.retain_mut(|e| e.check(now));
            entries = match entries.iter().map(|e| e.due).min() {
                Some(next) => {
                    let wait = next.saturating_duration_since(Instant::now());
                    self.changed
                        .wait_timeout(entries, wait)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
                None => self
                    .changed
                    .wait(entries)
                    .unwrap_or_else(|p| p.into_inner()),
            };
        }
    }
}

impl Entry {
    /// At its time: nothing if the connection sent anything since the last check, else a
    /// ping. Whether to keep the entry.
    fn check(&mut self, now: Instant) -> bool {
        if self.stop.load(Ordering::SeqCst) {
            return false;
        }
        let Some(conn) = self.conn.upgrade() else {
            return false;
        };
        if now < self.due {
            return true;
        }
        self.due = now + self.every;
        if let Some(after) = lock(&self.pings).after.take() {
            self.seen = after;
        }
        let trips = conn.round_trips();
        if trips != self.seen {
            // Something else was sent in this interval: that kept the session alive.
            self.seen = trips;
            lock(&self.pings).misses = 0;
            return true;
        }
        let mut p = lock(&self.pings);
        if p.misses >= self.count {
            return false;
        }
        if !p.under_way {
            p.under_way = true;
            drop(p);
            let (pings, stop, count) = (self.pings.clone(), self.stop.clone(), self.count);
            let started = std::thread::Builder::new()
                .name("libvirt-esx-ping".into())
                .spawn(move || ping(&conn, &pings, &stop, count));
            if let Err(e) = started {
                log!(Warning, &[], "keepalive: no thread for a ping: {e}");
                lock(&self.pings).under_way = false;
            }
        }
        true
    }
}

fn lock(m: &Mutex<Pings>) -> std::sync::MutexGuard<'_, Pings> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// One ping (CurrentTime); the `count`th failure in a row marks the connection dead.
fn ping(conn: &Connection, pings: &Mutex<Pings>, stop: &AtomicBool, count: u32) {
    let answer = conn.primary.client.current_time();
    let mut p = lock(pings);
    p.under_way = false;
    p.after = Some(conn.round_trips());
    match answer {
        Ok(_) => p.misses = 0,
        Err(e) => {
            p.misses += 1;
            log!(Warning, &[], "keepalive {}/{count} failed: {e}", p.misses);
        }
    }
    if p.misses >= count && !stop.load(Ordering::SeqCst) {
        conn.liveness
            .lost(Reason::VIR_CONNECT_CLOSE_REASON_KEEPALIVE);
    }
}
