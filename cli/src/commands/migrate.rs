//! `migrate` (and `domjobabort`): a domain moved to the scope another URI names, through the
//! vCenter both reach, with virsh's progress line (`--verbose`) and `--timeout`.

use super::{DOMAIN, bits, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::{Prompts, Session};
use crate::{Failure, Outcome};
use esx_driver::abi::virDomainMigrateFlags as M;
use esx_driver::driver::Connection;
use esx_driver::driver::domain::Domain;
use esx_driver::driver::domain::migrate::{MigrateOptions, migrate_flags};
use esx_driver::driver::domain::power::PowerOp;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The flag options and their `VIR_MIGRATE_*` bits.
const FLAGS: &[(&str, M)] = &[
    ("live", M::VIR_MIGRATE_LIVE),
    ("p2p", M::VIR_MIGRATE_PEER2PEER),
    ("tunnelled", M::VIR_MIGRATE_TUNNELLED),
    ("persistent", M::VIR_MIGRATE_PERSIST_DEST),
    ("undefinesource", M::VIR_MIGRATE_UNDEFINE_SOURCE),
    ("suspend", M::VIR_MIGRATE_PAUSED),
    ("copy-storage-all", M::VIR_MIGRATE_NON_SHARED_DISK),
    ("copy-storage-inc", M::VIR_MIGRATE_NON_SHARED_INC),
    ("change-protection", M::VIR_MIGRATE_CHANGE_PROTECTION),
    ("unsafe", M::VIR_MIGRATE_UNSAFE),
    ("offline", M::VIR_MIGRATE_OFFLINE),
    ("compressed", M::VIR_MIGRATE_COMPRESSED),
    ("abort-on-error", M::VIR_MIGRATE_ABORT_ON_ERROR),
    ("auto-converge", M::VIR_MIGRATE_AUTO_CONVERGE),
    ("rdma-pin-all", M::VIR_MIGRATE_RDMA_PIN_ALL),
    ("postcopy", M::VIR_MIGRATE_POSTCOPY),
    ("tls", M::VIR_MIGRATE_TLS),
    ("parallel", M::VIR_MIGRATE_PARALLEL),
    (
        "copy-storage-synchronous-writes",
        M::VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES,
    ),
    ("postcopy-resume", M::VIR_MIGRATE_POSTCOPY_RESUME),
    ("zerocopy", M::VIR_MIGRATE_ZEROCOPY),
];

/// virsh's progress line, on standard error.
fn progress(percent: u64) {
    eprint!("\rMigration: [{percent:3} %]");
    let _ = std::io::stderr().flush();
}

/// While the migration runs: the progress every half second (`verbose`), and the domain
/// suspended once `timeout` has passed, as virsh does (a failed suspend changes nothing).
fn watch(dom: Domain, verbose: bool, timeout: Option<Duration>, done: Arc<AtomicBool>) {
    let start = Instant::now();
    let mut suspended = false;
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(500));
        if done.load(Ordering::SeqCst) {
            return;
        }
        if verbose
            && let Ok(j) = dom.job_info()
            && j.running
        {
            progress(j.percent.min(99));
        }
        if let Some(t) = timeout
            && !suspended
            && start.elapsed() >= t
        {
            suspended = true;
            let _ = dom.power(PowerOp::Suspend);
        }
    }
}

pub const MIGRATE: Cmd = Cmd {
    name: "migrate",
    group: "domain",
    summary: "move the domain to another host, cluster or datacenter",
    description: "Moves the domain to the scope DESTURI names (vpx://VC/DC/HOST or a cluster), through the vCenter both URIs reach: vMotion when it runs, cold when it is off.",
    opts: &[
        DOMAIN,
        Opt::data("desturi", "the destination's connection URI"),
        Opt::flag("live", "live migration"),
        Opt::flag("offline", "the definition only"),
        Opt::flag("p2p", "peer to peer: the source opens the destination"),
        Opt::flag("direct", "direct migration"),
        Opt::flag("tunnelled", "tunnelled through the connection"),
        Opt::flag("persistent", "persistent at the destination"),
        Opt::flag("undefinesource", "undefined at the source"),
        Opt::flag("suspend", "paused at the destination"),
        Opt::flag("copy-storage-all", "the disks copied too"),
        Opt::flag("copy-storage-inc", "the disks copied incrementally"),
        Opt::flag(
            "copy-storage-synchronous-writes",
            "synchronous writes while copying disks",
        ),
        Opt::flag("change-protection", "no configuration change meanwhile"),
        Opt::flag("unsafe", "even if unsafe"),
        Opt::flag("verbose", "show the progress"),
        Opt::flag("compressed", "compressed"),
        Opt::flag("auto-converge", "throttle the guest to converge"),
        Opt::flag("rdma-pin-all", "pin all memory for RDMA"),
        Opt::flag("abort-on-error", "abort on I/O errors"),
        Opt::flag("postcopy", "post-copy"),
        Opt::flag(
            "postcopy-after-precopy",
            "switch to post-copy after one pass",
        ),
        Opt::flag("postcopy-resume", "resume a failed post-copy"),
        Opt::flag("zerocopy", "zero-copy"),
        Opt::string("migrateuri", "the migration's own URI"),
        Opt::string("graphicsuri", "the graphics' URI at the destination"),
        Opt::string("listen-address", "the destination's listen address"),
        Opt::string("dname", "the name at the destination"),
        Opt::string("timeout", "suspend the domain after this many seconds"),
        Opt::flag("timeout-suspend", "suspend at the timeout (the default)"),
        Opt::flag("timeout-postcopy", "switch to post-copy at the timeout"),
        Opt::string("xml", "the definition at the destination (a file)"),
        Opt::string("persistent-xml", "the persistent definition (a file)"),
        Opt::flag("tls", "TLS"),
        Opt::flag("parallel", "parallel connections"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let timeout = match a.get("timeout") {
            None => None,
            Some(t) => match t.parse::<u64>() {
                Ok(n) if n > 0 => Some(Duration::from_secs(n)),
                _ => return Err(Failure::lines(vec!["migrate: Invalid timeout".into()])),
            },
        };
        if timeout.is_some() && !a.flag("live") {
            return Err(Failure::lines(vec![
                "migrate: Unexpected timeout for offline migration".into(),
            ]));
        }
        for unsupported in [
            "migrateuri",
            "graphicsuri",
            "listen-address",
            "persistent-xml",
        ] {
            if a.flag(unsupported) {
                return Err(Failure::lines(vec![format!(
                    "argument unsupported: --{unsupported}: vSphere migrates through the vCenter \
                     both URIs reach, with no address or definition of the caller's"
                )]));
            }
        }
        let table: Vec<(&str, u32)> = FLAGS.iter().map(|(n, f)| (*n, *f as u32)).collect();
        let flags = migrate_flags(bits(a, &table), "virDomainMigrate3")?;
        let xml = match a.get("xml") {
            Some(f) => Some(super::read_file(f)?),
            None => None,
        };
        let dom = domain(s, a)?;
        let dest = Connection::open(a.required("desturi"), Some(&Prompts), s.read_only)?;
        let opts = MigrateOptions {
            flags,
            dname: a.get("dname"),
            dxml: xml.as_deref(),
        };
        let done = Arc::new(AtomicBool::new(false));
        let watcher = Domain::new(dom.conn().clone(), dom.cached(), None);
        let (verbose, flag) = (a.flag("verbose"), done.clone());
        let handle = std::thread::spawn(move || watch(watcher, verbose, timeout, flag));
        let moved = dom.migrate(&dest, opts);
        done.store(true, Ordering::SeqCst);
        let _ = handle.join();
        let _ = dest.close();
        moved?;
        if verbose {
            progress(100);
            eprintln!();
        }
        Ok(())
    },
};

pub const DOMJOBABORT: Cmd = Cmd {
    name: "domjobabort",
    group: "domain",
    summary: "cancel the job running on the domain",
    description: "Cancels the vSphere task running on the domain (a migration, for one).",
    opts: &[
        DOMAIN,
        Opt::flag("postcopy", "interrupt a post-copy migration"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        if a.flag("postcopy") {
            return Err(Failure::lines(vec![
                "argument unsupported: vSphere migrations have no post-copy phase".into(),
            ]));
        }
        domain(s, a)?.abort_job()?;
        Ok(())
    },
};
