//! libvirt's SMBIOS sysinfo document as a type, written by the one XML writer; empty entries
//! and sections are left out, as libvirt does.

use super::writer::XmlWriter;

/// One SMBIOS section (`bios`, `system`) with its named entries in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Section {
    pub(crate) name: &'static str,
    pub(crate) entries: Vec<(&'static str, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sysinfo {
    pub(crate) sections: Vec<Section>,
}

impl Sysinfo {
    pub(crate) fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("sysinfo").attr("type", "smbios").open();
        for s in &self.sections {
            let entries: Vec<_> = s
                .entries
                .iter()
                .map(|(n, v)| (*n, v.trim()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            if entries.is_empty() {
                continue;
            }
            w.tag(s.name).open();
            for (name, value) in entries {
                w.tag("entry").attr("name", name).text(value);
            }
            w.close();
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_entries_and_sections_are_left_out() {
        let s = Sysinfo {
            sections: vec![
                Section {
                    name: "bios",
                    entries: vec![("vendor", " ".into())],
                },
                Section {
                    name: "system",
                    entries: vec![("manufacturer", "A&B".into()), ("serial", "".into())],
                },
            ],
        };
        assert_eq!(
            s.to_xml(),
            "<sysinfo type='smbios'>\n  <system>\n    <entry name='manufacturer'>A&amp;B</entry>\n  \
             </system>\n</sysinfo>\n"
        );
    }
}
