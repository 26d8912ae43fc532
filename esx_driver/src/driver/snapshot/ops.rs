//! Create, revert and delete, one vSphere task each (revert adds the power operations its
//! flags ask for), with libvirt's refusals of what vSphere cannot do, each saying why.

use super::tree::no_snapshot;
use crate::abi::flags::{
    SnapshotCreateFlags as C, SnapshotDeleteFlags as D, SnapshotRevertFlags as R,
};
use crate::driver::Connection;
use crate::driver::domain::Domain;
use crate::driver::domain::power::PowerOp;
use crate::driver::domain::power::power;
use crate::driver::domain::{FRESH_FOR, PowerState, Vm, invalid_state};
use crate::driver::snapshot::tree::snapshot_tree;
use crate::error::{Code, Error, Result};
use crate::vi::methods::{CreateSnapshot_Task, RemoveSnapshot_Task, RevertToSnapshot_Task};
use crate::vi::{self, Fault, Method, MoRef};
use crate::xml::snapshot::SnapshotDef;
use std::time::Instant;

/// A snapshot as a handle knows it: found by its managed object, shown by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The snapshot's managed object reference, which vSphere's calls on it name.
    pub moref: MoRef,
    /// The snapshot's name, as vSphere and libvirt show it.
    pub name: String,
}

/// The create flags vSphere cannot honour, each with the reason.
const REFUSED_CREATE: &[(C, &str)] = &[
    (
        C::REDEFINE,
        "REDEFINE: vSphere keeps no snapshot metadata apart from the snapshot itself, so \
         there is nothing to redefine",
    ),
    (
        C::CURRENT,
        "CURRENT: it only applies to REDEFINE; a new vSphere snapshot is always current",
    ),
    (
        C::NO_METADATA,
        "NO_METADATA: vSphere snapshots cannot exist without their metadata",
    ),
    (
        C::REUSE_EXT,
        "REUSE_EXT: vSphere snapshots are internal; there are no external files to reuse",
    ),
];

/// libvirt's words for two flags given together that exclude each other.
fn exclusive(a: &str, b: &str) -> Error {
    Error::invalid_arg(format!(
        "Flags 'VIR_DOMAIN_SNAPSHOT_{a}' and 'VIR_DOMAIN_SNAPSHOT_{b}' are mutually exclusive"
    ))
}

/// A failed task in libvirt's ESX driver's words ("Could not create snapshot: …"); a snapshot
/// found gone keeps its own error.
fn failed(e: Error, what: &str) -> Error {
    match e.code {
        Code::NoDomainSnapshot => e,
        _ => e.context(what),
    }
}

fn refused(api: &str, flag: &str) -> Error {
    Error::esx(Code::InvalidArg, format!("{api}: unsupported flag {flag}"))
}

impl Domain {
    /// `virDomainSnapshotCreateXML`: one tree read (names, state, tools), the task, and a
    /// power-off after it with `HALT`. Returns the snapshot and the VM as it is afterwards
    /// (which the domain keeps).
    pub fn create_snapshot(&self, xml: &str, flags: C) -> Result<(Snapshot, Vm)> {
        self.conn().check_writable("virDomainSnapshotCreateXML")?;
        let (conn, vm) = (self.conn(), &self.cached());
        const API: &str = "virDomainSnapshotCreateXML";
        // libvirt's own checks come first, with its words.
        if flags.contains(C::CURRENT) && !flags.contains(C::REDEFINE) {
            return Err(Error::invalid_arg(
                "Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' is required by flag \
                 'VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT'",
            ));
        }
        for (other, name) in [(C::NO_METADATA, "NO_METADATA"), (C::HALT, "HALT")] {
            if flags.contains(C::REDEFINE | other) {
                return Err(exclusive("CREATE_REDEFINE", &format!("CREATE_{name}")));
            }
        }
        if let Some((_, why)) = REFUSED_CREATE.iter().find(|(f, _)| flags.contains(*f)) {
            return Err(refused(API, why));
        }
        let def = SnapshotDef::parse(xml)?;
        let disk_only = flags.contains(C::DISK_ONLY) || def.memory == Some(false);
        if flags.contains(C::DISK_ONLY) && def.memory == Some(true) {
            return Err(Error::esx(
                Code::ConfigUnsupported,
                "a disk-only snapshot cannot hold the memory state (<memory snapshot='internal'/>)",
            ));
        }
        let tree = snapshot_tree(conn, vm)?;
        let name = def.name.unwrap_or_else(default_name);
        if tree.by_name(&name).is_some() {
            return Err(invalid_state(format!("Snapshot '{name}' already exists")));
        }
        let state = tree.vm_state.unwrap_or(vm.state);
        if flags.contains(C::QUIESCE) && !tree.tools_running {
            return Err(invalid_state(format!(
                "VMware Tools is not running in domain '{}'; a quiesced snapshot (QUIESCE) needs it",
                vm.name
            )));
        }
        let call = CreateSnapshot_Task {
            this: vm.moref.clone(),
            name: name.clone(),
            description: def.description,
            // As libvirt's ESX driver: the memory state is kept when there is one to keep.
            memory: state == PowerState::PoweredOn && !disk_only,
            quiesce: flags.contains(C::QUIESCE),
        };
        let moref = conn
            .run_task(&conn.primary, &call, Some(&vm.moref))
            .map_err(|e| failed(e, "Could not create snapshot"))?
            .as_ref()
            .and_then(MoRef::from_node)
            .ok_or_else(|| Error::internal(format!("{} returned no snapshot", call.name())))?;
        let mut after = Vm {
            state,
            has_snapshot: true,
            fetched: Instant::now(),
            ..vm.clone()
        };
        if flags.contains(C::HALT) && state.is_active() {
            after = power(conn, &after, PowerOp::Destroy)?;
        }
        self.keep(&after);
        Ok((Snapshot { moref, name }, after))
    }

    /// `virDomainRevertToSnapshot`: the task, then with `RUNNING` or `PAUSED` the VM read and
    /// powered on and/or suspended as needed. Returns the VM as it is afterwards.
    pub fn revert_snapshot(&self, snap: &Snapshot, flags: R) -> Result<Vm> {
        self.conn().check_writable("virDomainRevertToSnapshot")?;
        self.change(|conn, vm| {
            if flags.contains(R::RUNNING | R::PAUSED) {
                return Err(exclusive("REVERT_RUNNING", "REVERT_PAUSED"));
            }
            let call = RevertToSnapshot_Task {
                this: snap.moref.clone(),
                host: None,
                suppress_power_on: None,
            };
            snapshot_task(conn, vm, snap, &call)
                .map_err(|e| failed(e, &format!("Could not revert to snapshot '{}'", snap.name)))?;
            let mut after = vm.clone();
            // The VM is now in the snapshot's state, which the next query reads.
            after.fetched -= FRESH_FOR;
            let wanted = if flags.contains(R::RUNNING) {
                PowerState::PoweredOn
            } else if flags.contains(R::PAUSED) {
                PowerState::Suspended
            } else {
                return Ok(after);
            };
            after = conn.refresh_vm(&vm.moref)?;
            let steps: &[PowerOp] = match (after.state, wanted) {
                (s, w) if s == w => &[],
                (PowerState::PoweredOff, PowerState::PoweredOn) => &[PowerOp::Start],
                (PowerState::Suspended, PowerState::PoweredOn) => &[PowerOp::Resume],
                (PowerState::PoweredOn, PowerState::Suspended) => &[PowerOp::Suspend],
                _ => &[PowerOp::Start, PowerOp::Suspend],
            };
            for op in steps {
                after = power(conn, &after, *op)?;
            }
            Ok(after)
        })
    }

    /// `virDomainSnapshotDelete`: one task, or with `CHILDREN_ONLY` a tree read and one task
    /// per child subtree.
    pub fn delete_snapshot(&self, snap: &Snapshot, flags: D) -> Result<()> {
        self.conn().check_writable("virDomainSnapshotDelete")?;
        let (conn, vm) = (self.conn(), &self.cached());
        if flags.contains(D::METADATA_ONLY) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "virDomainSnapshotDelete: METADATA_ONLY cannot be honoured: vSphere keeps no \
                 snapshot metadata apart from the snapshot, so removing it removes the snapshot",
            ));
        }
        if flags.contains(D::CHILDREN | D::CHILDREN_ONLY) {
            return Err(exclusive("DELETE_CHILDREN", "DELETE_CHILDREN_ONLY"));
        }
        let delete =
            |e: Error, name: &str| failed(e, &format!("Could not delete snapshot '{name}'"));
        let remove = |this: &MoRef, children: bool| RemoveSnapshot_Task {
            this: this.clone(),
            remove_children: children,
            consolidate: None,
        };
        if !flags.contains(D::CHILDREN_ONLY) {
            let call = remove(&snap.moref, flags.contains(D::CHILDREN));
            return snapshot_task(conn, vm, snap, &call).map_err(|e| delete(e, &snap.name));
        }
        let tree = snapshot_tree(conn, vm)?;
        let at = tree.find(&snap.moref, &snap.name)?;
        for child in &tree.snaps[at].children {
            let child = &tree.snaps[*child];
            let as_handle = Snapshot {
                moref: child.moref.clone(),
                name: child.name.clone(),
            };
            snapshot_task(conn, vm, &as_handle, &remove(&child.moref, true))
                .map_err(|e| delete(e, &child.name))?;
        }
        Ok(())
    }
}

/// Runs a task on `snap`; a snapshot the server no longer knows is libvirt's
/// `VIR_ERR_NO_DOMAIN_SNAPSHOT`.
fn snapshot_task(conn: &Connection, vm: &Vm, snap: &Snapshot, call: &impl Method) -> Result<()> {
    let gone = |e: vi::Error| match e.is_fault(&Fault::ManagedObjectNotFound) {
        true => no_snapshot(format!(
            "Could not find snapshot with name '{}' (it was removed)",
            snap.name
        )),
        false => e.into(),
    };
    let task = conn.primary.client.start_task(call).map_err(gone)?;
    conn.wait_task(&conn.primary, call.name(), &task, Some(&vm.moref))?;
    Ok(())
}

/// libvirt's name for a snapshot whose XML has none: the creation time in seconds.
fn default_name() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string()
}
