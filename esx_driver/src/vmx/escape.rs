//! The escapings around VMX values and datastore items: VMware's `|XX` and `%XX` hex
//! escapes, and the file-name escaping the ESX driver applies to new datastore items.

/// `|`, `"` and control characters become `|7c`, `|22`, `|0a`… (displayName, annotation), as
/// VMware writes multi-line annotations.
pub(crate) fn escape_hex_pipe(text: &str) -> String {
    escape_hex(text, '|', "\"")
}

/// `%`, `/` and `\` become `%25`, `%2f` and `%5c` (displayName, datastore items).
pub(crate) fn escape_hex_percent(text: &str) -> String {
    escape_hex(text, '%', "/\\")
}

fn escape_hex(text: &str, escape: char, special: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == escape || special.contains(c) || c.is_ascii_control() {
            out.push_str(&format!("{escape}{:02x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Reverses `escXX` (any-case hex) into the byte it names; `None` for a lone escape char.
/// Bytes that do not form UTF-8 are replaced, as the result feeds UTF-8 XML.
pub(crate) fn unescape_hex(text: &str, escape: u8) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == escape {
            let digits = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(digits).ok()?;
            if !hex.bytes().all(|d| d.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The ESX driver's escaping of a name used as a datastore file or directory name:
/// Windows-special characters become `_`, then `%XX` hex escaping, then VMware's base64
/// variant for every run of other characters.
pub(crate) fn escape_datastore_item(item: &str) -> String {
    let replaced: String = item
        .chars()
        .map(|c| if "\"*<>:|?".contains(c) { '_' } else { c })
        .collect();
    escape_base64(&escape_hex_percent(&replaced))
}

fn is_plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"'(),. _-".contains(&b)
}

/// Runs of bytes outside the plain set are written as `+<base64>` (`,` instead of `/`, no
/// padding), closed by `-` unless the string ends there.
fn escape_base64(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_plain(b) {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let run_len = bytes[i..].iter().take_while(|&&b| !is_plain(b)).count();
        let run = &bytes[i..i + run_len];
        out.push('+');
        for chunk in run.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (k, &b)| acc | u32::from(b) << (16 - 8 * k));
            let sextets = chunk.len() + 1;
            for k in 0..sextets {
                let index = (n >> (18 - 6 * k)) & 0x3f;
                out.push(char::from(ALPHABET[index as usize]));
            }
        }
        i += run_len;
        if i < bytes.len() {
            out.push('-');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_escapes_round_trip() {
        assert_eq!(escape_hex_pipe("a|b\"c"), "a|7cb|22c");
        assert_eq!(escape_hex_percent("100%/x\\"), "100%25%2fx%5c");
        assert_eq!(unescape_hex("a|7Cb|22", b'|').as_deref(), Some("a|b\""));
        assert_eq!(unescape_hex("%c3%a4", b'%').as_deref(), Some("ä"));
        for bad in ["|", "|7", "|zz", "a|7"] {
            assert_eq!(unescape_hex(bad, b'|'), None, "{bad}");
        }
    }

    /// The EscapeDatastoreItem vectors of libvirt's esxutilstest.
    #[test]
    fn datastore_item_vectors() {
        let vectors = [
            ("normal", "normal"),
            (
                "Aä1ö2ü3ß4#5~6!7§8/9%Z",
                "A+w6Q-1+w7Y-2+w7w-3+w58-4+Iw-5+fg-6+IQ-7+wqc-8+JQ-2f9+JQ-25Z",
            ),
            (
                "Z~6!7§8/9%0#1\"2'3`4&A",
                "Z+fg-6+IQ-7+wqc-8+JQ-2f9+JQ-250+Iw-1_2'3+YA-4+Jg-A",
            ),
            ("標準語", "+5qiZ5rqW6Kqe"),
            (
                "!\"#$%&'()*+,-./0123456789:;<=>?",
                "+IQ-_+IyQl-25+Jg-'()_+Kw-,-.+JQ-2f0123456789_+Ow-_+PQ-__",
            ),
            ("A Z[\\]^_B", "A Z+WyU-5c+XV4-_B"),
            ("A`B@{|}~DEL", "A+YA-B+QHs-_+fX4-DEL"),
            ("hÀÁÂÃÄÅH", "h+w4DDgcOCw4PDhMOF-H"),
            ("A\u{CFC0}Z", "A+7L+A-Z"),
            ("!\u{CFC0}A", "+Iey,gA-A"),
            ("~~~", "+fn5+"),
            ("~~~A", "+fn5+-A"),
            ("K%U/H\\Z", "K+JQ-25U+JQ-2fH+JQ-5cZ"),
            ("vvv<A\"B\"C>zzz", "vvv_A_B_C_zzz"),
        ];
        for (input, expected) in vectors {
            assert_eq!(escape_datastore_item(input), expected, "{input}");
        }
    }
}
