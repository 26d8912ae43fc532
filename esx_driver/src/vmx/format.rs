//! `DomainDef` → VMX text in libvirt's key order: identity, memory and CPUs, then VNC,
//! disks, shared folders, NICs, video, serial and parallel ports, firmware and PCI trailer.

use super::datastore::DatastorePaths;
use super::devices::{chr, disk, display, fs, net, passthru, peripherals};
use super::escape::{escape_hex_percent, escape_hex_pipe};
use super::file::VmxWriter;
use super::version::HwVersion;
use super::{vmx_error, vmx_unsupported};
use crate::error::Result;
use crate::xml::domain::{ControllerType, DiskBus, DomainDef};

pub(crate) fn format_vmx(
    def: &DomainDef,
    ctx: &dyn DatastorePaths,
    hw: HwVersion,
) -> Result<String> {
    if def.virt_type != "vmware" {
        return Err(vmx_error(format!(
            "Expecting virt type to be 'vmware' but found '{}'",
            def.virt_type
        )));
    }
    if def.os.os_type != "hvm" {
        return Err(vmx_unsupported(format!(
            "OS type '{}' is not supported, expecting 'hvm'",
            def.os.os_type
        )));
    }
    let mut w = VmxWriter::default();
    w.set(".encoding", "UTF-8");
    w.set("config.version", "8");
    w.set("virtualHW.version", hw.0);
    let generic = match def.os.arch.as_str() {
        "i686" => "other",
        "x86_64" => "other-64",
        other => {
            return Err(vmx_error(format!(
                "Expecting domain XML attribute 'arch' of entry 'os/type' to be 'i686' or 'x86_64' but found '{other}'"
            )));
        }
    };
    w.set("guestOS", guest_os(def, generic)?);
    match def.os.smbios_mode.as_deref() {
        None | Some("emulate") => {}
        Some("host") => w.set("smbios.reflecthost", "true"),
        Some(other) => {
            return Err(vmx_unsupported(format!(
                "Unsupported SMBIOS mode '{other}'"
            )));
        }
    }
    if def.uuid.is_zero() {
        w.set("uuid.action", "create");
    } else {
        w.set("uuid.bios", def.uuid.to_vmx());
    }
    if let Some(genid) = def.genid {
        // the two halves of the generation ID, each a signed 64-bit number, as parse_genid reads
        let (high, low) = genid.0.split_at(8);
        let half = |bytes: &[u8]| i64::from_be_bytes(bytes.try_into().unwrap_or_default());
        w.set("vm.genid", half(high));
        w.set("vm.genidX", half(low));
    }
    w.set(
        "displayName",
        escape_hex_percent(&escape_hex_pipe(&def.name)),
    );
    if let Some(description) = &def.description {
        w.set("annotation", escape_hex_pipe(description));
    }
    super::metadata::format(&def.metadata, &mut w);
    format_memory(def, &mut w);
    format_cpus(def, &mut w)?;

    for graphics in &def.devices.graphics {
        display::format_vnc(graphics, &mut w)?;
    }
    let devices = &def.devices;
    disk::format_disks(&devices.disks, &devices.controllers, ctx, hw, &mut w)?;
    fs::format_shared_folders(&devices.filesystems, &mut w)?;
    for (index, nic) in devices.interfaces.iter().enumerate() {
        net::format_ethernet(nic, u32::try_from(index).unwrap_or(u32::MAX), hw, &mut w)?;
    }
    match devices.videos.as_slice() {
        [] => {}
        [video] => display::format_svga(video, &mut w)?,
        _ => return Err(vmx_error("No support for multiple video devices")),
    }
    for serial in &devices.serials {
        chr::format_serial(serial, ctx, &mut w)?;
    }
    for parallel in &devices.parallels {
        chr::format_parallel(parallel, ctx, &mut w)?;
    }
    let efi = def.os.firmware.as_deref() == Some("efi");
    peripherals::format(devices, efi, &mut w)?;
    passthru::format_passthru(&devices.hostdevs, &mut w);
    format_firmware(def, efi, &mut w)?;
    if hw.has_pcie_bridges() {
        let has_scsi = devices.disks.iter().any(|d| d.bus == DiskBus::Scsi)
            && devices
                .controllers
                .iter()
                .any(|c| c.controller_type == ControllerType::Scsi);
        if has_scsi {
            w.set("pciBridge0.present", "true");
            for bridge in 4..=7 {
                w.set(format_args!("pciBridge{bridge}.present"), "true");
                w.set(format_args!("pciBridge{bridge}.virtualDev"), "pcieRootPort");
                w.set(format_args!("pciBridge{bridge}.functions"), "8");
            }
        }
        w.set("vmci0.present", "true");
    }
    w.finish()
}

/// The guest OS a definition keeps (`<vmware:guestos>`), which must agree with its arch as the
/// reader derives one from the other (`-64`), else VMware's generic one for the arch.
fn guest_os<'d>(def: &'d DomainDef, generic: &'d str) -> Result<&'d str> {
    let Some(kept) = def.vmware.guest_os.as_deref() else {
        return Ok(generic);
    };
    if kept.is_empty() || kept.ends_with("-64") != generic.ends_with("-64") {
        return Err(vmx_unsupported(format!(
            "The guest OS '{kept}' (vmware:guestos) does not agree with the domain's arch '{}'",
            def.os.arch
        )));
    }
    Ok(kept)
}

/// EFI, and secure boot as libvirt's firmware features ask for it (the reader's `secure-boot`
/// and `enrolled-keys`); VMware's EFI always holds Microsoft's keys, so that one is implied.
fn format_firmware(def: &DomainDef, efi: bool, w: &mut VmxWriter) -> Result<()> {
    if let Some(firmware @ ("efi" | "bios")) = def.os.firmware.as_deref() {
        w.set("firmware", firmware);
    }
    let secure_boot = def
        .os
        .firmware_features
        .iter()
        .any(|(name, enabled)| name == "secure-boot" && *enabled);
    match (secure_boot, efi) {
        (true, true) => w.set("uefi.secureBoot.enabled", "true"),
        (true, false) => {
            return Err(vmx_unsupported(
                "Secure boot needs EFI firmware: set <os firmware='efi'>",
            ));
        }
        (false, _) => {}
    }
    Ok(())
}

/// VMware sizes memory in MiB, a multiple of 4; libvirt rounds up.
fn format_memory(def: &DomainDef, w: &mut VmxWriter) {
    let memory = &def.memory;
    let max_kib = memory.max_kib.div_ceil(4096).saturating_mul(4096);
    w.set("memsize", max_kib / 1024);
    if memory.current_kib < max_kib {
        w.set("sched.mem.max", memory.current_kib.div_ceil(1024));
    }
    if memory.min_guarantee_kib > 0 {
        w.set("sched.mem.minsize", memory.min_guarantee_kib.div_ceil(1024));
    }
}

fn format_cpus(def: &DomainDef, w: &mut VmxWriter) -> Result<()> {
    let vcpu = &def.vcpu;
    if vcpu.current != vcpu.max {
        return Err(vmx_unsupported(
            "No support for domain XML entry 'vcpu' attribute 'current'",
        ));
    }
    if vcpu.max == 0 {
        return Err(vmx_error(
            "Expecting domain XML entry 'vcpu' to be greater than 0",
        ));
    }
    w.set("numvcpus", vcpu.max);
    if let Some(cpu) = &def.cpu {
        if cpu.mode != "custom" {
            return Err(vmx_error(format!(
                "Expecting domain XML CPU mode 'custom' but found '{}'",
                cpu.mode
            )));
        }
        let t = cpu.topology.unwrap_or_default();
        if t.threads != 1 {
            return Err(vmx_unsupported("Only 1 thread per core is supported"));
        }
        if t.dies != 1 {
            return Err(vmx_unsupported("Only 1 die per socket is supported"));
        }
        if t.clusters != 1 {
            return Err(vmx_unsupported("Only 1 cluster per die is supported"));
        }
        let calculated = u64::from(t.sockets) * u64::from(t.cores);
        if calculated != u64::from(vcpu.max) {
            return Err(vmx_error(format!(
                "Expecting domain XML CPU sockets per core as {} but found {calculated}",
                vcpu.max
            )));
        }
        w.set("cpuid.coresPerSocket", t.cores);
    }
    if !vcpu.cpuset.is_empty() {
        if vcpu.cpuset.len() < vcpu.max as usize {
            return Err(vmx_error(format!(
                "Expecting domain XML attribute 'cpuset' of entry 'vcpu' to contain at least {} CPU(s)",
                vcpu.max
            )));
        }
        let list: Vec<String> = vcpu.cpuset.iter().map(u32::to_string).collect();
        w.set("sched.cpu.affinity", list.join(","));
    }
    if let Some(shares) = def.cputune_shares {
        let per_vcpu = |n: u64| u64::from(vcpu.current) * n;
        if shares == per_vcpu(500) {
            w.set("sched.cpu.shares", "low");
        } else if shares == per_vcpu(1000) {
            w.set("sched.cpu.shares", "normal");
        } else if shares == per_vcpu(2000) {
            w.set("sched.cpu.shares", "high");
        } else {
            w.set("sched.cpu.shares", shares);
        }
    }
    Ok(())
}
