//! Domain tuning commands: `schedinfo` (vSphere's CPU allocation: reservation, limit,
//! shares), shown and set as virsh does it.

use super::{CONFIG, CURRENT, DOMAIN, LIVE, domain, extra_line, scaled};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::driver::domain::SchedParams;
use esx_driver::driver::domain::disk_control::{device_weights, not_a_weight, not_an_io_limit};
use esx_driver::driver::domain::nic_control::bandwidth_change;

/// virsh's `--current` / `--live` / `--config` trio: current excludes the other two.
fn affect(a: &Args) -> Result<(), Failure> {
    a.exclusive("current", "live")?;
    a.exclusive("current", "config")
}

/// One `--set NAME=VALUE` applied to `p`, with virsh's and libvirt's words for a bad one.
fn update(p: &mut SchedParams, seen: &mut Vec<String>, spec: &str) -> Result<(), Failure> {
    let says = |t: String| Failure::lines(vec![t]);
    let (name, value) = spec
        .split_once('=')
        .ok_or_else(|| says("Invalid syntax for --set, expecting name=value".into()))?;
    let bad = |kind: &str| {
        says(format!(
            "invalid argument: Invalid value for field '{name}': expected {kind}"
        ))
    };
    match name {
        "reservation" => p.reservation = value.parse().map_err(|_| bad("long long"))?,
        "limit" => p.limit = value.parse().map_err(|_| bad("long long"))?,
        "shares" => p.shares = value.parse().map_err(|_| bad("int"))?,
        _ => return Err(says(format!("invalid scheduler option: {name}"))),
    }
    if seen.iter().any(|s| s == name) {
        return Err(says(format!(
            "invalid argument: parameter '{name}' occurs multiple times"
        )));
    }
    seen.push(name.to_string());
    Ok(())
}

pub const SCHEDINFO: Cmd = Cmd {
    name: "schedinfo",
    group: "domain",
    summary: "show or set the domain's CPU allocation",
    description: "Shows the domain's CPU reservation and limit (MHz) and shares; --set name=value changes one.",
    opts: &[
        DOMAIN,
        Opt::string("weight", "Xen's credit weight (not a vSphere parameter)"),
        Opt::string("cap", "Xen's credit cap (not a vSphere parameter)"),
        CURRENT,
        CONFIG,
        LIVE,
        Opt::argv("set", "parameter=value"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let dom = domain(s, a)?;
        // vSphere's scheduler is an allocation: the name libvirt's ESX driver gives it.
        println!("{:<15}: allocation", "Scheduler");
        let mut p = dom.scheduler_params()?;
        let mut specs: Vec<String> = a.all("set").iter().map(|x| x.to_string()).collect();
        for legacy in ["weight", "cap"] {
            if let Some(v) = a.get(legacy) {
                specs.push(format!("{legacy}={v}"));
            }
        }
        if !specs.is_empty() {
            let (old, mut seen) = (p, Vec::new());
            for spec in &specs {
                update(&mut p, &mut seen, spec)?;
            }
            let changed = |n: &str| seen.iter().any(|s| s == n);
            dom.set_scheduler_params(
                changed("reservation").then_some(p.reservation),
                changed("limit").then_some(p.limit),
                changed("shares").then_some(p.shares),
            )?;
            p = dom.scheduler_params().unwrap_or(old);
        }
        println!("{:<15}: {}", "reservation", p.reservation);
        println!("{:<15}: {}", "limit", p.limit);
        println!("{:<15}: {}", "shares", p.shares);
        Ok(())
    },
};

pub const BLOCKRESIZE: Cmd = Cmd {
    name: "blockresize",
    group: "domain",
    summary: "grow a disk",
    description: "Grows the disk named by its target or file to the size given (KiB unless a unit is given), live or off; vSphere cannot shrink a disk.",
    opts: &[
        DOMAIN,
        Opt::data("path", "the disk: its target (sda) or file"),
        Opt::data("size", "the new size (KiB, or with a unit)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let path = a.required("path");
        let bytes = scaled(a.required("size"), "size", 1024)?;
        domain(s, a)?
            .block_resize(path, bytes)
            .map_err(|e| Failure::call(format!("Failed to resize block device '{path}'"), e))?;
        println!("Block device '{path}' is resized");
        Ok(())
    },
};

/// blkdeviotune's limits, as virsh names them; vSphere has `total-iops-sec` alone.
const IOTUNE: [&str; 20] = [
    "total-bytes-sec",
    "read-bytes-sec",
    "write-bytes-sec",
    "total-iops-sec",
    "read-iops-sec",
    "write-iops-sec",
    "total-bytes-sec-max",
    "read-bytes-sec-max",
    "write-bytes-sec-max",
    "total-iops-sec-max",
    "read-iops-sec-max",
    "write-iops-sec-max",
    "size-iops-sec",
    "group-name",
    "total-bytes-sec-max-length",
    "read-bytes-sec-max-length",
    "write-bytes-sec-max-length",
    "total-iops-sec-max-length",
    "read-iops-sec-max-length",
    "write-iops-sec-max-length",
];

const fn iotune_opts() -> [Opt; 24] {
    let mut opts = [DOMAIN; 24];
    opts[1] = Opt::data("device", "the disk: its target (sda) or file");
    let mut i = 0;
    while i < IOTUNE.len() {
        opts[i + 2] = Opt::string(IOTUNE[i], "an I/O limit (vSphere has total-iops-sec only)");
        i += 1;
    }
    opts[22] = CONFIG;
    opts[23] = LIVE;
    opts
}

pub const BLKDEVIOTUNE: Cmd = Cmd {
    name: "blkdeviotune",
    group: "domain",
    summary: "show or set a disk's I/O limit",
    description: "Shows the disk's IOPS limit (total_iops_sec, 0 for none) or sets it with --total-iops-sec; vSphere has no other I/O limit.",
    opts: &{
        const OPTS: [Opt; 24] = iotune_opts();
        OPTS
    },
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let disk = a.required("device");
        let dom = domain(s, a)?;
        let given: Vec<&str> = IOTUNE.into_iter().filter(|o| a.get(o).is_some()).collect();
        if given.is_empty() {
            let limit = dom
                .disk_iops_limit(disk)
                .map_err(|e| Failure::call("Unable to get block I/O throttle parameters", e))?;
            println!("{:<15}: {}", "total_iops_sec", limit.unwrap_or(0));
            return Ok(());
        }
        let failed = |e| Failure::call("Unable to change block I/O throttle", e);
        if let Some(other) = given.iter().find(|o| **o != "total-iops-sec") {
            return Err(failed(not_an_io_limit(&other.replace('-', "_"))));
        }
        let text = a.get("total-iops-sec").unwrap_or_default();
        let limit: u64 = text.parse().map_err(|_| {
            Failure::lines(vec![format!(
                "Numeric value '{text}' for <total-iops-sec> option is malformed or out of range"
            )])
        })?;
        dom.set_disk_iops_limit(disk, Some(limit)).map_err(failed)
    },
};

pub const BLKIOTUNE: Cmd = Cmd {
    name: "blkiotune",
    group: "domain",
    summary: "show or set the disks' weights",
    description: "Shows or sets libvirt's blkio weights (100-1000) over the disks' vSphere shares: a weight w is custom shares 2w (500 = normal); --device-weights sets single disks (target,weight,...; 0 = normal shares).",
    opts: &[
        DOMAIN,
        Opt::string("weight", "every disk's weight, 100-1000"),
        Opt::string("device-weights", "per disk: target,weight,... (0 = normal)"),
        Opt::string("device-read-iops-sec", "not a vSphere control"),
        Opt::string("device-write-iops-sec", "not a vSphere control"),
        Opt::string("device-read-bytes-sec", "not a vSphere control"),
        Opt::string("device-write-bytes-sec", "not a vSphere control"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let dom = domain(s, a)?;
        let failed = |e| Failure::call("Unable to change blkio parameters", e);
        for other in [
            "device-read-iops-sec",
            "device-write-iops-sec",
            "device-read-bytes-sec",
            "device-write-bytes-sec",
        ] {
            if a.get(other).is_some() {
                return Err(failed(not_a_weight(&other.replace('-', "_"))));
            }
        }
        let all = match a.get("weight") {
            None => None,
            Some(w) => Some(w.parse::<u32>().map_err(|_| {
                Failure::lines(vec![format!(
                    "Numeric value '{w}' for <weight> option is malformed or out of range"
                )])
            })?),
        };
        let each = match a.get("device-weights") {
            None => Vec::new(),
            Some(text) => device_weights(text).map_err(failed)?,
        };
        if all.is_some() || !each.is_empty() {
            return dom.set_disk_weights(all, &each).map_err(failed);
        }
        let weights = dom
            .disk_weights()
            .map_err(|e| Failure::call("Unable to get blkio parameters", e))?;
        println!("{:<15}: {}", "weight", weights.weight());
        println!("{:<15}: {}", "device_weight", weights.device_weight());
        Ok(())
    },
};

/// The host's logical CPUs, as virsh counts them from the node info.
fn max_cpus(s: &mut Session) -> Result<u32, Failure> {
    let n = s.conn()?.node_info()?;
    Ok(n.nodes * n.sockets * n.cores * n.threads)
}

/// A cpulist as virsh reads one (`0-3,^2,5`, or `r` for every CPU), refused in virsh's words.
fn cpu_list(text: &str, max: u32) -> Result<Vec<u32>, Failure> {
    if text.starts_with('r') {
        return Ok((0..max).collect());
    }
    let invalid = format!("Invalid cpulist '{text}'");
    // A list that does not parse also gets the parser's own line, as libvirt's does.
    let bad = || {
        Failure::lines(vec![
            invalid.clone(),
            format!("invalid argument: Failed to parse bitmap '{text}'"),
        ])
    };
    let mut on = std::collections::BTreeSet::new();
    for item in text.split(',').map(str::trim) {
        let (negate, item) = match item.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, item),
        };
        let (lo, hi) = match item.split_once('-') {
            Some((a, b)) => (a.parse::<u32>(), b.parse::<u32>()),
            None => (item.parse::<u32>(), item.parse::<u32>()),
        };
        let (lo, hi) = (lo.map_err(|_| bad())?, hi.map_err(|_| bad())?);
        if lo > hi || hi >= 1024 || (negate && lo != hi) {
            return Err(bad());
        }
        for cpu in lo..=hi {
            match negate {
                true => on.remove(&cpu),
                false => on.insert(cpu),
            };
        }
    }
    let last = on
        .last()
        .copied()
        .ok_or_else(|| Failure::lines(vec![invalid.clone()]))?;
    if last >= max {
        return Err(Failure::lines(vec![format!(
            "CPU {last} in cpulist '{text}' exceed the maxcpu {max}"
        )]));
    }
    Ok(on.into_iter().collect())
}

/// CPUs as virsh prints a map: ranges joined by commas (`0-3,5`).
fn cpu_ranges(cpus: &[u32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cpus.len() {
        let mut j = i;
        while j + 1 < cpus.len() && cpus[j + 1] == cpus[j] + 1 {
            j += 1;
        }
        out.push(match i == j {
            true => cpus[i].to_string(),
            false => format!("{}-{}", cpus[i], cpus[j]),
        });
        i = j + 1;
    }
    out.join(",")
}

pub const VCPUPIN: Cmd = Cmd {
    name: "vcpupin",
    group: "domain",
    summary: "show or set the vCPUs' CPU affinity",
    description: "Shows each vCPU's host CPUs (vSphere's one affinity set of the VM), or pins a vCPU to a cpulist (0-3,^2 or r for all): accepted when every vCPU keeps the same set, as vSphere has one; emulatorpin pins the whole VM.",
    opts: &[
        DOMAIN,
        Opt::optional("vcpu", "the vCPU's number"),
        Opt::optional("cpulist", "host CPUs (0-3,^2; r for all), or omit to show"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let vcpu = match a.get("vcpu") {
            None => None,
            Some(v) => Some(v.parse::<u32>().map_err(|_| {
                Failure::lines(vec![format!(
                    "Numeric value '{v}' for <vcpu> option is malformed or out of range"
                )])
            })?),
        };
        let max = max_cpus(s)?;
        let dom = domain(s, a)?;
        let Some(list) = a.get("cpulist") else {
            let aff = dom.cpu_affinity()?;
            if let Some(v) = vcpu.filter(|v| *v >= aff.vcpus) {
                let which = match dom.current_state()?.id() != -1 || a.flag("live") {
                    true => "live",
                    false => "persistent",
                };
                return Err(Failure::lines(vec![format!(
                    "vcpu {v} is out of range of {which} cpu count {}",
                    aff.vcpus
                )]));
            }
            let cpus = cpu_ranges(&aff.cpus());
            let rows: Vec<Vec<String>> = (0..aff.vcpus)
                .filter(|i| vcpu.is_none_or(|v| v == *i))
                .map(|i| vec![i.to_string(), cpus.clone()])
                .collect();
            print!(
                "{}",
                table::render(&["VCPU", "CPU Affinity"], &rows, s.quiet)
            );
            return Ok(());
        };
        let Some(vcpu) = vcpu else {
            return Err(Failure::lines(vec![
                "vcpupin: Missing vCPU number in pin mode.".into(),
            ]));
        };
        dom.pin_vcpu(vcpu, &cpu_list(list, max)?)?;
        Ok(())
    },
};

pub const EMULATORPIN: Cmd = Cmd {
    name: "emulatorpin",
    group: "domain",
    summary: "show or set the VM's CPU affinity",
    description: "Shows or sets the host CPUs the whole VM may run on (vSphere's CPU affinity, shared by its vCPUs and other threads); cpulist as 0-3,^2, or r for all.",
    opts: &[
        DOMAIN,
        Opt::optional("cpulist", "host CPUs (0-3,^2; r for all), or omit to show"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let dom = domain(s, a)?;
        let max = max_cpus(s)?;
        match a.get("cpulist") {
            None => {
                let cpus = cpu_ranges(&dom.cpu_affinity()?.cpus());
                extra_line(
                    s,
                    "emulator: CPU Affinity\n----------------------------------\n       *: ",
                );
                println!("{cpus}");
            }
            Some(list) => dom.set_cpu_affinity(&cpu_list(list, max)?)?,
        }
        Ok(())
    },
};

/// A rate as virsh reads `--inbound`/`--outbound`: `average[,peak[,burst[,floor]]]`, KiB/s.
fn rate(text: &str) -> Result<[u64; 4], Failure> {
    let fields: Vec<&str> = text.split(',').collect();
    if fields.len() > 4 {
        return Err(Failure::lines(vec![format!(
            "Rate string '{text}' has too many fields"
        )]));
    }
    let mut out = [0u64; 4];
    for (i, (f, name)) in fields
        .iter()
        .zip(["average", "peak", "burst", "floor"])
        .enumerate()
    {
        if !f.is_empty() {
            out[i] = f
                .parse()
                .map_err(|_| Failure::lines(vec![format!("field '{name}' is malformed")]))?;
        }
    }
    Ok(out)
}

pub const DOMIFTUNE: Cmd = Cmd {
    name: "domiftune",
    group: "domain",
    summary: "show or set a NIC's bandwidth",
    description: "Shows or sets the NIC's (by MAC address) vSphere bandwidth: its limit as outbound average and its reservation as inbound floor, KiB/s (whole Mbit/s on vSphere, rounded up); the other rates can only be 0.",
    opts: &[
        DOMAIN,
        Opt::data("interface", "the NIC's MAC address"),
        Opt::string(
            "inbound",
            "average,peak,burst,floor (KiB/s; only floor on vSphere)",
        ),
        Opt::string(
            "outbound",
            "average,peak,burst (KiB/s; only average on vSphere)",
        ),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let says = |t: &str| Failure::lines(vec![t.to_string()]);
        let dom = domain(s, a)?;
        let mac = a.required("interface");
        // The fields virsh sends for each option, as (name, value).
        let mut sent: Vec<(&str, u64)> = Vec::new();
        if let Some(text) = a.get("inbound") {
            let [average, peak, burst, floor] = rate(text)?;
            if average == 0 && (burst > 0 || peak > 0) && floor == 0 {
                return Err(says("either inbound average or floor is mandatory"));
            }
            sent.push(("inbound.average", average));
            sent.extend(
                [
                    ("inbound.peak", peak),
                    ("inbound.burst", burst),
                    ("inbound.floor", floor),
                ]
                .into_iter()
                .filter(|(_, v)| *v > 0),
            );
        }
        if let Some(text) = a.get("outbound") {
            let [average, peak, burst, floor] = rate(text)?;
            if average == 0 && (burst > 0 || peak > 0) {
                return Err(says("outbound average is mandatory"));
            }
            if floor > 0 {
                return Err(says("outbound floor is unsupported yet"));
            }
            sent.push(("outbound.average", average));
            sent.extend(
                [("outbound.peak", peak), ("outbound.burst", burst)]
                    .into_iter()
                    .filter(|(_, v)| *v > 0),
            );
        }
        if sent.is_empty() {
            let b = dom
                .nic_bandwidth(mac)
                .map_err(|e| Failure::call("Unable to get interface parameters", e))?;
            println!("{:<15}: {}", "outbound.average", b.average.unwrap_or(0));
            println!("{:<15}: {}", "inbound.floor", b.floor.unwrap_or(0));
            return Ok(());
        }
        let failed = |e| Failure::call("Unable to set interface parameters", e);
        let (average, floor) = bandwidth_change(&sent).map_err(failed)?;
        dom.set_nic_bandwidth(mac, average, floor).map_err(failed)
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpulists_read_and_print_as_virsh_does() {
        assert_eq!(cpu_list("0-3,^2", 8).ok(), Some(vec![0, 1, 3]));
        assert_eq!(cpu_list("r", 3).ok(), Some(vec![0, 1, 2]));
        assert_eq!(cpu_list("5", 8).ok(), Some(vec![5]));
        for bad in ["", "x", "3-1", "^1", "1-"] {
            assert!(cpu_list(bad, 8).is_err(), "{bad}");
        }
        assert!(cpu_list("9", 8).is_err());
        assert_eq!(cpu_ranges(&[0, 1, 2, 3, 5, 7, 8]), "0-3,5,7-8");
        assert_eq!(cpu_ranges(&[4]), "4");
    }
}
