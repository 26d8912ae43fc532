//! The connection's domains as objects: all of them (or those a filter keeps) in one round
//! trip, and lookups by name, UUID or ID; each object completes its facts by the rule of
//! `domain/listing.rs`, the same for C callers and Rust ones.

use super::Connection;
use crate::abi::flags::ListDomainsFlags;
use crate::driver::domain::{Domain, Listing};
use crate::error::Result;
use crate::xml::ids::Uuid;
use std::sync::Arc;

impl Connection {
    /// virConnectListAllDomains: the domains `filter` keeps, read in one round trip. The
    /// first info-type call on any of them reads the sizing of all of them, in one more.
    pub fn domains(self: &Arc<Self>, filter: ListDomainsFlags) -> Result<Vec<Domain>> {
        let vms = self.list_all_domains(filter)?;
        let listing = Arc::new(Listing::new(&vms, filter.is_empty()));
        Ok(vms
            .into_iter()
            .map(|vm| Domain::new(self.clone(), vm, Some(listing.clone())))
            .collect())
    }

    /// virDomainLookupByName (one round trip).
    pub fn domain_by_name(self: &Arc<Self>, name: &str) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_name(name)?, None))
    }

    /// virDomainLookupByUUID (one round trip).
    pub fn domain_by_uuid(self: &Arc<Self>, uuid: &Uuid) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_uuid(uuid)?, None))
    }

    /// virDomainLookupByID: a running domain by libvirt's ID (the number of its managed
    /// object).
    pub fn domain_by_id(self: &Arc<Self>, id: i32) -> Result<Domain> {
        Ok(Domain::new(self.clone(), self.lookup_by_id(id)?, None))
    }
}
