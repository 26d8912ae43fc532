//! Writes a `DomainDef` as libvirt formats domain XML: its element order, attribute order
//! and defaults, so output compares byte for byte with libvirt's.

use super::*;
use crate::xml::writer::XmlWriter;

pub(crate) fn format_domain(def: &DomainDef) -> String {
    let mut w = XmlWriter::new();
    let vmware = &def.vmware;
    let namespaced = vmware.datacenter_path.is_some()
        || vmware.moref.is_some()
        || vmware.virtual_hw.is_some()
        || vmware.guest_os.is_some();
    w.tag("domain")
        .attr("type", &def.virt_type)
        .attr_opt("id", def.id)
        .attr_opt("xmlns:vmware", namespaced.then_some(VMWARE_NAMESPACE))
        .open();
    // a VMX file without displayName leaves the name unset, which libvirt omits
    if !def.name.is_empty() {
        w.tag("name").text(&def.name);
    }
    w.tag("uuid").text(&def.uuid.to_string());
    if let Some(genid) = def.genid {
        w.tag("genid").text(&genid.to_string());
    }
    if let Some(description) = &def.description {
        w.tag("description").text(description);
    }
    if !def.metadata.is_empty() {
        w.tag("metadata").open();
        for m in &def.metadata {
            w.verbatim(&m.xml);
        }
        w.close();
    }
    format_memory(&mut w, &def.memory);
    w.tag("vcpu")
        .attr("placement", "static")
        .attr_opt("cpuset", format_cpuset(&def.vcpu.cpuset))
        .attr_opt(
            "current",
            (def.vcpu.current != def.vcpu.max).then_some(def.vcpu.current),
        )
        .text(&def.vcpu.max.to_string());
    if let Some(shares) = def.cputune_shares {
        w.tag("cputune").open();
        w.tag("shares").text(&shares.to_string());
        w.close();
    }
    format_os(&mut w, &def.os);
    if let Some(cpu) = &def.cpu {
        format_cpu(&mut w, cpu);
    }
    w.tag("clock").attr("offset", &def.clock_offset).empty();
    w.tag("on_poweroff").text(&def.on_poweroff);
    w.tag("on_reboot").text(&def.on_reboot);
    w.tag("on_crash").text(&def.on_crash);
    format_devices(&mut w, &def.devices);
    if let Some(path) = &def.vmware.datacenter_path {
        w.tag("vmware:datacenterpath").text(path);
    }
    if let Some(moref) = &def.vmware.moref {
        w.tag("vmware:moref").text(moref);
    }
    if let Some(version) = def.vmware.virtual_hw {
        w.tag("vmware:virtualhw").text(&version.to_string());
    }
    if let Some(guest_os) = &def.vmware.guest_os {
        w.tag("vmware:guestos").text(guest_os);
    }
    w.finish()
}

fn format_memory(w: &mut XmlWriter, memory: &Memory) {
    w.tag("memory")
        .attr("unit", "KiB")
        .text(&memory.max_kib.to_string());
    w.tag("currentMemory")
        .attr("unit", "KiB")
        .text(&memory.current_kib.to_string());
    if memory.min_guarantee_kib > 0 {
        w.tag("memtune").open();
        w.tag("min_guarantee")
            .attr("unit", "KiB")
            .text(&memory.min_guarantee_kib.to_string());
        w.close();
    }
}

/// libvirt's bitmap syntax: ascending runs, `a-b` for runs longer than one.
pub(crate) fn format_cpuset(cpus: &[u32]) -> Option<String> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &cpu in cpus {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(cpu) => *end = cpu,
            _ => runs.push((cpu, cpu)),
        }
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(","))
}

fn format_os(w: &mut XmlWriter, os: &Os) {
    w.tag("os")
        .attr_opt("firmware", os.firmware.as_deref())
        .open();
    w.tag("type")
        .attr("arch", &os.arch)
        .attr_opt("machine", os.machine.as_deref())
        .text(&os.os_type);
    if !os.firmware_features.is_empty() {
        w.tag("firmware").open();
        for (name, enabled) in &os.firmware_features {
            w.tag("feature")
                .attr("enabled", if *enabled { "yes" } else { "no" })
                .attr("name", name)
                .empty();
        }
        w.close();
    }
    for dev in &os.boot_devices {
        w.tag("boot").attr("dev", dev).empty();
    }
    if let Some(mode) = &os.smbios_mode {
        w.tag("smbios").attr("mode", mode).empty();
    }
    w.close();
}

fn format_cpu(w: &mut XmlWriter, cpu: &Cpu) {
    let mode = (cpu.mode != "custom").then_some(cpu.mode.as_str());
    match &cpu.topology {
        Some(t) => {
            w.tag("cpu").attr_opt("mode", mode).open();
            w.tag("topology")
                .attr("sockets", t.sockets)
                .attr("dies", t.dies)
                .attr("clusters", t.clusters)
                .attr("cores", t.cores)
                .attr("threads", t.threads)
                .empty();
            w.close();
        }
        None => w.tag("cpu").attr_opt("mode", mode).empty(),
    }
}

fn format_devices(w: &mut XmlWriter, devices: &Devices) {
    w.tag("devices").open();
    for disk in &devices.disks {
        format_disk(w, disk);
    }
    for controller in &devices.controllers {
        w.tag("controller")
            .attr("type", controller.controller_type.as_str())
            .attr("index", controller.index)
            .attr_opt("model", controller.model.as_deref())
            .empty();
    }
    for fs in &devices.filesystems {
        w.tag("filesystem")
            .attr("type", &fs.fs_type)
            .attr("accessmode", &fs.access_mode)
            .open();
        w.tag("source").attr("dir", &fs.source).empty();
        w.tag("target").attr("dir", &fs.target).empty();
        if fs.readonly {
            w.tag("readonly").empty();
        }
        w.close();
    }
    for net in &devices.interfaces {
        format_interface(w, net);
    }
    for serial in &devices.serials {
        format_chr(w, "serial", serial);
    }
    for parallel in &devices.parallels {
        format_chr(w, "parallel", parallel);
    }
    for console in &devices.consoles {
        format_chr(w, "console", console);
    }
    for tpm in &devices.tpms {
        w.tag("tpm").attr("model", &tpm.model).open();
        w.tag("backend")
            .attr("type", &tpm.backend)
            .attr_opt("version", tpm.version.as_deref())
            .empty();
        w.close();
    }
    for graphics in &devices.graphics {
        format_graphics(w, graphics);
    }
    for sound in &devices.sounds {
        w.tag("sound").attr("model", &sound.model).empty();
    }
    for video in &devices.videos {
        w.tag("video").open();
        w.tag("model")
            .attr("type", &video.model)
            .attr_opt("vram", (video.vram > 0).then_some(video.vram))
            .attr_opt("heads", (video.heads > 0).then_some(video.heads))
            .attr_opt("primary", video.primary.then_some("yes"))
            .empty();
        w.close();
    }
    for hostdev in &devices.hostdevs {
        format_hostdev(w, hostdev);
    }
    w.close();
}

fn format_hostdev(w: &mut XmlWriter, h: &Hostdev) {
    w.tag("hostdev")
        .attr("mode", "subsystem")
        .attr("type", "pci")
        .attr("managed", if h.managed { "yes" } else { "no" })
        .open();
    w.tag("source").open();
    let a = &h.address;
    w.tag("address")
        .attr("domain", format_args!("0x{:04x}", a.domain))
        .attr("bus", format_args!("0x{:02x}", a.bus))
        .attr("slot", format_args!("0x{:02x}", a.slot))
        .attr("function", format_args!("0x{:x}", a.function))
        .empty();
    w.close();
    w.close();
}

fn format_disk(w: &mut XmlWriter, disk: &Disk) {
    w.tag("disk")
        .attr("type", &disk.disk_type)
        .attr("device", disk.device.as_str())
        .open();
    if disk.driver_name.is_some() || disk.cache.is_some() {
        w.tag("driver")
            .attr_opt("name", disk.driver_name.as_deref())
            .attr_opt("cache", disk.cache.as_deref())
            .empty();
    }
    let source_attr = if disk.disk_type == "block" {
        "dev"
    } else {
        "file"
    };
    if disk.source.is_some() || disk.startup_policy.is_some() {
        w.tag("source")
            .attr_opt(source_attr, disk.source.as_deref())
            .attr_opt("startupPolicy", disk.startup_policy.as_deref())
            .empty();
    }
    w.tag("target")
        .attr("dev", &disk.target)
        .attr("bus", disk.bus.as_str())
        .empty();
    if disk.readonly {
        w.tag("readonly").empty();
    }
    if disk.transient {
        w.tag("transient").empty();
    }
    match &disk.address {
        Some(Address::Drive(a)) => w
            .tag("address")
            .attr("type", "drive")
            .attr("controller", a.controller)
            .attr("bus", a.bus)
            .attr("target", a.target)
            .attr("unit", a.unit)
            .empty(),
        Some(Address::Other(kind)) => w.tag("address").attr("type", kind).empty(),
        None => {}
    }
    w.close();
}

fn format_interface(w: &mut XmlWriter, net: &Interface) {
    w.tag("interface").attr("type", &net.net_type).open();
    let mac_type = net.mac_type.map(|t| match t {
        MacType::Generated => "generated",
        MacType::Static => "static",
    });
    w.tag("mac")
        .attr("address", net.mac)
        .attr_opt("type", mac_type)
        .attr_opt("check", net.mac_check.map(yes_no))
        .empty();
    if let Some(vds) = &net.vds {
        w.tag("source")
            .attr("switchid", vds.switch_id)
            .attr_opt("portid", (vds.port_id != 0).then_some(vds.port_id))
            .attr_opt("portgroupid", vds.portgroup_id.as_deref())
            .attr_opt(
                "connectionid",
                (vds.connection_id != 0).then_some(vds.connection_id),
            )
            .empty();
    } else if let Some(bridge) = &net.bridge {
        w.tag("source").attr("bridge", bridge).empty();
    } else if let Some(network) = &net.network {
        w.tag("source").attr("network", network).empty();
    }
    if let Some(ifname) = &net.ifname {
        w.tag("target").attr("dev", ifname).empty();
    }
    if let Some(model) = &net.model {
        w.tag("model").attr("type", model).empty();
    }
    w.close();
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

pub(crate) fn chr_type(source: &ChrSource) -> &str {
    match source {
        ChrSource::Dev(_) => "dev",
        ChrSource::File(_) => "file",
        ChrSource::Pipe(_) => "pipe",
        ChrSource::Tcp(_) => "tcp",
        ChrSource::Null => "null",
        ChrSource::Other(kind) => kind,
    }
}

fn format_chr(w: &mut XmlWriter, element: &str, chr: &Chr) {
    w.tag(element).attr("type", chr_type(&chr.source)).open();
    match &chr.source {
        ChrSource::Dev(path) | ChrSource::File(path) | ChrSource::Pipe(path) => {
            w.tag("source").attr("path", path).empty();
        }
        ChrSource::Tcp(tcp) => {
            w.tag("source")
                .attr("mode", if tcp.listen { "bind" } else { "connect" })
                .attr("host", &tcp.host)
                .attr("service", &tcp.service)
                .empty();
            w.tag("protocol").attr("type", &tcp.protocol).empty();
        }
        ChrSource::Null | ChrSource::Other(_) => {}
    }
    w.tag("target")
        .attr_opt("type", chr.target_type.as_deref())
        .attr("port", chr.target_port)
        .empty();
    w.close();
}

fn format_graphics(w: &mut XmlWriter, graphics: &Graphics) {
    let vnc = graphics.graphics_type == "vnc";
    let port = if graphics.port != 0 && !graphics.autoport {
        Some(graphics.port)
    } else {
        graphics.autoport.then_some(-1)
    };
    let tag = w.tag("graphics").attr("type", &graphics.graphics_type);
    let tag = if vnc {
        tag.attr_opt("port", port)
            .attr("autoport", yes_no(graphics.autoport))
            .attr_opt("listen", graphics.listen.as_deref())
            .attr_opt("keymap", graphics.keymap.as_deref())
            .attr_opt("passwd", graphics.passwd.as_deref())
    } else {
        tag
    };
    tag.open();
    w.tag("listen")
        .attr("type", "address")
        .attr_opt("address", graphics.listen.as_deref())
        .empty();
    w.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpuset_runs() {
        assert_eq!(
            format_cpuset(&[0, 1, 2, 5, 6, 7]).as_deref(),
            Some("0-2,5-7")
        );
        assert_eq!(format_cpuset(&[3, 9]).as_deref(), Some("3,9"));
        assert_eq!(format_cpuset(&[]), None);
    }
}
