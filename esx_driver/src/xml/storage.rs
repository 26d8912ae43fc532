//! libvirt's `<pool>` and `<volume>` documents: what libvirt's ESX driver prints for a datastore
//! and a file on it, and what a create request may ask (an NFS pool; a disk or file volume).

use super::reader::{Element, parse_document};
use super::writer::XmlWriter;
use crate::error::{Code, Domain, Error, Result};

/// A pool as `virStoragePoolGetXMLDesc` describes it.
pub(crate) struct PoolDesc<'a> {
    /// `dir`, `fs`, `netfs` or `iscsi`.
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    pub(crate) uuid: &'a str,
    pub(crate) capacity: u64,
    pub(crate) allocation: u64,
    pub(crate) available: u64,
    /// `<source>`'s hosts (name, port), directory and format, as the pool type has them.
    pub(crate) host: Option<(&'a str, Option<u16>)>,
    pub(crate) dir: Option<&'a str>,
    pub(crate) format: Option<&'a str>,
    /// iSCSI: the target's IQN, which libvirt's ESX driver writes as the initiator's.
    pub(crate) iqn: Option<&'a str>,
    pub(crate) target_path: Option<&'a str>,
}

impl PoolDesc<'_> {
    pub(crate) fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("pool").attr("type", self.kind).open();
        w.tag("name").text(self.name);
        w.tag("uuid").text(self.uuid);
        for (tag, value) in [
            ("capacity", self.capacity),
            ("allocation", self.allocation),
            ("available", self.available),
        ] {
            w.tag(tag).attr("unit", "bytes").text(&value.to_string());
        }
        w.tag("source").open();
        if let Some((name, port)) = self.host {
            w.tag("host")
                .attr("name", name)
                .attr_opt("port", port)
                .empty();
        }
        if let Some(dir) = self.dir {
            w.tag("dir").attr("path", dir).empty();
        }
        if let Some(iqn) = self.iqn {
            w.tag("initiator").open();
            w.tag("iqn").attr("name", iqn).empty();
            w.close();
        }
        if let Some(format) = self.format {
            w.tag("format").attr("type", format).empty();
        }
        w.close();
        w.tag("target").open();
        if let Some(path) = self.target_path {
            w.tag("path").text(path);
        }
        // libvirt's ESX driver leaves the permissions zeroed, and its formatter prints them.
        w.tag("permissions").open();
        w.tag("mode").text("00");
        w.tag("owner").text("0");
        w.tag("group").text("0");
        w.close();
        w.finish()
    }
}

/// A volume as `virStorageVolGetXMLDesc` describes it.
pub(crate) struct VolumeDesc<'a> {
    /// `file` or `block`.
    pub(crate) kind: &'a str,
    pub(crate) name: &'a str,
    pub(crate) key: &'a str,
    pub(crate) capacity: u64,
    pub(crate) allocation: u64,
    pub(crate) path: &'a str,
    /// `vmdk`, `iso` or `raw`; iSCSI volumes have none.
    pub(crate) format: Option<&'a str>,
    /// A child disk's base (`[ds] dir/base.vmdk`), as `<backingStore>`.
    pub(crate) backing: Option<&'a str>,
}

impl VolumeDesc<'_> {
    pub(crate) fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("volume").attr("type", self.kind).open();
        w.tag("name").text(self.name);
        w.tag("key").text(self.key);
        w.tag("capacity")
            .attr("unit", "bytes")
            .text(&self.capacity.to_string());
        w.tag("allocation")
            .attr("unit", "bytes")
            .text(&self.allocation.to_string());
        w.tag("target").open();
        w.tag("path").text(self.path);
        if let Some(format) = self.format {
            w.tag("format").attr("type", format).empty();
        }
        w.close();
        if let Some(base) = self.backing {
            w.tag("backingStore").open();
            w.tag("path").text(base);
            w.tag("format").attr("type", "vmdk").empty();
            w.close();
        }
        w.finish()
    }
}

fn storage_error(code: Code, detail: impl Into<String>) -> Error {
    Error::new(code, Domain::Storage, detail)
}

/// A size element (`<capacity unit='G'>10</capacity>`) in bytes, with libvirt's units.
fn size_of(e: &Element, what: &str) -> Result<u64> {
    let malformed = || storage_error(Code::XmlError, format!("malformed {what} element"));
    let n: u64 = e.text.trim().parse().map_err(|_| malformed())?;
    let unit = e.attr("unit").unwrap_or("bytes");
    let scale: u64 = match unit {
        "b" | "byte" | "bytes" => 1,
        "KB" => 1000,
        "k" | "K" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "G" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "T" | "TiB" => 1 << 40,
        "PB" => 1_000_000_000_000_000,
        "P" | "PiB" => 1 << 50,
        "EB" => 1_000_000_000_000_000_000,
        "E" | "EiB" => 1 << 60,
        other => {
            return Err(storage_error(
                Code::XmlError,
                format!("unknown suffix '{}'", crate::error::shorten(other, 32)),
            ));
        }
    };
    // libvirt's virScaleInteger: a size past 2^64 bytes is an overflow, not a malformed one.
    n.checked_mul(scale).ok_or_else(|| {
        storage_error(
            Code::Overflow,
            format!("value too large: {n}{unit} (the {what} must fit in 64 bits of bytes)"),
        )
    })
}

/// A `virStorageVolCreateXML` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VolumeDef {
    pub(crate) name: String,
    pub(crate) capacity: u64,
    /// Absent means "as much as the capacity", as libvirt reads it.
    pub(crate) allocation: Option<u64>,
    /// `<target><format type=…/>`; libvirt's default is raw.
    pub(crate) format: String,
    /// Our extension for a new disk's controller type, which libvirt's volume XML cannot say:
    /// `<vmware:adapterType>busLogic</vmware:adapterType>` in the namespace of libvirt's
    /// vmware domain elements (`ide`, `busLogic` or `lsiLogic`, vSphere's names).
    pub(crate) adapter: Option<String>,
    /// `<backingStore><path>`: the disk a new disk is a linked clone of (`[ds] dir/base.vmdk`).
    pub(crate) backing: Option<String>,
}

/// vSphere's disk adapter types (VirtualDiskAdapterType).
const ADAPTERS: &[&str] = &["ide", "busLogic", "lsiLogic"];

impl VolumeDef {
    pub(crate) fn parse(xml: &str) -> Result<VolumeDef> {
        let root = parse_document(xml)?;
        if root.name != "volume" {
            return Err(storage_error(
                Code::XmlError,
                format!(
                    "unexpected root element <{}>, expecting <volume>",
                    crate::error::shorten(&root.name, 64)
                ),
            ));
        }
        if let Some(kind) = root.attr("type").filter(|t| *t != "file") {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Creating {} volumes is not supported: a datastore holds files",
                    crate::error::shorten(kind, 32)
                ),
            ));
        }
        let name = root
            .child_text("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| storage_error(Code::XmlError, "missing volume name element"))?;
        let backing = match root.child("backingStore") {
            None => None,
            Some(b) => {
                let format = b.child("format").and_then(|f| f.attr("type"));
                if format.is_some_and(|f| f != "vmdk") {
                    return Err(storage_error(
                        Code::ConfigUnsupported,
                        "a linked clone's backing store is a VMDK disk (<format type='vmdk'/>)",
                    ));
                }
                let path = b.child_text("path").map(str::trim).unwrap_or_default();
                if path.is_empty() {
                    return Err(storage_error(
                        Code::XmlError,
                        "missing path in the volume's backing store",
                    ));
                }
                Some(path.to_string())
            }
        };
        // libvirt's rule: a volume over a backing store may leave its size to it.
        let capacity = match (root.child("capacity"), &backing) {
            (Some(c), _) => size_of(c, "capacity")?,
            (None, Some(_)) => 0,
            (None, None) => {
                return Err(storage_error(Code::XmlError, "missing capacity element"));
            }
        };
        let allocation = root
            .child("allocation")
            .map(|a| size_of(a, "allocation"))
            .transpose()?;
        let format = root
            .child("target")
            .and_then(|t| t.child("format"))
            .and_then(|f| f.attr("type"))
            .unwrap_or("raw")
            .to_string();
        let adapter = match root.child("vmware:adapterType").map(|a| a.text.trim()) {
            None => None,
            Some(a) if ADAPTERS.contains(&a) => Some(a.to_string()),
            Some(a) => {
                return Err(Error::new(
                    Code::ConfigUnsupported,
                    Domain::Storage,
                    format!(
                        "unknown disk adapter type '{}'; vSphere knows {}",
                        crate::error::shorten(a, 32),
                        ADAPTERS.join(", ")
                    ),
                ));
            }
        };
        Ok(VolumeDef {
            name: name.to_string(),
            capacity,
            allocation,
            format,
            adapter,
            backing,
        })
    }
}

/// A `virStoragePoolCreateXML`/`DefineXML` request: an NFS share to mount as a datastore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NfsPoolDef {
    pub(crate) name: String,
    pub(crate) host: String,
    pub(crate) dir: String,
}

impl NfsPoolDef {
    pub(crate) fn parse(xml: &str) -> Result<NfsPoolDef> {
        let root = parse_document(xml)?;
        if root.name != "pool" {
            return Err(storage_error(
                Code::XmlError,
                format!(
                    "unexpected root element <{}>, expecting <pool>",
                    crate::error::shorten(&root.name, 64)
                ),
            ));
        }
        let kind = root.attr("type").unwrap_or("");
        if kind != "netfs" {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Creating storage pools of type '{}' is not supported: a host mounts NFS \
                     shares as datastores (type='netfs'); other datastores are made on the host",
                    crate::error::shorten(kind, 32)
                ),
            ));
        }
        let name = root
            .child_text("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| storage_error(Code::XmlError, "missing pool source name element"))?;
        let source = root.child("source");
        let attr = |tag: &str, at: &str| {
            source
                .and_then(|s| s.child(tag))
                .and_then(|e| e.attr(at))
                .map(str::to_string)
        };
        if let Some(format) = attr("format", "type").filter(|f| f != "nfs" && f != "auto") {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Mounting '{}' shares is not supported: ESX mounts NFS datastores",
                    crate::error::shorten(&format, 32)
                ),
            ));
        }
        // An empty (or blank) host or path names nothing, as a missing one: the host would
        // be asked to mount a share of nowhere.
        let given = |v: &String| !v.trim().is_empty();
        let host = attr("host", "name").filter(given).ok_or_else(|| {
            storage_error(Code::XmlError, "missing storage pool source host name")
        })?;
        let dir = attr("dir", "path")
            .filter(given)
            .ok_or_else(|| storage_error(Code::XmlError, "missing storage pool source path"))?;
        Ok(NfsPoolDef {
            name: name.to_string(),
            host,
            dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_xml_is_libvirts_esx_output() {
        let nfs = PoolDesc {
            kind: "netfs",
            name: "nfs-ds",
            uuid: "33935e6e-826d-c58b-fa37-9b18557c7842",
            capacity: 107374182400,
            allocation: 53687091200,
            available: 53687091200,
            host: Some(("10.0.0.5", None)),
            dir: Some("/export/vms"),
            format: Some("nfs"),
            iqn: None,
            target_path: Some("/vmfs/volumes/5f1e7b4a-3c2d1e0f"),
        };
        assert_eq!(
            nfs.format(),
            "<pool type='netfs'>\n  <name>nfs-ds</name>\n  \
             <uuid>33935e6e-826d-c58b-fa37-9b18557c7842</uuid>\n  \
             <capacity unit='bytes'>107374182400</capacity>\n  \
             <allocation unit='bytes'>53687091200</allocation>\n  \
             <available unit='bytes'>53687091200</available>\n  <source>\n    \
             <host name='10.0.0.5'/>\n    <dir path='/export/vms'/>\n    <format type='nfs'/>\n  \
             </source>\n  <target>\n    <path>/vmfs/volumes/5f1e7b4a-3c2d1e0f</path>\n    \
             <permissions>\n      <mode>00</mode>\n      <owner>0</owner>\n      <group>0</group>\n    \
             </permissions>\n  </target>\n</pool>\n"
        );
        let iscsi = PoolDesc {
            kind: "iscsi",
            name: "iqn.x",
            uuid: "u",
            capacity: 0,
            allocation: 0,
            available: 0,
            host: Some(("192.168.1.10", Some(3260))),
            dir: None,
            format: None,
            iqn: Some("iqn.x"),
            target_path: None,
        }
        .format();
        assert!(iscsi.contains(
            "<source>\n    <host name='192.168.1.10' port='3260'/>\n    <initiator>\n      \
             <iqn name='iqn.x'/>\n    </initiator>\n  </source>\n  <target>\n    <permissions>"
        ));
    }

    #[test]
    fn volume_xml_is_libvirts_esx_output() {
        let v = VolumeDesc {
            kind: "file",
            name: "vm1/vm1.vmdk",
            key: "6000c29a-3b6c-2d4e-8f1a-2b3c4d5e6f70",
            capacity: 8589934592,
            allocation: 2147483648,
            path: "[datastore1] vm1/vm1.vmdk",
            format: Some("vmdk"),
            backing: None,
        };
        let libvirts = "<volume type='file'>\n  <name>vm1/vm1.vmdk</name>\n  \
             <key>6000c29a-3b6c-2d4e-8f1a-2b3c4d5e6f70</key>\n  \
             <capacity unit='bytes'>8589934592</capacity>\n  \
             <allocation unit='bytes'>2147483648</allocation>\n  <target>\n    \
             <path>[datastore1] vm1/vm1.vmdk</path>\n    <format type='vmdk'/>\n  </target>\n";
        assert_eq!(v.format(), format!("{libvirts}</volume>\n"));
        let child = VolumeDesc {
            backing: Some("[datastore1] base/base.vmdk"),
            ..v
        };
        assert_eq!(
            child.format(),
            format!(
                "{libvirts}  <backingStore>\n    <path>[datastore1] base/base.vmdk</path>\n    \
                 <format type='vmdk'/>\n  </backingStore>\n</volume>\n"
            )
        );
    }

    #[test]
    fn nfs_pool_requests_name_the_share() {
        let d = NfsPoolDef::parse(
            "<pool type='netfs'><name>nfs1</name><source><host name='10.0.0.5'/>\
             <dir path='/export'/><format type='nfs'/></source></pool>",
        )
        .unwrap();
        assert_eq!(
            (d.name.as_str(), d.host.as_str(), d.dir.as_str()),
            ("nfs1", "10.0.0.5", "/export")
        );
        for (xml, code) in [
            ("<pool type='dir'><name>x</name></pool>", Code::NoSupport),
            (
                "<pool type='netfs'><name>x</name><source><host name='h'/><dir path='/e'/>\
                 <format type='cifs'/></source></pool>",
                Code::NoSupport,
            ),
            (
                "<pool type='netfs'><name>x</name><source><dir path='/e'/></source></pool>",
                Code::XmlError,
            ),
            (
                "<pool type='netfs'><source><host name='h'/><dir path='/e'/></source></pool>",
                Code::XmlError,
            ),
            (
                "<pool type='netfs'><name>x</name><source><host name=''/><dir path='/e'/>\
                 </source></pool>",
                Code::XmlError,
            ),
            (
                "<pool type='netfs'><name>x</name><source><host name='h'/><dir path=' '/>\
                 </source></pool>",
                Code::XmlError,
            ),
            ("<volume/>", Code::XmlError),
        ] {
            assert_eq!(NfsPoolDef::parse(xml).unwrap_err().code, code, "{xml}");
        }
    }

    #[test]
    fn volume_requests_read_sizes_and_format() {
        let d = VolumeDef::parse(
            "<volume><name>d/x.vmdk</name><capacity unit='G'>2</capacity>\
             <allocation>0</allocation><target><format type='vmdk'/></target></volume>",
        )
        .unwrap();
        assert_eq!(
            (d.capacity, d.allocation, d.format.as_str()),
            (2 << 30, Some(0), "vmdk")
        );
        let typed = VolumeDef::parse(
            "<volume xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'><name>d/x.vmdk</name>\
             <capacity>1</capacity><vmware:adapterType>busLogic</vmware:adapterType></volume>",
        )
        .unwrap();
        assert_eq!(typed.adapter.as_deref(), Some("busLogic"));
        assert_eq!(
            VolumeDef::parse(
                "<volume><name>a</name><capacity>1</capacity><vmware:adapterType>scsi</vmware:adapterType></volume>"
            )
            .unwrap_err()
            .code,
            Code::ConfigUnsupported
        );
        let raw =
            VolumeDef::parse("<volume><name>a.iso</name><capacity>0</capacity></volume>").unwrap();
        assert_eq!((raw.format.as_str(), raw.allocation), ("raw", None));
        for (xml, code) in [
            ("<volume><capacity>1</capacity></volume>", Code::XmlError),
            ("<volume><name>a</name></volume>", Code::XmlError),
            (
                "<volume><name>a</name><capacity>x</capacity></volume>",
                Code::XmlError,
            ),
            (
                "<volume><name>a</name><capacity unit='Q'>1</capacity></volume>",
                Code::XmlError,
            ),
            (
                "<volume><name>a</name><capacity unit='E'>100</capacity></volume>",
                Code::Overflow,
            ),
            (
                "<volume><name>a</name><capacity>18446744073709551616</capacity></volume>",
                Code::XmlError,
            ),
            (
                "<volume type='block'><name>a</name><capacity>1</capacity></volume>",
                Code::NoSupport,
            ),
            ("<pool/>", Code::XmlError),
        ] {
            assert_eq!(VolumeDef::parse(xml).unwrap_err().code, code, "{xml}");
        }
    }
}
