//! Domain tuning commands: `schedinfo` (vSphere's CPU allocation: reservation, limit,
//! shares), shown and set as virsh does it.

use super::{DOMAIN, domain, scaled};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::driver::domain::SchedParams;
use esx_driver::driver::domain::disk_control::{device_weights, not_a_weight, not_an_io_limit};

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
        Opt::flag(
            "current",
            "the current state (live when running, else the definition)",
        ),
        Opt::flag("config", "the definition used at the next start"),
        Opt::flag("live", "the running domain"),
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
    opts[22] = Opt::flag("config", "the definition used at the next start");
    opts[23] = Opt::flag("live", "the running domain");
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
        Opt::flag("config", "the definition used at the next start"),
        Opt::flag("live", "the running domain"),
        Opt::flag(
            "current",
            "the running domain when it runs, else the definition",
        ),
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
