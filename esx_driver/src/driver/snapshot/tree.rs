//! A VM's snapshot tree as one read gives it (`snapshot.rootSnapshotList` and
//! `snapshot.currentSnapshot`), flattened in depth-first pre-order, with libvirt's list filters.

use super::super::domain::{PowerState, Vm, no_domain};
use crate::abi::flags::{SnapshotListFlags as F, group_keeps};
use crate::driver::Connection;
use crate::driver::domain::Domain;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::datetime::epoch_seconds;
use crate::vi::types::FromNode;
use crate::vi::views::vm::{VirtualMachineSnapshotTree, VmSnapshots};
use crate::xml::snapshot::SnapshotDesc;

// What a tree read fetches: the tree, and what creating a snapshot must know of the VM.

/// One snapshot of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Snap {
    /// The snapshot's managed object reference.
    pub moref: MoRef,
    /// The snapshot's name (vSphere allows duplicates; see `Tree::by_name`).
    pub name: String,
    pub(crate) description: String,
    /// Seconds since the epoch (0 when the server's time does not read).
    pub created: i64,
    /// The VM's power state when the snapshot was taken: libvirt's snapshot state.
    pub(crate) state: PowerState,
    /// The parent's index in `Tree::snaps`; `None` for a root.
    pub parent: Option<usize>,
    /// The children's indices in `Tree::snaps`, in the server's order.
    pub children: Vec<usize>,
}

impl Snap {
    /// The handle the create, revert and delete calls take.
    pub fn snapshot(&self) -> super::Snapshot {
        super::Snapshot {
            moref: self.moref.clone(),
            name: self.name.clone(),
        }
    }

    /// libvirt's name of the snapshot's state (`virDomainSnapshotState`).
    pub fn state_name(&self) -> &'static str {
        match self.state {
            PowerState::PoweredOn => "running",
            PowerState::Suspended => "paused",
            PowerState::PoweredOff => "shutoff",
        }
    }
}

/// A VM's snapshots in depth-first pre-order (parents before children, siblings in the
/// server's order), which is libvirt's topological order as well.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Every snapshot, in depth-first pre-order; `Snap`'s indices point into it.
    pub snaps: Vec<Snap>,
    /// The index of the VM's current snapshot (`snapshot.currentSnapshot`), if any.
    pub current: Option<usize>,
    /// The VM's power state and whether VMware Tools runs, as of the read.
    pub(crate) vm_state: Option<PowerState>,
    pub(crate) tools_running: bool,
}

/// Which part of the tree a listing covers.
#[derive(Debug, Clone, Copy)]
pub enum Span {
    /// `virDomainListAllSnapshots`: all, or the roots with `ROOTS`.
    Domain,
    /// `virDomainSnapshotListAllChildren`: the children, or all descendants with `DESCENDANTS`.
    Children(usize),
}

impl Tree {
    fn from_props(p: VmSnapshots) -> Tree {
        let mut tree = Tree {
            vm_state: Some(PowerState::parse(&p.power_state)),
            tools_running: p.tools.as_deref() == Some("guestToolsRunning"),
            ..Tree::default()
        };
        // An explicit stack rather than recursion (the reader bounds the depth anyway).
        let mut pending: Vec<(Option<usize>, VirtualMachineSnapshotTree)> =
            p.roots.into_iter().rev().map(|t| (None, t)).collect();
        while let Some((parent, t)) = pending.pop() {
            let Some(moref) = t.snapshot else { continue };
            let at = tree.snaps.len();
            if p.current.as_ref() == Some(&moref) {
                tree.current = Some(at);
            }
            tree.snaps.push(Snap {
                moref,
                name: t.name,
                description: t.description,
                created: epoch_seconds(&t.create_time).unwrap_or(0),
                state: PowerState::parse(&t.state),
                parent,
                children: Vec::new(),
            });
            if let Some(p) = parent {
                tree.snaps[p].children.push(at);
            }
            pending.extend(t.children.into_iter().rev().map(|c| (Some(at), c)));
        }
        tree
    }

    /// The first snapshot of that name in pre-order, as libvirt's ESX driver finds it.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.snaps.iter().position(|s| s.name == name)
    }

    /// The snapshot `virDomainSnapshotLookupByName` finds, or its error.
    pub fn named(&self, name: &str) -> Result<usize> {
        self.by_name(name)
            .ok_or_else(|| no_snapshot(format!("Could not find snapshot with name '{name}'")))
    }

    /// The current snapshot (`virDomainSnapshotCurrent`), or its error when there is none.
    pub fn current_snapshot(&self) -> Result<usize> {
        self.current
            .ok_or_else(|| no_snapshot("Domain has no current snapshot"))
    }

    /// The index of the snapshot with that managed object reference, if it is in the tree.
    pub fn by_moref(&self, moref: &MoRef) -> Option<usize> {
        self.snaps.iter().position(|s| s.moref == *moref)
    }

    /// `snap`'s index, or libvirt's error when it is gone from the tree.
    pub fn find(&self, moref: &MoRef, name: &str) -> Result<usize> {
        self.by_moref(moref)
            .ok_or_else(|| no_snapshot(format!("Could not find snapshot with name '{name}'")))
    }

    /// `at` and everything below it, in pre-order.
    pub(crate) fn subtree(&self, at: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut pending = vec![at];
        while let Some(i) = pending.pop() {
            out.push(i);
            pending.extend(self.snaps[i].children.iter().rev());
        }
        out
    }

    /// `virDomainSnapshotGetXMLDesc` of the snapshot at `at`, as libvirt's ESX driver writes it.
    pub fn xml(&self, at: usize, domain_uuid: &str) -> String {
        let snap = &self.snaps[at];
        SnapshotDesc {
            name: &snap.name,
            description: &snap.description,
            state: snap.state_name(),
            parent: snap.parent.map(|p| self.snaps[p].name.as_str()),
            creation_time: snap.created,
            domain_uuid,
        }
        .format()
    }

    /// The snapshots a libvirt list call returns, in pre-order; `flags` already checked.
    pub fn list(&self, span: Span, flags: F) -> Vec<usize> {
        let picked: Vec<usize> = match span {
            Span::Domain if flags.contains(F::ROOTS) => (0..self.snaps.len())
                .filter(|i| self.snaps[*i].parent.is_none())
                .collect(),
            Span::Domain => (0..self.snaps.len()).collect(),
            Span::Children(at) if flags.contains(F::DESCENDANTS) => {
                self.subtree(at).into_iter().skip(1).collect()
            }
            Span::Children(at) => self.snaps[at].children.clone(),
        };
        picked
            .into_iter()
            .filter(|i| keeps(flags, &self.snaps[*i]))
            .collect()
    }
}

/// libvirt's filter groups: within a group the flags given are alternatives (none, or all of
/// them, keeps everything); groups combine with AND. vSphere snapshots are internal, carry no
/// libvirt metadata and always hold the VM's state (never disk-only in libvirt's sense).
fn keeps(flags: F, s: &Snap) -> bool {
    let leaf = s.children.is_empty();
    let inactive = s.state == PowerState::PoweredOff;
    group_keeps(flags, &[(F::LEAVES, leaf), (F::NO_LEAVES, !leaf)])
        && group_keeps(flags, &[(F::METADATA, false), (F::NO_METADATA, true)])
        && group_keeps(
            flags,
            &[
                (F::INACTIVE, inactive),
                (F::ACTIVE, !inactive),
                (F::DISK_ONLY, false),
            ],
        )
        && group_keeps(flags, &[(F::INTERNAL, true), (F::EXTERNAL, false)])
}

/// libvirt's `VIR_ERR_NO_DOMAIN_SNAPSHOT` error ("Domain snapshot not found") with `detail`.
pub fn no_snapshot(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoDomainSnapshot, detail)
}

impl Domain {
    /// `vm`'s snapshot tree and current snapshot, with its power state: one round trip.
    pub fn snapshot_tree(&self) -> Result<Tree> {
        self.with(snapshot_tree)
    }
}

/// `vm`'s snapshot tree and current snapshot, with its power state: one round trip.
pub(crate) fn snapshot_tree(conn: &Connection, vm: &Vm) -> Result<Tree> {
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, VmSnapshots::PATHS)?
        .ok_or_else(|| {
            no_domain(format!(
                "Domain '{}' (managed object id '{}') is gone",
                vm.name, vm.moref.value
            ))
        })?;
    Ok(Tree::from_props(
        VmSnapshots::from_node(&oc.props).unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(
        name: &str,
        state: &str,
        children: Vec<VirtualMachineSnapshotTree>,
    ) -> VirtualMachineSnapshotTree {
        VirtualMachineSnapshotTree {
            snapshot: Some(MoRef::new("VirtualMachineSnapshot", &format!("s-{name}"))),
            name: name.into(),
            state: state.into(),
            create_time: "2026-12-01T00:00:00Z".into(),
            children,
            ..Default::default()
        }
    }

    /// a ─ b ─ c       (b poweredOff, the rest on)
    ///   └ d
    /// e
    fn sample() -> Tree {
        Tree::from_props(VmSnapshots {
            roots: vec![
                node(
                    "a",
                    "poweredOn",
                    vec![
                        node("b", "poweredOff", vec![node("c", "poweredOn", vec![])]),
                        node("d", "poweredOn", vec![]),
                    ],
                ),
                node("e", "suspended", vec![]),
            ],
            current: Some(MoRef::new("VirtualMachineSnapshot", "s-c")),
            power_state: "poweredOn".into(),
            tools: None,
        })
    }

    fn names(t: &Tree, v: Vec<usize>) -> String {
        v.iter().map(|i| t.snaps[*i].name.as_str()).collect()
    }

    #[test]
    fn pre_order_with_parents_and_current() {
        let t = sample();
        assert_eq!(names(&t, t.list(Span::Domain, F::empty())), "abcde");
        assert_eq!(t.current, t.by_name("c"));
        assert_eq!(t.snaps[t.by_name("c").unwrap()].parent, t.by_name("b"));
        assert_eq!(t.snaps[0].created, 1_796_083_200);
    }

    #[test]
    fn filters_follow_libvirt() {
        let t = sample();
        let all = |f| names(&t, t.list(Span::Domain, f));
        assert_eq!(all(F::ROOTS), "ae");
        assert_eq!(all(F::LEAVES), "cde");
        assert_eq!(all(F::NO_LEAVES), "ab");
        assert_eq!(all(F::LEAVES | F::NO_LEAVES), "abcde");
        assert_eq!(all(F::ROOTS | F::LEAVES), "e");
        assert_eq!(all(F::METADATA), "");
        assert_eq!(all(F::NO_METADATA), "abcde");
        assert_eq!(all(F::METADATA | F::NO_METADATA), "abcde");
        assert_eq!(all(F::INACTIVE), "b");
        assert_eq!(all(F::ACTIVE), "acde");
        assert_eq!(all(F::DISK_ONLY), "");
        assert_eq!(all(F::DISK_ONLY | F::INACTIVE), "b");
        assert_eq!(all(F::INACTIVE | F::ACTIVE | F::DISK_ONLY), "abcde");
        assert_eq!(all(F::INTERNAL), "abcde");
        assert_eq!(all(F::EXTERNAL), "");
        assert_eq!(all(F::TOPOLOGICAL), "abcde");
        let a = t.by_name("a").unwrap();
        let kids = |f| names(&t, t.list(Span::Children(a), f));
        assert_eq!(kids(F::empty()), "bd");
        assert_eq!(kids(F::DESCENDANTS), "bcd");
        assert_eq!(kids(F::DESCENDANTS | F::LEAVES), "cd");
        assert_eq!(names(&t, t.subtree(t.by_name("b").unwrap())), "bc");
    }
}
