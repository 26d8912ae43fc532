//! The domain API on the simulator in ESX and vCenter mode: listing with filters and round-trip
//! budgets, lookups, state, power operations checked by an independent read, tuning, guest info.

mod common;

use common::{Sim, dom, open, open_read_only};
use esx_driver::testing::Listing;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::abi::flags::{ListDomainsFlags as flags, MemoryFlags, VcpuFlags};
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::domain::{Domain, PowerState, Vm};

/// The simulator's own view of a VM, through a separate connection (no shared cache).
fn fresh_state(sim: &Sim, scheme: &str, path: &str, vm: &Vm) -> PowerState {
    open(sim, scheme, path).refresh_vm(&vm.moref).unwrap().state
}

#[test]
fn list_costs_one_round_trip_whatever_the_count() {
    for n in [1, 10, 1000] {
        let sim = Sim::start(&["-mode", "esx", "-vms", &n.to_string()]);
        let conn = open(&sim, "esx", "/");
        let before = conn.round_trips();
        let doms = conn.domains(flags::empty()).unwrap();
        let all: Vec<_> = doms.iter().map(|d| d.cached()).collect();
        assert_eq!(all.len(), n);
        assert_eq!(conn.round_trips() - before, 1, "listing {n} VMs");
        // State straight after the list needs no request; the first full read on any handle
        // of the listing reads all of them, in one.
        let before = conn.round_trips();
        for (d, vm) in doms.iter().zip(&all) {
            assert_eq!(d.current_state().unwrap().state, vm.state);
        }
        assert_eq!(conn.round_trips() - before, 0);
        for d in &doms {
            let cur = d.current().unwrap();
            assert!(cur.memory_mb > 0 && cur.num_cpu > 0, "{cur:?}");
        }
        assert_eq!(conn.round_trips() - before, 1, "info for {n} VMs");
        // A filtered listing's batch asks for its own VMs by name: one round trip too.
        let some = conn.domains(flags::ACTIVE).unwrap();
        let before = conn.round_trips();
        for d in &some {
            assert_eq!(d.current().unwrap().memory_mb, 32);
        }
        assert_eq!(conn.round_trips() - before, 1, "info for {n} active VMs");
    }
}

#[test]
fn list_filters_follow_libvirt() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let all = conn.list_all_domains(flags::empty()).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|v| v.state == PowerState::PoweredOn));
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let names = |f| {
        conn.list_all_domains(f)
            .unwrap()
            .into_iter()
            .map(|v| v.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(flags::INACTIVE), vec!["ha-host_VM0"]);
    assert_eq!(names(flags::ACTIVE), vec!["ha-host_VM1"]);
    assert_eq!(names(flags::SHUTOFF), vec!["ha-host_VM0"]);
    assert_eq!(names(flags::RUNNING | flags::SHUTOFF).len(), 2);
    assert!(names(flags::PAUSED).is_empty());
    assert!(names(flags::TRANSIENT).is_empty());
    assert_eq!(names(flags::PERSISTENT).len(), 2);
    assert!(names(flags::MANAGEDSAVE).is_empty());
    assert_eq!(names(flags::NO_SNAPSHOT).len(), 2);
    assert!(names(flags::HAS_SNAPSHOT).is_empty());
}

#[test]
fn lookups_cost_one_round_trip_and_miss_cleanly() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let before = conn.round_trips();
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    assert_eq!(conn.round_trips() - before, 1);
    let before = conn.round_trips();
    assert_eq!(
        conn.domain_by_uuid(&vm.uuid).unwrap().cached().moref,
        vm.moref
    );
    assert_eq!(conn.round_trips() - before, 1);
    let before = conn.round_trips();
    assert_eq!(
        conn.domain_by_id(vm.id()).unwrap().cached().name,
        "ha-host_VM1"
    );
    assert_eq!(conn.round_trips() - before, 1);
    assert!(vm.id() > 0);

    for e in [
        conn.domain_by_name("nope").unwrap_err(),
        conn.domain_by_uuid(&virt_esx::xml::ids::Uuid([7; 16]))
            .unwrap_err(),
        conn.domain_by_id(99999).unwrap_err(),
        conn.domain_by_id(-1).unwrap_err(),
    ] {
        assert_eq!(e.code, Code::NoDomain, "{e}");
    }
}

#[test]
fn power_cycle_is_seen_by_the_server() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    assert_eq!(vm.state, PowerState::PoweredOn);

    let e = dom(&conn, &vm).power(PowerOp::Start).unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
    assert!(e.message().contains("Domain is already running"), "{e}");
    let e = dom(&conn, &vm).power(PowerOp::Resume).unwrap_err();
    assert!(e.message().contains("Domain is not suspended"), "{e}");

    let vm = dom(&conn, &vm).power(PowerOp::Suspend).unwrap();
    assert_eq!(vm.state, PowerState::Suspended);
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::Suspended);
    let vm = dom(&conn, &vm).power(PowerOp::Resume).unwrap();
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOn);
    let vm = dom(&conn, &vm).power(PowerOp::Reset).unwrap();
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOn);
    let before = conn.round_trips();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    assert!(
        conn.round_trips() - before <= 2,
        "destroy cost {}",
        conn.round_trips() - before
    );
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOff);
    assert_eq!(vm.id(), -1);
    let e = dom(&conn, &vm).power(PowerOp::Suspend).unwrap_err();
    assert!(e.message().contains("Domain is not powered on"), "{e}");
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOn);
    let vm = dom(&conn, &vm).power(PowerOp::Shutdown).unwrap();
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOff);
}

#[test]
fn reboot_asks_the_guest_and_a_server_without_it_is_a_clear_error() {
    use common::injector::{Action, Injector};
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = match vm.state {
        PowerState::PoweredOn => vm,
        _ => dom(&conn, &vm).power(PowerOp::Start).unwrap(),
    };
    let after = dom(&conn, &vm).power(PowerOp::Reboot).unwrap();
    assert_eq!(fresh_state(&sim, "esx", "/", &after), PowerState::PoweredOn);

    let plain = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&plain.addr);
    let via = inj.open("/");
    inj.add("RebootGuest", 1, Action::Fault("NotImplemented", ""));
    let vm = via.domain_by_name("ha-host_VM0").unwrap().cached();
    let e = dom(&via, &vm).power(PowerOp::Reboot).unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported, "{e}");
    assert!(e.message().contains("virDomainReboot"), "{e}");
}

#[test]
fn read_only_connections_refuse_power_changes() {
    let sim = Sim::esx();
    let conn = open_read_only(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    assert_eq!(
        dom(&conn, &vm).power(PowerOp::Destroy).unwrap_err().code,
        Code::OperationDenied
    );
    assert_eq!(fresh_state(&sim, "esx", "/", &vm), PowerState::PoweredOn);
}

#[test]
fn vcenter_host_scope_and_power() {
    let sim = Sim::vpx();
    let conn = open(&sim, "vpx", "/DC0/DC0_H0");
    let names: Vec<_> = conn
        .list_all_domains(flags::empty())
        .unwrap()
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.iter().all(|n| n.starts_with("DC0_H0_VM")),
        "{names:?}"
    );
    let vm = conn.domain_by_name("DC0_H0_VM0").unwrap().cached();
    assert!(vm.moref.value.starts_with("vm-"));
    assert_eq!(conn.domain_by_id(vm.id()).unwrap().cached().moref, vm.moref);
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    assert_eq!(
        fresh_state(&sim, "vpx", "/DC0/DC0_H0", &vm),
        PowerState::PoweredOff
    );
    // A VM of another host is not found through this host's connection.
    assert_eq!(
        conn.domain_by_name("DC0_C0_RP0_VM0").unwrap_err().code,
        Code::NoDomain
    );
}

#[test]
fn memory_vcpus_and_scheduler() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    // Running and without hot-add: the size cannot change, the limit can.
    let e = dom(&conn, &vm)
        .set_memory(64 * 1024, MemoryFlags::MAXIMUM)
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let e = dom(&conn, &vm).set_vcpus(2, VcpuFlags::LIVE).unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let vm = dom(&conn, &vm)
        .set_memory(16 * 1024, MemoryFlags::empty())
        .unwrap();
    let server = open(&sim, "esx", "/").refresh_vm(&vm.moref).unwrap();
    assert_eq!(server.memory_limit_mb, Some(16));
    assert_eq!(server.memory_kib(), 16 * 1024);

    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let vm = dom(&conn, &vm)
        .set_memory(100 * 1024, MemoryFlags::MAXIMUM)
        .unwrap();
    assert_eq!(vm.memory_mb, 100);
    let vm = dom(&conn, &vm).set_vcpus(2, VcpuFlags::CONFIG).unwrap();
    let server = open(&sim, "esx", "/").refresh_vm(&vm.moref).unwrap();
    assert_eq!((server.memory_mb, server.num_cpu), (100, 2));
    assert_eq!(
        dom(&conn, &vm)
            .set_vcpus(0, VcpuFlags::empty())
            .unwrap_err()
            .code,
        Code::InvalidArg
    );
    assert_eq!(
        dom(&conn, &vm)
            .set_vcpus(4096, VcpuFlags::empty())
            .unwrap_err()
            .code,
        Code::InvalidArg
    );
    assert_eq!(
        dom(&conn, &vm)
            .set_memory(1 << 40, MemoryFlags::empty())
            .unwrap_err()
            .code,
        Code::InvalidArg
    );

    dom(&conn, &vm)
        .set_scheduler_params(Some(100), Some(500), Some(-3))
        .unwrap();
    let p = dom(&open(&sim, "esx", "/"), &vm)
        .scheduler_params()
        .unwrap();
    assert_eq!((p.reservation, p.limit, p.shares), (100, 500, -3));
    dom(&conn, &vm)
        .set_scheduler_params(None, Some(-1), Some(1234))
        .unwrap();
    let p = dom(&conn, &vm).scheduler_params().unwrap();
    assert_eq!((p.limit, p.shares), (-1, 1234));
    for (r, l, s) in [
        (Some(-5), None, None),
        (None, Some(-7), None),
        (None, None, Some(-9)),
    ] {
        assert_eq!(
            dom(&conn, &vm)
                .set_scheduler_params(r, l, s)
                .unwrap_err()
                .code,
            Code::InvalidArg
        );
    }
    let e = dom(&conn, &vm)
        .set_scheduler_params(Some(1000), Some(10), None)
        .unwrap_err();
    assert!(e.message().contains("at least the reservation"), "{e}");
}

#[test]
fn guest_hostname_and_addresses() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    match dom(&conn, &vm).guest_hostname() {
        Ok(h) => assert!(!h.is_empty()),
        Err(e) => assert!(e.message().contains("VMware Tools"), "{e}"),
    }
    let ifaces = dom(&conn, &vm).guest_interfaces().unwrap();
    for i in &ifaces {
        assert!(!i.hwaddr.is_empty());
    }
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &vm).guest_interfaces().unwrap_err();
    assert!(e.message().contains("not powered on"), "{e}");
    assert_eq!(
        virt_esx::driver::domain::guest::AddressSource::from_raw(0)
            .check()
            .unwrap_err()
            .code,
        Code::ArgumentUnsupported
    );
}

#[test]
fn autostart_through_the_host_manager() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    assert!(!dom(&conn, &vm).autostart().unwrap());
    dom(&conn, &vm).set_autostart(true).unwrap();
    assert!(dom(&open(&sim, "esx", "/"), &vm).autostart().unwrap());
    let before = conn.round_trips();
    let names: Vec<_> = conn
        .list_all_domains(flags::AUTOSTART)
        .unwrap()
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, vec!["ha-host_VM1"]);
    assert_eq!(
        conn.round_trips() - before,
        1,
        "the autostart filter rides on the list read"
    );
    assert_eq!(conn.list_all_domains(flags::NO_AUTOSTART).unwrap().len(), 1);
    // Turning on a second VM keeps the first; turning one off leaves the host setting alone.
    let other = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    dom(&conn, &other).set_autostart(true).unwrap();
    dom(&conn, &vm).set_autostart(false).unwrap();
    assert!(!dom(&conn, &vm).autostart().unwrap());
    assert!(dom(&conn, &other).autostart().unwrap());
}

#[test]
fn a_stale_listing_batch_reads_the_state_again() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let all = conn.list_all_domains(flags::empty()).unwrap();
    let listing = Arc::new(Listing::new(&all, true));
    let vm = all.iter().find(|v| v.name == "ha-host_VM0").unwrap();
    assert_eq!(vm.state, PowerState::PoweredOn);
    let other = open(&sim, "esx", "/");
    dom(
        &other,
        &other.domain_by_name("ha-host_VM0").unwrap().cached(),
    )
    .power(PowerOp::Destroy)
    .unwrap();
    std::thread::sleep(esx_driver::testing::FRESH_FOR);
    let d = Domain::new(conn.clone(), vm.clone(), Some(listing));
    let before = conn.round_trips();
    assert_eq!(d.current().unwrap().state, PowerState::PoweredOff);
    assert_eq!(conn.round_trips() - before, 1);
}
