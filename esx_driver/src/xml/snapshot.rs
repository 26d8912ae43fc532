//! libvirt's `<domainsnapshot>` document: what a create request may ask of vSphere (name,
//! description, memory), and the description libvirt's ESX driver prints for a snapshot.

use super::reader::{Element, parse_document};
use super::writer::XmlWriter;
use crate::error::{Code, Domain, Error, Result};

/// A create request's definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SnapshotDef {
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    /// `<memory snapshot='no'>` asks for a disk-only snapshot; `None` leaves it to the flags.
    pub(crate) memory: Option<bool>,
}

fn unsupported(detail: impl Into<String>) -> Error {
    Error::new(Code::ConfigUnsupported, Domain::Esx, detail)
}

impl SnapshotDef {
    pub(crate) fn parse(xml: &str) -> Result<SnapshotDef> {
        let root = parse_document(xml)?;
        if root.name != "domainsnapshot" {
            return Err(Error::new(
                Code::XmlError,
                Domain::Xml,
                format!(
                    "unexpected root element <{}>, expecting <domainsnapshot>",
                    crate::error::shorten(&root.name, 64)
                ),
            ));
        }
        let text = |name| {
            root.child(name)
                .map(|e: &Element| e.text.trim().to_string())
        };
        let memory = match root.child("memory").and_then(|m| m.attr("snapshot")) {
            None => None,
            Some("no") => Some(false),
            Some("internal") => Some(true),
            Some("external") => {
                return Err(unsupported(
                    "external memory snapshots are not supported: vSphere keeps a snapshot's \
                     memory state with the VM's own files",
                ));
            }
            Some(other) => {
                return Err(Error::new(
                    Code::XmlError,
                    Domain::Xml,
                    format!(
                        "unknown memory snapshot setting '{}'",
                        crate::error::shorten(other, 64)
                    ),
                ));
            }
        };
        if root.child("disks").is_some_and(|d| !d.children.is_empty()) {
            return Err(unsupported(
                "disk snapshots not supported yet: vSphere snapshots every disk of the VM \
                 internally; leave <disks> out",
            ));
        }
        Ok(SnapshotDef {
            name: text("name").filter(|n| !n.is_empty()),
            description: root.child("description").map(|d| d.text.clone()),
            memory,
        })
    }
}

/// What `virDomainSnapshotGetXMLDesc` describes: one snapshot of a domain.
pub(crate) struct SnapshotDesc<'a> {
    pub(crate) name: &'a str,
    pub(crate) description: &'a str,
    /// libvirt's snapshot state name (`running`, `paused`, `shutoff`).
    pub(crate) state: &'a str,
    pub(crate) parent: Option<&'a str>,
    pub(crate) creation_time: i64,
    pub(crate) domain_uuid: &'a str,
}

impl SnapshotDesc<'_> {
    /// libvirt's formatter output for the definition its ESX driver builds.
    pub(crate) fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("domainsnapshot").open();
        w.tag("name").text(self.name);
        w.tag("description").text(self.description);
        w.tag("state").text(self.state);
        if let Some(parent) = self.parent {
            w.tag("parent").open();
            w.tag("name").text(parent);
            w.close();
        }
        // libvirt leaves out a time it could not read (0).
        if self.creation_time != 0 {
            w.tag("creationTime").text(&self.creation_time.to_string());
        }
        w.tag("domain").open();
        w.tag("uuid").text(self.domain_uuid);
        w.close();
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_name_description_and_memory() {
        let d = SnapshotDef::parse(
            "<domainsnapshot><name> s1 </name><description>a &lt;b&gt; &amp; 'c' \"d\"</description>\
             <memory snapshot='no'/></domainsnapshot>",
        )
        .unwrap();
        assert_eq!(d.name.as_deref(), Some("s1"));
        assert_eq!(d.description.as_deref(), Some("a <b> & 'c' \"d\""));
        assert_eq!(d.memory, Some(false));
        assert_eq!(
            SnapshotDef::parse("<domainsnapshot/>").unwrap(),
            SnapshotDef::default()
        );
    }

    #[test]
    fn what_vsphere_cannot_do_is_refused() {
        let code = |xml| SnapshotDef::parse(xml).unwrap_err().code;
        assert_eq!(code("<domain/>"), Code::XmlError);
        assert_eq!(code("<domainsnapshot"), Code::XmlError);
        assert_eq!(
            code("<domainsnapshot><memory snapshot='external' file='/x'/></domainsnapshot>"),
            Code::ConfigUnsupported
        );
        assert_eq!(
            code("<domainsnapshot><disks><disk name='sda'/></disks></domainsnapshot>"),
            Code::ConfigUnsupported
        );
        assert_eq!(
            code("<domainsnapshot><memory snapshot='bogus'/></domainsnapshot>"),
            Code::XmlError
        );
    }

    #[test]
    fn description_matches_libvirts_esx_output() {
        let xml = SnapshotDesc {
            name: "s<1>",
            description: "a & 'b' \"c\"",
            state: "running",
            parent: Some("root"),
            creation_time: 1_796_083_200,
            domain_uuid: "564d1234-5678-9abc-def0-123456789abc",
        }
        .format();
        assert_eq!(
            xml,
            "<domainsnapshot>\n  <name>s&lt;1&gt;</name>\n  \
             <description>a &amp; &apos;b&apos; &quot;c&quot;</description>\n  \
             <state>running</state>\n  <parent>\n    <name>root</name>\n  </parent>\n  \
             <creationTime>1796083200</creationTime>\n  <domain>\n    \
             <uuid>564d1234-5678-9abc-def0-123456789abc</uuid>\n  </domain>\n</domainsnapshot>\n"
        );
    }
}
