//! Domain lifecycle events on the simulator: changes made by a second, independent client
//! reach a registration through the default event loop; a filtered registration sees only
//! its domain; deregistration stops delivery; every libvirt event ID registers.

mod common;

use common::{Sim, dom, domain_xml, net_of, open, pool_of};
use esx_driver::abi::flags::UndefineFlags;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use virt_esx::Code;
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::abi::enums::virDomainEventStoppedDetailType;
use virt_esx::abi::enums::virDomainEventType as E;
use virt_esx::driver::Connection;
use virt_esx::driver::TypedValue;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::events::{EventId, EventKind, Family, Lifecycle};
use virt_esx::event::poll::PollLoop;
use virt_esx::event::{self, Loop};

type Seen = Arc<Mutex<Vec<(String, i32, i32)>>>;

fn recorder(seen: &Seen) -> virt_esx::driver::events::Deliver {
    let seen = seen.clone();
    Box::new(move |e| {
        if let EventKind::Lifecycle(l) = e.kind {
            let (event, detail) = l.numbers();
            seen.lock()
                .unwrap()
                .push((e.vm.name.clone(), event, detail))
        }
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

/// The default loop (registered, with a short tick so that idle iterations end), a
/// simulator, a connection to watch with and a second, independent client.
fn setup(args: &[&str]) -> (Arc<PollLoop>, Sim, Arc<Connection>, Arc<Connection>) {
    let l = PollLoop::default_loop().unwrap();
    event::register(l.clone());
    l.add_timeout(100, Box::new(|_| {}));
    let sim = Sim::start(args);
    let scheme = if args.contains(&"vpx") { "vpx" } else { "esx" };
    let conn = open(&sim, scheme, "/");
    let other = open(&sim, scheme, "/");
    (l, sim, conn, other)
}

/// One property of the VM, read by the second client.
fn props_of(other: &Arc<Connection>, vm: &Vm, path: &str) -> esx_driver::vi::node::Node {
    let read = other.primary().client.retrieve_one(&vm.moref, &[path]);
    read.unwrap().unwrap().props
}

/// `name` on, as the second client sees it.
fn running(other: &Arc<Connection>, name: &str) -> Vm {
    let vm = other.domain_by_name(name).unwrap().cached();
    match vm.state {
        virt_esx::driver::domain::PowerState::PoweredOn => vm,
        _ => dom(other, &vm).power(PowerOp::Start).unwrap(),
    }
}

#[test]
fn lifecycle_events_from_another_client_reach_the_loop() {
    let (l, _sim, conn, other) = setup(&["-mode", "esx"]);
    let all: Seen = Default::default();
    let one: Seen = Default::default();
    let lifecycle = Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE;
    let id_all = conn
        .register_domain_event(None, lifecycle, recorder(&all))
        .unwrap();
    let vm1 = other.domain_by_name("ha-host_VM1").unwrap().cached();
    conn.register_domain_event(Some(vm1.uuid), lifecycle, recorder(&one))
        .unwrap();
    for id in 1..28 {
        let id = Id::from_raw(id).unwrap();
        let reg = conn
            .register_domain_event(None, id, Box::new(|_| {}))
            .unwrap();
        conn.deregister_domain_event(reg).unwrap();
    }
    assert_eq!(
        EventId::from_raw(Family::Domain, 28).unwrap_err().code,
        Code::InvalidArg
    );
    // Let the watcher read the VMs as they are before anything changes.
    std::thread::sleep(Duration::from_millis(500));
    l.run_once().unwrap();
    assert!(all.lock().unwrap().is_empty(), "{:?}", all.lock().unwrap());

    let vm0 = other.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm0 = match vm0.state {
        virt_esx::driver::domain::PowerState::PoweredOn => vm0,
        _ => dom(&other, &vm0).power(PowerOp::Start).unwrap(),
    };
    all.lock().unwrap().clear();
    let vm0 = dom(&other, &vm0).power(PowerOp::Suspend).unwrap();
    let latency = run_until(&l, &all, 1);
    eprintln!("event latency after the change: {latency:?}");
    let vm0 = dom(&other, &vm0).power(PowerOp::Start).unwrap();
    run_until(&l, &all, 2);
    dom(&other, &vm0).power(PowerOp::Destroy).unwrap();
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
    dom(&other, &made).undefine(UndefineFlags::empty()).unwrap();
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

    dom(&other, &vm1).power(PowerOp::Destroy).unwrap();
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
    let vm0 = other.domain_by_name("ha-host_VM0").unwrap().cached();
    dom(&other, &vm0).power(PowerOp::Start).unwrap();
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
    let idle = Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap();
    let kept = Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap();
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
    kept.liveness()
        .register_close_callback(1, Box::new(move |why| *r.lock().unwrap() = Some(why)))
        .unwrap();
    assert_eq!(
        kept.liveness()
            .register_close_callback(2, Box::new(|_| {}))
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

type Kinds = Arc<Mutex<Vec<EventKind>>>;

/// Guest reboots and resets (REBOOT), a guest shutdown (STOPPED with SHUTDOWN) and a NIC
/// plugged in and out (DEVICE_ADDED / DEVICE_REMOVED with its label, as the server's device
/// list names it), all made by a second client.
#[test]
fn reboots_shutdowns_and_devices_reach_their_registrations() {
    use virt_esx::abi::flags::AffectFlags;
    use virt_esx::driver::domain::devices::DeviceChange::{Attach, Detach};
    let (l, _sim, conn, other) = setup(&["-mode", "esx"]);
    let vm = running(&other, "ha-host_VM0");
    let kinds: Kinds = Default::default();
    let before = conn.round_trips();
    let k = kinds.clone();
    conn.register_domain_event(
        Some(vm.uuid),
        Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        Box::new(move |e| k.lock().unwrap().push(e.kind.clone())),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        conn.round_trips() - before,
        7,
        "property collector, event collector and its page size, two filters, the first read \
         and the long poll then under way"
    );
    for id in [
        Id::VIR_DOMAIN_EVENT_ID_REBOOT,
        Id::VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
        Id::VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
        Id::VIR_DOMAIN_EVENT_ID_TUNABLE,
    ] {
        let k = kinds.clone();
        conn.register_domain_event(
            Some(vm.uuid),
            id,
            Box::new(move |e| k.lock().unwrap().push(e.kind.clone())),
        )
        .unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));
    l.run_once().unwrap();
    let wait_for = |want: &EventKind| {
        let start = Instant::now();
        while !kinds.lock().unwrap().contains(want) && start.elapsed() < Duration::from_secs(10) {
            l.run_once().unwrap();
        }
        let got = kinds.lock().unwrap().clone();
        assert!(got.contains(want), "{want:?} not in {got:?}");
    };

    let vm = dom(&other, &vm).power(PowerOp::Reset).unwrap();
    wait_for(&EventKind::Reboot);
    assert_eq!(
        *kinds.lock().unwrap(),
        vec![EventKind::Reboot],
        "a reset leaves the VM running"
    );
    kinds.lock().unwrap().clear();
    dom(&other, &vm).power(PowerOp::Reboot).unwrap();
    wait_for(&EventKind::Reboot);

    let nic = "<interface type='bridge'><mac address='00:50:56:00:77:01'/>\
        <source bridge='VM Network'/></interface>";
    dom(&other, &vm)
        .change_device(nic, Attach, AffectFlags::LIVE, "t")
        .unwrap();
    let props = props_of(&other, &vm, "config.hardware.device");
    let label = props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .find(|d| d.text_at("macAddress") == Some("00:50:56:00:77:01"))
        .and_then(|d| d.text_at("deviceInfo.label"))
        .unwrap()
        .to_string();
    wait_for(&EventKind::DeviceAdded(label.clone()));
    dom(&other, &vm)
        .change_device(nic, Detach, AffectFlags::LIVE, "t")
        .unwrap();
    wait_for(&EventKind::DeviceRemoved(label));

    dom(&other, &vm)
        .set_scheduler_params(None, None, Some(1234))
        .unwrap();
    wait_for(&EventKind::Tunable(vec![(
        "cputune.cpu_shares".into(),
        TypedValue::ULLong(1234),
    )]));

    dom(&other, &vm).power(PowerOp::Shutdown).unwrap();
    wait_for(&EventKind::Lifecycle(Lifecycle::Stopped(
        virDomainEventStoppedDetailType::VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
    )));
}

/// A running VM moved to another host of a vCenter scope: STOPPED then STARTED, both with
/// the MIGRATED detail.
#[test]
fn a_migration_across_hosts_of_the_scope_is_stopped_and_started_migrated() {
    use virt_esx::abi::enums::{
        virDomainEventStartedDetailType as Started, virDomainEventStoppedDetailType as Stopped,
    };
    use virt_esx::driver::domain::migrate::MigrateOptions;
    let (l, sim, conn, other) = setup(&["-mode", "vpx", "-cluster", "1"]);
    let vm = running(&other, "DC0_C0_RP0_VM0");
    let seen: Seen = Default::default();
    conn.register_domain_event(
        Some(vm.uuid),
        Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        recorder(&seen),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    l.run_once().unwrap();
    let host = props_of(&other, &vm, "runtime.host")
        .text_at("runtime.host")
        .unwrap()
        .to_string();
    let dest = ["DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"]
        .into_iter()
        .map(|h| open(&sim, "vpx", &format!("/DC0/DC0_C0/{h}")))
        .find(|c| c.primary().scope.host().unwrap().host.value != host)
        .unwrap();
    dom(&other, &vm)
        .migrate(&dest, MigrateOptions::default())
        .unwrap();
    run_until(&l, &seen, 2);
    let name = vm.name.clone();
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            (
                name.clone(),
                E::VIR_DOMAIN_EVENT_STOPPED as i32,
                Stopped::VIR_DOMAIN_EVENT_STOPPED_MIGRATED as i32
            ),
            (
                name,
                E::VIR_DOMAIN_EVENT_STARTED as i32,
                Started::VIR_DOMAIN_EVENT_STARTED_MIGRATED as i32
            ),
        ]
    );
}

/// Network and pool events for changes made by a second client: a vSwitch defined and
/// undefined, an NFS datastore mounted, refreshed and unmounted.
#[test]
fn network_and_pool_events_follow_the_hosts() {
    use virt_esx::abi::enums::{
        virNetworkEventLifecycleType as N, virStoragePoolEventLifecycleType as P,
    };
    use virt_esx::driver::events::Callback;
    let (l, _sim, conn, other) = setup(&["-mode", "esx"]);
    let seen: Arc<Mutex<Vec<(String, i32)>>> = Default::default();
    let s = seen.clone();
    let net_id = conn
        .register_event(
            None,
            EventId::from_raw(Family::Network, 0).unwrap(),
            Callback::Network(Box::new(move |e| {
                s.lock().unwrap().push((e.net.name.clone(), e.event as i32))
            })),
        )
        .unwrap();
    let s = seen.clone();
    conn.register_event(
        None,
        EventId::from_raw(Family::Pool, 0).unwrap(),
        Callback::Pool(Box::new(move |e| {
            s.lock()
                .unwrap()
                .push((e.pool.name.clone(), e.event.unwrap() as i32))
        })),
    )
    .unwrap();
    let s = seen.clone();
    conn.register_event(
        None,
        EventId::from_raw(Family::Pool, 1).unwrap(),
        Callback::Pool(Box::new(move |e| {
            assert!(e.event.is_none());
            s.lock().unwrap().push((e.pool.name.clone(), -1))
        })),
    )
    .unwrap();
    assert_eq!(
        EventId::from_raw(Family::Pool, 2).unwrap_err().code,
        Code::InvalidArg
    );
    assert_eq!(
        conn.deregister_event(Family::Pool, net_id)
            .unwrap_err()
            .code,
        Code::InvalidArg,
        "a network registration is not a pool's"
    );
    std::thread::sleep(Duration::from_millis(700));
    l.run_once().unwrap();
    let wait = |n: usize| {
        let start = Instant::now();
        while seen.lock().unwrap().len() < n && start.elapsed() < Duration::from_secs(10) {
            l.run_once().unwrap();
        }
        std::mem::take(&mut *seen.lock().unwrap())
    };

    let net = other
        .define_network(
            "<network><name>vSwitchE</name><portgroup name='pgE'/></network>",
            "t",
        )
        .unwrap();
    let name = |s: &str| s.to_string();
    assert_eq!(
        wait(2),
        vec![
            (name("vSwitchE"), N::VIR_NETWORK_EVENT_DEFINED as i32),
            (name("vSwitchE"), N::VIR_NETWORK_EVENT_STARTED as i32)
        ]
    );
    net_of(&other, &net).undefine("t").unwrap();
    assert_eq!(
        wait(2),
        vec![
            (name("vSwitchE"), N::VIR_NETWORK_EVENT_STOPPED as i32),
            (name("vSwitchE"), N::VIR_NETWORK_EVENT_UNDEFINED as i32)
        ]
    );

    let xml = "<pool type='netfs'><name>nfsE</name><source><host name='10.0.0.5'/>\
               <dir path='/export/e'/><format type='nfs'/></source></pool>";
    let pool = other.create_nfs_pool(xml, "t").unwrap();
    assert_eq!(
        wait(2),
        vec![
            (name("nfsE"), P::VIR_STORAGE_POOL_EVENT_DEFINED as i32),
            (name("nfsE"), P::VIR_STORAGE_POOL_EVENT_STARTED as i32)
        ]
    );
    pool_of(&other, &pool).refresh().unwrap();
    assert_eq!(wait(1), vec![(name("nfsE"), -1)]);
    pool_of(&other, &pool).remove_nfs("t").unwrap();
    assert_eq!(
        wait(2),
        vec![
            (name("nfsE"), P::VIR_STORAGE_POOL_EVENT_STOPPED as i32),
            (name("nfsE"), P::VIR_STORAGE_POOL_EVENT_UNDEFINED as i32)
        ]
    );
}

/// A watched connection whose server is gone for good is closed: EOF when nothing answers
/// any more, ERROR when the server keeps refusing the long poll (logging in again each
/// time), both after five attempts (15 s of waits); `IsAlive` turns false.
#[test]
fn a_lost_server_closes_a_watched_connection_with_eof_or_error() {
    use common::Creds;
    use common::injector::{Action, Injector};
    let l = PollLoop::default_loop().unwrap();
    event::register(l.clone());
    l.add_timeout(100, Box::new(|_| {}));
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let refusing = Injector::start(&sim.addr);
    let vanishing = Injector::start(&sim.addr);
    let creds = Creds::new(Some("u"), "p");
    let watched = |inj: &Injector| {
        let conn = Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap();
        let reason = Arc::new(Mutex::new(None));
        let r = reason.clone();
        conn.liveness()
            .register_close_callback(1, Box::new(move |why| *r.lock().unwrap() = Some(why)))
            .unwrap();
        conn.register_domain_event(None, Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE, Box::new(|_| {}))
            .unwrap();
        (conn, reason)
    };
    refusing.add(
        "WaitForUpdatesEx",
        100,
        Action::Fault("NotAuthenticated", "gone"),
    );
    let (refused, why_refused) = watched(&refusing);
    let (vanished, why_vanished) = watched(&vanishing);
    std::thread::sleep(Duration::from_millis(500));
    drop(vanishing);
    run_for(&l, 30, || {
        why_refused.lock().unwrap().is_some() && why_vanished.lock().unwrap().is_some()
    });
    assert_eq!(
        *why_refused.lock().unwrap(),
        Some(0),
        "VIR_CONNECT_CLOSE_REASON_ERROR"
    );
    assert_eq!(
        *why_vanished.lock().unwrap(),
        Some(1),
        "VIR_CONNECT_CLOSE_REASON_EOF"
    );
    assert!(!refused.is_alive() && !vanished.is_alive());
    let logins = refusing.seen().iter().filter(|m| *m == "Login").count();
    assert!(
        logins >= 5,
        "each refused poll logged in again ({logins} logins)"
    );
}
