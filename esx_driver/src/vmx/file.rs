//! The VMX file format: reading `name = "value"` lines the way libvirt's virconf does in
//! VMX mode (case-insensitive names, `.encoding`), and writing them in libvirt's style.

use std::collections::HashMap;
use std::fmt::{Display, Write};

use crate::error::{Code, Domain, Error, Result};
use crate::vmx::charset::Charset;
use crate::vmx::{vmx_error, vmx_unsupported};

/// A parsed VMX file: entries in file order plus a case-insensitive index.
#[derive(Debug, Default)]
pub struct VmxFile {
    entries: Vec<(String, String)>,
    /// Lower-cased name → index of its first entry; the first occurrence wins.
    index: HashMap<String, usize>,
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

fn syntax_error(line: usize, info: &str) -> Error {
    Error::new(
        Code::ConfSyntax,
        Domain::Conf,
        format!("line {line}: {info}"),
    )
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    fn advance(&mut self) {
        if self.peek() == Some(b'\n') {
            self.line += 1;
        }
        self.pos += 1;
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.advance();
        }
    }

    fn skip_blanks_and_eol(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.advance();
        }
    }

    fn error(&self, info: &str) -> Error {
        syntax_error(self.line, info)
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.advance();
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    fn name(&mut self) -> Result<&'a [u8]> {
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'.')
        {
            return Err(self.error("expecting a name"));
        }
        Ok(self.take_while(|c| c.is_ascii_alphanumeric() || b"_:.-*".contains(&c)))
    }

    fn value(&mut self) -> Result<&'a [u8]> {
        match self.peek() {
            Some(b'"') if self.starts_with(b"\"\"\"") => {
                self.pos += 3;
                let start = self.pos;
                while self.peek().is_some() && !self.starts_with(b"\"\"\"") {
                    self.advance();
                }
                if self.peek().is_none() {
                    return Err(self.error("unterminated string"));
                }
                let value = self.bytes.get(start..self.pos).unwrap_or_default();
                self.pos += 3;
                Ok(value)
            }
            Some(quote @ (b'"' | b'\'')) => {
                self.advance();
                let value = self.take_while(|c| c != quote && c != b'\n' && c != b'\r');
                if self.peek() != Some(quote) {
                    return Err(self.error("unterminated string"));
                }
                self.advance();
                Ok(value)
            }
            Some(b'[') => Err(self.error("lists not allowed in VMX format")),
            // Beyond libvirt, whose grammar refuses them: Workstation and Fusion write some
            // values bare (`scsi0:0.virtualSSD = 1`, `= TRUE`); read as if quoted.
            Some(c) if c.is_ascii_alphanumeric() || c == b'-' || c == b'+' => {
                Ok(self.take_while(|c| !c.is_ascii_whitespace() && c != b';' && c != b'#'))
            }
            _ => Err(self.error("expecting a value")),
        }
    }

    fn separator(&mut self) -> Result<()> {
        self.skip_blanks();
        match self.peek() {
            None | Some(b'\n' | b'\r') => {}
            Some(b';') => self.advance(),
            // A comment to the end of the line, as after any statement.
            Some(b'#') => {
                self.take_while(|c| c != b'\n' && c != b'\r');
            }
            Some(_) => return Err(self.error("expecting a separator")),
        }
        self.skip_blanks_and_eol();
        Ok(())
    }
}

/// A raw entry: its name, its value's bytes and the line the value is on.
type RawEntry<'a> = (&'a [u8], &'a [u8], usize);

/// Splits the file into raw entries.
fn parse_entries(bytes: &[u8]) -> Result<Vec<RawEntry<'_>>> {
    let mut cursor = Cursor {
        bytes,
        pos: 0,
        line: 1,
    };
    let mut entries = Vec::new();
    loop {
        cursor.skip_blanks_and_eol();
        match cursor.peek() {
            None => break,
            Some(b'#') => {
                cursor.take_while(|c| c != b'\n' && c != b'\r');
                continue;
            }
            Some(_) => {}
        }
        let name = cursor.name()?;
        cursor.skip_blanks();
        if cursor.peek() != Some(b'=') {
            return Err(cursor.error("expecting an assignment"));
        }
        cursor.advance();
        cursor.skip_blanks();
        let line = cursor.line;
        let value = cursor.value()?;
        cursor.separator()?;
        entries.push((name, value, line));
    }
    Ok(entries)
}

impl VmxFile {
    /// Reads a VMX file. The text is decoded with the charset its `.encoding` entry names
    /// (UTF-8 when absent); like libvirt, anything after a NUL byte is ignored.
    pub fn parse(bytes: &[u8]) -> Result<VmxFile> {
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        let raw = parse_entries(bytes.get(..end).unwrap_or_default())?;
        let encoding = raw
            .iter()
            .find(|(name, _, _)| name.eq_ignore_ascii_case(b".encoding"))
            .map(|(_, value, _)| String::from_utf8_lossy(value));
        let charset = match encoding {
            Some(name) => Charset::by_name(&name)?,
            None => Charset::Utf8,
        };
        let mut file = VmxFile::default();
        for (name, value, line) in raw {
            // names are ASCII by construction
            let name = String::from_utf8_lossy(name).into_owned();
            let value = charset.decode(value).map_err(|bad| {
                charset.error(&format!("line {line}, the value of '{name}'"), &bad)
            })?;
            file.index
                .entry(name.to_ascii_lowercase())
                .or_insert(file.entries.len());
            file.entries.push((name, value));
        }
        Ok(file)
    }

    /// The value of the first entry with this name, compared case-insensitively.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        let index = *self.index.get(&name.to_ascii_lowercase())?;
        self.entries.get(index).map(|(_, value)| value.as_str())
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(name, _)| name.as_str())
    }

    /// The numbers N of the devices `prefixN.*` that have keys (the prefix in any case): only
    /// those can be present, so a file costs what it holds, whatever it claims elsewhere.
    pub(crate) fn numbered(&self, prefix: &str) -> std::collections::BTreeSet<u32> {
        self.names()
            .filter_map(|name| {
                let rest = name
                    .get(..prefix.len())
                    .filter(|p| p.eq_ignore_ascii_case(prefix))
                    .and_then(|_| name.get(prefix.len()..))?;
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                rest.get(..digits)?.parse().ok()
            })
            .collect()
    }

    fn required(&self, name: &str) -> Result<&str> {
        self.get(name)
            .ok_or_else(|| vmx_error(format!("Missing essential config entry '{name}'")))
    }

    pub(crate) fn string(&self, name: &str, optional: bool) -> Result<Option<&str>> {
        if optional {
            Ok(self.get(name))
        } else {
            self.required(name).map(Some)
        }
    }

    /// `true`/`false` in any case.
    pub(crate) fn boolean(&self, name: &str, default: bool) -> Result<bool> {
        match self.get(name) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(vmx_error(format!(
                "Config entry '{name}' must represent a boolean value (true|false)"
            ))),
        }
    }

    /// A decimal integer, `unlimited` meaning -1.
    pub(crate) fn long(&self, name: &str, default: i64, optional: bool) -> Result<i64> {
        let Some(value) = (if optional {
            self.get(name)
        } else {
            Some(self.required(name)?)
        }) else {
            return Ok(default);
        };
        if value.eq_ignore_ascii_case("unlimited") {
            return Ok(-1);
        }
        parse_c_long(value).ok_or_else(|| {
            vmx_error(format!(
                "Config entry '{name}' must represent an integer value"
            ))
        })
    }
}

/// strtoll-style: leading whitespace and a sign allowed, nothing after the digits.
pub(crate) fn parse_c_long(text: &str) -> Option<i64> {
    let text = text.trim_start();
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Accumulates `name = "value"` lines: the one way anything is written into a VMX file. A value
/// VMX cannot hold in a quoted string (a `"` or a control character: they would end the line
/// and let the rest become keys of its own) is refused, naming the key; `finish` reports it.
#[derive(Default)]
pub(crate) struct VmxWriter {
    text: String,
    refused: Option<Error>,
}

impl VmxWriter {
    pub(crate) fn set(&mut self, name: impl Display, value: impl Display) {
        let (name, value) = (name.to_string(), value.to_string());
        if self.refused.is_some() {
            return;
        }
        if name.is_empty()
            || !name
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"_:.-*".contains(&c))
        {
            self.refused = Some(vmx_unsupported(format!(
                "'{}' cannot be a VMX key",
                shorten(&name)
            )));
            return;
        }
        if let Some(bad) = value.chars().find(|c| *c == '"' || c.is_control()) {
            self.refused = Some(vmx_unsupported(format!(
                "the value for VMX key '{name}' contains {bad:?}, which a VMX file cannot hold: '{}'",
                shorten(&value)
            )));
            return;
        }
        // writing into a String cannot fail
        let _ = writeln!(self.text, "{name} = \"{value}\"");
    }

    pub(crate) fn finish(self) -> Result<String> {
        match self.refused {
            Some(e) => Err(e),
            None => Ok(self.text),
        }
    }
}

/// At most 64 bytes of a value quoted in an error.
fn shorten(s: &str) -> std::borrow::Cow<'_, str> {
    crate::error::shorten(s, 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_case_insensitively_first_wins() {
        let vmx = b"#!/usr/bin/vmware\n\nconfig.version = \"8\"\nDisplayName='a'\r\ndisplayname = \"b\"\nx = \"\"\"multi\nline\"\"\"\n";
        let file = VmxFile::parse(vmx).unwrap();
        assert_eq!(file.get("CONFIG.VERSION"), Some("8"));
        assert_eq!(file.get("displayName"), Some("a"));
        assert_eq!(file.get("x"), Some("multi\nline"));
        assert_eq!(file.names().count(), 4);
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let cases: [(&[u8], &str); 6] = [
            (
                b"\n\na = [\"x\"]",
                "line 3: lists not allowed in VMX format",
            ),
            (b"a \"x\"", "line 1: expecting an assignment"),
            (b"a = \"x", "line 1: unterminated string"),
            (b"a = \"x\" b", "line 1: expecting a separator"),
            (b"1a = \"x\"", "line 1: expecting a name"),
            (b"a = ", "line 1: expecting a value"),
        ];
        for (input, detail) in cases {
            let e = VmxFile::parse(input).unwrap_err();
            assert_eq!(
                (e.code, e.domain, e.detail.as_str()),
                (Code::ConfSyntax, Domain::Conf, detail)
            );
        }
    }

    /// Workstation's and Fusion's bare values read as if quoted (libvirt refuses them).
    #[test]
    fn bare_values_read_as_quoted() {
        let file = VmxFile::parse(b"a = 5\nb = TRUE ; c = -1\nd = 0x1f # why\n").unwrap();
        let got: Vec<_> = ["a", "b", "c", "d"].iter().map(|n| file.get(n)).collect();
        assert_eq!(got, [Some("5"), Some("TRUE"), Some("-1"), Some("0x1f")]);
    }

    #[test]
    fn decodes_declared_charset() {
        let file =
            VmxFile::parse(b".encoding = \"windows-1252\"\ndisplayName = \"caf\xe9 \x80\"\n")
                .unwrap();
        assert_eq!(file.get("displayName"), Some("café €"));
        assert!(VmxFile::parse(b".encoding = \"ebcdic\"\n").is_err());
        let e = VmxFile::parse(b".encoding = \"windows-1252\"\n\nx = \"a\x81\"\n").unwrap_err();
        assert_eq!(
            e.detail,
            "Could not convert from windows-1252 to UTF-8 encoding: line 3, the value of 'x', \
             byte 2 (0x81) is not windows-1252"
        );
        let gbk = VmxFile::parse(b".encoding = \"GBK\"\ndisplayName = \"\xc4\xe3\"\n").unwrap();
        assert_eq!(gbk.get("displayName"), Some("你"));
    }

    #[test]
    fn typed_getters() {
        let file = VmxFile::parse(
            b"a = \"TRUE\"\nb = \"maybe\"\nc = \" -12\"\nd = \"Unlimited\"\ne = \"1x\"\n",
        )
        .unwrap();
        assert!(file.boolean("a", false).unwrap());
        assert!(file.boolean("b", false).is_err());
        assert!(file.boolean("zz", true).unwrap());
        assert_eq!(file.long("c", 0, true).unwrap(), -12);
        assert_eq!(file.long("d", 0, true).unwrap(), -1);
        assert!(file.long("e", 0, true).is_err());
        assert_eq!(file.long("zz", 7, true).unwrap(), 7);
        let missing = file.long("zz", 0, false).unwrap_err();
        assert_eq!(missing.detail, "Missing essential config entry 'zz'");
    }

    #[test]
    fn writer_quotes_values() {
        let mut w = VmxWriter::default();
        w.set(format_args!("scsi{}.present", 0), true);
        assert_eq!(w.finish().unwrap(), "scsi0.present = \"true\"\n");
    }

    /// Found by the xml_round_trip fuzz target: a carriage return in a domain's name was
    /// written raw into `displayName`, and the VMX file then did not read back.
    #[test]
    fn writer_refuses_values_a_vmx_line_cannot_hold() {
        for bad in ["a\"b", "a\nb", "a\rb", "a\0b"] {
            let mut w = VmxWriter::default();
            w.set("ok", "fine");
            w.set("ethernet0.networkName", bad);
            let err = w.finish().unwrap_err();
            assert!(err.detail.contains("'ethernet0.networkName'"), "{err}");
        }
        let mut w = VmxWriter::default();
        w.set(
            "displayName",
            crate::vmx::escape::escape_hex_pipe("two\r\nlines \"x\""),
        );
        let text = w.finish().unwrap();
        assert_eq!(text, "displayName = \"two|0d|0alines |22x|22\"\n");
        let read = VmxFile::parse(text.as_bytes()).unwrap();
        let name = crate::vmx::escape::unescape_hex(read.get("displayName").unwrap(), b'|');
        assert_eq!(name.as_deref(), Some("two\r\nlines \"x\""));
    }
}
