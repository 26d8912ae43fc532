//! libvirt's domain definition, limited to what VMware can express, with parse and format.
//! The shape follows libvirt's virDomainDef so both converters and the driver can share it.

pub mod defaults;
mod disk_name;
pub mod format;
mod parse;

pub use disk_name::{disk_name_to_index, index_to_disk_name, nvme_name_to_slot, nvme_slot_to_name};
pub use parse::{DeviceDef, default_bus, parse_device};

use crate::error::Result;
use crate::xml::ids::{MacAddr, Uuid};
use crate::xml::metadata::Metadata;

/// The vmware XML namespace libvirt attaches for `<vmware:datacenterpath>`.
pub const VMWARE_NAMESPACE: &str = "http://libvirt.org/schemas/domain/vmware/1.0";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DomainDef {
    /// `<domain type=…>`; the converter only accepts `vmware`.
    pub virt_type: String,
    /// `<domain id=…>` of a running domain; never read from XML (libvirt ignores it there).
    pub id: Option<i32>,
    pub name: String,
    pub uuid: Uuid,
    pub genid: Option<Uuid>,
    pub description: Option<String>,
    /// Applications' elements under `<metadata>`, one per namespace.
    pub metadata: Vec<Metadata>,
    pub memory: Memory,
    pub vcpu: Vcpu,
    pub cputune_shares: Option<u64>,
    pub os: Os,
    pub cpu: Option<Cpu>,
    pub clock_offset: String,
    pub on_poweroff: String,
    pub on_reboot: String,
    pub on_crash: String,
    pub devices: Devices,
    pub vmware: VmwareMetadata,
}

/// Sizes in KiB.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Memory {
    pub max_kib: u64,
    pub current_kib: u64,
    pub min_guarantee_kib: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vcpu {
    pub max: u32,
    pub current: u32,
    /// Host CPUs the guest may run on, ascending.
    pub cpuset: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Os {
    pub os_type: String,
    pub arch: String,
    pub machine: Option<String>,
    pub firmware: Option<String>,
    /// `<firmware><feature name=… enabled=…/>`, kept in libvirt's order.
    pub firmware_features: Vec<(String, bool)>,
    pub boot_devices: Vec<String>,
    pub smbios_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cpu {
    pub mode: String,
    pub topology: Option<Topology>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Topology {
    pub sockets: u32,
    pub dies: u32,
    pub clusters: u32,
    pub cores: u32,
    pub threads: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Devices {
    pub disks: Vec<Disk>,
    pub controllers: Vec<Controller>,
    pub filesystems: Vec<Filesystem>,
    pub interfaces: Vec<Interface>,
    pub serials: Vec<Chr>,
    pub parallels: Vec<Chr>,
    pub consoles: Vec<Chr>,
    pub tpms: Vec<Tpm>,
    pub graphics: Vec<Graphics>,
    pub sounds: Vec<Sound>,
    pub videos: Vec<Video>,
}

/// `<tpm model=…><backend type=… version=…/></tpm>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tpm {
    pub model: String,
    pub backend: String,
    pub version: Option<String>,
}

/// `<sound model=…/>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sound {
    pub model: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskDevice {
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
    pub disk_type: String,
    pub device: DiskDevice,
    pub bus: DiskBus,
    pub source: Option<String>,
    pub startup_policy: Option<String>,
    pub target: String,
    /// Legacy `<driver name=…>` naming the SCSI controller model.
    pub driver_name: Option<String>,
    pub cache: Option<String>,
    pub readonly: bool,
    pub transient: bool,
    pub address: Option<Address>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Address {
    Drive(DriveAddress),
    /// Any other `<address type=…>`, kept so the converter can name it in its error.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DriveAddress {
    pub controller: u32,
    pub bus: u32,
    pub target: u32,
    pub unit: u32,
}

impl DriveAddress {
    /// Whether two addresses name one VMware slot: VMware has no SCSI targets, so libvirt
    /// compares controller, bus and unit only.
    pub fn same_slot(&self, other: &DriveAddress) -> bool {
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
pub enum ControllerType {
    Ide,
    Fdc,
    Scsi,
    Sata,
    Nvme,
    Usb,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Controller {
    pub controller_type: ControllerType,
    pub index: u32,
    pub model: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filesystem {
    pub fs_type: String,
    pub access_mode: String,
    pub source: String,
    pub target: String,
    pub readonly: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacType {
    Generated,
    Static,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interface {
    /// `bridge`, `user`, `null`, `vds`, or a type the converter refuses.
    pub net_type: String,
    pub mac: MacAddr,
    pub mac_type: Option<MacType>,
    pub mac_check: Option<bool>,
    pub bridge: Option<String>,
    /// `<source network=…>` of a `network` interface: a Workstation or Fusion vmnet.
    pub network: Option<String>,
    /// `<target dev=…>`, VMware's custom `vnet`.
    pub ifname: Option<String>,
    pub model: Option<String>,
    pub vds: Option<VdsPort>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct VdsPort {
    pub switch_id: Uuid,
    pub port_id: i64,
    pub portgroup_id: Option<String>,
    pub connection_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChrSource {
    Dev(String),
    File(String),
    Pipe(String),
    Tcp(TcpSource),
    Null,
    /// A character device type VMware cannot express.
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TcpSource {
    pub host: String,
    pub service: String,
    pub listen: bool,
    /// `raw`, `telnet`, `telnets` or `tls`.
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chr {
    pub source: ChrSource,
    pub target_port: u32,
    /// Only consoles carry a target type (`serial`).
    pub target_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Graphics {
    /// `vnc`, or another type the converter refuses.
    pub graphics_type: String,
    pub port: i32,
    pub autoport: bool,
    pub listen: Option<String>,
    pub keymap: Option<String>,
    pub passwd: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    pub model: String,
    /// KiB.
    pub vram: u32,
    pub heads: u32,
    pub primary: bool,
}

/// What libvirt keeps in the domain's vmware namespace.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VmwareMetadata {
    pub datacenter_path: Option<String>,
    pub moref: Option<String>,
    /// `<vmware:virtualhw>`: the virtual hardware version of the VMX file the XML came from,
    /// which the VMX writer keeps (ours; libvirt drops it).
    pub virtual_hw: Option<i64>,
    /// `<vmware:guestos>`: the VMX file's `guestOS`, which the writer keeps instead of
    /// `other`/`other-64` (ours; libvirt drops it).
    pub guest_os: Option<String>,
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
    pub fn apply_defaults(&mut self) {
        defaults::apply(self);
    }
}

impl DiskBus {
    pub fn as_str(&self) -> &str {
        match self {
            DiskBus::Ide => "ide",
            DiskBus::Scsi => "scsi",
            DiskBus::Sata => "sata",
            DiskBus::Fdc => "fdc",
            DiskBus::Nvme => "nvme",
            DiskBus::Other(s) => s,
        }
    }

    pub fn from_name(name: &str) -> DiskBus {
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
    pub fn controller_type(&self) -> Option<ControllerType> {
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
    pub fn as_str(&self) -> &'static str {
        match self {
            DiskDevice::Disk => "disk",
            DiskDevice::Cdrom => "cdrom",
            DiskDevice::Floppy => "floppy",
            DiskDevice::Lun => "lun",
        }
    }
}

impl ControllerType {
    pub fn as_str(&self) -> &str {
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

    pub fn from_name(name: &str) -> ControllerType {
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
    pub fn drive_address(&self) -> Option<DriveAddress> {
        match self.address {
            Some(Address::Drive(drive)) => Some(drive),
            _ => None,
        }
    }
}

impl Devices {
    /// Adds a controller unless one of that type and index exists, keeping libvirt's order:
    /// grouped by type (first appearance), ascending index within a type.
    pub fn add_controller(
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
