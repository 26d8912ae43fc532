//! Decoding of the single-byte charsets VMX files declare in `.encoding` into UTF-8.
//! Table-driven: only the code points that differ from ISO-8859-1 are listed.

use crate::error::{Error, Result};
use crate::vmx::vmx_error;

/// windows-1252's 0x80..=0x9F; `None` marks bytes the charset leaves undefined.
const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// ISO-8859-15's replacements of ISO-8859-1 code points.
const ISO_8859_15_CHANGES: [(u8, char); 8] = [
    (0xA4, '\u{20AC}'),
    (0xA6, '\u{0160}'),
    (0xA8, '\u{0161}'),
    (0xB4, '\u{017D}'),
    (0xB8, '\u{017E}'),
    (0xBC, '\u{0152}'),
    (0xBD, '\u{0153}'),
    (0xBE, '\u{0178}'),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Ascii,
    Latin1,
    Latin9,
    Windows1252,
}

impl Charset {
    /// Looks a charset up by any of its usual names, ignoring case.
    pub fn by_name(name: &str) -> Result<Charset> {
        let normalized = name.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match normalized.as_str() {
            "utf-8" | "utf8" => Charset::Utf8,
            "ascii" | "us-ascii" => Charset::Ascii,
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" => Charset::Latin1,
            "iso-8859-15" | "iso8859-15" | "latin9" | "latin-9" => Charset::Latin9,
            "windows-1252" | "cp1252" | "win-1252" => Charset::Windows1252,
            _ => return Err(vmx_error(format!("unsupported VMX encoding '{name}'"))),
        })
    }

    pub fn decode(self, bytes: &[u8]) -> Result<String> {
        if self == Charset::Utf8 {
            return Ok(String::from_utf8_lossy(bytes).into_owned());
        }
        bytes
            .iter()
            .map(|&b| self.decode_byte(b).ok_or_else(|| self.unmappable()))
            .collect()
    }

    fn decode_byte(self, b: u8) -> Option<char> {
        if b < 0x80 {
            return Some(char::from(b));
        }
        match self {
            Charset::Utf8 | Charset::Ascii => None,
            Charset::Latin1 => Some(char::from(b)),
            Charset::Latin9 => Some(
                ISO_8859_15_CHANGES
                    .iter()
                    .find(|(code, _)| *code == b)
                    .map_or(char::from(b), |(_, c)| *c),
            ),
            Charset::Windows1252 => match b {
                0x80..=0x9F => WINDOWS_1252_HIGH
                    .get(usize::from(b - 0x80))
                    .copied()
                    .flatten(),
                _ => Some(char::from(b)),
            },
        }
    }

    fn unmappable(self) -> Error {
        vmx_error(format!("Could not convert from {self:?} to UTF-8 encoding"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    /// The windows-1252 vectors of libvirt's esxutilstest.
    #[test]
    fn windows_1252_vectors() {
        let cp = Charset::by_name("Windows-1252").unwrap();
        assert_eq!(cp.decode(b"normal").unwrap(), "normal");
        assert_eq!(cp.decode(&hex("41 80 5a")).unwrap(), "A€Z");
        assert_eq!(
            cp.decode(&hex(
                "41 e4 31 f6 32 fc 33 df 34 23 35 7e 36 21 37 a7 38 2f 39 25 5a"
            ))
            .unwrap(),
            "Aä1ö2ü3ß4#5~6!7§8/9%Z"
        );
        assert_eq!(
            cp.decode(&hex("68 c0 c1 c2 c3 c4 c5 48")).unwrap(),
            "hÀÁÂÃÄÅH"
        );
        assert!(cp.decode(&[0x81]).is_err());
    }

    #[test]
    fn other_charsets() {
        assert_eq!(
            Charset::by_name("ISO-8859-15")
                .unwrap()
                .decode(&[0xa4])
                .unwrap(),
            "€"
        );
        assert_eq!(
            Charset::by_name("latin1").unwrap().decode(&[0xa4]).unwrap(),
            "¤"
        );
        assert!(
            Charset::by_name("us-ascii")
                .unwrap()
                .decode(&[0xa4])
                .is_err()
        );
        assert!(Charset::by_name("klingon").is_err());
    }
}
