//! A NIC's bandwidth controls (virDomainSet/GetInterfaceParameters over its resource
//! allocation) on the simulator, ESX and vCenter mode, against the server's own device list.

mod common;

use common::{Sim, dom, open};
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::nic_control::NicBandwidth;

/// The server's own (MAC, limit, reservation, shares level) of the VM's first NIC.
fn server_nic(conn: &Connection, vm: &Vm) -> (String, i64, i64, String) {
    let devices = common::live::vm_devices(conn, &vm.moref);
    let nic = devices
        .iter()
        .find(|d| d.child("macAddress").is_some())
        .unwrap();
    let num = |p: &str| nic.text_at(p).map_or(-1, |t| t.parse().unwrap());
    (
        nic.text_at("macAddress").unwrap().to_string(),
        num("resourceAllocation.limit"),
        num("resourceAllocation.reservation"),
        nic.text_at("resourceAllocation.share.level")
            .unwrap_or("")
            .to_string(),
    )
}

fn check_bandwidth(sim: &Sim, scheme: &str, path: &str, name: &str) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let d = dom(&conn, &vm);
    let (mac, ..) = server_nic(&conn, &vm);
    assert_eq!(d.nic_bandwidth(&mac).unwrap(), NicBandwidth::default());
    // 12,800 KiB/s is 104.9 Mbit/s: rounded up to 105; 2,560 KiB/s to 21.
    d.set_nic_bandwidth(&mac.to_uppercase(), Some(12_800), Some(2_560))
        .unwrap();
    let (_, limit, reservation, level) = server_nic(&conn, &vm);
    assert_eq!((limit, reservation, level.as_str()), (105, 21, "normal"));
    let rt = conn.round_trips();
    let b = d.nic_bandwidth(&mac).unwrap();
    assert_eq!(conn.round_trips() - rt, 1);
    assert_eq!((b.average, b.floor), (Some(12_817), Some(2_563)));
    // The limit removed, the reservation kept.
    d.set_nic_bandwidth(&mac, Some(0), None).unwrap();
    let (_, limit, reservation, _) = server_nic(&conn, &vm);
    assert_eq!((limit, reservation), (-1, 21));
    let e = d.nic_bandwidth("00:11:22:33:44:55").unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert_eq!(
        e.message(),
        "invalid argument: Can't find device 00:11:22:33:44:55"
    );
}

#[test]
fn nic_bandwidth_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_bandwidth(&sim, "esx", "/", "ha-host_VM0");
    let sim = Sim::vpx();
    check_bandwidth(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0");
}
