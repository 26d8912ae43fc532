//! The cache rule for handles that came from one listing: a listing reads identity only, and
//! the first info-type call on any of its handles reads their sizing for all of them at once.
//!
//! - A VM is read to a `Detail`: `Listed` (identity, state), `Sized` (+ memory, vCPUs) or
//!   `Full`. A view answers for `FRESH_FOR`, and only what its detail covers.
//! - State queries answer from any fresh view. Info-type calls (info, max memory, vCPUs)
//!   need `Sized`: a handle from a listing takes it from the listing's batch — all of the
//!   listing's VMs read to `Sized` in one round trip when the batch is missing or stale —
//!   so listing N VMs and asking each for its info costs 2 round trips. A handle from a
//!   lookup reads its own VM whole (one round trip).
//! - Every other call reads the VM whole itself unless its view is `Full` and fresh.
//! - Calls that change a VM keep the state the change answered with, on that handle only.

use super::{Detail, PowerState, Vm, no_domain};
use crate::driver::Connection;
use crate::driver::connection::inventory::inventory_hops;
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::types::{FromNode, vim_type};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

// What a batch adds to a listed view: the state again (the batch may be read later than the
// listing) and the sizing. Name, UUID and template stay the listing's.
vim_type!(VmSizing {
    power_state: String = "runtime.powerState",
    memory_mb: i64 = "config.hardware.memoryMB",
    num_cpu: i32 = "config.hardware.numCPU",
    memory_limit_mb: Option<i64> = "config.memoryAllocation.limit",
});

/// The VMs of one listing, shared by the handles made from it.
pub struct Listing {
    listed: HashMap<MoRef, Vm>,
    /// Whether the listing is every VM of the scope (no filter): the batch is then read by
    /// the scope's own traversal, which the server answers faster than one object per VM.
    whole_scope: bool,
    batch: Mutex<Option<Batch>>,
}

struct Batch {
    fetched: Instant,
    sizing: HashMap<MoRef, VmSizing>,
}

impl Listing {
    pub fn new(vms: &[Vm], whole_scope: bool) -> Listing {
        Listing {
            listed: vms
                .iter()
                .map(|vm| (vm.moref.clone(), vm.clone()))
                .collect(),
            whole_scope,
            batch: Mutex::new(None),
        }
    }

    /// The sizing of the listing's VMs: one round trip.
    fn read_batch(&self, conn: &Connection) -> Result<Batch> {
        let fetched = Instant::now();
        let spec = if self.whole_scope {
            Some(FilterSpec {
                props: vec![(
                    "VirtualMachine".into(),
                    VmSizing::PATHS.iter().map(|p| p.to_string()).collect(),
                )],
                start: conn.primary.scope.object.clone(),
                skip_start: true,
                hops: inventory_hops(true),
                more: Vec::new(),
            })
        } else {
            let members: Vec<MoRef> = self.listed.keys().cloned().collect();
            FilterSpec::objects("VirtualMachine", &members, VmSizing::PATHS)
        };
        let found = match spec {
            Some(spec) => conn.primary.client.retrieve(&spec)?,
            None => Vec::new(),
        };
        Ok(Batch {
            fetched,
            sizing: found
                .into_iter()
                .filter(|oc| self.listed.contains_key(&oc.obj))
                .map(|oc| (oc.obj, VmSizing::from_node(&oc.props).unwrap_or_default()))
                .collect(),
        })
    }

    /// `vm` read to `Sized`: its listed view with the batch's state and sizing (the batch
    /// read first if it is missing or stale).
    pub fn sized(&self, conn: &Connection, vm: &MoRef) -> Result<Vm> {
        let mut batch = self.batch.lock().unwrap_or_else(|p| p.into_inner());
        if batch
            .as_ref()
            .is_none_or(|b| b.fetched.elapsed() >= super::FRESH_FOR)
        {
            *batch = Some(self.read_batch(conn)?);
        }
        let gone = || {
            no_domain(format!(
                "Domain with managed object id '{}' is gone",
                vm.value
            ))
        };
        let b = batch.as_ref().ok_or_else(gone)?;
        let (Some(listed), Some(s)) = (self.listed.get(vm), b.sizing.get(vm)) else {
            return Err(gone());
        };
        Ok(Vm {
            state: PowerState::parse(&s.power_state),
            memory_mb: s.memory_mb,
            num_cpu: s.num_cpu,
            memory_limit_mb: s.memory_limit_mb,
            detail: Detail::Sized,
            fetched: b.fetched,
            ..listed.clone()
        })
    }
}
