//! libvirt's client configuration, `libvirt.conf`: the URI opened when a caller names none
//! (`uri_default`) and the short names that stand for URIs (`uri_aliases`).

use crate::error::{Code, Domain, Error, Result};
use crate::local_file::{AUTH_CONF_MAX, read_bounded};
use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

const SYSTEM_FILE: &str = "/etc/libvirt/libvirt.conf";

/// What the library reads of libvirt.conf.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ClientConf {
    uri_default: Option<String>,
    uri_aliases: Vec<String>,
}

/// A value of libvirt's configuration syntax.
enum Value {
    Str(String),
    List(Vec<String>),
    Other,
}

impl ClientConf {
    /// The file libvirt reads: the system's for root, else the user's
    /// (`$XDG_CONFIG_HOME/libvirt/libvirt.conf`, by default under `~/.config`).
    fn path_with(root: bool, env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
        if root {
            return Some(PathBuf::from(SYSTEM_FILE));
        }
        let non_empty = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dir = non_empty("XDG_CONFIG_HOME")
            .or_else(|| non_empty("HOME").map(|h| h.join(".config")))?;
        Some(dir.join("libvirt").join("libvirt.conf"))
    }

    /// The configuration this process reads; none when the file is absent.
    pub(crate) fn load() -> Result<ClientConf> {
        // The owner of /proc/self is the effective user, as libvirt's geteuid() test asks.
        let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        match Self::path_with(root, |n| std::env::var_os(n)) {
            Some(p) if p.exists() => Self::read(&p),
            _ => Ok(ClientConf::default()),
        }
    }

    fn read(path: &Path) -> Result<ClientConf> {
        let bytes = read_bounded(path, AUTH_CONF_MAX).map_err(|e| {
            Error::new(
                Code::ConfSyntax,
                Domain::Conf,
                format!("{}: {e}", path.display()),
            )
        })?;
        let text = String::from_utf8_lossy(&bytes);
        Self::parse(&text).map_err(|why| {
            Error::new(
                Code::ConfSyntax,
                Domain::Conf,
                format!("{}: {why}", path.display()),
            )
        })
    }

    /// Parses libvirt's `name = value` syntax: strings in either quotes, lists of them in
    /// brackets (across lines), numbers, and `#` comments.
    fn parse(text: &str) -> std::result::Result<ClientConf, String> {
        let mut conf = ClientConf::default();
        let mut p = Parser {
            rest: text,
            line: 1,
        };
        loop {
            p.skip_blank();
            if p.rest.is_empty() {
                return Ok(conf);
            }
            let name = p.word().ok_or_else(|| p.error("expecting a name"))?;
            p.skip_spaces();
            if !p.eat('=') {
                return Err(p.error("expecting an assignment"));
            }
            p.skip_spaces();
            let value = p.value()?;
            match (name, value) {
                ("uri_default", Value::Str(s)) => conf.uri_default = Some(s),
                ("uri_aliases", Value::List(l)) => conf.uri_aliases = l,
                ("uri_default" | "uri_aliases", _) => {
                    return Err(format!("{name} has the wrong type"));
                }
                _ => {}
            }
        }
    }

    /// The URI `alias` stands for, if it is one (libvirt's alias rules and errors).
    fn resolve(&self, alias: &str) -> Result<Option<String>> {
        const ALIAS_CHARS: &str =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";
        for entry in &self.uri_aliases {
            let malformed = |why: &str| {
                Error::new(
                    Code::ConfSyntax,
                    Domain::None,
                    format!("Malformed 'uri_aliases' config entry '{entry}', {why}"),
                )
            };
            let (name, uri) = entry
                .split_once('=')
                .ok_or_else(|| malformed("expected 'alias=uri://host/path'"))?;
            if !name.chars().all(|c| ALIAS_CHARS.contains(c)) {
                return Err(malformed("aliases may only contain 'a-Z, 0-9, _, -'"));
            }
            if name == alias {
                return Ok(Some(uri.to_string()));
            }
        }
        Ok(None)
    }
}

/// The URI a libvirt open call connects to for `name`: when none is given,
/// `$LIBVIRT_DEFAULT_URI`, else libvirt.conf's `uri_default`; then, with `aliases`, the URI
/// that name stands for in `uri_aliases`.
pub(crate) fn resolve_uri(name: Option<&str>, aliases: bool) -> Result<String> {
    let conf = ClientConf::load()?;
    let given = name.filter(|n| !n.is_empty()).map(str::to_string);
    let uri = given
        .or_else(|| {
            std::env::var("LIBVIRT_DEFAULT_URI")
                .ok()
                .filter(|u| !u.is_empty())
        })
        .or_else(|| conf.uri_default.clone())
        .ok_or_else(|| {
            Error::invalid_arg(
                "no connection URI given, LIBVIRT_DEFAULT_URI is not set and libvirt.conf has no \
                 uri_default: name an esx://, gsx:// or vpx:// URI",
            )
        })?;
    match aliases {
        true => Ok(conf.resolve(&uri)?.unwrap_or(uri)),
        false => Ok(uri),
    }
}

struct Parser<'t> {
    rest: &'t str,
    line: usize,
}

impl<'t> Parser<'t> {
    fn error(&self, what: &str) -> String {
        format!("line {}: {what}", self.line)
    }

    fn bump(&mut self, n: usize) {
        self.line += self.rest[..n].matches('\n').count();
        self.rest = &self.rest[n..];
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.rest.starts_with(c);
        if hit {
            self.bump(c.len_utf8());
        }
        hit
    }

    fn skip_spaces(&mut self) {
        let n = self.rest.len() - self.rest.trim_start_matches([' ', '\t']).len();
        self.bump(n);
    }

    /// Blanks, newlines and comments.
    fn skip_blank(&mut self) {
        loop {
            let n = self.rest.len() - self.rest.trim_start().len();
            self.bump(n);
            if !self.rest.starts_with('#') {
                return;
            }
            let end = self.rest.find('\n').unwrap_or(self.rest.len());
            self.bump(end);
        }
    }

    fn word(&mut self) -> Option<&'t str> {
        let n = self
            .rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .unwrap_or(self.rest.len());
        let w = &self.rest[..n];
        self.bump(n);
        (!w.is_empty()).then_some(w)
    }

    fn string(&mut self) -> std::result::Result<Option<String>, String> {
        let Some(q) = self.rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return Ok(None);
        };
        self.bump(1);
        let end = self
            .rest
            .find(q)
            .ok_or_else(|| self.error("unterminated string"))?;
        let s = self.rest[..end].to_string();
        self.bump(end + 1);
        Ok(Some(s))
    }

    fn value(&mut self) -> std::result::Result<Value, String> {
        if let Some(s) = self.string()? {
            return Ok(Value::Str(s));
        }
        if self.eat('[') {
            let mut items = Vec::new();
            loop {
                self.skip_blank();
                if self.eat(']') {
                    return Ok(Value::List(items));
                }
                if !items.is_empty() && !self.eat(',') {
                    return Err(self.error("expecting a separator in list"));
                }
                self.skip_blank();
                if self.eat(']') {
                    return Ok(Value::List(items));
                }
                match self.string()? {
                    Some(s) => items.push(s),
                    None => return Err(self.error("expecting a string in list")),
                }
            }
        }
        self.word()
            .map(|_| Value::Other)
            .ok_or_else(|| self.error("expecting a value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_aliases_comments_and_lists_across_lines() {
        let conf = ClientConf::parse(
            "# libvirt.conf\nuri_default = \"esx://a/?no_verify=1\"\n\
             uri_aliases = [\n  'vc=vpx://vc/dc/h',  # a comment\n  \"esx1=esx://e1/\",\n]\nother = 3\n",
        )
        .unwrap();
        assert_eq!(conf.uri_default.as_deref(), Some("esx://a/?no_verify=1"));
        assert_eq!(
            conf.resolve("vc").unwrap().as_deref(),
            Some("vpx://vc/dc/h")
        );
        assert_eq!(conf.resolve("esx1").unwrap().as_deref(), Some("esx://e1/"));
        assert_eq!(conf.resolve("esx://e1/").unwrap(), None);
    }

    #[test]
    fn malformed_files_and_entries_say_where() {
        assert!(
            ClientConf::parse("uri_default = \"x")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            ClientConf::parse("a = [ 'x'\n 'y' ]")
                .unwrap_err()
                .contains("line 2")
        );
        let bad = |entry: &str| {
            let conf = ClientConf {
                uri_aliases: vec![entry.into()],
                ..ClientConf::default()
            };
            conf.resolve("x").unwrap_err().message()
        };
        assert!(
            bad("novalue").contains("expected 'alias=uri://host/path'"),
            "{}",
            bad("novalue")
        );
        assert!(bad("a b=esx://h/").contains("aliases may only contain"));
    }

    #[test]
    fn root_reads_the_system_file_others_their_own() {
        let env = |n: &str| match n {
            "HOME" => Some(OsString::from("/home/u")),
            _ => None,
        };
        assert_eq!(
            ClientConf::path_with(true, env),
            Some(PathBuf::from(SYSTEM_FILE))
        );
        assert_eq!(
            ClientConf::path_with(false, env),
            Some(PathBuf::from("/home/u/.config/libvirt/libvirt.conf"))
        );
    }
}
