//! libvirt's domain capabilities document as a type, in libvirt's layout, with what libvirt's
//! schema cannot hold (each guest OS's limits, firmware, buses, NIC models) in the vmware
//! namespace as the domain XML keeps VMware's extras.

use super::domain::VMWARE_NAMESPACE;
use super::writer::XmlWriter;

/// One guest OS the host's config option describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GuestOs {
    pub(crate) id: String,
    pub(crate) family: String,
    pub(crate) max_vcpus: u32,
    pub(crate) min_memory_kib: u64,
    pub(crate) max_memory_kib: u64,
    pub(crate) firmware: Vec<String>,
    pub(crate) secure_boot: bool,
    /// libvirt's disk buses of its disk controllers.
    pub(crate) buses: Vec<String>,
    /// libvirt's NIC models of its NICs.
    pub(crate) nic_models: Vec<String>,
}

/// What the host or cluster runs for one hardware version (a vSphere config option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DomainCaps {
    /// The hardware version (`vmx-13`), libvirt's machine.
    pub(crate) machine: String,
    pub(crate) arch: String,
    pub(crate) max_vcpus: u32,
    pub(crate) guests: Vec<GuestOs>,
}

/// `values` each once, in the order first met.
fn union<'a>(values: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v.as_str()) {
            out.push(v);
        }
    }
    out
}

fn enumeration(w: &mut XmlWriter, name: &str, values: &[&str]) {
    if values.is_empty() {
        w.tag("enum").attr("name", name).empty();
        return;
    }
    w.tag("enum").attr("name", name).open();
    for v in values {
        w.tag("value").text(v);
    }
    w.close();
}

impl DomainCaps {
    pub(crate) fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("domainCapabilities").open();
        w.tag("domain").text("vmware");
        w.tag("machine").text(&self.machine);
        w.tag("arch").text(&self.arch);
        w.tag("vcpu").attr("max", self.max_vcpus).empty();
        w.tag("iothreads").attr("supported", "no").empty();
        let firmware = union(self.guests.iter().flat_map(|g| &g.firmware));
        w.tag("os").attr("supported", "yes").open();
        enumeration(&mut w, "firmware", &firmware);
        w.tag("loader").attr("supported", "yes").open();
        let secure: &[&str] = match self.guests.iter().any(|g| g.secure_boot) {
            true => &["yes", "no"],
            false => &["no"],
        };
        enumeration(&mut w, "secure", secure);
        w.close();
        w.close();
        w.tag("cpu").open();
        for mode in ["host-passthrough", "maximum", "host-model", "custom"] {
            w.tag("mode")
                .attr("name", mode)
                .attr("supported", "no")
                .empty();
        }
        w.close();
        w.tag("devices").open();
        w.tag("disk").attr("supported", "yes").open();
        enumeration(&mut w, "diskDevice", &["disk", "cdrom", "floppy"]);
        let mut buses = union(self.guests.iter().flat_map(|g| &g.buses));
        buses.push("fdc");
        enumeration(&mut w, "bus", &buses);
        enumeration(&mut w, "model", &[]);
        w.close();
        w.tag("graphics").attr("supported", "yes").open();
        enumeration(&mut w, "type", &["vnc"]);
        w.close();
        w.tag("video").attr("supported", "yes").open();
        enumeration(&mut w, "modelType", &["vmvga"]);
        w.close();
        // PCI functions the host passes through (DirectPath I/O), vfio's counterpart.
        w.tag("hostdev").attr("supported", "yes").open();
        enumeration(&mut w, "mode", &["subsystem"]);
        enumeration(&mut w, "startupPolicy", &[]);
        enumeration(&mut w, "subsysType", &["pci"]);
        enumeration(&mut w, "capsType", &[]);
        enumeration(&mut w, "pciBackend", &["vfio"]);
        w.close();
        w.close();
        w.tag("features").open();
        for f in ["gic", "vmcoreinfo", "genid", "sev", "sgx"] {
            w.tag(f).attr("supported", "no").empty();
        }
        w.close();
        w.tag("vmware:guests")
            .attr("xmlns:vmware", VMWARE_NAMESPACE)
            .open();
        for g in &self.guests {
            w.tag("vmware:guest")
                .attr("id", &g.id)
                .attr("family", &g.family)
                .attr("maxVcpus", g.max_vcpus)
                .attr("minMemory", g.min_memory_kib)
                .attr("maxMemory", g.max_memory_kib)
                .attr("firmware", g.firmware.join(" "))
                .attr("secureBoot", if g.secure_boot { "yes" } else { "no" })
                .attr("buses", g.buses.join(" "))
                .attr("nicModels", g.nic_models.join(" "))
                .empty();
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guests_add_up_to_the_host_s_enums() {
        let guest = |id: &str, fw: &[&str], secure: bool, buses: &[&str]| GuestOs {
            id: id.into(),
            family: "linuxGuest".into(),
            max_vcpus: 8,
            min_memory_kib: 4096,
            max_memory_kib: 1 << 20,
            firmware: fw.iter().map(|s| s.to_string()).collect(),
            secure_boot: secure,
            buses: buses.iter().map(|s| s.to_string()).collect(),
            nic_models: vec!["e1000".into(), "vmxnet3".into()],
        };
        let caps = DomainCaps {
            machine: "vmx-13".into(),
            arch: "x86_64".into(),
            max_vcpus: 128,
            guests: vec![
                guest("a", &["bios"], false, &["scsi", "ide"]),
                guest("b&c", &["bios", "efi"], true, &["scsi", "nvme"]),
            ],
        };
        let xml = caps.to_xml();
        assert!(xml.starts_with(
            "<domainCapabilities>\n  <domain>vmware</domain>\n  <machine>vmx-13</machine>\n"
        ));
        assert!(xml.contains(
            "    <enum name='firmware'>\n      <value>bios</value>\n      <value>efi</value>\n"
        ));
        assert!(xml.contains("<value>scsi</value>\n        <value>ide</value>\n        <value>nvme</value>\n        <value>fdc</value>"));
        assert!(xml.contains("<vmware:guest id='b&amp;c' family='linuxGuest' maxVcpus='8'"));
        assert!(xml.contains("nicModels='e1000 vmxnet3'/>"));
        assert!(xml.ends_with("</vmware:guests>\n</domainCapabilities>\n"));
    }
}
