//! libvirt's capabilities document as a type, written by the one XML writer in libvirt's
//! layout (sections separated by blank lines, as virCapabilitiesFormatXML does).

use super::ids::Uuid;
use super::writer::XmlWriter;

/// The host part: its UUID, CPU architecture and migration transports.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Host {
    pub(crate) uuid: Uuid,
    pub(crate) arch: String,
    /// Whether running guests migrate (`<live/>`).
    pub(crate) live_migration: bool,
    pub(crate) migration_transports: Vec<String>,
}

/// One guest kind the host runs: OS type, architecture with word size, domain type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Guest {
    pub(crate) os_type: String,
    pub(crate) arch: String,
    pub(crate) wordsize: u32,
    pub(crate) domain_type: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Capabilities {
    pub(crate) host: Host,
    pub(crate) guests: Vec<Guest>,
}

impl Capabilities {
    pub(crate) fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("capabilities").open();
        w.blank_line();
        w.tag("host").open();
        w.tag("uuid").text(&self.host.uuid.to_string());
        w.tag("cpu").open();
        w.tag("arch").text(&self.host.arch);
        w.close();
        w.tag("power_management").empty();
        w.tag("iommu").attr("support", "no").empty();
        w.tag("migration_features").open();
        if self.host.live_migration {
            w.tag("live").empty();
        }
        w.tag("uri_transports").open();
        for t in &self.host.migration_transports {
            w.tag("uri_transport").text(t);
        }
        w.close();
        w.close();
        w.close();
        w.blank_line();
        for g in &self.guests {
            w.tag("guest").open();
            w.tag("os_type").text(&g.os_type);
            w.tag("arch").attr("name", &g.arch).open();
            w.tag("wordsize").text(&g.wordsize.to_string());
            w.tag("domain").attr("type", &g.domain_type).empty();
            w.close();
            w.close();
            w.blank_line();
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_in_libvirts_layout() {
        let caps = Capabilities {
            host: Host {
                uuid: Uuid::default(),
                arch: "x86_64".into(),
                live_migration: true,
                migration_transports: vec!["vpxmigr".into()],
            },
            guests: vec![Guest {
                os_type: "hvm".into(),
                arch: "x86_64".into(),
                wordsize: 64,
                domain_type: "vmware".into(),
            }],
        };
        let xml = caps.to_xml();
        assert!(
            xml.starts_with("<capabilities>\n\n  <host>\n    <uuid>00000000-"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<migration_features>\n      <live/>\n      <uri_transports>\n        \
                 <uri_transport>vpxmigr</uri_transport>\n"
            ),
            "{xml}"
        );
        assert!(
            xml.ends_with("    </arch>\n  </guest>\n\n</capabilities>\n"),
            "{xml}"
        );
    }
}
