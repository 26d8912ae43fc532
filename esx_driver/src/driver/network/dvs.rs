//! A vCenter's distributed switches as networks: `<forward mode='bridge'/>` and the port
//! groups VMs can use (not the uplinks'), each with its VLAN tag or trunk.

use super::{NetworkFacts, NetworkKind};
use crate::vi::MoRef;
use crate::vi::node::Node;
use crate::vi::property::ObjectContent;
use crate::vi::types::FromNode;
use crate::vi::views::network::DistributedSwitch;
use crate::xml::ids::Uuid;
use crate::xml::network::{Forward, NetworkDesc, PortGroupDesc, Vlan};

pub(crate) const PORTGROUP: &str = "DistributedVirtualPortgroup";

/// Read with the datacenters' networks; a port group's name comes with theirs.
pub(crate) const PROPS: &[(&str, &[&str])] = &[
    ("DistributedVirtualSwitch", DistributedSwitch::PATHS),
    (PORTGROUP, &["config.defaultPortConfig"]),
];

pub(crate) fn is_switch(oc: &ObjectContent) -> bool {
    oc.obj.kind.ends_with("DistributedVirtualSwitch")
}

/// The UUID, as the server spells it, of the switch that has the port group `pg`.
pub(crate) fn switch_uuid_of(objects: &[ObjectContent], pg: &MoRef) -> Option<String> {
    objects
        .iter()
        .filter(|oc| is_switch(oc))
        .filter_map(|oc| DistributedSwitch::from_node(&oc.props))
        .find(|sw| sw.portgroups.contains(pg))
        .map(|sw| sw.uuid)
}

/// The switches among `objects` (with their port groups), those reaching one of `members`
/// when given.
pub(crate) fn networks(objects: &[ObjectContent], members: Option<&[MoRef]>) -> Vec<NetworkFacts> {
    let mut out = Vec::new();
    for oc in objects.iter().filter(|oc| is_switch(oc)) {
        let Some(sw) = DistributedSwitch::from_node(&oc.props) else {
            continue;
        };
        if members.is_some_and(|m| !sw.members.iter().any(|h| m.contains(h))) {
            continue;
        }
        let groups: Vec<(&str, Vlan)> = sw
            .portgroups
            .iter()
            .filter(|pg| !sw.uplinks.contains(pg))
            .filter_map(|pg| objects.iter().find(|o| o.obj == *pg))
            .filter_map(|o| {
                let name = o.props.text_at("name")?;
                Some((name, vlan_of(o.props.path("config.defaultPortConfig.vlan"))))
            })
            .collect();
        let descs: Vec<PortGroupDesc> = groups
            .into_iter()
            .map(|(name, vlan)| PortGroupDesc {
                name,
                vlan,
                bandwidth: None,
            })
            .collect();
        // vCenter spells a switch's UUID as 16 hex pairs; anything else still names it stably.
        let uuid = Uuid::parse(&sw.uuid).unwrap_or_else(|| Uuid::md5_of(oc.obj.value.as_bytes()));
        let xml = NetworkDesc {
            name: &sw.name,
            uuid: &uuid.to_string(),
            forward: Forward::Bridge(&[]),
            bandwidth: None,
            portgroups: &descs,
        }
        .format();
        out.push(NetworkFacts {
            name: sw.name,
            uuid,
            xml,
            kind: NetworkKind::Distributed,
        });
    }
    out
}

/// A port setting's VLAN: one tag, a trunk of ranges, or none (untagged, or a private VLAN,
/// which libvirt's network XML cannot say).
fn vlan_of(spec: Option<&Node>) -> Vlan {
    let Some(spec) = spec else {
        return Vlan::None;
    };
    let tagged = |id: i32| u16::try_from(id).ok().filter(|id| (1..=4094).contains(id));
    match spec.xsi_type.as_deref() {
        Some("VmwareDistributedVirtualSwitchVlanIdSpec") => spec
            .child("vlanId")
            .and_then(i32::from_node)
            .and_then(tagged)
            .map_or(Vlan::None, Vlan::Tag),
        Some("VmwareDistributedVirtualSwitchTrunkVlanSpec") => {
            // A set of the 4094 tags, whatever the ranges the server sends.
            let mut on = vec![false; 4095];
            for range in spec.children_named("vlanId") {
                let bound = |name| range.child(name).and_then(i32::from_node);
                if let (Some(start), Some(end)) = (bound("start"), bound("end")) {
                    for id in start.max(1)..=end.min(4094) {
                        on[id as usize] = true;
                    }
                }
            }
            let tags: Vec<u16> = (1..=4094u16).filter(|id| on[*id as usize]).collect();
            match tags.is_empty() {
                true => Vlan::None,
                false => Vlan::Trunk(tags),
            }
        }
        _ => Vlan::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vi::node::parse;

    fn vlan(xml: &str) -> Vlan {
        let n = parse(&format!(
            "<v xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' {xml}</v>"
        ))
        .unwrap();
        vlan_of(Some(&n))
    }

    #[test]
    fn vlans_of_distributed_port_groups() {
        assert_eq!(
            vlan("xsi:type='VmwareDistributedVirtualSwitchVlanIdSpec'><vlanId>42</vlanId>"),
            Vlan::Tag(42)
        );
        assert_eq!(
            vlan("xsi:type='VmwareDistributedVirtualSwitchVlanIdSpec'><vlanId>0</vlanId>"),
            Vlan::None
        );
        assert_eq!(
            vlan(
                "xsi:type='VmwareDistributedVirtualSwitchTrunkVlanSpec'>\
                 <vlanId><start>10</start><end>12</end></vlanId>\
                 <vlanId><start>11</start><end>13</end></vlanId>"
            ),
            Vlan::Trunk(vec![10, 11, 12, 13])
        );
        assert_eq!(
            vlan(
                "xsi:type='VmwareDistributedVirtualSwitchTrunkVlanSpec'>\
                 <vlanId><start>-5</start><end>99999</end></vlanId>"
            ),
            Vlan::Trunk((1..=4094).collect())
        );
        assert_eq!(
            vlan("xsi:type='VmwareDistributedVirtualSwitchPvlanSpec'><pvlanId>5</pvlanId>"),
            Vlan::None
        );
    }
}
