//! virsh's help in its layout: the usage of the program, the grouped command list, one
//! group, and one command's NAME / SYNOPSIS / DESCRIPTION / OPTIONS, all from the table.

use crate::commands::TABLE;
use crate::grammar::{Args, Cmd, Kind};
use crate::session::Session;
use crate::{Failure, Outcome};

/// The interactive shell's greeting, in virsh's layout.
pub const WELCOME: &str = "Welcome to virsh-esx, virsh for VMware.\n\n\
Type:  'help' for help with commands\n       'quit' to quit\n\n";

/// The help groups, in virsh's order: (keyword, title).
const GROUPS: &[(&str, &str)] = &[
    ("domain", "Domain Management"),
    ("monitor", "Domain Monitoring"),
    ("events", "Domain Events"),
    ("host", "Host and Hypervisor"),
    ("interface", "Interface"),
    ("network", "Networking"),
    ("nodedev", "Node Device"),
    ("snapshot", "Snapshot"),
    ("pool", "Storage Pool"),
    ("volume", "Storage Volume"),
    ("virsh", "Virsh itself"),
];

/// `virsh-esx --help`.
pub fn usage() -> String {
    let mut s = String::from(
        "\nvirsh-esx [options]... [<command_string>]\n\
         virsh-esx [options]... <command> [args...]\n\n  \
         options:\n    \
         -c | --connect=URI      hypervisor connection URI\n    \
         -d | --debug=NUM        debug level [0-4] (accepted, not used)\n    \
         -e | --escape <char>    set escape sequence for console\n    \
         -h | --help             this help\n    \
         -k | --keepalive-interval=NUM\n                            keepalive interval in seconds\n    \
         -K | --keepalive-count=NUM\n                            number of possible missed keepalive messages\n    \
         -l | --log=FILE         output logging to file (accepted, not used)\n    \
         -q | --quiet            quiet mode\n    \
         -r | --readonly         connect readonly\n    \
         -t | --timing           print timing information\n    \
         -v                      short version\n    \
         -V                      long version\n         \
         --version[=TYPE]   version, TYPE is short or long (default short)\n  \
         commands (non interactive mode):\n\n",
    );
    for (key, title) in GROUPS {
        s.push_str(&group(key, title));
    }
    s.push_str("\n  (specify help <group> for details about the commands in the group)\n\n");
    s.push_str("  (specify help <command> for details about the command)\n\n");
    s
}

fn group(key: &str, title: &str) -> String {
    let mut s = format!(" {title} (help keyword '{key}'):\n");
    for c in TABLE.iter().filter(|c| c.group == key) {
        s.push_str(&format!("    {:<30} {}\n", c.name, c.summary));
    }
    s.push('\n');
    s
}

/// One command's help.
fn command(c: &Cmd) -> String {
    let mut synopsis = String::from(c.name);
    for o in c.opts {
        synopsis.push(' ');
        synopsis.push_str(&match (o.kind, o.positional, o.required) {
            (Kind::Bool, ..) => format!("[--{}]", o.name),
            (Kind::Argv, ..) => format!("[[--{}] {}]...", o.name, o.value_word()),
            (_, true, true) => format!("<{}>", o.name),
            (_, true, false) => format!("[<{}>]", o.name),
            (_, false, true) => format!("--{} {}", o.name, o.value_word()),
            (_, false, false) => format!("[--{} {}]", o.name, o.value_word()),
        });
    }
    let mut s = format!(
        "  NAME\n    {} - {}\n\n  SYNOPSIS\n    {synopsis}\n\n",
        c.name, c.summary
    );
    if !c.description.is_empty() {
        s.push_str(&format!("  DESCRIPTION\n    {}\n\n", c.description));
    }
    if !c.opts.is_empty() {
        s.push_str("  OPTIONS\n");
        for o in c.opts {
            let head = match (o.kind, o.positional) {
                (Kind::Bool, _) => format!("--{}", o.name),
                (_, true) => format!("[--{}] {}", o.name, o.value_word()),
                (_, false) => format!("--{} {}", o.name, o.value_word()),
            };
            s.push_str(&format!("    {head:<15}  {}\n", o.help));
        }
        s.push('\n');
    }
    s
}

/// `help [COMMAND|GROUP]`.
pub fn cmd_help(_: &mut Session, a: &Args) -> Outcome {
    let Some(what) = a.get("command") else {
        print!("Grouped commands:\n\n");
        for (key, title) in GROUPS {
            print!("{}", group(key, title));
        }
        return Ok(());
    };
    if let Some(c) = TABLE.iter().find(|c| c.name == what) {
        print!("{}", command(c));
        return Ok(());
    }
    match GROUPS.iter().find(|(key, _)| *key == what) {
        // One group alone has no blank line after it; the run's own ends it.
        Some((key, title)) => {
            print!(
                "{}",
                group(key, title).trim_end_matches('\n').to_owned() + "\n"
            );
            Ok(())
        }
        None => Err(Failure::lines(vec![format!(
            "command or command group '{what}' doesn't exist"
        )])),
    }
}
