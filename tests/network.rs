//! Networks and interfaces on the simulator: the host's standard vSwitches and physical NICs,
//! compared with an independent read of the host's network configuration and libvirt's XML.

mod common;

use common::{Sim, open};
use virt_esx::Code;

/// The host's switch and NIC names and MACs as the server has them, read here by hand.
fn server_network(conn: &virt_esx::driver::Connection) -> (Vec<String>, Vec<(String, String)>) {
    let host = conn.primary.scope.hosts[0].host.clone();
    let oc = conn
        .primary
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
    let net = conn.host_networking("test").unwrap();
    assert_eq!(
        conn.round_trips() - before,
        1,
        "switches, NICs and network names in one read"
    );
    let names: Vec<&str> = net.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, switches);
    let vswitch0 = &net.networks[0];
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
    let got: Vec<(String, String)> = net
        .interfaces
        .iter()
        .map(|i| (i.name.clone(), i.mac.clone()))
        .collect();
    assert_eq!(got, nics);
    assert_eq!(
        net.interfaces[0].xml(false).unwrap(),
        format!(
            "<interface type='ethernet' name='vmnic0'>\n  <start mode='onboot'/>\n  \
             <mac address='{}'/>\n</interface>\n",
            nics[0].1
        )
    );
    assert_eq!(
        conn.network_by_uuid(&vswitch0.uuid, "t").unwrap().name,
        "vSwitch0"
    );
    assert_eq!(
        conn.network_by_name("nope", "t").unwrap_err().code,
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
    let vc = Sim::vpx();
    let e = open(&vc, "vpx", "/")
        .host_networking("virConnectListAllNetworks")
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    let host = open(&vc, "vpx", "/DC0/DC0_H0")
        .host_networking("t")
        .unwrap();
    assert_eq!(host.networks[0].name, "vSwitch0");
}
