//! Reads domain XML into a `DomainDef` as tolerantly as libvirt does for an inactive
//! definition: unknown elements are skipped, missing values get libvirt's defaults.

use super::*;
use crate::error::{Code, Domain, Error};
use crate::xml::reader::{Element, parse_document};

/// libvirt drops interface names it would have generated itself when reading an inactive
/// definition, so they never reach the VMX file.
const GENERATED_IFNAME_PREFIXES: [&str; 3] = ["vnet", "macvtap", "macvlan"];

fn err(detail: impl Into<String>) -> Error {
    Error::new(Code::XmlError, Domain::Domain, detail)
}

/// One device of virDomainAttachDevice and its kin, read as the domain parser reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DeviceDef {
    /// With whether the XML gave the MAC address (the parser makes one up otherwise) and
    /// the link state it asks for (`<link state='up|down'/>`).
    Interface {
        iface: Interface,
        mac_given: bool,
        link_up: Option<bool>,
    },
    Disk(Disk),
    Hostdev(Hostdev),
    /// Another device element, by name.
    Other(String),
}

pub(crate) fn parse_device(xml: &str) -> Result<DeviceDef> {
    let root = parse_document(xml)?;
    Ok(match &*root.name {
        "interface" => DeviceDef::Interface {
            mac_given: root.child("mac").and_then(|m| m.attr("address")).is_some(),
            link_up: match root.child("link").and_then(|l| l.attr("state")) {
                None => None,
                Some("up") => Some(true),
                Some("down") => Some(false),
                Some(other) => {
                    return Err(err(format!(
                        "unknown interface link state '{}'",
                        crate::error::shorten(other, 32)
                    )));
                }
            },
            iface: parse_interface(&root)?,
        },
        "disk" => DeviceDef::Disk(parse_disk(&root)?),
        "hostdev" => DeviceDef::Hostdev(parse_hostdev(&root)?),
        other => DeviceDef::Other(crate::error::shorten(other, 64).into_owned()),
    })
}

pub(crate) fn parse_domain(xml: &str) -> Result<DomainDef> {
    let root = parse_document(xml)?;
    if root.name != "domain" {
        return Err(err(format!(
            "unexpected root element <{}>, expecting <domain>",
            root.name
        )));
    }
    let mut def = DomainDef {
        virt_type: root
            .attr("type")
            .ok_or_else(|| err("missing domain type attribute"))?
            .to_string(),
        name: root
            .child_text("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| Error::new(Code::NoName, Domain::Domain, "domain"))?
            .to_string(),
        ..DomainDef::default()
    };
    def.uuid = match root.child_text("uuid") {
        Some(text) => Uuid::parse(text).ok_or_else(|| err("malformed uuid element"))?,
        None => Uuid::random(),
    };
    if let Some(text) = root.child_text("genid") {
        def.genid = Some(if text.is_empty() {
            Uuid::random()
        } else {
            Uuid::parse(text).ok_or_else(|| err("malformed genid element"))?
        });
    }
    def.description = root.child("description").map(|d| d.text.clone());
    parse_vmware(&root, &mut def.vmware)?;
    def.metadata = Metadata::in_domain(xml, &root)?;
    parse_memory(&root, &mut def.memory)?;
    parse_vcpu(&root, &mut def.vcpu)?;
    if let Some(shares) = root.child("cputune").and_then(|c| c.child_text("shares")) {
        def.cputune_shares = Some(number(shares, "cputune/shares")?);
    }
    def.os = parse_os(&root)?;
    def.cpu = root.child("cpu").map(parse_cpu).transpose()?;
    def.clock_offset = root
        .child("clock")
        .and_then(|c| c.attr("offset"))
        .unwrap_or("utc")
        .to_string();
    for (field, name) in [
        (&mut def.on_poweroff, "on_poweroff"),
        (&mut def.on_reboot, "on_reboot"),
        (&mut def.on_crash, "on_crash"),
    ] {
        *field = root.child_text(name).unwrap_or_default().to_string();
    }
    if let Some(devices) = root.child("devices") {
        def.devices = parse_devices(devices)?;
    }
    check_disk_controllers(&def.devices)?;
    def.apply_defaults();
    Ok(def)
}

/// More controllers of one kind than a domain may have: the implicit controllers up to a
/// disk's (given or derived) controller index would take unbounded time and memory.
const MAX_DISK_CONTROLLER: u32 = 1024;

fn check_disk_controllers(devices: &Devices) -> Result<()> {
    for disk in &devices.disks {
        let address = match &disk.address {
            Some(Address::Drive(a)) => Some(*a),
            Some(Address::Other(_)) => None,
            None => defaults::assign_drive_address(disk, defaults::SCSI_WIDE_BUS_MAX_UNIT),
        };
        if let Some(a) = address.filter(|a| a.controller > MAX_DISK_CONTROLLER) {
            return Err(err(format!(
                "disk '{}' needs controller {} but a domain has at most {MAX_DISK_CONTROLLER}",
                disk.target, a.controller
            )));
        }
    }
    Ok(())
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T> {
    text.trim()
        .parse()
        .map_err(|_| err(format!("invalid value '{text}' for {what}")))
}

fn yes_no(value: Option<&str>, what: &str) -> Result<Option<bool>> {
    match value {
        None => Ok(None),
        Some("yes") => Ok(Some(true)),
        Some("no") => Ok(Some(false)),
        Some(other) => Err(err(format!("invalid value '{other}' for {what}"))),
    }
}

/// A size element scaled to KiB, rounding up as libvirt does.
fn kib(element: &Element) -> Result<u64> {
    let value: u64 = number(&element.text, &element.name)?;
    let unit = element.attr("unit").unwrap_or("KiB");
    let bytes_per_unit: u64 = match unit {
        "b" | "bytes" => 1,
        "KB" => 1000,
        "k" | "K" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "m" | "M" | "MiB" => 1 << 20,
        "GB" => 1_000_000_000,
        "g" | "G" | "GiB" => 1 << 30,
        "TB" => 1_000_000_000_000,
        "t" | "T" | "TiB" => 1 << 40,
        "PB" => 1_000_000_000_000_000,
        "p" | "P" | "PiB" => 1 << 50,
        "EB" => 1_000_000_000_000_000_000,
        "e" | "E" | "EiB" => 1 << 60,
        other => return Err(err(format!("unknown suffix '{other}'"))),
    };
    value
        .checked_mul(bytes_per_unit)
        .map(|bytes| bytes.div_ceil(1024))
        .ok_or_else(|| {
            err(format!(
                "value '{}' of {} is too large",
                element.text.trim(),
                element.name
            ))
        })
}

fn parse_memory(root: &Element, memory: &mut Memory) -> Result<()> {
    if let Some(element) = root.child("memory") {
        memory.max_kib = kib(element)?;
    }
    if let Some(element) = root.child("currentMemory") {
        memory.current_kib = kib(element)?;
    }
    if let Some(element) = root.child("memtune").and_then(|m| m.child("min_guarantee")) {
        memory.min_guarantee_kib = kib(element)?;
    }
    if memory.max_kib == 0 {
        return Err(err(
            "Memory size must be specified via <memory> or in the <numa> configuration",
        ));
    }
    Ok(())
}

fn parse_vcpu(root: &Element, vcpu: &mut Vcpu) -> Result<()> {
    vcpu.max = 1;
    let Some(element) = root.child("vcpu") else {
        return Ok(());
    };
    if !element.text.trim().is_empty() {
        vcpu.max = number(&element.text, "vcpu")?;
    }
    if let Some(current) = element.attr("current") {
        vcpu.current = number(current, "vcpu current")?;
        if vcpu.current > vcpu.max {
            return Err(err(
                "maximum vcpus count must be greater than current vcpus count",
            ));
        }
    }
    if let Some(cpuset) = element.attr("cpuset") {
        vcpu.cpuset = parse_cpuset(cpuset)?;
    }
    Ok(())
}

/// libvirt's bitmap syntax: `0-2,5,^1`.
pub(crate) fn parse_cpuset(text: &str) -> Result<Vec<u32>> {
    let bad = || err(format!("Failed to parse bitmap '{text}'"));
    let mut set = std::collections::BTreeSet::new();
    for item in text.split(',').map(str::trim) {
        if let Some(excluded) = item.strip_prefix('^') {
            set.remove(&excluded.parse::<u32>().map_err(|_| bad())?);
            continue;
        }
        let (start, end) = match item.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u32>(), b.trim().parse::<u32>()),
            None => (item.parse::<u32>(), item.parse::<u32>()),
        };
        let (start, end) = (start.map_err(|_| bad())?, end.map_err(|_| bad())?);
        // libvirt's cpumask holds 4096 host CPUs
        if start > end || end >= 4096 {
            return Err(bad());
        }
        set.extend(start..=end);
    }
    Ok(set.into_iter().collect())
}

fn parse_os(root: &Element) -> Result<Os> {
    let os = root.child("os");
    let os_type = os.and_then(|o| o.child("type"));
    let Some(os_type) = os_type.filter(|t| !t.text.trim().is_empty()) else {
        return Err(err("an os <type> must be specified"));
    };
    let os = os.cloned().unwrap_or_default();
    Ok(Os {
        os_type: os_type.text.trim().to_string(),
        arch: os_type.attr("arch").unwrap_or_default().to_string(),
        machine: os_type.attr("machine").map(str::to_string),
        firmware: os.attr("firmware").map(str::to_string),
        firmware_features: os
            .child("firmware")
            .map(|f| {
                f.children_named("feature")
                    .filter_map(|feature| {
                        let name = feature.attr("name")?.to_string();
                        Some((name, feature.attr("enabled") == Some("yes")))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        boot_devices: os
            .children_named("boot")
            .filter_map(|b| b.attr("dev").map(str::to_string))
            .collect(),
        smbios_mode: os
            .child("smbios")
            .and_then(|s| s.attr("mode"))
            .map(str::to_string),
    })
}

fn parse_cpu(cpu: &Element) -> Result<Cpu> {
    let topology = match cpu.child("topology") {
        Some(t) => {
            let get = |name: &str, default: Option<u32>| -> Result<u32> {
                match t.attr(name) {
                    Some(value) => number(value, &format!("CPU topology '{name}'")),
                    None => default
                        .ok_or_else(|| err(format!("Missing '{name}' attribute in CPU topology"))),
                }
            };
            Some(Topology {
                sockets: get("sockets", None)?,
                dies: get("dies", Some(1))?,
                clusters: get("clusters", Some(1))?,
                cores: get("cores", None)?,
                threads: get("threads", None)?,
            })
        }
        None => None,
    };
    Ok(Cpu {
        mode: cpu.attr("mode").unwrap_or("custom").to_string(),
        topology,
    })
}

fn parse_devices(devices: &Element) -> Result<Devices> {
    let mut out = Devices::default();
    for child in &devices.children {
        match &*child.name {
            "disk" => out.disks.push(parse_disk(child)?),
            "controller" => {
                let controller_type = ControllerType::from_name(
                    child
                        .attr("type")
                        .ok_or_else(|| err("missing controller type"))?,
                );
                let index = match child.attr("index") {
                    Some(index) => number(index, "controller index")?,
                    None => next_controller_index(&out.controllers, &controller_type),
                };
                let model = child.attr("model").map(str::to_string);
                out.add_controller(controller_type, index, model);
            }
            "filesystem" => out.filesystems.push(parse_filesystem(child)?),
            "hostdev" => out.hostdevs.push(parse_hostdev(child)?),
            "interface" => out.interfaces.push(parse_interface(child)?),
            "serial" => {
                let chr = parse_chr(child, &out.serials)?;
                out.serials.push(chr);
            }
            "parallel" => {
                let chr = parse_chr(child, &out.parallels)?;
                out.parallels.push(chr);
            }
            "console" => {
                let chr = parse_chr(child, &[])?;
                out.consoles.push(chr);
            }
            "tpm" => out.tpms.push(Tpm {
                model: child.attr("model").unwrap_or("tpm-tis").to_string(),
                backend: child
                    .child("backend")
                    .and_then(|b| b.attr("type"))
                    .ok_or_else(|| err("missing TPM device backend type"))?
                    .to_string(),
                version: child
                    .child("backend")
                    .and_then(|b| b.attr("version"))
                    .map(str::to_string),
            }),
            "sound" => out.sounds.push(Sound {
                model: child
                    .attr("model")
                    .ok_or_else(|| err("missing sound model"))?
                    .to_string(),
            }),
            "graphics" => out.graphics.push(parse_graphics(child)?),
            "video" => {
                let video = parse_video(child)?;
                if video.primary {
                    out.videos.insert(0, video);
                } else {
                    out.videos.push(video);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn next_controller_index(controllers: &[Controller], controller_type: &ControllerType) -> u32 {
    controllers
        .iter()
        .filter(|c| &c.controller_type == controller_type)
        .map(|c| c.index.saturating_add(1))
        .max()
        .unwrap_or(0)
}

fn parse_disk(disk: &Element) -> Result<Disk> {
    let device = match disk.attr("device").unwrap_or("disk") {
        "disk" => DiskDevice::Disk,
        "cdrom" => DiskDevice::Cdrom,
        "floppy" => DiskDevice::Floppy,
        "lun" => DiskDevice::Lun,
        other => return Err(err(format!("unknown disk device '{other}'"))),
    };
    let disk_type = disk.attr("type").unwrap_or("file").to_string();
    let target_element = disk.child("target");
    let target = target_element
        .and_then(|t| t.attr("dev"))
        .ok_or_else(|| err("missing target information for device"))?
        .to_string();
    let bus = match target_element.and_then(|t| t.attr("bus")) {
        Some(bus) => DiskBus::from_name(bus),
        None => default_bus(&target, device),
    };
    let source = disk.child("source");
    let source_attr = match disk_type.as_str() {
        "block" => "dev",
        "dir" => "dir",
        "network" => "name",
        "volume" => "volume",
        _ => "file",
    };
    let driver = disk.child("driver");
    Ok(Disk {
        disk_type,
        device,
        bus,
        source: source
            .and_then(|s| s.attr(source_attr))
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        startup_policy: source
            .and_then(|s| s.attr("startupPolicy"))
            .map(str::to_string),
        target,
        driver_name: driver.and_then(|d| d.attr("name")).map(str::to_string),
        cache: driver.and_then(|d| d.attr("cache")).map(str::to_string),
        // libvirt treats every CD-ROM as read-only
        readonly: device == DiskDevice::Cdrom || disk.child("readonly").is_some(),
        transient: disk.child("transient").is_some(),
        address: disk.child("address").map(parse_address).transpose()?,
    })
}

/// libvirt guesses the bus from the target name's prefix when `bus` is left out.
/// The bus libvirt gives a disk whose XML names none, from its target's prefix.
pub(crate) fn default_bus(target: &str, device: DiskDevice) -> DiskBus {
    let by_prefix = [
        ("hd", DiskBus::Ide),
        ("sd", DiskBus::Scsi),
        ("fd", DiskBus::Fdc),
        ("nvme", DiskBus::Nvme),
        ("vd", DiskBus::Other("virtio".into())),
        ("xvd", DiskBus::Other("xen".into())),
        ("ubd", DiskBus::Other("uml".into())),
    ];
    by_prefix
        .into_iter()
        .find(|(prefix, _)| target.starts_with(prefix))
        .map(|(_, bus)| bus)
        .unwrap_or(if device == DiskDevice::Floppy {
            DiskBus::Fdc
        } else {
            DiskBus::Ide
        })
}

fn parse_address(address: &Element) -> Result<Address> {
    let kind = address.attr("type").unwrap_or_default();
    if kind != "drive" {
        return Ok(Address::Other(kind.to_string()));
    }
    let field = |name: &str| -> Result<u32> {
        address
            .attr(name)
            .map_or(Ok(0), |v| number(v, &format!("drive address '{name}'")))
    };
    Ok(Address::Drive(DriveAddress {
        controller: field("controller")?,
        bus: field("bus")?,
        target: field("target")?,
        unit: field("unit")?,
    }))
}

/// A host PCI function: mode `subsystem`, type `pci`, its source address in libvirt's numbers
/// (`0x0b` or `11`); VMware passes nothing else through.
fn parse_hostdev(h: &Element) -> Result<Hostdev> {
    let (mode, kind) = (h.attr("mode").unwrap_or("subsystem"), h.attr("type"));
    if mode != "subsystem" || kind != Some("pci") {
        return Err(Error::new(
            Code::ConfigUnsupported,
            Domain::Domain,
            format!(
                "host device mode '{}' type '{}': VMware passes through PCI functions only \
                 (mode='subsystem' type='pci')",
                crate::error::shorten(mode, 32),
                crate::error::shorten(kind.unwrap_or(""), 32)
            ),
        ));
    }
    let address = h
        .child("source")
        .and_then(|s| s.child("address"))
        .ok_or_else(|| err("missing PCI address in host device source"))?;
    let field = |name: &str, max: u32| -> Result<u32> {
        let text = address.attr(name).unwrap_or("0").trim();
        let value = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => text.parse().ok(),
        };
        value.filter(|v| *v <= max).ok_or_else(|| {
            err(format!(
                "invalid PCI address {name} '{}' in host device source",
                crate::error::shorten(text, 16)
            ))
        })
    };
    Ok(Hostdev {
        address: PciAddress {
            domain: field("domain", 0xffff)?,
            bus: field("bus", 0xff)? as u8,
            slot: field("slot", 0x1f)? as u8,
            function: field("function", 7)? as u8,
        },
        managed: yes_no(h.attr("managed"), "hostdev managed")?.unwrap_or(false),
    })
}

fn parse_filesystem(fs: &Element) -> Result<Filesystem> {
    let dir = |name: &str| {
        fs.child(name)
            .and_then(|e| e.attr("dir").or_else(|| e.attr("name")))
            .map(str::to_string)
    };
    Ok(Filesystem {
        fs_type: fs.attr("type").unwrap_or("mount").to_string(),
        access_mode: fs.attr("accessmode").unwrap_or("passthrough").to_string(),
        source: dir("source").unwrap_or_default(),
        target: dir("target").ok_or_else(|| err("missing target information for filesystem"))?,
        readonly: fs.child("readonly").is_some(),
    })
}

/// What the VMX writer keeps from libvirt's vmware namespace (under whatever prefix the root
/// binds it to): `virtualhw` and `guestos`.
fn parse_vmware(root: &Element, vmware: &mut VmwareMetadata) -> Result<()> {
    let Some(prefix) = root.attrs.iter().find_map(|(name, value)| {
        name.strip_prefix("xmlns:")
            .filter(|_| value == VMWARE_NAMESPACE)
    }) else {
        return Ok(());
    };
    let text = |name: &str| root.child_text(&format!("{prefix}:{name}"));
    if let Some(version) = text("virtualhw") {
        vmware.virtual_hw = Some(
            version
                .trim()
                .parse()
                .map_err(|_| err(format!("malformed vmware:virtualhw element '{version}'")))?,
        );
    }
    vmware.guest_os = text("guestos").map(|g| g.trim().to_string());
    Ok(())
}

fn parse_interface(net: &Element) -> Result<Interface> {
    let net_type = net
        .attr("type")
        .ok_or_else(|| err("missing interface type"))?
        .to_string();
    let mac_element = net.child("mac");
    let mac = match mac_element.and_then(|m| m.attr("address")) {
        Some(text) => {
            let mac = MacAddr::parse(text)
                .ok_or_else(|| err(format!("unable to parse mac address '{text}'")))?;
            // libvirt's virDomainNetDefParseXML: a NIC's own address is never a group's.
            if mac.is_multicast() {
                return Err(err(format!(
                    "expected unicast mac address, found multicast '{text}'"
                )));
            }
            mac
        }
        None => MacAddr::random_vmware(),
    };
    let mac_type = match mac_element.and_then(|m| m.attr("type")) {
        None => None,
        Some("generated") => Some(MacType::Generated),
        Some("static") => Some(MacType::Static),
        Some(other) => return Err(err(format!("invalid mac address type value: '{other}'"))),
    };
    let source = net.child("source");
    let source_attr = |name: &str| source.and_then(|s| s.attr(name)).map(str::to_string);
    let vds = match net_type.as_str() {
        "vds" => Some(VdsPort {
            switch_id: source_attr("switchid")
                .and_then(|s| Uuid::parse(&s))
                .ok_or_else(|| err("missing or malformed vds switchid"))?,
            port_id: source_attr("portid").map_or(Ok(0), |p| number(&p, "vds portid"))?,
            portgroup_id: source_attr("portgroupid"),
            connection_id: source_attr("connectionid")
                .map_or(Ok(0), |c| number(&c, "vds connectionid"))?,
        }),
        _ => None,
    };
    let ifname = net
        .child("target")
        .and_then(|t| t.attr("dev"))
        .filter(|dev| !GENERATED_IFNAME_PREFIXES.iter().any(|p| dev.starts_with(p)))
        .map(str::to_string);
    Ok(Interface {
        bridge: if net_type == "bridge" {
            source_attr("bridge")
        } else {
            None
        },
        network: if net_type == "network" {
            source_attr("network")
        } else {
            None
        },
        net_type,
        mac,
        mac_type,
        mac_check: yes_no(mac_element.and_then(|m| m.attr("check")), "mac check")?,
        ifname,
        model: net
            .child("model")
            .and_then(|m| m.attr("type"))
            .map(str::to_string),
        vds,
    })
}

fn parse_chr(chr: &Element, earlier: &[Chr]) -> Result<Chr> {
    let source = chr.child("source");
    let path = || {
        source
            .and_then(|s| s.attr("path"))
            .unwrap_or_default()
            .to_string()
    };
    let source = match chr.attr("type").unwrap_or("pty") {
        "dev" => ChrSource::Dev(path()),
        "file" => ChrSource::File(path()),
        "pipe" => ChrSource::Pipe(path()),
        "null" => ChrSource::Null,
        "tcp" => ChrSource::Tcp(TcpSource {
            host: source
                .and_then(|s| s.attr("host"))
                .unwrap_or_default()
                .to_string(),
            service: source
                .and_then(|s| s.attr("service"))
                .unwrap_or_default()
                .to_string(),
            listen: source.and_then(|s| s.attr("mode")) == Some("bind"),
            protocol: chr
                .child("protocol")
                .and_then(|p| p.attr("type"))
                .unwrap_or("raw")
                .to_string(),
        }),
        other => ChrSource::Other(other.to_string()),
    };
    let target = chr.child("target");
    // a port left out follows the highest one already defined
    let target_port = match target.and_then(|t| t.attr("port")) {
        Some(port) => number(port, "character device target port")?,
        None => earlier
            .iter()
            .map(|c| c.target_port.saturating_add(1))
            .max()
            .unwrap_or(0),
    };
    Ok(Chr {
        source,
        target_port,
        target_type: target.and_then(|t| t.attr("type")).map(str::to_string),
    })
}

fn parse_graphics(graphics: &Element) -> Result<Graphics> {
    let mut port: i32 = match graphics.attr("port") {
        Some(port) => number(port, "graphics port")?,
        None => -1,
    };
    let mut autoport = port == -1;
    if let Some(value) = yes_no(graphics.attr("autoport"), "graphics autoport")? {
        autoport = value;
    }
    if autoport {
        // an inactive definition keeps no port to be assigned at start
        port = 0;
    }
    let listen = graphics
        .children_named("listen")
        .find_map(|l| l.attr("address"))
        .or_else(|| graphics.attr("listen"))
        .map(str::to_string);
    Ok(Graphics {
        graphics_type: graphics
            .attr("type")
            .ok_or_else(|| err("missing graphics device type"))?
            .to_string(),
        port,
        autoport,
        listen,
        keymap: graphics.attr("keymap").map(str::to_string),
        passwd: graphics.attr("passwd").map(str::to_string),
    })
}

fn parse_video(video: &Element) -> Result<Video> {
    let model = video.child("model");
    let attr = |name: &str| model.and_then(|m| m.attr(name));
    Ok(Video {
        model: attr("type").unwrap_or("default").to_string(),
        vram: attr("vram").map_or(Ok(0), |v| number(v, "video vram"))?,
        heads: attr("heads").map_or(Ok(0), |v| number(v, "video heads"))?,
        primary: yes_no(attr("primary"), "video primary")?.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain_with_disk(disk: &str) -> String {
        format!(
            "<domain type='vmware'><name>a</name><memory>4096</memory><os><type>hvm</type></os>\
             <devices><disk type='file' device='disk'><source file='[ds] a.vmdk'/>{disk}</disk>\
             </devices></domain>"
        )
    }

    /// Found by the xml_to_vmx fuzz target (a timeout): target `sdgicat` derives SCSI
    /// controller 200,000-odd, and the implicit controllers up to it took seconds.
    #[test]
    fn a_disk_beyond_any_controller_is_refused_quickly() {
        for disk in [
            "<target dev='sdgicat' bus='scsi'/>",
            "<target dev='sdzzzzz' bus='scsi'/>",
            "<target dev='sda' bus='scsi'/><address type='drive' controller='4000000000'/>",
        ] {
            let e = DomainDef::parse(&domain_with_disk(disk)).unwrap_err();
            assert!(e.detail.contains("needs controller"), "{disk}: {e}");
        }
        let ok = DomainDef::parse(&domain_with_disk("<target dev='sdz' bus='scsi'/>")).unwrap();
        assert_eq!(ok.devices.controllers.len(), 2);
    }

    /// A broadcast or multicast address is refused wherever a NIC is read: a domain's and a
    /// device's XML alike.
    #[test]
    fn a_nic_with_a_group_address_is_refused() {
        for mac in ["ff:ff:ff:ff:ff:ff", "01:00:5E:00:00:fb"] {
            let nic = format!("<interface type='bridge'><mac address='{mac}'/></interface>");
            let domain = format!(
                "<domain type='vmware'><name>a</name><memory>4096</memory>\
                 <os><type>hvm</type></os><devices>{nic}</devices></domain>"
            );
            for e in [
                parse_device(&nic).unwrap_err(),
                DomainDef::parse(&domain).unwrap_err(),
            ] {
                assert_eq!(e.code, Code::XmlError, "{e}");
                assert_eq!(
                    e.detail,
                    format!("expected unicast mac address, found multicast '{mac}'")
                );
            }
        }
        let unicast = "<interface type='bridge'><mac address='02:00:00:00:00:01'/></interface>";
        assert!(parse_device(unicast).is_ok());
    }

    #[test]
    fn cpuset_syntax() {
        assert_eq!(parse_cpuset("0-2,5-7").unwrap(), vec![0, 1, 2, 5, 6, 7]);
        assert_eq!(parse_cpuset("0-3,^1").unwrap(), vec![0, 2, 3]);
        assert!(parse_cpuset("3-1").is_err());
        assert!(parse_cpuset("x").is_err());
    }

    #[test]
    fn memory_units_scale_to_kib() {
        let xml = "<domain type='vmware'><name>a</name><memory unit='MiB'>2</memory>\
                   <currentMemory unit='b'>1025</currentMemory><os><type>hvm</type></os></domain>";
        let def = parse_domain(xml).unwrap();
        assert_eq!(def.memory.max_kib, 2048);
        assert_eq!(def.memory.current_kib, 2);
        assert_eq!(def.os.arch, "i686");
        assert_eq!(def.vcpu.max, 1);
    }

    #[test]
    fn missing_essentials_are_errors() {
        assert!(parse_domain("<domain><name>a</name></domain>").is_err());
        assert!(
            parse_domain(
                "<domain type='vmware'><memory>4096</memory><os><type>hvm</type></os></domain>"
            )
            .is_err()
        );
        assert!(
            parse_domain("<domain type='vmware'><name>a</name><memory>4096</memory></domain>")
                .is_err()
        );
        assert!(
            parse_domain("<domain type='vmware'><name>a</name><os><type>hvm</type></os></domain>")
                .is_err()
        );
        assert!(parse_domain("<other/>").is_err());
    }
}
