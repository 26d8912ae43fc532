//! Domain Monitoring commands: `list`, `dominfo`, `domstate`, and the device listings
//! (`domblklist`, `domiflist`) read from the domain's XML as virsh reads them.

use super::{DOMAIN, domain};
use crate::Failure;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Outcome, table};
use esx_driver::abi::flags::DomainXmlFlags;
use esx_driver::abi::flags::ListDomainsFlags as L;
use esx_driver::driver::domain::{PowerState, Vm};
use esx_driver::xml::{Element, Names};

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

/// The `<devices>` children named `kind` of the domain's XML (the inactive definition with
/// `--inactive`).
pub(super) fn devices(s: &mut Session, a: &Args, kind: &str) -> Result<Vec<Element>, Failure> {
    let flags = match a.flag("inactive") {
        true => DomainXmlFlags::INACTIVE,
        false => DomainXmlFlags::empty(),
    };
    elements(s, a, flags, kind)
}

/// The `<devices>` children named `kind` of the domain's XML as `flags` ask for it.
fn elements(
    s: &mut Session,
    a: &Args,
    flags: DomainXmlFlags,
    kind: &str,
) -> Result<Vec<Element>, Failure> {
    let xml = domain(s, a)?.domain_xml(flags)?;
    let mut root = Element::parse(&xml, Names::Qualified).map_err(|e| Failure::lines(vec![e]))?;
    let devices = root
        .children
        .iter_mut()
        .find(|c| c.name == "devices")
        .map(|d| std::mem::take(&mut d.children))
        .unwrap_or_default();
    Ok(devices.into_iter().filter(|d| d.name == kind).collect())
}

/// XPath's `string(./child/@a|./child/@b…)`: the first of those attributes `child` has, in
/// document order.
fn child_attr<'e>(e: &'e Element, child: &str, names: &[&str]) -> Option<&'e str> {
    e.child(child)?
        .attrs
        .iter()
        .find(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, v)| v.as_str())
}

/// A value or virsh's `-` for none.
fn or_dash(v: Option<&str>) -> String {
    v.unwrap_or("-").to_string()
}

pub const DOMBLKLIST: Cmd = Cmd {
    name: "domblklist",
    group: "monitor",
    summary: "the domain's disks, by target and source",
    description: "Lists the domain's disks with their targets and sources (and, with --details, type and device).",
    opts: &[
        DOMAIN,
        Opt::flag("inactive", "from the inactive definition"),
        Opt::flag("details", "add the disk type and device columns"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let details = a.flag("details");
        let mut rows = Vec::new();
        for disk in devices(s, a, "disk")? {
            let target = child_attr(&disk, "target", &["dev"])
                .ok_or_else(|| Failure::lines(vec!["unable to query block list".into()]))?;
            let source = child_attr(&disk, "source", &["file", "dev", "dir", "name", "volume"]);
            let mut row = Vec::new();
            if details {
                row.push(disk.attr("type").unwrap_or_default().to_string());
                row.push(disk.attr("device").unwrap_or_default().to_string());
            }
            row.extend([target.to_string(), or_dash(source)]);
            rows.push(row);
        }
        let header: &[&str] = match details {
            true => &["Type", "Device", "Target", "Source"],
            false => &["Target", "Source"],
        };
        print!("{}", table::render(header, &rows, s.quiet));
        Ok(())
    },
};

pub const DOMIFLIST: Cmd = Cmd {
    name: "domiflist",
    group: "monitor",
    summary: "the domain's network interfaces",
    description: "Lists the domain's NICs: host device, type, source network, model and MAC address.",
    opts: &[
        DOMAIN,
        Opt::flag("inactive", "from the inactive definition"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let rows: Vec<Vec<String>> = devices(s, a, "interface")?
            .iter()
            .map(|nic| {
                let source =
                    child_attr(nic, "source", &["bridge", "dev", "network", "name", "path"]);
                vec![
                    or_dash(child_attr(nic, "target", &["dev"])),
                    nic.attr("type").unwrap_or_default().to_string(),
                    or_dash(source),
                    or_dash(child_attr(nic, "model", &["type"])),
                    or_dash(child_attr(nic, "mac", &["address"])),
                ]
            })
            .collect();
        let header = ["Interface", "Type", "Source", "Model", "MAC"];
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};

/// A MAC address as libvirt parses one: six hexadecimal bytes separated by ':'.
fn is_mac(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_hexdigit()))
}

pub const DOMIF_GETLINK: Cmd = Cmd {
    name: "domif-getlink",
    group: "monitor",
    summary: "the link state of a domain's network interface",
    description: "Shows whether the NIC (by MAC address or device name) is connected: up or down.",
    opts: &[
        DOMAIN,
        Opt::data("interface", "the NIC: its MAC address or device name"),
        Opt::flag("config", "from the definition used at the next start"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let key = a.required("interface");
        let flags = match a.flag("config") {
            true => DomainXmlFlags::INACTIVE,
            false => DomainXmlFlags::empty(),
        };
        let nics = elements(s, a, flags, "interface")?;
        let (by_mac, what) = match is_mac(key) {
            true => (true, "mac"),
            false => (false, "dev"),
        };
        let nic = nics.iter().find(|n| match by_mac {
            true => child_attr(n, "mac", &["address"]).is_some_and(|m| m.eq_ignore_ascii_case(key)),
            false => child_attr(n, "target", &["dev"]) == Some(key),
        });
        let Some(nic) = nic else {
            return Err(Failure::lines(vec![format!(
                "Interface ({what}: {key}) not found."
            )]));
        };
        print!(
            "{key} {}",
            child_attr(nic, "link", &["state"]).unwrap_or("up")
        );
        Ok(())
    },
};

pub const VNCDISPLAY: Cmd = Cmd {
    name: "vncdisplay",
    group: "domain",
    summary: "the VNC display of a running domain",
    description: "Shows the address and display number of the domain's VNC server (RemoteDisplay.vnc).",
    opts: &[DOMAIN, Opt::flag("include-password", "add the password")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let flags = match a.flag("include-password") {
            true => DomainXmlFlags::SECURE,
            false => DomainXmlFlags::empty(),
        };
        if domain(s, a)?.current_state()?.id() == -1 {
            return Err(Failure::lines(vec!["Domain is not running".into()]));
        }
        let vnc = elements(s, a, flags, "graphics")?
            .into_iter()
            .find(|g| g.attr("type") == Some("vnc"));
        let port = vnc
            .as_ref()
            .and_then(|g| g.attr("port"))
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| *p > 0)
            .ok_or_else(|| {
                Failure::lines(vec![
                    "Failed to get VNC port. Is this domain using VNC?".into(),
                ])
            })?;
        let vnc = vnc.expect("a port was found");
        let listen = vnc
            .attr("listen")
            .filter(|l| !matches!(*l, "0.0.0.0" | "::"))
            .unwrap_or("");
        match vnc.attr("passwd").filter(|_| a.flag("include-password")) {
            Some(pw) => println!(":{pw}@{listen}:{}", port - 5900),
            None => println!("{listen}:{}", port - 5900),
        }
        Ok(())
    },
};
