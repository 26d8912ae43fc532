//! virsh's own commands, which need no hypervisor: `pwd`, `cd`, `echo`, `quit` and `exit`
//! (the shell ends at the last two before running them).

use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};

/// `word` quoted for a shell when it holds a character a shell would read (as virsh's
/// `echo --shell` quotes).
fn shell_quoted(word: &str) -> String {
    const SPECIAL: &str = "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~";
    match word.is_empty() || word.chars().any(|c| SPECIAL.contains(c)) {
        true => format!("'{}'", word.replace('\'', "'\\''")),
        false => word.to_string(),
    }
}

pub const ECHO: Cmd = Cmd {
    name: "echo",
    group: "virsh",
    summary: "print the arguments",
    description: "Prints the words given, quoted for a shell (--shell) or escaped for XML (--xml).",
    opts: &[
        Opt::flag("shell", "quote each word for a shell"),
        Opt::flag("xml", "escape XML's special characters"),
        Opt::flag("err", "print to standard error"),
        Opt::argv("string", "the words"),
    ],
    run: |_: &mut Session, a: &Args| -> Outcome {
        let words: Vec<String> = a
            .all("string")
            .iter()
            .map(|w| match a.flag("shell") {
                true => shell_quoted(w),
                false => w.to_string(),
            })
            .map(|w| match a.flag("xml") {
                true => esx_driver::xml::escape_text(&w),
                false => w,
            })
            .collect();
        // Without a newline: the run's own ends the line.
        match a.flag("err") {
            true => eprintln!("{}", words.join(" ")),
            false => print!("{}", words.join(" ")),
        }
        Ok(())
    },
};

pub const PWD: Cmd = Cmd {
    name: "pwd",
    group: "virsh",
    summary: "print the current directory",
    description: "",
    opts: &[],
    run: |_: &mut Session, _: &Args| -> Outcome {
        let dir = std::env::current_dir()
            .map_err(|e| Failure::lines(vec![format!("pwd: cannot get current directory: {e}")]))?;
        println!("{}", dir.display());
        Ok(())
    },
};

pub const CD: Cmd = Cmd {
    name: "cd",
    group: "virsh",
    summary: "change the current directory (interactive shell)",
    description: "Changes the shell's directory to DIR, or to the home directory.",
    opts: &[Opt::optional("dir", "the directory")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        if !s.interactive {
            return Err(Failure::lines(vec![
                "cd: command valid only in interactive mode".into(),
            ]));
        }
        let dir = a
            .get("dir")
            .map(str::to_string)
            .or_else(|| std::env::var("HOME").ok())
            .unwrap_or_else(|| "/".into());
        std::env::set_current_dir(&dir).map_err(|e| {
            let why = e.to_string();
            let why = why
                .split(" (os error")
                .next()
                .unwrap_or_default()
                .to_string();
            Failure::lines(vec![format!("cd: {why}: {dir}")])
        })
    },
};

/// `quit` and `exit`: the shell ends before running them; given as a command, nothing to do.
macro_rules! leave {
    ($name:literal) => {
        Cmd {
            name: $name,
            group: "virsh",
            summary: "leave the interactive shell",
            description: "",
            opts: &[],
            run: |_: &mut Session, _: &Args| -> Outcome { Ok(()) },
        }
    };
}

pub const QUIT: Cmd = leave!("quit");
pub const EXIT: Cmd = leave!("exit");
