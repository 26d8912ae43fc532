//! Registering and deregistering events in a loop, without running the event loop, leaves
//! nothing behind: threads, file descriptors and the server's collectors stay flat. Its own
//! test binary, so that no other test's threads or sockets are counted.

mod common;

use common::injector::Injector;
use common::{Creds, Sim};
use std::sync::Arc;
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::driver::Connection;
use virt_esx::event::poll::PollLoop;

fn count(dir: &str) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[test]
fn registration_churn_leaves_no_thread_socket_or_collector_behind() {
    let l = PollLoop::default_loop().unwrap();
    virt_esx::event::register(l);
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = Arc::new(
        Connection::open(
            &inj.uri("esx", "/"),
            Some(&Creds::new(Some("root"), "pw")),
            false,
        )
        .unwrap(),
    );
    // One cycle first: the delivery queue and the HTTP connections it keeps are made once.
    let cycle = || {
        let id = conn
            .register_domain_event(None, Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE, Box::new(|_| {}))
            .unwrap();
        conn.deregister_domain_event(id).unwrap();
    };
    cycle();
    let (threads, fds) = (count("/proc/self/task"), count("/proc/self/fd"));
    let start = std::time::Instant::now();
    for _ in 0..40 {
        cycle();
    }
    let took = start.elapsed();
    let (threads_after, fds_after) = (count("/proc/self/task"), count("/proc/self/fd"));
    assert!(
        threads_after <= threads && fds_after <= fds + 2,
        "threads {threads} → {threads_after}, fds {fds} → {fds_after}"
    );
    let seen = inj.seen();
    let n = |m: &str| seen.iter().filter(|s| s.as_str() == m).count();
    assert_eq!(n("CreatePropertyCollector"), 41, "{seen:?}");
    assert_eq!(n("DestroyPropertyCollector"), 41);
    assert_eq!(n("CreateCollectorForEvents"), 41);
    assert_eq!(n("DestroyCollector"), 41);
    eprintln!("40 register/deregister cycles took {took:?}");
}
