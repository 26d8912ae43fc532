//! The server restarts under a connection (the simulator stopped and started again on the
//! same address): calls log in again or fail once with a clear error, and the event watcher
//! watches anew, reporting what changed while the server was away as lifecycle events.

mod common;

use common::injector::{Action, Injector};
use common::{Creds, Sim, dom, domain_xml};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::abi::enums::virDomainEventType as E;
use virt_esx::abi::flags::ListDomainsFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::events::EventKind;
use virt_esx::event::poll::PollLoop;
use virt_esx::event::{self, Loop};

fn connect(addr: &str) -> Arc<Connection> {
    let uri = format!("esx://{addr}/?transport=http");
    Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap()
}

type Seen = Arc<Mutex<Vec<(String, i32)>>>;

/// Runs the default loop until `seen` holds what `done` wants, or 30 s pass.
fn run_until(l: &PollLoop, seen: &Seen, done: impl Fn(&[(String, i32)]) -> bool) {
    let start = Instant::now();
    while !done(&seen.lock().unwrap()) && start.elapsed() < Duration::from_secs(30) {
        l.run_once().unwrap();
    }
}

#[test]
fn events_resume_after_a_restart_with_what_changed_meanwhile() {
    let l = PollLoop::default_loop().unwrap();
    event::register(l.clone());
    l.add_timeout(100, Box::new(|_| {}));
    let mut sim = Sim::start(&["-mode", "esx", "-http"]);
    let conn = connect(&sim.addr);
    let other = connect(&sim.addr);
    let seen: Seen = Default::default();
    let s = seen.clone();
    conn.register_domain_event(
        None,
        Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        Box::new(move |e| {
            if let EventKind::Lifecycle(lc) = e.kind {
                s.lock().unwrap().push((e.vm.name.clone(), lc.numbers().0));
            }
        }),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // Before the restart: VM0 stopped and a VM defined, both seen as they happen.
    let vm0 = other.domain_by_name("ha-host_VM0").unwrap().cached();
    dom(&other, &vm0).power(PowerOp::Destroy).unwrap();
    other
        .define_xml(&domain_xml("away", "LocalDS_0", 65536))
        .unwrap();
    let has = |name: &str, ev: E| {
        let name = name.to_string();
        move |s: &[(String, i32)]| s.contains(&(name.clone(), ev as i32))
    };
    run_until(&l, &seen, has("away", E::VIR_DOMAIN_EVENT_DEFINED));
    assert!(
        seen.lock()
            .unwrap()
            .contains(&("ha-host_VM0".into(), E::VIR_DOMAIN_EVENT_STOPPED as i32)),
        "{:?}",
        seen.lock().unwrap()
    );
    seen.lock().unwrap().clear();
    // The restarted server has the model's inventory: VM0 runs again and "away" is gone.
    sim.restart();
    let started = has("ha-host_VM0", E::VIR_DOMAIN_EVENT_STARTED);
    let undefined = has("away", E::VIR_DOMAIN_EVENT_UNDEFINED);
    run_until(&l, &seen, |s| started(s) && undefined(s));
    let got = seen.lock().unwrap().clone();
    assert!(started(&got) && undefined(&got), "{got:?}");
    assert_eq!(got.len(), 2, "nothing else changed: {got:?}");
    assert!(conn.is_alive());
    // And the watch goes on: a change after the restart is an event as before.
    seen.lock().unwrap().clear();
    let other = connect(&sim.addr);
    let vm1 = other.domain_by_name("ha-host_VM1").unwrap().cached();
    dom(&other, &vm1).power(PowerOp::Suspend).unwrap();
    run_until(&l, &seen, has("ha-host_VM1", E::VIR_DOMAIN_EVENT_SUSPENDED));
    assert_eq!(
        *seen.lock().unwrap(),
        [("ha-host_VM1".into(), E::VIR_DOMAIN_EVENT_SUSPENDED as i32)]
    );
}

#[test]
fn a_listing_after_a_restart_logs_in_again_once() {
    let mut sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = inj.open("/");
    let before = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    sim.restart();
    let logins = || inj.seen().iter().filter(|m| *m == "Login").count();
    assert_eq!(logins(), 1);
    let after = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    assert_eq!(after.len(), before.len());
    assert_eq!(logins(), 2, "one login again");
}

#[test]
fn a_task_lost_in_a_restart_fails_once_with_a_clear_error() {
    let mut sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = inj.open("/");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    // The first look at the task's state is held until the server has restarted.
    inj.add_when(
        "RetrievePropertiesEx",
        "info.progress",
        1,
        Action::Delay(Duration::from_secs(3)),
    );
    let restarter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        sim.restart();
        sim
    });
    let err = dom(&conn, &vm).power(PowerOp::Suspend).unwrap_err();
    let _sim = restarter.join().unwrap();
    eprintln!("{}", err.message());
    assert!(
        err.message().contains("SuspendVM_Task") && err.message().contains("no longer"),
        "{}",
        err.message()
    );
    // The next call works, logged in again.
    assert!(conn.domain_by_name("ha-host_VM1").is_ok());
}

#[test]
fn a_download_cut_by_a_restart_fails_once_and_the_next_works() {
    use virt_esx::driver::storage::transfer::Download;
    let mut sim = Sim::start(&["-mode", "esx", "-http"]);
    let conn = connect(&sim.addr);
    let dc = conn.primary().scope.host().unwrap().datacenter_path.clone();
    let big = vec![7u8; 64 << 20];
    let put = |conn: &Arc<Connection>| {
        conn.primary()
            .client
            .upload(&dc, "LocalDS_0", "big/disk.iso", &big)
            .unwrap();
        conn.volume_by_path("[LocalDS_0] big/disk.iso").unwrap()
    };
    let vol = put(&conn);
    let mut down = Download::start(vol.conn(), vol.pool(), vol.facts(), 0, 0).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    assert_eq!(down.recv(&mut buf).unwrap(), buf.len());
    sim.restart();
    let err = loop {
        match down.recv(&mut buf) {
            Ok(0) => panic!("the download ended as if whole"),
            Ok(_) => continue,
            Err(e) => break e,
        }
    };
    eprintln!("{}", err.message());
    assert!(err.message().contains("disk.iso"), "{}", err.message());
    // The restarted server has none of the file: put it there again, and it downloads whole.
    let vol = put(&conn);
    let mut down = Download::start(vol.conn(), vol.pool(), vol.facts(), 0, 0).unwrap();
    let mut total = 0;
    loop {
        match down.recv(&mut buf).unwrap() {
            0 => break,
            n => total += n,
        }
    }
    assert_eq!(total, big.len());
}
