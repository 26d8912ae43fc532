//! Applications' metadata elements in a VMX file: one `libvirt_esx.metadata.<id>` entry per
//! namespace, `<id>` a hash of the namespace URI (VMX names hold no URI's characters).

use super::escape::{escape_hex_pipe, unescape_hex};
use super::file::{VmxFile, VmxWriter};
use crate::log::log;
use crate::xml::metadata::Metadata;

pub(crate) const PREFIX: &str = "libvirt_esx.metadata.";

/// The entry holding namespace `uri`'s element: FNV-1a, 64 bits, in hex. A collision is
/// seen on reading (the element names its own namespace) and so never mixes two up.
pub fn key(uri: &str) -> String {
    let hash = uri.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{PREFIX}{hash:016x}")
}

pub(crate) fn format(metadata: &[Metadata], w: &mut VmxWriter) {
    for m in metadata {
        w.set(key(&m.uri), escape_hex_pipe(&m.xml));
    }
}

/// The elements a VMX file holds. One that is not well-formed XML under its namespace
/// (edited by hand, or by another tool) is left out with a warning, not an error: the rest
/// of the domain stays readable.
pub(crate) fn parse(vmx: &VmxFile) -> Vec<Metadata> {
    let mut kept = Vec::new();
    for name in vmx.names() {
        let Some(id) = name.get(..PREFIX.len()) else {
            continue;
        };
        if !id.eq_ignore_ascii_case(PREFIX) {
            continue;
        }
        match stored(vmx.get(name).unwrap_or_default(), name) {
            Ok(m) => kept.push(m),
            Err(why) => log!(Warning, &[], "VMX entry '{name}' ignored: {why}"),
        }
    }
    kept
}

fn stored(value: &str, name: &str) -> Result<Metadata, String> {
    let xml = unescape_hex(value, b'|').ok_or("invalid escape sequence")?;
    let m = Metadata::stored(&xml).map_err(|e| e.message())?;
    match key(&m.uri).eq_ignore_ascii_case(name) {
        true => Ok(m),
        false => Err(format!(
            "its element's namespace '{}' belongs elsewhere",
            m.uri
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_round_trip_through_entries_named_for_their_namespace() {
        let m = Metadata::new("<x a='\"|'>1</x>", "app", "http://app/1").unwrap();
        let mut w = VmxWriter::default();
        format(std::slice::from_ref(&m), &mut w);
        let text = w.finish().unwrap();
        assert!(
            text.contains(&format!(
                "{} = \"<app:x xmlns:app=|22http://app/1|22",
                key(&m.uri)
            )),
            "{text}"
        );
        let vmx = VmxFile::parse(text.as_bytes()).unwrap();
        assert_eq!(parse(&vmx), [m]);
    }

    #[test]
    fn a_foreign_or_broken_entry_is_left_out() {
        let other = format!("{} = \"<a:x xmlns:a=|22urn:a|22/>\"\n", key("urn:b"));
        let broken = format!("{} = \"<a:x>\"\n", key("urn:a"));
        for text in [other, broken] {
            assert!(
                parse(&VmxFile::parse(text.as_bytes()).unwrap()).is_empty(),
                "{text}"
            );
        }
    }
}
