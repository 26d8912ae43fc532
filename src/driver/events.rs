//! Domain lifecycle events. The first registration starts one watcher thread for the
//! connection: it long-polls the scope's VMs (WaitForUpdatesEx on a private collector) and
//! queues what changed; a handle in the application's event loop delivers the queue, so
//! callbacks run in the loop's thread, never in the watcher's. The last deregistration, or
//! closing the connection, stops the watcher and destroys its collector.
//!
//! Changes are seen alike whoever makes them (this library, another client, vCenter): the
//! watcher compares each VM's power state, name and configuration version with the last.

use crate::abi::enums::{
    DOMAIN_EVENT_IDS, virDomainEventDefinedDetailType as Defined, virDomainEventID,
    virDomainEventResumedDetailType as Resumed, virDomainEventStartedDetailType as Started,
    virDomainEventStoppedDetailType as Stopped, virDomainEventSuspendedDetailType as Suspended,
    virDomainEventType as E, virDomainEventUndefinedDetailType as Undefined,
};
use crate::driver::Connection;
use crate::driver::domain::{PowerState, Vm, VmProps};
use crate::error::{Code, Error, Result};
use crate::event::wakeup::Wakeup;
use crate::event::{self, Loop};
use crate::log::log;
use crate::vi::property::{FilterSpec, ObjectUpdate};
use crate::vi::soap::MoRef;
use crate::vi::types::FromNode;
use crate::xml::ids::Uuid;
use std::collections::{HashMap, VecDeque};
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
    "config.uuid",
    "runtime.powerState",
    "config.template",
    "config.changeVersion",
];

/// A lifecycle event: the domain as it now is, libvirt's event and detail.
#[derive(Debug, Clone)]
pub struct DomainEvent {
    pub vm: Vm,
    pub event: i32,
    pub detail: i32,
}

/// Runs in the event loop's thread for each event a registration receives.
pub type Deliver = Box<dyn Fn(&DomainEvent) + Send + Sync>;

struct Registration {
    id: i32,
    event_id: i32,
    domain: Option<Uuid>,
    deliver: Deliver,
    /// Set on deregistration: a delivery already under way skips it.
    removed: AtomicBool,
}

/// What the watcher thread and the loop's handle share.
struct Shared {
    stop: AtomicBool,
    queue: Mutex<VecDeque<DomainEvent>>,
    collector: Mutex<Option<MoRef>>,
    wakeup: Wakeup,
}

struct Watcher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    thread_id: ThreadId,
    event_loop: Arc<dyn Loop>,
    watch: i32,
}

/// A connection's registrations and its watcher.
#[derive(Default)]
pub struct Events {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    regs: Vec<Arc<Registration>>,
    last_id: i32,
    watcher: Option<Watcher>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Events {
    /// Stops the watcher (on close): cancels its wait and lets it destroy its collector.
    pub fn stop(&self, conn: &Connection) {
        let watcher = lock(&self.state).watcher.take();
        if let Some(w) = watcher {
            w.stop(conn, true);
        }
    }
}

impl Watcher {
    /// Signals the watcher, cancels its wait and removes the loop's handle; with `join`,
    /// also waits for it to destroy its collector (on close, before logging out).
    fn stop(mut self, conn: &Connection, join: bool) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(pc) = lock(&self.shared.collector).clone() {
            conn.primary.client.cancel_watch(&pc);
        }
        self.event_loop.remove_handle(self.watch);
        // Never from the watcher itself (its last reference may close the connection).
        if join
            && std::thread::current().id() != self.thread_id
            && let Some(t) = self.thread.take()
        {
            let _ = t.join();
        }
    }
}

impl Connection {
    /// Registers `deliver` for `event_id` events of one domain (by UUID) or all; the id to
    /// deregister with. Every libvirt event ID registers; vSphere produces lifecycle events.
    pub fn register_domain_event(
        self: &Arc<Self>,
        domain: Option<Uuid>,
        event_id: i32,
        deliver: Deliver,
    ) -> Result<i32> {
        if !(0..DOMAIN_EVENT_IDS).contains(&event_id) {
            return Err(Error::invalid_arg(format!(
                "unsupported event ID {event_id}"
            )));
        }
        let mut st = lock(&self.events.state);
        if st.watcher.is_none() {
            st.watcher = Some(self.start_watcher()?);
        }
        st.last_id += 1;
        let id = st.last_id;
        st.regs.push(Arc::new(Registration {
            id,
            event_id,
            domain,
            deliver,
            removed: AtomicBool::new(false),
        }));
        Ok(id)
    }

    /// Removes a registration; its callback's opaque data is freed once no delivery uses
    /// it. The last one stops the watcher.
    pub fn deregister_domain_event(&self, id: i32) -> Result<()> {
        let watcher = {
            let mut st = lock(&self.events.state);
            let at = st.regs.iter().position(|r| r.id == id).ok_or_else(|| {
                Error::invalid_arg(format!("could not find event callback {id} for deletion"))
            })?;
            st.regs.remove(at).removed.store(true, Ordering::SeqCst);
            match st.regs.is_empty() {
                true => st.watcher.take(),
                false => None,
            }
        };
        if let Some(w) = watcher {
            w.stop(self, false);
        }
        Ok(())
    }

    fn start_watcher(self: &Arc<Self>) -> Result<Watcher> {
        let event_loop = event::current().ok_or_else(|| {
            Error::esx(
                Code::OperationInvalid,
                "no event loop is registered: call virEventRegisterDefaultImpl (or \
                 virEventRegisterImpl) before registering for events",
            )
        })?;
        let wakeup = Wakeup::new()
            .map_err(|e| Error::internal(format!("Unable to create the event queue: {e}")))?;
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            queue: Mutex::new(VecDeque::new()),
            collector: Mutex::new(None),
            wakeup,
        });
        let weak = Arc::downgrade(self);
        let (queue, conn) = (shared.clone(), weak.clone());
        let watch = event_loop.add_handle(
            shared.wakeup.fd(),
            crate::abi::enums::virEventHandleType::VIR_EVENT_HANDLE_READABLE as i32,
            Box::new(move |_, _, _| {
                queue.wakeup.drain();
                if let Some(conn) = conn.upgrade() {
                    conn.deliver(&queue);
                }
            }),
        );
        if watch < 0 {
            return Err(Error::internal(
                "the event loop refused the event queue's handle",
            ));
        }
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("libvirt-esx-events".into())
            .spawn(move || watch_vms(weak, &worker));
        let thread = match spawned {
            Ok(t) => t,
            Err(e) => {
                event_loop.remove_handle(watch);
                return Err(Error::internal(format!(
                    "Unable to start the event watcher: {e}"
                )));
            }
        };
        Ok(Watcher {
            shared,
            thread_id: thread.thread().id(),
            thread: Some(thread),
            event_loop,
            watch,
        })
    }

    /// In the loop's thread: the queued events to the registrations that want them. The
    /// registrations are copied first, so callbacks may register and deregister; one
    /// deregistered meanwhile is skipped.
    fn deliver(&self, shared: &Shared) {
        let events: Vec<DomainEvent> = lock(&shared.queue).drain(..).collect();
        if events.is_empty() {
            return;
        }
        let regs = lock(&self.events.state).regs.clone();
        let lifecycle = virDomainEventID::VIR_DOMAIN_EVENT_ID_LIFECYCLE as i32;
        for ev in &events {
            for r in regs.iter().filter(|r| r.event_id == lifecycle) {
                if !r.removed.load(Ordering::SeqCst) && r.domain.is_none_or(|u| u == ev.vm.uuid) {
                    (r.deliver)(ev);
                }
            }
        }
    }
}

/// The watcher thread: seeds the VMs' states with the first answer, then turns each later
/// change into events until stopped or the connection is gone.
fn watch_vms(conn: Weak<Connection>, shared: &Shared) {
    let Some(c) = conn.upgrade() else { return };
    let source = c.primary.scope.vm_source(true);
    let spec = FilterSpec::reach(source.start, source.hops, "VirtualMachine", WATCHED);
    let mut w = match c.primary.client.watch(&[spec]) {
        Ok(w) => w,
        Err(e) => {
            log!(Warning, &[], "event watcher: could not watch the VMs: {e}");
            return;
        }
    };
    *lock(&shared.collector) = Some(w.collector.clone());
    drop(c);
    let mut known: HashMap<String, VmProps> = HashMap::new();
    let mut first = true;
    while !shared.stop.load(Ordering::SeqCst) {
        let Some(c) = conn.upgrade() else { return };
        let updates = match c.primary.client.next_updates(&mut w, WAIT) {
            Ok(u) => u,
            Err(_) if shared.stop.load(Ordering::SeqCst) => break,
            Err(e) => {
                log!(Warning, &[], "event watcher: {e}; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        let mut out = Vec::new();
        for u in updates {
            out.extend(events_of(&mut known, u, first));
        }
        first = false;
        if !out.is_empty() {
            lock(&shared.queue).extend(out);
            shared.wakeup.ring();
        }
    }
    if let Some(c) = conn.upgrade() {
        c.primary.client.end_watch(w);
    }
}

/// The events one object update means, given what was known of the VM before.
fn events_of(
    known: &mut HashMap<String, VmProps>,
    u: ObjectUpdate,
    seeding: bool,
) -> Vec<DomainEvent> {
    let Some(obj) = u.obj else { return Vec::new() };
    let key = obj.value.clone();
    let mut out = Vec::new();
    let mut emit = |props: &VmProps, event: E, detail: i32| {
        if !props.template {
            out.push(DomainEvent {
                vm: Vm::from_props(
                    obj.clone(),
                    props.clone(),
                    crate::driver::domain::Detail::Listed,
                ),
                event: event as i32,
                detail,
            });
        }
    };
    if u.kind == "leave" {
        if let Some(old) = known.remove(&key) {
            emit(
                &old,
                E::VIR_DOMAIN_EVENT_UNDEFINED,
                Undefined::VIR_DOMAIN_EVENT_UNDEFINED_REMOVED as i32,
            );
        }
        return out;
    }
    let old = known.get(&key).cloned();
    let mut now = old.clone().unwrap_or_default();
    let mut version_changed = false;
    for ch in &u.change_set {
        let text = ch.val.as_ref().map(|v| v.text.clone()).unwrap_or_default();
        match ch.name.trim() {
            "name" => now.name = text,
            "config.uuid" => now.uuid = text,
            "runtime.powerState" => now.power_state = text,
            "config.template" => {
                now.template = ch.val.as_ref().and_then(bool::from_node).unwrap_or(false)
            }
            "config.changeVersion" => version_changed = true,
            _ => {}
        }
    }
    known.insert(key, now.clone());
    let Some(old) = old.filter(|_| u.kind != "enter") else {
        if !seeding {
            emit(
                &now,
                E::VIR_DOMAIN_EVENT_DEFINED,
                Defined::VIR_DOMAIN_EVENT_DEFINED_ADDED as i32,
            );
        }
        return out;
    };
    if old.name != now.name {
        emit(
            &old,
            E::VIR_DOMAIN_EVENT_UNDEFINED,
            Undefined::VIR_DOMAIN_EVENT_UNDEFINED_RENAMED as i32,
        );
        emit(
            &now,
            E::VIR_DOMAIN_EVENT_DEFINED,
            Defined::VIR_DOMAIN_EVENT_DEFINED_RENAMED as i32,
        );
    } else if version_changed {
        emit(
            &now,
            E::VIR_DOMAIN_EVENT_DEFINED,
            Defined::VIR_DOMAIN_EVENT_DEFINED_UPDATED as i32,
        );
    }
    let (was, is) = (
        PowerState::parse(&old.power_state),
        PowerState::parse(&now.power_state),
    );
    let change = match (was, is) {
        (PowerState::PoweredOff, PowerState::PoweredOn) => Some((
            E::VIR_DOMAIN_EVENT_STARTED,
            Started::VIR_DOMAIN_EVENT_STARTED_BOOTED as i32,
        )),
        (PowerState::PoweredOn, PowerState::Suspended) => Some((
            E::VIR_DOMAIN_EVENT_SUSPENDED,
            Suspended::VIR_DOMAIN_EVENT_SUSPENDED_PAUSED as i32,
        )),
        (PowerState::Suspended, PowerState::PoweredOn) => Some((
            E::VIR_DOMAIN_EVENT_RESUMED,
            Resumed::VIR_DOMAIN_EVENT_RESUMED_UNPAUSED as i32,
        )),
        // vSphere does not say whether the guest shut down or was powered off.
        (PowerState::PoweredOn | PowerState::Suspended, PowerState::PoweredOff) => Some((
            E::VIR_DOMAIN_EVENT_STOPPED,
            Stopped::VIR_DOMAIN_EVENT_STOPPED_DESTROYED as i32,
        )),
        _ => None,
    };
    if let Some((event, detail)) = change {
        emit(&now, event, detail);
    }
    out
}
