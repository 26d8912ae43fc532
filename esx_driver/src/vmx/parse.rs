//! VMX → `DomainDef`: the global keys (versions, identity, memory, CPUs, firmware) read
//! with libvirt's defaults and checks; devices are read by `devices`.

use super::datastore::DatastorePaths;
use super::devices::{chr, disk, display, fs, net, passthru, peripherals};
use super::file::{VmxFile, parse_c_long};
use super::version::HwVersion;
use super::{Dialect, escape, vmx_error};
use crate::error::Result;
use crate::xml::domain::{Cpu, DomainDef, Topology, VmwareMetadata};
use crate::xml::ids::Uuid;

/// libvirt's cpumask holds this many host CPUs.
const CPUMASK_LEN: u32 = 4096;

pub(crate) fn parse_vmx(vmx: &VmxFile, ctx: &dyn DatastorePaths) -> Result<DomainDef> {
    let mut def = DomainDef {
        virt_type: "vmware".to_string(),
        ..DomainDef::default()
    };

    let config_version = vmx.long("config.version", 0, false)?;
    if config_version != 8 {
        return Err(vmx_error(format!(
            "Expecting VMX entry 'config.version' to be 8 but found {config_version}"
        )));
    }
    let hw_version = vmx.long("virtualHW.version", 0, false)?;
    if hw_version < 4 {
        return Err(vmx_error(format!(
            "Expecting VMX entry 'virtualHW.version' to be 4 or higher but found {hw_version}"
        )));
    }
    let hw = HwVersion(hw_version);

    if let Some(text) = vmx.get("uuid.bios") {
        def.uuid = Uuid::parse(text)
            .ok_or_else(|| vmx_error(format!("Could not parse UUID from string '{text}'")))?;
    }
    if let Some(name) = vmx.get("displayName") {
        def.name = escape::unescape_hex(name, b'%')
            .and_then(|n| escape::unescape_hex(&n, b'|'))
            .ok_or_else(|| vmx_error("VMX entry 'name' contains invalid escape sequence"))?;
    }
    def.genid = parse_genid(vmx)?;
    if let Some(annotation) = vmx.get("annotation") {
        def.description =
            Some(escape::unescape_hex(annotation, b'|').ok_or_else(|| {
                vmx_error("VMX entry 'annotation' contains invalid escape sequence")
            })?);
    }
    def.metadata = super::metadata::parse(vmx);
    parse_memory(vmx, &mut def)?;
    parse_cpus(vmx, &mut def)?;

    def.os.os_type = "hvm".to_string();
    def.os.arch = match vmx.get("guestOS") {
        Some(guest) if guest.ends_with("-64") => "x86_64",
        _ => "i686",
    }
    .to_string();
    if vmx.boolean("smbios.reflecthost", false)? {
        def.os.smbios_mode = Some("host".to_string());
    }

    def.devices.graphics.extend(display::parse_vnc(vmx)?);
    disk::parse_disks(vmx, ctx, hw, &mut def.devices)?;
    def.devices.filesystems = fs::parse_shared_folders(vmx)?;
    def.devices.interfaces = net::parse_ethernets(vmx)?;
    def.devices.videos.push(display::parse_svga(vmx)?);
    def.devices.serials = chr::parse_serials(vmx, ctx)?;
    def.devices.parallels = chr::parse_parallels(vmx, ctx)?;

    let full = ctx.dialect() == Dialect::Full;
    def.vmware = VmwareMetadata {
        datacenter_path: ctx.datacenter_path().map(str::to_string),
        moref: ctx.moref().map(str::to_string),
        virtual_hw: full.then_some(hw_version),
        guest_os: vmx.get("guestOS").filter(|_| full).map(str::to_string),
    };
    parse_firmware(vmx, &mut def)?;
    def.apply_defaults();
    if full {
        peripherals::parse(vmx, &mut def.devices)?;
        def.devices.hostdevs = passthru::parse_passthru(vmx)?;
    }
    Ok(def)
}

/// `vm.genid`/`vm.genidX` are the two signed halves of the generation ID.
fn parse_genid(vmx: &VmxFile) -> Result<Option<Uuid>> {
    let high = vmx.long("vm.genid", 0, true)?;
    let low = vmx.long("vm.genidX", 0, true)?;
    if high == 0 && low == 0 {
        return Ok(None);
    }
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    Ok(Some(Uuid(bytes)))
}

fn parse_memory(vmx: &VmxFile, def: &mut DomainDef) -> Result<()> {
    let memsize = vmx.long("memsize", 32, true)?;
    if memsize <= 0 || memsize % 4 != 0 {
        return Err(vmx_error(format!(
            "Expecting VMX entry 'memsize' to be an unsigned integer (multiple of 4) but found {memsize}"
        )));
    }
    // what a domain's memory can be: its size in bytes fits 64 bits, as libvirt's parser asks
    if memsize as u64 > u64::MAX >> 20 {
        return Err(vmx_error(format!(
            "VMX entry 'memsize' ({memsize} MiB) is too large"
        )));
    }
    let to_kib = |mib: i64| (mib as u64).saturating_mul(1024);
    let memory = &mut def.memory;
    memory.max_kib = to_kib(memsize);
    let mut max = vmx.long("sched.mem.max", memsize, true)?;
    if max < 0 {
        max = memsize;
    }
    memory.current_kib = to_kib(max).min(memory.max_kib);
    let minsize = vmx.long("sched.mem.minsize", 0, true)?.max(0);
    memory.min_guarantee_kib = to_kib(minsize).min(memory.max_kib);
    Ok(())
}

fn parse_cpus(vmx: &VmxFile, def: &mut DomainDef) -> Result<()> {
    let numvcpus = vmx.long("numvcpus", 1, true)?;
    let vcpus = u32::try_from(numvcpus).ok().filter(|n| *n > 0).ok_or_else(|| {
        vmx_error(format!(
            "Expecting VMX entry 'numvcpus' to be an unsigned integer greater than 0 but found {numvcpus}"
        ))
    })?;
    def.vcpu.max = vcpus;
    def.vcpu.current = vcpus;

    let cores = vmx.long("cpuid.coresPerSocket", 1, true)?;
    if cores > 1 {
        let sockets = numvcpus / cores;
        if sockets <= 0 {
            return Err(vmx_error(
                "VMX entry 'cpuid.coresPerSocket' smaller than 'numvcpus'",
            ));
        }
        // libvirt would read a topology that covers fewer CPUs than the domain has, which
        // neither VMware nor the VMX writer accepts
        if numvcpus % cores != 0 {
            return Err(vmx_error(format!(
                "Expecting VMX entry 'numvcpus' ({numvcpus}) to be a multiple of 'cpuid.coresPerSocket' ({cores})"
            )));
        }
        def.cpu = Some(Cpu {
            mode: "custom".to_string(),
            topology: Some(Topology {
                sockets: sockets as u32,
                dies: 1,
                clusters: 1,
                cores: u32::try_from(cores).unwrap_or(u32::MAX),
                threads: 1,
            }),
        });
    }

    if let Some(affinity) = vmx.get("sched.cpu.affinity")
        && !affinity.eq_ignore_ascii_case("all")
    {
        def.vcpu.cpuset = parse_affinity(affinity, numvcpus)?;
    }

    if let Some(shares) = vmx.get("sched.cpu.shares") {
        let vcpus = u64::from(vcpus);
        let value = match shares.to_ascii_lowercase().as_str() {
            "low" => vcpus * 500,
            "normal" => vcpus * 1000,
            "high" => vcpus * 2000,
            _ => parse_c_long(shares)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| {
                    vmx_error(format!(
                        "Expecting VMX entry 'sched.cpu.shares' to be an unsigned integer or 'low', 'normal' or 'high' but found '{shares}'"
                    ))
                })?,
        };
        def.cputune_shares = Some(value);
    }
    Ok(())
}

fn parse_affinity(affinity: &str, numvcpus: i64) -> Result<Vec<u32>> {
    let items: Vec<&str> = affinity.split(',').collect();
    if (items.len() as i64) < numvcpus {
        return Err(vmx_error(format!(
            "Expecting VMX entry 'sched.cpu.affinity' to contain at least as many values as 'numvcpus' ({numvcpus}) but found only {} value(s)",
            items.len()
        )));
    }
    let mut cpus = std::collections::BTreeSet::new();
    for item in items {
        let cpu: u32 = item.trim().parse().map_err(|_| {
            vmx_error(format!(
                "Expecting VMX entry 'sched.cpu.affinity' to be a comma separated list of unsigned integers but found '{affinity}'"
            ))
        })?;
        if cpu >= CPUMASK_LEN {
            return Err(vmx_error(format!(
                "VMX entry 'sched.cpu.affinity' contains a {cpu}, this value is too large"
            )));
        }
        cpus.insert(cpu);
    }
    // A CPU named twice counts once: the domain XML's cpuset could not hold the VM's vCPUs,
    // and the way back would refuse it (libvirt counts the items, and so converts one way only).
    if (cpus.len() as i64) < numvcpus {
        return Err(vmx_error(format!(
            "Expecting VMX entry 'sched.cpu.affinity' to contain at least as many distinct CPUs as 'numvcpus' ({numvcpus}) but found only {} in '{affinity}'",
            cpus.len()
        )));
    }
    Ok(cpus.into_iter().collect())
}

fn parse_firmware(vmx: &VmxFile, def: &mut DomainDef) -> Result<()> {
    let Some(firmware) = vmx.get("firmware") else {
        return Ok(());
    };
    // vSphere writes "bios" for a VM set to BIOS (libvirt refuses it)
    if firmware == "bios" {
        def.os.firmware = Some("bios".to_string());
        return Ok(());
    }
    if firmware != "efi" {
        return Err(vmx_error(format!(
            "VMX entry 'firmware' has unknown value '{firmware}'"
        )));
    }
    def.os.firmware = Some("efi".to_string());
    if vmx.boolean("uefi.secureBoot.enabled", false)? {
        def.os.firmware_features = vec![
            ("enrolled-keys".to_string(), true),
            ("secure-boot".to_string(), true),
        ];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vmx::test_support::StandInDatastores;

    fn read(extra: &str) -> Result<DomainDef> {
        let text = format!("config.version = \"8\"\nvirtualHW.version = \"13\"\n{extra}");
        parse_vmx(
            &VmxFile::parse(text.as_bytes())?,
            &StandInDatastores::default(),
        )
    }

    /// Found by the vmx_round_trip fuzz target: a memsize whose bytes overflow 64 bits read as
    /// a size the domain XML parser then refused.
    #[test]
    fn memory_whose_bytes_overflow_is_an_error() {
        let err = read("memsize = \"200000000000000048\"\n").unwrap_err();
        assert!(err.detail.contains("is too large"), "{err}");
        assert!(read("memsize = \"17592186044412\"\n").is_ok());
    }

    /// Found by the vmx_round_trip fuzz target: 3 vCPUs at 2 cores per socket read as a 1×2
    /// topology, which the writer then refused.
    #[test]
    fn vcpus_not_a_multiple_of_cores_per_socket_is_an_error() {
        let err = read("numvcpus = \"3\"\ncpuid.coresPerSocket = \"2\"\n").unwrap_err();
        assert!(err.detail.contains("to be a multiple of"), "{err}");
        let def = read("numvcpus = \"4\"\ncpuid.coresPerSocket = \"2\"\n").unwrap();
        let t = def.cpu.and_then(|c| c.topology).unwrap();
        assert_eq!((t.sockets, t.cores), (2, 2));
    }
}
