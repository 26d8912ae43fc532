//! Networks and interfaces on the simulator: the host's standard vSwitches and physical NICs,
//! compared with an independent read of the host's network configuration and libvirt's XML.

mod common;

use common::{Sim, net_of, open};
use virt_esx::Code;

/// The host's switch and NIC names and MACs as the server has them, read here by hand.
fn server_network(conn: &virt_esx::driver::Connection) -> (Vec<String>, Vec<(String, String)>) {
    let host = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    let oc = conn
        .primary()
        .client
        .retrieve_one(&host, &["config.network.vswitch", "config.network.pnic"])
        .unwrap()
        .unwrap();
    let net = oc.props.path("config.network").unwrap();
    let switches = net
        .children_named("vswitch")
        .map(|s| s.child_text("name").unwrap().to_string())
        .collect();
    let nics = net
        .children_named("pnic")
        .map(|p| {
            (
                p.child_text("device").unwrap().to_string(),
                p.child_text("mac").unwrap().to_string(),
            )
        })
        .collect();
    (switches, nics)
}

#[test]
fn switches_are_networks_and_nics_interfaces_with_libvirts_xml() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let (switches, nics) = server_network(&open(&sim, "esx", "/"));
    let before = conn.round_trips();
    let networks = conn.networks().unwrap();
    assert_eq!(
        conn.round_trips() - before,
        1,
        "switches, NICs and network names in one read"
    );
    let before = conn.round_trips();
    let interfaces = conn.interfaces("test").unwrap();
    assert_eq!(conn.round_trips() - before, 1, "NICs in one read");
    let names: Vec<&str> = networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, switches);
    let vswitch0 = &networks[0];
    assert_eq!(
        vswitch0.uuid.to_string(),
        "2f467347-8b4e-8655-e7d6-c4c3fb968009",
        "MD5 of the key"
    );
    assert_eq!(
        vswitch0.xml,
        "<network>\n  <name>vSwitch0</name>\n  <uuid>2f467347-8b4e-8655-e7d6-c4c3fb968009</uuid>\n  \
         <forward dev='vmnic0' mode='bridge'>\n    <interface dev='vmnic0'/>\n  </forward>\n  \
         <portgroup name='VM Network'>\n  </portgroup>\n</network>\n"
    );
    let got: Vec<(String, String)> = interfaces
        .iter()
        .map(|i| (i.name.clone(), i.mac.clone()))
        .collect();
    assert_eq!(got, nics);
    assert_eq!(
        interfaces[0].xml(false).unwrap(),
        format!(
            "<interface type='ethernet' name='vmnic0'>\n  <start mode='onboot'/>\n  \
             <mac address='{}'/>\n</interface>\n",
            nics[0].1
        )
    );
    assert_eq!(
        conn.network_by_uuid(&vswitch0.uuid).unwrap().name,
        "vSwitch0"
    );
    assert_eq!(
        conn.network_by_name("nope").unwrap_err().code,
        Code::NoNetwork
    );
    let upper = nics[1].1.to_uppercase();
    assert_eq!(conn.interface_by_mac(&upper, "t").unwrap().name, nics[1].0);
    assert_eq!(
        conn.interface_by_name("VMNIC0", "t").unwrap().mac,
        nics[0].1
    );
    assert_eq!(
        conn.interface_by_name("vmnic9", "t").unwrap_err().code,
        Code::NoInterface
    );
    assert!(
        interfaces.iter().any(|i| !i.link_up),
        "the launcher gives the host a NIC whose link is down"
    );
}

/// The host's switches and port groups as the server has them: (switch, uplink devices) and
/// (port group, switch, VLAN, shaping average in bit/s).
type Switches = Vec<(String, Vec<String>)>;
type Groups = Vec<(String, String, i64, Option<i64>)>;

fn server_switches(conn: &virt_esx::driver::Connection) -> (Switches, Groups) {
    let host = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    let oc = conn
        .primary()
        .client
        .retrieve_one(&host, &["config.network"])
        .unwrap()
        .unwrap();
    let net = oc.props.path("config.network").unwrap();
    let device = |key: &str| {
        net.children_named("pnic")
            .find(|p| p.child_text("key") == Some(key))
            .and_then(|p| p.child_text("device"))
            .unwrap()
            .to_string()
    };
    let switches = net
        .children_named("vswitch")
        .map(|s| {
            (
                s.child_text("name").unwrap().to_string(),
                s.children_named("pnic").map(|k| device(&k.text)).collect(),
            )
        })
        .collect();
    let groups = net
        .children_named("portgroup")
        .map(|p| {
            (
                p.text_at("spec.name").unwrap().to_string(),
                p.text_at("spec.vswitchName").unwrap().to_string(),
                p.text_at("spec.vlanId").unwrap().parse().unwrap(),
                p.text_at("spec.policy.shapingPolicy.averageBandwidth")
                    .map(|v| v.parse().unwrap()),
            )
        })
        .collect();
    (switches, groups)
}

const SWITCH: &str = "<network><name>vSwitchT</name>\
    <forward mode='bridge'><interface dev='vmnic1'/></forward>\
    <portgroup name='pgT0'/>\
    <portgroup name='pgT42'><vlan><tag id='42'/></vlan>\
    <bandwidth><inbound average='1000'/><outbound average='1000'/></bandwidth></portgroup>\
    </network>";

#[test]
fn a_switch_is_defined_updated_and_undefined_as_the_host_sees_it() {
    use virt_esx::driver::network::PortGroupChange::*;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");

    let before = conn.round_trips();
    let net = conn.define_network(SWITCH, "t").unwrap();
    assert_eq!(
        conn.round_trips() - before,
        5,
        "one read, the switch, two port groups, the new network's read"
    );
    let (switches, groups) = server_switches(&check);
    assert!(switches.contains(&("vSwitchT".into(), vec!["vmnic1".into()])));
    assert!(groups.contains(&("pgT0".into(), "vSwitchT".into(), 0, None)));
    assert!(groups.contains(&("pgT42".into(), "vSwitchT".into(), 42, Some(8_000_000))));
    assert_eq!(
        net.xml,
        format!(
            "<network>\n  <name>vSwitchT</name>\n  <uuid>{}</uuid>\n  \
             <forward dev='vmnic1' mode='bridge'>\n    <interface dev='vmnic1'/>\n  </forward>\n  \
             <portgroup name='pgT0'>\n  </portgroup>\n  <portgroup name='pgT42'>\n    \
             <vlan>\n      <tag id='42'/>\n    </vlan>\n    <bandwidth>\n      \
             <inbound average='1000'/>\n      <outbound average='1000'/>\n    </bandwidth>\n  \
             </portgroup>\n</network>\n",
            net.uuid
        )
    );
    assert_eq!(
        conn.define_network(&net.xml, "t")
            .map(|_| ())
            .unwrap_err()
            .code,
        Code::ConfigUnsupported
    );
    let again = conn.define_network(SWITCH, "t").unwrap_err();
    assert!(again.detail.contains("already exists"), "{again}");
    let taken = conn
        .define_network(
            "<network><name>vSwitchU</name><portgroup name='VM Network'/></network>",
            "t",
        )
        .unwrap_err();
    assert_eq!(taken.code, Code::NetworkExist, "{taken}");
    let unknown = conn
        .define_network(
            "<network><name>vSwitchU</name><forward mode='bridge' dev='vmnic9'/></network>",
            "t",
        )
        .unwrap_err();
    assert!(
        unknown
            .detail
            .contains("Could not find PhysicalNic with name 'vmnic9'"),
        "{unknown}"
    );
    let busy = conn
        .define_network(
            "<network><name>vSwitchU</name><forward mode='bridge' dev='vmnic0'/></network>",
            "t",
        )
        .unwrap_err();
    assert_eq!(busy.code, Code::OperationInvalid, "{busy}");
    let (switches_now, _) = server_switches(&check);
    assert!(
        !switches_now.iter().any(|(s, _)| s == "vSwitchU"),
        "refused defines change nothing"
    );

    // One port group at a time, each checked on the server.
    let pg = |xml: &str| xml.to_string();
    net_of(&conn, &net)
        .update_portgroup(
            Modify,
            &pg("<portgroup name='pgT42'><vlan><tag id='43'/></vlan></portgroup>"),
            "t",
        )
        .unwrap();
    net_of(&conn, &net)
        .update_portgroup(
            Add,
            &pg("<portgroup name='pgT7'><vlan><tag id='7'/></vlan></portgroup>"),
            "t",
        )
        .unwrap();
    let (_, groups) = server_switches(&check);
    assert!(groups.contains(&("pgT42".into(), "vSwitchT".into(), 43, None)));
    assert!(groups.contains(&("pgT7".into(), "vSwitchT".into(), 7, None)));
    assert!(
        conn.network_by_uuid(&net.uuid)
            .unwrap()
            .xml
            .contains("<portgroup name='pgT7'>\n    <vlan>\n      <tag id='7'/>")
    );
    net_of(&conn, &net)
        .update_portgroup(Delete, "<portgroup name='pgT7'/>", "t")
        .unwrap();
    let (_, groups) = server_switches(&check);
    assert!(!groups.iter().any(|g| g.0 == "pgT7"));
    let e = net_of(&conn, &net)
        .update_portgroup(Add, "<portgroup name='VM Network'/>", "t")
        .unwrap_err();
    assert_eq!(e.code, Code::NetworkExist, "{e}");
    let e = net_of(&conn, &net)
        .update_portgroup(Modify, "<portgroup name='nope'/>", "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let vswitch0 = conn.network_by_name("vSwitch0").unwrap();
    let e = net_of(&conn, &vswitch0)
        .update_portgroup(Delete, "<portgroup name='VM Network'/>", "t")
        .unwrap_err();
    assert!(
        e.code == Code::OperationInvalid && e.detail.contains("in use by"),
        "the model's VMs are on VM Network: {e}"
    );
    let e = net_of(&conn, &vswitch0).undefine("t").unwrap_err();
    assert!(e.detail.contains("has a 'host' port"), "{e}");

    // A VM's NIC on pgT42 keeps the switch.
    attach_nic(&conn, "pgT42");
    let e = net_of(&conn, &net).undefine("t").unwrap_err();
    assert!(
        e.code == Code::OperationInvalid && e.detail.contains("'pgT42'"),
        "{e}"
    );
    assert!(server_switches(&check).0.iter().any(|s| s.0 == "vSwitchT"));
    detach_nics(&conn, "pgT42");
    net_of(&conn, &net).undefine("t").unwrap();
    let (switches, groups) = server_switches(&check);
    assert!(!switches.iter().any(|s| s.0 == "vSwitchT"));
    assert!(!groups.iter().any(|g| g.1 == "vSwitchT"));
    assert_eq!(
        conn.network_by_uuid(&net.uuid).unwrap_err().code,
        Code::NoNetwork
    );
}

/// `Management Network` holds the host's VMkernel NIC: deleting it by virNetworkUpdate is
/// refused as undefining its switch is, and a fresh read still finds it.
#[test]
fn the_hosts_own_port_group_is_not_deleted() {
    use virt_esx::driver::network::PortGroupChange::Delete;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let (_, before) = server_switches(&check);
    assert!(
        before.iter().any(|g| g.0 == "Management Network"),
        "{before:?}"
    );
    let vswitch0 = conn.network_by_name("vSwitch0").unwrap();
    let e = net_of(&conn, &vswitch0)
        .update_portgroup(Delete, "<portgroup name='Management Network'/>", "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    assert_eq!(
        e.detail,
        "Cannot delete HostPortGroup 'Management Network' that has a 'host' port: the host \
         itself uses it"
    );
    assert_eq!(
        server_switches(&check).1,
        before,
        "nothing changed on the host"
    );
}

/// The first VM gets a NIC on `network`, through the server's own call.
fn attach_nic(conn: &virt_esx::driver::Connection, network: &str) {
    use esx_driver::vi::specs::VirtualDeviceConfigSpecOperation::Add;
    reconfigure_nics(conn, Add, &[(-1, network.to_string(), None)]);
}

/// Takes the NICs on `network` off the first VM again, with their backings as the VM has
/// them, so that the server lets go of the network.
fn detach_nics(conn: &virt_esx::driver::Connection, network: &str) {
    use esx_driver::vi::specs::VirtualDeviceConfigSpecOperation::Remove;
    let vm = first_vm(conn);
    let oc = conn
        .primary()
        .client
        .retrieve_one(&vm, &["config.hardware.device"])
        .unwrap()
        .unwrap();
    let nics: Vec<_> = oc
        .props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .filter(|d| d.text_at("backing.deviceName") == Some(network))
        .map(|d| {
            (
                d.child_text("key").unwrap().parse().unwrap(),
                network.to_string(),
                d.path("backing.network")
                    .and_then(esx_driver::vi::MoRef::from_node),
            )
        })
        .collect();
    reconfigure_nics(conn, Remove, &nics);
}

/// One ReconfigVM_Task of the first VM: `op` on E1000 NICs (key, network name, network).
fn reconfigure_nics(
    conn: &virt_esx::driver::Connection,
    op: esx_driver::vi::specs::VirtualDeviceConfigSpecOperation,
    nics: &[(i32, String, Option<esx_driver::vi::MoRef>)],
) {
    use esx_driver::vi::methods::ReconfigVM_Task;
    use esx_driver::vi::specs::*;
    let vm = first_vm(conn);
    let device_change = nics
        .iter()
        .map(|(key, name, network)| VirtualDeviceConfigSpec {
            operation: Some(op),
            file_operation: None,
            device: VirtualDevice::VirtualE1000(VirtualE1000 {
                key: *key,
                backing: Some(
                    VirtualDeviceBackingInfo::VirtualEthernetCardNetworkBackingInfo(
                        VirtualEthernetCardNetworkBackingInfo {
                            device_name: name.clone(),
                            network: network.clone(),
                        },
                    ),
                ),
                ..Default::default()
            }),
        })
        .collect();
    let spec = VirtualMachineConfigSpec {
        device_change,
        ..Default::default()
    };
    esx_driver::testing::run_task(
        conn,
        conn.primary(),
        &ReconfigVM_Task {
            this: vm.clone(),
            spec,
        },
        Some(&vm),
    )
    .unwrap();
}

fn first_vm(conn: &virt_esx::driver::Connection) -> esx_driver::vi::MoRef {
    let host = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    let oc = conn
        .primary()
        .client
        .retrieve_one(&host, &["vm"])
        .unwrap()
        .unwrap();
    esx_driver::vi::MoRef::from_node(oc.props.children_named("vm").next().unwrap()).unwrap()
}

#[test]
fn vcenter_scopes_show_distributed_switches_read_only() {
    let vc = Sim::vpx();
    let dc = open(&vc, "vpx", "/DC0");
    let before = dc.round_trips();
    let networks = dc.networks().unwrap();
    assert_eq!(dc.round_trips() - before, 1);
    let names: Vec<&str> = networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["DVS0"], "above a host, no host's standard switches");
    let dvs = &networks[0];
    let server_uuid = {
        // The datacenter's network folder holds the switch: read there by hand.
        use esx_driver::vi::property::FilterSpec;
        let datacenter = esx_driver::testing::scope_hosts(&dc)[0].datacenter.clone();
        let oc = dc
            .primary()
            .client
            .retrieve_one(&datacenter, &["networkFolder"])
            .unwrap()
            .unwrap();
        let folder =
            esx_driver::vi::MoRef::from_node(oc.props.child("networkFolder").unwrap()).unwrap();
        let spec = FilterSpec::neighbours(
            folder,
            "Folder",
            "childEntity",
            "DistributedVirtualSwitch",
            &["uuid"],
        );
        let found = dc.primary().client.retrieve(&spec).unwrap();
        assert_eq!(found.len(), 1, "one distributed switch");
        found[0].props.child_text("uuid").unwrap().to_string()
    };
    assert_eq!(dvs.uuid.to_string(), server_uuid);
    assert_eq!(
        dvs.xml,
        format!(
            "<network>\n  <name>DVS0</name>\n  <uuid>{server_uuid}</uuid>\n  \
             <forward mode='bridge'/>\n  <portgroup name='DC0_DVPG0'>\n  </portgroup>\n\
             </network>\n"
        ),
        "the uplinks' port group is left out"
    );
    assert_eq!(dc.networks().unwrap(), networks, "stable across calls");
    let e = net_of(&dc, dvs).undefine("t").unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    let e = net_of(&dc, dvs)
        .update_portgroup(
            virt_esx::driver::network::PortGroupChange::Add,
            "<portgroup name='x'/>",
            "t",
        )
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    let e = dc.define_network(SWITCH, "t").unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    let e = dc.interfaces("virConnectListInterfaces").unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");

    // A host scope: its standard switches and the distributed switch it is a member of.
    let host = open(&vc, "vpx", "/DC0/DC0_C0/DC0_C0_H0");
    let names: Vec<String> = host
        .networks()
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["vSwitch0", "DVS0"]);
    let standalone = open(&vc, "vpx", "/DC0/DC0_H0");
    assert_eq!(standalone.networks().unwrap()[0].name, "vSwitch0");
}
