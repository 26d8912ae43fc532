//! A stream over a TCP connection (a VM's network-backed serial port): a thread reads the
//! socket into the pipe, the caller's sends go straight to it; telnet's option talk is
//! answered there and kept out of the data.

use super::pipe::{Pipe, Reader, Watcher};
use super::transfer::{ABORTED, Stopper};
use crate::error::{Error, Result};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// How often the reading thread looks whether the stream was stopped.
const TICK: Duration = Duration::from_millis(100);
/// The most one read takes from the socket.
const PIECE: usize = 64 * 1024;

// Telnet's bytes (RFC 854, 855): commands after IAC, and the options we take.
const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
const BINARY: u8 = 0;
const SUPPRESS_GO_AHEAD: u8 = 3;

/// Where telnet's reader is in the byte stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Telnet {
    #[default]
    Data,
    Command,
    Option(u8),
    Sub,
    SubCommand,
}

impl Telnet {
    /// Splits `input` into the data, and the answers owed to the other side: BINARY and
    /// SUPPRESS-GO-AHEAD are taken both ways, every other option refused.
    fn filter(&mut self, input: &[u8], data: &mut Vec<u8>, answers: &mut Vec<u8>) {
        for &b in input {
            *self = match (*self, b) {
                (Telnet::Data, IAC) => Telnet::Command,
                (Telnet::Data, b) => {
                    data.push(b);
                    Telnet::Data
                }
                (Telnet::Command, IAC) => {
                    data.push(IAC);
                    Telnet::Data
                }
                (Telnet::Command, WILL | WONT | DO | DONT) => Telnet::Option(b),
                (Telnet::Command, SB) => Telnet::Sub,
                (Telnet::Command, _) => Telnet::Data,
                (Telnet::Option(cmd), opt) => {
                    let taken = matches!(opt, BINARY | SUPPRESS_GO_AHEAD);
                    let answer = match (cmd, taken) {
                        (WILL, true) => Some(DO),
                        (WILL, false) => Some(DONT),
                        (DO, true) => Some(WILL),
                        (DO, false) => Some(WONT),
                        _ => None,
                    };
                    if let Some(a) = answer {
                        answers.extend_from_slice(&[IAC, a, opt]);
                    }
                    Telnet::Data
                }
                (Telnet::Sub, IAC) => Telnet::SubCommand,
                (Telnet::Sub, _) => Telnet::Sub,
                (Telnet::SubCommand, SE) => Telnet::Data,
                (Telnet::SubCommand, _) => Telnet::Sub,
            };
        }
    }
}

/// A stream's TCP connection, telnet's or raw.
pub struct SocketStream {
    pipe: Arc<Pipe>,
    reader: Reader,
    socket: TcpStream,
    telnet: bool,
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::internal(format!("console: {what}: {e}"))
}

impl SocketStream {
    /// Starts reading `socket` (speaking telnet on it when `telnet`).
    pub(crate) fn start(socket: TcpStream, telnet: bool) -> Result<SocketStream> {
        let pipe = Arc::new(Pipe::default());
        let (fill, mut from) = (
            pipe.clone(),
            socket.try_clone().map_err(|e| failed("socket", e))?,
        );
        let mut answer_to = socket.try_clone().map_err(|e| failed("socket", e))?;
        from.set_read_timeout(Some(TICK))
            .map_err(|e| failed("socket", e))?;
        std::thread::Builder::new()
            .name("libvirt-esx-console".into())
            .spawn(move || {
                let mut state = Telnet::default();
                let mut raw = vec![0u8; PIECE];
                while fill.stopped().is_none() {
                    let n = match from.read(&mut raw) {
                        Ok(0) => return fill.close(),
                        Ok(n) => n,
                        Err(e)
                            if matches!(
                                e.kind(),
                                ErrorKind::WouldBlock
                                    | ErrorKind::TimedOut
                                    | ErrorKind::Interrupted
                            ) =>
                        {
                            continue;
                        }
                        Err(e) => return fill.stop(&format!("console: {e}")),
                    };
                    let mut data = fill.spare();
                    data.clear();
                    if telnet {
                        let mut answers = Vec::new();
                        state.filter(&raw[..n], &mut data, &mut answers);
                        if !answers.is_empty() && answer_to.write_all(&answers).is_err() {
                            return fill.stop("console: the connection was closed");
                        }
                    } else {
                        data.extend_from_slice(&raw[..n]);
                    }
                    if !data.is_empty() && fill.push(data).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| failed("starting its thread", e))?;
        Ok(SocketStream {
            reader: Reader::new(pipe.clone()),
            pipe,
            socket,
            telnet,
        })
    }

    /// Writes all of `data` (telnet's IAC byte doubled); the bytes taken.
    pub fn send(&mut self, data: &[u8]) -> Result<usize> {
        if let Some(why) = self.pipe.stopped() {
            return Err(failed("send", why));
        }
        let escaped;
        let bytes = match self.telnet && data.contains(&IAC) {
            true => {
                escaped = data
                    .iter()
                    .flat_map(|b| if *b == IAC { vec![IAC, IAC] } else { vec![*b] })
                    .collect::<Vec<u8>>();
                &escaped[..]
            }
            false => data,
        };
        self.socket
            .write_all(bytes)
            .map_err(|e| failed("send", e))?;
        Ok(data.len())
    }

    /// What has arrived, waiting for some; 0 when the other side closed.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        self.reader
            .read_some(buf)
            .map_err(|why| failed("receive", why))
    }

    /// As `recv` without waiting: `None` when nothing has arrived.
    pub fn try_recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>> {
        match self.reader.ready() {
            true => self.recv(buf).map(Some),
            false => Ok(None),
        }
    }

    /// Whether `try_recv` has something to say.
    pub fn readable(&self) -> bool {
        self.reader.ready()
    }

    /// Tells `w` of each change of what `try_recv` would find.
    pub fn watch(&self, w: Option<Watcher>) {
        self.pipe.watch(w);
    }

    /// What stops the stream from any thread.
    pub fn stopper(&self) -> Stopper {
        Stopper::of(self.pipe.clone())
    }

    /// Closes the connection: an error when the stream was aborted.
    pub fn finish(self) -> Result<()> {
        match self.pipe.stopped() {
            Some(why) if why == ABORTED => Err(failed("finish", why)),
            _ => Ok(()),
        }
    }
}

impl std::fmt::Debug for SocketStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketStream")
            .field("peer", &self.socket.peer_addr().ok())
            .field("telnet", &self.telnet)
            .finish()
    }
}

impl Drop for SocketStream {
    fn drop(&mut self) {
        self.pipe.stop(ABORTED);
        let _ = self.socket.shutdown(Shutdown::Both);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telnet_talk_is_answered_and_kept_out_of_the_data() {
        let mut t = Telnet::default();
        let (mut data, mut answers) = (Vec::new(), Vec::new());
        // WILL ECHO, DO SGA, a subnegotiation, an escaped 255, and text split mid-command.
        t.filter(
            &[
                IAC, WILL, 1, IAC, DO, 3, b'o', IAC, SB, 24, 1, IAC, SE, b'k', IAC,
            ],
            &mut data,
            &mut answers,
        );
        t.filter(&[IAC, b'!'], &mut data, &mut answers);
        assert_eq!(data, [b'o', b'k', IAC, b'!']);
        assert_eq!(answers, [IAC, DONT, 1, IAC, WILL, 3]);
        assert_eq!(t, Telnet::Data);
    }
}
