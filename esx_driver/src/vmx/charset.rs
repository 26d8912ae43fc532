//! Decoding of the charset a VMX file declares in `.encoding` into UTF-8: ASCII, ISO-8859-1 and
//! windows-1252 exactly as libvirt's iconv reads them, every other label through encoding_rs.
//!
//! The WHATWG labels encoding_rs knows cover what VMware products write (GBK, Shift_JIS, Big5,
//! the windows-125x family, EUC-KR as `windows-949-2000` …); the three read here byte by byte
//! are the ones where WHATWG differs from iconv (it reads ASCII and ISO-8859-1 as windows-1252,
//! and windows-1252's five undefined bytes as C1 controls, which iconv refuses).

use crate::error::{Error, Result};
use crate::vmx::vmx_error;
use encoding_rs::{DecoderResult, Encoding};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    Utf8,
    Ascii,
    Latin1,
    Windows1252,
    /// Any other label encoding_rs knows.
    Other(&'static Encoding),
}

/// Where a value's bytes stop being text of the declared charset: the byte's offset.
pub(crate) struct Undecodable {
    pub(crate) offset: usize,
    pub(crate) byte: u8,
}

impl Charset {
    /// Looks a charset up by any of its usual names, ignoring case.
    pub(crate) fn by_name(name: &str) -> Result<Charset> {
        let normalized = name.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match normalized.as_str() {
            "utf-8" | "utf8" => Charset::Utf8,
            "ascii" | "us-ascii" => Charset::Ascii,
            "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" => Charset::Latin1,
            "windows-1252" | "cp1252" | "win-1252" => Charset::Windows1252,
            // VMware names Korean "windows-949-2000"; WHATWG knows it as windows-949.
            other => Encoding::for_label(other.trim_end_matches("-2000").as_bytes())
                .map(Charset::Other)
                .ok_or_else(|| vmx_error(format!("unsupported VMX encoding '{name}'")))?,
        })
    }

    /// The charset's name in errors.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Ascii => "US-ASCII",
            Charset::Latin1 => "ISO-8859-1",
            Charset::Windows1252 => "windows-1252",
            Charset::Other(e) => e.name(),
        }
    }

    /// `bytes` as text; where they are not text of this charset, the first such byte.
    pub(crate) fn decode(self, bytes: &[u8]) -> std::result::Result<String, Undecodable> {
        match self {
            // libvirt reads a file without `.encoding` as UTF-8 and keeps what is not.
            Charset::Utf8 => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Charset::Other(e) => decode_with(e, bytes),
            _ => bytes
                .iter()
                .enumerate()
                .map(|(offset, &byte)| self.decode_byte(byte).ok_or(Undecodable { offset, byte }))
                .collect(),
        }
    }

    fn decode_byte(self, b: u8) -> Option<char> {
        if b < 0x80 {
            return Some(char::from(b));
        }
        match self {
            Charset::Latin1 => Some(char::from(b)),
            Charset::Windows1252 => match b {
                0x80..=0x9F => WINDOWS_1252_HIGH
                    .get(usize::from(b - 0x80))
                    .copied()
                    .flatten(),
                _ => Some(char::from(b)),
            },
            Charset::Utf8 | Charset::Ascii | Charset::Other(_) => None,
        }
    }

    /// The error for a value that is not text of this charset.
    pub(crate) fn error(self, what: &str, bad: &Undecodable) -> Error {
        vmx_error(format!(
            "Could not convert from {} to UTF-8 encoding: {what}, byte {} (0x{:02x}) is not {}",
            self.name(),
            bad.offset + 1,
            bad.byte,
            self.name()
        ))
    }
}

fn decode_with(e: &'static Encoding, bytes: &[u8]) -> std::result::Result<String, Undecodable> {
    let mut decoder = e.new_decoder_without_bom_handling();
    let room = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(usize::MAX);
    let mut out = String::with_capacity(room.min(bytes.len().saturating_mul(3) + 16));
    let mut at = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[at..], &mut out, true);
        at += read;
        match result {
            DecoderResult::InputEmpty => return Ok(out),
            DecoderResult::OutputFull => out.reserve(bytes.len() - at + 16),
            DecoderResult::Malformed(bad, _) => {
                // The malformed sequence ends `bad` bytes before where the decoder stopped
                // (less any it read past it): name its first byte.
                let offset = at.saturating_sub(usize::from(bad));
                let offset = offset.min(bytes.len().saturating_sub(1));
                return Err(Undecodable {
                    offset,
                    byte: bytes.get(offset).copied().unwrap_or_default(),
                });
            }
        }
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

    fn text(charset: &str, bytes: &[u8]) -> Option<String> {
        Charset::by_name(charset).unwrap().decode(bytes).ok()
    }

    /// The windows-1252 vectors of libvirt's esxutilstest.
    #[test]
    fn windows_1252_vectors() {
        assert_eq!(text("Windows-1252", b"normal").unwrap(), "normal");
        assert_eq!(text("Windows-1252", &hex("41 80 5a")).unwrap(), "A€Z");
        assert_eq!(
            text(
                "Windows-1252",
                &hex("41 e4 31 f6 32 fc 33 df 34 23 35 7e 36 21 37 a7 38 2f 39 25 5a")
            )
            .unwrap(),
            "Aä1ö2ü3ß4#5~6!7§8/9%Z"
        );
        assert_eq!(
            text("Windows-1252", &hex("68 c0 c1 c2 c3 c4 c5 48")).unwrap(),
            "hÀÁÂÃÄÅH"
        );
        assert!(text("Windows-1252", &[0x81]).is_none());
    }

    #[test]
    fn other_charsets() {
        assert_eq!(text("ISO-8859-15", &[0xa4]).unwrap(), "€");
        assert_eq!(text("latin1", &[0xa4]).unwrap(), "¤");
        assert_eq!(
            text("latin1", &[0x80]).unwrap(),
            "\u{80}",
            "iconv's ISO-8859-1"
        );
        assert!(text("us-ascii", &[0xa4]).is_none());
        assert!(Charset::by_name("klingon").is_err());
    }

    /// The labels VMware products write, each decoding its own text.
    #[test]
    fn vmware_labels() {
        let cases: [(&str, &[u8], &str); 6] = [
            ("GBK", &[0xc4, 0xe3, 0xba, 0xc3], "你好"),
            ("Shift_JIS", &[0x82, 0xa0], "あ"),
            ("windows-949-2000", &[0xc7, 0xd1], "한"),
            ("windows-1251", &[0xcf, 0xf0, 0xe8], "При"),
            ("windows-1258", &[0x41, 0xd2], "A\u{309}"),
            ("Big5", &[0xa4, 0xa4], "中"),
        ];
        for (label, bytes, want) in cases {
            assert_eq!(text(label, bytes).as_deref(), Some(want), "{label}");
            assert_eq!(text(label, b"plain ASCII").as_deref(), Some("plain ASCII"));
        }
    }

    #[test]
    fn the_first_bad_byte_is_named() {
        let gbk = Charset::by_name("GBK").unwrap();
        let bad = gbk.decode(&[b'a', b'b', 0xff, b'c']).unwrap_err();
        assert_eq!((bad.offset, bad.byte), (2, 0xff));
        let e = gbk.error("line 3, the value of 'displayName'", &bad);
        assert_eq!(
            e.detail,
            "Could not convert from GBK to UTF-8 encoding: line 3, the value of 'displayName', \
             byte 3 (0xff) is not GBK"
        );
        let bad = Charset::Windows1252.decode(b"ok\x81").unwrap_err();
        assert_eq!((bad.offset, bad.byte), (2, 0x81));
    }
}
