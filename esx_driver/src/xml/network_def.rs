//! The `<network>` and `<portgroup>` documents of virNetworkDefineXML and virNetworkUpdate,
//! read into what a standard vSwitch can hold; anything else is refused, naming it.

use super::network::Bandwidth;
use super::reader::{Element, parse_document};
use crate::error::{Code, Domain, Error, Result, shorten};

/// A vSwitch to create: uplinks by device name, shaping, port groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NetworkDef {
    pub(crate) name: String,
    pub(crate) uplinks: Vec<String>,
    pub(crate) bandwidth: Option<Bandwidth>,
    pub(crate) portgroups: Vec<PortGroupDef>,
}

/// A port group: its VLAN (0 for untagged) and shaping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PortGroupDef {
    pub(crate) name: String,
    pub(crate) vlan: i32,
    pub(crate) bandwidth: Option<Bandwidth>,
}

fn unsupported(detail: String) -> Error {
    Error::new(Code::ConfigUnsupported, Domain::Network, detail)
}

fn xml_error(detail: impl Into<String>) -> Error {
    Error::new(Code::XmlError, Domain::Network, detail)
}

fn root_of(xml: &str, name: &str) -> Result<Element> {
    let root = parse_document(xml)?;
    if root.name != name {
        return Err(xml_error(format!(
            "unexpected root element <{}>, expecting <{name}>",
            shorten(&root.name, 64)
        )));
    }
    Ok(root)
}

/// Refuses the attributes and child elements of `e` outside `attrs` and `children`.
fn only(e: &Element, attrs: &[&str], children: &[&str]) -> Result<()> {
    if let Some((a, _)) = e.attrs.iter().find(|(a, _)| !attrs.contains(&a.as_str())) {
        return Err(unsupported(format!(
            "attribute '{}' of <{}> cannot be expressed on an ESX vSwitch",
            shorten(a, 64),
            e.name
        )));
    }
    if let Some(c) = e.children.iter().find(|c| !children.contains(&&*c.name)) {
        return Err(unsupported(format!(
            "element <{}> in <{}> cannot be expressed on an ESX vSwitch",
            shorten(&c.name, 64),
            e.name
        )));
    }
    Ok(())
}

fn name_of(e: &Element, what: &str) -> Result<String> {
    let name = match what {
        "network" => e.child_text("name"),
        _ => e.attr("name"),
    };
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Ok(n.to_string()),
        None => Err(Error::new(Code::NoName, Domain::Network, what.to_string())),
    }
}

impl NetworkDef {
    pub(crate) fn parse(xml: &str) -> Result<NetworkDef> {
        let root = root_of(xml, "network")?;
        only(
            &root,
            &[],
            &[
                "name",
                "uuid",
                "forward",
                "bridge",
                "bandwidth",
                "portgroup",
            ],
        )?;
        let name = name_of(&root, "network")?;
        if root.child("uuid").is_some() {
            return Err(unsupported("Cannot use predefined UUID".into()));
        }
        // Our own output for a switch without uplinks: accepted when it asks for nothing more.
        if let Some(bridge) = root.child("bridge") {
            only(bridge, &["stp", "delay"], &[])?;
        }
        let uplinks = match root.child("forward") {
            None => Vec::new(),
            Some(f) => uplinks_of(f)?,
        };
        let bandwidth = bandwidth_in(&root)?;
        let mut portgroups: Vec<PortGroupDef> = Vec::new();
        for e in root.children_named("portgroup") {
            let pg = PortGroupDef::from_element(e)?;
            if portgroups.iter().any(|p| p.name == pg.name) {
                return Err(xml_error(format!(
                    "Multiple <portgroup> elements with the same name ({})",
                    shorten(&pg.name, 64)
                )));
            }
            portgroups.push(pg);
        }
        Ok(NetworkDef {
            name,
            uplinks,
            bandwidth,
            portgroups,
        })
    }
}

/// The uplinks of `<forward mode='bridge'>`: its `<interface dev=…>`s, or its `dev`.
fn uplinks_of(f: &Element) -> Result<Vec<String>> {
    only(f, &["mode", "dev"], &["interface"])?;
    // libvirt's default mode for a <forward> is nat.
    let mode = f.attr("mode").unwrap_or("nat");
    if mode != "bridge" {
        return Err(unsupported(format!(
            "Unsupported forward mode '{}'",
            shorten(mode, 32)
        )));
    }
    let mut devs = Vec::new();
    for i in f.children_named("interface") {
        only(i, &["dev"], &[])?;
        let dev = i
            .attr("dev")
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .ok_or_else(|| xml_error("Missing required dev attribute in <forward> <interface>"))?;
        if devs.iter().any(|d| d == dev) {
            return Err(xml_error(format!(
                "interface '{}' is listed twice in <forward>",
                shorten(dev, 64)
            )));
        }
        devs.push(dev.to_string());
    }
    match f.attr("dev").map(str::trim) {
        Some(dev) if devs.is_empty() => devs.push(dev.to_string()),
        Some(dev) if devs[0] != dev => {
            return Err(xml_error(format!(
                "forward dev '{}' must match first interface element dev '{}'",
                shorten(dev, 64),
                shorten(&devs[0], 64)
            )));
        }
        _ => {}
    }
    Ok(devs)
}

impl PortGroupDef {
    /// A `<portgroup>` document, as virNetworkUpdate hands it over.
    pub(crate) fn parse(xml: &str) -> Result<PortGroupDef> {
        PortGroupDef::from_element(&root_of(xml, "portgroup")?)
    }

    fn from_element(e: &Element) -> Result<PortGroupDef> {
        only(e, &["name"], &["vlan", "bandwidth"])?;
        let name = name_of(e, "portgroup")?;
        let vlan = match e.child("vlan") {
            None => 0,
            Some(v) => {
                only(v, &[], &["tag"])?;
                let tags: Vec<&Element> = v.children_named("tag").collect();
                let [tag] = tags[..] else {
                    return Err(unsupported(format!(
                        "port group '{}' lists {} VLAN tags; an ESX port group has one",
                        shorten(&name, 64),
                        tags.len()
                    )));
                };
                only(tag, &["id"], &[])?;
                tag.attr("id")
                    .and_then(|id| id.trim().parse::<i32>().ok())
                    .filter(|id| (0..4095).contains(id))
                    .ok_or_else(|| {
                        xml_error(format!(
                            "invalid VLAN tag id in port group '{}': it must be 0 to 4094",
                            shorten(&name, 64)
                        ))
                    })?
            }
        };
        Ok(PortGroupDef {
            name,
            vlan,
            bandwidth: bandwidth_in(e)?,
        })
    }
}

/// `<bandwidth>` of `e`: ESX shapes both directions alike, so both must be given and equal.
fn bandwidth_in(e: &Element) -> Result<Option<Bandwidth>> {
    let Some(b) = e.child("bandwidth") else {
        return Ok(None);
    };
    only(b, &[], &["inbound", "outbound"])?;
    let dir = |name: &str| b.child(name).map(rates).transpose();
    match (dir("inbound")?, dir("outbound")?) {
        (None, None) => Ok(None),
        (Some(i), Some(o)) if i == o => Ok(Some(i)),
        _ => Err(unsupported(
            "Different inbound and outbound bandwidth is unsupported".into(),
        )),
    }
}

/// One direction's rates, bounded so that vSphere's bit/s and bytes fit its 64-bit fields.
fn rates(e: &Element) -> Result<Bandwidth> {
    only(e, &["average", "peak", "burst"], &[])?;
    let value = |attr: &str, limit: u64| -> Result<u64> {
        match e.attr(attr) {
            None => Ok(0),
            Some(v) => v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|v| *v <= limit)
                .ok_or_else(|| {
                    xml_error(format!(
                        "could not convert bandwidth {attr} value '{}'",
                        shorten(v, 32)
                    ))
                }),
        }
    };
    let rate_limit = i64::MAX as u64 / 8000;
    let b = Bandwidth {
        average: value("average", rate_limit)?,
        peak: value("peak", rate_limit)?,
        burst: value("burst", i64::MAX as u64 / 1024)?,
    };
    if b.average == 0 {
        return Err(xml_error(format!(
            "Missing mandatory average attribute in <{}>",
            e.name
        )));
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(xml: &str) -> String {
        NetworkDef::parse(xml).unwrap_err().message()
    }

    #[test]
    fn a_switch_with_uplinks_shaping_and_vlans() {
        let def = NetworkDef::parse(
            "<network><name>vSwitch1</name>\
             <forward mode='bridge' dev='vmnic1'><interface dev='vmnic1'/><interface dev='vmnic2'/></forward>\
             <bandwidth><inbound average='1000' peak='2000' burst='10'/>\
             <outbound average='1000' peak='2000' burst='10'/></bandwidth>\
             <portgroup name='pg0'/>\
             <portgroup name='pg42'><vlan><tag id='42'/></vlan></portgroup></network>",
        )
        .unwrap();
        assert_eq!(def.name, "vSwitch1");
        assert_eq!(def.uplinks, ["vmnic1", "vmnic2"]);
        assert_eq!(
            def.bandwidth,
            Some(Bandwidth {
                average: 1000,
                peak: 2000,
                burst: 10
            })
        );
        assert_eq!(def.portgroups[0].vlan, 0);
        assert_eq!(def.portgroups[1].vlan, 42);
        let isolated =
            NetworkDef::parse("<network><name>x</name><bridge stp='off' delay='0'/></network>")
                .unwrap();
        assert!(isolated.uplinks.is_empty() && isolated.portgroups.is_empty());
        let by_dev = NetworkDef::parse(
            "<network><name>x</name><forward mode='bridge' dev='vmnic3'/></network>",
        )
        .unwrap();
        assert_eq!(by_dev.uplinks, ["vmnic3"]);
    }

    #[test]
    fn what_a_vswitch_cannot_hold_is_refused_by_name() {
        assert!(err("<network><name>x</name><uuid>u</uuid></network>").contains("predefined UUID"));
        assert!(err("<network><name>x</name><forward/></network>").contains("mode 'nat'"));
        assert!(err("<network><name>x</name><ip address='10.0.0.1'/></network>").contains("<ip>"));
        assert!(err("<network><name>x</name><bridge name='virbr0'/></network>").contains("'name'"));
        assert!(
            err("<network><name>x</name><portgroup name='p' default='yes'/></network>")
                .contains("'default'")
        );
        assert!(
            err("<network><name>x</name><bandwidth><inbound average='1'/></bandwidth></network>")
                .contains("Different inbound and outbound")
        );
        assert!(
            err(
                "<network><name>x</name><portgroup name='p'><vlan><tag id='1'/><tag id='2'/>\
                 </vlan></portgroup></network>"
            )
            .contains("2 VLAN tags")
        );
        assert!(
            err(
                "<network><name>x</name><portgroup name='p'><vlan><tag id='4095'/></vlan>\
                 </portgroup></network>"
            )
            .contains("0 to 4094")
        );
        assert!(
            err(
                "<network><name>x</name><forward mode='bridge' dev='a'><interface dev='b'/>\
                 </forward></network>"
            )
            .contains("must match")
        );
        assert!(
            err(
                "<network><name>x</name><bandwidth><inbound average='99999999999999999'/>\
                 <outbound average='99999999999999999'/></bandwidth></network>"
            )
            .contains("could not convert")
        );
        assert_eq!(
            NetworkDef::parse("<network/>").unwrap_err().code,
            Code::NoName
        );
        assert!(err("<pool/>").contains("expecting <network>"));
        assert!(
            err("<network><name>x</name><portgroup name='p'/><portgroup name='p'/></network>")
                .contains("same name")
        );
    }

    #[test]
    fn a_portgroup_document() {
        let pg = PortGroupDef::parse("<portgroup name='pg'><vlan><tag id='7'/></vlan></portgroup>")
            .unwrap();
        assert_eq!((pg.name.as_str(), pg.vlan), ("pg", 7));
        assert!(PortGroupDef::parse("<network/>").is_err());
    }
}
