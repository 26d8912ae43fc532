//! Device hot-plug commands: `attach-device`, `detach-device`, `update-device`,
//! `detach-device-alias` from XML files, and virsh's helpers that build or find the device XML
//! themselves (`attach-disk`, `detach-disk`, `attach-interface`, `detach-interface`,
//! `change-media`).

use super::monitor::devices;
use super::{CONFIG, CURRENT, DOMAIN, LIVE, bits, domain, extra, read_file};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::{AffectFlags, CheckedFlags};
use esx_driver::abi::virDomainModificationImpact as Affect;
use esx_driver::driver::domain::devices::DeviceChange;
use esx_driver::xml::{Element, escape_attr, escape_text};

const PERSISTENT: Opt = Opt::flag("persistent", "the definition, and the running domain too");

/// virsh's affect options for device changes: `--current` excludes `--live`, `--config` and
/// `--persistent`; `--persistent` is the definition, and the live domain when it runs.
fn affect(s: &mut Session, a: &Args) -> Result<AffectFlags, Failure> {
    for other in ["live", "config", "persistent"] {
        a.exclusive("current", other)?;
    }
    let mut b = bits(
        a,
        &[
            ("live", Affect::VIR_DOMAIN_AFFECT_LIVE as u32),
            ("config", Affect::VIR_DOMAIN_AFFECT_CONFIG as u32),
            ("persistent", Affect::VIR_DOMAIN_AFFECT_CONFIG as u32),
        ],
    );
    if a.flag("persistent") && domain(s, a)?.current_state()?.id() != -1 {
        b |= Affect::VIR_DOMAIN_AFFECT_LIVE as u32;
    }
    Ok(AffectFlags::checked(b, "virDomainAttachDeviceFlags")?)
}

/// Applies `change` with device `xml`; virsh's `failed` line before the library's message.
fn change(s: &mut Session, a: &Args, xml: &str, how: DeviceChange, failed: String) -> Outcome {
    let flags = affect(s, a)?;
    let api = match how {
        DeviceChange::Attach => "virDomainAttachDeviceFlags",
        DeviceChange::Detach => "virDomainDetachDeviceFlags",
        DeviceChange::Update => "virDomainUpdateDeviceFlags",
    };
    domain(s, a)?
        .change_device(xml, how, flags, api)
        .map_err(|e| Failure::call(failed, e))
}

/// virsh's helpers' ending: the device XML printed (`--print-xml`), or the change made with
/// virsh's `failed` line on failure and its `done` message on success.
fn print_or_change(
    s: &mut Session,
    a: &Args,
    xml: &str,
    how: DeviceChange,
    failed: &str,
    done: &str,
) -> Outcome {
    if a.flag("print-xml") {
        print!("{xml}");
        return Ok(());
    }
    change(s, a, xml, how, failed.into())?;
    extra(s, done);
    Ok(())
}

/// A command that applies a device change from an XML file.
macro_rules! from_file {
    ($name:literal, $summary:literal, $how:ident, $verb:literal, $done:literal) => {
        Cmd {
            name: $name,
            group: "domain",
            summary: $summary,
            description: "",
            opts: &[
                DOMAIN,
                Opt::data("file", "the file holding the device XML"),
                PERSISTENT,
                CONFIG,
                LIVE,
                CURRENT,
                Opt::flag("force", "force the change (media of a locked drive)"),
            ],
            run: |s: &mut Session, a: &Args| -> Outcome {
                let file = a.required("file");
                let xml = read_file(file)?;
                let failed = format!("Failed to {} device from {file}", $verb);
                change(s, a, &xml, DeviceChange::$how, failed)?;
                extra(s, $done);
                Ok(())
            },
        }
    };
}

pub const ATTACH_DEVICE: Cmd = from_file!(
    "attach-device",
    "attach a device from an XML file",
    Attach,
    "attach",
    "Device attached successfully"
);
pub const DETACH_DEVICE: Cmd = from_file!(
    "detach-device",
    "detach the device an XML file describes",
    Detach,
    "detach",
    "Device detached successfully"
);
pub const UPDATE_DEVICE: Cmd = from_file!(
    "update-device",
    "change a device (media, a NIC's network or link) as an XML file describes",
    Update,
    "update",
    "Device updated successfully"
);

pub const DETACH_DEVICE_ALIAS: Cmd = Cmd {
    name: "detach-device-alias",
    group: "domain",
    summary: "detach the device with this alias",
    description: "Detaches the device whose alias (its vSphere label, such as 'Network adapter 1') is given.",
    opts: &[
        DOMAIN,
        Opt::data("alias", "the device's alias"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let flags = affect(s, a)?;
        let alias = a.required("alias");
        domain(s, a)?
            .detach_alias(alias, flags, "virDomainDetachDeviceAlias")
            .map_err(|e| Failure::call(format!("Failed to detach device with alias {alias}"), e))?;
        extra(s, "Device detach request sent successfully");
        Ok(())
    },
};

/// An element written back as XML (attributes and text escaped), for a device found in the
/// domain's XML.
fn to_xml(e: &Element, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    out.push_str(&format!("{pad}<{}", e.name));
    for (k, v) in &e.attrs {
        out.push_str(&format!(" {k}='{}'", escape_attr(v)));
    }
    let text = e.text.trim();
    match (e.children.is_empty(), text.is_empty()) {
        (true, true) => out.push_str("/>\n"),
        (true, false) => out.push_str(&format!(">{}</{}>\n", escape_text(text), e.name)),
        (false, _) => {
            out.push_str(">\n");
            for c in &e.children {
                to_xml(c, depth + 1, out);
            }
            out.push_str(&format!("{pad}</{}>\n", e.name));
        }
    }
}

/// The disk whose target or source is `key`, as virsh finds it.
fn find_disk(s: &mut Session, a: &Args, key: &str) -> Result<Element, Failure> {
    devices(s, a, "disk")?
        .into_iter()
        .find(|d| {
            let target = d.child("target").and_then(|t| t.attr("dev"));
            let source = d.child("source").and_then(|src| {
                ["file", "dev", "dir", "name", "volume"]
                    .iter()
                    .find_map(|n| src.attr(n))
            });
            target == Some(key) || source == Some(key)
        })
        .ok_or_else(|| {
            Failure::lines(vec![format!(
                "No disk found whose source path or target is {key}"
            )])
        })
}

pub const ATTACH_DISK: Cmd = Cmd {
    name: "attach-disk",
    group: "domain",
    summary: "attach a disk (an existing file) to the domain",
    description: "Attaches SOURCE (a VMDK or ISO on a datastore) at TARGET.",
    opts: &[
        DOMAIN,
        Opt::data("source", "the disk's file ([datastore] dir/disk.vmdk)"),
        Opt::data("target", "the target device (sdb)"),
        Opt::string("targetbus", "the bus (scsi, ide, sata)"),
        Opt::string("driver", "the driver name"),
        Opt::string("subdriver", "the image format"),
        Opt::string("cache", "the cache mode"),
        Opt::string("type", "disk, cdrom or floppy"),
        Opt::string("mode", "readonly or shareable"),
        Opt::string("sourcetype", "file or block"),
        Opt::string("serial", "the disk's serial"),
        Opt::flag("print-xml", "print the device XML instead of attaching it"),
        PERSISTENT,
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let kind = a.get("sourcetype").unwrap_or("file");
        let device = a.get("type").unwrap_or("disk");
        let mut x = format!(
            "<disk type='{}' device='{}'>\n",
            escape_attr(kind),
            escape_attr(device)
        );
        let driver: Vec<String> = [
            ("name", "driver"),
            ("type", "subdriver"),
            ("cache", "cache"),
        ]
        .iter()
        .filter_map(|(attr, opt)| a.get(opt).map(|v| format!(" {attr}='{}'", escape_attr(v))))
        .collect();
        if !driver.is_empty() {
            x.push_str(&format!("  <driver{}/>\n", driver.concat()));
        }
        let source_attr = if kind == "block" { "dev" } else { "file" };
        x.push_str(&format!(
            "  <source {source_attr}='{}'/>\n",
            escape_attr(a.required("source"))
        ));
        x.push_str(&format!(
            "  <target dev='{}'",
            escape_attr(a.required("target"))
        ));
        if let Some(bus) = a.get("targetbus") {
            x.push_str(&format!(" bus='{}'", escape_attr(bus)));
        }
        x.push_str("/>\n");
        match a.get("mode") {
            None => {}
            Some("readonly") => x.push_str("  <readonly/>\n"),
            Some("shareable") => x.push_str("  <shareable/>\n"),
            Some(m) => {
                return Err(Failure::lines(vec![format!(
                    "No support for {m} in command 'attach-disk'"
                )]));
            }
        }
        if let Some(serial) = a.get("serial") {
            x.push_str(&format!("  <serial>{}</serial>\n", escape_text(serial)));
        }
        x.push_str("</disk>\n");
        print_or_change(
            s,
            a,
            &x,
            DeviceChange::Attach,
            "Failed to attach disk",
            "Disk attached successfully",
        )
    },
};

pub const DETACH_DISK: Cmd = Cmd {
    name: "detach-disk",
    group: "domain",
    summary: "detach a disk, by its target or source",
    description: "Detaches the disk whose target (sdb) or source file is given; the file stays.",
    opts: &[
        DOMAIN,
        Opt::data("target", "the disk's target or source"),
        Opt::flag("print-xml", "print the device XML instead of detaching it"),
        PERSISTENT,
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let disk = find_disk(s, a, a.required("target"))?;
        let mut x = String::new();
        to_xml(&disk, 0, &mut x);
        print_or_change(
            s,
            a,
            &x,
            DeviceChange::Detach,
            "Failed to detach disk",
            "Disk detached successfully",
        )
    },
};

pub const ATTACH_INTERFACE: Cmd = Cmd {
    name: "attach-interface",
    group: "domain",
    summary: "attach a network interface",
    description: "Attaches a NIC of TYPE (bridge or network) on SOURCE (the port group or switch).",
    opts: &[
        DOMAIN,
        Opt::data("type", "the interface type: bridge or network"),
        Opt::data("source", "the port group or network"),
        Opt::string("target", "the host-side device name"),
        Opt::string("mac", "the MAC address"),
        Opt::string("script", "a script to run (not on vSphere)"),
        Opt::string("model", "the NIC model (e1000, vmxnet3, …)"),
        Opt::string("alias", "the device's alias"),
        Opt::flag("print-xml", "print the device XML instead of attaching it"),
        PERSISTENT,
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let kind = a.required("type");
        let source_attr = match kind {
            "network" => "network",
            "bridge" => "bridge",
            "direct" => "dev",
            other => {
                return Err(Failure::lines(vec![format!(
                    "No support for {other} in command 'attach-interface'"
                )]));
            }
        };
        let mut x = format!("<interface type='{}'>\n", escape_attr(kind));
        x.push_str(&format!(
            "  <source {source_attr}='{}'/>\n",
            escape_attr(a.required("source"))
        ));
        for (opt, element, attr) in [
            ("target", "target", "dev"),
            ("mac", "mac", "address"),
            ("script", "script", "path"),
            ("model", "model", "type"),
            ("alias", "alias", "name"),
        ] {
            if let Some(v) = a.get(opt) {
                x.push_str(&format!("  <{element} {attr}='{}'/>\n", escape_attr(v)));
            }
        }
        x.push_str("</interface>\n");
        print_or_change(
            s,
            a,
            &x,
            DeviceChange::Attach,
            "Failed to attach interface",
            "Interface attached successfully",
        )
    },
};

pub const DETACH_INTERFACE: Cmd = Cmd {
    name: "detach-interface",
    group: "domain",
    summary: "detach a network interface, by type and MAC address",
    description: "Detaches the domain's NIC of TYPE (the only one, or the one with --mac).",
    opts: &[
        DOMAIN,
        Opt::data("type", "the interface type"),
        Opt::string("mac", "the MAC address"),
        PERSISTENT,
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let kind = a.required("type");
        let says = |t: String| Err(Failure::lines(vec![t]));
        let typed: Vec<Element> = devices(s, a, "interface")?
            .into_iter()
            .filter(|i| i.attr("type") == Some(kind))
            .collect();
        if typed.is_empty() {
            return says(format!("No interface found whose type is {kind}"));
        }
        let mac = |i: &Element| {
            i.child("mac")
                .and_then(|m| m.attr("address"))
                .map(str::to_lowercase)
        };
        let nic = match a.get("mac") {
            Some(m) => match typed
                .iter()
                .find(|i| mac(i).as_deref() == Some(&m.to_lowercase()))
            {
                Some(i) => i,
                None => return says(format!("No interface with MAC address {m} was found")),
            },
            None if typed.len() > 1 => {
                return says(format!(
                    "Domain has {} interfaces. Please specify which one to detach using --mac",
                    typed.len()
                ));
            }
            None => &typed[0],
        };
        let mut x = String::new();
        to_xml(nic, 0, &mut x);
        change(
            s,
            a,
            &x,
            DeviceChange::Detach,
            "Failed to detach interface".into(),
        )?;
        extra(s, "Interface detached successfully");
        Ok(())
    },
};

pub const CHANGE_MEDIA: Cmd = Cmd {
    name: "change-media",
    group: "domain",
    summary: "insert, change or eject a CD-ROM's or floppy's media",
    description: "Inserts SOURCE into the drive PATH names (its target or current media), updates it, or ejects the media.",
    opts: &[
        DOMAIN,
        Opt::data("path", "the drive: its target or current media"),
        Opt::optional("source", "the new media (an ISO or floppy image)"),
        Opt::flag("eject", "eject the media"),
        Opt::flag("insert", "insert media into an empty drive"),
        Opt::flag(
            "update",
            "replace the media (ejecting when no source is given)",
        ),
        CURRENT,
        LIVE,
        CONFIG,
        Opt::flag("force", "even if the guest locked the tray"),
        Opt::flag("print-xml", "print the device XML instead of changing it"),
        Opt::flag("block", "the source is a block device"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        for (x, y) in [
            ("eject", "insert"),
            ("eject", "update"),
            ("insert", "update"),
        ] {
            a.exclusive(x, y)?;
        }
        let source = a.get("source");
        let (insert, eject) = match (a.flag("eject"), a.flag("insert"), source) {
            (true, _, Some(_)) => {
                return Err(Failure::lines(vec![
                    "eject action does not accept a source".into(),
                ]));
            }
            (true, _, None) => (false, true),
            (false, true, None) => {
                return Err(Failure::lines(vec![
                    "No source is specified for inserting media".into(),
                ]));
            }
            (false, _, src) => (a.flag("insert"), src.is_none()),
        };
        let mut drive = find_disk(s, a, a.required("path"))?;
        let device = drive.attr("device").unwrap_or_default().to_string();
        if device != "cdrom" && device != "floppy" {
            return Err(Failure::lines(vec![format!(
                "The disk device '{}' is not removable",
                a.required("path")
            )]));
        }
        let has_media = drive.child("source").is_some();
        if insert && has_media {
            return Err(Failure::lines(vec![
                "The disk device already has media".into(),
            ]));
        }
        drive.children.retain(|c| c.name != "source");
        if let Some(src) = source.filter(|_| !eject) {
            let attr = if a.flag("block") { "dev" } else { "file" };
            drive.attrs.retain(|(k, _)| k != "type");
            drive.attrs.insert(
                0,
                (
                    "type".into(),
                    if a.flag("block") { "block" } else { "file" }.into(),
                ),
            );
            let at = drive
                .children
                .iter()
                .position(|c| c.name == "target")
                .unwrap_or(0);
            drive.children.insert(
                at,
                Element {
                    name: "source".into(),
                    attrs: vec![(attr.into(), src.into())],
                    ..Element::default()
                },
            );
        }
        let mut x = String::new();
        to_xml(&drive, 0, &mut x);
        let done = match (eject, insert) {
            (true, _) => "Successfully ejected media.",
            (false, true) => "Successfully inserted media.",
            (false, false) => "Successfully updated media.",
        };
        let failed = "Failed to complete action";
        print_or_change(s, a, &x, DeviceChange::Update, failed, done)
    },
};
