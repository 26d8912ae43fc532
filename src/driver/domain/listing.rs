//! The cache rule for handles that came from one listing: a listing reads identity only, and
//! the first call on any of its handles that needs more reads it for all of them at once.
//!
//! - A handle answers from its own view while that is complete and younger than `FRESH_FOR`.
//! - Otherwise, a handle from a listing takes its VM from the listing's batch: all of the
//!   listing's VMs with every property, read in one round trip when the batch is missing or
//!   older than `FRESH_FOR`. Listing N VMs and asking each for its info costs 2 round trips.
//! - A handle from a lookup (or whose VM left the batch) reads its own VM (one round trip).
//! - Calls that change a VM keep the state the change answered with, on that handle only.

use super::{Vm, no_domain};
use crate::driver::Connection;
use crate::error::Result;
use crate::vi::MoRef;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// The VMs of one listing, shared by the handles made from it.
pub struct Listing {
    members: Vec<MoRef>,
    batch: Mutex<Option<Batch>>,
}

struct Batch {
    fetched: Instant,
    vms: HashMap<MoRef, Vm>,
}

impl Listing {
    pub fn new(vms: &[Vm]) -> Listing {
        Listing {
            members: vms.iter().map(|vm| vm.moref.clone()).collect(),
            batch: Mutex::new(None),
        }
    }

    /// `vm` with every property, from the batch (read first if need be).
    pub fn complete(&self, conn: &Connection, vm: &MoRef) -> Result<Vm> {
        let mut batch = self.batch.lock().unwrap_or_else(|p| p.into_inner());
        let stale = batch
            .as_ref()
            .is_none_or(|b| b.fetched.elapsed() >= super::FRESH_FOR);
        if stale {
            let fetched = Instant::now();
            let vms = conn.fetch_vms(&self.members)?;
            *batch = Some(Batch {
                fetched,
                vms: vms.into_iter().map(|v| (v.moref.clone(), v)).collect(),
            });
        }
        batch
            .as_ref()
            .and_then(|b| b.vms.get(vm))
            .cloned()
            .ok_or_else(|| {
                no_domain(format!(
                    "Domain with managed object id '{}' is gone",
                    vm.value
                ))
            })
    }
}
