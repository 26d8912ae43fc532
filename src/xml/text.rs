//! Small text pieces shared by every XML document we write: escaping and UUID forms.
//! libvirt writes UUIDs lowercase with dashes and reads them with or without separators.

/// Escapes text for element content or a single-quoted attribute, as libvirt does.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Reads 32 hex digits, allowing `-` and spaces between byte pairs (vSphere and VMX forms).
pub fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let digits: Vec<u8> = s.bytes().filter(|b| *b != b'-' && *b != b' ').collect();
    if digits.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in digits.chunks(2).enumerate() {
        let hex = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(hex, 16).ok()?;
    }
    Some(out)
}

pub fn format_uuid(u: &[u8; 16]) -> String {
    let hex: String = u.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_round_trip() {
        let u = parse_uuid("42 1c 5c 97 d0 2b 0f 4a-b3 fa 3b 4b 92 d0 0d 3a").unwrap();
        assert_eq!(format_uuid(&u), "421c5c97-d02b-0f4a-b3fa-3b4b92d00d3a");
        assert_eq!(parse_uuid("421c5c97-d02b-0f4a-b3fa-3b4b92d00d3a"), Some(u));
        assert_eq!(parse_uuid("xyz"), None);
        assert_eq!(parse_uuid("421c5c97-d02b-0f4a-b3fa-3b4b92d00dzz"), None);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a<b&'c'"), "a&lt;b&amp;&apos;c&apos;");
    }
}
