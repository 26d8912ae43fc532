//! The default event loop (virEventRegisterDefaultImpl / virEventRunDefaultImpl): handles
//! and timeouts in a table, one `poll(2)` per iteration, callbacks run in the thread that
//! runs the iteration with no lock held, so they may add, update and remove freely.
//!
//! Changes made from other threads wake a sleeping iteration through a socket pair, so a
//! new handle or an earlier timeout takes effect at once, as in libvirt's loop.

use super::wakeup::Wakeup;
use super::{HandleFd, HandleFn, Loop, TimeoutFn};
use crate::abi::enums::virEventHandleType as H;
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

struct Handle {
    watch: i32,
    fd: HandleFd,
    events: i32,
    /// Taken out while it runs.
    cb: Option<HandleFn>,
    deleted: bool,
}

struct Timeout {
    timer: i32,
    /// Milliseconds between firings; -1 disabled.
    period: i32,
    due: Instant,
    cb: Option<TimeoutFn>,
    deleted: bool,
}

#[derive(Default)]
struct Table {
    handles: Vec<Handle>,
    timeouts: Vec<Timeout>,
    last_id: i32,
}

impl Table {
    /// A handle that is not removed.
    fn handle(&mut self, watch: i32) -> Option<&mut Handle> {
        self.handles
            .iter_mut()
            .find(|h| h.watch == watch && !h.deleted)
    }

    /// A timeout that is not removed.
    fn timeout(&mut self, timer: i32) -> Option<&mut Timeout> {
        self.timeouts
            .iter_mut()
            .find(|x| x.timer == timer && !x.deleted)
    }
}

/// The library's own event loop over poll(2): libvirt's default implementation
/// (`virEventRegisterDefaultImpl`, `virEventRunDefaultImpl`).
pub struct PollLoop {
    table: Mutex<Table>,
    wakeup: Wakeup,
}

/// libvirt's handle events as poll's, and back.
fn to_poll(events: i32) -> PollFlags {
    let mut p = PollFlags::empty();
    if events & H::VIR_EVENT_HANDLE_READABLE as i32 != 0 {
        p |= PollFlags::IN;
    }
    if events & H::VIR_EVENT_HANDLE_WRITABLE as i32 != 0 {
        p |= PollFlags::OUT;
    }
    p
}

fn from_poll(revents: PollFlags) -> i32 {
    let mut e = 0;
    for (bits, ev) in [
        (PollFlags::IN | PollFlags::PRI, H::VIR_EVENT_HANDLE_READABLE),
        (PollFlags::OUT, H::VIR_EVENT_HANDLE_WRITABLE),
        (PollFlags::ERR | PollFlags::NVAL, H::VIR_EVENT_HANDLE_ERROR),
        (PollFlags::HUP, H::VIR_EVENT_HANDLE_HANGUP),
    ] {
        if revents.intersects(bits) {
            e |= ev as i32;
        }
    }
    e
}

fn after(ms: i32) -> Instant {
    Instant::now() + Duration::from_millis(ms.max(0) as u64)
}

impl PollLoop {
    pub(crate) fn new() -> io::Result<PollLoop> {
        Ok(PollLoop {
            table: Mutex::new(Table::default()),
            wakeup: Wakeup::new()?,
        })
    }

    /// The one loop of the process, made on first use.
    pub fn default_loop() -> io::Result<Arc<PollLoop>> {
        static LOOP: OnceLock<Arc<PollLoop>> = OnceLock::new();
        if let Some(l) = LOOP.get() {
            return Ok(l.clone());
        }
        let made = Arc::new(PollLoop::new()?);
        Ok(LOOP.get_or_init(|| made).clone())
    }

    fn table(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wake(&self) {
        self.wakeup.ring();
    }

    fn next_id(t: &mut Table) -> i32 {
        t.last_id = t.last_id.checked_add(1).unwrap_or(1);
        t.last_id
    }

    /// One iteration: waits for the first ready handle or due timeout, then runs the due
    /// timeouts and the ready handles' callbacks.
    pub fn run_once(&self) -> io::Result<()> {
        // The watched files are held (shared) for the wait, so none closes under it.
        let (watched, wait) = {
            let mut t = self.table();
            let gone = sweep(&mut t);
            let now = Instant::now();
            let wait = t
                .timeouts
                .iter()
                .filter(|x| x.period >= 0 && !x.deleted)
                .map(|x| x.due.saturating_duration_since(now))
                .min();
            let watched: Vec<(i32, HandleFd, PollFlags)> = t
                .handles
                .iter()
                .filter(|h| !h.deleted && h.events != 0)
                .map(|h| (h.watch, h.fd.clone(), to_poll(h.events)))
                .collect();
            drop(t);
            drop(gone);
            (watched, wait)
        };
        let mut fds = vec![PollFd::new(&self.wakeup, PollFlags::IN)];
        fds.extend(
            watched
                .iter()
                .map(|(_, fd, flags)| PollFd::from_borrowed_fd(fd.as_fd(), *flags)),
        );
        let timeout = wait.map(|d| Timespec {
            tv_sec: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            tv_nsec: i64::from(d.subsec_nanos()),
        });
        match poll(&mut fds, timeout.as_ref()) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        let ready: Vec<PollFlags> = fds.iter().map(PollFd::revents).collect();
        drop(fds);
        self.run_timeouts();
        for ((watch, ..), revents) in watched.iter().zip(ready.iter().skip(1)) {
            if !revents.is_empty() {
                self.run_handle(*watch, from_poll(*revents));
            }
        }
        if ready.first().is_some_and(|r| !r.is_empty()) {
            self.wakeup.drain();
        }
        Ok(())
    }

    fn run_timeouts(&self) {
        let now = Instant::now();
        let due: Vec<i32> = self
            .table()
            .timeouts
            .iter()
            .filter(|x| x.period >= 0 && !x.deleted && x.due <= now)
            .map(|x| x.timer)
            .collect();
        for timer in due {
            let taken = {
                let mut t = self.table();
                t.timeout(timer).filter(|x| x.period >= 0).and_then(|x| {
                    x.due = after(x.period);
                    x.cb.take()
                })
            };
            if let Some(mut cb) = taken {
                cb(timer);
                let mut t = self.table();
                if let Some(x) = t.timeouts.iter_mut().find(|x| x.timer == timer) {
                    x.cb = Some(cb);
                }
            }
        }
    }

    fn run_handle(&self, watch: i32, events: i32) {
        let taken = {
            let mut t = self.table();
            t.handle(watch)
                .and_then(|h| h.cb.take().map(|cb| (cb, h.fd.as_fd().as_raw_fd())))
        };
        if let Some((mut cb, fd)) = taken {
            cb(watch, fd, events);
            let mut t = self.table();
            if let Some(h) = t.handles.iter_mut().find(|h| h.watch == watch) {
                h.cb = Some(cb);
            }
        }
    }
}

/// Takes removed entries whose callbacks are not running out of the table; the caller drops
/// them (their free callbacks run) once the lock is released.
fn sweep(t: &mut Table) -> (Vec<Handle>, Vec<Timeout>) {
    let (gone_h, kept_h) = std::mem::take(&mut t.handles)
        .into_iter()
        .partition(|h| h.deleted && h.cb.is_some());
    t.handles = kept_h;
    let (gone_t, kept_t) = std::mem::take(&mut t.timeouts)
        .into_iter()
        .partition(|x| x.deleted && x.cb.is_some());
    t.timeouts = kept_t;
    (gone_h, gone_t)
}

impl Loop for PollLoop {
    fn add_handle(&self, fd: HandleFd, events: i32, cb: HandleFn) -> i32 {
        let watch = {
            let mut t = self.table();
            let watch = Self::next_id(&mut t);
            t.handles.push(Handle {
                watch,
                fd,
                events,
                cb: Some(cb),
                deleted: false,
            });
            watch
        };
        self.wake();
        watch
    }

    fn update_handle(&self, watch: i32, events: i32) {
        if let Some(h) = self.table().handle(watch) {
            h.events = events;
        }
        self.wake();
    }

    fn remove_handle(&self, watch: i32) -> i32 {
        let found = self.table().handle(watch).map_or(-1, |h| {
            h.deleted = true;
            0
        });
        self.wake();
        found
    }

    fn add_timeout(&self, ms: i32, cb: TimeoutFn) -> i32 {
        let timer = {
            let mut t = self.table();
            let timer = Self::next_id(&mut t);
            t.timeouts.push(Timeout {
                timer,
                period: ms.max(-1),
                due: after(ms),
                cb: Some(cb),
                deleted: false,
            });
            timer
        };
        self.wake();
        timer
    }

    fn update_timeout(&self, timer: i32, ms: i32) {
        if let Some(x) = self.table().timeout(timer) {
            x.period = ms.max(-1);
            x.due = after(ms);
        }
        self.wake();
    }

    fn remove_timeout(&self, timer: i32) -> i32 {
        let found = self.table().timeout(timer).map_or(-1, |x| {
            x.deleted = true;
            0
        });
        self.wake();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const READABLE: i32 = H::VIR_EVENT_HANDLE_READABLE as i32;

    /// Counts its drops: the free callback's stand-in.
    struct Freed(Arc<AtomicUsize>);
    impl Drop for Freed {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_readable_pipe_runs_its_handle_and_removal_frees_it() {
        let l = PollLoop::new().unwrap();
        let (a, mut b) = UnixStream::pair().unwrap();
        let a = Arc::new(a);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let freed = Arc::new(AtomicUsize::new(0));
        let (s, f) = (seen.clone(), Freed(freed.clone()));
        let watch = l.add_handle(
            a.clone(),
            READABLE,
            Box::new(move |w, fd, ev| {
                let _ = &f;
                s.lock().unwrap().push((w, fd, ev));
            }),
        );
        assert!(watch > 0);
        b.write_all(b"x").unwrap();
        l.run_once().unwrap();
        assert_eq!(*seen.lock().unwrap(), [(watch, a.as_raw_fd(), READABLE)]);
        // Not watching for anything: no call even though data waits.
        l.update_handle(watch, 0);
        l.add_timeout(0, Box::new(|_| {}));
        l.run_once().unwrap();
        assert_eq!(seen.lock().unwrap().len(), 1);
        assert_eq!(l.remove_handle(watch), 0);
        assert_eq!(l.remove_handle(watch), -1);
        assert_eq!(
            freed.load(Ordering::SeqCst),
            0,
            "freed on the next iteration"
        );
        l.run_once().unwrap();
        assert_eq!(freed.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn timeouts_fire_in_order_of_their_period_and_can_remove_themselves() {
        let l = Arc::new(PollLoop::new().unwrap());
        let order = Arc::new(Mutex::new(Vec::new()));
        let (o1, o2) = (order.clone(), order.clone());
        // Before the timers are added: the slow one is due 40 ms after its own adding.
        let start = Instant::now();
        let slow = l.add_timeout(40, Box::new(move |t| o1.lock().unwrap().push(t)));
        let me = l.clone();
        let fast = l.add_timeout(
            5,
            Box::new(move |t| {
                o2.lock().unwrap().push(t);
                me.remove_timeout(t);
            }),
        );
        let disabled = l.add_timeout(-1, Box::new(|_| panic!("disabled timers never fire")));
        while order.lock().unwrap().len() < 2 {
            l.run_once().unwrap();
        }
        assert!(start.elapsed() >= Duration::from_millis(40));
        assert_eq!(
            *order.lock().unwrap(),
            [fast, slow],
            "the removed timer fired once"
        );
        assert_eq!(l.remove_timeout(fast), -1);
        assert_eq!(l.remove_timeout(disabled), 0);
    }

    #[test]
    fn another_thread_wakes_a_waiting_iteration() {
        let l = Arc::new(PollLoop::new().unwrap());
        let fired = Arc::new(AtomicUsize::new(0));
        let (l2, f2) = (l.clone(), fired.clone());
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            l2.add_timeout(
                0,
                Box::new(move |_| {
                    f2.fetch_add(1, Ordering::SeqCst);
                }),
            );
        });
        // Nothing registered: only the wakeup ends this iteration.
        l.run_once().unwrap();
        t.join().unwrap();
        l.run_once().unwrap();
        assert!(fired.load(Ordering::SeqCst) >= 1);
    }
}
