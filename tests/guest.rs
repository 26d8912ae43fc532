//! What VMware Tools report of a guest (virDomainGetGuestInfo, virDomainGetFSInfo) on the
//! simulator with the launcher's stand-in Tools, ESX and vCenter mode, against the server's own
//! `guest` property; refusals for a stopped VM, a guest without Tools and unreported groups.

mod common;

use common::{Sim, dom, open};
use std::time::{Duration, Instant};
use virt_esx::Code;
use virt_esx::abi::flags::GuestInfoTypes as T;
use virt_esx::driver::Connection;
use virt_esx::driver::TypedValue;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::domain::{PowerState, Vm};

/// Waits for the guest's Tools to report, as a caller waits after powering a VM on.
fn tools_running(conn: &Connection, vm: &Vm) {
    let start = Instant::now();
    while common::live::vm_prop(conn, &vm.moref, "guest.toolsRunningStatus").as_deref()
        != Some("guestToolsRunning")
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "Tools never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The server's own `guest.disk`: (mount point, type, capacity, free, disk keys).
fn server_disks(conn: &Connection, vm: &Vm) -> Vec<(String, String, u64, u64, Vec<i32>)> {
    let oc = conn
        .primary()
        .client
        .retrieve_one(&vm.moref, &["guest.disk"])
        .unwrap()
        .unwrap();
    let text = |n: &esx_driver::vi::Node, p: &str| n.text_at(p).unwrap_or("").to_string();
    oc.props
        .path("guest")
        .into_iter()
        .flat_map(|g| g.children_named("disk"))
        .map(|d| {
            let keys = d
                .children_named("mappings")
                .filter_map(|m| m.text_at("key")?.parse().ok())
                .collect();
            (
                text(d, "diskPath"),
                text(d, "filesystemType"),
                text(d, "capacity").parse().unwrap(),
                text(d, "freeSpace").parse().unwrap(),
                keys,
            )
        })
        .collect()
}

fn check_report(sim: &Sim, scheme: &str, path: &str, name: &str) {
    let conn = open(sim, scheme, path);
    let mut vm = conn.domain_by_name(name).unwrap().cached();
    if vm.state != PowerState::PoweredOn {
        vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    }
    tools_running(&conn, &vm);
    let before = conn.round_trips();
    let report = dom(&conn, &vm).guest_report().unwrap();
    assert_eq!(conn.round_trips() - before, 1, "one read");

    let os = report.os.as_ref().unwrap();
    let prop = |p: &str| common::live::vm_prop(&conn, &vm.moref, p).unwrap();
    assert_eq!(os.guest_id, prop("guest.guestId"));
    assert_eq!(os.full_name, prop("guest.guestFullName"));
    assert_eq!(
        (os.id().as_str(), os.version_id()),
        ("debian", Some("12".into()))
    );
    assert_eq!(
        report.hostname.as_deref(),
        Some(prop("guest.hostName").as_str())
    );

    // Each file system as the server has it, its disks named as the domain XML names them.
    let server = server_disks(&conn, &vm);
    assert!(!server.is_empty());
    assert_eq!(report.filesystems.len(), server.len());
    let xml = dom(&conn, &vm).domain_xml(Default::default()).unwrap();
    for (fs, (mount, kind, capacity, free, keys)) in report.filesystems.iter().zip(&server) {
        assert_eq!((&fs.mountpoint, &fs.fstype), (mount, kind));
        assert_eq!(
            (fs.total, fs.used),
            (Some(*capacity), Some(capacity - free))
        );
        assert_eq!(fs.disks.len(), keys.len());
        for target in &fs.disks {
            assert!(
                xml.contains(&format!("<target dev='{target}'")),
                "{target} in {xml}"
            );
        }
    }
    let macs: Vec<_> = report.interfaces.iter().map(|i| i.hwaddr.clone()).collect();
    for mac in &macs {
        assert!(
            xml.contains(&format!("<mac address='{mac}'")),
            "{mac} in {xml}"
        );
    }
    assert!(report.interfaces.iter().all(|i| !i.addrs.is_empty()));

    // The typed parameters: every group Tools report, each count matching its entries.
    let params = report.params(T::empty().reported().unwrap());
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("fs.count"), Some(TypedValue::UInt(server.len() as u32)));
    assert_eq!(get("if.count"), Some(TypedValue::UInt(macs.len() as u32)));
    assert_eq!(
        get("disk.count"),
        Some(TypedValue::UInt(report.disks().len() as u32))
    );
    assert_eq!(
        get("hostname"),
        Some(TypedValue::String(prop("guest.hostName")))
    );
    assert!(params.iter().all(|(k, _)| !k.starts_with("user.")));

    // Stopped: no report, and the report goes with it on the server too.
    let off = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &off).guest_report().unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    assert_eq!(
        e.message(),
        "Requested operation is not valid: domain is not running"
    );
    let _ = dom(&conn, &off).power(PowerOp::Start).unwrap();
}

#[test]
fn tools_report_the_guest_on_a_host_and_through_vcenter() {
    let sim = Sim::start(&["-mode", "esx", "-tools"]);
    check_report(&sim, "esx", "/", "ha-host_VM0");
    let sim = Sim::start(&["-mode", "vpx", "-tools"]);
    check_report(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0");
}

#[test]
fn a_guest_without_tools_is_an_unresponsive_agent() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    assert_eq!(vm.state, PowerState::PoweredOn);
    let e = dom(&conn, &vm).guest_report().unwrap_err();
    assert_eq!(e.code, Code::AgentUnresponsive);
    assert_eq!(
        e.message(),
        "Guest agent is not responding: VMware Tools are not running in domain 'ha-host_VM0'"
    );
}
