//! virDomainSnapshot* exports: create, revert and delete, every query answered from one read of
//! the domain's snapshot tree, the snapshot XML, and the handles' identity and references.

use crate::abi::flags::{
    NoFlags, SnapshotCreateFlags, SnapshotDeleteFlags, SnapshotListFlags, SnapshotRevertFlags,
    SnapshotXmlFlags,
};
use crate::driver::snapshot::tree::no_snapshot;
use crate::driver::snapshot::{Snap, Span, Tree};
use crate::error::Result;
use crate::ffi::args::{flags, in_str, names_out, out};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::{ArcHandle, DomainHandle, SnapshotHandle};
use crate::ffi::malloc::{handle_array, owned_c_string};
use crate::ffi::types::{virConnectPtr, virDomainPtr, virDomainSnapshotPtr};
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;
use std::sync::Arc;

/// The domain's snapshot tree: one round trip.
fn tree_of(d: &DomainHandle) -> Result<Tree> {
    d.dom.snapshot_tree()
}

/// The tree of the snapshot's domain, and where the snapshot is in it.
fn located(s: &SnapshotHandle) -> Result<(Tree, usize)> {
    let tree = tree_of(&s.dom)?;
    let at = tree.find(&s.snap.moref, &s.snap.name)?;
    Ok((tree, at))
}

fn new_handle(d: &DomainHandle, s: &Snap) -> virDomainSnapshotPtr {
    SnapshotHandle::into_c(d.snapshot(s.snapshot()))
}

/// The names of `picked`.
fn names_of<'t>(tree: &'t Tree, picked: &[usize]) -> Vec<&'t str> {
    picked
        .iter()
        .map(|i| tree.snaps[*i].name.as_str())
        .collect()
}

/// Takes a snapshot of the domain as `xmlDesc` describes (name, description, memory).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `xmlDesc` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotCreateXML(
    domain: virDomainPtr,
    xmlDesc: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    export!(dom domain, write, ptr::null_mut(), |d| {
        let flags = flags!(flags as SnapshotCreateFlags)?;
        let xml = in_str!(xmlDesc)?;
        let (snap, _) = d.dom.create_snapshot(xml, flags)?;
        Ok(SnapshotHandle::into_c(d.snapshot(snap)))
    })
}

/// The snapshot's XML (name, description, state, creation time, parent): one round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotGetXMLDesc(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> *mut c_char {
    export!(snap snapshot, ptr::null_mut(), |s| {
        flags!(flags as SnapshotXmlFlags)?;
        let (tree, at) = located(s)?;
        owned_c_string(&tree.xml(at, &s.dom.dom.cached().uuid.to_string()))
    })
}

/// How many snapshots the VM has, filtered by libvirt's list flags: one round trip (its snapshot
/// tree).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotNum(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, -1, |d| {
        let flags = flags!(flags as SnapshotListFlags)?;
        Ok(tree_of(d)?.list(Span::Domain, flags).len() as c_int)
    })
}

/// The names of the VM's snapshots, filtered by libvirt's list flags, parents before children: one
/// round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `names` NULL or `nameslen` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotListNames(
    domain: virDomainPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        let flags = flags!(flags as SnapshotListFlags)?;
        let tree = tree_of(d)?;
        let all = names_of(&tree, &tree.list(Span::Domain, flags));
        names_out!(names, (nameslen, "nameslen"), &all)
    })
}

/// The VM's snapshots as handles, with every list filter libvirt defines: one round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `snaps` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainListAllSnapshots(
    domain: virDomainPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        let flags = flags!(flags as SnapshotListFlags)?;
        let tree = tree_of(d)?;
        let picked = tree.list(Span::Domain, flags);
        handle_array(out!(snaps?), picked, |i| new_handle(d, &tree.snaps[i]))
    })
}

/// How many children (or, with DESCENDANTS, descendants) the snapshot has: one round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotNumChildren(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, -1, |s| {
        let flags = flags!(flags as SnapshotListFlags)?;
        let (tree, at) = located(s)?;
        Ok(tree.list(Span::Children(at), flags).len() as c_int)
    })
}

/// The names of the snapshot's children or descendants: one round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library; `names` NULL or `nameslen` pointers.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotListChildrenNames(
    snapshot: virDomainSnapshotPtr,
    names: *mut *mut c_char,
    nameslen: c_int,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, -1, |s| {
        let flags = flags!(flags as SnapshotListFlags)?;
        let (tree, at) = located(s)?;
        let all = names_of(&tree, &tree.list(Span::Children(at), flags));
        names_out!(names, (nameslen, "nameslen"), &all)
    })
}

/// The snapshot's children or descendants as handles, with libvirt's list filters: one round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library; `snaps` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotListAllChildren(
    snapshot: virDomainSnapshotPtr,
    snaps: *mut *mut virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, -1, |s| {
        let flags = flags!(flags as SnapshotListFlags)?;
        let (tree, at) = located(s)?;
        let picked = tree.list(Span::Children(at), flags);
        handle_array(out!(snaps?), picked, |i| new_handle(&s.dom, &tree.snaps[i]))
    })
}

/// The first snapshot of that name, depth first (vSphere allows a name twice; libvirt's ESX
/// driver finds the first).
///
/// # Safety
/// `domain` is NULL or a domain from this library; `name` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotLookupByName(
    domain: virDomainPtr,
    name: *const c_char,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    export!(dom domain, ptr::null_mut(), |d| {
        flags!(flags as NoFlags)?;
        let name = in_str!(name)?;
        let tree = tree_of(d)?;
        let at = tree.named(name)?;
        Ok(new_handle(d, &tree.snaps[at]))
    })
}

/// Whether the VM has a current snapshot (`snapshot.currentSnapshot`): one round trip.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainHasCurrentSnapshot(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        Ok(tree_of(d)?.current.is_some() as c_int)
    })
}

/// The VM's current snapshot: one round trip; VIR_ERR_NO_DOMAIN_SNAPSHOT when it has none.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotCurrent(
    domain: virDomainPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    export!(dom domain, ptr::null_mut(), |d| {
        flags!(flags as NoFlags)?;
        let tree = tree_of(d)?;
        Ok(new_handle(d, &tree.snaps[tree.current_snapshot()?]))
    })
}

/// The snapshot's parent: one round trip; VIR_ERR_NO_DOMAIN_SNAPSHOT for a root.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotGetParent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> virDomainSnapshotPtr {
    export!(snap snapshot, ptr::null_mut(), |s| {
        flags!(flags as NoFlags)?;
        let (tree, at) = located(s)?;
        let parent = tree.snaps[at].parent.ok_or_else(|| {
            no_snapshot(format!("snapshot '{}' does not have a parent", s.snap.name))
        })?;
        Ok(new_handle(&s.dom, &tree.snaps[parent]))
    })
}

/// Whether the snapshot is the VM's current one: one round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotIsCurrent(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, -1, |s| {
        flags!(flags as NoFlags)?;
        let (tree, at) = located(s)?;
        Ok((tree.current == Some(at)) as c_int)
    })
}

/// Always 0: vSphere keeps no libvirt metadata for a snapshot (the snapshot must exist).
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotHasMetadata(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, -1, |s| {
        flags!(flags as NoFlags)?;
        located(s).map(|_| 0)
    })
}

/// Reverts the VM to the snapshot (RevertToSnapshot_Task; RUNNING/PAUSED power it on or suspend it
/// afterwards, FORCE accepted): 2 round trips when the task ends at once.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainRevertToSnapshot(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, write, -1, |s| {
        let flags = flags!(flags as SnapshotRevertFlags)?;
        s.dom.dom.revert_snapshot(&s.snap, flags)?;
        Ok(0)
    })
}

/// Deletes the snapshot (RemoveSnapshot_Task), or with CHILDREN its subtree, or with CHILDREN_ONLY
/// only its descendants; METADATA_ONLY refused: 2 round trips.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotDelete(
    snapshot: virDomainSnapshotPtr,
    flags: c_uint,
) -> c_int {
    export!(snap snapshot, write, -1, |s| {
        let flags = flags!(flags as SnapshotDeleteFlags)?;
        s.dom.dom.delete_snapshot(&s.snap, flags)?;
        Ok(0)
    })
}

/// The name, owned by the handle.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotGetName(snapshot: virDomainSnapshotPtr) -> *const c_char {
    export!(snap snapshot, ptr::null(), |s| Ok(s.name.as_ptr()))
}

/// The snapshot's domain (no new reference, as libvirt).
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotGetDomain(
    snapshot: virDomainSnapshotPtr,
) -> virDomainPtr {
    export!(snap snapshot, ptr::null_mut(), |s| Ok(Arc::as_ptr(&s.dom).cast_mut()))
}

/// The snapshot's connection (no new reference, as libvirt).
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotGetConnect(
    snapshot: virDomainSnapshotPtr,
) -> virConnectPtr {
    export!(snap snapshot, ptr::null_mut(), |s| {
        Ok(Arc::as_ptr(&s.dom.conn).cast_mut())
    })
}

/// Takes another reference on the snapshot handle; no round trip.
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotRef(snapshot: virDomainSnapshotPtr) -> c_int {
    export!(snap snapshot, -1, |s| {
        s.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the handle (the snapshot itself is untouched).
///
/// # Safety
/// `snapshot` is NULL or a snapshot from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSnapshotFree(snapshot: virDomainSnapshotPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { SnapshotHandle::borrow(snapshot, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { SnapshotHandle::release(snapshot) };
        Ok(0)
    })
}
