//! Registering for events on a connection: domain, network and pool events (see `events`
//! for the watcher and the delivery), and what the watcher reads through the connection.

use super::Connection;
use super::inventory::Scope;
use crate::abi::virDomainEventID;
use crate::driver::events::{Callback, Deliver, EventId, Events, Family, Source};
use crate::driver::liveness::Liveness;
use crate::driver::network::NetworkFacts;
use crate::driver::storage::PoolFacts;
use crate::error::Result;
use crate::vi::Client;
use crate::xml::ids::Uuid;
use std::sync::Arc;

impl Connection {
    /// Registers `deliver` for `event` events of one domain (by UUID) or all; the id to
    /// deregister with. Every libvirt event ID registers; see `EventKind` for those that fire.
    pub fn register_domain_event(
        self: &Arc<Self>,
        domain: Option<Uuid>,
        event: virDomainEventID,
        deliver: Deliver,
    ) -> Result<i32> {
        self.register_event(domain, EventId::Domain(event), Callback::Domain(deliver))
    }

    /// Registers a callback of any family for `event` events of one object (by UUID) or all;
    /// the id to deregister with. The event's family must be the callback's.
    pub fn register_event(
        self: &Arc<Self>,
        object: Option<Uuid>,
        event: EventId,
        callback: Callback,
    ) -> Result<i32> {
        let source: Arc<dyn Source> = self.clone();
        self.events.register_event(&source, object, event, callback)
    }

    /// Removes a domain registration; see `deregister_event`.
    pub fn deregister_domain_event(&self, id: i32) -> Result<()> {
        self.events
            .deregister_domain_event(&self.primary.client, id)
    }

    /// Removes a registration of `family`; its callback's opaque data is freed once no
    /// delivery uses it. The last one stops the watcher.
    pub fn deregister_event(&self, family: Family, id: i32) -> Result<()> {
        self.events
            .deregister_event(&self.primary.client, family, id)
    }
}

impl Source for Connection {
    fn client(&self) -> &Client {
        &self.primary.client
    }

    fn scope(&self) -> &Scope {
        &self.primary.scope
    }

    fn liveness(&self) -> &Liveness {
        &self.liveness
    }

    fn events(&self) -> &Events {
        &self.events
    }

    fn pools(&self) -> Result<Vec<PoolFacts>> {
        self.list_pools()
    }

    fn networks(&self) -> Result<Vec<NetworkFacts>> {
        Connection::networks(self)
    }
}
