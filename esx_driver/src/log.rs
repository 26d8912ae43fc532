//! The library's log, configured as libvirt's is: `LIBVIRT_DEBUG` (level 1–4), and the subset of
//! `LIBVIRT_LOG_FILTERS` / `LIBVIRT_LOG_OUTPUTS` that applies here (a level, stderr or a file).
//!
//! Default: warnings and errors to stderr, as libvirt's client library. Nothing logged ever
//! holds a password or the session cookie: callers pass what to redact.

use std::fmt::Arguments;
use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

/// libvirt's priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Debug = 1,
    Info = 2,
    Warning = 3,
    Error = 4,
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        match s.trim() {
            "1" | "debug" => Some(Level::Debug),
            "2" | "info" => Some(Level::Info),
            "3" | "warning" | "warn" => Some(Level::Warning),
            "4" | "error" => Some(Level::Error),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

enum Output {
    Stderr,
    File(Mutex<std::fs::File>),
}

struct Log {
    level: Level,
    output: Output,
}

/// The configuration from the environment: `LIBVIRT_DEBUG=N`, filters `N:name` for `esx`
/// (or `*`), and the first output `N:stderr` or `N:file:PATH` (others, such as journald, are
/// not ours to write to).
fn from_env(
    debug: Option<&str>,
    filters: Option<&str>,
    outputs: Option<&str>,
) -> (Level, Option<String>) {
    let mut level = debug.and_then(Level::parse).unwrap_or(Level::Warning);
    for filter in filters.unwrap_or("").split_whitespace() {
        let Some((l, name)) = filter.split_once(':') else {
            continue;
        };
        let name = name.trim_start_matches('+');
        if (name == "*" || name.contains("esx"))
            && let Some(l) = Level::parse(l)
        {
            level = level.min(l);
        }
    }
    let mut file = None;
    for output in outputs.unwrap_or("").split_whitespace() {
        let mut parts = output.splitn(3, ':');
        let (Some(l), Some(kind)) = (parts.next().and_then(Level::parse), parts.next()) else {
            continue;
        };
        match (kind, parts.next()) {
            ("stderr", _) => {}
            ("file", Some(path)) => file = Some(path.to_string()),
            _ => continue,
        }
        level = level.min(l);
        break;
    }
    (level, file)
}

fn config() -> &'static Log {
    static LOG: OnceLock<Log> = OnceLock::new();
    LOG.get_or_init(|| {
        let var = |n| std::env::var(n).ok();
        let (level, file) = from_env(
            var("LIBVIRT_DEBUG").as_deref(),
            var("LIBVIRT_LOG_FILTERS").as_deref(),
            var("LIBVIRT_LOG_OUTPUTS").as_deref(),
        );
        let output = file
            .and_then(|p| {
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .ok()
            })
            .map_or(Output::Stderr, |f| Output::File(Mutex::new(f)));
        Log { level, output }
    })
}

pub(crate) fn enabled(level: Level) -> bool {
    level >= config().level
}

/// Writes one line when `level` is enabled, with every `redact` string replaced.
pub(crate) fn write(level: Level, redact: &[&str], args: Arguments<'_>) {
    let log = config();
    if level < log.level {
        return;
    }
    let mut line = args.to_string();
    for secret in redact.iter().filter(|s| !s.is_empty()) {
        line = line.replace(secret, "[redacted]");
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let line = format!(
        "{}.{:03}: {}: {} : libvirt_esx: {line}\n",
        now.as_secs(),
        now.subsec_millis(),
        std::process::id(),
        level.name()
    );
    let _ = match &log.output {
        Output::Stderr => std::io::stderr().write_all(line.as_bytes()),
        Output::File(f) => f
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .write_all(line.as_bytes()),
    };
}

/// `<password>…</password>` contents replaced, for SOAP bodies that carry a Login.
pub(crate) fn without_passwords(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<password>") {
        let open_end = start + "<password>".len();
        out.push_str(&rest[..open_end]);
        out.push_str("[redacted]");
        rest = rest[open_end..]
            .find("</password>")
            .map_or("", |end| &rest[open_end + end..]);
    }
    out.push_str(rest);
    out
}

macro_rules! log {
    ($level:ident, $redact:expr, $($arg:tt)*) => {
        $crate::log::write($crate::log::Level::$level, $redact, format_args!($($arg)*))
    };
}
pub(crate) use log;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libvirts_variables_set_the_level_and_output() {
        assert_eq!(from_env(None, None, None), (Level::Warning, None));
        assert_eq!(from_env(Some("1"), None, None).0, Level::Debug);
        assert_eq!(from_env(None, Some("3:remote 1:esx"), None).0, Level::Debug);
        assert_eq!(from_env(None, Some("1:qemu"), None).0, Level::Warning);
        assert_eq!(
            from_env(None, None, Some("2:journald 2:file:/tmp/l.log")),
            (Level::Info, Some("/tmp/l.log".into()))
        );
    }

    #[test]
    fn passwords_are_cut_out_of_bodies() {
        let b = "<Login><userName>root</userName><password>s&lt;3</password></Login><password>x";
        assert_eq!(
            without_passwords(b),
            "<Login><userName>root</userName><password>[redacted]</password></Login><password>[redacted]"
        );
    }
}
