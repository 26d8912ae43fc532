//! Domain changes beyond power: autostart, memory and vCPUs, managed save, rename,
//! description and metadata, create, screenshot and the VMX conversions, with virsh's words.

use super::{
    CONFIG, CURRENT, DOMAIN, LIVE, bits, domain, extra, extra_line, read_file, with_newline,
};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::flags::{CheckedFlags, MemoryFlags, VcpuFlags};
use esx_driver::abi::virDomainModificationImpact as Affect;
use esx_driver::abi::virDomainVcpuFlags::VIR_DOMAIN_VCPU_HOTPLUGGABLE as HOTPLUGGABLE;
use esx_driver::xml::metadata::Metadata;

/// The affect bits of `--live` and `--config`, refusing `--current` with either as virsh does.
fn affect(a: &Args) -> Result<u32, Failure> {
    a.exclusive("current", "live")?;
    a.exclusive("current", "config")?;
    Ok(bits(
        a,
        &[
            ("live", Affect::VIR_DOMAIN_AFFECT_LIVE as u32),
            ("config", Affect::VIR_DOMAIN_AFFECT_CONFIG as u32),
        ],
    ))
}

pub const AUTOSTART: Cmd = Cmd {
    name: "autostart",
    group: "domain",
    summary: "start the domain with the host, or not",
    description: "Marks the domain to start when the host starts (the host's autostart list), or with --disable unmarks it.",
    opts: &[
        DOMAIN,
        Opt::flag("disable", "do not start it with the host"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let name = a.required("domain");
        let on = !a.flag("disable");
        let (done, failed) = match on {
            true => ("marked as autostarted", "mark"),
            false => ("unmarked as autostarted", "unmark"),
        };
        dom.set_autostart(on).map_err(|e| {
            Failure::call(
                format!("Failed to {failed} domain '{name}' as autostarted"),
                e,
            )
        })?;
        extra(s, &format!("Domain '{name}' {done}"));
        Ok(())
    },
};

/// A size in KiB, as virsh reads a memory size (KiB unless a unit is given).
fn kib(text: &str, option: &str) -> Result<u64, Failure> {
    Ok(super::scaled(text, option, 1024)?.div_ceil(1024))
}

pub const SETMEM: Cmd = Cmd {
    name: "setmem",
    group: "domain",
    summary: "change the domain's current memory",
    description: "Changes the memory the domain may use (vSphere's memory limit), in KiB unless a unit is given.",
    opts: &[
        DOMAIN,
        Opt::data("size", "the new size (KiB, or with a unit)"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let flags = MemoryFlags::checked(affect(a)?, "virDomainSetMemoryFlags")?;
        let size = kib(a.required("size"), "size")?;
        domain(s, a)?.set_memory(size, flags)?;
        Ok(())
    },
};

pub const SETMAXMEM: Cmd = Cmd {
    name: "setmaxmem",
    group: "domain",
    summary: "change the domain's memory size",
    description: "Changes the VM's memory size, in KiB unless a unit is given.",
    opts: &[
        DOMAIN,
        Opt::data("size", "the new size (KiB, or with a unit)"),
        CONFIG,
        LIVE,
        CURRENT,
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let bits = affect(a)? | MemoryFlags::MAXIMUM.bits();
        let size = kib(a.required("size"), "size")?;
        let dom = domain(s, a)?;
        MemoryFlags::checked(bits, "virDomainSetMemoryFlags")
            .and_then(|flags| dom.set_memory(size, flags))
            .map_err(|e| Failure::call("Unable to change MaxMemorySize", e))?;
        Ok(())
    },
};

pub const SETVCPUS: Cmd = Cmd {
    name: "setvcpus",
    group: "domain",
    summary: "change the domain's vCPU count",
    description: "Changes the number of vCPUs (a running VM needs CPU hot-add).",
    opts: &[
        DOMAIN,
        Opt::data("count", "the number of vCPUs"),
        Opt::flag("maximum", "the maximum instead of the current count"),
        CONFIG,
        LIVE,
        CURRENT,
        Opt::flag("guest", "in the guest, through its agent"),
        Opt::flag("hotpluggable", "as hot-pluggable vCPUs"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let count = a.required("count");
        let n: u32 = count.parse().map_err(|_| {
            Failure::lines(vec![format!(
                "Numeric value '{count}' for <count> option is malformed or out of range"
            )])
        })?;
        let bits = affect(a)?
            | bits(
                a,
                &[
                    ("maximum", VcpuFlags::MAXIMUM.bits()),
                    ("guest", VcpuFlags::GUEST.bits()),
                    ("hotpluggable", HOTPLUGGABLE as u32),
                ],
            );
        let flags = VcpuFlags::checked(bits, "virDomainSetVcpusFlags")?;
        domain(s, a)?.set_vcpus(n, flags)?;
        Ok(())
    },
};

pub const MANAGEDSAVE: Cmd = Cmd {
    name: "managedsave",
    group: "domain",
    summary: "save the running domain's state to start from later",
    description: "Suspends the running VM to its own files; the next start resumes it.",
    opts: &[
        DOMAIN,
        Opt::flag("bypass-cache", "avoid the file system cache"),
        Opt::flag("running", "start it running afterwards"),
        Opt::flag("paused", "start it paused afterwards"),
        Opt::flag("verbose", "show the progress"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("running", "paused")?;
        let dom = domain(s, a)?;
        let name = a.required("domain");
        dom.managed_save()
            .map_err(|e| Failure::call(format!("Failed to save domain '{name}' state"), e))?;
        extra(s, &format!("Domain '{name}' state saved by libvirt"));
        Ok(())
    },
};

pub const MANAGEDSAVE_REMOVE: Cmd = Cmd {
    name: "managedsave-remove",
    group: "domain",
    summary: "discard the domain's saved state",
    description: "Discards the suspended state, so that the next start boots the VM afresh.",
    opts: &[DOMAIN],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let name = dom.cached().name;
        if !dom.has_managed_save()? {
            extra(
                s,
                &format!("Domain '{name}' has no manage save image; removal skipped"),
            );
            return Ok(());
        }
        dom.managed_save_remove().map_err(|e| {
            Failure::call(
                format!("Failed to remove managed save image for domain '{name}'"),
                e,
            )
        })?;
        extra_line(s, &format!("Removed managedsave image for domain '{name}'"));
        Ok(())
    },
};

pub const DOMRENAME: Cmd = Cmd {
    name: "domrename",
    group: "domain",
    summary: "rename a stopped domain",
    description: "Gives the VM a new name (its files keep theirs).",
    opts: &[DOMAIN, Opt::data("new-name", "the new name")],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        dom.rename(a.required("new-name"))?;
        extra(s, "Domain successfully renamed");
        Ok(())
    },
};

pub const DESC: Cmd = Cmd {
    name: "desc",
    group: "domain",
    summary: "show or change the domain's description",
    description: "Shows the description (the VM's annotation), or sets it from --new-desc or the words given.",
    opts: &[
        DOMAIN,
        LIVE,
        CONFIG,
        CURRENT,
        Opt::flag("title", "the title instead (vSphere has none)"),
        Opt::flag("edit", "edit it in $EDITOR"),
        Opt::argv("new-desc", "the new description"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        let dom = domain(s, a)?;
        let name = a.required("domain");
        let words = a.all("new-desc");
        let what = if a.flag("title") {
            "title"
        } else {
            "description"
        };
        if a.flag("title") {
            // A VM has one annotation, which is libvirt's description; no title to keep.
            return Err(Failure::lines(vec![format!(
                "this function is not supported by the connection driver: a vSphere VM has \
                 no title apart from its annotation (the description) of domain '{name}'"
            )]));
        }
        if words.is_empty() && !a.flag("edit") {
            match dom.description()?.as_str() {
                "" => extra_line(s, &format!("No {what} for domain: {name}")),
                text => print!("{text}"),
            }
            return Ok(());
        }
        let text = match a.flag("edit") {
            true => {
                let before = dom.description()?;
                let after = super::edit::edit_text(&before, "txt")?;
                if after == before {
                    extra(s, &format!("Domain {what} not changed"));
                    return Ok(());
                }
                after
            }
            false => words.join(" "),
        };
        dom.set_description(&text)
            .map_err(|e| Failure::call(format!("Failed to set new domain {what}"), e))?;
        extra_line(s, &format!("Domain {what} updated successfully"));
        Ok(())
    },
};

pub const METADATA: Cmd = Cmd {
    name: "metadata",
    group: "domain",
    summary: "show, set or remove the domain's metadata element of a namespace",
    description: "Shows the metadata element of namespace URI; with --set and --key, sets it; with --remove, removes it.",
    opts: &[
        DOMAIN,
        Opt::data("uri", "the element's namespace URI"),
        LIVE,
        CONFIG,
        CURRENT,
        Opt::flag("edit", "edit the element in $EDITOR"),
        Opt::string("key", "the namespace prefix (with --set or --edit)"),
        Opt::string("set", "the new element"),
        Opt::flag("remove", "remove the element"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        affect(a)?;
        a.exclusive("edit", "set")?;
        a.exclusive("remove", "set")?;
        a.exclusive("remove", "edit")?;
        let uri = a.required("uri");
        if (a.flag("set") || a.flag("edit")) && !a.flag("key") {
            return Err(Failure::lines(vec![
                "namespace key is required when modifying metadata".into(),
            ]));
        }
        let dom = domain(s, a)?;
        if a.flag("remove") {
            dom.set_element_metadata(uri, None)?;
            extra(s, "Metadata removed");
            return Ok(());
        }
        let new = match (a.get("set"), a.flag("edit")) {
            (Some(xml), _) => Some(xml.to_string()),
            (None, true) => {
                let before = dom
                    .element_metadata(uri)?
                    .map(|m| m.xml)
                    .unwrap_or_default();
                let after = super::edit::edit_text(&before, "xml")?;
                if after == before {
                    extra(s, "Metadata not changed");
                    return Ok(());
                }
                Some(after)
            }
            (None, false) => None,
        };
        match new {
            Some(xml) => {
                let element = Metadata::new(&xml, a.required("key"), uri)?;
                dom.set_element_metadata(uri, Some(&element))?;
                extra(s, "Metadata modified");
            }
            None => match dom.element_metadata(uri)? {
                Some(m) => println!("{}", m.xml),
                None => {
                    return Err(Failure::lines(vec![
                        "metadata not found: Requested metadata element is not present".into(),
                    ]));
                }
            },
        }
        Ok(())
    },
};

pub const CREATE: Cmd = Cmd {
    name: "create",
    group: "domain",
    summary: "define a domain from an XML file and start it",
    description: "Defines the domain and starts it (vSphere has no transient VMs: it stays defined).",
    opts: &[
        Opt::data("file", "the file holding the domain XML"),
        Opt::flag("paused", "leave it paused once started"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let file = a.required("file");
        let xml = read_file(file)?;
        let vm = s
            .conn()?
            .create_xml(&xml, a.flag("paused"))
            .map_err(|e| Failure::call(format!("Failed to create domain from {file}"), e))?;
        extra(s, &format!("Domain '{}' created from {file}", vm.name));
        Ok(())
    },
};

pub const SCREENSHOT: Cmd = Cmd {
    name: "screenshot",
    group: "domain",
    summary: "save a screenshot of the domain's console",
    description: "Saves the console as a PNG file (by default DOMAIN-DATE.png in the current directory).",
    opts: &[
        DOMAIN,
        Opt::optional("file", "where to save it"),
        Opt::string("screen", "the screen (0, the only one vSphere has)"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let dom = domain(s, a)?;
        let name = dom.cached().name;
        if a.get("screen").is_some_and(|n| n != "0") {
            return Err(Failure::lines(vec![format!(
                "could not take a screenshot of {name}"
            )]));
        }
        let file = match a.get("file") {
            Some(f) => f.to_string(),
            None => {
                let now = jiff::ZonedDateTime::now()
                    .strftime("%Y-%m-%d-%H:%M:%S")
                    .to_string();
                format!("{name}-{now}.png")
            }
        };
        let failed = |e| Failure::call(format!("could not take a screenshot of {name}"), e);
        let mut stream = dom.screenshot().map_err(failed)?;
        let mut out = std::fs::File::create_new(&file)
            .map_err(|_| Failure::lines(vec![format!("cannot create file {file}")]))?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = stream.recv(&mut buf).map_err(failed)?;
            if n == 0 {
                break;
            }
            std::io::Write::write_all(&mut out, &buf[..n])
                .map_err(|e| Failure::lines(vec![format!("cannot write to file {file}: {e}")]))?;
        }
        stream.finish().map_err(failed)?;
        let mime = esx_driver::driver::domain::screenshot::MIME_TYPE;
        extra(
            s,
            &format!("Screenshot saved to {file}, with type of {mime}"),
        );
        Ok(())
    },
};

pub const DOMXML_TO_NATIVE: Cmd = Cmd {
    name: "domxml-to-native",
    group: "domain",
    summary: "convert domain XML to a VMX file",
    description: "Converts libvirt domain XML (a file, or a defined domain's) to the vmware-vmx format.",
    opts: &[
        Opt::data("format", "the native format: vmware-vmx"),
        Opt::optional("xml", "the file holding the domain XML"),
        Opt::string("domain", "a defined domain whose XML to convert"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        a.exclusive("xml", "domain")?;
        let xml = match (a.get("xml"), a.get("domain")) {
            (Some(f), _) => read_file(f)?,
            (None, Some(key)) => {
                let flags = esx_driver::abi::flags::DomainXmlFlags::INACTIVE;
                super::lookup(s, key, super::ANY)?.domain_xml(flags)?
            }
            (None, None) => {
                return Err(Failure::lines(vec![
                    "Either --xml or --domain must be specified".into(),
                ]));
            }
        };
        print!(
            "{}",
            s.conn()?.domain_xml_to_native(a.required("format"), &xml)?
        );
        Ok(())
    },
};

pub const DOMXML_FROM_NATIVE: Cmd = Cmd {
    name: "domxml-from-native",
    group: "domain",
    summary: "convert a VMX file to domain XML",
    description: "Converts a vmware-vmx file to libvirt domain XML, with the datastores the connection sees.",
    opts: &[
        Opt::data("format", "the native format: vmware-vmx"),
        Opt::data("config", "the file holding the VMX configuration"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let config = read_file(a.required("config"))?;
        let xml = s
            .conn()?
            .domain_xml_from_native(a.required("format"), config)?;
        print!("{}", with_newline(xml));
        Ok(())
    },
};
