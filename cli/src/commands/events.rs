//! `event`: waiting for domain events and printing them as virsh does, delivered by the
//! library's own event loop (virsh's default loop), run in a thread of its own.

use super::lookup;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::driver::events::{Callback, DomainEvent, EventId, EventKind, Family, Lifecycle};
use esx_driver::event::poll::PollLoop;
use std::sync::Once;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// libvirt's domain event names, by event ID.
const NAMES: [&str; 27] = [
    "lifecycle",
    "reboot",
    "rtc-change",
    "watchdog",
    "io-error",
    "graphics",
    "io-error-reason",
    "control-error",
    "block-job",
    "disk-change",
    "tray-change",
    "pm-wakeup",
    "pm-suspend",
    "balloon-change",
    "pm-suspend-disk",
    "device-removed",
    "block-job-2",
    "tunable",
    "agent-lifecycle",
    "device-added",
    "migration-iteration",
    "job-completed",
    "device-removal-failed",
    "metadata-change",
    "block-threshold",
    "memory-failure",
    "memory-device-size-change",
];

/// virsh's words for a lifecycle event and its detail.
fn lifecycle_words(l: Lifecycle) -> (&'static str, &'static str) {
    fn pick(words: &'static [&'static str], n: i32) -> &'static str {
        usize::try_from(n)
            .ok()
            .and_then(|i| words.get(i))
            .copied()
            .unwrap_or("unknown")
    }
    match l {
        Lifecycle::Defined(d) => (
            "Defined",
            pick(&["Added", "Updated", "Renamed", "Snapshot"], d as i32),
        ),
        Lifecycle::Undefined(d) => ("Undefined", pick(&["Removed", "Renamed"], d as i32)),
        Lifecycle::Started(d) => (
            "Started",
            pick(
                &["Booted", "Migrated", "Restored", "Snapshot", "Event wakeup"],
                d as i32,
            ),
        ),
        Lifecycle::Suspended(d) => (
            "Suspended",
            pick(
                &[
                    "Paused",
                    "Migrated",
                    "I/O Error",
                    "Watchdog",
                    "Restored",
                    "Snapshot",
                    "API error",
                    "Post-copy",
                    "Post-copy Error",
                ],
                d as i32,
            ),
        ),
        Lifecycle::Resumed(d) => (
            "Resumed",
            pick(
                &[
                    "Unpaused",
                    "Migrated",
                    "Snapshot",
                    "Post-copy",
                    "Post-copy Error",
                ],
                d as i32,
            ),
        ),
        Lifecycle::Stopped(d) => (
            "Stopped",
            pick(
                &[
                    "Shutdown",
                    "Destroyed",
                    "Crashed",
                    "Migrated",
                    "Saved",
                    "Failed",
                    "Snapshot",
                ],
                d as i32,
            ),
        ),
    }
}

/// An event as virsh prints it (without the timestamp).
fn line(ev: &DomainEvent) -> String {
    let name = &ev.vm.name;
    match &ev.kind {
        EventKind::Lifecycle(l) => {
            let (what, detail) = lifecycle_words(*l);
            format!("event 'lifecycle' for domain '{name}': {what} {detail}\n")
        }
        EventKind::Reboot => format!("event 'reboot' for domain '{name}'\n"),
        EventKind::DeviceAdded(alias) => {
            format!("event 'device-added' for domain '{name}': {alias}\n")
        }
        EventKind::DeviceRemoved(alias) => {
            format!("event 'device-removed' for domain '{name}': {alias}\n")
        }
        EventKind::Tunable(params) => {
            let mut s = format!("event 'tunable' for domain '{name}':\n");
            for (field, value) in params {
                s.push_str(&format!("\t{field}: {}\n", super::stats::typed(value)));
            }
            s
        }
    }
}

/// virsh's default event loop: registered and run in a thread once per process.
fn run_event_loop() -> Result<(), Failure> {
    static START: Once = Once::new();
    let mut failed = None;
    START.call_once(|| match PollLoop::default_loop() {
        Ok(l) => {
            esx_driver::event::register(l.clone());
            std::thread::spawn(move || while l.run_once().is_ok() {});
        }
        Err(e) => failed = Some(e.to_string()),
    });
    match failed {
        Some(e) => Err(Failure::lines(vec![format!(
            "Unable to create the event loop: {e}"
        )])),
        None => Ok(()),
    }
}

pub const EVENT: Cmd = Cmd {
    name: "event",
    group: "events",
    summary: "wait for domain events and print them, or list the event types",
    description: "Waits for one event of the type given (or of any type with --all), or for every one with --loop, until --timeout seconds pass.",
    opts: &[
        Opt::string("domain", "only this domain's events (name, ID or UUID)"),
        Opt::string("event", "the event type to wait for"),
        Opt::flag("all", "every event type"),
        Opt::flag("loop", "go on after the first event"),
        Opt::string("timeout", "stop after this many seconds"),
        Opt::flag("list", "list the event types"),
        Opt::flag("timestamp", "prefix each event with the time"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("list", "all")?;
        a.exclusive("list", "event")?;
        if a.flag("list") {
            for n in NAMES {
                println!("{n}");
            }
            return Ok(());
        }
        let says = |t: String| Failure::lines(vec![t]);
        let ids: Vec<usize> = match (a.flag("all"), a.get("event")) {
            (true, _) => (0..NAMES.len()).collect(),
            (false, Some(e)) => vec![
                NAMES
                    .iter()
                    .position(|n| *n == e)
                    .ok_or_else(|| says(format!("unknown event type {e}")))?,
            ],
            (false, None) => {
                return Err(says(
                    "one of --list, --all, or --event <type> is required".into(),
                ));
            }
        };
        let timeout = match a.get("timeout") {
            None => None,
            Some(t) => match t.parse::<u64>() {
                Ok(n) if n > 0 => Some(Duration::from_secs(n)),
                _ => {
                    return Err(says(format!(
                        "Numeric value '{t}' for <timeout> option is malformed or out of range"
                    )));
                }
            },
        };
        let object = match a.get("domain") {
            Some(key) => Some(lookup(s, key, super::ANY)?.cached().uuid),
            None => None,
        };
        run_event_loop()?;
        let conn = s.conn()?;
        let (tx, rx) = mpsc::channel::<String>();
        let mut registered = Vec::new();
        for id in ids {
            let tx = tx.clone();
            let event = EventId::from_raw(Family::Domain, id as i32)?;
            let deliver = Box::new(move |ev: &DomainEvent| {
                let _ = tx.send(line(ev));
            });
            registered.push(conn.register_event(object, event, Callback::Domain(deliver))?);
        }
        let stop = timeout.map(|t| Instant::now() + t);
        let mut count = 0;
        loop {
            let wait = stop.map(|t| t.saturating_duration_since(Instant::now()));
            let got = match wait {
                Some(w) => rx.recv_timeout(w).ok(),
                None => rx.recv().ok(),
            };
            let Some(text) = got else {
                println!("event loop timed out");
                break;
            };
            if a.flag("timestamp") {
                let now = jiff::Timestamp::now()
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .strftime("%Y-%m-%d %H:%M:%S%.3f+0000")
                    .to_string();
                print!("{now}: {text}");
            } else {
                print!("{text}");
            }
            count += 1;
            if !a.flag("loop") {
                break;
            }
        }
        for id in registered {
            let _ = conn.deregister_event(Family::Domain, id);
        }
        println!("events received: {count}");
        match count {
            0 => Err(Failure::lines(Vec::new())),
            _ => Ok(()),
        }
    },
};
