//! Domain Management commands: identity (`domid`, `domname`, `domuuid`), power (`start`,
//! `shutdown`, `destroy`, `suspend`, `resume`, `reboot`, `reset`) and definitions (`dumpxml`,
//! `define`, `undefine`), with virsh's messages.

use super::{ANY, By, DOMAIN, bits, domain, domain_by, extra, read_file, with_newline};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::{CheckedFlags, DomainXmlFlags, UndefineFlags as U};
use esx_driver::abi::virDomainXMLFlags as X;
use esx_driver::driver::domain::power::PowerOp;

pub const DOMID: Cmd = Cmd {
    name: "domid",
    group: "domain",
    summary: "the ID of a domain given by name or UUID",
    description: "",
    opts: &[Opt::data("domain", "the domain: its name or UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let by = By { id: false, ..ANY };
        match domain_by(s, a, by)?.cached().id() {
            -1 => println!("-"),
            id => println!("{id}"),
        }
        Ok(())
    },
};

pub const DOMNAME: Cmd = Cmd {
    name: "domname",
    group: "domain",
    summary: "the name of a domain given by ID or UUID",
    description: "",
    opts: &[Opt::data("domain", "the domain: its ID or UUID")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let by = By { name: false, ..ANY };
        println!("{}", domain_by(s, a, by)?.cached().name);
        Ok(())
    },
};

pub const DOMUUID: Cmd = Cmd {
    name: "domuuid",
    group: "domain",
    summary: "the UUID of a domain given by name or ID",
    description: "",
    opts: &[Opt::data("domain", "the domain: its ID or name")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let by = By { uuid: false, ..ANY };
        println!("{}", domain_by(s, a, by)?.cached().uuid);
        Ok(())
    },
};

/// A power operation, with virsh's words on success and on failure.
fn power(s: &mut Session, a: &Args, op: PowerOp, done: &str, verb: &str) -> Outcome {
    let dom = domain(s, a)?;
    let name = dom.cached().name;
    // virsh looks before it starts one: a domain with an ID is running already.
    if op == PowerOp::Start && dom.current_state()?.id() != -1 {
        return Err(Failure::lines(vec!["Domain is already active".into()]));
    }
    dom.power(op)
        .map_err(|e| Failure::call(format!("Failed to {verb} domain '{name}'"), e))?;
    extra(s, &format!("Domain '{name}' {done}"));
    Ok(())
}

/// A command that runs one power operation on `<domain>`.
macro_rules! power_cmd {
    ($name:literal, $summary:literal, $op:ident, $done:literal, $verb:literal) => {
        Cmd {
            name: $name,
            group: "domain",
            summary: $summary,
            description: "",
            opts: &[DOMAIN],
            run: |s: &mut Session, a: &Args| -> Outcome { power(s, a, PowerOp::$op, $done, $verb) },
        }
    };
}

pub const START: Cmd = power_cmd!(
    "start",
    "power on a defined domain",
    Start,
    "started",
    "start"
);
pub const SHUTDOWN: Cmd = power_cmd!(
    "shutdown",
    "ask the guest to shut down",
    Shutdown,
    "is being shutdown",
    "shutdown"
);
pub const DESTROY: Cmd = power_cmd!(
    "destroy",
    "power a domain off at once",
    Destroy,
    "destroyed",
    "destroy"
);
pub const SUSPEND: Cmd = power_cmd!(
    "suspend",
    "suspend a running domain",
    Suspend,
    "suspended",
    "suspend"
);
pub const RESUME: Cmd = power_cmd!(
    "resume",
    "resume a suspended domain",
    Resume,
    "resumed",
    "resume"
);
pub const REBOOT: Cmd = power_cmd!(
    "reboot",
    "ask the guest to reboot",
    Reboot,
    "is being rebooted",
    "reboot"
);
pub const RESET: Cmd = power_cmd!(
    "reset",
    "reset a running domain, as a reset button",
    Reset,
    "was reset",
    "reset"
);

pub const DUMPXML: Cmd = Cmd {
    name: "dumpxml",
    group: "domain",
    summary: "the domain's XML",
    description: "Prints the domain's definition as libvirt domain XML.",
    opts: &[
        DOMAIN,
        Opt::flag("inactive", "the definition as the next start will use it"),
        Opt::flag("security-info", "include secrets such as display passwords"),
        Opt::flag("update-cpu", "fill in the guest CPU from the host's"),
        Opt::flag("migratable", "XML another host can take in a migration"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        const F: &[(&str, u32)] = &[
            ("inactive", X::VIR_DOMAIN_XML_INACTIVE as u32),
            ("security-info", X::VIR_DOMAIN_XML_SECURE as u32),
            ("update-cpu", X::VIR_DOMAIN_XML_UPDATE_CPU as u32),
            ("migratable", X::VIR_DOMAIN_XML_MIGRATABLE as u32),
        ];
        let flags = DomainXmlFlags::checked(bits(a, F), "virDomainGetXMLDesc")?;
        print!("{}", with_newline(dom.domain_xml(flags)?));
        Ok(())
    },
};

pub const DEFINE: Cmd = Cmd {
    name: "define",
    group: "domain",
    summary: "create or change a domain from an XML file",
    description: "Defines a domain from libvirt domain XML without starting it.",
    opts: &[Opt::data("file", "the file holding the domain XML")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let file = a.required("file");
        let xml = read_file(file)?;
        let conn = s.conn()?;
        let vm = conn
            .define_xml(&xml)
            .map_err(|e| Failure::call(format!("Failed to define domain from {file}"), e))?;
        extra(s, &format!("Domain '{}' defined from {file}", vm.name));
        Ok(())
    },
};

pub const UNDEFINE: Cmd = Cmd {
    name: "undefine",
    group: "domain",
    summary: "remove a domain's definition",
    description: "Removes a stopped domain from the inventory, keeping its files.",
    opts: &[
        DOMAIN,
        Opt::flag("managed-save", "remove its managed save as well"),
        Opt::flag("snapshots-metadata", "remove its snapshot metadata as well"),
        Opt::flag(
            "checkpoints-metadata",
            "remove its checkpoint metadata as well",
        ),
        Opt::flag("nvram", "remove its NVRAM file"),
        Opt::flag("keep-nvram", "keep its NVRAM file"),
        Opt::flag("tpm", "remove its TPM state"),
        Opt::flag("keep-tpm", "keep its TPM state"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("nvram", "keep-nvram")?;
        a.exclusive("tpm", "keep-tpm")?;
        const F: &[(&str, u32)] = &[
            ("managed-save", U::MANAGED_SAVE.bits()),
            ("snapshots-metadata", U::SNAPSHOTS_METADATA.bits()),
            ("checkpoints-metadata", U::CHECKPOINTS_METADATA.bits()),
            ("nvram", U::NVRAM.bits()),
            ("keep-nvram", U::KEEP_NVRAM.bits()),
            ("tpm", U::TPM.bits()),
            ("keep-tpm", U::KEEP_TPM.bits()),
        ];
        let flags = U::checked(bits(a, F), "virDomainUndefineFlags")?;
        let dom = domain(s, a)?;
        let name = dom.cached().name;
        dom.undefine(flags)
            .map_err(|e| Failure::call(format!("Failed to undefine domain '{name}'"), e))?;
        extra(s, &format!("Domain '{name}' has been undefined"));
        Ok(())
    },
};

pub const DOMHOSTNAME: Cmd = Cmd {
    name: "domhostname",
    group: "domain",
    summary: "the guest's host name",
    description: "Shows the host name the guest reports through VMware Tools.",
    opts: &[
        DOMAIN,
        Opt::string("source", "where to ask: agent (VMware Tools)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        if let Some(src) = a.get("source").filter(|src| *src != "agent") {
            return Err(Failure::lines(vec![format!("Unknown data source '{src}'")]));
        }
        let name = domain(s, a)?
            .guest_hostname()
            .map_err(|e| Failure::call("failed to get hostname", e))?;
        println!("{name}");
        Ok(())
    },
};
