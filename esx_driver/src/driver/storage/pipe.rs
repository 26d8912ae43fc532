//! The bounded queue between a stream's caller and the thread that moves its bytes over HTTP.
//! Either side may stop it at any time, from any thread, and a stop wakes the other at once.
//!
//! A non-blocking stream asks whether a call would wait (`can_take`, `can_fill`) and learns of
//! each change through a watcher, which re-arms its event timer.
//!
//! The caller never waits on the network itself: a server that goes quiet stalls only the
//! transfer's thread (whose reads and writes end at the connection's timeout), so Abort and
//! Free return at once whatever the server does.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Pieces a pipe holds before the side filling it waits.
const DEPTH: usize = 4;

#[derive(Default)]
struct State {
    pieces: VecDeque<Vec<u8>>,
    /// Emptied pieces, handed back to be filled again: fresh buffers of a megabyte would be new
    /// pages each time.
    spent: Vec<Vec<u8>>,
    /// The filling side has no more.
    closed: bool,
    /// Why the transfer stopped (the first reason given wins).
    stopped: Option<String>,
}

/// Told of every change of a pipe (a piece queued or taken, the end, a stop).
pub type Watcher = Arc<dyn Fn() + Send + Sync>;

#[derive(Default)]
pub(crate) struct Pipe {
    state: Mutex<State>,
    changed: Condvar,
    watcher: Mutex<Option<Watcher>>,
}

impl Pipe {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, st: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(st).unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes the other side's wait and tells the watcher; called with the state unlocked, as
    /// the watcher may reach an event loop that calls back in.
    fn changed(&self) {
        self.changed.notify_all();
        let watcher = self
            .watcher
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(w) = watcher {
            w();
        }
    }

    /// Sets or clears the watcher.
    pub(crate) fn watch(&self, w: Option<Watcher>) {
        *self.watcher.lock().unwrap_or_else(|p| p.into_inner()) = w;
    }

    /// Whether `pop` would return at once: a piece is queued, or the end or a stop is known.
    pub(crate) fn can_take(&self) -> bool {
        let st = self.state();
        !st.pieces.is_empty() || st.closed || st.stopped.is_some()
    }

    /// Whether `push` would return at once.
    pub(crate) fn can_fill(&self) -> bool {
        let st = self.state();
        st.pieces.len() < DEPTH || st.stopped.is_some()
    }

    /// Queues `piece`, waiting while the pipe is full; the reason it stopped, if it did.
    pub(crate) fn push(&self, piece: Vec<u8>) -> Result<(), String> {
        let mut st = self.state();
        loop {
            if let Some(why) = &st.stopped {
                return Err(why.clone());
            }
            if st.pieces.len() < DEPTH {
                st.pieces.push_back(piece);
                drop(st);
                self.changed();
                return Ok(());
            }
            st = self.wait(st);
        }
    }

    /// The next piece, waiting while there is none; `None` once the filling side closed and
    /// everything was taken; the reason it stopped, if it did.
    pub(crate) fn pop(&self) -> Result<Option<Vec<u8>>, String> {
        let mut st = self.state();
        loop {
            if let Some(why) = &st.stopped {
                return Err(why.clone());
            }
            if let Some(p) = st.pieces.pop_front() {
                drop(st);
                self.changed();
                return Ok(Some(p));
            }
            if st.closed {
                return Ok(None);
            }
            st = self.wait(st);
        }
    }

    /// The filling side is done: what is queued is still taken, then `pop` says the end.
    pub(crate) fn close(&self) {
        self.state().closed = true;
        self.changed();
    }

    /// Stops the transfer for `why`; both sides' waits end with it.
    pub(crate) fn stop(&self, why: &str) {
        let mut st = self.state();
        st.stopped.get_or_insert_with(|| why.to_string());
        st.pieces.clear();
        drop(st);
        self.changed();
    }

    /// Waits until either side stops the transfer.
    pub(crate) fn wait_stopped(&self) {
        let mut st = self.state();
        while st.stopped.is_none() {
            st = self.wait(st);
        }
    }

    /// Why it stopped, if it did.
    pub(crate) fn stopped(&self) -> Option<String> {
        self.state().stopped.clone()
    }

    /// An emptied piece to fill again, or a new one.
    pub(crate) fn spare(&self) -> Vec<u8> {
        let mut buf = self.state().spent.pop().unwrap_or_default();
        buf.clear();
        buf
    }

    /// Hands an emptied piece back.
    pub(crate) fn recycle(&self, buf: Vec<u8>) {
        let mut st = self.state();
        if st.spent.len() < DEPTH + 2 && buf.capacity() > 0 {
            st.spent.push(buf);
        }
    }
}

/// The taking side's reading: the piece in hand and how far it was read.
pub(crate) struct Reader {
    pipe: Arc<Pipe>,
    piece: Vec<u8>,
    at: usize,
}

impl Reader {
    pub(crate) fn new(pipe: Arc<Pipe>) -> Reader {
        Reader {
            pipe,
            piece: Vec::new(),
            at: 0,
        }
    }

    /// Whether `read_some` would return at once.
    pub(crate) fn ready(&self) -> bool {
        self.at < self.piece.len() || self.pipe.can_take()
    }

    /// Up to `buf.len()` bytes of the piece in hand, the next piece taken when it is read;
    /// 0 at the end; the reason the transfer stopped, if it did.
    pub(crate) fn read_some(&mut self, buf: &mut [u8]) -> Result<usize, String> {
        while self.at == self.piece.len() {
            match self.pipe.pop()? {
                Some(p) => {
                    self.pipe.recycle(std::mem::replace(&mut self.piece, p));
                    self.at = 0;
                }
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.piece.len() - self.at);
        buf[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// An upload's PUT body: it fails when the transfer stopped (an abort must not complete the
/// file).
impl std::io::Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.read_some(buf).map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn pieces_arrive_in_order_then_the_end() {
        let p = Pipe::default();
        p.push(vec![1]).unwrap();
        p.push(vec![2]).unwrap();
        p.close();
        assert_eq!(p.pop().unwrap(), Some(vec![1]));
        assert_eq!(p.pop().unwrap(), Some(vec![2]));
        assert_eq!(p.pop().unwrap(), None);
    }

    #[test]
    fn readiness_follows_the_pieces_and_the_watcher_hears_each_change() {
        let p = Pipe::default();
        let heard = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let h = heard.clone();
        p.watch(Some(Arc::new(move || {
            h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })));
        assert!(!p.can_take() && p.can_fill());
        for _ in 0..DEPTH {
            p.push(vec![0]).unwrap();
        }
        assert!(p.can_take() && !p.can_fill(), "full");
        p.pop().unwrap();
        assert!(p.can_fill());
        p.stop("aborted");
        assert!(
            p.can_take() && p.can_fill(),
            "a stop answers both sides at once"
        );
        assert_eq!(heard.load(std::sync::atomic::Ordering::SeqCst), DEPTH + 2);
    }

    #[test]
    fn a_stop_from_another_thread_ends_a_full_wait_at_once() {
        let p = Arc::new(Pipe::default());
        for _ in 0..DEPTH {
            p.push(vec![0]).unwrap();
        }
        let stopper = p.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            stopper.stop("aborted");
        });
        let start = Instant::now();
        assert_eq!(p.push(vec![0]).unwrap_err(), "aborted");
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(p.pop().unwrap_err(), "aborted");
        t.join().unwrap();
        p.stop("later");
        assert_eq!(
            p.stopped().as_deref(),
            Some("aborted"),
            "the first reason stays"
        );
    }
}
