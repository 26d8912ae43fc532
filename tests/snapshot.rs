//! Snapshots on the simulator in ESX and vCenter mode: a three-level tree with siblings, every
//! query and list filter combination checked against the server's own tree (read here without
//! the library's tree code), the XML, revert and delete checked by an independent read, the
//! refusals with their messages, and a failing task reported with its fault.

mod common;

use common::injector::Injector;
use common::{Creds, Sim, dom, open};
use esx_driver::abi::flags::UndefineFlags;
use esx_driver::vi::Node;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::abi::flags::{
    ListDomainsFlags, SnapshotCreateFlags as C, SnapshotDeleteFlags as D, SnapshotListFlags as L,
    SnapshotRevertFlags as R,
};
use virt_esx::driver::Connection;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::domain::{PowerState, Vm};
use virt_esx::driver::snapshot::{Snapshot, Span};

/// One snapshot as the server has it.
#[derive(Debug, Clone)]
struct Seen {
    name: String,
    parent: Option<String>,
    state: String,
    children: Vec<String>,
    created: String,
}

/// The server's tree in pre-order and its current snapshot's name, read through a connection
/// of its own and walked here by hand.
fn server_tree(sim: &Sim, scheme: &str, vm: &Vm) -> (Vec<Seen>, Option<String>) {
    let conn = open(sim, scheme, "/");
    let oc = conn
        .primary()
        .client
        .retrieve_one(
            &vm.moref,
            &["snapshot.rootSnapshotList", "snapshot.currentSnapshot"],
        )
        .unwrap()
        .unwrap();
    let current = oc
        .props
        .text_at("snapshot.currentSnapshot")
        .map(|t| t.trim().to_string());
    fn walk(
        n: &Node,
        parent: Option<&str>,
        out: &mut Vec<Seen>,
        cur: &Option<String>,
        hit: &mut Option<String>,
    ) {
        let name = n.child_text("name").unwrap_or("").to_string();
        if n.child_text("snapshot").map(str::to_string) == *cur {
            *hit = Some(name.clone());
        }
        let kids: Vec<&Node> = n.children_named("childSnapshotList").collect();
        out.push(Seen {
            name: name.clone(),
            parent: parent.map(str::to_string),
            state: n.child_text("state").unwrap_or("").to_string(),
            children: kids
                .iter()
                .map(|k| k.child_text("name").unwrap_or("").to_string())
                .collect(),
            created: n.child_text("createTime").unwrap_or("").to_string(),
        });
        for k in kids {
            walk(k, Some(&name), out, cur, hit);
        }
    }
    let (mut out, mut hit) = (Vec::new(), None);
    if let Some(snap) = oc.props.child("snapshot") {
        for root in snap.children_named("rootSnapshotList") {
            walk(root, None, &mut out, &current, &mut hit);
        }
    }
    (out, hit)
}

fn state_of(sim: &Sim, scheme: &str, vm: &Vm) -> PowerState {
    open(sim, scheme, "/").refresh_vm(&vm.moref).unwrap().state
}

/// An ESX simulator, a connection to it and its first VM (running).
fn esx_vm() -> (Sim, Arc<Connection>, Vm) {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    (sim, conn, vm)
}

fn create(conn: &Arc<Connection>, vm: &Vm, name: &str, flags: C) -> Snapshot {
    let xml = format!("<domainsnapshot><name>{name}</name></domainsnapshot>");
    dom(conn, vm).create_snapshot(&xml, flags).unwrap().0
}

fn handle(conn: &Arc<Connection>, vm: &Vm, name: &str) -> Snapshot {
    let tree = dom(conn, vm).snapshot_tree().unwrap();
    let s = &tree.snaps[tree.by_name(name).unwrap()];
    Snapshot {
        moref: s.moref.clone(),
        name: s.name.clone(),
    }
}

/// What libvirt's documented filter groups keep of the server's tree, computed from the
/// server's own answer: per group, the kinds allowed (none given or all given = every kind).
fn expected(seen: &[Seen], base: &[&Seen], f: L) -> Vec<String> {
    let allowed = |pairs: &[(L, &str)]| -> Vec<String> {
        let given: Vec<String> = pairs
            .iter()
            .filter(|(b, _)| f.contains(*b))
            .map(|(_, k)| k.to_string())
            .collect();
        match given.len() {
            0 => pairs.iter().map(|(_, k)| k.to_string()).collect(),
            n if n == pairs.len() => pairs.iter().map(|(_, k)| k.to_string()).collect(),
            _ => given,
        }
    };
    let leafness = allowed(&[(L::LEAVES, "leaf"), (L::NO_LEAVES, "inner")]);
    let metadata = allowed(&[(L::METADATA, "with"), (L::NO_METADATA, "without")]);
    let status = allowed(&[
        (L::INACTIVE, "shutoff"),
        (L::ACTIVE, "active"),
        (L::DISK_ONLY, "disk"),
    ]);
    let location = allowed(&[(L::INTERNAL, "internal"), (L::EXTERNAL, "external")]);
    let _ = seen;
    base.iter()
        .filter(|s| {
            let leaf = if s.children.is_empty() {
                "leaf"
            } else {
                "inner"
            };
            let st = if s.state == "poweredOff" {
                "shutoff"
            } else {
                "active"
            };
            leafness.iter().any(|k| k == leaf)
                && metadata.iter().any(|k| k == "without")
                && status.iter().any(|k| k == st)
                && location.iter().any(|k| k == "internal")
        })
        .map(|s| s.name.clone())
        .collect()
}

/// Every subset of the filter flags (bit 1 — ROOTS or DESCENDANTS — decided by the caller).
fn every_filter() -> impl Iterator<Item = L> {
    let bits = [
        L::LEAVES,
        L::NO_LEAVES,
        L::METADATA,
        L::NO_METADATA,
        L::INACTIVE,
        L::ACTIVE,
        L::DISK_ONLY,
        L::INTERNAL,
        L::EXTERNAL,
        L::TOPOLOGICAL,
    ];
    (0..1u32 << bits.len()).map(move |m| {
        bits.iter()
            .enumerate()
            .filter(|(i, _)| m & (1 << i) != 0)
            .fold(L::empty(), |acc, (_, b)| acc | *b)
    })
}

/// s1 ─ s2 ─ s3        s1, s2, s5 taken running with memory; s3 powered off;
///    └ s4 ─ s5        s4 disk-only while running (so powered off, as a host records it)
fn build_tree(sim: &Sim, scheme: &str, conn: &Arc<Connection>, vm: &Vm) {
    assert_eq!(state_of(sim, scheme, vm), PowerState::PoweredOn);
    create(conn, vm, "s1", C::empty());
    create(conn, vm, "s2", C::ATOMIC | C::LIVE);
    let off = dom(conn, vm).power(PowerOp::Destroy).unwrap();
    create(conn, &off, "s3", C::empty());
    let s1 = handle(conn, vm, "s1");
    dom(conn, &off).revert_snapshot(&s1, R::empty()).unwrap();
    assert_eq!(
        state_of(sim, scheme, vm),
        PowerState::PoweredOn,
        "reverting to a running snapshot runs the VM"
    );
    let on = conn.refresh_vm(&vm.moref).unwrap();
    create(conn, &on, "s4", C::DISK_ONLY);
    create(conn, &on, "s5", C::empty());
}

fn tree_queries(scheme: &str, vm_name: &str) {
    let sim = Sim::start(&["-mode", scheme]);
    let conn = open(&sim, scheme, "/");
    let vm = conn.domain_by_name(vm_name).unwrap().cached();
    assert!(dom(&conn, &vm).snapshot_tree().unwrap().snaps.is_empty());
    build_tree(&sim, scheme, &conn, &vm);
    let (seen, current) = server_tree(&sim, scheme, &vm);
    let names: Vec<&str> = seen.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["s1", "s2", "s3", "s4", "s5"], "{seen:?}");
    let states: Vec<&str> = seen.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "poweredOn",
            "poweredOn",
            "poweredOff",
            "poweredOff",
            "poweredOn"
        ]
    );
    assert_eq!(current.as_deref(), Some("s5"));

    // Every question is answered from one read of the tree.
    let before = conn.round_trips();
    let tree = dom(&conn, &vm).snapshot_tree().unwrap();
    assert_eq!(conn.round_trips() - before, 1);
    assert_eq!(tree.current, tree.by_name("s5"));
    for (i, s) in tree.snaps.iter().enumerate() {
        let own = seen.iter().find(|x| x.name == s.name).unwrap();
        assert_eq!(s.parent.map(|p| tree.snaps[p].name.clone()), own.parent);
        let kids: Vec<String> = s
            .children
            .iter()
            .map(|c| tree.snaps[*c].name.clone())
            .collect();
        assert_eq!(kids, own.children);
        let all: Vec<&Seen> = seen.iter().collect();
        let list = |span, f| -> Vec<String> {
            tree.list(span, f)
                .iter()
                .map(|j| tree.snaps[*j].name.clone())
                .collect()
        };
        // Children, then all descendants (pre-order from the server's tree).
        let direct: Vec<&Seen> = all
            .iter()
            .copied()
            .filter(|x| x.parent.as_deref() == Some(&s.name))
            .collect();
        let mut below: Vec<&Seen> = Vec::new();
        let at = seen.iter().position(|x| x.name == s.name).unwrap();
        let mut depth_names = vec![s.name.clone()];
        for x in &seen[at + 1..] {
            match &x.parent {
                Some(p) if depth_names.contains(p) => {
                    below.push(x);
                    depth_names.push(x.name.clone());
                }
                _ => break,
            }
        }
        for f in every_filter() {
            assert_eq!(
                list(Span::Children(i), f),
                expected(&seen, &direct, f),
                "children of {} {f:?}",
                s.name
            );
            let d = f | L::DESCENDANTS;
            assert_eq!(
                list(Span::Children(i), d),
                expected(&seen, &below, f),
                "descendants of {} {f:?}",
                s.name
            );
        }
    }
    let all: Vec<&Seen> = seen.iter().collect();
    let roots: Vec<&Seen> = seen.iter().filter(|x| x.parent.is_none()).collect();
    for f in every_filter() {
        let got = |f| -> Vec<String> {
            tree.list(Span::Domain, f)
                .iter()
                .map(|j| tree.snaps[*j].name.clone())
                .collect()
        };
        assert_eq!(got(f), expected(&seen, &all, f), "all {f:?}");
        assert_eq!(got(f | L::ROOTS), expected(&seen, &roots, f), "roots {f:?}");
    }

    // The listing's snapshot filters see the tree.
    let with = conn
        .list_all_domains(ListDomainsFlags::HAS_SNAPSHOT)
        .unwrap();
    assert!(with.iter().any(|v| v.moref == vm.moref));
    let without = conn
        .list_all_domains(ListDomainsFlags::NO_SNAPSHOT)
        .unwrap();
    assert!(without.iter().all(|v| v.moref != vm.moref));
}

#[test]
fn tree_queries_and_filters_match_the_servers_tree_on_esx() {
    tree_queries("esx", "ha-host_VM0");
}

#[test]
fn tree_queries_and_filters_match_the_servers_tree_on_vcenter() {
    tree_queries("vpx", "DC0_H0_VM0");
}

#[test]
fn xml_is_libvirts_and_escapes_both_ways() {
    let (sim, conn, vm) = esx_vm();
    create(&conn, &vm, "root", C::empty());
    let odd = "q&lt;&amp;&apos;&quot;&gt;";
    let xml = format!(
        "<domainsnapshot><name>{odd}</name><description>d &lt;&gt;&amp;'\"</description></domainsnapshot>"
    );
    // The tree read (names, state, tools), the task's start and its read.
    let before = conn.round_trips();
    let (snap, _) = dom(&conn, &vm).create_snapshot(&xml, C::empty()).unwrap();
    assert_eq!(conn.round_trips() - before, 3);
    assert_eq!(snap.name, "q<&'\">");
    let (seen, _) = server_tree(&sim, "esx", &vm);
    assert_eq!(seen[1].name, "q<&'\">", "the server has the name unescaped");
    let tree = dom(&conn, &vm).snapshot_tree().unwrap();
    let at = tree.by_moref(&snap.moref).unwrap();
    let created = tree.snaps[at].created;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (now - created).abs() < 300,
        "{created} vs {now} ({})",
        seen[1].created
    );
    assert_eq!(
        tree.xml(at, &vm.uuid.to_string()),
        format!(
            "<domainsnapshot>\n  <name>q&lt;&amp;&apos;&quot;&gt;</name>\n  \
             <description>d &lt;&gt;&amp;&apos;&quot;</description>\n  <state>running</state>\n  \
             <parent>\n    <name>root</name>\n  </parent>\n  <creationTime>{created}</creationTime>\n  \
             <domain>\n    <uuid>{}</uuid>\n  </domain>\n</domainsnapshot>\n",
            vm.uuid
        )
    );
    let root = tree.by_name("root").unwrap();
    assert!(
        tree.xml(root, "u")
            .contains("<description></description>\n  <state>running</state>\n  <creationTime>")
    );
    // A snapshot without a name gets libvirt's default: the creation time in seconds.
    let (unnamed, _) = dom(&conn, &vm)
        .create_snapshot("<domainsnapshot/>", C::empty())
        .unwrap();
    let secs: i64 = unnamed.name.parse().unwrap();
    assert!((secs - now).abs() < 300);
}

#[test]
fn revert_follows_the_snapshot_and_the_flags() {
    let (sim, conn, vm) = esx_vm();
    let running = create(&conn, &vm, "running", C::empty());
    let off = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let stopped = create(&conn, &off, "stopped", C::empty());
    let on = dom(&conn, &off).power(PowerOp::Start).unwrap();
    let cases = [
        (&stopped, R::empty(), PowerState::PoweredOff),
        (&stopped, R::RUNNING, PowerState::PoweredOn),
        (&stopped, R::PAUSED, PowerState::Suspended),
        (&running, R::empty(), PowerState::PoweredOn),
        (&running, R::PAUSED | R::FORCE, PowerState::Suspended),
        (&running, R::RUNNING, PowerState::PoweredOn),
    ];
    let mut cur = on;
    for (snap, flags, want) in cases {
        cur = dom(&conn, &cur).revert_snapshot(snap, flags).unwrap();
        assert_eq!(state_of(&sim, "esx", &vm), want, "{} {flags:?}", snap.name);
        let (_, current) = server_tree(&sim, "esx", &vm);
        assert_eq!(current.as_deref(), Some(snap.name.as_str()));
    }
    // Without flags: the task's start and its one read (the simulator ends tasks at once).
    let before = conn.round_trips();
    dom(&conn, &cur)
        .revert_snapshot(&running, R::empty())
        .unwrap();
    assert_eq!(conn.round_trips() - before, 2);
    let e = dom(&conn, &cur)
        .revert_snapshot(&running, R::RUNNING | R::PAUSED)
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(
        e.message().contains("VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING"),
        "{e}"
    );
}

#[test]
fn delete_keeps_or_takes_the_children_as_asked() {
    let (sim, conn, vm) = esx_vm();
    build_tree(&sim, "esx", &conn, &vm);
    let vm = conn.refresh_vm(&vm.moref).unwrap();
    let parent_of = |name: &str| {
        let (seen, _) = server_tree(&sim, "esx", &vm);
        seen.into_iter().find(|s| s.name == name).map(|s| s.parent)
    };
    // A middle snapshot alone: its child moves up to its parent.
    let s2 = handle(&conn, &vm, "s2");
    let before = conn.round_trips();
    dom(&conn, &vm).delete_snapshot(&s2, D::empty()).unwrap();
    assert_eq!(conn.round_trips() - before, 2);
    assert_eq!(parent_of("s2"), None);
    assert_eq!(parent_of("s3"), Some(Some("s1".into())));
    let e = dom(&conn, &vm)
        .delete_snapshot(&s2, D::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::NoDomainSnapshot, "{e}");
    // A middle snapshot with CHILDREN: its subtree goes, the rest stays.
    let s4 = handle(&conn, &vm, "s4");
    dom(&conn, &vm).delete_snapshot(&s4, D::CHILDREN).unwrap();
    assert_eq!(parent_of("s4"), None);
    assert_eq!(parent_of("s5"), None);
    assert_eq!(parent_of("s3"), Some(Some("s1".into())));
    let s1 = handle(&conn, &vm, "s1");
    for (flags, code, text) in [
        (D::METADATA_ONLY, Code::ArgumentUnsupported, "METADATA_ONLY"),
        (
            D::CHILDREN | D::CHILDREN_ONLY,
            Code::InvalidArg,
            "mutually exclusive",
        ),
    ] {
        let e = dom(&conn, &vm).delete_snapshot(&s1, flags).unwrap_err();
        assert_eq!(e.code, code, "{e}");
        assert!(e.message().contains(text), "{e}");
    }
    // CHILDREN_ONLY: the children go, the snapshot stays.
    dom(&conn, &vm)
        .delete_snapshot(&s1, D::CHILDREN_ONLY)
        .unwrap();
    assert_eq!(parent_of("s1"), Some(None));
    assert_eq!(parent_of("s3"), None);
    let with = conn
        .list_all_domains(ListDomainsFlags::HAS_SNAPSHOT)
        .unwrap();
    assert!(with.iter().any(|v| v.moref == vm.moref));
    // The last one: the VM has no snapshot left, and the listing says so.
    dom(&conn, &vm).delete_snapshot(&s1, D::empty()).unwrap();
    assert!(server_tree(&sim, "esx", &vm).0.is_empty());
    let without = conn
        .list_all_domains(ListDomainsFlags::NO_SNAPSHOT)
        .unwrap();
    assert!(without.iter().any(|v| v.moref == vm.moref));
}

/// As libvirt's ESX driver: a VM with snapshots is undefined like any other (vSphere keeps the
/// snapshots with the VM's files); SNAPSHOTS_METADATA is accepted by the C API for the same reason.
#[test]
fn a_vm_with_snapshots_undefines() {
    let (sim, conn, vm) = esx_vm();
    create(&conn, &vm, "kept", C::empty());
    let off = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    dom(&conn, &off).undefine(UndefineFlags::empty()).unwrap();
    let other = open(&sim, "esx", "/");
    assert!(other.refresh_vm(&vm.moref).is_err(), "unregistered");
}

#[test]
fn create_refuses_what_vsphere_cannot_do_and_halts_when_asked() {
    let (sim, conn, vm) = esx_vm();
    create(&conn, &vm, "one", C::empty());
    let plain = "<domainsnapshot><name>two</name></domainsnapshot>";
    for (flags, xml, code, text) in [
        (C::REDEFINE, plain, Code::InvalidArg, "REDEFINE"),
        (C::NO_METADATA, plain, Code::InvalidArg, "NO_METADATA"),
        (C::REUSE_EXT, plain, Code::InvalidArg, "REUSE_EXT"),
        (C::CURRENT, plain, Code::InvalidArg, "is required by flag"),
        (
            C::REDEFINE | C::HALT,
            plain,
            Code::InvalidArg,
            "mutually exclusive",
        ),
        (
            C::empty(),
            "<domainsnapshot><name>one</name></domainsnapshot>",
            Code::OperationInvalid,
            "Snapshot 'one' already exists",
        ),
        (
            C::empty(),
            "<domainsnapshot><memory snapshot='external' file='/m'/></domainsnapshot>",
            Code::ConfigUnsupported,
            "external",
        ),
        (
            C::empty(),
            "<domainsnapshot><disks><disk name='sda' snapshot='external'/></disks></domainsnapshot>",
            Code::ConfigUnsupported,
            "disk snapshots",
        ),
        (
            C::empty(),
            "<snapshot/>",
            Code::XmlError,
            "expecting <domainsnapshot>",
        ),
    ] {
        let e = dom(&conn, &vm).create_snapshot(xml, flags).unwrap_err();
        assert_eq!(e.code, code, "{flags:?} {xml}: {e}");
        assert!(e.message().contains(text), "{e}");
    }
    assert_eq!(server_tree(&sim, "esx", &vm).0.len(), 1, "nothing was made");
    // QUIESCE needs VMware Tools: refused exactly when the server says they do not run.
    let tools = common::live::vm_prop(&conn, &vm.moref, "guest.toolsRunningStatus");
    match dom(&conn, &vm).create_snapshot(plain, C::QUIESCE | C::DISK_ONLY) {
        Ok(_) => assert_eq!(tools.as_deref(), Some("guestToolsRunning")),
        Err(e) => {
            assert_ne!(tools.as_deref(), Some("guestToolsRunning"));
            assert!(e.message().contains("VMware Tools is not running"), "{e}");
        }
    }
    // HALT powers the VM off after the snapshot.
    let xml = "<domainsnapshot><name>halted</name></domainsnapshot>";
    let (_, after) = dom(&conn, &vm).create_snapshot(xml, C::HALT).unwrap();
    assert_eq!(after.state, PowerState::PoweredOff);
    assert_eq!(state_of(&sim, "esx", &vm), PowerState::PoweredOff);
    // A VM that is gone.
    let mut gone = vm.clone();
    gone.moref.value = "vm-999999".into();
    let e = dom(&conn, &gone)
        .create_snapshot(plain, C::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::NoDomain, "{e}");
}

#[test]
fn a_failing_task_is_reported_with_its_fault() {
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = Connection::open(
        &inj.uri("esx", "/"),
        Some(&Creds::new(Some("u"), "p")),
        false,
    )
    .unwrap();
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    inj.fail_next_task(
        "CreateSnapshot_Task",
        "InsufficientDisksFault",
        "Insufficient disk space on datastore 'datastore1'.",
    );
    let e = dom(&conn, &vm)
        .create_snapshot(
            "<domainsnapshot><name>x</name></domainsnapshot>",
            C::empty(),
        )
        .unwrap_err();
    assert!(
        e.message()
            .starts_with("internal error: Could not create snapshot: "),
        "{e}"
    );
    assert!(e.message().contains("InsufficientDisksFault"), "{e}");
    assert!(e.message().contains("Insufficient disk space"), "{e}");
}
