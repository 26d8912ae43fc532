//! virsh's command grammar: commands and their options as tables, and the parser that turns
//! a command line (argv words, or one string with `;` and quotes) into commands, with virsh's errors.

use std::collections::HashMap;

/// What an option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A flag (`--all`).
    Bool,
    /// A string (`--file F`, or positionally where `positional`).
    Str,
    /// Strings, the option repeated or the words left over (virsh's `--diskspec`).
    Argv,
}

/// One option of a command.
pub struct Opt {
    pub name: &'static str,
    pub kind: Kind,
    /// Given without its `--name`, in order, as virsh's data options are.
    pub positional: bool,
    pub required: bool,
    pub help: &'static str,
}

impl Opt {
    pub const fn flag(name: &'static str, help: &'static str) -> Opt {
        Opt {
            name,
            kind: Kind::Bool,
            positional: false,
            required: false,
            help,
        }
    }
    /// A required positional string (virsh's `<domain>`).
    pub const fn data(name: &'static str, help: &'static str) -> Opt {
        Opt {
            name,
            kind: Kind::Str,
            positional: true,
            required: true,
            help,
        }
    }
    /// An optional string, given by name or in its place among the data words.
    pub const fn optional(name: &'static str, help: &'static str) -> Opt {
        Opt {
            required: false,
            ..Opt::data(name, help)
        }
    }
    /// Strings: the option repeated, or every data word left over.
    pub const fn argv(name: &'static str, help: &'static str) -> Opt {
        Opt {
            kind: Kind::Argv,
            ..Opt::optional(name, help)
        }
    }
    /// An optional string given by name.
    pub const fn string(name: &'static str, help: &'static str) -> Opt {
        Opt {
            name,
            kind: Kind::Str,
            positional: false,
            required: false,
            help,
        }
    }

    /// The synopsis word of a value.
    pub fn value_word(&self) -> &'static str {
        "<string>"
    }
}

/// What a command does when run.
pub type Handler = fn(&mut crate::session::Session, &Args) -> crate::Outcome;

/// One command of the table.
pub struct Cmd {
    pub name: &'static str,
    /// The help group (virsh's "help keyword").
    pub group: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub opts: &'static [Opt],
    pub run: Handler,
}

/// A parsed command: its definition and the options given.
pub struct Args {
    pub cmd: &'static Cmd,
    values: HashMap<&'static str, Vec<String>>,
}

impl Args {
    /// Whether flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value of option `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every value of a repeatable option, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .get(name)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// virsh's refusal of two options given together.
    pub fn exclusive(&self, a: &str, b: &str) -> Result<(), crate::Failure> {
        match self.flag(a) && self.flag(b) {
            true => Err(crate::Failure::lines(vec![format!(
                "Options --{a} and --{b} are mutually exclusive"
            )])),
            false => Ok(()),
        }
    }

    /// The value of a required option (the parser made sure it is there).
    pub fn required(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }
}

/// Parses one command's words; the error is virsh's message, without "error: ".
pub fn parse(table: &'static [Cmd], words: &[String]) -> Result<Args, String> {
    let Some(name) = words.first() else {
        return Err("missing command".into());
    };
    let cmd = table
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| format!("unknown command: '{name}'"))?;
    let mut values: HashMap<&'static str, Vec<String>> = HashMap::new();
    let mut rest = words[1..].iter();
    let mut data_only = false;
    while let Some(word) = rest.next() {
        let named = word
            .strip_prefix("--")
            .filter(|n| !data_only && !n.is_empty());
        let (opt, value) = match named {
            Some(spec) => {
                let (n, inline) = match spec.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (spec, None),
                };
                let opt = cmd.opts.iter().find(|o| o.name == n).ok_or_else(|| {
                    format!("command '{}' doesn't support option --{n}", cmd.name)
                })?;
                let value = match (opt.kind, inline) {
                    (Kind::Bool, Some(_)) => return Err(format!("invalid '=' after option --{n}")),
                    (Kind::Bool, None) => String::new(),
                    (_, Some(v)) => v,
                    (_, None) => rest.next().cloned().ok_or_else(|| {
                        format!("expected syntax: --{} {}", opt.name, opt.value_word())
                    })?,
                };
                (opt, value)
            }
            None if word == "--" && !data_only => {
                data_only = true;
                continue;
            }
            None => {
                let opt = cmd
                    .opts
                    .iter()
                    .find(|o| {
                        o.positional && (o.kind == Kind::Argv || !values.contains_key(o.name))
                    })
                    .ok_or_else(|| format!("unexpected data '{word}'"))?;
                (opt, word.clone())
            }
        };
        let seen = values.entry(opt.name).or_default();
        if !seen.is_empty() && opt.kind != Kind::Argv {
            return Err(format!("option --{} already seen", opt.name));
        }
        seen.push(value);
    }
    if let Some(missing) = cmd
        .opts
        .iter()
        .find(|o| o.required && !values.contains_key(o.name))
    {
        return Err(match missing.positional {
            true => format!("command '{}' requires <{}> option", cmd.name, missing.name),
            false => format!("command '{}' requires --{} option", cmd.name, missing.name),
        });
    }
    Ok(Args { cmd, values })
}

/// Splits one command string as virsh's shell does: words by blanks, quotes ('…', "…") and
/// backslashes, commands by `;` and newlines.
pub fn split_commands(line: &str) -> Result<Vec<Vec<String>>, String> {
    let mut cmds = vec![Vec::new()];
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    cmds.last_mut().expect("one command at least").push(w);
                }
            }
            ';' | '\n' => {
                if let Some(w) = word.take() {
                    cmds.last_mut().expect("one command at least").push(w);
                }
                cmds.push(Vec::new());
            }
            '\'' | '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some(q) if q == c => break,
                        Some('\\') if c == '"' => w.extend(chars.next()),
                        Some(ch) => w.push(ch),
                        None => return Err("missing \"".into()),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).extend(chars.next()),
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        cmds.last_mut().expect("one command at least").push(w);
    }
    Ok(cmds.into_iter().filter(|c| !c.is_empty()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(_: &mut crate::session::Session, _: &Args) -> crate::Outcome {
        Ok(())
    }

    static TABLE: &[Cmd] = &[Cmd {
        name: "dominfo",
        group: "domain",
        summary: "s",
        description: "d",
        opts: &[
            Opt::data("domain", "d"),
            Opt::flag("reason", "r"),
            Opt::string("file", "f"),
        ],
        run: ok,
    }];

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_by_name_position_and_equals() {
        let a = parse(TABLE, &words("dominfo --reason vm1 --file=x")).unwrap();
        assert!(a.flag("reason"));
        assert_eq!((a.get("domain"), a.get("file")), (Some("vm1"), Some("x")));
        let a = parse(TABLE, &words("dominfo --domain=vm1")).unwrap();
        assert_eq!(a.get("domain"), Some("vm1"));
        let a = parse(TABLE, &words("dominfo -- --odd")).unwrap();
        assert_eq!(a.get("domain"), Some("--odd"));
    }

    #[test]
    fn errors_are_virshs() {
        for (line, msg) in [
            ("nosuch", "unknown command: 'nosuch'"),
            ("dominfo", "command 'dominfo' requires <domain> option"),
            ("dominfo a b", "unexpected data 'b'"),
            (
                "dominfo --bogus x",
                "command 'dominfo' doesn't support option --bogus",
            ),
            ("dominfo --file", "expected syntax: --file <string>"),
            ("dominfo --reason=1 a", "invalid '=' after option --reason"),
            ("dominfo a --domain a", "option --domain already seen"),
        ] {
            assert_eq!(
                parse(TABLE, &words(line)).err().as_deref(),
                Some(msg),
                "{line}"
            );
        }
    }

    #[test]
    fn command_strings_split_on_semicolons_and_quotes() {
        assert_eq!(
            split_commands("hostname; dominfo 'a b' \"c\\\"d\"\nuri").unwrap(),
            vec![
                vec!["hostname".to_string()],
                vec!["dominfo".into(), "a b".into(), "c\"d".into()],
                vec!["uri".into()],
            ]
        );
    }
}
