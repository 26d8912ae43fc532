//! Property views of networks: vSwitches, port groups, physical NICs and distributed switches.

use crate::vi::soap::MoRef;
use crate::vi::specs::HostNetworkTrafficShapingPolicy;
use crate::vi::types::vim_type;

vim_type!(HostVirtualSwitch {
    name: String = "name",
    key: String = "key",
    portgroups: Vec<String> = "portgroup",
    pnics: Vec<String> = "pnic",
    shaping: Option<HostNetworkTrafficShapingPolicy> = "spec.policy.shapingPolicy",
});

vim_type!(HostPortGroupPort {
    kind: String = "type",
});

vim_type!(HostPortGroup {
    key: String = "key",
    name: String = "spec.name",
    vlan: i32 = "spec.vlanId",
    shaping: Option<HostNetworkTrafficShapingPolicy> = "spec.policy.shapingPolicy",
    ports: Vec<HostPortGroupPort> = "port",
});

vim_type!(PhysicalNic {
    key: String = "key",
    device: String = "device",
    mac: String = "mac",
    dhcp: bool = "spec.ip.dhcp",
    address: String = "spec.ip.ipAddress",
    mask: String = "spec.ip.subnetMask",
    link_mb: Option<i32> = "linkSpeed.speedMb",
});

vim_type!(HostNetworkFacts {
    network_system: Option<MoRef> = "configManager.networkSystem",
    switches: Vec<HostVirtualSwitch> = "config.network.vswitch",
    portgroups: Vec<HostPortGroup> = "config.network.portgroup",
    pnics: Vec<PhysicalNic> = "config.network.pnic",
});

vim_type!(HostNics {
    pnics: Vec<PhysicalNic> = "config.network.pnic",
});

vim_type!(
    /// A datacenter network (a port group's, or a distributed port group) and the VMs on it.
    NamedNetwork {
    name: String = "name",
    vms: Vec<MoRef> = "vm",
});

vim_type!(DistributedSwitch {
    name: String = "name",
    uuid: String = "uuid",
    portgroups: Vec<MoRef> = "portgroup",
    members: Vec<MoRef> = "summary.hostMember",
    uplinks: Vec<MoRef> = "config.uplinkPortgroup",
});
