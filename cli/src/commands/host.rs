//! Host and Hypervisor commands: what the connection points at.

use crate::grammar::{Args, Cmd};
use crate::session::Session;
use crate::{Outcome, dotted};

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
