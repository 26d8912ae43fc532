//! libvirt's node device document for a host's PCI functions and the host itself (`computer`),
//! written by the one XML writer: `<capability type='pci'>` and `<capability type='system'>`.

use super::writer::XmlWriter;

/// A PCI function's address on its host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PciAddress {
    pub(crate) domain: u32,
    pub(crate) bus: u8,
    pub(crate) slot: u8,
    pub(crate) function: u8,
}

impl PciAddress {
    /// libvirt's node device name: `pci_0000_0b_00_0`.
    pub(crate) fn device_name(&self) -> String {
        format!("pci_{}", self.to_string().replace([':', '.'], "_"))
    }
}

/// The Linux form libvirt prints an address in: `0000:0b:00.0`.
impl std::fmt::Display for PciAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let PciAddress {
            domain,
            bus,
            slot,
            function,
        } = self;
        write!(f, "{domain:04x}:{bus:02x}:{slot:02x}.{function:x}")
    }
}

/// What the node device document says of a PCI function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PciDesc {
    pub(crate) address: PciAddress,
    /// Class and subclass (the programming interface is not reported, so written as 00).
    pub(crate) class: u16,
    pub(crate) vendor_id: u16,
    pub(crate) vendor: String,
    pub(crate) product_id: u16,
    pub(crate) product: String,
    /// The driver the host binds it to, when known: `pciPassthru` while passed through.
    pub(crate) driver: Option<&'static str>,
}

/// What the node device document says of the host (`hardware.systemInfo`, `hardware.biosInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SystemDesc {
    pub(crate) product: String,
    pub(crate) vendor: String,
    pub(crate) serial: String,
    pub(crate) uuid: String,
    pub(crate) firmware_vendor: String,
    pub(crate) firmware_version: String,
    pub(crate) firmware_date: String,
}

/// A node device's capability: the one a PCI function or the host has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Capability {
    System(SystemDesc),
    Pci(PciDesc),
}

impl Capability {
    /// The capability's name in libvirt (`virNodeDeviceListCaps`, `<capability type=…>`).
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Capability::System(_) => "system",
            Capability::Pci(_) => "pci",
        }
    }
}

/// The whole `<device>` document; empty elements are left out, as libvirt does.
pub(crate) fn format(name: &str, parent: Option<&str>, cap: &Capability) -> String {
    let mut w = XmlWriter::new();
    w.tag("device").open();
    w.tag("name").text(name);
    if let Some(parent) = parent {
        w.tag("parent").text(parent);
    }
    if let Capability::Pci(PciDesc {
        driver: Some(driver),
        ..
    }) = cap
    {
        w.tag("driver").open();
        w.tag("name").text(driver);
        w.close();
    }
    w.tag("capability").attr("type", cap.name()).open();
    match cap {
        Capability::Pci(p) => pci(&mut w, p),
        Capability::System(s) => system(&mut w, s),
    }
    w.close();
    w.close();
    w.finish()
}

fn pci(w: &mut XmlWriter, p: &PciDesc) {
    w.tag("class").text(&format!("0x{:04x}00", p.class));
    w.tag("domain").text(&p.address.domain.to_string());
    w.tag("bus").text(&p.address.bus.to_string());
    w.tag("slot").text(&p.address.slot.to_string());
    w.tag("function").text(&p.address.function.to_string());
    let id = |n: u16| format!("0x{n:04x}");
    w.tag("product")
        .attr("id", id(p.product_id))
        .text(&p.product);
    w.tag("vendor").attr("id", id(p.vendor_id)).text(&p.vendor);
}

fn system(w: &mut XmlWriter, s: &SystemDesc) {
    let section = |w: &mut XmlWriter, name: &str, entries: &[(&str, &str)]| {
        let entries: Vec<_> = entries
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        if entries.is_empty() {
            return;
        }
        w.tag(name).open();
        for (tag, value) in entries {
            w.tag(tag).text(value.trim());
        }
        w.close();
    };
    if !s.product.trim().is_empty() {
        w.tag("product").text(s.product.trim());
    }
    let hardware = [
        ("vendor", s.vendor.as_str()),
        ("serial", &s.serial),
        ("uuid", &s.uuid),
    ];
    section(w, "hardware", &hardware);
    let firmware = [
        ("vendor", s.firmware_vendor.as_str()),
        ("version", &s.firmware_version),
        ("release_date", &s.firmware_date),
    ];
    section(w, "firmware", &firmware);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pci_function_is_described_as_libvirt_does() {
        let cap = Capability::Pci(PciDesc {
            address: PciAddress {
                domain: 0,
                bus: 0x13,
                slot: 0,
                function: 1,
            },
            class: 0x0200,
            vendor_id: 0x15ad,
            vendor: "VMware".into(),
            product_id: 0x07b0,
            product: "VMXNET3 <Ethernet>".into(),
            driver: Some("pciPassthru"),
        });
        assert_eq!(
            format("pci_0000_13_00_1", Some("pci_0000_00_17_0"), &cap),
            "<device>\n  <name>pci_0000_13_00_1</name>\n  <parent>pci_0000_00_17_0</parent>\n  \
             <driver>\n    <name>pciPassthru</name>\n  </driver>\n  <capability type='pci'>\n    \
             <class>0x020000</class>\n    <domain>0</domain>\n    <bus>19</bus>\n    \
             <slot>0</slot>\n    <function>1</function>\n    \
             <product id='0x07b0'>VMXNET3 &lt;Ethernet&gt;</product>\n    \
             <vendor id='0x15ad'>VMware</vendor>\n  </capability>\n</device>\n"
        );
    }

    #[test]
    fn the_host_leaves_out_what_it_does_not_report() {
        let cap = Capability::System(SystemDesc {
            product: "VMware Virtual Platform".into(),
            uuid: "dd2ec2e5-2d53-4a60-a3b9-4f8e8a7f6d10".into(),
            ..SystemDesc::default()
        });
        assert_eq!(
            format("computer", None, &cap),
            "<device>\n  <name>computer</name>\n  <capability type='system'>\n    \
             <product>VMware Virtual Platform</product>\n    <hardware>\n      \
             <uuid>dd2ec2e5-2d53-4a60-a3b9-4f8e8a7f6d10</uuid>\n    </hardware>\n  \
             </capability>\n</device>\n"
        );
    }

    #[test]
    fn names_are_libvirts() {
        let a = PciAddress {
            domain: 0,
            bus: 0xb,
            slot: 0x1f,
            function: 7,
        };
        assert_eq!(a.device_name(), "pci_0000_0b_1f_7");
    }
}
