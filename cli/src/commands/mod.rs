//! The command table, virsh's names and options, one file per group as virsh groups them
//! (`domain`, `monitor`, `host`); `help` renders it.

mod builtins;
mod complete;
mod console;
mod devices;
mod domain;
mod edit;
mod events;
mod guest;
mod host;
mod keys;
mod lifecycle;
mod migrate;
mod monitor;
mod network;
mod nodedev;
mod snapshot;
mod stats;
mod storage;
mod storage_ops;
mod tune;

use crate::Failure;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use esx_driver::driver::domain::Domain;
use esx_driver::xml::ids::Uuid;

/// The `<domain>` option most commands take.
const DOMAIN: Opt = Opt::data("domain", "the domain: its name, ID or UUID");

/// virsh's `--live` / `--config` / `--current` options of the commands that change a domain.
const LIVE: Opt = Opt::flag("live", "the running domain");
const CONFIG: Opt = Opt::flag("config", "the definition used at the next start");
const CURRENT: Opt = Opt::flag(
    "current",
    "the running domain when it runs, else the definition",
);

/// Every command, in the order `help` lists them within their group.
pub static TABLE: &[Cmd] = &[
    devices::ATTACH_DEVICE,
    devices::ATTACH_DISK,
    devices::ATTACH_INTERFACE,
    lifecycle::AUTOSTART,
    tune::BLKDEVIOTUNE,
    tune::BLKIOTUNE,
    tune::BLOCKRESIZE,
    devices::CHANGE_MEDIA,
    console::CONSOLE,
    lifecycle::CREATE,
    domain::DEFINE,
    lifecycle::DESC,
    domain::DESTROY,
    devices::DETACH_DEVICE,
    devices::DETACH_DEVICE_ALIAS,
    devices::DETACH_DISK,
    devices::DETACH_INTERFACE,
    guest::DOMFSINFO,
    domain::DOMHOSTNAME,
    tune::DOMIFTUNE,
    domain::DOMID,
    domain::DOMNAME,
    domain::DOMUUID,
    lifecycle::DOMRENAME,
    lifecycle::DOMXML_FROM_NATIVE,
    lifecycle::DOMXML_TO_NATIVE,
    migrate::DOMJOBABORT,
    guest::GUESTINFO,
    domain::DUMPXML,
    edit::EDIT,
    lifecycle::MANAGEDSAVE,
    lifecycle::MANAGEDSAVE_REMOVE,
    lifecycle::METADATA,
    migrate::MIGRATE,
    domain::REBOOT,
    domain::RESET,
    domain::RESUME,
    lifecycle::SCREENSHOT,
    keys::SEND_KEY,
    lifecycle::SETMAXMEM,
    lifecycle::SETMEM,
    lifecycle::SETVCPUS,
    stats::DOMJOBINFO,
    stats::MEMTUNE,
    stats::VCPUCOUNT,
    stats::VCPUINFO,
    tune::SCHEDINFO,
    tune::VCPUPIN,
    tune::EMULATORPIN,
    domain::SHUTDOWN,
    domain::START,
    domain::SUSPEND,
    domain::UNDEFINE,
    monitor::VNCDISPLAY,
    devices::UPDATE_DEVICE,
    stats::CPU_STATS,
    stats::DOMBLKINFO,
    monitor::DOMBLKLIST,
    stats::DOMBLKSTAT,
    stats::DOMCONTROL,
    monitor::DOMIF_GETLINK,
    stats::DOMIFSTAT,
    monitor::DOMIFLIST,
    monitor::DOMINFO,
    stats::DOMMEMSTAT,
    monitor::DOMSTATE,
    stats::DOMSTATS,
    monitor::LIST,
    events::EVENT,
    host::CAPABILITIES,
    host::CPU_MODELS,
    host::DOMCAPABILITIES,
    host::FREECELL,
    host::HOSTNAME,
    host::HYPERVISOR_CPU_BASELINE,
    host::HYPERVISOR_CPU_COMPARE,
    host::MAXVCPUS,
    host::NODECPUSTATS,
    host::NODEINFO,
    host::NODEMEMSTATS,
    host::SYSINFO,
    host::URI,
    host::VERSION,
    network::IFACE_DUMPXML,
    network::IFACE_LIST,
    network::IFACE_MAC,
    network::IFACE_NAME,
    network::NET_AUTOSTART,
    network::NET_DEFINE,
    network::NET_DUMPXML,
    network::NET_EDIT,
    network::NET_INFO,
    network::NET_LIST,
    network::NET_NAME,
    network::NET_UNDEFINE,
    network::NET_UPDATE,
    network::NET_UUID,
    nodedev::NODEDEV_DETACH,
    nodedev::NODEDEV_DUMPXML,
    nodedev::NODEDEV_LIST,
    nodedev::NODEDEV_REATTACH,
    snapshot::SNAPSHOT_CREATE,
    snapshot::SNAPSHOT_CREATE_AS,
    snapshot::SNAPSHOT_CURRENT,
    snapshot::SNAPSHOT_DELETE,
    snapshot::SNAPSHOT_DUMPXML,
    snapshot::SNAPSHOT_INFO,
    snapshot::SNAPSHOT_LIST,
    snapshot::SNAPSHOT_PARENT,
    snapshot::SNAPSHOT_REVERT,
    storage_ops::POOL_AUTOSTART,
    storage_ops::POOL_CREATE,
    storage_ops::POOL_CREATE_AS,
    storage_ops::POOL_DEFINE,
    storage_ops::POOL_DEFINE_AS,
    storage_ops::POOL_DESTROY,
    storage::POOL_DUMPXML,
    storage_ops::POOL_EDIT,
    storage::POOL_INFO,
    storage::POOL_LIST,
    storage::POOL_NAME,
    storage_ops::POOL_REFRESH,
    storage_ops::POOL_UNDEFINE,
    storage::POOL_UUID,
    storage_ops::VOL_CLONE,
    storage_ops::VOL_CREATE,
    storage_ops::VOL_CREATE_AS,
    storage_ops::VOL_CREATE_FROM,
    storage_ops::VOL_DELETE,
    storage_ops::VOL_DOWNLOAD,
    storage::VOL_DUMPXML,
    storage::VOL_INFO,
    storage::VOL_KEY,
    storage::VOL_LIST,
    storage::VOL_NAME,
    storage::VOL_PATH,
    storage::VOL_POOL,
    storage_ops::VOL_RESIZE,
    storage_ops::VOL_UPLOAD,
    storage_ops::VOL_WIPE,
    builtins::CD,
    complete::COMPLETE,
    Cmd {
        name: "connect",
        group: "virsh",
        summary: "connect to another hypervisor, or again",
        description: "Closes the connection and opens one to URI (the default URI without one).",
        opts: &[
            Opt::optional("name", "the connection URI"),
            Opt::flag("readonly", "a read-only connection"),
        ],
        run: |s: &mut Session, a: &Args| -> crate::Outcome {
            s.close();
            s.uri = a.get("name").map(str::to_string);
            s.read_only = a.flag("readonly");
            s.conn().map(drop)
        },
    },
    builtins::ECHO,
    builtins::EXIT,
    Cmd {
        name: "help",
        group: "virsh",
        summary: "show the commands, a group of them, or one",
        description: "Lists every command by group; given a group keyword, that group; given a command, its synopsis and options.",
        opts: &[Opt {
            positional: true,
            required: false,
            ..Opt::string("command", "a command or a group keyword")
        }],
        run: crate::help::cmd_help,
    },
    builtins::PWD,
    builtins::QUIT,
];

/// How virsh finds the domain an option names.
#[derive(Clone, Copy)]
struct By {
    id: bool,
    uuid: bool,
    name: bool,
}

const ANY: By = By {
    id: true,
    uuid: true,
    name: true,
};

/// The domain `--domain` names, looked up as virsh does: an ID, then a UUID, then a name.
fn domain_by(s: &mut Session, a: &Args, by: By) -> Result<Domain, Failure> {
    lookup(s, a.required("domain"), by)
}

/// The domain `key` names: an ID, then a UUID, then a name, as `by` allows.
fn lookup(s: &mut Session, key: &str, by: By) -> Result<Domain, Failure> {
    let conn = s.conn()?;
    let found = key
        .parse::<i32>()
        .ok()
        .filter(|id| by.id && *id >= 0)
        .and_then(|id| conn.domain_by_id(id).ok())
        .or_else(|| {
            Uuid::parse(key)
                .filter(|_| by.uuid)
                .and_then(|u| conn.domain_by_uuid(&u).ok())
        })
        .or_else(|| by.name.then(|| conn.domain_by_name(key).ok()).flatten());
    found.ok_or_else(|| Failure::lines(vec![format!("failed to get domain '{key}'")]))
}

/// The domain `--domain` names, by ID, UUID or name.
fn domain(s: &mut Session, a: &Args) -> Result<Domain, Failure> {
    domain_by(s, a, ANY)
}

/// A size as virsh shows it to people (`vshPrettyCapacity`): bytes, KiB … EiB, with
/// `decimals` digits after the point.
fn pretty(bytes: u64, decimals: usize) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.decimals$} {}", UNITS[unit])
}

/// virsh's lookup of a named object: each way tried in turn (`None`: the way does not apply
/// to the key), the first found; else virsh's `failed` line and the last lookup's error.
fn first_found<T>(
    failed: String,
    ways: &[&dyn Fn() -> Option<esx_driver::Result<T>>],
) -> Result<T, Failure> {
    let mut last = None;
    for way in ways {
        match way() {
            Some(Ok(found)) => return Ok(found),
            Some(Err(e)) => last = Some(e),
            None => {}
        }
    }
    Err(Failure::lines(
        [failed]
            .into_iter()
            .chain(last.map(|e| e.message()))
            .collect(),
    ))
}

/// A size as virsh reads one (`vshCommandOptScaledInt`): an integer with an optional unit
/// (b, k/KiB, M/MiB, G/GiB, T/TiB in powers of two; KB, MB, GB, TB in powers of ten), in
/// `default_scale`s when none, as bytes.
fn scaled(text: &str, option: &str, default_scale: u64) -> Result<u64, Failure> {
    let bad = || {
        Failure::lines(vec![format!(
            "Numeric value '{text}' for <{option}> option is malformed or out of range"
        )])
    };
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let scale: u64 = match unit {
        "" => default_scale,
        "b" | "B" | "bytes" => 1,
        "k" | "K" | "KiB" => 1 << 10,
        "KB" => 1000,
        "M" | "m" | "MiB" => 1 << 20,
        "MB" => 1_000_000,
        "G" | "g" | "GiB" => 1 << 30,
        "GB" => 1_000_000_000,
        "T" | "t" | "TiB" => 1 << 40,
        "TB" => 1_000_000_000_000,
        _ => return Err(bad()),
    };
    n.checked_mul(scale).ok_or_else(bad)
}

/// The text with one final newline, as virsh prints a document.
fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The bits of the flag options given, from a table of (option, bit).
fn bits(a: &Args, table: &[(&str, u32)]) -> u32 {
    table
        .iter()
        .filter(|(name, _)| a.flag(name))
        .fold(0, |acc, (_, bit)| acc | bit)
}

/// A file a command reads (XML to define or create from), with virsh's error when it cannot.
fn read_file(path: &str) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        let why = e.to_string();
        let why = why.split(" (os error").next().unwrap_or_default();
        Failure::lines(vec![format!("Failed to open file '{path}': {why}")])
    })
}

/// Prints virsh's extra words that the run's final newline ends (left out with `--quiet`).
fn extra_line(s: &Session, text: &str) {
    if !s.quiet {
        print!("{text}");
    }
}

/// Prints virsh's extra line (left out with `--quiet`).
fn extra(s: &Session, text: &str) {
    if !s.quiet {
        println!("{text}");
    }
}
