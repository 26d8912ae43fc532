//! Domain lifecycle events on the simulator: changes made by a second, independent client
//! reach a registration through the default event loop; a filtered registration sees only
//! its domain; deregistration stops delivery; every libvirt event ID registers.

mod common;

use common::{Sim, domain_xml, open};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use virt_esx::Code;
use virt_esx::abi::enums::virDomainEventType as E;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::event::poll::PollLoop;
use virt_esx::event::{self, Loop};

type Seen = Arc<Mutex<Vec<(String, i32, i32)>>>;

fn recorder(seen: &Seen) -> virt_esx::driver::events::Deliver {
    let seen = seen.clone();
    Box::new(move |e| {
        seen.lock()
            .unwrap()
            .push((e.vm.name.clone(), e.event, e.detail))
    })
}

/// Runs the default loop until `seen` holds `n` events or 10 s pass; the time it took.
fn run_until(l: &PollLoop, seen: &Seen, n: usize) -> Duration {
    let start = Instant::now();
    while seen.lock().unwrap().len() < n && start.elapsed() < Duration::from_secs(10) {
        l.run_once().unwrap();
    }
    start.elapsed()
}

#[test]
fn lifecycle_events_from_another_client_reach_the_loop() {
    let l = PollLoop::default_loop().unwrap();
    event::register(l.clone());
    // Keeps each iteration short while nothing happens.
    l.add_timeout(100, Box::new(|_| {}));
    let sim = Sim::esx();
    let conn = Arc::new(open(&sim, "esx", "/"));
    let other = open(&sim, "esx", "/");
    let all: Seen = Default::default();
    let one: Seen = Default::default();
    let lifecycle = 0;
    let id_all = conn
        .register_domain_event(None, lifecycle, recorder(&all))
        .unwrap();
    let vm1 = other.lookup_by_name("ha-host_VM1").unwrap();
    conn.register_domain_event(Some(vm1.uuid), lifecycle, recorder(&one))
        .unwrap();
    for id in 1..28 {
        let reg = conn
            .register_domain_event(None, id, Box::new(|_| {}))
            .unwrap();
        conn.deregister_domain_event(reg).unwrap();
    }
    assert_eq!(
        conn.register_domain_event(None, 28, Box::new(|_| {}))
            .unwrap_err()
            .code,
        Code::InvalidArg
    );
    // Let the watcher read the VMs as they are before anything changes.
    std::thread::sleep(Duration::from_millis(500));
    l.run_once().unwrap();
    assert!(all.lock().unwrap().is_empty(), "{:?}", all.lock().unwrap());

    let vm0 = other.lookup_by_name("ha-host_VM0").unwrap();
    let vm0 = match vm0.state {
        virt_esx::driver::domain::PowerState::PoweredOn => vm0,
        _ => other.power(&vm0, PowerOp::Start).unwrap(),
    };
    all.lock().unwrap().clear();
    let vm0 = other.power(&vm0, PowerOp::Suspend).unwrap();
    let latency = run_until(&l, &all, 1);
    eprintln!("event latency after the change: {latency:?}");
    let vm0 = other.power(&vm0, PowerOp::Start).unwrap();
    run_until(&l, &all, 2);
    other.power(&vm0, PowerOp::Destroy).unwrap();
    run_until(&l, &all, 3);
    let name = || "ha-host_VM0".to_string();
    assert_eq!(
        *all.lock().unwrap(),
        [
            (name(), E::VIR_DOMAIN_EVENT_SUSPENDED as i32, 0),
            (name(), E::VIR_DOMAIN_EVENT_RESUMED as i32, 0),
            (name(), E::VIR_DOMAIN_EVENT_STOPPED as i32, 1),
        ]
    );
    assert!(
        one.lock().unwrap().is_empty(),
        "filtered to VM1: {:?}",
        one.lock().unwrap()
    );

    all.lock().unwrap().clear();
    let made = other
        .define_xml(&domain_xml("evented", "LocalDS_0", 65536))
        .unwrap();
    run_until(&l, &all, 1);
    other.undefine(&made).unwrap();
    run_until(&l, &all, 2);
    let seen = all.lock().unwrap().clone();
    assert!(
        seen.contains(&("evented".into(), E::VIR_DOMAIN_EVENT_DEFINED as i32, 0)),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("evented".into(), E::VIR_DOMAIN_EVENT_UNDEFINED as i32, 0)),
        "{seen:?}"
    );

    other.power(&vm1, PowerOp::Destroy).unwrap();
    run_until(&l, &one, 1);
    assert_eq!(
        *one.lock().unwrap(),
        [("ha-host_VM1".into(), E::VIR_DOMAIN_EVENT_STOPPED as i32, 1)]
    );

    conn.deregister_domain_event(id_all).unwrap();
    assert_eq!(
        conn.deregister_domain_event(id_all).unwrap_err().code,
        Code::InvalidArg
    );
    all.lock().unwrap().clear();
    let vm0 = other.lookup_by_name("ha-host_VM0").unwrap();
    other.power(&vm0, PowerOp::Start).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    l.run_once().unwrap();
    assert!(
        all.lock().unwrap().is_empty(),
        "deregistered: {:?}",
        all.lock().unwrap()
    );
}

/// Runs the default loop until `done` or `secs` pass.
fn run_for(l: &PollLoop, secs: u64, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < Duration::from_secs(secs) {
        l.run_once().unwrap();
    }
}

#[test]
fn keepalive_keeps_an_idle_session_and_a_dead_server_closes_the_connection() {
    use common::Creds;
    use common::injector::Injector;
    use virt_esx::driver::Connection;
    let l = PollLoop::default_loop().unwrap();
    event::register(l.clone());
    l.add_timeout(100, Box::new(|_| {}));
    let sim = Sim::start(&["-mode", "esx", "-http", "-session-timeout", "2s"]);
    let inj = Injector::start(&sim.addr);
    let creds = Creds::new(Some("u"), "p");
    let logins = || inj.seen().iter().filter(|m| *m == "Login").count();
    let idle = Arc::new(Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap());
    let kept = Arc::new(Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap());
    kept.set_keepalive(1, 3).unwrap();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(logins(), 2);
    kept.list_all_domains(Default::default()).unwrap();
    assert_eq!(
        logins(),
        2,
        "the kept session is still valid: no second login"
    );
    idle.list_all_domains(Default::default()).unwrap();
    assert_eq!(logins(), 3, "the idle one expired and logged in again");

    let reason = Arc::new(Mutex::new(None));
    let r = reason.clone();
    kept.register_close_callback(1, Box::new(move |why| *r.lock().unwrap() = Some(why)))
        .unwrap();
    assert_eq!(
        kept.register_close_callback(2, Box::new(|_| {}))
            .unwrap_err()
            .code,
        Code::OperationInvalid
    );
    drop(inj);
    drop(sim);
    run_for(&l, 15, || reason.lock().unwrap().is_some());
    assert_eq!(
        *reason.lock().unwrap(),
        Some(2),
        "VIR_CONNECT_CLOSE_REASON_KEEPALIVE"
    );
    assert!(!kept.is_alive());
}
