//! The connection a run of commands shares: the URI virsh would pick, opened on first use with
//! auth.conf or virsh's terminal prompts, and the options that shape every command's output.

use crate::Failure;
use esx_driver::abi::virConnectCredentialType as Cred;
use esx_driver::driver::Connection;
use esx_driver::driver::connection::auth::{Authenticator, CredRequest};
use esx_driver::{Error, Result};
use secrecy::SecretString;
use std::io::{BufRead, Write};
use std::sync::Arc;

/// What the commands of one run share.
pub struct Session {
    pub uri: Option<String>,
    pub read_only: bool,
    pub quiet: bool,
    /// Commands come from the interactive shell (virsh's `cd` needs it).
    pub interactive: bool,
    conn: Option<Arc<Connection>>,
}

impl Session {
    pub fn new(uri: Option<String>, read_only: bool, quiet: bool) -> Session {
        Session {
            uri,
            read_only,
            quiet,
            interactive: false,
            conn: None,
        }
    }

    /// The connection, opened on first use; virsh's two lines when it cannot be.
    pub fn conn(&mut self) -> std::result::Result<Arc<Connection>, Failure> {
        if let Some(c) = &self.conn {
            return Ok(c.clone());
        }
        // virsh's own default comes first; libvirt's (environment, libvirt.conf) and the
        // aliases are the library's, as they are libvirt's.
        let name = self.uri.clone().or_else(|| {
            std::env::var("VIRSH_DEFAULT_CONNECT_URI")
                .ok()
                .filter(|u| !u.is_empty())
        });
        let conn = Connection::resolve_uri(name.as_deref(), true)
            .and_then(|uri| Connection::open(&uri, Some(&Prompts), self.read_only))
            .map_err(|e| {
                Failure::lines(vec![
                    "failed to connect to the hypervisor".into(),
                    e.message(),
                ])
            })?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }

    /// Ends the connection (virsh's `connect` to another URI, or the end of the run).
    pub fn close(&mut self) {
        if let Some(c) = self.conn.take() {
            let _ = c.close();
        }
    }
}

/// virsh's default credentials callback: each prompt on standard output followed by `: `, the
/// answer read from standard input, without echo for passwords on a terminal.
pub struct Prompts;

impl Authenticator for Prompts {
    fn kinds(&self) -> Vec<Cred> {
        vec![
            Cred::VIR_CRED_AUTHNAME,
            Cred::VIR_CRED_ECHOPROMPT,
            Cred::VIR_CRED_REALM,
            Cred::VIR_CRED_PASSPHRASE,
            Cred::VIR_CRED_NOECHOPROMPT,
            Cred::VIR_CRED_EXTERNAL,
        ]
    }

    fn ask(&self, requests: &mut [CredRequest]) -> Result<()> {
        for r in requests {
            let secret = matches!(
                r.kind,
                Cred::VIR_CRED_PASSPHRASE | Cred::VIR_CRED_NOECHOPROMPT
            );
            let mut out = std::io::stdout();
            let _ = write!(out, "{}: ", r.prompt);
            let _ = out.flush();
            let line = read_line(secret).map_err(|e| Error::internal(format!("{e}")))?;
            let answer = match line.is_empty() {
                true => r.default.clone().unwrap_or_default(),
                false => line,
            };
            r.answer = Some(SecretString::from(answer));
        }
        Ok(())
    }
}

/// One line of standard input, without its newline; a secret one with the terminal's echo off.
fn read_line(secret: bool) -> std::io::Result<String> {
    let stdin = std::io::stdin();
    let echo = secret
        .then(|| {
            TerminalMode::set(&stdin, |t| {
                t.local_modes.remove(rustix::termios::LocalModes::ECHO)
            })
        })
        .flatten();
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    if echo.is_some() {
        println!();
    }
    drop(echo);
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// A terminal mode set while it lives, the one before put back after (nothing when standard
/// input is no terminal).
pub(crate) struct TerminalMode(rustix::termios::Termios);

impl TerminalMode {
    /// The mode `change` makes of the current one.
    pub(crate) fn set(
        stdin: &std::io::Stdin,
        change: impl FnOnce(&mut rustix::termios::Termios),
    ) -> Option<TerminalMode> {
        use rustix::termios::{OptionalActions, tcgetattr, tcsetattr};
        let saved = tcgetattr(stdin).ok()?;
        let mut mode = saved.clone();
        change(&mut mode);
        tcsetattr(stdin, OptionalActions::Now, &mode).ok()?;
        Some(TerminalMode(saved))
    }
}

impl Drop for TerminalMode {
    fn drop(&mut self) {
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.0,
        );
    }
}
