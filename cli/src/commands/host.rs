//! Host and Hypervisor commands: what the connection points at.

use super::{read_file, with_newline};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, dotted};
use esx_driver::driver::connection::evc::{
    CpuComparison, check_hypervisor, incompatible, no_feature_lists,
};
use esx_driver::xml::{Element, Names, escape_text};

pub const HOSTNAME: Cmd = Cmd {
    name: "hostname",
    group: "host",
    summary: "the host name of the hypervisor",
    description: "",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        println!("{}", s.conn()?.hostname()?);
        Ok(())
    },
};

pub const URI: Cmd = Cmd {
    name: "uri",
    group: "host",
    summary: "the URI of this connection",
    description: "",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        println!("{}", s.conn()?.uri());
        Ok(())
    },
};

pub const NODEINFO: Cmd = Cmd {
    name: "nodeinfo",
    group: "host",
    summary: "CPUs, memory and NUMA cells of the host",
    description: "Shows the host's CPU model, CPU counts and speed, NUMA cells and memory.",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        let n = s.conn()?.node_info()?;
        println!("{:<20} {}", "CPU model:", n.model);
        println!("{:<20} {}", "CPU(s):", n.cpus);
        println!("{:<20} {} MHz", "CPU frequency:", n.mhz);
        println!("{:<20} {}", "CPU socket(s):", n.sockets);
        println!("{:<20} {}", "Core(s) per socket:", n.cores);
        println!("{:<20} {}", "Thread(s) per core:", n.threads);
        println!("{:<20} {}", "NUMA cell(s):", n.nodes);
        println!("{:<20} {} KiB", "Memory size:", n.memory_kib);
        Ok(())
    },
};

pub const VERSION: Cmd = Cmd {
    name: "version",
    group: "host",
    summary: "library and hypervisor versions",
    description: "Shows the libvirt API version the library implements and the hypervisor's version.",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        let lib = dotted(esx_driver::abi::LIBVIR_VERSION_NUMBER);
        let hv = s.conn()?.version()?;
        println!("Compiled against library: libvirt {lib}");
        println!("Using library: libvirt {lib}");
        println!("Using API: ESX {lib}");
        println!("Running hypervisor: ESX {}", dotted(hv));
        Ok(())
    },
};

pub const CAPABILITIES: Cmd = Cmd {
    name: "capabilities",
    group: "host",
    summary: "what the hypervisor and host offer, as XML",
    description: "Prints libvirt's capabilities XML for the host: its CPU, NUMA cells and the guests it runs.",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        // virsh prints the document and then a line of its own.
        println!("{}", s.conn()?.capabilities_xml()?);
        Ok(())
    },
};

pub const DOMCAPABILITIES: Cmd = Cmd {
    name: "domcapabilities",
    group: "host",
    summary: "what a domain may be on this host, as XML",
    description: "Prints libvirt's domain capabilities for a hardware version (--machine, vmx-13; the host's default without it): vCPUs, firmware, disk buses, graphics, and each guest OS's limits, firmware, buses and NIC models in the vmware namespace.",
    opts: &[
        Opt::string("virttype", "the domain type: vmware"),
        Opt::string("emulatorbin", "none on VMware"),
        Opt::string("arch", "x86_64 (the default) or i686"),
        Opt::string("machine", "a hardware version (vmx-13)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let xml = s
            .conn()?
            .domain_capabilities(
                a.get("emulatorbin"),
                a.get("arch"),
                a.get("machine"),
                a.get("virttype"),
            )
            .map_err(|e| Failure::call("failed to get emulator capabilities", e))?;
        println!("{xml}");
        Ok(())
    },
};

pub const CPU_MODELS: Cmd = Cmd {
    name: "cpu-models",
    group: "host",
    summary: "the CPU models of an architecture: vSphere's EVC modes",
    description: "Lists the EVC modes the server knows, each vendor's in rising order, as libvirt's CPU models for x86_64 (or i686).",
    opts: &[Opt::data("arch", "the architecture: x86_64 or i686")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let models = s
            .conn()?
            .cpu_model_names(a.required("arch"))
            .map_err(|e| Failure::call("failed to get CPU model names", e))?;
        if models.is_empty() && !s.quiet {
            println!("all CPU models are accepted");
        }
        for m in models {
            println!("{m}");
        }
        Ok(())
    },
};

/// The CPU definitions of a file as virsh finds them: a `<cpu>` at the top, a domain's, a
/// host's in capabilities, or domain capabilities' host-model mode; each as the model it names.
fn cpu_definitions(path: &str) -> Result<Vec<String>, Failure> {
    let text = read_file(path)?;
    let doc = match text.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(rest, |(_, d)| d),
        None => &text,
    };
    let root = Element::parse(&format!("<container>{doc}</container>"), Names::Qualified)
        .map_err(|e| Failure::lines(vec![format!("{path}: {e}")]))?;
    let mut cpus: Vec<&Element> = Vec::new();
    for top in &root.children {
        match &*top.name {
            "cpu" => cpus.push(top),
            "domain" => cpus.extend(top.child("cpu")),
            "capabilities" => cpus.extend(top.child("host").and_then(|h| h.child("cpu"))),
            "domainCapabilities" => cpus.extend(top.child("cpu").into_iter().flat_map(|c| {
                c.children_named("mode").filter(|m| {
                    m.attr("name") == Some("host-model") && m.attr("supported") == Some("yes")
                })
            })),
            _ => {}
        }
    }
    if cpus.is_empty() {
        return Err(Failure::lines(vec![format!(
            "File '{path}' does not contain any <cpu> element or valid domain XML, host \
             capabilities XML, or domain capabilities XML"
        )]));
    }
    Ok(cpus
        .iter()
        .map(|c| {
            let model = c.child_text("model").unwrap_or_default();
            format!("<cpu><model>{}</model></cpu>", escape_text(model))
        })
        .collect())
}

/// The hypervisor options the CPU commands share (`--virttype`, `--emulator`, `--arch`,
/// `--machine`), refused or taken as the library takes them.
fn hypervisor(a: &Args) -> Result<Option<&str>, Failure> {
    check_hypervisor(a.get("emulator"), a.get("virttype"))?;
    Ok(a.get("arch"))
}

const VIRTTYPE: Opt = Opt::string("virttype", "the domain type: vmware");
const EMULATOR: Opt = Opt::string("emulator", "none on VMware");
const ARCH: Opt = Opt::string("arch", "x86_64 (the default) or i686");
const MACHINE: Opt = Opt::string("machine", "a hardware version (vmx-13)");

pub const HYPERVISOR_CPU_COMPARE: Cmd = Cmd {
    name: "hypervisor-cpu-compare",
    group: "host",
    summary: "whether the hosts run a CPU model (an EVC mode)",
    description: "Compares the CPU in the file (a <cpu>, or a domain's, a host's, or domain capabilities' host model) with the highest EVC mode every host of the connection runs.",
    opts: &[
        Opt::data("file", "a file holding a CPU definition"),
        VIRTTYPE,
        EMULATOR,
        ARCH,
        MACHINE,
        Opt::flag("error", "fail when the CPU is incompatible"),
        Opt::flag("validate", "validate the XML"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let path = a.required("file");
        let cpus = cpu_definitions(path)?;
        let arch = hypervisor(a)?;
        let result = s.conn()?.compare_cpu(arch, &cpus[0]);
        let failed = |e| Failure::call(format!("Failed to compare hypervisor CPU with {path}"), e);
        match result.map_err(failed)? {
            CpuComparison::Incompatible if a.flag("error") => {
                return Err(Failure::from(incompatible()));
            }
            CpuComparison::Incompatible => {
                println!(
                    "CPU described in {path} is incompatible with the CPU provided by \
                     hypervisor on the host"
                );
                return Err(Failure::lines(Vec::new()));
            }
            CpuComparison::Identical => println!(
                "CPU described in {path} is identical to the CPU provided by hypervisor on \
                 the host"
            ),
            CpuComparison::Superset => println!(
                "The CPU provided by hypervisor on the host is a superset of CPU described \
                 in {path}"
            ),
        }
        Ok(())
    },
};

pub const HYPERVISOR_CPU_BASELINE: Cmd = Cmd {
    name: "hypervisor-cpu-baseline",
    group: "host",
    summary: "the CPU model (EVC mode) the given CPUs and the hosts share",
    description: "Prints the highest EVC mode that the CPUs in the file (or --model) and every host of the connection run, as a CPU definition.",
    opts: &[
        Opt::optional("file", "a file holding CPU definitions"),
        VIRTTYPE,
        EMULATOR,
        ARCH,
        MACHINE,
        Opt::flag(
            "features",
            "list the features (refused: an EVC mode is named)",
        ),
        Opt::flag("migratable", "only migratable features (EVC modes are)"),
        Opt::string("model", "a CPU model (an EVC mode) instead of a file"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("file", "model")?;
        let cpus = match (a.get("file"), a.get("model")) {
            (Some(path), _) => cpu_definitions(path)?,
            (None, Some(m)) => vec![format!("<cpu><model>{}</model></cpu>", escape_text(m))],
            (None, None) => {
                return Err(Failure::lines(vec![
                    "Exactly one argument of --file or --model is required".into(),
                ]));
            }
        };
        if a.flag("features") {
            return Err(Failure::from(no_feature_lists()));
        }
        let arch = hypervisor(a)?;
        let refs: Vec<&str> = cpus.iter().map(String::as_str).collect();
        print!("{}", s.conn()?.baseline_cpu(arch, &refs)?);
        Ok(())
    },
};

pub const SYSINFO: Cmd = Cmd {
    name: "sysinfo",
    group: "host",
    summary: "the host's SMBIOS facts, as XML",
    description: "Prints libvirt's sysinfo XML for the host: BIOS, system and processor facts.",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        let xml = s
            .conn()?
            .sysinfo_xml()
            .map_err(|e| Failure::call("failed to get sysinfo", e))?;
        print!("{}", with_newline(xml));
        Ok(())
    },
};

pub const MAXVCPUS: Cmd = Cmd {
    name: "maxvcpus",
    group: "host",
    summary: "the most vCPUs a domain may have",
    description: "Prints the largest number of virtual CPUs a domain may have on this host.",
    opts: &[Opt::string(
        "type",
        "the domain type (the ESX driver has one)",
    )],
    run: |s: &mut Session, _: &Args| -> Outcome {
        println!("{}", s.conn()?.max_vcpus()?);
        Ok(())
    },
};

pub const FREECELL: Cmd = Cmd {
    name: "freecell",
    group: "host",
    summary: "the host's free memory",
    description: "Prints how much memory the host has free, in KiB.",
    opts: &[],
    run: |s: &mut Session, _: &Args| -> Outcome {
        println!("Total: {} KiB", s.conn()?.free_memory()? / 1024);
        Ok(())
    },
};

pub const NODECPUSTATS: Cmd = Cmd {
    name: "nodecpustats",
    group: "host",
    summary: "the host's CPU time, or its use over a second",
    description: "Shows the host's busy (user) and idle CPU time in nanoseconds, or with --percent the share of each over one second.",
    opts: &[
        Opt::optional("cpu", "one host CPU"),
        Opt::flag("percent", "the shares over one second"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let cpu = match a.get("cpu") {
            None => None,
            Some(c) => Some(c.parse::<u32>().map_err(|_| {
                Failure::lines(vec![format!(
                    "Numeric value '{c}' for <cpu> option is malformed or out of range"
                )])
            })?),
        };
        let conn = s.conn()?;
        let sample = || {
            conn.node_cpu_stats(cpu)
                .map_err(|e| Failure::call("Unable to get number of cpu stats", e))
        };
        let (user, idle) = sample()?;
        if !a.flag("percent") {
            println!("{:<15} {user:>20}", "user:");
            println!("{:<15} {idle:>20}", "idle:");
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
        let (user2, idle2) = sample()?;
        let (du, di) = (user2.saturating_sub(user), idle2.saturating_sub(idle));
        let total = (du + di) as f64;
        let share = |v: u64| v as f64 / total * 100.0;
        println!("{:<15} {:5.1}%", "usage:", share(du));
        println!("{:<15} {:5.1}%", "user:", share(du));
        println!("{:<15} {:5.1}%", "idle:", share(di));
        Ok(())
    },
};

pub const NODEMEMSTATS: Cmd = Cmd {
    name: "nodememstats",
    group: "host",
    summary: "the host's total and free memory",
    description: "Shows the host's total and free memory in KiB (vSphere reports no figures per NUMA cell).",
    opts: &[Opt::optional("cell", "one NUMA cell")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let conn = s.conn()?;
        if let Some(c) = a.get("cell").filter(|c| *c != "-1") {
            return Err(Failure::lines(vec![
                "Unable to get number of memory stats".into(),
                format!(
                    "this function is not supported by the connection driver: memory \
                     statistics of NUMA cell {c}: vSphere reports a host's memory as one total"
                ),
            ]));
        }
        let (total, free) = conn
            .node_memory_stats()
            .map_err(|e| Failure::call("Unable to get number of memory stats", e))?;
        println!("{:<7}: {total:>20} KiB", "total");
        println!("{:<7}: {free:>20} KiB", "free");
        Ok(())
    },
};
