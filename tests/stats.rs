//! Domain statistics on the simulator: every domain of a 1,000-VM host in one round trip
//! read and one QueryPerf after the counter lookup (the budget is 3), each record checked
//! against an independent read of the VM; CPU time monotonic across calls.

mod common;

use common::{Sim, dom, open};
use virt_esx::Code;
use virt_esx::abi::flags::{ListDomainsFlags, StatsGroups};
use virt_esx::driver::TypedValue;
use virt_esx::driver::domain::stats::{StatsRecord, groups};

#[test]
fn stats_for_a_thousand_vms_in_three_round_trips() {
    let sim = Sim::start(&["-mode", "esx", "-vms", "1000"]);
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let before = conn.round_trips();
    let recs = conn
        .all_domain_stats(ListDomainsFlags::empty(), groups(0, false).unwrap())
        .unwrap();
    let trips = conn.round_trips() - before;
    eprintln!("stats for {} VMs: {trips} round trip(s)", recs.len());
    assert!(trips <= 3, "{trips}");
    assert_eq!(recs.len(), 1000);
    let r = &recs[417];
    let theirs = check
        .fetch_vms(std::slice::from_ref(&r.vm.moref))
        .unwrap()
        .remove(0);
    let field = |name: &str| {
        r.fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        field("state.state"),
        Some(TypedValue::Int(theirs.state.libvirt_state()))
    );
    assert_eq!(
        field("balloon.maximum"),
        Some(TypedValue::ULLong(theirs.max_memory_kib()))
    );
    assert_eq!(
        field("balloon.current"),
        Some(TypedValue::ULLong(theirs.memory_kib()))
    );
    assert_eq!(
        field("vcpu.maximum"),
        Some(TypedValue::UInt(theirs.num_cpu as u32))
    );
    assert_eq!(
        field("vcpu.current"),
        Some(TypedValue::UInt(theirs.num_cpu as u32))
    );
    devices_match_the_server(&check, r);

    // CPU time: milliseconds of the server's samples added up, never going back.
    let Some(TypedValue::ULLong(first)) = field("cpu.time") else {
        panic!("no cpu.time")
    };
    assert!(first > 0 && first % 1_000_000 == 0, "{first}");
    match (field("cpu.user"), field("cpu.system")) {
        (Some(TypedValue::ULLong(u)), Some(TypedValue::ULLong(s))) => {
            assert_eq!(u, first.saturating_sub(s))
        }
        other => panic!("{other:?}"),
    }
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let before = conn.round_trips();
    let again = conn
        .domain_stats(std::slice::from_ref(&r.vm.moref), StatsGroups::CPU_TOTAL)
        .unwrap();
    assert_eq!(
        conn.round_trips() - before,
        2,
        "the VM's read and one QueryPerf"
    );
    let Some((_, TypedValue::ULLong(later))) = again[0].fields.first().cloned() else {
        panic!()
    };
    assert!(later >= first, "{later} < {first}");
    let before = conn.round_trips();
    let again = conn
        .all_domain_stats(ListDomainsFlags::empty(), groups(0, false).unwrap())
        .unwrap();
    let trips = conn.round_trips() - before;
    eprintln!("stats for {} VMs again: {trips} round trip(s)", again.len());
    assert_eq!(trips, 2, "the read and one QueryPerf");

    let one = conn
        .domain_stats(std::slice::from_ref(&r.vm.moref), StatsGroups::STATE)
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(groups(64, true).unwrap_err().code, Code::InvalidArg);
    assert_eq!(
        groups(64, false).unwrap(),
        StatsGroups::empty(),
        "an unserved group is left out"
    );
}

/// The record's disks and NICs are the VM's, read by hand, and their counters follow the
/// conversion rules: KB/s × 20 s × 1,024 for bytes, per second × 20 s for requests.
fn devices_match_the_server(check: &virt_esx::driver::Connection, r: &StatsRecord) {
    let field = |name: &str| {
        r.fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, v)| v.clone())
    };
    let props = check
        .primary()
        .client
        .retrieve_one(&r.vm.moref, &["config.hardware.device"])
        .unwrap()
        .unwrap()
        .props;
    let devices: Vec<_> = props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .collect();
    let macs: Vec<&str> = devices
        .iter()
        .filter_map(|d| d.text_at("macAddress"))
        .collect();
    let files: Vec<&str> = devices
        .iter()
        .filter(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
        .filter_map(|d| d.text_at("backing.fileName"))
        .collect();
    assert!(!macs.is_empty() && !files.is_empty());
    assert_eq!(
        field("net.count"),
        Some(TypedValue::UInt(macs.len() as u32))
    );
    assert_eq!(
        field("net.0.name"),
        Some(TypedValue::String(macs[0].to_string()))
    );
    assert_eq!(
        field("block.count"),
        Some(TypedValue::UInt(files.len() as u32))
    );
    assert_eq!(
        field("block.0.name"),
        Some(TypedValue::String("sda".into()))
    );
    assert_eq!(
        field("block.0.path"),
        Some(TypedValue::String(files[0].to_string()))
    );
    let kb: u64 = devices
        .iter()
        .find(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
        .and_then(|d| d.text_at("capacityInKB"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        field("block.0.capacity"),
        Some(TypedValue::ULLong(kb * 1024))
    );
    let number = |name: &str| match field(name) {
        Some(TypedValue::ULLong(v)) => v,
        other => panic!("{name}: {other:?}"),
    };
    if r.vm.state == virt_esx::driver::domain::PowerState::PoweredOn {
        assert_eq!(number("net.0.rx.bytes") % (20 * 1024), 0);
        assert_eq!(number("block.0.rd.reqs") % 20, 0);
        assert_eq!(number("block.0.wr.bytes") % (20 * 1024), 0);
        for name in ["net.0.tx.pkts", "net.0.rx.drop", "net.0.tx.errs"] {
            number(name);
        }
        for name in ["balloon.rss", "balloon.available", "balloon.unused"] {
            number(name);
        }
    } else {
        assert_eq!(field("net.0.rx.bytes"), None, "a stopped VM has no samples");
    }
}

/// One running VM's disk, NIC, memory and CPU counters by the names the statistics give,
/// checked against the server's own device list and quickStats; a stopped VM has none.
#[test]
fn one_domains_counters() {
    use virt_esx::driver::domain::power::PowerOp;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let props = check
        .primary()
        .client
        .retrieve_one(
            &vm.moref,
            &[
                "config.hardware.device",
                "summary.quickStats.hostMemoryUsage",
            ],
        )
        .unwrap()
        .unwrap()
        .props;
    let disk = props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .find(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
        .unwrap();
    let file = disk.text_at("backing.fileName").unwrap();
    let mac = props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .find_map(|d| d.text_at("macAddress"))
        .unwrap();

    let by_target = dom(&conn, &vm).block_stats("sda").unwrap();
    let by_file = dom(&conn, &vm).block_stats(file).unwrap();
    let all = dom(&conn, &vm).block_stats("").unwrap();
    for (a, b) in [
        (by_target.rd_bytes, by_file.rd_bytes),
        (by_file.rd_bytes, all.rd_bytes),
        (by_target.wr_reqs, by_file.wr_reqs),
    ] {
        assert!(b.unwrap() >= a.unwrap(), "{a:?} {b:?}");
    }
    assert_eq!(by_target.wr_bytes.unwrap() % (20 * 1024), 0);
    assert_eq!(
        dom(&conn, &vm).block_stats("sdq").unwrap_err().code,
        Code::InvalidArg
    );
    let before = conn.round_trips();
    let nic = dom(&conn, &vm)
        .interface_stats(&mac.to_uppercase())
        .unwrap();
    assert_eq!(
        conn.round_trips() - before,
        2,
        "the devices' read and one QueryPerf"
    );
    assert!(nic.rx_bytes.is_some() && nic.tx_drop.is_some());
    assert_eq!(
        dom(&conn, &vm).interface_stats("vnet0").unwrap_err().code,
        Code::InvalidArg
    );
    let mem = dom(&conn, &vm).memory_stats().unwrap();
    let rss: u64 = props
        .text_at("summary.quickStats.hostMemoryUsage")
        .unwrap_or("0")
        .parse()
        .unwrap();
    assert_eq!(mem.rss, rss * 1024);
    let theirs = check
        .fetch_vms(std::slice::from_ref(&vm.moref))
        .unwrap()
        .remove(0);
    assert_eq!(mem.available, theirs.max_memory_kib());
    assert!(dom(&conn, &vm).cpu_time(&vm).unwrap() > 0);
    assert_eq!(
        dom(&conn, &vm).vcpu_times().unwrap().len(),
        theirs.num_cpu as usize
    );

    let (used, idle) = conn.node_cpu_stats(None).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (used2, idle2) = conn.node_cpu_stats(None).unwrap();
    assert!(used2 >= used && idle2 >= idle && used % 1_000_000 == 0);
    let (total, free) = conn.node_memory_stats().unwrap();
    assert!(total > free && free == check.free_memory().unwrap() / 1024);

    let off = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    for err in [
        dom(&conn, &off).memory_stats().unwrap_err(),
        dom(&conn, &off).block_stats("sda").unwrap_err(),
        dom(&conn, &off).interface_stats(mac).unwrap_err(),
    ] {
        assert_eq!(err.code, Code::OperationInvalid, "{err}");
    }
    assert_eq!(dom(&conn, &off).cpu_time(&off).unwrap(), 0);
}
