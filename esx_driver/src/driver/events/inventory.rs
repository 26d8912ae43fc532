//! Network and storage pool events: the scope's hosts are watched for their vSwitches,
//! networks and datastores, the datastores for their refresh time. When a host changes, the
//! networks and pools are listed again (one read each) and compared with the last list:
//! a new one is DEFINED then STARTED, one gone STOPPED then UNDEFINED. A datastore's
//! `info.timestamp` moving (it was refreshed, by anyone) is a pool's REFRESH.

use super::Source;
use super::{Event, NetworkEvent, PoolEvent};
use crate::abi::enums::{virNetworkEventLifecycleType as N, virStoragePoolEventLifecycleType as P};
use crate::driver::network::NetworkFacts;
use crate::driver::storage::pool::PoolFacts;
use crate::log::log;
use crate::vi::property::{FilterSpec, ObjectUpdate};
use crate::vi::soap::MoRef;
use crate::xml::ids::Uuid;

/// What a host tells of its networks, and of its datastores.
const NETWORK_PATHS: &[&str] = &["config.network.vswitch", "network"];
const DATASTORE_PATHS: &[&str] = &["datastore"];
/// When a datastore's free space and capacity were last computed.
const REFRESHED: &str = "info.timestamp";

pub(super) struct Inventory {
    hosts: Vec<MoRef>,
    /// Which lists are kept: only those a registration needs are watched and read.
    watch_networks: bool,
    watch_pools: bool,
    networks: Option<Vec<NetworkFacts>>,
    pools: Option<Vec<PoolFacts>>,
    /// A host changed since the last lists.
    changed: bool,
    /// Datastores refreshed since the last events.
    refreshed: Vec<MoRef>,
}

impl Inventory {
    pub(super) fn new(
        c: &dyn Source,
        networks: bool,
        pools: bool,
    ) -> crate::error::Result<Inventory> {
        Ok(Inventory {
            watch_networks: networks,
            watch_pools: pools,
            hosts: c.scope().host_refs(c.client())?,
            networks: None,
            pools: None,
            changed: false,
            refreshed: Vec::new(),
        })
    }

    /// The watcher's filters: the hosts, and the datastores they mount.
    pub(super) fn specs(&self) -> Vec<FilterSpec> {
        let mut paths = Vec::new();
        if self.watch_networks {
            paths.extend(NETWORK_PATHS);
        }
        if self.watch_pools {
            paths.extend(DATASTORE_PATHS);
        }
        let hosts = FilterSpec::objects("HostSystem", &self.hosts, &paths);
        let datastores = FilterSpec::neighbours_of(
            &self.hosts,
            "HostSystem",
            "datastore",
            "Datastore",
            &[REFRESHED],
        );
        hosts.into_iter().chain(datastores).collect()
    }

    /// Takes in one update of a host or datastore.
    pub(super) fn note(&mut self, u: &ObjectUpdate, seeding: bool) {
        let Some(obj) = &u.obj else { return };
        match obj.kind.as_str() {
            "HostSystem" => self.changed = true,
            "Datastore" if !seeding && u.kind == "modify" => {
                let moved = u.change_set.iter().any(|c| c.name.trim() == REFRESHED);
                if moved && !self.refreshed.contains(obj) {
                    self.refreshed.push(obj.clone());
                }
            }
            _ => {}
        }
    }

    /// The events since the last call: the first lists (while seeding) are kept, not
    /// reported. A list that fails is tried again at the next change.
    pub(super) fn events(&mut self, c: &dyn Source, seeding: bool) -> Vec<Event> {
        let mut out = Vec::new();
        if self.changed || seeding {
            self.changed = false;
            if self.watch_networks {
                out.extend(relist(
                    &mut self.networks,
                    c.networks(),
                    "networks",
                    |n| n.uuid,
                    network_event,
                ));
            }
            if self.watch_pools {
                out.extend(relist(
                    &mut self.pools,
                    c.pools(),
                    "pools",
                    |p| p.uuid,
                    pool_event,
                ));
            }
        }
        for ds in std::mem::take(&mut self.refreshed) {
            let pool = self.pools.iter().flatten().find(|p| p.moref == ds);
            out.extend(pool.map(|p| {
                Event::Pool(PoolEvent {
                    pool: p.clone(),
                    event: None,
                })
            }));
        }
        out
    }
}

/// A new list kept in place of `kept`, and the events the two differ by (none for the first
/// list); a list that failed leaves `kept` as it was.
fn relist<T: Clone>(
    kept: &mut Option<Vec<T>>,
    listed: crate::error::Result<Vec<T>>,
    what: &str,
    uuid: fn(&T) -> Uuid,
    make: fn(&T, Step) -> Event,
) -> Vec<Event> {
    match listed {
        Ok(now) => match kept.replace(now.clone()) {
            Some(before) => lifecycle(&before, &now, uuid, make),
            None => Vec::new(),
        },
        Err(e) => {
            log!(Warning, &[], "event watcher: {what} not listed: {e}");
            Vec::new()
        }
    }
}

/// libvirt's lifecycle numbers, shared by networks and pools: DEFINED 0, UNDEFINED 1,
/// STARTED 2, STOPPED 3.
#[derive(Clone, Copy)]
enum Step {
    Defined,
    Undefined,
    Started,
    Stopped,
}

fn network_event(n: &NetworkFacts, step: Step) -> Event {
    Event::Network(NetworkEvent {
        net: n.clone(),
        event: match step {
            Step::Defined => N::VIR_NETWORK_EVENT_DEFINED,
            Step::Undefined => N::VIR_NETWORK_EVENT_UNDEFINED,
            Step::Started => N::VIR_NETWORK_EVENT_STARTED,
            Step::Stopped => N::VIR_NETWORK_EVENT_STOPPED,
        },
    })
}

fn pool_event(p: &PoolFacts, step: Step) -> Event {
    Event::Pool(PoolEvent {
        pool: p.clone(),
        event: Some(match step {
            Step::Defined => P::VIR_STORAGE_POOL_EVENT_DEFINED,
            Step::Undefined => P::VIR_STORAGE_POOL_EVENT_UNDEFINED,
            Step::Started => P::VIR_STORAGE_POOL_EVENT_STARTED,
            Step::Stopped => P::VIR_STORAGE_POOL_EVENT_STOPPED,
        }),
    })
}

/// What two lists differ by: each new object DEFINED and STARTED, each gone one STOPPED and
/// UNDEFINED (as libvirt reports a define and start, a destroy and undefine).
fn lifecycle<T>(
    before: &[T],
    now: &[T],
    uuid: fn(&T) -> Uuid,
    make: fn(&T, Step) -> Event,
) -> Vec<Event> {
    let has = |list: &[T], u: Uuid| list.iter().any(|o| uuid(o) == u);
    let mut out = Vec::new();
    for gone in before.iter().filter(|o| !has(now, uuid(o))) {
        out.push(make(gone, Step::Stopped));
        out.push(make(gone, Step::Undefined));
    }
    for new in now.iter().filter(|o| !has(before, uuid(o))) {
        out.push(make(new, Step::Defined));
        out.push(make(new, Step::Started));
    }
    out
}
