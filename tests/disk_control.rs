//! A disk grown (virDomainBlockResize), its IOPS limit and its shares (blkio weights) set on
//! the simulator, ESX and vCenter mode, each checked against the server's own device list.

mod common;

use common::{Sim, dom, open};
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::domain::{PowerState, Vm};

/// The server's own view of the VM's disks: (capacity in bytes, IOPS limit, shares, level).
fn server_disks(conn: &Connection, vm: &Vm) -> Vec<(u64, i64, i32, String)> {
    common::live::vm_devices(conn, &vm.moref)
        .iter()
        .filter(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
        .map(|d| {
            let num = |p: &str| d.text_at(p).and_then(|t| t.parse::<i64>().ok());
            (
                num("capacityInBytes").unwrap_or(num("capacityInKB").unwrap_or(0) * 1024) as u64,
                num("storageIOAllocation.limit").unwrap_or(-1),
                num("storageIOAllocation.shares.shares").unwrap_or(0) as i32,
                d.text_at("storageIOAllocation.shares.level")
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

fn check_disk_controls(sim: &Sim, scheme: &str, path: &str, name: &str) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let d = dom(&conn, &vm);
    let before = server_disks(&conn, &vm);
    assert_eq!(before.len(), 1, "{before:?}");
    let size = before[0].0;

    // Grown live by 1 MiB: one read and the task.
    let rt = conn.round_trips();
    d.block_resize("sda", size + (1 << 20)).unwrap();
    assert_eq!(
        conn.round_trips() - rt,
        3,
        "the devices, the task and its result"
    );
    assert_eq!(server_disks(&conn, &vm)[0].0, size + (1 << 20));
    assert_eq!(d.block_info("sda").unwrap().capacity, size + (1 << 20));
    // A size that is not whole KiB is rounded up; the same size changes nothing.
    d.block_resize("sda", size + (2 << 20) + 1).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].0, size + (2 << 20) + 1024);
    let rt = conn.round_trips();
    d.block_resize("sda", size + (2 << 20) + 1024).unwrap();
    assert_eq!(conn.round_trips() - rt, 1, "no task for the same size");
    // Shrinking is refused and the disk stays.
    let e = d.block_resize("sda", size).unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported);
    assert!(e.message().contains("vSphere cannot shrink a disk"), "{e}");
    assert_eq!(server_disks(&conn, &vm)[0].0, size + (2 << 20) + 1024);
    let e = d.block_resize("sdz", size).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(e.message().contains("disk 'sdz' was not found"), "{e}");

    // The IOPS limit, set and removed; off too.
    d.set_disk_iops_limit("sda", Some(500)).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].1, 500);
    assert_eq!(d.disk_iops_limit("sda").unwrap(), Some(500));
    let off = d.power(PowerOp::Destroy).unwrap();
    assert_eq!(off.state, PowerState::PoweredOff);
    let d = dom(&conn, &off);
    d.set_disk_iops_limit("sda", None).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].1, -1);
    assert_eq!(d.disk_iops_limit("sda").unwrap(), None);

    // Weights as shares: every disk, then one back to normal; the limit is kept.
    d.set_disk_iops_limit("sda", Some(100)).unwrap();
    d.set_disk_weights(Some(300), &[]).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].2, 600);
    assert_eq!(server_disks(&conn, &vm)[0].3, "custom");
    assert_eq!(server_disks(&conn, &vm)[0].1, 100, "the limit stays");
    assert_eq!(d.disk_weights().unwrap().0, vec![("sda".to_string(), 300)]);
    d.set_disk_weights(None, &[("sda".into(), 0)]).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].3, "normal");
    assert_eq!(d.disk_weights().unwrap().device_weight(), "sda,500");
    let e = d.set_disk_weights(Some(50), &[]).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    let e = d
        .set_disk_weights(None, &[("sdq".into(), 200)])
        .unwrap_err();
    assert!(e.message().contains("disk 'sdq' was not found"), "{e}");
    // Grown while off, by its file's name.
    let file = d.domain_xml(Default::default()).unwrap();
    let source = file
        .split("<source file='")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_string();
    d.block_resize(&source, size + (3 << 20)).unwrap();
    assert_eq!(server_disks(&conn, &vm)[0].0, size + (3 << 20));
    let _ = d.power(PowerOp::Start).unwrap();
}

#[test]
fn disks_grow_and_take_io_controls_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_disk_controls(&sim, "esx", "/", "ha-host_VM0");
    let sim = Sim::vpx();
    check_disk_controls(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0");
}

#[test]
fn a_read_only_connection_changes_no_disk() {
    let sim = Sim::esx();
    let conn = common::open_read_only(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let d = dom(&conn, &vm);
    for e in [
        d.block_resize("sda", 1 << 40).unwrap_err(),
        d.set_disk_iops_limit("sda", Some(1)).unwrap_err(),
        d.set_disk_weights(Some(200), &[]).unwrap_err(),
    ] {
        assert_eq!(e.code, Code::OperationDenied, "{e}");
    }
    assert_eq!(d.disk_weights().unwrap().weight(), 500);
}
