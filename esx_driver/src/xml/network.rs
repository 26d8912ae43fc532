//! libvirt's `<network>` and `<interface>` documents as libvirt's ESX drivers print them for a
//! standard vSwitch (with its uplinks, shaping and port groups), a distributed switch and a NIC.

use super::writer::XmlWriter;

/// Traffic shaping in libvirt's units: kB/s for average and peak, KiB for burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Bandwidth {
    pub(crate) average: u64,
    pub(crate) peak: u64,
    pub(crate) burst: u64,
}

/// A port group's VLANs: untagged, one tag, or a trunk of tags (a distributed port group's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Vlan {
    None,
    Tag(u16),
    Trunk(Vec<u16>),
}

/// A port group: its name, VLANs and shaping.
pub(crate) struct PortGroupDesc<'a> {
    pub(crate) name: &'a str,
    pub(crate) vlan: Vlan,
    pub(crate) bandwidth: Option<Bandwidth>,
}

/// Where a network's traffic goes.
pub(crate) enum Forward<'a> {
    /// A standard vSwitch without uplinks: libvirt prints a bridge element.
    None,
    /// Bridged onto these uplinks' device names (`vmnic0`); a distributed switch names none.
    Bridge(&'a [&'a str]),
}

pub(crate) struct NetworkDesc<'a> {
    pub(crate) name: &'a str,
    pub(crate) uuid: &'a str,
    pub(crate) forward: Forward<'a>,
    pub(crate) bandwidth: Option<Bandwidth>,
    pub(crate) portgroups: &'a [PortGroupDesc<'a>],
}

fn bandwidth(w: &mut XmlWriter, b: &Bandwidth) {
    w.tag("bandwidth").open();
    if b.average != 0 {
        for dir in ["inbound", "outbound"] {
            let nonzero = |v: u64| (v != 0).then_some(v);
            w.tag(dir)
                .attr("average", b.average)
                .attr_opt("peak", nonzero(b.peak))
                .attr_opt("burst", nonzero(b.burst))
                .empty();
        }
    }
    w.close();
}

impl NetworkDesc<'_> {
    pub(crate) fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("network").open();
        w.tag("name").text(self.name);
        w.tag("uuid").text(self.uuid);
        match self.forward {
            Forward::Bridge(devs) => match devs.first() {
                Some(first) => {
                    w.tag("forward")
                        .attr("dev", first)
                        .attr("mode", "bridge")
                        .open();
                    for dev in devs {
                        w.tag("interface").attr("dev", dev).empty();
                    }
                    w.close();
                }
                None => w.tag("forward").attr("mode", "bridge").empty(),
            },
            // libvirt's formatter gives a network without forwarding a bridge element.
            Forward::None => w.tag("bridge").attr("stp", "off").attr("delay", 0).empty(),
        }
        if let Some(b) = &self.bandwidth {
            bandwidth(&mut w, b);
        }
        for pg in self.portgroups {
            w.tag("portgroup").attr("name", pg.name).open();
            match &pg.vlan {
                Vlan::None => {}
                Vlan::Tag(tag) => {
                    w.tag("vlan").open();
                    w.tag("tag").attr("id", tag).empty();
                    w.close();
                }
                Vlan::Trunk(tags) => {
                    w.tag("vlan").attr("trunk", "yes").open();
                    for tag in tags {
                        w.tag("tag").attr("id", tag).empty();
                    }
                    w.close();
                }
            }
            if let Some(b) = &pg.bandwidth {
                bandwidth(&mut w, b);
            }
            w.close();
        }
        w.finish()
    }
}

pub(crate) struct InterfaceDesc<'a> {
    pub(crate) name: &'a str,
    pub(crate) mac: &'a str,
    pub(crate) dhcp: bool,
    /// Address and prefix length.
    pub(crate) ipv4: Option<(&'a str, i32)>,
}

impl InterfaceDesc<'_> {
    pub(crate) fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.tag("interface")
            .attr("type", "ethernet")
            .attr("name", self.name)
            .open();
        w.tag("start").attr("mode", "onboot").empty();
        if self.dhcp || self.ipv4.is_some() {
            w.tag("protocol").attr("family", "ipv4").open();
            if self.dhcp {
                w.tag("dhcp").attr("peerdns", "no").empty();
            }
            if let Some((address, prefix)) = self.ipv4 {
                w.tag("ip")
                    .attr("address", address)
                    .attr_opt("prefix", (prefix != 0).then_some(prefix))
                    .empty();
            }
            w.close();
        }
        w.tag("mac").attr("address", self.mac).empty();
        w.finish()
    }
}

/// The prefix length of a dotted IPv4 mask; -1 when its bits are not contiguous, as libvirt.
pub(crate) fn prefix_of(mask: &str) -> Option<i32> {
    let addr: std::net::Ipv4Addr = mask.trim().parse().ok()?;
    let bits = u32::from(addr);
    let ones = bits.leading_ones();
    Some(if bits.checked_shl(ones).unwrap_or(0) == 0 {
        ones as i32
    } else {
        -1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_xml_is_libvirts_esx_output() {
        let shaped = Bandwidth {
            average: 1000,
            peak: 2000,
            burst: 100,
        };
        let pgs = [
            PortGroupDesc {
                name: "VM Network",
                vlan: Vlan::None,
                bandwidth: None,
            },
            PortGroupDesc {
                name: "pg42",
                vlan: Vlan::Tag(42),
                bandwidth: Some(Bandwidth {
                    average: 100,
                    ..Bandwidth::default()
                }),
            },
        ];
        let xml = NetworkDesc {
            name: "vSwitch1",
            uuid: "d61ea8ec-4be0-8a69-4aa3-6201c1eec772",
            forward: Forward::Bridge(&["vmnic0", "vmnic1"]),
            bandwidth: Some(shaped),
            portgroups: &pgs,
        }
        .format();
        assert_eq!(
            xml,
            "<network>\n  <name>vSwitch1</name>\n  <uuid>d61ea8ec-4be0-8a69-4aa3-6201c1eec772</uuid>\n  \
             <forward dev='vmnic0' mode='bridge'>\n    <interface dev='vmnic0'/>\n    \
             <interface dev='vmnic1'/>\n  </forward>\n  <bandwidth>\n    \
             <inbound average='1000' peak='2000' burst='100'/>\n    \
             <outbound average='1000' peak='2000' burst='100'/>\n  </bandwidth>\n  \
             <portgroup name='VM Network'>\n  </portgroup>\n  <portgroup name='pg42'>\n    \
             <vlan>\n      <tag id='42'/>\n    </vlan>\n    <bandwidth>\n      \
             <inbound average='100'/>\n      <outbound average='100'/>\n    </bandwidth>\n  \
             </portgroup>\n</network>\n"
        );
        let lone = NetworkDesc {
            name: "isolated",
            uuid: "u",
            forward: Forward::None,
            bandwidth: None,
            portgroups: &[],
        }
        .format();
        assert!(lone.contains("<uuid>u</uuid>\n  <bridge stp='off' delay='0'/>\n</network>"));
        let trunk = [PortGroupDesc {
            name: "trunk",
            vlan: Vlan::Trunk(vec![10, 11]),
            bandwidth: None,
        }];
        let dvs = NetworkDesc {
            name: "DVS0",
            uuid: "u",
            forward: Forward::Bridge(&[]),
            bandwidth: None,
            portgroups: &trunk,
        }
        .format();
        assert!(dvs.contains(
            "<forward mode='bridge'/>\n  <portgroup name='trunk'>\n    <vlan trunk='yes'>\n      \
             <tag id='10'/>\n      <tag id='11'/>\n    </vlan>\n  </portgroup>\n"
        ));
    }

    #[test]
    fn interface_xml_is_libvirts_esx_output() {
        let xml = InterfaceDesc {
            name: "vmnic0",
            mac: "00:0c:29:81:d8:a0",
            dhcp: true,
            ipv4: Some(("192.168.1.10", 24)),
        }
        .format();
        assert_eq!(
            xml,
            "<interface type='ethernet' name='vmnic0'>\n  <start mode='onboot'/>\n  \
             <protocol family='ipv4'>\n    <dhcp peerdns='no'/>\n    \
             <ip address='192.168.1.10' prefix='24'/>\n  </protocol>\n  \
             <mac address='00:0c:29:81:d8:a0'/>\n</interface>\n"
        );
        assert_eq!(prefix_of("255.255.255.0"), Some(24));
        assert_eq!(prefix_of("255.0.255.0"), Some(-1));
        assert_eq!(prefix_of("0.0.0.0"), Some(0));
        assert_eq!(prefix_of("255.255.255.255"), Some(32));
        assert_eq!(prefix_of("x"), None);
    }
}
