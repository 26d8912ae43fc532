//! Listing N VMs with their state through our C API (virConnectListAllDomains +
//! virDomainGetState on each) against a per-VM baseline in the same run: a fresh property read
//! for every VM, the least a driver that looks VMs up one by one pays (libvirt's ESX driver
//! pays three requests per VM). Runs against govmomi's simulator; prints time and round trips.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Creds, Sim};
use std::time::{Duration, Instant};
use virt_esx::driver::Connection;
use virt_esx::ffi::connection::domains::virConnectListAllDomains;
use virt_esx::ffi::connection::{virConnectClose, virEsxConnectGetRoundTrips};
use virt_esx::ffi::domain::object::virDomainFree;
use virt_esx::ffi::domain::status::virDomainGetState;
use virt_esx::ffi::types::{virConnectPtr, virDomainPtr};

const RUNS: u32 = 5;

fn ours(conn: virConnectPtr) -> (Duration, i64) {
    let before = unsafe { virEsxConnectGetRoundTrips(conn) };
    let start = Instant::now();
    let mut doms: *mut virDomainPtr = std::ptr::null_mut();
    // SAFETY: a live connection; the array and handles are freed below.
    unsafe {
        let n = virConnectListAllDomains(conn, &mut doms, 0);
        assert!(n >= 0);
        for i in 0..n as usize {
            let (mut state, mut reason) = (0, 0);
            assert_eq!(
                virDomainGetState(*doms.add(i), &mut state, &mut reason, 0),
                0
            );
            virDomainFree(*doms.add(i));
        }
        libc::free(doms.cast());
    }
    (
        start.elapsed(),
        unsafe { virEsxConnectGetRoundTrips(conn) } - before,
    )
}

fn baseline(conn: &Connection) -> (Duration, u64) {
    let before = conn.round_trips();
    let start = Instant::now();
    let (vms, _) = conn.list_vms(Default::default()).unwrap();
    for vm in &vms {
        let fresh = conn.refresh_vm(&vm.moref).unwrap();
        std::hint::black_box(fresh.state);
    }
    (start.elapsed(), conn.round_trips() - before)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    println!("list + state of N VMs (median of {RUNS} runs)");
    for n in [10usize, 100, 1000] {
        let sim = Sim::start(&["-mode", "esx", "-vms", &n.to_string()]);
        let c = common::open_c_as_root(&sim.uri("esx", "/?no_verify=1"));
        assert!(!c.is_null(), "open failed");
        let rust_conn = Connection::open(
            &sim.uri("esx", "/?no_verify=1"),
            Some(&Creds::new(Some("root"), "pw")),
            false,
        )
        .unwrap();
        let (mut t_ours, mut t_base) = (Vec::new(), Vec::new());
        let (mut rt_ours, mut rt_base) = (0, 0);
        for _ in 0..RUNS {
            let (t, rt) = ours(c);
            t_ours.push(t);
            rt_ours = rt;
            let (t, rt) = baseline(&rust_conn);
            t_base.push(t);
            rt_base = rt;
        }
        let (a, b) = (median(t_ours), median(t_base));
        println!(
            "N={n:5}: ours {:8.2} ms, {rt_ours} round trip(s); per-VM baseline {:8.2} ms, {rt_base} round trips; baseline/ours = {:.1}x",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            b.as_secs_f64() / a.as_secs_f64()
        );
        // SAFETY: opened above.
        unsafe { virConnectClose(c) };
    }
}
