//! Domain, network and storage pool events. The first registration starts one watcher thread
//! for the connection: it long-polls the scope's VMs, an event collector's latest page and,
//! once a network or pool event is registered, the scope's hosts and datastores
//! (WaitForUpdatesEx on a private property collector) and queues what changed; a handle in
//! the application's event loop delivers the queue, so callbacks run in the loop's thread,
//! never in the watcher's. The last deregistration, or closing the connection, stops the
//! watcher and destroys its collectors.
//!
//! Changes are seen alike whoever makes them (this library, another client, vCenter, DRS):
//! see `domains` for what VM changes and guest events mean, `inventory` for networks and pools.

mod domains;
mod inventory;

use crate::abi::enums::{
    virConnectCloseReason as Reason, virDomainEventDefinedDetailType, virDomainEventID,
    virDomainEventResumedDetailType, virDomainEventStartedDetailType,
    virDomainEventStoppedDetailType, virDomainEventSuspendedDetailType, virDomainEventType,
    virDomainEventUndefinedDetailType, virNetworkEventID, virNetworkEventLifecycleType,
    virStoragePoolEventID, virStoragePoolEventLifecycleType,
};
use crate::driver::TypedValue;
use crate::driver::connection::inventory::Scope;
use crate::driver::domain::Vm;
use crate::driver::liveness::Liveness;
use crate::driver::network::NetworkFacts;
use crate::driver::storage::pool::PoolFacts;
use crate::error::{Code, Error, Result};
use crate::event::wakeup::Wakeup;
use crate::event::{self, Loop};
use crate::log::log;
use crate::vi::Client;
use crate::vi::methods::DestroyCollector;
use crate::vi::property::FilterSpec;
use crate::vi::soap::MoRef;
use crate::vi::updates::Watch;
use crate::vi::views::vm::{CONFIG_UUID, DEVICES, POWER_STATE};
use crate::xml::ids::Uuid;
use domains::{Seen, event_collector, events_of, guest_events};
use inventory::Inventory;
use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::thread::{JoinHandle, ThreadId};
use std::time::Duration;

/// How long one wait lasts on the server: an idle connection with registrations makes one
/// request per WAIT, and closing waits at most this long for a watcher whose cancel
/// arrived before its wait did.
const WAIT: Duration = Duration::from_secs(10);
/// What the watcher reads of each VM.
const WATCHED: &[&str] = &[
    "name",
    CONFIG_UUID,
    POWER_STATE,
    "runtime.host",
    "config.template",
    "config.changeVersion",
    SHARES,
];
/// The CPU shares, reported by TUNABLE as `cputune.cpu_shares`.
const SHARES: &str = "config.cpuAllocation.shares.shares";
/// Long polls failing in a row after which the server is gone for good (the close callback
/// runs with EOF, or ERROR when the server answered): the waits between them double from
/// 1 s (1 + 2 + 4 + 8 = 15 s in all), and each poll logs in again once if the session was
/// lost.
const ATTEMPTS: u32 = 5;
/// The events its collector keeps: guest reboots and resets, guest shutdowns.
const EVENT_TYPES: &[&str] = &[
    "VmGuestRebootEvent",
    "VmResettingEvent",
    "VmGuestShutdownEvent",
];
/// The collector's page: the events of one wait beyond it are not seen.
const PAGE: i32 = 100;

/// What happened to a domain, by libvirt's event IDs.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// `VIR_DOMAIN_EVENT_ID_LIFECYCLE`: the domain started, was suspended, stopped, and so on.
    Lifecycle(Lifecycle),
    /// `VIR_DOMAIN_EVENT_ID_REBOOT`: the guest rebooted or the VM was reset.
    Reboot,
    /// The device's alias: its vSphere label (`Network adapter 2`), as DetachDeviceAlias
    /// takes it.
    DeviceAdded(String),
    /// `VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED`, with the device's alias as for `DeviceAdded`.
    DeviceRemoved(String),
    /// Tunables that changed, by libvirt's names (`cputune.cpu_shares`).
    Tunable(Vec<(String, TypedValue)>),
}

/// A lifecycle event: libvirt's `virDomainEventType` with the detail its type names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// `VIR_DOMAIN_EVENT_DEFINED`: added, updated or renamed.
    Defined(virDomainEventDefinedDetailType),
    /// `VIR_DOMAIN_EVENT_UNDEFINED`: removed or renamed away.
    Undefined(virDomainEventUndefinedDetailType),
    /// `VIR_DOMAIN_EVENT_STARTED`: booted, or arrived by migration.
    Started(virDomainEventStartedDetailType),
    /// `VIR_DOMAIN_EVENT_SUSPENDED`.
    Suspended(virDomainEventSuspendedDetailType),
    /// `VIR_DOMAIN_EVENT_RESUMED`.
    Resumed(virDomainEventResumedDetailType),
    /// `VIR_DOMAIN_EVENT_STOPPED`: shut down, destroyed, or left by migration.
    Stopped(virDomainEventStoppedDetailType),
}

impl Lifecycle {
    /// The event's type and detail, as libvirt's lifecycle callback takes them.
    pub fn numbers(self) -> (i32, i32) {
        use virDomainEventType as E;
        match self {
            Lifecycle::Defined(d) => (E::VIR_DOMAIN_EVENT_DEFINED as i32, d as i32),
            Lifecycle::Undefined(d) => (E::VIR_DOMAIN_EVENT_UNDEFINED as i32, d as i32),
            Lifecycle::Started(d) => (E::VIR_DOMAIN_EVENT_STARTED as i32, d as i32),
            Lifecycle::Suspended(d) => (E::VIR_DOMAIN_EVENT_SUSPENDED as i32, d as i32),
            Lifecycle::Resumed(d) => (E::VIR_DOMAIN_EVENT_RESUMED as i32, d as i32),
            Lifecycle::Stopped(d) => (E::VIR_DOMAIN_EVENT_STOPPED as i32, d as i32),
        }
    }
}

impl EventKind {
    /// The libvirt event ID a registration asks for to receive it.
    pub(crate) fn id(&self) -> i32 {
        use virDomainEventID as Id;
        (match self {
            EventKind::Lifecycle(_) => Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE,
            EventKind::Reboot => Id::VIR_DOMAIN_EVENT_ID_REBOOT,
            EventKind::DeviceAdded(_) => Id::VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
            EventKind::DeviceRemoved(_) => Id::VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
            EventKind::Tunable(_) => Id::VIR_DOMAIN_EVENT_ID_TUNABLE,
        }) as i32
    }
}

/// A domain event: the domain as it now is (as it was, for one gone or renamed) and what
/// happened.
#[derive(Debug, Clone)]
pub struct DomainEvent {
    /// The domain the event is about.
    pub vm: Vm,
    /// What happened, with the event's libvirt data.
    pub kind: EventKind,
}

/// A network's lifecycle event (`virNetworkEventLifecycleType`; the detail is always 0).
#[derive(Debug, Clone)]
pub struct NetworkEvent {
    /// The network the event is about, as last read.
    pub net: NetworkFacts,
    /// What happened (`VIR_NETWORK_EVENT_DEFINED`, …).
    pub event: virNetworkEventLifecycleType,
}

/// A pool's lifecycle event (`virStoragePoolEventLifecycleType`), or with `None` a refresh.
#[derive(Debug, Clone)]
pub struct PoolEvent {
    /// The pool (a datastore) the event is about, as last read.
    pub pool: PoolFacts,
    /// What happened (`VIR_STORAGE_POOL_EVENT_DEFINED`, …); `None` for
    /// `VIR_STORAGE_POOL_EVENT_ID_REFRESH`.
    pub event: Option<virStoragePoolEventLifecycleType>,
}

/// Anything the watcher queues.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    Domain(DomainEvent),
    Network(NetworkEvent),
    Pool(PoolEvent),
}

/// The kinds of object events are registered for, each with its own event IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Domain events (`virConnectDomainEventRegisterAny`).
    Domain,
    /// Network events (`virConnectNetworkEventRegisterAny`).
    Network,
    /// Storage pool events (`virConnectStoragePoolEventRegisterAny`).
    Pool,
}

/// The events a registration asks for: libvirt's event ID, of its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventId {
    /// A `virDomainEventID` (`virConnectDomainEventRegisterAny`).
    Domain(virDomainEventID),
    /// A `virNetworkEventID` (`virConnectNetworkEventRegisterAny`).
    Network(virNetworkEventID),
    /// A `virStoragePoolEventID` (`virConnectStoragePoolEventRegisterAny`).
    Pool(virStoragePoolEventID),
}

impl EventId {
    /// The ID a C caller's number names in `family`; one libvirt does not define there is
    /// `VIR_ERR_INVALID_ARG`, as libvirt refuses it.
    pub fn from_raw(family: Family, raw: i32) -> Result<EventId> {
        match family {
            Family::Domain => virDomainEventID::from_raw(raw).map(EventId::Domain),
            Family::Network => virNetworkEventID::from_raw(raw).map(EventId::Network),
            Family::Pool => virStoragePoolEventID::from_raw(raw).map(EventId::Pool),
        }
        .ok_or_else(|| Error::invalid_arg(format!("unsupported event ID {raw}")))
    }

    /// The family of objects whose events it names.
    pub fn family(self) -> Family {
        match self {
            EventId::Domain(_) => Family::Domain,
            EventId::Network(_) => Family::Network,
            EventId::Pool(_) => Family::Pool,
        }
    }

    /// libvirt's number for it.
    fn number(self) -> i32 {
        match self {
            EventId::Domain(id) => id as i32,
            EventId::Network(id) => id as i32,
            EventId::Pool(id) => id as i32,
        }
    }
}

impl Event {
    /// Its family, event ID and object UUID, which registrations are matched on.
    fn target(&self) -> (Family, i32, Uuid) {
        match self {
            Event::Domain(e) => (Family::Domain, e.kind.id(), e.vm.uuid),
            Event::Network(e) => (Family::Network, 0, e.net.uuid),
            Event::Pool(e) => (Family::Pool, i32::from(e.event.is_none()), e.pool.uuid),
        }
    }
}

fn needs_devices(family: Family, event_id: i32) -> bool {
    use virDomainEventID as Id;
    family == Family::Domain
        && (event_id == Id::VIR_DOMAIN_EVENT_ID_DEVICE_ADDED as i32
            || event_id == Id::VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED as i32)
}

/// What a watcher reads beyond the VMs and guest events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Needs {
    /// Device lists (for DEVICE_ADDED / DEVICE_REMOVED).
    devices: bool,
    /// Hosts, to list networks again when they change (for network events).
    networks: bool,
    /// Hosts and datastores, to list pools again and see refreshes (for pool events).
    pools: bool,
}

impl Needs {
    fn of(family: Family, event_id: i32) -> Needs {
        Needs {
            devices: needs_devices(family, event_id),
            networks: family == Family::Network,
            pools: family == Family::Pool,
        }
    }

    fn with(self, o: Needs) -> Needs {
        Needs {
            devices: self.devices || o.devices,
            networks: self.networks || o.networks,
            pools: self.pools || o.pools,
        }
    }
}

/// Runs in the event loop's thread for each domain event a registration receives.
pub type Deliver = Box<dyn Fn(&DomainEvent) + Send + Sync>;
/// As `Deliver`, for network events.
pub(crate) type DeliverNetwork = Box<dyn Fn(&NetworkEvent) + Send + Sync>;
/// As `Deliver`, for pool events.
pub(crate) type DeliverPool = Box<dyn Fn(&PoolEvent) + Send + Sync>;

/// A registration's callback, of its family.
pub enum Callback {
    /// Receives domain events (`virConnectDomainEventRegisterAny`).
    Domain(Deliver),
    /// Receives network events (`virConnectNetworkEventRegisterAny`).
    Network(DeliverNetwork),
    /// Receives storage pool events (`virConnectStoragePoolEventRegisterAny`).
    Pool(DeliverPool),
}

impl Callback {
    fn family(&self) -> Family {
        match self {
            Callback::Domain(_) => Family::Domain,
            Callback::Network(_) => Family::Network,
            Callback::Pool(_) => Family::Pool,
        }
    }

    fn call(&self, ev: &Event) {
        match (self, ev) {
            (Callback::Domain(f), Event::Domain(e)) => f(e),
            (Callback::Network(f), Event::Network(e)) => f(e),
            (Callback::Pool(f), Event::Pool(e)) => f(e),
            _ => {}
        }
    }
}

struct Registration {
    id: i32,
    event_id: i32,
    object: Option<Uuid>,
    callback: Callback,
    /// Set on deregistration: a delivery already under way skips it.
    removed: AtomicBool,
}

impl Registration {
    fn needs(&self) -> Needs {
        Needs::of(self.callback.family(), self.event_id)
    }
}

/// The queue from watchers to the application's loop: one per connection, made at its first
/// registration and kept until it closes, so that registering and deregistering in a loop
/// makes no new socket pair or loop handle each time.
struct Queue {
    events: Mutex<VecDeque<Event>>,
    wakeup: Wakeup,
}

/// The loop watches the queue's wakeup.
impl AsFd for Queue {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.wakeup.as_fd()
    }
}

/// The queue's handle in the loop it was made in.
struct Delivery {
    queue: Arc<Queue>,
    event_loop: Arc<dyn Loop>,
    watch: i32,
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.event_loop.remove_handle(self.watch);
    }
}

/// What a watcher thread shares with its connection.
struct Shared {
    stop: AtomicBool,
    queue: Arc<Queue>,
    collector: Mutex<Option<MoRef>>,
    needs: Needs,
}

struct Watcher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    thread_id: ThreadId,
}

/// A connection's registrations, its watcher and its delivery queue.
#[derive(Default)]
pub(crate) struct Events {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    regs: Vec<Arc<Registration>>,
    last_id: i32,
    watcher: Option<Watcher>,
    delivery: Option<Delivery>,
}

/// What the event machinery needs of the connection it serves, which implements it (in
/// connection/events.rs): the primary endpoint's client and scope, its liveness, its
/// registrations, and the reads network and pool events compare.
pub(crate) trait Source: Send + Sync {
    fn client(&self) -> &Client;
    fn scope(&self) -> &Scope;
    fn liveness(&self) -> &Liveness;
    fn events(&self) -> &Events;
    fn pools(&self) -> Result<Vec<PoolFacts>>;
    fn networks(&self) -> Result<Vec<NetworkFacts>>;
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Events {
    /// Stops the watcher and removes the delivery queue's handle (on close).
    pub(crate) fn stop(&self, client: &Client) {
        let (watcher, delivery) = {
            let mut st = lock(&self.state);
            (st.watcher.take(), st.delivery.take())
        };
        if let Some(w) = watcher {
            w.stop(client);
        }
        drop(delivery);
    }
}

impl Watcher {
    /// Signals the watcher, cancels its wait and waits for it to destroy its collectors, so
    /// that a watcher replaced, stopped by the last deregistration or by close leaves no
    /// thread or server collector behind. The cancel ends its wait at once (a cancel that
    /// comes before the wait does leaves it the one wait, at most `WAIT`).
    fn stop(mut self, client: &Client) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(pc) = lock(&self.shared.collector).clone() {
            client.cancel_watch(&pc);
        }
        // Never from the watcher itself (its last reference may close the connection).
        if std::thread::current().id() != self.thread_id
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

impl Events {
    /// Registers a callback of any family for `event_id` events of one object (by UUID) or
    /// all; the id to deregister with.
    pub(crate) fn register_event(
        &self,
        source: &Arc<dyn Source>,
        object: Option<Uuid>,
        event: EventId,
        callback: Callback,
    ) -> Result<i32> {
        let (family, event_id) = (callback.family(), event.number());
        if event.family() != family {
            return Err(Error::invalid_arg(format!(
                "event ID {event_id} is not of the callback's family ({family:?})"
            )));
        }
        // The queue's handle is added to the application's loop with no lock held: its add
        // function may call back into the library.
        let fresh = match lock(&self.state).delivery.is_none() {
            true => Some(start_delivery(source)?),
            false => None,
        };
        // Declared before the guard, so that it drops after it, even on an early return.
        let spare;
        let mut st = lock(&self.state);
        spare = match st.delivery.is_none() {
            true => std::mem::replace(&mut st.delivery, fresh),
            false => fresh,
        };
        let needs = st
            .regs
            .iter()
            .fold(Needs::of(family, event_id), |n, r| n.with(r.needs()));
        // None only when the connection closed meanwhile.
        let queue = st
            .delivery
            .as_ref()
            .map(|d| d.queue.clone())
            .ok_or_else(|| Error::esx(Code::OperationInvalid, "the connection is closing"))?;
        let mut replaced = None;
        if st
            .watcher
            .as_ref()
            .is_some_and(|w| w.shared.needs.with(needs) != w.shared.needs)
        {
            // A watcher that reads more replaces one that does not.
            let fresh = start_watcher(source, needs, queue.clone())?;
            replaced = st.watcher.replace(fresh);
        }
        if st.watcher.is_none() {
            st.watcher = Some(start_watcher(source, needs, queue)?);
        }
        st.last_id += 1;
        let id = st.last_id;
        st.regs.push(Arc::new(Registration {
            id,
            event_id,
            object,
            callback,
            removed: AtomicBool::new(false),
        }));
        drop(st);
        // A queue another registration made meanwhile goes, outside the lock.
        drop(spare);
        if let Some(old) = replaced {
            old.stop(source.client());
        }
        Ok(id)
    }

    /// Removes a domain registration; see `deregister_event`.
    pub(crate) fn deregister_domain_event(&self, client: &Client, id: i32) -> Result<()> {
        self.deregister_event(client, Family::Domain, id)
    }

    /// Removes a registration of `family`; its callback's opaque data is freed once no
    /// delivery uses it. The last one stops the watcher.
    pub(crate) fn deregister_event(&self, client: &Client, family: Family, id: i32) -> Result<()> {
        let (gone, watcher) = {
            let mut st = lock(&self.state);
            let at = st
                .regs
                .iter()
                .position(|r| r.id == id && r.callback.family() == family)
                .ok_or_else(|| {
                    Error::invalid_arg(format!("could not find event callback {id} for deletion"))
                })?;
            let gone = st.regs.remove(at);
            gone.removed.store(true, Ordering::SeqCst);
            let watcher = match st.regs.is_empty() {
                true => st.watcher.take(),
                false => None,
            };
            (gone, watcher)
        };
        if let Some(w) = watcher {
            w.stop(client);
        }
        // Outside the lock: its free callback may call back into the connection, and the
        // connection reference it holds may be the last one.
        drop(gone);
        Ok(())
    }

    /// In the loop's thread: the queued events to the registrations that want them. The
    /// registrations are copied first, so callbacks may register and deregister; one
    /// deregistered meanwhile is skipped.
    fn deliver(&self, queue: &Queue) {
        let events: Vec<Event> = lock(&queue.events).drain(..).collect();
        if events.is_empty() {
            return;
        }
        let regs = lock(&self.state).regs.clone();
        for ev in &events {
            let (family, id, uuid) = ev.target();
            for r in &regs {
                if r.callback.family() == family
                    && r.event_id == id
                    && r.object.is_none_or(|u| u == uuid)
                    && !r.removed.load(Ordering::SeqCst)
                {
                    r.callback.call(ev);
                }
            }
        }
    }
}

/// The connection's delivery queue and its handle in the registered loop.
fn start_delivery(source: &Arc<dyn Source>) -> Result<Delivery> {
    let event_loop = event::current().ok_or_else(|| {
        Error::esx(
            Code::OperationInvalid,
            "no event loop is registered: call virEventRegisterDefaultImpl (or \
             virEventRegisterImpl) before registering for events",
        )
    })?;
    let wakeup = Wakeup::new()
        .map_err(|e| Error::internal(format!("Unable to create the event queue: {e}")))?;
    let queue = Arc::new(Queue {
        events: Mutex::new(VecDeque::new()),
        wakeup,
    });
    let (q, conn) = (queue.clone(), Arc::downgrade(source));
    let watch = event_loop.add_handle(
        queue.clone(),
        crate::abi::enums::virEventHandleType::VIR_EVENT_HANDLE_READABLE as i32,
        Box::new(move |_, _, _| {
            q.wakeup.drain();
            if let Some(conn) = conn.upgrade() {
                conn.events().deliver(&q);
            }
        }),
    );
    if watch < 0 {
        return Err(Error::internal(
            "the event loop refused the event queue's handle",
        ));
    }
    Ok(Delivery {
        queue,
        event_loop,
        watch,
    })
}

fn start_watcher(source: &Arc<dyn Source>, needs: Needs, queue: Arc<Queue>) -> Result<Watcher> {
    // Network and pool events follow the scope's hosts: read here, so that a failure is the
    // registration's.
    if needs.networks || needs.pools {
        source.scope().hosts(source.client())?;
    }
    let shared = Arc::new(Shared {
        stop: AtomicBool::new(false),
        queue,
        collector: Mutex::new(None),
        needs,
    });
    let (weak, worker) = (Arc::downgrade(source), shared.clone());
    let thread = std::thread::Builder::new()
        .name("libvirt-esx-events".into())
        .spawn(move || watch_scope(weak, &worker))
        .map_err(|e| Error::internal(format!("Unable to start the event watcher: {e}")))?;
    Ok(Watcher {
        shared,
        thread_id: thread.thread().id(),
        thread: Some(thread),
    })
}

/// Why a connection whose long poll keeps failing is closed: EOF when no answer came (the
/// connection was refused, dropped or timed out), ERROR when the server answered with a
/// refusal (a fault, say, once logging in again failed).
fn close_reason(e: &crate::vi::error::Error) -> Reason {
    use crate::vi::error::ErrorKind as K;
    match e.kind {
        K::Transport | K::Timeout => Reason::VIR_CONNECT_CLOSE_REASON_EOF,
        _ => Reason::VIR_CONNECT_CLOSE_REASON_ERROR,
    }
}

/// What the watcher holds on the server: a property collector with its filters, and the event
/// collector the guest events come from.
struct Watching {
    w: Watch,
    events: Option<MoRef>,
}

impl Watching {
    /// Filters on the scope's VMs (and hosts and datastores for `inventory`) and a new event
    /// collector; nothing is left on the server when it fails.
    fn start(
        c: &dyn Source,
        shared: &Shared,
        inventory: Option<&Inventory>,
    ) -> crate::vi::error::Result<Watching> {
        let source = c.scope().vm_source(true);
        let mut paths = WATCHED.to_vec();
        if shared.needs.devices {
            paths.push(DEVICES);
        }
        let mut specs = vec![FilterSpec::reach(
            source.start,
            source.hops,
            "VirtualMachine",
            &paths,
        )];
        let events = event_collector(c.client());
        specs.extend(
            events
                .clone()
                .map(|e| FilterSpec::object(e, &["latestPage"])),
        );
        specs.extend(inventory.into_iter().flat_map(Inventory::specs));
        match c.client().watch(&specs) {
            Ok(w) => {
                *lock(&shared.collector) = Some(w.collector.clone());
                Ok(Watching { w, events })
            }
            Err(e) => {
                if let Some(events) = events {
                    let _ = c.client().invoke(&DestroyCollector { this: events });
                }
                Err(e)
            }
        }
    }

    fn end(self, c: &dyn Source) {
        c.client().end_watch(self.w);
        if let Some(e) = self.events {
            let _ = c.client().invoke(&DestroyCollector { this: e });
        }
    }
}

/// Whether the server no longer knows the watch: it restarted (and the session, logged into
/// again, has none of its collectors) or it forgot the version the watch is at.
fn watch_lost(e: &crate::vi::error::Error) -> bool {
    use crate::vi::error::Fault;
    e.is_fault(&Fault::ManagedObjectNotFound) || e.is_fault(&Fault::InvalidCollectorVersion)
}

/// The watcher thread: seeds what it knows with the first answer, then turns each later
/// change into events until stopped or the connection is gone. When the server loses the
/// watch (a restart), it watches anew and compares the full answer with what it knew, so a
/// change made while the server was away still becomes its event.
fn watch_scope(conn: Weak<dyn Source>, shared: &Shared) {
    let Some(c) = conn.upgrade() else { return };
    let (networks, pools) = (shared.needs.networks, shared.needs.pools);
    let inventory = (networks || pools).then(|| Inventory::new(&*c, networks, pools));
    let mut inventory = match inventory.transpose() {
        Ok(inventory) => inventory,
        Err(e) => {
            log!(
                Warning,
                &[],
                "event watcher: could not read the scope's hosts: {e}"
            );
            return;
        }
    };
    let mut watching = match Watching::start(&*c, shared, inventory.as_ref()) {
        Ok(w) => w,
        Err(e) => {
            log!(Warning, &[], "event watcher: could not watch the VMs: {e}");
            return;
        }
    };
    drop(c);
    let mut seen = Seen::default();
    let mut mode = Mode::Seeding;
    let mut failures = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        let Some(c) = conn.upgrade() else { return };
        let updates = match c.client().next_updates(&mut watching.w, WAIT) {
            Ok(u) => u,
            Err(_) if shared.stop.load(Ordering::SeqCst) => break,
            Err(e) => {
                failures += 1;
                let restarted =
                    watch_lost(&e).then(|| Watching::start(&*c, shared, inventory.as_ref()));
                let e = match restarted {
                    Some(Ok(w)) => {
                        log!(
                            Warning,
                            &[],
                            "event watcher: {e}; the server lost the watch, watching anew"
                        );
                        std::mem::replace(&mut watching, w).end(&*c);
                        mode = mode.resync();
                        continue;
                    }
                    Some(Err(again)) => again,
                    None => e,
                };
                if failures >= ATTEMPTS {
                    log!(Error, &[], "event watcher: {e}; the server is gone");
                    c.liveness().lost(close_reason(&e));
                    break;
                }
                let pause = 1u64 << (failures - 1);
                log!(Warning, &[], "event watcher: {e}; retrying in {pause} s");
                drop(c);
                crate::driver::liveness::pause(&shared.stop, Duration::from_secs(pause));
                continue;
            }
        };
        failures = 0;
        let out = mode.events(
            &mut seen,
            inventory.as_mut(),
            &*c,
            updates,
            watching.w.truncated,
        );
        if !watching.w.truncated {
            mode = Mode::Live;
        }
        if !out.is_empty() {
            lock(&shared.queue.events).extend(out);
            shared.queue.wakeup.ring();
        }
    }
    if let Some(c) = conn.upgrade() {
        watching.end(&*c);
    }
}

/// How the watcher reads an answer: the first one seeds what it knows, the first ones after
/// watching anew are compared with it whole (every VM is in them), the rest are changes.
#[derive(Clone, PartialEq)]
enum Mode {
    Seeding,
    /// The VMs the full answers have named so far.
    Resync(std::collections::HashSet<String>),
    Live,
}

impl Mode {
    fn resync(self) -> Mode {
        match self {
            Mode::Seeding => Mode::Seeding,
            _ => Mode::Resync(Default::default()),
        }
    }

    fn events(
        &mut self,
        seen: &mut Seen,
        mut inventory: Option<&mut Inventory>,
        c: &dyn Source,
        updates: Vec<crate::vi::property::ObjectUpdate>,
        truncated: bool,
    ) -> Vec<Event> {
        let seeding = *self == Mode::Seeding;
        if let Mode::Resync(named) = self {
            // The new collector's pages start over: seed the guest events again.
            if named.is_empty() {
                seen.forget_guest_events();
            }
            named.extend(
                updates
                    .iter()
                    .filter_map(|u| u.obj.as_ref())
                    .filter(|o| o.kind == "VirtualMachine")
                    .map(|o| o.value.clone()),
            );
        }
        let resync = matches!(self, Mode::Resync(_));
        let mut out = Vec::new();
        // The guest events first: a shutdown's stop may come in the same answer.
        let mut rest = Vec::new();
        for u in updates {
            match u.obj.as_ref().map(|o| o.kind.as_str()) {
                Some("EventHistoryCollector") => {
                    out.extend(guest_events(seen, &u, seeding || resync))
                }
                Some("VirtualMachine") => rest.push(u),
                _ => {
                    if let Some(inv) = inventory.as_deref_mut() {
                        inv.note(&u, seeding);
                    }
                }
            }
        }
        for u in rest {
            out.extend(events_of(seen, u, seeding, resync));
        }
        if let (Mode::Resync(named), false) = (&*self, truncated) {
            out.extend(seen.vanished(named));
        }
        if let Some(inv) = inventory {
            out.extend(inv.events(c, seeding));
        }
        out
    }
}
