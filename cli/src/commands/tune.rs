//! Domain tuning commands: `schedinfo` (vSphere's CPU allocation: reservation, limit,
//! shares), shown and set as virsh does it.

use super::{DOMAIN, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::driver::domain::SchedParams;

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
