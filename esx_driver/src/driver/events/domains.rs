//! What the watcher makes of VM changes and guest events: lifecycle (with SHUTDOWN and
//! MIGRATED details), REBOOT, DEVICE_ADDED / DEVICE_REMOVED and TUNABLE (CPU shares) events,
//! from each VM's last view.

use super::{DEVICES, DomainEvent, EVENT_TYPES, Event, EventKind, Lifecycle, PAGE, SHARES};
use crate::abi::enums::{
    virDomainEventDefinedDetailType as Defined, virDomainEventResumedDetailType as Resumed,
    virDomainEventStartedDetailType as Started, virDomainEventStoppedDetailType as Stopped,
    virDomainEventSuspendedDetailType as Suspended, virDomainEventUndefinedDetailType as Undefined,
};
use crate::driver::TypedValue;
use crate::driver::domain::{PowerState, Vm};
use crate::log::log;
use crate::vi::Client;
use crate::vi::events::{EventFilterSpec, VmEvent};
use crate::vi::methods::{CreateCollectorForEvents, SetCollectorPageSize};
use crate::vi::node::Node;
use crate::vi::property::ObjectUpdate;
use crate::vi::soap::MoRef;
use crate::vi::types::FromNode;
use crate::vi::views::vm::VmProps;
use crate::vi::views::vm::{CONFIG_UUID, POWER_STATE};
use std::collections::{HashMap, HashSet};

/// What the watcher knows: each VM as last seen, the newest event read, and the VMs whose
/// guest was asked to shut down (their next stop is a shutdown).
#[derive(Default)]
pub(super) struct Seen {
    vms: HashMap<String, Known>,
    last_key: Option<i32>,
    shutting_down: HashSet<String>,
}

impl Seen {
    /// A new event collector numbers its events anew: its first page is seeded again.
    pub(super) fn forget_guest_events(&mut self) {
        self.last_key = None;
    }

    /// The VMs known but not among `named` (a full answer's): gone while the server was away.
    pub(super) fn vanished(&mut self, named: &HashSet<String>) -> Vec<Event> {
        let gone: Vec<String> = self
            .vms
            .keys()
            .filter(|k| !named.contains(*k))
            .cloned()
            .collect();
        gone.into_iter()
            .filter_map(|key| {
                self.shutting_down.remove(&key);
                let old = self.vms.remove(&key)?;
                let obj = MoRef::new("VirtualMachine", &key);
                event(
                    &obj,
                    &old.props,
                    EventKind::Lifecycle(Lifecycle::Undefined(
                        Undefined::VIR_DOMAIN_EVENT_UNDEFINED_REMOVED,
                    )),
                )
            })
            .collect()
    }
}

#[derive(Clone, Default)]
struct Known {
    props: VmProps,
    /// Device keys and labels, when the watcher reads them.
    devices: Option<Vec<(i32, String)>>,
    shares: Option<u64>,
    /// `config.changeVersion`: a definition changed when it does.
    change_version: Option<String>,
}

/// An event collector of the guest events the watcher reports, with its page enlarged; `None`
/// (with a warning) where the server has none.
pub(super) fn event_collector(client: &Client) -> Option<MoRef> {
    let em = client.content().event_manager.clone()?;
    let made = client
        .invoke(&CreateCollectorForEvents {
            this: em,
            filter: EventFilterSpec {
                disable_full_message: Some(true),
                event_type_id: EVENT_TYPES.iter().map(|t| t.to_string()).collect(),
            },
        })
        .and_then(|c| {
            client.invoke(&SetCollectorPageSize {
                this: c.clone(),
                max_count: PAGE,
            })?;
            Ok(c)
        });
    match made {
        Ok(c) => Some(c),
        Err(e) => {
            log!(Warning, &[], "event watcher: no guest events ({e})");
            None
        }
    }
}

/// A domain event for a VM as known (none for templates).
fn event(obj: &MoRef, props: &VmProps, kind: EventKind) -> Option<Event> {
    (!props.template).then(|| {
        Event::Domain(DomainEvent {
            vm: Vm::from_props(
                obj.clone(),
                props.clone(),
                crate::driver::domain::Detail::Listed,
            ),
            kind,
        })
    })
}

/// The events of the collector's new page entries (none while seeding: only the newest key
/// is kept).
pub(super) fn guest_events(seen: &mut Seen, u: &ObjectUpdate, seeding: bool) -> Vec<Event> {
    let mut page: Vec<VmEvent> = u
        .change_set
        .iter()
        .filter(|ch| ch.name.trim() == "latestPage")
        .filter_map(|ch| ch.val.as_ref())
        .flat_map(VmEvent::page)
        .collect();
    page.sort_by_key(|e| e.key);
    let last = seen.last_key;
    if let Some(newest) = page.last() {
        seen.last_key = Some(newest.key.max(last.unwrap_or(i32::MIN)));
    }
    if seeding {
        return Vec::new();
    }
    let mut out = Vec::new();
    for e in page.into_iter().filter(|e| last.is_none_or(|k| e.key > k)) {
        match e.kind.as_str() {
            // Kept for the VM's next stop, unless that stop was already seen (an earlier
            // answer), so that a later power-off is not taken for it.
            "VmGuestShutdownEvent" => {
                let on = seen.vms.get(&e.vm.value).is_some_and(|k| {
                    PowerState::parse(&k.props.power_state) != PowerState::PoweredOff
                });
                if on {
                    seen.shutting_down.insert(e.vm.value.clone());
                }
            }
            "VmGuestRebootEvent" | "VmResettingEvent" => {
                if let Some(k) = seen.vms.get(&e.vm.value) {
                    out.extend(event(&e.vm, &k.props, EventKind::Reboot));
                }
            }
            _ => {}
        }
    }
    out
}

/// Device keys and labels of a `config.hardware.device` value.
fn device_labels(val: Option<&Node>) -> Vec<(i32, String)> {
    val.map(|v| v.children.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|d| {
            let key = d.text_at("key")?.trim().parse().ok()?;
            let label = d
                .text_at("deviceInfo.label")
                .unwrap_or_default()
                .to_string();
            Some((key, label))
        })
        .collect()
}

/// The events one object update means, given what was known of the VM before.
/// The events of one VM's update. `resync`: the update is part of a full answer after the
/// server lost the watch, so a VM it enters may be one already known, compared as a change.
pub(super) fn events_of(
    seen: &mut Seen,
    u: ObjectUpdate,
    seeding: bool,
    resync: bool,
) -> Vec<Event> {
    let Some(obj) = u.obj else { return Vec::new() };
    let key = obj.value.clone();
    let mut out = Vec::new();
    let mut emit = |props: &VmProps, kind: EventKind| out.extend(event(&obj, props, kind));
    if u.kind == "leave" {
        seen.shutting_down.remove(&key);
        if let Some(old) = seen.vms.remove(&key) {
            emit(
                &old.props,
                EventKind::Lifecycle(Lifecycle::Undefined(
                    Undefined::VIR_DOMAIN_EVENT_UNDEFINED_REMOVED,
                )),
            );
        }
        return out;
    }
    let old = seen.vms.get(&key).cloned();
    let mut now = old.clone().unwrap_or_default();
    for ch in &u.change_set {
        let text = ch.val.as_ref().map(|v| v.text.clone()).unwrap_or_default();
        let p = &mut now.props;
        match ch.name.trim() {
            "name" => p.name = text,
            CONFIG_UUID => p.uuid = text,
            POWER_STATE => p.power_state = text,
            "runtime.host" => p.host = ch.val.as_ref().and_then(MoRef::from_node),
            "config.template" => {
                p.template = ch.val.as_ref().and_then(bool::from_node).unwrap_or(false)
            }
            "config.changeVersion" => now.change_version = Some(text),
            DEVICES => now.devices = Some(device_labels(ch.val.as_ref())),
            SHARES => now.shares = text.trim().parse().ok(),
            _ => {}
        }
    }
    seen.vms.insert(key.clone(), now.clone());
    let Some(old) = old.filter(|_| u.kind != "enter" || resync) else {
        if !seeding {
            emit(
                &now.props,
                EventKind::Lifecycle(Lifecycle::Defined(Defined::VIR_DOMAIN_EVENT_DEFINED_ADDED)),
            );
        }
        return out;
    };
    let (was, is) = (&old.props, &now.props);
    if was.name != is.name {
        emit(
            was,
            EventKind::Lifecycle(Lifecycle::Undefined(
                Undefined::VIR_DOMAIN_EVENT_UNDEFINED_RENAMED,
            )),
        );
        emit(
            is,
            EventKind::Lifecycle(Lifecycle::Defined(
                Defined::VIR_DOMAIN_EVENT_DEFINED_RENAMED,
            )),
        );
    } else if old.change_version.is_some() && old.change_version != now.change_version {
        emit(
            is,
            EventKind::Lifecycle(Lifecycle::Defined(
                Defined::VIR_DOMAIN_EVENT_DEFINED_UPDATED,
            )),
        );
    }
    if let Some(shares) = now.shares.filter(|s| old.shares.is_some_and(|o| o != *s)) {
        emit(
            is,
            EventKind::Tunable(vec![(
                "cputune.cpu_shares".into(),
                TypedValue::ULLong(shares),
            )]),
        );
    }
    if let (Some(before), Some(after)) = (&old.devices, &now.devices) {
        let keys = |l: &[(i32, String)]| l.iter().map(|d| d.0).collect::<HashSet<i32>>();
        let (had, has) = (keys(before), keys(after));
        for (_, label) in before.iter().filter(|d| !has.contains(&d.0)) {
            emit(is, EventKind::DeviceRemoved(label.clone()));
        }
        for (_, label) in after.iter().filter(|d| !had.contains(&d.0)) {
            emit(is, EventKind::DeviceAdded(label.clone()));
        }
    }
    let (from, to) = (
        PowerState::parse(&was.power_state),
        PowerState::parse(&is.power_state),
    );
    let shutdown = seen.shutting_down.remove(&key);
    let change = match (from, to) {
        (PowerState::PoweredOff, PowerState::PoweredOn) => {
            Some(Lifecycle::Started(Started::VIR_DOMAIN_EVENT_STARTED_BOOTED))
        }
        (PowerState::PoweredOn, PowerState::Suspended) => Some(Lifecycle::Suspended(
            Suspended::VIR_DOMAIN_EVENT_SUSPENDED_PAUSED,
        )),
        (PowerState::Suspended, PowerState::PoweredOn) => Some(Lifecycle::Resumed(
            Resumed::VIR_DOMAIN_EVENT_RESUMED_UNPAUSED,
        )),
        // A stop the guest was asked for is a shutdown; vSphere tells no other apart.
        (PowerState::PoweredOn | PowerState::Suspended, PowerState::PoweredOff) => {
            Some(Lifecycle::Stopped(match shutdown {
                true => Stopped::VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN,
                false => Stopped::VIR_DOMAIN_EVENT_STOPPED_DESTROYED,
            }))
        }
        // A running VM on another host of the scope: it migrated.
        (PowerState::PoweredOn, PowerState::PoweredOn)
            if was.host.is_some() && was.host != is.host =>
        {
            emit(
                was,
                EventKind::Lifecycle(Lifecycle::Stopped(
                    Stopped::VIR_DOMAIN_EVENT_STOPPED_MIGRATED,
                )),
            );
            Some(Lifecycle::Started(
                Started::VIR_DOMAIN_EVENT_STARTED_MIGRATED,
            ))
        }
        _ => None,
    };
    if shutdown && change.is_none() {
        // Not stopped yet: the shutdown is still under way.
        seen.shutting_down.insert(key);
    }
    if let Some(l) = change {
        emit(is, EventKind::Lifecycle(l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(kind: &str, changes: &[(&str, &str)]) -> ObjectUpdate {
        let set: String = changes
            .iter()
            .map(|(n, v)| format!("<changeSet><name>{n}</name><val>{v}</val></changeSet>"))
            .collect();
        let xml = format!("<u><kind>{kind}</kind><obj type=\"VirtualMachine\">vm-1</obj>{set}</u>");
        ObjectUpdate::from_node(&crate::vi::node::parse(&xml).unwrap()).unwrap()
    }

    fn shutdown_page(key: i32) -> ObjectUpdate {
        let xml = format!(
            "<u xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><kind>modify</kind>\
             <obj type=\"EventHistoryCollector\">c</obj><changeSet><name>latestPage</name><val>\
             <Event xsi:type=\"VmGuestShutdownEvent\"><key>{key}</key><vm><name>a</name>\
             <vm type=\"VirtualMachine\">vm-1</vm></vm></Event></val></changeSet></u>"
        );
        ObjectUpdate::from_node(&crate::vi::node::parse(&xml).unwrap()).unwrap()
    }

    fn stops(events: Vec<Event>) -> Vec<i32> {
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::Domain(DomainEvent {
                    kind: EventKind::Lifecycle(Lifecycle::Stopped(detail)),
                    ..
                }) => Some(detail as i32),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_stop_after_a_guest_shutdown_is_a_shutdown_and_only_that_one() {
        let mut seen = Seen::default();
        let on = [("name", "a"), (POWER_STATE, "poweredOn")];
        assert!(events_of(&mut seen, update("enter", &on), true, false).is_empty());
        assert!(guest_events(&mut seen, &shutdown_page(1), true).is_empty());

        // The event and the stop in one answer: SHUTDOWN (0).
        assert!(guest_events(&mut seen, &shutdown_page(2), false).is_empty());
        let off = [(POWER_STATE, "poweredOff")];
        assert_eq!(
            stops(events_of(&mut seen, update("modify", &off), false, false)),
            [0]
        );

        // The stop seen before its event: the event is not kept for a later stop.
        let start = [(POWER_STATE, "poweredOn")];
        events_of(&mut seen, update("modify", &start), false, false);
        assert_eq!(
            stops(events_of(&mut seen, update("modify", &off), false, false)),
            [1]
        );
        assert!(guest_events(&mut seen, &shutdown_page(3), false).is_empty());
        events_of(&mut seen, update("modify", &start), false, false);
        assert_eq!(
            stops(events_of(&mut seen, update("modify", &off), false, false)),
            [1],
            "a power-off later is DESTROYED"
        );
        // An event already read (its key not newer) is not taken again.
        events_of(&mut seen, update("modify", &start), false, false);
        guest_events(&mut seen, &shutdown_page(3), false);
        assert!(seen.shutting_down.is_empty());
    }
}
