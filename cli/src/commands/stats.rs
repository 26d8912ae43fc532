//! A domain's counters and resources as virsh prints them: `dommemstat`, `domblkstat`,
//! `domifstat`, `domblkinfo`, `domcontrol`, `domjobinfo`, `cpu-stats`, `domstats`,
//! `vcpuinfo`, `vcpucount`, `memtune`. Calls libvirt's ESX driver lacks, in virsh's format.

use super::{DOMAIN, domain, pretty};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::abi::VIR_DOMAIN_MEMORY_PARAM_UNLIMITED;
use esx_driver::abi::flags::ListDomainsFlags as L;
use esx_driver::abi::virDomainStatsTypes as S;
use esx_driver::driver::TypedValue;
use esx_driver::driver::domain::PowerState;

/// A typed value as virsh prints a parameter (`vshGetTypedParamValue`).
pub(super) fn typed(v: &TypedValue) -> String {
    match v {
        TypedValue::Int(n) => n.to_string(),
        TypedValue::UInt(n) => n.to_string(),
        TypedValue::LLong(n) => n.to_string(),
        TypedValue::ULLong(n) => n.to_string(),
        TypedValue::Double(d) => format!("{d:.6}"),
        TypedValue::Boolean(b) => (if *b { "yes" } else { "no" }).to_string(),
        TypedValue::String(s) => s.clone(),
    }
}

pub const DOMMEMSTAT: Cmd = Cmd {
    name: "dommemstat",
    group: "monitor",
    summary: "the domain's memory statistics",
    description: "Shows the balloon, the configured memory, the guest's unused memory and the host memory backing the domain, in KiB.",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let name = a.required("domain");
        let m = dom.memory_stats().map_err(|e| {
            Failure::call(
                format!("Failed to get memory statistics for domain {name}"),
                e,
            )
        })?;
        // In libvirt's tag order, as the C call returns them.
        for (field, v) in [
            ("unused", m.unused),
            ("available", m.available),
            ("actual", m.actual),
            ("rss", m.rss),
        ] {
            println!("{field} {v}");
        }
        Ok(())
    },
};

/// The fields of `domblkstat`: libvirt's name, virsh's plain and human labels.
const BLOCK_FIELDS: [(&str, &str); 4] = [
    ("rd_req", "number of read operations:"),
    ("rd_bytes", "number of bytes read:"),
    ("wr_req", "number of write operations:"),
    ("wr_bytes", "number of bytes written:"),
];

pub const DOMBLKSTAT: Cmd = Cmd {
    name: "domblkstat",
    group: "monitor",
    summary: "a disk's I/O counters",
    description: "Shows a disk's read and write requests and bytes since the domain started.",
    opts: &[
        DOMAIN,
        Opt::optional("device", "the disk's target (sda) or file"),
        Opt::flag("human", "labels for people"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let dev = a.get("device").unwrap_or_default();
        let c = dom.block_stats(dev).map_err(|e| {
            Failure::call(
                format!("Failed to get block stats {} {dev}", a.required("domain")),
                e,
            )
        })?;
        let human = a.flag("human");
        if human {
            println!("Device: {dev}");
        }
        let values = [c.rd_reqs, c.rd_bytes, c.wr_reqs, c.wr_bytes];
        for ((plain, label), v) in BLOCK_FIELDS.iter().zip(values) {
            let Some(v) = v else { continue };
            match human {
                true => println!(" {label:<31} {v}"),
                false => println!("{dev} {plain} {v}"),
            }
        }
        Ok(())
    },
};

pub const DOMIFSTAT: Cmd = Cmd {
    name: "domifstat",
    group: "monitor",
    summary: "a network interface's counters",
    description: "Shows a NIC's bytes and packets received and sent since the domain started.",
    opts: &[
        DOMAIN,
        Opt::data("interface", "the NIC: its MAC address or device name"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let nic = a.required("interface");
        let c = dom.interface_stats(nic).map_err(|e| {
            Failure::call(
                format!(
                    "Failed to get interface stats {} {nic}",
                    a.required("domain")
                ),
                e,
            )
        })?;
        for (field, v) in [
            ("rx_bytes", c.rx_bytes),
            ("rx_packets", c.rx_packets),
            ("rx_errs", c.rx_errs),
            ("rx_drop", c.rx_drop),
            ("tx_bytes", c.tx_bytes),
            ("tx_packets", c.tx_packets),
            ("tx_errs", c.tx_errs),
            ("tx_drop", c.tx_drop),
        ] {
            if let Some(v) = v {
                println!("{nic} {field} {v}");
            }
        }
        Ok(())
    },
};

pub const DOMBLKINFO: Cmd = Cmd {
    name: "domblkinfo",
    group: "monitor",
    summary: "a disk's capacity, allocation and physical size",
    description: "Shows a disk's size as the guest sees it, the bytes its extents hold and all its files' bytes.",
    opts: &[
        DOMAIN,
        Opt::optional("device", "the disk's target (sda) or file"),
        Opt::flag("human", "sizes with units"),
        Opt::flag("all", "every disk, as a table"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("all", "device")?;
        if !a.flag("all") && !a.flag("device") {
            return Err(Failure::lines(vec![
                "command 'domblkinfo' requires <device> option".into(),
            ]));
        }
        let human = a.flag("human");
        let size = |v: u64, all_zero: bool| match (all_zero, human) {
            (true, _) => "-".to_string(),
            (false, true) => pretty(v, 3),
            (false, false) => v.to_string(),
        };
        let dom = domain(s, a)?;
        if let Some(dev) = a.get("device") {
            let i = dom.block_info(dev)?;
            let zero = i.capacity == 0 && i.allocation == 0 && i.physical == 0;
            println!("{:<15} {}", "Capacity:", size(i.capacity, zero));
            println!("{:<15} {}", "Allocation:", size(i.allocation, zero));
            println!("{:<15} {}", "Physical:", size(i.physical, zero));
            return Ok(());
        }
        let mut rows = Vec::new();
        for disk in super::monitor::devices(s, a, "disk")? {
            let target = disk
                .child("target")
                .and_then(|t| t.attr("dev"))
                .unwrap_or_default()
                .to_string();
            let i = match disk.child("source") {
                Some(_) => Some(dom.block_info(&target)?),
                None => None,
            };
            let (c, al, p) = i.map_or((0, 0, 0), |i| (i.capacity, i.allocation, i.physical));
            let zero = c == 0 && al == 0 && p == 0;
            rows.push(vec![target, size(c, zero), size(al, zero), size(p, zero)]);
        }
        let header = ["Target", "Capacity", "Allocation", "Physical"];
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};

pub const DOMCONTROL: Cmd = Cmd {
    name: "domcontrol",
    group: "monitor",
    summary: "whether the domain is busy with a task",
    description: "Shows 'ok', or 'background job' with how long a vSphere task has been running on the domain.",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let c = domain(s, a)?.control()?;
        match (c.busy, c.since) {
            (false, _) => println!("ok"),
            (true, since) => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or_default();
                let secs = since.map_or(0.0, |t| (now - t as f64).max(0.0));
                println!("background job ({secs:.3}s)");
            }
        }
        Ok(())
    },
};

pub const DOMJOBINFO: Cmd = Cmd {
    name: "domjobinfo",
    group: "domain",
    summary: "the job running on the domain",
    description: "Shows the domain's running job (a migration or another vSphere task): its type, operation, time and progress.",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let j = domain(s, a)?.job_info()?;
        if !j.running {
            println!("{:<17} {:<12}", "Job type:", "None");
            return Ok(());
        }
        println!("{:<17} {:<12}", "Job type:", "Unbounded");
        println!("{:<17} {:<12}", "Operation:", "Outgoing migration");
        println!("{:<17} {:<12} ms", "Time elapsed:", j.elapsed_ms);
        // Progress as the C call reports it: percent of a total of 100.
        println!("{:<17} {}", "Data processed:", pretty(j.percent, 3));
        println!(
            "{:<17} {}",
            "Data remaining:",
            pretty(100 - j.percent.min(100), 3)
        );
        println!("{:<17} {}", "Data total:", pretty(100, 3));
        Ok(())
    },
};

/// A CPU time in virsh's `cpu-stats` form: seconds with nine decimals.
fn seconds(ns: u64) -> String {
    format!("{:9}.{:09} seconds", ns / 1_000_000_000, ns % 1_000_000_000)
}

pub const CPU_STATS: Cmd = Cmd {
    name: "cpu-stats",
    group: "monitor",
    summary: "the domain's CPU time",
    description: "Shows the domain's total CPU time and, where the host counts it, the guest's and the hypervisor's parts; vSphere keeps no per-host-CPU figures.",
    opts: &[
        DOMAIN,
        Opt::flag("total", "the total only"),
        Opt::string("start", "the first host CPU to show"),
        Opt::string("count", "how many host CPUs to show"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let number = |name: &str, what: &str| -> Result<Option<i64>, Failure> {
            match a.get(name).map(str::parse::<i64>) {
                None => Ok(None),
                Some(Ok(n)) if n >= 0 => Ok(Some(n)),
                _ => Err(Failure::lines(vec![format!("Invalid value for {what}")])),
            }
        };
        let start = number("start", "start CPU")?;
        let count = number("count", "number of CPUs to show")?;
        let dom = domain(s, a)?;
        let name = dom.cached().name;
        let failed = |e| {
            Failure::call(
                format!("Failed to retrieve CPU statistics for domain '{name}'"),
                e,
            )
        };
        let per_cpu = start.is_some() || count.is_some() || !a.flag("total");
        if per_cpu {
            // vSphere reports no CPU time per host CPU, so there are none to show.
            print!("No per-CPU stats available");
        }
        if a.flag("total") || !(start.is_some() || count.is_some()) {
            let t = dom.cpu_stats().map_err(failed)?;
            println!("Total:");
            println!("\t{:<12} {}", "cpu_time", seconds(t.total));
            if let Some(u) = t.user {
                println!("\t{:<12} {}", "user_time", seconds(u));
            }
            if let Some(sys) = t.system {
                println!("\t{:<12} {}", "system_time", seconds(sys));
            }
        }
        Ok(())
    },
};

/// `domstats`' group options and their bits (those vSphere cannot serve are refused by the
/// library with `--enforce`, and left out otherwise).
const GROUPS: &[(&str, S)] = &[
    ("state", S::VIR_DOMAIN_STATS_STATE),
    ("cpu-total", S::VIR_DOMAIN_STATS_CPU_TOTAL),
    ("balloon", S::VIR_DOMAIN_STATS_BALLOON),
    ("vcpu", S::VIR_DOMAIN_STATS_VCPU),
    ("interface", S::VIR_DOMAIN_STATS_INTERFACE),
    ("block", S::VIR_DOMAIN_STATS_BLOCK),
    ("perf", S::VIR_DOMAIN_STATS_PERF),
    ("iothread", S::VIR_DOMAIN_STATS_IOTHREAD),
    ("memory", S::VIR_DOMAIN_STATS_MEMORY),
    ("dirtyrate", S::VIR_DOMAIN_STATS_DIRTYRATE),
    ("vm", S::VIR_DOMAIN_STATS_VM),
];

/// `domstats`' `--list-*` filters and their bits.
const LIST: &[(&str, L)] = &[
    ("list-active", L::ACTIVE),
    ("list-inactive", L::INACTIVE),
    ("list-persistent", L::PERSISTENT),
    ("list-transient", L::TRANSIENT),
    ("list-running", L::RUNNING),
    ("list-paused", L::PAUSED),
    ("list-shutoff", L::SHUTOFF),
    ("list-other", L::OTHER),
];

pub const DOMSTATS: Cmd = Cmd {
    name: "domstats",
    group: "monitor",
    summary: "statistics of every domain, or of those named",
    description: "Shows the statistics groups asked for (all without one) of the domains named, or of every domain the filters keep.",
    opts: &[
        Opt::flag("state", "the state group"),
        Opt::flag("cpu-total", "the total CPU time group"),
        Opt::flag("balloon", "the memory balloon group"),
        Opt::flag("vcpu", "the per-vCPU group"),
        Opt::flag("interface", "the network interface group"),
        Opt::flag("block", "the disk group"),
        Opt::flag("perf", "the perf event group"),
        Opt::flag("iothread", "the I/O thread group"),
        Opt::flag("memory", "the memory bandwidth group"),
        Opt::flag("dirtyrate", "the dirty rate group"),
        Opt::flag("vm", "the hypervisor's own counters"),
        Opt::flag("list-active", "active domains"),
        Opt::flag("list-inactive", "inactive domains"),
        Opt::flag("list-persistent", "persistent domains"),
        Opt::flag("list-transient", "transient domains"),
        Opt::flag("list-running", "running domains"),
        Opt::flag("list-paused", "paused domains"),
        Opt::flag("list-shutoff", "shut off domains"),
        Opt::flag("list-other", "domains in any other state"),
        Opt::flag("raw", "values as they are (they always are)"),
        Opt::flag("enforce", "fail on a group the server cannot give"),
        Opt::flag("backing", "add the backing chain's disks"),
        Opt::flag("nowait", "do not wait for a busy domain"),
        Opt::argv("domain", "the domains to show (all without one)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let bits = GROUPS
            .iter()
            .filter(|(n, _)| a.flag(n))
            .fold(0, |acc, (_, g)| acc | *g as u32);
        let groups = esx_driver::driver::domain::stats::groups(bits, a.flag("enforce"))?;
        let filter = LIST
            .iter()
            .filter(|(n, _)| a.flag(n))
            .fold(L::empty(), |acc, (_, f)| acc | *f);
        let conn = s.conn()?;
        let named = a.all("domain");
        let records = if named.is_empty() {
            conn.all_domain_stats(filter, groups)?
        } else {
            let mut morefs = Vec::new();
            for key in &named {
                let d = super::lookup(s, key, super::ANY)?;
                morefs.push(d.cached().moref);
            }
            s.conn()?.domain_stats(&morefs, groups)?
        };
        for (i, r) in records.iter().enumerate() {
            if i > 0 {
                println!();
            }
            println!("Domain: '{}'", r.vm.name);
            for (field, v) in &r.fields {
                println!("  {field}={}", typed(v));
            }
        }
        Ok(())
    },
};

pub const VCPUINFO: Cmd = Cmd {
    name: "vcpuinfo",
    group: "domain",
    summary: "the running domain's vCPUs",
    description: "Shows each vCPU of a running domain with its CPU time; vSphere reports no host CPU placement.",
    opts: &[DOMAIN, Opt::flag("pretty", "the affinity as a CPU list")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let times = dom.vcpu_times()?;
        let host_cpus = dom.conn().node_info()?.cpus.max(1);
        let affinity = match a.flag("pretty") {
            true => format!("0-{} (out of {host_cpus})", host_cpus - 1),
            false => "y".repeat(host_cpus as usize),
        };
        for (i, t) in times.iter().enumerate() {
            if i > 0 {
                println!();
            }
            println!("{:<15} {i}", "VCPU:");
            println!("{:<15} -1", "CPU:");
            println!("{:<15} running", "State:");
            if *t != 0 {
                println!("{:<15} {:.1}s", "CPU time:", *t as f64 / 1e9);
            }
            println!("{:<15} {affinity}", "CPU Affinity:");
        }
        Ok(())
    },
};

pub const VCPUCOUNT: Cmd = Cmd {
    name: "vcpucount",
    group: "domain",
    summary: "the domain's vCPU counts",
    description: "Shows the maximum and current vCPUs of the definition and, when running, of the live domain (vSphere has one count for all four).",
    opts: &[
        DOMAIN,
        Opt::flag("maximum", "the maximum only"),
        Opt::flag("active", "the current count only"),
        Opt::flag("live", "of the running domain"),
        Opt::flag("config", "of the definition"),
        Opt::flag(
            "current",
            "of the running domain when it runs, else of the definition",
        ),
        Opt::flag("guest", "as the guest sees it"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        for (x, y) in [
            ("live", "config"),
            ("current", "live"),
            ("current", "config"),
            ("active", "maximum"),
            ("guest", "config"),
        ] {
            a.exclusive(x, y)?;
        }
        let dom = domain(s, a)?;
        let vm = dom.current()?;
        if a.flag("guest") {
            return Err(Failure::lines(vec![
                "Failed to retrieve vCPU count from the guest".into(),
            ]));
        }
        let n = vm.num_cpu.max(0);
        let running = vm.state != PowerState::PoweredOff;
        let one = a.flag("maximum") || a.flag("active") || a.flag("live") || a.flag("config");
        if one {
            if a.flag("live") && !running {
                return Err(Failure::lines(vec![
                    "Requested operation is not valid: domain is not running".into(),
                ]));
            }
            println!("{n}");
            return Ok(());
        }
        for (what, scope, shown) in [
            ("maximum", "config", true),
            ("maximum", "live", running),
            ("current", "config", true),
            ("current", "live", running),
        ] {
            if shown && n > 0 {
                println!("{what:<12} {scope:<12} {n:3}");
            }
        }
        Ok(())
    },
};

pub const MEMTUNE: Cmd = Cmd {
    name: "memtune",
    group: "domain",
    summary: "the domain's memory limit and reservation",
    description: "Shows the memory limit (hard_limit) and reservation (min_guarantee) in KiB.",
    opts: &[
        DOMAIN,
        Opt::flag("config", "of the definition"),
        Opt::flag("live", "of the running domain"),
        Opt::flag(
            "current",
            "of the running domain when it runs, else of the definition",
        ),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("current", "live")?;
        a.exclusive("current", "config")?;
        let dom = domain(s, a)?;
        let m = dom
            .memory_params()
            .map_err(|e| Failure::call("Unable to get number of memory parameters", e))?;
        let limit = match m.hard_limit {
            Some(v) if v < VIR_DOMAIN_MEMORY_PARAM_UNLIMITED => v.to_string(),
            _ => "unlimited".into(),
        };
        println!("{:<15}: {limit}", "hard_limit");
        println!("{:<15}: {}", "min_guarantee", m.min_guarantee);
        Ok(())
    },
};
