//! Host and Hypervisor commands: what the connection points at.

use super::with_newline;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, dotted};

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
