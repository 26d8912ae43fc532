//! What VMware Tools report of a guest, as virsh prints it: `guestinfo` (libvirt's typed
//! report) and `domfsinfo` (the file systems). libvirt's ESX driver has neither.

use super::stats::typed;
use super::{DOMAIN, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome, table};
use esx_driver::abi::flags::GuestInfoTypes as G;

/// virsh's options, each naming one group of the report.
const GROUPS: [(&str, G); 7] = [
    ("user", G::USERS),
    ("os", G::OS),
    ("timezone", G::TIMEZONE),
    ("hostname", G::HOSTNAME),
    ("filesystem", G::FILESYSTEM),
    ("disk", G::DISKS),
    ("interface", G::INTERFACES),
];

pub const GUESTINFO: Cmd = Cmd {
    name: "guestinfo",
    group: "domain",
    summary: "what VMware Tools report of the guest",
    description: "Shows the guest's operating system, host name, file systems, disks and interfaces as VMware Tools report them; without options, every group Tools report. Users and time zone are not reported by Tools.",
    opts: &[
        DOMAIN,
        Opt::flag("user", "report active users (not reported by VMware Tools)"),
        Opt::flag("os", "report operating system information"),
        Opt::flag(
            "timezone",
            "report timezone information (not reported by VMware Tools)",
        ),
        Opt::flag("hostname", "report hostname"),
        Opt::flag("filesystem", "report filesystem information"),
        Opt::flag("disk", "report disk information"),
        Opt::flag("interface", "report interface information"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let types = GROUPS
            .iter()
            .filter(|(opt, _)| a.flag(opt))
            .fold(G::empty(), |t, (_, g)| t | *g)
            .reported()?;
        let report = domain(s, a)?.guest_report()?;
        for (field, value) in report.params(types) {
            println!("{field:<20}: {}", typed(&value));
        }
        Ok(())
    },
};

pub const DOMFSINFO: Cmd = Cmd {
    name: "domfsinfo",
    group: "domain",
    summary: "the guest's mounted file systems",
    description: "Lists the file systems VMware Tools report, each with the targets of the virtual disks it lives on (vSphere names no guest device, so Name is empty).",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let report = domain(s, a)?
            .guest_report()
            .map_err(|e| Failure::call("Unable to get filesystem information", e))?;
        if report.filesystems.is_empty() {
            return Err(Failure::lines(vec![
                "No filesystems are mounted in the domain".into(),
            ]));
        }
        let rows: Vec<Vec<String>> = report
            .filesystems
            .iter()
            .map(|f| {
                vec![
                    f.mountpoint.clone(),
                    String::new(),
                    f.fstype.clone(),
                    f.disks.join(","),
                ]
            })
            .collect();
        let header = ["Mountpoint", "Name", "Type", "Target"];
        print!("{}", table::render(&header, &rows, s.quiet));
        Ok(())
    },
};
