//! A domain as an object: its connection and the VM as last seen, with the rule for when that
//! view is fresh enough to answer from, so callers never carry VM snapshots around themselves.

use super::Vm;
use super::listing::Listing;
use crate::driver::Connection;
use crate::driver::domain::usage::cpu_time;
use crate::error::Result;
use std::sync::{Arc, Mutex};

/// One VM of a connection, as libvirt's `virDomain`: its operations are this type's methods
/// (in the files of `driver::domain` named for them), answered from the cached view while it is
/// fresh enough.
pub struct Domain {
    conn: Arc<Connection>,
    vm: Mutex<Vm>,
    /// The listing the handle came from, which completes its VMs in one batch.
    listing: Option<Arc<Listing>>,
}

/// Names the VM, as libvirt's messages do.
impl std::fmt::Debug for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let vm = self.cached();
        write!(f, "Domain({} {})", vm.name, vm.moref.value)
    }
}

impl Domain {
    /// The object for a VM read elsewhere (an event, a definition, a statistics record);
    /// `listing` is the batch it came from, if any, which completes its VMs in one read.
    pub fn new(conn: Arc<Connection>, vm: Vm, listing: Option<Arc<Listing>>) -> Domain {
        Domain {
            conn,
            vm: Mutex::new(vm),
            listing,
        }
    }

    /// The connection the domain belongs to.
    pub fn conn(&self) -> &Arc<Connection> {
        &self.conn
    }

    /// The VM as last seen: enough for its identity (name, UUID, managed object).
    pub fn cached(&self) -> Vm {
        self.vm.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn keep(&self, vm: &Vm) {
        *self.vm.lock().unwrap_or_else(|p| p.into_inner()) = vm.clone();
    }

    /// The VM with at least its sizing (memory, vCPUs), by the rule in `listing.rs`: the
    /// cached view while it has them and is fresh, else the listing's batch, else read
    /// whole; kept.
    pub fn current(&self) -> Result<Vm> {
        let cached = self.cached();
        if cached.is_sized_fresh() {
            return Ok(cached);
        }
        let vm = match &self.listing {
            Some(listing) => listing.sized(&self.conn, &cached)?,
            None => self.conn.refresh_vm(&cached.moref)?,
        };
        self.keep(&vm);
        Ok(vm)
    }

    /// virDomainGetInfo's CPU time of `vm` (as `current` answered): from the listing's
    /// batch, or the VM's own QueryPerf.
    pub fn cpu_time(&self, vm: &Vm) -> Result<u64> {
        match &self.listing {
            Some(listing) => listing.cpu_time(&self.conn, vm),
            None => cpu_time(&self.conn, vm),
        }
    }

    /// The VM with a current power state (identity and state only, when a listing's view
    /// is still fresh).
    pub fn current_state(&self) -> Result<Vm> {
        let cached = self.cached();
        if cached.is_state_fresh() {
            return Ok(cached);
        }
        self.current()
    }

    /// Runs an operation that answers with the VM's new state, and keeps and returns that state.
    pub(crate) fn change(&self, op: impl FnOnce(&Connection, &Vm) -> Result<Vm>) -> Result<Vm> {
        let vm = op(&self.conn, &self.cached())?;
        self.keep(&vm);
        Ok(vm)
    }

    /// Runs an operation on the VM as last seen (it refreshes what it needs itself).
    pub(crate) fn with<T>(&self, op: impl FnOnce(&Connection, &Vm) -> Result<T>) -> Result<T> {
        op(&self.conn, &self.cached())
    }
}
