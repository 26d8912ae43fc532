//! Storage changes: NFS datastores defined and removed as pools (`pool-define-as`,
//! `pool-create-as`, `pool-define`, `pool-create`, `pool-destroy`, `pool-undefine`,
//! `pool-refresh`), and volumes made, copied, grown, wiped, removed and streamed.

use super::storage::{pool, volume};
use super::{extra, read_file};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::{CheckedFlags, ResizeFlags};
use esx_driver::abi::virStorageVolWipeAlgorithm as Wipe;
use esx_driver::driver::storage::transfer::{Download, Upload};
use esx_driver::driver::storage::{Pool, Volume};
use esx_driver::xml::{escape_attr, escape_text};
use std::io::{Read, Write};

/// The options `pool-define-as` and `pool-create-as` share.
const POOL_AS: &[Opt] = &[
    Opt::data("name", "the pool's name"),
    Opt::data("type", "the pool's type (netfs: an NFS datastore)"),
    Opt::flag("print-xml", "print the pool XML instead"),
    Opt::optional("source-host", "the NFS server"),
    Opt::optional("source-path", "the exported directory"),
    Opt::optional("source-dev", "the source device"),
    Opt::optional("source-name", "the source's name"),
    Opt::optional("target", "the mount point"),
    Opt::string("source-format", "the source format (nfs)"),
];

/// virsh's pool XML from the `*-as` options.
fn pool_xml(a: &Args) -> String {
    let mut x = format!("<pool type='{}'>\n", escape_attr(a.required("type")));
    x.push_str(&format!(
        "  <name>{}</name>\n",
        escape_text(a.required("name"))
    ));
    let sources = [
        "source-host",
        "source-path",
        "source-dev",
        "source-format",
        "source-name",
    ];
    if sources.iter().any(|o| a.flag(o)) {
        x.push_str("  <source>\n");
        for (opt, element, attr) in [
            ("source-host", "host", "name"),
            ("source-path", "dir", "path"),
            ("source-dev", "device", "path"),
            ("source-format", "format", "type"),
        ] {
            if let Some(v) = a.get(opt) {
                x.push_str(&format!("    <{element} {attr}='{}'/>\n", escape_attr(v)));
            }
        }
        if let Some(n) = a.get("source-name") {
            x.push_str(&format!("    <name>{}</name>\n", escape_text(n)));
        }
        x.push_str("  </source>\n");
    }
    if let Some(t) = a.get("target") {
        x.push_str(&format!(
            "  <target>\n    <path>{}</path>\n  </target>\n",
            escape_text(t)
        ));
    }
    x.push_str("</pool>\n");
    x
}

/// Creates the pool `xml` describes; virsh's `done` message, naming the file it came from.
fn make_pool(s: &mut Session, xml: &str, verb: &str, done: String) -> Outcome {
    let api = "virStoragePoolCreateXML";
    let name = s
        .conn()?
        .create_nfs_pool(xml, api)
        .map_err(|e| Failure::call(format!("Failed to {verb} pool {}", pool_name_of(xml)), e))?;
    extra(s, &done.replace("{}", &name.name));
    Ok(())
}

/// The `<name>` of a pool document, for virsh's failure line.
fn pool_name_of(xml: &str) -> String {
    esx_driver::xml::Element::parse(xml, esx_driver::xml::Names::Qualified)
        .ok()
        .and_then(|e| e.child_text("name").map(str::to_string))
        .unwrap_or_default()
}

/// A `pool-*-as` command: the XML printed, or the datastore made.
macro_rules! pool_as {
    ($name:literal, $summary:literal, $verb:literal, $done:literal) => {
        Cmd {
            name: $name,
            group: "pool",
            summary: $summary,
            description: "Builds the pool XML from the options (an NFS datastore: netfs, --source-host, --source-path) and mounts it on the host.",
            opts: POOL_AS,
            run: |s: &mut Session, a: &Args| -> Outcome {
                let xml = pool_xml(a);
                if a.flag("print-xml") {
                    print!("{xml}");
                    return Ok(());
                }
                make_pool(s, &xml, $verb, $done.into())
            },
        }
    };
}

pub const POOL_DEFINE_AS: Cmd = pool_as!(
    "pool-define-as",
    "define a pool (an NFS datastore) from options",
    "define",
    "Pool {} defined"
);
pub const POOL_CREATE_AS: Cmd = pool_as!(
    "pool-create-as",
    "create a pool (an NFS datastore) from options",
    "create",
    "Pool {} created"
);

/// A `pool-define` / `pool-create` command: the datastore made from an XML file.
macro_rules! pool_from_file {
    ($name:literal, $summary:literal, $verb:literal, $done:literal) => {
        Cmd {
            name: $name,
            group: "pool",
            summary: $summary,
            description: "",
            opts: &[Opt::data("file", "the file holding the pool XML")],
            run: |s: &mut Session, a: &Args| -> Outcome {
                let file = a.required("file");
                let xml = read_file(file)?;
                make_pool(s, &xml, $verb, format!($done, file))
            },
        }
    };
}

pub const POOL_DEFINE: Cmd = pool_from_file!(
    "pool-define",
    "define a pool (an NFS datastore) from an XML file",
    "define",
    "Pool {{}} defined from {}"
);
pub const POOL_CREATE: Cmd = pool_from_file!(
    "pool-create",
    "create a pool (an NFS datastore) from an XML file",
    "create",
    "Pool {{}} created from {}"
);

/// A command that unmounts an NFS datastore (`pool-destroy`, `pool-undefine`): vSphere has
/// no inactive datastore, so both remove it from the host.
macro_rules! pool_remove {
    ($name:literal, $summary:literal, $verb:literal, $done:literal) => {
        Cmd {
            name: $name,
            group: "pool",
            summary: $summary,
            description: "Unmounts the NFS datastore from the host (its files stay on the server).",
            opts: &[Opt::data("pool", "the pool: its name or UUID")],
            run: |s: &mut Session, a: &Args| -> Outcome {
                let facts = pool(s, a)?;
                let name = facts.name.clone();
                Pool::new(s.conn()?, facts)
                    .remove_nfs(concat!("virStoragePool", $verb))
                    .map_err(|e| {
                        Failure::call(format!("Failed to {} pool {name}", $verb.to_lowercase()), e)
                    })?;
                extra(s, &format!($done, name));
                Ok(())
            },
        }
    };
}

pub const POOL_DESTROY: Cmd = pool_remove!(
    "pool-destroy",
    "unmount an NFS datastore",
    "Destroy",
    "Pool {} destroyed"
);
pub const POOL_UNDEFINE: Cmd = pool_remove!(
    "pool-undefine",
    "remove an NFS datastore",
    "Undefine",
    "Pool {} has been undefined"
);

pub const POOL_REFRESH: Cmd = Cmd {
    name: "pool-refresh",
    group: "pool",
    summary: "read a pool's space and files again",
    description: "Asks the host to refresh the datastore's capacity and free space.",
    opts: &[Opt::data("pool", "the pool: its name or UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let facts = pool(s, a)?;
        let name = facts.name.clone();
        Pool::new(s.conn()?, facts)
            .refresh()
            .map_err(|e| Failure::call(format!("Failed to refresh pool {name}"), e))?;
        extra(s, &format!("Pool {name} refreshed"));
        Ok(())
    },
};

/// A size in bytes, as virsh reads a volume size (bytes unless a unit is given).
fn bytes(text: &str, option: &str) -> Result<u64, Failure> {
    super::scaled(text, option, 1)
}

pub const VOL_CREATE_AS: Cmd = Cmd {
    name: "vol-create-as",
    group: "volume",
    summary: "create a volume (a virtual disk) from options",
    description: "Creates a VMDK of CAPACITY (bytes, or with a unit) in the pool; with --backing-vol, a linked clone of that disk (of its capacity).",
    opts: &[
        Opt::data("pool", "the pool: its name or UUID"),
        Opt::data("name", "the volume's name (dir/disk.vmdk)"),
        Opt::data("capacity", "the size (bytes, or with a unit: 10G)"),
        Opt::string("allocation", "the space to allocate at once"),
        Opt::string("format", "the format (vmdk)"),
        Opt::string("backing-vol", "the disk to make a linked clone of"),
        Opt::string("backing-vol-format", "its format (vmdk)"),
        Opt::flag("print-xml", "print the volume XML instead"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let name = a.required("name");
        let capacity = bytes(a.required("capacity"), "capacity")?;
        let mut x = format!(
            "<volume>\n  <name>{}</name>\n  <capacity>{capacity}</capacity>\n",
            escape_text(name)
        );
        if let Some(al) = a.get("allocation") {
            x.push_str(&format!(
                "  <allocation>{}</allocation>\n",
                bytes(al, "allocation")?
            ));
        }
        if let Some(f) = a.get("format") {
            x.push_str(&format!(
                "  <target>\n    <format type='{}'/>\n  </target>\n",
                escape_attr(f)
            ));
        }
        if a.get("backing-vol").is_some() {
            // virsh's lookup: by name in the pool, then by key, then by path.
            let base = super::storage::volume_in(s, a, "backing-vol", "pool")?;
            x.push_str(&format!(
                "  <backingStore>\n    <path>{}</path>\n",
                escape_text(&base.facts().path())
            ));
            if let Some(f) = a.get("backing-vol-format") {
                x.push_str(&format!("    <format type='{}'/>\n", escape_attr(f)));
            }
            x.push_str("  </backingStore>\n");
        }
        x.push_str("</volume>\n");
        if a.flag("print-xml") {
            print!("{x}");
            return Ok(());
        }
        let p = Pool::new(s.conn()?, pool(s, a)?);
        let vol = p
            .create_volume(&x)
            .map_err(|e| Failure::call(format!("Failed to create vol {name}"), e))?;
        extra(s, &format!("Vol {} created", vol.facts().name));
        Ok(())
    },
};

pub const VOL_CREATE: Cmd = Cmd {
    name: "vol-create",
    group: "volume",
    summary: "create a volume from an XML file",
    description: "",
    opts: &[
        Opt::data("pool", "the pool: its name or UUID"),
        Opt::data("file", "the file holding the volume XML"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let file = a.required("file");
        let xml = read_file(file)?;
        let p = Pool::new(s.conn()?, pool(s, a)?);
        let vol = p
            .create_volume(&xml)
            .map_err(|e| Failure::call(format!("Failed to create vol from {file}"), e))?;
        extra(s, &format!("Vol {} created from {file}", vol.facts().name));
        Ok(())
    },
};

pub const VOL_CREATE_FROM: Cmd = Cmd {
    name: "vol-create-from",
    group: "volume",
    summary: "create a volume from an XML file, copying another volume",
    description: "",
    opts: &[
        Opt::data("pool", "the pool: its name or UUID"),
        Opt::data("file", "the file holding the new volume's XML"),
        Opt::data("vol", "the volume to copy"),
        Opt::string("inputpool", "the pool of the volume to copy"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let file = a.required("file");
        let xml = read_file(file)?;
        let source = super::storage::volume_in(s, a, "vol", "inputpool")?;
        let p = Pool::new(s.conn()?, pool(s, a)?);
        let vol = p
            .clone_volume(&xml, &source)
            .map_err(|e| Failure::call(format!("Failed to create vol from {file}"), e))?;
        extra(
            s,
            &format!(
                "Vol {} created from input vol {}",
                vol.facts().name,
                source.facts().name
            ),
        );
        Ok(())
    },
};

pub const VOL_CLONE: Cmd = Cmd {
    name: "vol-clone",
    group: "volume",
    summary: "copy a volume under a new name",
    description: "Copies the volume (a disk with its extents) to NEWNAME in the same pool.",
    opts: &[
        Opt::data("vol", "the volume: its name (with --pool), key or path"),
        Opt::data("newname", "the copy's name"),
        Opt::string("pool", "the pool the volume is in"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let source = volume(s, a)?;
        let new = a.required("newname");
        // virsh's clone: the source's XML with the new name.
        let x = format!(
            "<volume>\n  <name>{}</name>\n  <capacity>{}</capacity>\n</volume>\n",
            escape_text(new),
            source.facts().capacity
        );
        let p = Pool::new(s.conn()?, source.pool().clone());
        p.clone_volume(&x, &source).map_err(|e| {
            Failure::call(
                format!("Failed to clone vol from {}", source.facts().name),
                e,
            )
        })?;
        extra(s, &format!("Vol {new} cloned from {}", source.facts().name));
        Ok(())
    },
};

const VOL: Opt = Opt::data("vol", "the volume: its name (with --pool), key or path");
const IN_POOL: Opt = Opt::string("pool", "the pool the volume is in");

pub const VOL_DELETE: Cmd = Cmd {
    name: "vol-delete",
    group: "volume",
    summary: "delete a volume",
    description: "Deletes the volume's files from the datastore.",
    opts: &[VOL, IN_POOL],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let v = volume(s, a)?;
        let name = v.facts().name.clone();
        v.delete()
            .map_err(|e| Failure::call(format!("Failed to delete vol {name}"), e))?;
        extra(s, &format!("Vol {name} deleted"));
        Ok(())
    },
};

/// `--algorithm`'s names, in libvirt's order.
const ALGORITHMS: [&str; 10] = [
    "zero",
    "nnsa",
    "dod",
    "bsi",
    "gutmann",
    "schneier",
    "pfitzner7",
    "pfitzner33",
    "random",
    "trim",
];

pub const VOL_WIPE: Cmd = Cmd {
    name: "vol-wipe",
    group: "volume",
    summary: "wipe a volume's data",
    description: "Overwrites the volume's data (zeroes, or the pattern --algorithm names where vSphere can write it).",
    opts: &[VOL, IN_POOL, Opt::string("algorithm", "the wiping pattern")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let algorithm = match a.get("algorithm") {
            None => None,
            Some(name) => {
                let n = ALGORITHMS.iter().position(|x| *x == name).ok_or_else(|| {
                    Failure::lines(vec![format!("Unsupported algorithm '{name}'")])
                })?;
                Wipe::from_raw(n as i64)
            }
        };
        let v = volume(s, a)?;
        let name = v.facts().name.clone();
        match algorithm {
            Some(alg) => v.wipe_with(alg),
            None => v.wipe(),
        }
        .map_err(|e| Failure::call(format!("Failed to wipe vol {name}"), e))?;
        extra(s, &format!("Vol {name} wiped"));
        Ok(())
    },
};

pub const VOL_RESIZE: Cmd = Cmd {
    name: "vol-resize",
    group: "volume",
    summary: "grow a volume",
    description: "Grows the disk to CAPACITY (bytes or with a unit), or by it with --delta.",
    opts: &[
        VOL,
        Opt::data("capacity", "the new size (or the growth, with --delta)"),
        IN_POOL,
        Opt::flag("allocate", "allocate the new space at once"),
        Opt::flag("delta", "grow by CAPACITY"),
        Opt::flag("shrink", "allow shrinking"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let text = a.required("capacity");
        // virsh reads a leading '-' as a shrink by that much.
        let (delta, shrink, size) = match text.strip_prefix('-') {
            Some(rest) => (true, true, rest),
            None => (a.flag("delta"), a.flag("shrink"), text),
        };
        let capacity = bytes(size, "capacity")?;
        let mut b = 0;
        for (on, f) in [
            (a.flag("allocate"), ResizeFlags::ALLOCATE),
            (delta, ResizeFlags::DELTA),
            (shrink, ResizeFlags::SHRINK),
        ] {
            if on {
                b |= f.bits();
            }
        }
        let flags = ResizeFlags::checked(b, "virStorageVolResize")?;
        let v = volume(s, a)?;
        let name = v.facts().name.clone();
        v.resize(capacity, flags).map_err(|e| {
            Failure::call(
                format!("Failed to change size of volume '{name}' to {text}"),
                e,
            )
        })?;
        let by = if delta { "by " } else { "to " };
        extra(
            s,
            &format!("Size of volume '{name}' successfully changed {by}{text}"),
        );
        Ok(())
    },
};

/// A transfer's progress line on a terminal, in virsh's job-progress style
/// (`Upload: [ 42 %]` on standard error); nothing when standard error is no terminal.
struct Progress {
    label: &'static str,
    total: u64,
    done: u64,
    shown: Option<u64>,
    on: bool,
}

impl Progress {
    fn new(label: &'static str, total: u64) -> Progress {
        use std::io::IsTerminal;
        Progress {
            label,
            total,
            done: 0,
            shown: None,
            on: std::io::stderr().is_terminal(),
        }
    }

    fn add(&mut self, n: usize) {
        self.done += n as u64;
        let pct = (self.done * 100)
            .checked_div(self.total)
            .unwrap_or(100)
            .min(100);
        if self.on && self.shown != Some(pct) {
            self.shown = Some(pct);
            eprint!("\r{}: [{pct:3} %]", self.label);
        }
    }

    fn finish(self) {
        if self.on {
            eprintln!("\r{}: [100 %]", self.label);
        }
    }
}

/// `--offset` and `--length` of a transfer.
fn range(a: &Args) -> Result<(u64, u64), Failure> {
    let n = |o: &str| {
        a.get(o)
            .map(|v| bytes(v, o))
            .transpose()
            .map(|v| v.unwrap_or(0))
    };
    Ok((n("offset")?, n("length")?))
}

pub const VOL_UPLOAD: Cmd = Cmd {
    name: "vol-upload",
    group: "volume",
    summary: "write a local file into a volume",
    description: "Streams FILE into the volume (a disk takes exactly its capacity, while no VM uses it).",
    opts: &[
        VOL,
        Opt::data("file", "the local file to send"),
        IN_POOL,
        Opt::string("offset", "where in the volume to start"),
        Opt::string("length", "how many bytes to send"),
        Opt::flag("sparse", "keep the file's holes"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let v: Volume = volume(s, a)?;
        let name = v.facts().name.clone();
        let failed = |e| Failure::call(format!("cannot upload to volume {name}"), e);
        let file = a.required("file");
        let mut input = std::fs::File::open(file)
            .map_err(|e| Failure::lines(vec![format!("cannot read {file}: {e}")]))?;
        let (offset, length) = range(a)?;
        let mut up =
            Upload::start(s.conn()?, v.pool(), v.facts(), offset, length).map_err(failed)?;
        let size = input.metadata().map(|m| m.len()).unwrap_or(0);
        let mut progress = Progress::new("Upload", if length > 0 { length } else { size });
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = input
                .read(&mut buf)
                .map_err(|e| Failure::lines(vec![format!("cannot read {file}: {e}")]))?;
            if n == 0 {
                break;
            }
            let mut sent = 0;
            while sent < n {
                sent += up.send(&buf[sent..n]).map_err(failed)?;
            }
            progress.add(n);
        }
        up.finish().map_err(failed)?;
        progress.finish();
        Ok(())
    },
};

pub const VOL_DOWNLOAD: Cmd = Cmd {
    name: "vol-download",
    group: "volume",
    summary: "read a volume into a local file",
    description: "Streams the volume's bytes into FILE.",
    opts: &[
        VOL,
        Opt::data("file", "the local file to write"),
        IN_POOL,
        Opt::string("offset", "where in the volume to start"),
        Opt::string("length", "how many bytes to read"),
        Opt::flag("sparse", "write holes where the volume has them"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let v = volume(s, a)?;
        let name = v.facts().name.clone();
        let failed = |e| Failure::call(format!("cannot download from volume {name}"), e);
        let file = a.required("file");
        let (offset, length) = range(a)?;
        let mut down = Download::start(s.conn()?.as_ref(), v.pool(), v.facts(), offset, length)
            .map_err(failed)?;
        let mut out = std::fs::File::create(file)
            .map_err(|_| Failure::lines(vec![format!("cannot create {file}")]))?;
        let total = if length > 0 {
            length
        } else {
            v.facts().allocation.saturating_sub(offset)
        };
        let mut progress = Progress::new("Download", total);
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = down.recv(&mut buf).map_err(failed)?;
            if n == 0 {
                break;
            }
            out.write_all(&buf[..n])
                .map_err(|e| Failure::lines(vec![format!("cannot write {file}: {e}")]))?;
            progress.add(n);
        }
        down.finish().map_err(failed)?;
        progress.finish();
        Ok(())
    },
};

pub const POOL_AUTOSTART: Cmd = Cmd {
    name: "pool-autostart",
    group: "pool",
    summary: "mount a pool with the host (always so for a datastore)",
    description: "A host always mounts its datastores: marking changes nothing, --disable is refused.",
    opts: &[
        Opt::data("pool", "the pool: its name or UUID"),
        Opt::flag("disable", "do not mount it with the host"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let facts = pool(s, a)?;
        let name = facts.name.clone();
        let on = !a.flag("disable");
        let (done, verb) = super::network::autostart_words(on);
        Pool::new(s.conn()?, facts).set_autostart(on).map_err(|e| {
            Failure::call(format!("failed to {verb} pool {name} as autostarted"), e)
        })?;
        extra(s, &format!("Pool {name} {done}"));
        Ok(())
    },
};

pub const POOL_EDIT: Cmd = Cmd {
    name: "pool-edit",
    group: "pool",
    summary: "edit a pool's XML and define it again",
    description: "Opens the pool's XML in $VISUAL or $EDITOR (else vi) and defines the pool from what is saved.",
    opts: &[Opt::data("pool", "the pool: its name or UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let facts = pool(s, a)?;
        let name = facts.name.clone();
        let before = facts.xml();
        let after = super::edit::edit_text(&before, "xml")?;
        if after == before {
            extra(s, &format!("Pool {name} XML configuration not changed."));
            return Ok(());
        }
        let made = s
            .conn()?
            .create_nfs_pool(&after, "virStoragePoolDefineXML")?;
        extra(s, &format!("Pool {} XML configuration edited.", made.name));
        Ok(())
    },
};
