//! Storage Pool and Storage Volume commands over datastores and their files: listings, facts
//! and XML, with virsh's lookups (a pool by UUID or name, a volume by name in `--pool`, else by
//! key or path) and its errors.

use super::{first_found, pretty, with_newline};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::abi::flags::ListPoolsFlags as F;
use esx_driver::abi::virStoragePoolState as St;
use esx_driver::driver::storage::{Pool, PoolFacts, Volume};
use esx_driver::xml::ids::Uuid;

const POOL: Opt = Opt::data("pool", "the pool: its name or UUID");

/// The pool `key` names: by UUID when it is one (a UUID not found is not reported), else by
/// name (`by_name`); virsh's lines when neither finds it.
fn pool_named(s: &mut Session, key: &str, by_name: bool) -> Result<PoolFacts, Failure> {
    let conn = s.conn()?;
    first_found(
        format!("failed to get pool '{key}'"),
        &[
            &|| {
                Uuid::parse(key)
                    .and_then(|u| conn.pool_by_uuid(&u).ok())
                    .map(Ok)
            },
            &|| by_name.then(|| conn.pool_by_name(key)),
        ],
    )
}

/// The pool `--pool` names.
pub(super) fn pool(s: &mut Session, a: &Args) -> Result<PoolFacts, Failure> {
    pool_named(s, a.required("pool"), true)
}

/// The volume `--vol` names: by name in `--pool` when given, else by key, then by path.
pub(super) fn volume(s: &mut Session, a: &Args) -> Result<Volume, Failure> {
    volume_in(s, a, "vol", "pool")
}

/// The volume option `vol` names, in the pool option `pool` names when given.
pub(super) fn volume_in(
    s: &mut Session,
    a: &Args,
    vol: &str,
    pool: &str,
) -> Result<Volume, Failure> {
    let key = a.required(vol);
    let conn = s.conn()?;
    let in_pool = match a.get(pool) {
        Some(p) => Some(Pool::new(conn.clone(), pool_named(s, p, true)?)),
        None => None,
    };
    let failed = match in_pool {
        Some(_) => format!("failed to get vol '{key}'"),
        None => format!("failed to get vol '{key}', specifying --{pool} might help"),
    };
    first_found(
        failed,
        &[
            &|| in_pool.as_ref().map(|p| p.volume_by_name(key)),
            &|| Some(conn.volume_by_key(key)),
            &|| Some(conn.volume_by_path(key)),
        ],
    )
}

/// virsh's word for a pool's state.
fn state_word(f: &PoolFacts) -> &'static str {
    match f.state() {
        St::VIR_STORAGE_POOL_INACTIVE => "inactive",
        St::VIR_STORAGE_POOL_BUILDING => "building",
        St::VIR_STORAGE_POOL_RUNNING => "running",
        St::VIR_STORAGE_POOL_DEGRADED => "degraded",
        St::VIR_STORAGE_POOL_INACCESSIBLE => "inaccessible",
    }
}

/// `--type`'s pool type names and their flags.
const TYPES: &[(&str, F)] = &[
    ("dir", F::DIR),
    ("fs", F::FS),
    ("netfs", F::NETFS),
    ("logical", F::LOGICAL),
    ("disk", F::DISK),
    ("iscsi", F::ISCSI),
    ("iscsi-direct", F::ISCSI_DIRECT),
    ("scsi", F::SCSI),
    ("mpath", F::MPATH),
    ("rbd", F::RBD),
    ("sheepdog", F::SHEEPDOG),
    ("gluster", F::GLUSTER),
    ("zfs", F::ZFS),
    ("vstorage", F::VSTORAGE),
];

pub const POOL_LIST: Cmd = Cmd {
    name: "pool-list",
    group: "pool",
    summary: "the storage pools (datastores)",
    description: "Lists the datastores as pools: active ones, or those the filters keep.",
    opts: &[
        Opt::flag("inactive", "inactive pools"),
        Opt::flag("all", "active and inactive pools"),
        Opt::flag("transient", "transient pools"),
        Opt::flag("persistent", "persistent pools"),
        Opt::flag("autostart", "pools started with the host"),
        Opt::flag("no-autostart", "pools not started with the host"),
        Opt::string("type", "only these pool types (comma-separated)"),
        Opt::flag("details", "add state, persistence and sizes"),
        Opt::flag("uuid", "UUIDs only"),
        Opt::flag("name", "names only"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("all", "inactive")?;
        a.exclusive("details", "uuid")?;
        a.exclusive("details", "name")?;
        let mut flags = match (a.flag("all"), a.flag("inactive")) {
            (true, _) => F::ACTIVE | F::INACTIVE,
            (false, true) => F::INACTIVE,
            (false, false) => F::ACTIVE,
        };
        for (opt, f) in [
            ("transient", F::TRANSIENT),
            ("persistent", F::PERSISTENT),
            ("autostart", F::AUTOSTART),
            ("no-autostart", F::NO_AUTOSTART),
        ] {
            if a.flag(opt) {
                flags |= f;
            }
        }
        for t in a.get("type").into_iter().flat_map(|t| t.split(',')) {
            let (_, f) = TYPES
                .iter()
                .find(|(n, _)| *n == t)
                .ok_or_else(|| Failure::lines(vec![format!("Invalid pool type '{t}'")]))?;
            flags |= *f;
        }
        let mut pools: Vec<PoolFacts> = s
            .conn()?
            .list_pools()
            .map_err(|e| Failure::call("Failed to list pools", e))?
            .into_iter()
            .filter(|p| p.keeps(flags))
            .collect();
        pools.sort_by_key(|p| p.name.to_ascii_lowercase());
        let (uuids, names) = (a.flag("uuid"), a.flag("name"));
        if uuids || names {
            for p in &pools {
                match (uuids, names) {
                    (true, true) => println!("{:<36} {:<20}", p.uuid, p.name),
                    (true, false) => println!("{:<36}", p.uuid),
                    _ => println!("{:<20}", p.name),
                }
            }
            return Ok(());
        }
        let details = a.flag("details");
        let rows: Vec<Vec<String>> = pools
            .iter()
            .map(|p| {
                if !details {
                    return vec![p.name.clone(), "active".into(), "yes".into()];
                }
                let (capacity, allocation, available) = p.sizes();
                let size = |v: u64| match p.state() {
                    St::VIR_STORAGE_POOL_RUNNING | St::VIR_STORAGE_POOL_DEGRADED => pretty(v, 2),
                    _ => "-".into(),
                };
                vec![
                    p.name.clone(),
                    state_word(p).into(),
                    "yes".into(),
                    "yes".into(),
                    size(capacity),
                    size(allocation),
                    size(available),
                ]
            })
            .collect();
        let header: &[&str] = match details {
            true => &[
                "Name",
                "State",
                "Autostart",
                "Persistent",
                "Capacity",
                "Allocation",
                "Available",
            ],
            false => &["Name", "State", "Autostart"],
        };
        print!("{}", table::render(header, &rows, s.quiet));
        Ok(())
    },
};

pub const POOL_INFO: Cmd = Cmd {
    name: "pool-info",
    group: "pool",
    summary: "facts about a storage pool",
    description: "Shows the pool's name, UUID, state, persistence, autostart and sizes.",
    opts: &[POOL, Opt::flag("bytes", "sizes in bytes")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let f = pool(s, a)?;
        println!("{:<15} {}", "Name:", f.name);
        println!("{:<15} {}", "UUID:", f.uuid);
        println!("{:<15} {}", "State:", state_word(&f));
        println!("{:<15} yes", "Persistent:");
        println!("{:<15} yes", "Autostart:");
        if matches!(
            f.state(),
            St::VIR_STORAGE_POOL_RUNNING | St::VIR_STORAGE_POOL_DEGRADED
        ) {
            let (capacity, allocation, available) = f.sizes();
            for (label, v) in [
                ("Capacity:", capacity),
                ("Allocation:", allocation),
                ("Available:", available),
            ] {
                match a.flag("bytes") {
                    true => println!("{label:<15} {v}"),
                    false => println!("{label:<15} {}", pretty(v, 2)),
                }
            }
        }
        Ok(())
    },
};

pub const POOL_DUMPXML: Cmd = Cmd {
    name: "pool-dumpxml",
    group: "pool",
    summary: "a storage pool's XML",
    description: "",
    opts: &[
        POOL,
        Opt::flag("inactive", "the definition rather than the running pool"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        print!("{}", with_newline(pool(s, a)?.xml()));
        Ok(())
    },
};

pub const POOL_UUID: Cmd = Cmd {
    name: "pool-uuid",
    group: "pool",
    summary: "a storage pool's UUID",
    description: "",
    opts: &[Opt::data("pool", "the pool's name")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let f = pool(s, a)?;
        println!("{}", f.uuid);
        Ok(())
    },
};

pub const POOL_NAME: Cmd = Cmd {
    name: "pool-name",
    group: "pool",
    summary: "a storage pool's name",
    description: "",
    opts: &[Opt::data("pool", "the pool's UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let f = pool_named(s, a.required("pool"), false)?;
        println!("{}", f.name);
        Ok(())
    },
};

pub const VOL_LIST: Cmd = Cmd {
    name: "vol-list",
    group: "volume",
    summary: "the volumes (disks, images) of a pool",
    description: "Lists the pool's volumes with their paths (and, with --details, type and sizes).",
    opts: &[POOL, Opt::flag("details", "add the type and sizes")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let p = Pool::new(s.conn()?, pool(s, a)?);
        let mut vols: Vec<_> = p
            .volumes()
            .map_err(|e| Failure::call("Failed to list storage volumes", e))?
            .into_iter()
            .map(Volume::into_facts)
            .collect();
        vols.sort_by_key(|v| v.name.to_ascii_lowercase());
        let details = a.flag("details");
        let rows: Vec<Vec<String>> = vols
            .iter()
            .map(|v| {
                let mut row = vec![v.name.clone(), v.path()];
                if details {
                    row.extend([
                        vol_type(v.kind.is_lun()).into(),
                        pretty(v.capacity, 2),
                        pretty(v.allocation, 2),
                    ]);
                }
                row
            })
            .collect();
        let header: &[&str] = match details {
            true => &["Name", "Path", "Type", "Capacity", "Allocation"],
            false => &["Name", "Path"],
        };
        print!("{}", table::render(header, &rows, s.quiet));
        Ok(())
    },
};

/// virsh's word for a volume's type: a LUN is a block device, anything else a file.
fn vol_type(lun: bool) -> &'static str {
    if lun { "block" } else { "file" }
}

const VOL: Opt = Opt::data("vol", "the volume: its name (with --pool), key or path");
const IN_POOL: Opt = Opt::string("pool", "the pool the volume is in");

pub const VOL_INFO: Cmd = Cmd {
    name: "vol-info",
    group: "volume",
    summary: "facts about a storage volume",
    description: "Shows the volume's name, type, capacity and allocation.",
    opts: &[
        VOL,
        IN_POOL,
        Opt::flag("bytes", "sizes in bytes"),
        Opt::flag("physical", "the physical size instead of the allocation"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let v = volume(s, a)?;
        println!("{:<15} {}", "Name:", v.facts().name);
        let f = v.current()?;
        println!("{:<15} {}", "Type:", vol_type(f.kind.is_lun()));
        let second = if a.flag("physical") {
            "Physical:"
        } else {
            "Allocation:"
        };
        for (label, n) in [("Capacity:", f.capacity), (second, f.allocation)] {
            match a.flag("bytes") {
                true => println!("{label:<15} {n} bytes"),
                false => println!("{label:<15} {}", pretty(n, 2)),
            }
        }
        Ok(())
    },
};

pub const VOL_DUMPXML: Cmd = Cmd {
    name: "vol-dumpxml",
    group: "volume",
    summary: "a storage volume's XML",
    description: "",
    opts: &[VOL, IN_POOL],
    run: |s: &mut Session, a: &Args| -> Outcome {
        print!("{}", with_newline(volume(s, a)?.xml()?));
        Ok(())
    },
};

pub const VOL_PATH: Cmd = Cmd {
    name: "vol-path",
    group: "volume",
    summary: "a storage volume's path",
    description: "",
    opts: &[VOL, IN_POOL],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", volume(s, a)?.facts().path());
        Ok(())
    },
};

pub const VOL_KEY: Cmd = Cmd {
    name: "vol-key",
    group: "volume",
    summary: "a storage volume's key",
    description: "",
    opts: &[VOL, IN_POOL],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", volume(s, a)?.key()?);
        Ok(())
    },
};

pub const VOL_NAME: Cmd = Cmd {
    name: "vol-name",
    group: "volume",
    summary: "a storage volume's name, from its key or path",
    description: "",
    opts: &[Opt::data("vol", "the volume's key or path")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        println!("{}", volume(s, a)?.facts().name);
        Ok(())
    },
};

pub const VOL_POOL: Cmd = Cmd {
    name: "vol-pool",
    group: "volume",
    summary: "the pool a storage volume is in",
    description: "",
    opts: &[
        Opt::data("vol", "the volume's key or path"),
        Opt::flag("uuid", "the pool's UUID instead of its name"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let v = volume(s, a)?;
        match a.flag("uuid") {
            true => println!("{}", v.pool().uuid),
            false => println!("{}", v.pool().name),
        }
        Ok(())
    },
};
