//! The cache rule for handles that came from one listing: a listing reads identity only, and
//! the first info-type call on any of its handles reads their sizing for all of them at once.
//!
//! - A VM is read to a `Detail`: `Listed` (identity, state), `Sized` (+ memory, vCPUs) or
//!   `Full`. A view answers for `FRESH_FOR`, and only what its detail covers.
//! - State queries answer from any fresh view. Info-type calls (info, max memory, vCPUs)
//!   need `Sized`: a handle from a listing takes it from the listing's batch — the sizing
//!   of all of the listing's VMs (and their state, once the listing's is stale) read in one
//!   round trip when the batch is missing or stale; a batch is as old as the state it
//!   answers with. Info's CPU time comes with the batch too, from one QueryPerf for all of
//!   its VMs — so listing N VMs and asking each for its info costs 3 round trips. A
//!   handle from a lookup reads its own VM whole (one round trip, and one QueryPerf).
//! - Every other call reads the VM whole itself unless its view is `Full` and fresh.
//! - Calls that change a VM keep the state the change answered with, on that handle only.

use super::{Detail, PowerState, Vm, no_domain};
use crate::driver::Connection;
use crate::driver::domain::usage::cpu_time;
use crate::error::Result;
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::types::FromNode;
use crate::vi::views::vm::POWER_STATE;
use crate::vi::views::vm::VmSizing;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

// What a batch adds to a listed view: the sizing, and the state again once the listing's is
// stale (the one path of `VmSizing` left out while the listing's state is fresh). Name, UUID
// and template stay the listing's.

/// The VMs of one listing, shared by the handles made from it (each keeps its own view).
pub struct Listing {
    /// The listed VMs, to read by name when the listing is not the whole scope.
    members: Vec<MoRef>,
    /// When the listing read its VMs' state.
    fetched: Instant,
    /// Whether the listing is every VM of the scope (no filter): the batch is then read by
    /// the scope's own traversal, which the server answers faster than one object per VM.
    whole_scope: bool,
    batch: Mutex<Option<Batch>>,
}

struct Batch {
    /// When the state it answers with was read: the listing's, unless the batch read it.
    fetched: Instant,
    sizing: HashMap<MoRef, VmSizing>,
    /// The CPU time of the batch's VMs, read with one QueryPerf by the first info call.
    cpu: Option<HashMap<MoRef, crate::driver::perf::CpuTime>>,
}

impl Listing {
    pub fn new(vms: &[Vm], whole_scope: bool) -> Listing {
        Listing {
            members: match whole_scope {
                true => Vec::new(),
                false => vms.iter().map(|vm| vm.moref.clone()).collect(),
            },
            fetched: vms
                .iter()
                .map(|vm| vm.fetched)
                .min()
                .unwrap_or_else(Instant::now),
            whole_scope,
            batch: Mutex::new(None),
        }
    }

    /// The sizing of the listing's VMs, and their state when the listing's is stale: one
    /// round trip.
    fn read_batch(&self, conn: &Connection) -> Result<Batch> {
        let with_state = self.fetched.elapsed() >= super::FRESH_FOR;
        let paths: Vec<&str> = VmSizing::PATHS
            .iter()
            .copied()
            .filter(|p| with_state || *p != POWER_STATE)
            .collect();
        let spec = if self.whole_scope {
            let source = conn.primary.scope.vm_source(false);
            Some(FilterSpec::reach(
                source.start,
                source.hops,
                "VirtualMachine",
                &paths,
            ))
        } else {
            FilterSpec::objects("VirtualMachine", &self.members, &paths)
        };
        let found = match spec {
            Some(spec) => conn.primary.client.retrieve(&spec)?,
            None => Vec::new(),
        };
        Ok(Batch {
            // State this batch reads counts from its answer: a read slower than the window
            // is not stale on arrival.
            fetched: if with_state {
                Instant::now()
            } else {
                self.fetched
            },
            sizing: found
                .into_iter()
                .map(|oc| (oc.obj, VmSizing::from_node(&oc.props).unwrap_or_default()))
                .collect(),
            cpu: None,
        })
    }

    /// The CPU time of a listed VM (as `vm`, read to `Sized`, says it runs): for all of the
    /// batch's VMs from one QueryPerf, made by the first call on the batch.
    pub(crate) fn cpu_time(&self, conn: &Connection, vm: &Vm) -> Result<u64> {
        if vm.state != PowerState::PoweredOn {
            return Ok(0);
        }
        let mut batch = self.batch.lock().unwrap_or_else(|p| p.into_inner());
        let Some(b) = batch.as_mut() else {
            return cpu_time(conn, vm);
        };
        if b.cpu.is_none() {
            let morefs: Vec<MoRef> = b.sizing.keys().cloned().collect();
            b.cpu = Some(conn.cpu_times_if_kept(&morefs)?);
            // The batch answers for its window from here: a server slower than the window
            // would otherwise leave every batch stale on arrival, and each VM's info would
            // read the whole batch again.
            b.fetched = Instant::now();
        }
        Ok(b.cpu
            .as_ref()
            .and_then(|c| c.get(&vm.moref))
            .map_or(0, |t| t.total))
    }

    /// `vm` (a handle's view of a listed VM) read to `Sized`: with the batch's sizing, and
    /// its state when the batch read it (the batch read first if it is missing or stale).
    pub(crate) fn sized(&self, conn: &Connection, vm: &Vm) -> Result<Vm> {
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
                vm.moref.value
            ))
        };
        let b = batch.as_ref().ok_or_else(gone)?;
        let s = b.sizing.get(&vm.moref).ok_or_else(gone)?;
        Ok(Vm {
            state: s.power_state.as_deref().map_or(vm.state, PowerState::parse),
            memory_mb: s.memory_mb,
            num_cpu: s.num_cpu,
            memory_limit_mb: s.memory_limit_mb,
            detail: Detail::Sized,
            fetched: b.fetched,
            ..vm.clone()
        })
    }
}
