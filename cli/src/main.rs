//! virsh-esx: virsh's command line over libvirt_esx's Rust API. Global options, the URI and
//! then one command (argv words), several (one argument with `;`) or an interactive shell.

// Standard output ends the program quietly once its reader has gone (a pipe into `head` or
// `grep -q`), with the status a shell shows for virsh killed by SIGPIPE, instead of
// std's panic. These shadow std's macros in every module below.
macro_rules! println {
    () => { $crate::stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

macro_rules! print {
    ($($arg:tt)*) => { $crate::stdout(format_args!($($arg)*)) };
}

mod commands;
mod grammar;
mod help;
mod session;
mod table;

use session::Session;
use std::io::{BufRead, IsTerminal, Write};
use std::time::Instant;

/// What `print!` and `println!` write. A reader gone ends the program with 141 (128 + SIGPIPE,
/// what a shell reports for virsh); another write error is reported once, then the same.
pub fn stdout(text: std::fmt::Arguments) {
    if let Err(e) = std::io::stdout().lock().write_fmt(text) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the output: {e}");
        }
        std::process::exit(141);
    }
}

/// A version number as libvirt prints it (major.minor.micro).
pub fn dotted(v: u64) -> String {
    format!("{}.{}.{}", v / 1_000_000, v / 1_000 % 1_000, v % 1_000)
}

/// The version virsh reports (`-v`): libvirt's, whose API the library implements.
fn version() -> String {
    dotted(esx_driver::abi::LIBVIR_VERSION_NUMBER)
}

/// Why a command failed: virsh's `error:` lines, in order.
pub struct Failure {
    lines: Vec<String>,
}

impl Failure {
    /// A failure with these lines.
    pub fn lines(lines: Vec<String>) -> Failure {
        Failure { lines }
    }

    /// A failed call: virsh's line for what it was doing, then the library's message.
    pub fn call(context: impl Into<String>, e: esx_driver::Error) -> Failure {
        Failure::lines(vec![context.into(), e.message()])
    }
}

impl From<esx_driver::Error> for Failure {
    fn from(e: esx_driver::Error) -> Failure {
        Failure::lines(vec![e.message()])
    }
}

/// What running a command gives.
pub type Outcome = Result<(), Failure>;

/// Global options, as virsh reads them before the command.
struct Globals {
    uri: Option<String>,
    read_only: bool,
    quiet: bool,
    timing: bool,
    rest: Vec<String>,
}

fn usage_error(msg: String) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(1);
}

fn globals(args: &[String]) -> Globals {
    let mut g = Globals {
        uri: None,
        read_only: false,
        quiet: false,
        timing: false,
        rest: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if a.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |short: &str, long: &str| -> String {
            inline
                .clone()
                .or_else(|| {
                    i += 1;
                    args.get(i).cloned()
                })
                .unwrap_or_else(|| {
                    usage_error(format!("option '{short}'/'{long}' requires an argument"))
                })
        };
        match name {
            "-c" | "--connect" => g.uri = Some(value("-c", "--connect")),
            "-r" | "--readonly" => g.read_only = true,
            "-q" | "--quiet" => g.quiet = true,
            "-t" | "--timing" => g.timing = true,
            "-d" | "--debug" => drop(value("-d", "--debug")),
            "-l" | "--log" => drop(value("-l", "--log")),
            "-e" | "--escape" => drop(value("-e", "--escape")),
            "-k" | "--keepalive-interval" => drop(value("-k", "--keepalive-interval")),
            "-K" | "--keepalive-count" => drop(value("-K", "--keepalive-count")),
            "-v" | "--version" if inline.as_deref().is_none_or(|v| v == "short") => {
                println!("{}", version());
                std::process::exit(0);
            }
            "-V" | "--version" => {
                println!("Virsh command line tool of libvirt_esx {}", version());
                std::process::exit(0);
            }
            "-h" | "--help" => {
                print!("{}", help::usage());
                std::process::exit(0);
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                usage_error(format!("unsupported option '{a}'. See --help."))
            }
            _ => {
                g.rest = args[i..].to_vec();
                break;
            }
        }
        i += 1;
    }
    g
}

/// Runs one command's words; false when it failed. Parse errors print no trailing line.
fn run(s: &mut Session, words: &[String], timing: bool) -> bool {
    let args = match grammar::parse(commands::TABLE, words) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("error: {msg}");
            return false;
        }
    };
    // virsh ends at quit or exit, before the newline that ends every other command.
    if matches!(args.cmd.name, "quit" | "exit") {
        return true;
    }
    let start = Instant::now();
    let outcome = (args.cmd.run)(s, &args);
    if let Err(f) = &outcome {
        for line in &f.lines {
            eprintln!("error: {line}");
        }
    }
    // virsh ends every command with a newline, or with the timing (printed even when quiet).
    if timing {
        print!(
            "\n(Time: {:.3} ms)\n\n",
            start.elapsed().as_secs_f64() * 1000.0
        );
    } else if !s.quiet {
        println!();
    }
    let _ = std::io::stdout().flush();
    outcome.is_ok()
}

/// virsh's interactive shell: a prompt per line, each line one or more commands. On a
/// terminal, lines are edited and remembered as readline does (history in
/// `$XDG_CACHE_HOME/virsh-esx/history`, `VIRSH_HISTSIZE` entries, 500 by default); a line read
/// from no terminal is echoed after the prompt, as readline does.
fn shell(s: &mut Session, timing: bool) -> bool {
    s.interactive = true;
    if !s.quiet {
        print!("{}", help::WELCOME);
    }
    let mut lines = Lines::new();
    while let Some(line) = lines.next() {
        match grammar::split_commands(&line) {
            Err(msg) => eprintln!("error: {msg}"),
            Ok(cmds) => {
                for words in cmds {
                    if matches!(words[0].as_str(), "quit" | "exit") {
                        return true;
                    }
                    run(s, &words, timing);
                }
            }
        }
    }
    println!();
    true
}

/// The shell's input: a line editor with history on a terminal, else plain lines.
enum Lines {
    Editor(Box<rustyline::DefaultEditor>, Option<std::path::PathBuf>),
    Plain,
}

impl Lines {
    const PROMPT: &str = "virsh # ";

    fn new() -> Lines {
        if !std::io::stdin().is_terminal() {
            return Lines::Plain;
        }
        let size = std::env::var("VIRSH_HISTSIZE")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500);
        let config = rustyline::Config::builder()
            .max_history_size(size)
            .map(|b| b.auto_add_history(true).build());
        let Ok(Ok(mut editor)) = config.map(rustyline::DefaultEditor::with_config) else {
            return Lines::Plain;
        };
        let path = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache")))
            .map(|dir| dir.join("virsh-esx").join("history"));
        if let Some(p) = &path {
            let _ = editor.load_history(p);
        }
        Lines::Editor(Box::new(editor), path)
    }

    /// The next line, or none at the end of input.
    fn next(&mut self) -> Option<String> {
        match self {
            Lines::Editor(editor, _) => editor.readline(Self::PROMPT).ok(),
            Lines::Plain => {
                print!("{}", Self::PROMPT);
                let _ = std::io::stdout().flush();
                let mut line = String::new();
                match std::io::stdin().lock().read_line(&mut line) {
                    Ok(n) if n > 0 => {
                        print!("{line}");
                        Some(line)
                    }
                    _ => None,
                }
            }
        }
    }
}

impl Drop for Lines {
    fn drop(&mut self) {
        if let Lines::Editor(editor, Some(path)) = self {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = editor.save_history(path);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let g = globals(&args);
    let mut s = Session::new(g.uri, g.read_only, g.quiet);
    // virsh connects before the first command, and a run that cannot connect ends there;
    // its help and completion need no connection.
    let first = g
        .rest
        .first()
        .map(|w| w.split_whitespace().next().unwrap_or_default());
    let offline = matches!(first, Some("help" | "complete" | "connect"));
    if let Some(f) = (!offline).then(|| s.conn().err()).flatten() {
        for line in &f.lines {
            eprintln!("error: {line}");
        }
        std::process::exit(1);
    }
    let ok = match g.rest.len() {
        0 => shell(&mut s, g.timing),
        // Every command runs; the status is the last one's, as virsh's.
        1 => match grammar::split_commands(&g.rest[0]) {
            // quit and exit end the string; the rest is never run.
            Ok(cmds) => cmds
                .iter()
                .take_while(|words| !matches!(words[0].as_str(), "quit" | "exit"))
                .fold(true, |_, words| run(&mut s, words, g.timing)),
            Err(msg) => {
                eprintln!("error: {msg}");
                false
            }
        },
        _ => run(&mut s, &g.rest, g.timing),
    };
    s.close();
    std::process::exit(if ok { 0 } else { 1 });
}
