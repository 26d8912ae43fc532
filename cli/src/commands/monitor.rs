//! Domain Monitoring commands: `list`, `dominfo`, `domstate`, as virsh prints them.

use super::{DOMAIN, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Outcome, table};
use esx_driver::abi::flags::ListDomainsFlags as L;
use esx_driver::driver::domain::{PowerState, Vm};

/// virsh's words for a state's reason (the ESX driver's states only).
fn reason(vm: &Vm) -> &'static str {
    const RUNNING: &[&str] = &["unknown", "booted", "migrated", "restored", "from snapshot"];
    const PAUSED: &[&str] = &["unknown", "user", "migrating", "saving", "dumping"];
    const SHUTOFF: &[&str] = &["unknown", "shutdown", "destroyed", "crashed", "migrated"];
    let words = match vm.state {
        PowerState::PoweredOn => RUNNING,
        PowerState::Suspended => PAUSED,
        PowerState::PoweredOff => SHUTOFF,
    };
    words
        .get(vm.state.libvirt_reason() as usize)
        .copied()
        .unwrap_or("unknown")
}

pub const DOMSTATE: Cmd = Cmd {
    name: "domstate",
    group: "monitor",
    summary: "the state of a domain",
    description: "Shows whether the domain runs, is paused or is shut off.",
    opts: &[DOMAIN, Opt::flag("reason", "add why it is in that state")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let vm = domain(s, a)?.current_state()?;
        match a.flag("reason") {
            true => println!("{} ({})", vm.state.libvirt_name(), reason(&vm)),
            false => println!("{}", vm.state.libvirt_name()),
        }
        Ok(())
    },
};

pub const DOMINFO: Cmd = Cmd {
    name: "dominfo",
    group: "monitor",
    summary: "facts about a domain",
    description: "Shows the domain's identity, state, CPUs, memory, persistence, autostart and managed save.",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let vm = dom.current()?;
        let cpu_time = dom.cpu_time(&vm)?;
        let id = match vm.id() {
            -1 => "-".to_string(),
            id => id.to_string(),
        };
        let yes = |b: bool| if b { "yes" } else { "no" };
        println!("{:<15} {id}", "Id:");
        println!("{:<15} {}", "Name:", vm.name);
        println!("{:<15} {}", "UUID:", vm.uuid);
        println!("{:<15} hvm", "OS Type:");
        println!("{:<15} {}", "State:", vm.state.libvirt_name());
        println!("{:<15} {}", "CPU(s):", vm.num_cpu.max(0));
        if cpu_time != 0 {
            println!("{:<15} {:.1}s", "CPU time:", cpu_time as f64 / 1e9);
        }
        println!("{:<15} {} KiB", "Max memory:", vm.max_memory_kib());
        println!("{:<15} {} KiB", "Used memory:", vm.memory_kib());
        println!("{:<15} yes", "Persistent:");
        let autostart = if dom.autostart()? {
            "enable"
        } else {
            "disable"
        };
        println!("{:<15} {autostart}", "Autostart:");
        println!("{:<15} {}", "Managed save:", yes(dom.has_managed_save()?));
        Ok(())
    },
};

/// `list`'s filter options and the libvirt flag each sets.
const FILTERS: &[(&str, L)] = &[
    ("transient", L::TRANSIENT),
    ("persistent", L::PERSISTENT),
    ("with-snapshot", L::HAS_SNAPSHOT),
    ("without-snapshot", L::NO_SNAPSHOT),
    ("with-checkpoint", L::HAS_CHECKPOINT),
    ("without-checkpoint", L::NO_CHECKPOINT),
    ("state-running", L::RUNNING),
    ("state-paused", L::PAUSED),
    ("state-shutoff", L::SHUTOFF),
    ("state-other", L::OTHER),
    ("autostart", L::AUTOSTART),
    ("no-autostart", L::NO_AUTOSTART),
    ("with-managed-save", L::MANAGEDSAVE),
    ("without-managed-save", L::NO_MANAGEDSAVE),
];

pub const LIST: Cmd = Cmd {
    name: "list",
    group: "monitor",
    summary: "the domains, as a table or one per line",
    description: "Lists the running domains, or those the filters select.",
    opts: &[
        Opt::flag("inactive", "the domains that are not running"),
        Opt::flag("all", "every domain, running or not"),
        Opt::flag("transient", "transient domains only"),
        Opt::flag("persistent", "persistent domains only"),
        Opt::flag("with-snapshot", "domains that have a snapshot"),
        Opt::flag("without-snapshot", "domains that have no snapshot"),
        Opt::flag("with-checkpoint", "domains that have a checkpoint"),
        Opt::flag("without-checkpoint", "domains that have no checkpoint"),
        Opt::flag("state-running", "running domains"),
        Opt::flag("state-paused", "paused domains"),
        Opt::flag("state-shutoff", "shut off domains"),
        Opt::flag("state-other", "domains in any other state"),
        Opt::flag("autostart", "domains that start with the host"),
        Opt::flag("no-autostart", "domains that do not start with the host"),
        Opt::flag("with-managed-save", "domains with a managed save"),
        Opt::flag("without-managed-save", "domains without a managed save"),
        Opt::flag("uuid", "print UUIDs instead of the table"),
        Opt::flag("name", "print names instead of the table"),
        Opt::flag(
            "id",
            "print the IDs of running domains instead of the table",
        ),
        Opt::flag("table", "print the table (the default)"),
        Opt::flag("managed-save", "show a managed save in the state column"),
        Opt::flag("title", "add the title column"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let mut flags = match (a.flag("inactive"), a.flag("all")) {
            (_, true) => L::empty(),
            (true, false) => L::INACTIVE,
            (false, false) => L::ACTIVE,
        };
        for (name, bit) in FILTERS {
            if a.flag(name) {
                flags |= *bit;
            }
        }
        let mut vms: Vec<Vm> = s
            .conn()?
            .domains(flags)?
            .iter()
            .map(|d| d.cached())
            .collect();
        // virsh's order: running domains by ID, then the others by name.
        vms.sort_by(|x, y| {
            let key = |v: &Vm| (v.id() < 0, v.id(), v.name.to_lowercase());
            key(x).cmp(&key(y))
        });
        let id = |v: &Vm| match v.id() {
            -1 => "-".to_string(),
            n => n.to_string(),
        };
        let (ids, uuids, names) = (a.flag("id"), a.flag("uuid"), a.flag("name"));
        if ids || uuids || names {
            for v in vms.iter().filter(|v| !ids || v.id() >= 0) {
                let mut fields = Vec::new();
                if ids {
                    fields.push(id(v));
                }
                if uuids {
                    fields.push(v.uuid.to_string());
                }
                if names {
                    fields.push(v.name.clone());
                }
                println!("{}", fields.join(" "));
            }
            return Ok(());
        }
        let title = a.flag("title");
        let mut header = vec!["Id", "Name", "State"];
        if title {
            header.push("Title");
        }
        let rows: Vec<Vec<String>> = vms
            .iter()
            .map(|v| {
                let mut row = vec![id(v), v.name.clone(), v.state.libvirt_name().to_string()];
                if title {
                    row.push(String::new());
                }
                row
            })
            .collect();
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};
