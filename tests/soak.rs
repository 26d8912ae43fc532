//! A soak run (ignored by default; `make soak`, SOAK_SECONDS=60): 16 threads share one
//! connection for mixed calls on distinct VMs while 16 more open and close their own
//! connections, and the shared connection's domain events are delivered by the event loop
//! throughout. It must see no error and its events, and the process's memory must stay flat
//! after warm-up.

mod common;

use common::{Creds, Sim, dom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::abi::flags::{DomainXmlFlags, ListDomainsFlags};
use virt_esx::driver::Connection;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::event::poll::PollLoop;

fn rss_kib() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4
}

#[test]
#[ignore = "a minute long: run with `make soak`"]
fn sixteen_threads_share_a_connection_while_sixteen_reconnect() {
    let seconds: u64 = std::env::var("SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let sim = Sim::start(&["-mode", "esx", "-vms", "16"]);
    let uri = sim.uri("esx", "/?no_verify=1");
    let creds = Creds::new(Some("root"), "pw");
    let shared = Connection::open(&uri, Some(&creds), false).unwrap();
    let vms = shared.list_all_domains(ListDomainsFlags::empty()).unwrap();
    assert_eq!(vms.len(), 16);
    let (calls, errors) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let end = Instant::now() + Duration::from_secs(seconds);
    // Events too: every lifecycle change of the shared connection's VMs, through the loop.
    let l = PollLoop::default_loop().unwrap();
    virt_esx::event::register(l.clone());
    let events = Arc::new(AtomicU64::new(0));
    let seen = events.clone();
    shared
        .register_domain_event(
            None,
            Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            Box::new(move |_| {
                seen.fetch_add(1, Ordering::Relaxed);
            }),
        )
        .unwrap();
    let warm = Instant::now() + Duration::from_secs(seconds / 6);
    let mut threads = Vec::new();
    for vm in vms {
        let (conn, calls, errors) = (shared.clone(), calls.clone(), errors.clone());
        threads.push(std::thread::spawn(move || {
            let mut vm = vm;
            while Instant::now() < end {
                let step = |r: virt_esx::Result<()>| {
                    calls.fetch_add(1, Ordering::Relaxed);
                    if let Err(e) = r {
                        eprintln!("shared: {e}");
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                };
                step(conn.list_all_domains(ListDomainsFlags::empty()).map(|_| ()));
                step(conn.refresh_vm(&vm.moref).map(|v| vm = v));
                step(
                    dom(&conn, &vm)
                        .domain_xml(DomainXmlFlags::empty())
                        .map(|_| ()),
                );
                let op = if vm.state.is_active() {
                    PowerOp::Destroy
                } else {
                    PowerOp::Start
                };
                step(dom(&conn, &vm).power(op).map(|v| vm = v));
            }
        }));
    }
    threads.push(std::thread::spawn(move || {
        while Instant::now() < end {
            l.run_once().unwrap();
        }
    }));
    for _ in 0..16 {
        let (uri, calls, errors) = (uri.clone(), calls.clone(), errors.clone());
        threads.push(std::thread::spawn(move || {
            let creds = Creds::new(Some("root"), "pw");
            while Instant::now() < end {
                calls.fetch_add(1, Ordering::Relaxed);
                let r = Connection::open(&uri, Some(&creds), false).and_then(|c| c.close());
                if let Err(e) = r {
                    eprintln!("reconnect: {e}");
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    while Instant::now() < warm {
        std::thread::sleep(Duration::from_millis(100));
    }
    let rss_warm = rss_kib();
    for t in threads {
        t.join().unwrap();
    }
    let rss_end = rss_kib();
    let (calls, errors) = (
        calls.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
    );
    let events = events.load(Ordering::Relaxed);
    println!(
        "soak: {seconds} s, {calls} calls, {errors} errors, {events} events, RSS {rss_warm} KiB after warm-up, {rss_end} KiB at the end"
    );
    assert_eq!(errors, 0);
    assert!(events > 0, "the power changes were heard as events");
    assert!(
        rss_end * 10 <= rss_warm * 11,
        "RSS grew from {rss_warm} to {rss_end} KiB"
    );
}
