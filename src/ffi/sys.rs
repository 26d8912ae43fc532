//! The system calls the safe core needs and std does not offer, each behind a safe signature.

use std::io;

/// One `struct pollfd`: any fd number is sound to poll (a closed one reports POLLNVAL).
#[repr(transparent)]
pub struct PollFd(libc::pollfd);

impl PollFd {
    pub fn new(fd: i32, events: i16) -> PollFd {
        PollFd(libc::pollfd {
            fd,
            events,
            revents: 0,
        })
    }

    pub fn revents(&self) -> i16 {
        self.0.revents
    }
}

/// `poll(2)` over `fds` for up to `timeout_ms` (-1: no limit); the number of ready fds.
pub fn poll(fds: &mut [PollFd], timeout_ms: i32) -> io::Result<usize> {
    // SAFETY: `fds` is a live, writable array of pollfd (PollFd is transparent) of this length.
    let n = unsafe {
        libc::poll(
            fds.as_mut_ptr().cast(),
            fds.len() as libc::nfds_t,
            timeout_ms,
        )
    };
    match n {
        -1 => Err(io::Error::last_os_error()),
        n => Ok(n as usize),
    }
}
