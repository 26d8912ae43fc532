//! Domain statistics on the simulator: every domain of a 1,000-VM host in one round trip
//! read and one QueryPerf after the counter lookup (the budget is 3), each record checked
//! against an independent read of the VM; CPU time monotonic across calls.

mod common;

use common::{Sim, open};
use virt_esx::Code;
use virt_esx::abi::flags::ListDomainsFlags;
use virt_esx::driver::domain::stats::{Stat, groups};

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
        Some(Stat::Int(theirs.state.libvirt_state()))
    );
    assert_eq!(
        field("balloon.maximum"),
        Some(Stat::ULLong(theirs.max_memory_kib()))
    );
    assert_eq!(
        field("balloon.current"),
        Some(Stat::ULLong(theirs.memory_kib()))
    );
    assert_eq!(
        field("vcpu.maximum"),
        Some(Stat::UInt(theirs.num_cpu as u32))
    );
    let n = theirs.num_cpu as usize;
    assert_eq!(r.fields.len(), 2 + 1 + 2 + 2 + n, "{:?}", r.fields);

    // CPU time: milliseconds of the server's samples added up, never going back.
    let Some(Stat::ULLong(first)) = field("cpu.time") else {
        panic!("no cpu.time")
    };
    assert!(first > 0 && first % 1_000_000 == 0, "{first}");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let before = conn.round_trips();
    let again = conn
        .domain_stats(std::slice::from_ref(&r.vm.moref), 2)
        .unwrap();
    assert_eq!(
        conn.round_trips() - before,
        2,
        "the VM's read and one QueryPerf"
    );
    let Some((_, Stat::ULLong(later))) = again[0].fields.first().cloned() else {
        panic!()
    };
    assert!(later >= first, "{later} < {first}");

    let one = conn
        .domain_stats(std::slice::from_ref(&r.vm.moref), 1)
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(groups(32, true).unwrap_err().code, Code::InvalidArg);
    assert_eq!(
        groups(32, false).unwrap(),
        0,
        "an unserved group is left out"
    );
}
