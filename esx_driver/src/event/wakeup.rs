//! A wakeup for a loop waiting in poll(2): a non-blocking socket pair whose read end the loop
//! watches; any thread rings it, the loop drains it. The poll loop uses one for changes made
//! from other threads, the domain event queue one for events the watcher queued.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;

pub(crate) struct Wakeup {
    rx: UnixStream,
    tx: UnixStream,
}

impl Wakeup {
    pub(crate) fn new() -> io::Result<Wakeup> {
        let (rx, tx) = UnixStream::pair()?;
        rx.set_nonblocking(true)?;
        tx.set_nonblocking(true)?;
        Ok(Wakeup { rx, tx })
    }

    pub(crate) fn ring(&self) {
        // A full socket already holds a wakeup.
        let _ = (&self.tx).write(&[1]);
    }

    /// Empties the socket, so that the next wait sleeps until the next ring.
    pub(crate) fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.rx).read(&mut buf), Ok(n) if n > 0) {}
    }
}

/// The end to watch for reading.
impl AsFd for Wakeup {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.rx.as_fd()
    }
}
