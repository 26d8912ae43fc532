//! Node device commands over the host and its PCI functions: virsh's listing (flat, by
//! capability, or as its tree), a device's XML, and passthrough switched on and off.

use super::with_newline;
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::ListNodeDevicesFlags as F;
use esx_driver::driver::node_device::{NodeDevice, NodeDeviceFacts, Passthrough};

/// libvirt's capability names and the listing flag of each (virsh's `--cap` words).
const CAPS: &[(&str, F)] = &[
    ("system", F::CAP_SYSTEM),
    ("pci", F::CAP_PCI_DEV),
    ("usb_device", F::CAP_USB_DEV),
    ("usb", F::CAP_USB_INTERFACE),
    ("net", F::CAP_NET),
    ("scsi_host", F::CAP_SCSI_HOST),
    ("scsi_target", F::CAP_SCSI_TARGET),
    ("scsi", F::CAP_SCSI),
    ("storage", F::CAP_STORAGE),
    ("fc_host", F::CAP_FC_HOST),
    ("vports", F::CAP_VPORTS),
    ("scsi_generic", F::CAP_SCSI_GENERIC),
    ("drm", F::CAP_DRM),
    ("mdev_types", F::CAP_MDEV_TYPES),
    ("mdev", F::CAP_MDEV),
    ("ccw", F::CAP_CCW_DEV),
    ("css", F::CAP_CSS_DEV),
    ("vdpa", F::CAP_VDPA),
    ("ap_card", F::CAP_AP_CARD),
    ("ap_queue", F::CAP_AP_QUEUE),
    ("ap_matrix", F::CAP_AP_MATRIX),
    ("vpd", F::CAP_VPD),
];

const DEVICE: Opt = Opt::data("device", "the device's name");

fn failure(line: String) -> Failure {
    Failure::lines(vec![line])
}

/// The device `name`, with virsh's line when there is none.
fn device(s: &mut Session, name: &str) -> Result<NodeDevice, Failure> {
    let conn = s.conn()?;
    let facts = conn
        .node_device(name, "virNodeDeviceLookupByName")
        .map_err(|e| Failure::call(format!("Could not find matching device '{name}'"), e))?;
    Ok(NodeDevice::new(conn, facts))
}

pub const NODEDEV_LIST: Cmd = Cmd {
    name: "nodedev-list",
    group: "nodedev",
    summary: "the host's devices",
    description: "Lists the host (computer) and its PCI functions, by name or as a tree of bridges.",
    opts: &[
        Opt::flag("tree", "list devices in a tree"),
        Opt::string("cap", "capability names, separated by comma"),
        Opt::flag("inactive", "list inactive devices"),
        Opt::flag("all", "list inactive & active devices"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let (tree, inactive) = (a.flag("tree"), a.flag("inactive"));
        let mut flags = F::empty();
        for word in a.get("cap").map(|c| c.split(',')).into_iter().flatten() {
            let (_, flag) = CAPS
                .iter()
                .find(|(name, _)| *name == word.trim())
                .ok_or_else(|| failure("Invalid capability type".into()))?;
            flags |= *flag;
        }
        if a.flag("all") && inactive {
            return Err(failure(
                "Option --all is incompatible with --inactive".into(),
            ));
        }
        if tree && (a.get("cap").is_some() || inactive) {
            return Err(failure(
                "Option --tree is incompatible with --cap and --inactive".into(),
            ));
        }
        if inactive || a.flag("all") {
            flags |= F::INACTIVE;
        }
        if !inactive {
            flags |= F::ACTIVE;
        }
        let mut devices: Vec<NodeDeviceFacts> = s
            .conn()?
            .node_devices("virConnectListAllNodeDevices")
            .map_err(|e| Failure::call("Failed to list node devices", e))?
            .into_iter()
            .filter(|d| d.listed_by(flags))
            .collect();
        devices.sort_by_key(|d| d.name.to_ascii_lowercase());
        if !tree {
            for d in &devices {
                println!("{}", d.name);
            }
            return Ok(());
        }
        let mut out = String::new();
        for (i, d) in devices.iter().enumerate() {
            if d.parent.is_none() {
                branch(&devices, i, i, true, &mut String::new(), &mut out);
            }
        }
        print!("{out}");
        Ok(())
    },
};

/// virsh's tree: each device under its parent, `+- ` before it, `|` joining the siblings that
/// follow it, and a blank line closing each last leaf.
fn branch(
    all: &[NodeDeviceFacts],
    at: usize,
    last: usize,
    root: bool,
    indent: &mut String,
    out: &mut String,
) {
    let name = &all[at].name;
    out.push_str(&format!(
        "{indent}{}{name}\n",
        if root { "" } else { "+- " }
    ));
    let kept = indent.len();
    if !root {
        indent.push(if at == last { ' ' } else { '|' });
        indent.push(' ');
    }
    let children: Vec<usize> = (0..all.len())
        .filter(|&i| all[i].parent.as_deref() == Some(name.as_str()))
        .collect();
    if !children.is_empty() {
        out.push_str(&format!("{indent}  |\n"));
    }
    indent.push_str("  ");
    let last_child = children.last().copied().unwrap_or(usize::MAX);
    for &child in &children {
        branch(all, child, last_child, false, indent, out);
    }
    indent.truncate(indent.len() - 2);
    if children.is_empty() && at == last {
        out.push_str(&format!("{indent}\n"));
    }
    indent.truncate(kept);
}

pub const NODEDEV_DUMPXML: Cmd = Cmd {
    name: "nodedev-dumpxml",
    group: "nodedev",
    summary: "node device details in XML",
    description: "",
    opts: &[DEVICE],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dev = device(s, a.required("device"))?;
        print!("{}", with_newline(dev.xml("virNodeDeviceGetXMLDesc")?));
        Ok(())
    },
};

/// The words after a passthrough change: when the host applies it only at its next reboot,
/// the command says so.
fn changed(s: &Session, name: &str, done: &str, when: Passthrough) {
    super::extra(s, &format!("Device {name} {done}"));
    if when == Passthrough::AfterReboot {
        super::extra(
            s,
            "The host applies the change when it reboots (vSphere reports a reboot is required)",
        );
    }
}

pub const NODEDEV_DETACH: Cmd = Cmd {
    name: "nodedev-detach",
    group: "nodedev",
    summary: "detach node device from its device driver",
    description: "Enables passthrough of the PCI function on its host, so that domains can be given it.",
    opts: &[
        DEVICE,
        Opt::string("driver", "pci device assignment backend driver (vfio)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let name = a.required("device");
        let dev = device(s, name)?;
        let when = dev
            .detach(a.get("driver"), "virNodeDeviceDetachFlags")
            .map_err(|e| Failure::call(format!("Failed to detach device {name}"), e))?;
        changed(s, name, "detached", when);
        Ok(())
    },
};

pub const NODEDEV_REATTACH: Cmd = Cmd {
    name: "nodedev-reattach",
    group: "nodedev",
    summary: "reattach node device to its device driver",
    description: "Disables passthrough of the PCI function: its host's driver takes it back.",
    opts: &[DEVICE],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let name = a.required("device");
        let dev = device(s, name)?;
        let when = dev
            .reattach("virNodeDeviceReAttach")
            .map_err(|e| Failure::call(format!("Failed to re-attach device {name}"), e))?;
        changed(s, name, "re-attached", when);
        Ok(())
    },
};
