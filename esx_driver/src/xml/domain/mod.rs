//! libvirt's domain definition, limited to what VMware can express, with parse and format.
//! The shape follows libvirt's virDomainDef so both converters and the driver can share it.

pub(crate) mod defaults;
mod disk_name;
pub(crate) mod format;
mod parse;

pub(crate) use disk_name::{
    disk_name_to_index, index_to_disk_name, nvme_name_to_slot, nvme_slot_to_name,
};
pub(crate) use parse::{DeviceDef, parse_device};

use crate::error::Result;
use crate::xml::ids::{MacAddr, Uuid};
use crate::xml::metadata::Metadata;
pub(crate) use crate::xml::node_device::PciAddress;

/// The vmware XML namespace libvirt attaches for `<vmware:datacenterpath>`.
pub(crate) const VMWARE_NAMESPACE: &str = "http://libvirt.org/schemas/domain/vmware/1.0";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DomainDef {
    /// `<domain type=…>`; the converter only accepts `vmware`.
    pub(crate) virt_type: String,
    /// `<domain id=…>` of a running domain; never read from XML (libvirt ignores it there).
    pub(crate) id: Option<i32>,
    pub(crate) name: String,
    pub(crate) uuid: Uuid,
    pub(crate) genid: Option<Uuid>,
    pub description: Option<String>,
    /// Applications' elements under `<metadata>`, one per namespace.
    pub(crate) metadata: Vec<Metadata>,
    pub(crate) memory: Memory,
    pub(crate) vcpu: Vcpu,
    pub(crate) cputune_shares: Option<u64>,
    pub(crate) os: Os,
    pub(crate) cpu: Option<Cpu>,
    pub(crate) clock_offset: String,
    pub(crate) on_poweroff: String,
    pub(crate) on_reboot: String,
    pub(crate) on_crash: String,
    pub devices: Devices,
    pub(crate) vmware: VmwareMetadata,
}

/// Sizes in KiB.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Memory {
    pub(crate) max_kib: u64,
    pub(crate) current_kib: u64,
    pub(crate) min_guarantee_kib: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Vcpu {
    pub(crate) max: u32,
    pub(crate) current: u32,
    /// Host CPUs the guest may run on, ascending.
    pub(crate) cpuset: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Os {
    pub(crate) os_type: String,
    pub(crate) arch: String,
    pub(crate) machine: Option<String>,
    pub(crate) firmware: Option<String>,
    /// `<firmware><feature name=… enabled=…/>`, kept in libvirt's order.
    pub(crate) firmware_features: Vec<(String, bool)>,
    pub(crate) boot_devices: Vec<String>,
    pub(crate) smbios_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Cpu {
    pub(crate) mode: String,
    pub(crate) topology: Option<Topology>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Topology {
    pub(crate) sockets: u32,
    pub(crate) dies: u32,
    pub(crate) clusters: u32,
    pub(crate) cores: u32,
    pub(crate) threads: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Devices {
    pub disks: Vec<Disk>,
    pub(crate) controllers: Vec<Controller>,
    pub(crate) filesystems: Vec<Filesystem>,
    pub(crate) interfaces: Vec<Interface>,
    pub(crate) serials: Vec<Chr>,
    pub(crate) parallels: Vec<Chr>,
    pub(crate) consoles: Vec<Chr>,
    pub(crate) tpms: Vec<Tpm>,
    pub(crate) graphics: Vec<Graphics>,
    pub(crate) sounds: Vec<Sound>,
    pub(crate) videos: Vec<Video>,
    pub(crate) hostdevs: Vec<Hostdev>,
}

/// `<hostdev mode='subsystem' type='pci'>`: a function of the host's passed through (VMware's
/// DirectPath I/O); `managed` is kept as given (the host never switches passthrough itself).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hostdev {
    pub(crate) address: PciAddress,
    pub(crate) managed: bool,
}

/// `<tpm model=…><backend type=… version=…/></tpm>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tpm {
    pub(crate) model: String,
    pub(crate) backend: String,
    pub(crate) version: Option<String>,
}

/// `<sound model=…/>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sound {
    pub(crate) model: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiskDevice {
    Disk,
    Cdrom,
    Floppy,
    Lun,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DiskBus {
    Ide,
    Scsi,
    Sata,
    Fdc,
    Nvme,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Disk {
    /// `file`, `block`, or another libvirt storage type the converter refuses.
    pub(crate) disk_type: String,
    pub(crate) device: DiskDevice,
    pub bus: DiskBus,
    pub(crate) source: Option<String>,
    pub(crate) startup_policy: Option<String>,
    pub(crate) target: String,
    /// Legacy `<driver name=…>` naming the SCSI controller model.
    pub(crate) driver_name: Option<String>,
    pub(crate) cache: Option<String>,
    pub(crate) readonly: bool,
    pub(crate) transient: bool,
    pub(crate) address: Option<Address>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Address {
    Drive(DriveAddress),
    /// Any other `<address type=…>`, kept so the converter can name it in its error.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DriveAddress {
    pub(crate) controller: u32,
    pub(crate) bus: u32,
    pub(crate) target: u32,
    pub(crate) unit: u32,
}

impl DriveAddress {
    /// Whether two addresses name one VMware slot: VMware has no SCSI targets, so libvirt
    /// compares controller, bus and unit only.
    pub(crate) fn same_slot(&self, other: &DriveAddress) -> bool {
        (self.controller, self.bus, self.unit) == (other.controller, other.bus, other.unit)
    }
}

impl std::fmt::Display for DriveAddress {
    /// `controller:bus:unit`, as libvirt's VMX converter names a disk address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.controller, self.bus, self.unit)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ControllerType {
    Ide,
    Fdc,
    Scsi,
    Sata,
    Nvme,
    Usb,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Controller {
    pub(crate) controller_type: ControllerType,
    pub(crate) index: u32,
    pub(crate) model: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filesystem {
    pub(crate) fs_type: String,
    pub(crate) access_mode: String,
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) readonly: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MacType {
    Generated,
    Static,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Interface {
    /// `bridge`, `user`, `null`, `vds`, or a type the converter refuses.
    pub(crate) net_type: String,
    pub(crate) mac: MacAddr,
    pub(crate) mac_type: Option<MacType>,
    pub(crate) mac_check: Option<bool>,
    pub(crate) bridge: Option<String>,
    /// `<source network=…>` of a `network` interface: a Workstation or Fusion vmnet.
    pub(crate) network: Option<String>,
    /// `<target dev=…>`, VMware's custom `vnet`.
    pub(crate) ifname: Option<String>,
    pub(crate) model: Option<String>,
    pub(crate) vds: Option<VdsPort>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct VdsPort {
    pub(crate) switch_id: Uuid,
    pub(crate) port_id: i64,
    pub(crate) portgroup_id: Option<String>,
    pub(crate) connection_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ChrSource {
    Dev(String),
    File(String),
    Pipe(String),
    Tcp(TcpSource),
    Null,
    /// A character device type VMware cannot express.
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TcpSource {
    pub(crate) host: String,
    pub(crate) service: String,
    pub(crate) listen: bool,
    /// `raw`, `telnet`, `telnets` or `tls`.
    pub(crate) protocol: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chr {
    pub(crate) source: ChrSource,
    pub(crate) target_port: u32,
    /// Only consoles carry a target type (`serial`).
    pub(crate) target_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Graphics {
    /// `vnc`, or another type the converter refuses.
    pub(crate) graphics_type: String,
    pub(crate) port: i32,
    pub(crate) autoport: bool,
    pub(crate) listen: Option<String>,
    pub(crate) keymap: Option<String>,
    pub(crate) passwd: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Video {
    pub(crate) model: String,
    /// KiB.
    pub(crate) vram: u32,
    pub(crate) heads: u32,
    pub(crate) primary: bool,
}

/// What libvirt keeps in the domain's vmware namespace.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct VmwareMetadata {
    pub(crate) datacenter_path: Option<String>,
    pub(crate) moref: Option<String>,
    /// `<vmware:virtualhw>`: the virtual hardware version of the VMX file the XML came from,
    /// which the VMX writer keeps (ours; libvirt drops it).
    pub(crate) virtual_hw: Option<i64>,
    /// `<vmware:guestos>`: the VMX file's `guestOS`, which the writer keeps instead of
    /// `other`/`other-64` (ours; libvirt drops it).
    pub(crate) guest_os: Option<String>,
}

impl DomainDef {
    /// Parses domain XML the way libvirt does, including its post-parse defaults.
    pub fn parse(xml: &str) -> Result<DomainDef> {
        parse::parse_domain(xml)
    }

    /// Formats the definition exactly as libvirt's `virDomainDefFormat` with secure data.
    pub fn format(&self) -> String {
        format::format_domain(self)
    }

    /// Fills in what libvirt's post-parse step adds: lifecycle and clock defaults, disk
    /// addresses, implicit controllers, the serial console and the default video.
    pub(crate) fn apply_defaults(&mut self) {
        defaults::apply(self);
    }
}

impl DiskBus {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            DiskBus::Ide => "ide",
            DiskBus::Scsi => "scsi",
            DiskBus::Sata => "sata",
            DiskBus::Fdc => "fdc",
            DiskBus::Nvme => "nvme",
            DiskBus::Other(s) => s,
        }
    }

    pub(crate) fn from_name(name: &str) -> DiskBus {
        match name {
            "ide" => DiskBus::Ide,
            "scsi" => DiskBus::Scsi,
            "sata" => DiskBus::Sata,
            "fdc" => DiskBus::Fdc,
            "nvme" => DiskBus::Nvme,
            other => DiskBus::Other(other.to_string()),
        }
    }

    /// The controller type that carries disks on this bus.
    pub(crate) fn controller_type(&self) -> Option<ControllerType> {
        Some(match self {
            DiskBus::Ide => ControllerType::Ide,
            DiskBus::Scsi => ControllerType::Scsi,
            DiskBus::Sata => ControllerType::Sata,
            DiskBus::Fdc => ControllerType::Fdc,
            DiskBus::Nvme => ControllerType::Nvme,
            DiskBus::Other(_) => return None,
        })
    }
}

impl DiskDevice {
    pub(crate) fn as_str(&self) -> &'static str {
        match self {
            DiskDevice::Disk => "disk",
            DiskDevice::Cdrom => "cdrom",
            DiskDevice::Floppy => "floppy",
            DiskDevice::Lun => "lun",
        }
    }
}

impl ControllerType {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            ControllerType::Ide => "ide",
            ControllerType::Fdc => "fdc",
            ControllerType::Scsi => "scsi",
            ControllerType::Sata => "sata",
            ControllerType::Nvme => "nvme",
            ControllerType::Usb => "usb",
            ControllerType::Other(s) => s,
        }
    }

    pub(crate) fn from_name(name: &str) -> ControllerType {
        match name {
            "ide" => ControllerType::Ide,
            "fdc" => ControllerType::Fdc,
            "scsi" => ControllerType::Scsi,
            "sata" => ControllerType::Sata,
            "nvme" => ControllerType::Nvme,
            "usb" => ControllerType::Usb,
            other => ControllerType::Other(other.to_string()),
        }
    }
}

impl Disk {
    pub(crate) fn drive_address(&self) -> Option<DriveAddress> {
        match self.address {
            Some(Address::Drive(drive)) => Some(drive),
            _ => None,
        }
    }
}

impl Devices {
    /// Adds a controller unless one of that type and index exists, keeping libvirt's order:
    /// grouped by type (first appearance), ascending index within a type.
    pub(crate) fn add_controller(
        &mut self,
        controller_type: ControllerType,
        index: u32,
        model: Option<String>,
    ) {
        let same_type = |c: &Controller| c.controller_type == controller_type;
        if self
            .controllers
            .iter()
            .any(|c| same_type(c) && c.index == index)
        {
            return;
        }
        let position = match self.controllers.iter().rposition(same_type) {
            Some(last) => self.controllers[..=last]
                .iter()
                .position(|c| same_type(c) && c.index > index)
                .unwrap_or(last + 1),
            None => self.controllers.len(),
        };
        self.controllers.insert(
            position,
            Controller {
                controller_type,
                index,
                model,
            },
        );
    }
}
