//! Snapshot commands (`snapshot-create-as`, `-create`, `-list`, `-info`, `-current`, `-parent`,
//! `-dumpxml`, `-revert`, `-delete`), each answered from one read of the domain's snapshot tree.

use super::{DOMAIN, bits, domain, extra, extra_line, read_file, with_newline};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::abi::flags::{
    CheckedFlags, SnapshotCreateFlags, SnapshotDeleteFlags, SnapshotListFlags as L,
    SnapshotRevertFlags,
};
use esx_driver::abi::virDomainSnapshotRevertFlags::VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM as RESET_NVRAM;
use esx_driver::driver::domain::Domain;
use esx_driver::driver::snapshot::{Span, Tree};
use esx_driver::xml::{escape_attr, escape_text};

const SNAPNAME: Opt = Opt::optional("snapshotname", "the snapshot's name");
const CURRENT: Opt = Opt::flag("current", "the domain's current snapshot");

/// The snapshot `--<arg>` or `--current` names, in a fresh read of the domain's tree.
fn pick(dom: &Domain, a: &Args, arg: &str) -> Result<(Tree, usize), Failure> {
    let (name, current) = (a.get(arg), a.flag("current"));
    let says = |text: String| Err(Failure::lines(vec![text]));
    if name.is_some() && current {
        return says(format!("--{arg} and --current are mutually exclusive"));
    }
    if name.is_none() && !current {
        return says(format!("--{arg} or --current is required"));
    }
    let tree = dom.snapshot_tree()?;
    let at = match name {
        Some(n) => tree.named(n)?,
        None => tree.current_snapshot()?,
    };
    Ok((tree, at))
}

/// The create flags both create commands share, by option name.
const CREATE_FLAGS: &[(&str, u32)] = &[
    ("redefine", SnapshotCreateFlags::REDEFINE.bits()),
    ("current", SnapshotCreateFlags::CURRENT.bits()),
    ("no-metadata", SnapshotCreateFlags::NO_METADATA.bits()),
    ("halt", SnapshotCreateFlags::HALT.bits()),
    ("disk-only", SnapshotCreateFlags::DISK_ONLY.bits()),
    ("reuse-external", SnapshotCreateFlags::REUSE_EXT.bits()),
    ("quiesce", SnapshotCreateFlags::QUIESCE.bits()),
    ("atomic", SnapshotCreateFlags::ATOMIC.bits()),
    ("live", SnapshotCreateFlags::LIVE.bits()),
    ("validate", SnapshotCreateFlags::VALIDATE.bits()),
];

/// Takes the snapshot `xml` describes, with virsh's message (naming the file it came from).
fn create(s: &mut Session, a: &Args, xml: &str, from: Option<&str>) -> Outcome {
    let dom = domain(s, a)?;
    let flags = SnapshotCreateFlags::checked(bits(a, CREATE_FLAGS), "virDomainSnapshotCreateXML")?;
    let (snap, _) = dom.create_snapshot(xml, flags)?;
    match from {
        Some(f) => extra_line(
            s,
            &format!("Domain snapshot {} created from '{f}'", snap.name),
        ),
        None => extra_line(s, &format!("Domain snapshot {} created", snap.name)),
    }
    Ok(())
}

/// virsh's comma lists: fields split at `,`, a doubled `,,` standing for a comma.
fn fields(spec: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            (',', Some(',')) => {
                chars.next();
                out.last_mut().expect("one field").push(',');
            }
            (',', _) => out.push(String::new()),
            _ => out.last_mut().expect("one field").push(c),
        }
    }
    out
}

/// `--memspec [file=]NAME[,snapshot=TYPE]` as a `<memory>` element.
fn memspec(spec: &str) -> Result<String, Failure> {
    let (mut file, mut snapshot) = (None, None);
    for f in fields(spec) {
        if let Some(v) = f.strip_prefix("snapshot=") {
            snapshot = Some(v.to_string());
        } else if let Some(v) = f.strip_prefix("file=") {
            file = Some(v.to_string());
        } else if file.is_none() {
            file = Some(f);
        } else {
            return Err(Failure::lines(vec![format!(
                "unable to parse memspec: {spec}"
            )]));
        }
    }
    let attr = |name: &str, v: Option<String>| {
        v.map(|v| format!(" {name}='{}'", escape_attr(&v)))
            .unwrap_or_default()
    };
    Ok(format!(
        "  <memory{}{}/>\n",
        attr("snapshot", snapshot),
        attr("file", file)
    ))
}

/// `--diskspec DISK[,snapshot=TYPE][,driver=TYPE][,stype=TYPE][,file=NAME]` as a `<disk>`.
fn diskspec(spec: &str) -> Result<String, Failure> {
    let bad = || Failure::lines(vec![format!("unable to parse diskspec: {spec}")]);
    let mut parts = fields(spec).into_iter();
    let name = parts.next().unwrap_or_default();
    let (mut snapshot, mut driver, mut stype, mut file) = (None, None, None, None);
    for f in parts {
        let slot = match f.split_once('=') {
            Some(("snapshot", _)) => &mut snapshot,
            Some(("driver", _)) => &mut driver,
            Some(("stype", _)) => &mut stype,
            Some(("file", _)) => &mut file,
            _ => return Err(bad()),
        };
        *slot = f.split_once('=').map(|(_, v)| v.to_string());
    }
    let source = match stype.as_deref() {
        None | Some("file") => "file",
        Some("block") => "dev",
        Some(_) => return Err(bad()),
    };
    let mut x = format!("    <disk name='{}'", escape_attr(&name));
    for (attr, v) in [("snapshot", &snapshot), ("type", &stype)] {
        if let Some(v) = v {
            x.push_str(&format!(" {attr}='{}'", escape_attr(v)));
        }
    }
    if driver.is_none() && file.is_none() {
        return Ok(x + "/>\n");
    }
    x.push_str(">\n");
    if let Some(d) = &driver {
        x.push_str(&format!("      <driver type='{}'/>\n", escape_attr(d)));
    }
    if let Some(f) = &file {
        x.push_str(&format!("      <source {source}='{}'/>\n", escape_attr(f)));
    }
    Ok(x + "    </disk>\n")
}

pub const SNAPSHOT_CREATE_AS: Cmd = Cmd {
    name: "snapshot-create-as",
    group: "snapshot",
    summary: "take a snapshot described by options",
    description: "Builds the snapshot request from the options and takes the snapshot (or prints the request).",
    opts: &[
        DOMAIN,
        Opt::optional("name", "the snapshot's name (default: the time)"),
        Opt::optional("description", "the snapshot's description"),
        Opt::flag(
            "print-xml",
            "print the request instead of taking the snapshot",
        ),
        Opt::flag("no-metadata", "take the snapshot without libvirt metadata"),
        Opt::flag("halt", "stop the domain once the snapshot is taken"),
        Opt::flag("disk-only", "the disks only, not the memory"),
        Opt::flag("reuse-external", "reuse existing external files"),
        Opt::flag("quiesce", "quiesce the guest's file systems first"),
        Opt::flag("atomic", "all or nothing"),
        Opt::flag("live", "keep the domain running meanwhile"),
        Opt::flag("validate", "check the request against the schema"),
        Opt::string("memspec", "the memory: [file=]name[,snapshot=type]"),
        Opt::argv(
            "diskspec",
            "a disk: disk[,snapshot=type][,driver=type][,stype=type][,file=name]",
        ),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let mut xml = String::from("<domainsnapshot>\n");
        for (tag, opt) in [("name", "name"), ("description", "description")] {
            if let Some(v) = a.get(opt) {
                xml.push_str(&format!("  <{tag}>{}</{tag}>\n", escape_text(v)));
            }
        }
        if let Some(m) = a.get("memspec") {
            xml.push_str(&memspec(m)?);
        }
        if a.flag("diskspec") {
            xml.push_str("  <disks>\n");
            for d in a.all("diskspec") {
                xml.push_str(&diskspec(d)?);
            }
            xml.push_str("  </disks>\n");
        }
        xml.push_str("</domainsnapshot>\n");
        if a.flag("print-xml") {
            println!("{xml}");
            return Ok(());
        }
        create(s, a, &xml, None)
    },
};

pub const SNAPSHOT_CREATE: Cmd = Cmd {
    name: "snapshot-create",
    group: "snapshot",
    summary: "take a snapshot described by an XML file",
    description: "Takes a snapshot as the <domainsnapshot> file describes (all defaults without one).",
    opts: &[
        DOMAIN,
        Opt::optional("xmlfile", "the file holding the snapshot XML"),
        Opt::flag("redefine", "redefine the metadata of an existing snapshot"),
        Opt::flag("current", "with --redefine, make it the current snapshot"),
        Opt::flag("no-metadata", "take the snapshot without libvirt metadata"),
        Opt::flag("halt", "stop the domain once the snapshot is taken"),
        Opt::flag("disk-only", "the disks only, not the memory"),
        Opt::flag("reuse-external", "reuse existing external files"),
        Opt::flag("quiesce", "quiesce the guest's file systems first"),
        Opt::flag("atomic", "all or nothing"),
        Opt::flag("live", "keep the domain running meanwhile"),
        Opt::flag("validate", "check the request against the schema"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        match a.get("xmlfile") {
            Some(f) => create(s, a, &read_file(f)?, Some(f)),
            None => create(s, a, "<domainsnapshot/>", None),
        }
    },
};

/// `snapshot-list`'s filters and the libvirt flag each sets.
const LIST_FILTERS: &[(&str, u32)] = &[
    ("roots", L::ROOTS.bits()),
    ("leaves", L::LEAVES.bits()),
    ("no-leaves", L::NO_LEAVES.bits()),
    ("metadata", L::METADATA.bits()),
    ("no-metadata", L::NO_METADATA.bits()),
    ("inactive", L::INACTIVE.bits()),
    ("active", L::ACTIVE.bits()),
    ("disk-only", L::DISK_ONLY.bits()),
    ("internal", L::INTERNAL.bits()),
    ("external", L::EXTERNAL.bits()),
    ("descendants", L::DESCENDANTS.bits()),
];

/// A snapshot time as virsh shows it: the local time with its offset.
fn local_time(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S %z")
                .to_string()
        })
        .unwrap_or_default()
}

/// virsh's tree drawing: a root, then each child under `+- ` with `|` joining siblings, and a
/// blank (indented) line after the last leaf of each branch.
fn draw(
    out: &mut String,
    tree: &Tree,
    kids: &dyn Fn(usize) -> Vec<usize>,
    at: usize,
    indent: &mut String,
    root: bool,
    last: bool,
) {
    let mark = if root { "" } else { "+- " };
    out.push_str(&format!("{indent}{mark}{}\n", tree.snaps[at].name));
    if !root {
        indent.push(if last { ' ' } else { '|' });
        indent.push(' ');
    }
    let children = kids(at);
    if !children.is_empty() {
        out.push_str(&format!("{indent}  |\n"));
    }
    indent.push_str("  ");
    for (i, c) in children.iter().enumerate() {
        draw(out, tree, kids, *c, indent, false, i + 1 == children.len());
    }
    indent.truncate(indent.len() - 2);
    if children.is_empty() && last {
        out.push_str(&format!("{indent}\n"));
    }
    if !root {
        indent.truncate(indent.len() - 2);
    }
}

pub const SNAPSHOT_LIST: Cmd = Cmd {
    name: "snapshot-list",
    group: "snapshot",
    summary: "the domain's snapshots, as a table, names or a tree",
    description: "Lists the domain's snapshots by name (or in tree order), with the filters given.",
    opts: &[
        DOMAIN,
        Opt::flag("parent", "add the parent column"),
        Opt::flag("roots", "snapshots without a parent"),
        Opt::flag("leaves", "snapshots without children"),
        Opt::flag("no-leaves", "snapshots with children"),
        Opt::flag("metadata", "snapshots with libvirt metadata"),
        Opt::flag("no-metadata", "snapshots without libvirt metadata"),
        Opt::flag("inactive", "snapshots taken of a stopped domain"),
        Opt::flag("active", "snapshots taken of a running domain"),
        Opt::flag("disk-only", "disk-only snapshots"),
        Opt::flag("internal", "internal snapshots"),
        Opt::flag("external", "external snapshots"),
        Opt::flag("tree", "draw the snapshots as a tree"),
        Opt::optional("from", "only the children of this snapshot"),
        Opt::flag("current", "only the children of the current snapshot"),
        Opt::flag("descendants", "with --from or --current, all descendants"),
        Opt::flag("name", "names only"),
        Opt::flag("topological", "parents before children instead of by name"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        for (x, y) in [
            ("tree", "name"),
            ("parent", "roots"),
            ("parent", "tree"),
            ("roots", "tree"),
            ("roots", "from"),
            ("roots", "current"),
        ] {
            a.exclusive(x, y)?;
        }
        let start = a.flag("from") || a.flag("current");
        if a.flag("descendants") && !start {
            return Err(Failure::lines(vec![
                "--descendants requires either --from or --current".into(),
            ]));
        }
        let dom = domain(s, a)?;
        let (tree, from) = match start {
            true => pick(&dom, a, "from").map(|(t, at)| (t, Some(at)))?,
            false => (dom.snapshot_tree()?, None),
        };
        let draw_tree = a.flag("tree");
        let mut flags = L::checked(bits(a, LIST_FILTERS), "virDomainListAllSnapshots")?;
        if from.is_some() && draw_tree {
            flags |= L::DESCENDANTS;
        }
        let mut picked = match from {
            Some(at) => tree.list(Span::Children(at), flags),
            None => tree.list(Span::Domain, flags),
        };
        if !a.flag("topological") {
            picked.sort_by_key(|i| tree.snaps[*i].name.to_ascii_lowercase());
        }
        let name = |i: usize| tree.snaps[i].name.clone();
        if draw_tree {
            // With --from, that snapshot is the one root; children come in the list's order.
            let roots: Vec<usize> = match from {
                Some(at) => vec![at],
                None => picked
                    .iter()
                    .copied()
                    .filter(|i| tree.snaps[*i].parent.is_none_or(|p| !picked.contains(&p)))
                    .collect(),
            };
            let kids = |at: usize| -> Vec<usize> {
                picked
                    .iter()
                    .copied()
                    .filter(|i| tree.snaps[*i].parent == Some(at))
                    .collect()
            };
            let mut out = String::new();
            for r in roots {
                draw(&mut out, &tree, &kids, r, &mut String::new(), true, true);
            }
            print!("{out}");
            return Ok(());
        }
        if a.flag("name") {
            for i in picked {
                println!("{}", name(i));
            }
            return Ok(());
        }
        let parent = a.flag("parent");
        let mut header = vec!["Name", "Creation Time", "State"];
        if parent {
            header.push("Parent");
        }
        let rows: Vec<Vec<String>> = picked
            .iter()
            .map(|i| {
                let snap = &tree.snaps[*i];
                let mut row = vec![
                    snap.name.clone(),
                    local_time(snap.created),
                    snap.state_name().to_string(),
                ];
                if parent {
                    row.push(snap.parent.map(name).unwrap_or_default());
                }
                row
            })
            .collect();
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};

pub const SNAPSHOT_INFO: Cmd = Cmd {
    name: "snapshot-info",
    group: "snapshot",
    summary: "facts about a snapshot",
    description: "Shows the snapshot's name, domain, whether it is current, its state, place in the tree and metadata.",
    opts: &[DOMAIN, SNAPNAME, CURRENT],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let (tree, at) = pick(&dom, a, "snapshotname")?;
        let snap = &tree.snaps[at];
        let yes = |b: bool| if b { "yes" } else { "no" };
        let parent = snap.parent.map(|p| tree.snaps[p].name.as_str());
        println!("{:<15} {}", "Name:", snap.name);
        println!("{:<15} {}", "Domain:", dom.cached().name);
        println!("{:<15} {}", "Current:", yes(tree.current == Some(at)));
        println!("{:<15} {}", "State:", snap.state_name());
        println!("{:<15} internal", "Location:");
        println!("{:<15} {}", "Parent:", parent.unwrap_or("-"));
        let count = |f: L| tree.list(Span::Children(at), f).len();
        println!("{:<15} {}", "Children:", count(L::empty()));
        println!("{:<15} {}", "Descendants:", count(L::DESCENDANTS));
        // vSphere keeps no libvirt metadata for a snapshot.
        println!("{:<15} no", "Metadata:");
        Ok(())
    },
};

pub const SNAPSHOT_CURRENT: Cmd = Cmd {
    name: "snapshot-current",
    group: "snapshot",
    summary: "the current snapshot, or make one current",
    description: "Prints the current snapshot's XML or name; with --snapshotname, makes that snapshot current.",
    opts: &[
        DOMAIN,
        Opt::flag("name", "the name instead of the XML"),
        Opt::flag("security-info", "include secrets in the XML"),
        SNAPNAME,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("name", "snapshotname")?;
        let dom = domain(s, a)?;
        let uuid = dom.cached().uuid.to_string();
        let tree = dom.snapshot_tree()?;
        if let Some(n) = a.get("snapshotname") {
            // libvirt makes a snapshot current by redefining it, which vSphere refuses.
            let xml = tree.xml(tree.named(n)?, &uuid);
            let flags = SnapshotCreateFlags::REDEFINE | SnapshotCreateFlags::CURRENT;
            dom.create_snapshot(&xml, flags)?;
            extra(s, &format!("Snapshot {n} set as current"));
            return Ok(());
        }
        let Some(at) = tree.current else {
            return Err(Failure::lines(vec![format!(
                "domain '{}' has no current snapshot",
                dom.cached().name
            )]));
        };
        match a.flag("name") {
            true => print!("{}", tree.snaps[at].name),
            false => print!("{}", tree.xml(at, &uuid)),
        }
        Ok(())
    },
};

pub const SNAPSHOT_PARENT: Cmd = Cmd {
    name: "snapshot-parent",
    group: "snapshot",
    summary: "the name of a snapshot's parent",
    description: "",
    opts: &[DOMAIN, SNAPNAME, CURRENT],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let (tree, at) = pick(&dom, a, "snapshotname")?;
        let snap = &tree.snaps[at];
        match snap.parent {
            Some(p) => print!("{}", tree.snaps[p].name),
            None => {
                return Err(Failure::lines(vec![format!(
                    "snapshot '{}' has no parent",
                    snap.name
                )]));
            }
        }
        Ok(())
    },
};

pub const SNAPSHOT_DUMPXML: Cmd = Cmd {
    name: "snapshot-dumpxml",
    group: "snapshot",
    summary: "a snapshot's XML",
    description: "",
    opts: &[
        DOMAIN,
        Opt::data("snapshotname", "the snapshot's name"),
        Opt::flag("security-info", "include secrets in the XML"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let tree = dom.snapshot_tree()?;
        let at = tree.named(a.required("snapshotname"))?;
        print!(
            "{}",
            with_newline(tree.xml(at, &dom.cached().uuid.to_string()))
        );
        Ok(())
    },
};

pub const SNAPSHOT_REVERT: Cmd = Cmd {
    name: "snapshot-revert",
    group: "snapshot",
    summary: "return the domain to a snapshot",
    description: "Reverts the domain to the snapshot, optionally running or paused afterwards.",
    opts: &[
        DOMAIN,
        SNAPNAME,
        CURRENT,
        Opt::flag("running", "run the domain afterwards"),
        Opt::flag("paused", "leave the domain paused afterwards"),
        Opt::flag("force", "revert even where it is risky"),
        Opt::flag("reset-nvram", "start again from a pristine NVRAM"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let (tree, at) = pick(&dom, a, "snapshotname")?;
        let snap = tree.snaps[at].snapshot();
        const F: &[(&str, u32)] = &[
            ("running", SnapshotRevertFlags::RUNNING.bits()),
            ("paused", SnapshotRevertFlags::PAUSED.bits()),
            ("reset-nvram", RESET_NVRAM as u32),
        ];
        // virsh adds FORCE only to retry a revert refused as risky, which vSphere never does.
        SnapshotRevertFlags::checked(bits(a, F), "virDomainRevertToSnapshot")
            .and_then(|flags| dom.revert_snapshot(&snap, flags))
            .map_err(|e| Failure::call(format!("Failed to revert snapshot {}", snap.name), e))?;
        extra(s, &format!("Domain snapshot {} reverted", snap.name));
        Ok(())
    },
};

pub const SNAPSHOT_DELETE: Cmd = Cmd {
    name: "snapshot-delete",
    group: "snapshot",
    summary: "delete a snapshot",
    description: "Deletes the snapshot, its children as well, or its children only.",
    opts: &[
        DOMAIN,
        SNAPNAME,
        CURRENT,
        Opt::flag("children", "its children as well"),
        Opt::flag("children-only", "its children, keeping it"),
        Opt::flag("metadata", "libvirt's metadata only, keeping the snapshot"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let (tree, at) = pick(&dom, a, "snapshotname")?;
        let snap = tree.snaps[at].snapshot();
        const F: &[(&str, u32)] = &[
            ("children", SnapshotDeleteFlags::CHILDREN.bits()),
            ("metadata", SnapshotDeleteFlags::METADATA_ONLY.bits()),
            ("children-only", SnapshotDeleteFlags::CHILDREN_ONLY.bits()),
        ];
        let flags = SnapshotDeleteFlags::from_bits_truncate(bits(a, F));
        dom.delete_snapshot(&snap, flags)
            .map_err(|e| Failure::call(format!("Failed to delete snapshot {}", snap.name), e))?;
        match flags.contains(SnapshotDeleteFlags::CHILDREN_ONLY) {
            true => extra(
                s,
                &format!("Domain snapshot {} children deleted", snap.name),
            ),
            false => extra(s, &format!("Domain snapshot {} deleted", snap.name)),
        }
        Ok(())
    },
};
