//! `console` as virsh has it: the terminal joined to a VM's network-backed serial port (the
//! library's console stream) until Ctrl+] or the port closes.

use super::{DOMAIN, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::{Session, TerminalMode};
use crate::{Failure, Outcome};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use std::io::{IsTerminal, Read, Write};

/// virsh's escape character, Ctrl+].
const ESCAPE: u8 = 0x1d;

pub const CONSOLE: Cmd = Cmd {
    name: "console",
    group: "domain",
    summary: "connect to the guest's serial console",
    description: "Joins the terminal to the running domain's serial port backed by a network URI in server mode (telnet:// or tcp://, which the VM's host listens on) until Ctrl+] or the port closes.",
    opts: &[
        DOMAIN,
        Opt::string("devname", "the character device (serial0, console0)"),
        Opt::flag(
            "force",
            "take the console even if another client has it (the host decides)",
        ),
        Opt::flag("safe", "only a console that cannot be corrupted"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let says = |t: &str| Failure::lines(vec![t.to_string()]);
        let dom = domain(s, a)?;
        if dom.current_state()?.id() == -1 {
            return Err(says("The domain is not running"));
        }
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return Err(says(
                "Cannot run interactive console without a controlling TTY",
            ));
        }
        let mut console = dom.open_console(a.get("devname"))?;
        let name = dom.cached().name;
        if !s.quiet {
            println!("Connected to domain '{name}'");
            println!("Escape character is ^] (Ctrl + ])");
        }
        let raw = TerminalMode::set(&stdin, |t| t.make_raw());
        let (mut input, mut out) = (stdin.lock(), std::io::stdout().lock());
        let mut buf = [0u8; 4096];
        let tick = Timespec {
            tv_sec: 0,
            tv_nsec: 50_000_000,
        };
        let result = loop {
            match console.try_recv(&mut buf) {
                Ok(Some(0)) => break Ok(()),
                Ok(Some(n)) => {
                    let _ = out.write_all(&buf[..n]);
                    let _ = out.flush();
                    continue;
                }
                Ok(None) => {}
                Err(e) => break Err(Failure::from(e)),
            }
            let mut fds = [PollFd::new(&input, PollFlags::IN)];
            if !matches!(poll(&mut fds, Some(&tick)), Ok(n) if n > 0) {
                continue;
            }
            let n = match input.read(&mut buf) {
                Ok(0) | Err(_) => break Ok(()),
                Ok(n) => n,
            };
            let (keys, escaped) = match buf[..n].iter().position(|b| *b == ESCAPE) {
                Some(at) => (&buf[..at], true),
                None => (&buf[..n], false),
            };
            if let Err(e) = console.send(keys) {
                break Err(Failure::from(e));
            }
            if escaped {
                break Ok(());
            }
        };
        drop(raw);
        println!();
        result
    },
};
