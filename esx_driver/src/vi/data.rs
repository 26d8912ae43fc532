//! vSphere data objects read from the server, by their WSDL names with the fields we use:
//! the driver's property views (what one call reads) are made of these and of scalars.

use super::soap::MoRef;
use super::specs::AutoStartPowerInfo;
use super::types::vim_type;

vim_type!(HostCpuIdInfo {
    level: i32 = "level",
    edx: String = "edx",
});

vim_type!(NetIpConfigInfoIpAddress {
    address: String = "ipAddress",
    prefix: u32 = "prefixLength",
});

vim_type!(GuestNicInfo {
    network: String = "network",
    mac: String = "macAddress",
    connected: bool = "connected",
    plain_addresses: Vec<String> = "ipAddress",
    addresses: Vec<NetIpConfigInfoIpAddress> = "ipConfig.ipAddress",
});

vim_type!(GuestDiskMapping { key: i32 = "key" });

vim_type!(GuestDiskInfo {
    path: String = "diskPath",
    capacity: Option<i64> = "capacity",
    free: Option<i64> = "freeSpace",
    fs_type: String = "filesystemType",
    mappings: Vec<GuestDiskMapping> = "mappings",
});

vim_type!(GuestOsDescriptor {
    id: String = "id",
    family: String = "family",
    max_cpus: i32 = "supportedMaxCPUs",
    min_mem_mb: i64 = "supportedMinMemMB",
    max_mem_mb: i64 = "supportedMaxMemMB",
    disk_controllers: Vec<String> = "supportedDiskControllerList",
    nics: Vec<String> = "supportedEthernetCard",
    firmware: Vec<String> = "supportedFirmware",
    secure_boot: Option<bool> = "supportsSecureBoot",
});

vim_type!(VirtualMachineConfigOption {
    version: String = "version",
    guests: Vec<GuestOsDescriptor> = "guestOSDescriptor",
    num_cpu: Vec<i32> = "hardwareOptions.numCPU",
});

vim_type!(VirtualMachineConfigOptionDescriptor {
    key: String = "key",
    create_supported: Option<bool> = "createSupported",
});

vim_type!(EVCMode {
    key: String = "key",
    vendor: String = "vendor",
    tier: i32 = "vendorTier",
});

vim_type!(DatastoreHostMount {
    host: Option<MoRef> = "key",
    path: String = "mountInfo.path",
});

vim_type!(VmDiskFileInfo {
    path: String = "path",
    controller_type: String = "controllerType",
});

impl AutoStartPowerInfo {
    /// Whether the host powers this VM on when it starts.
    pub fn powers_on(&self) -> bool {
        self.start_action.eq_ignore_ascii_case("powerOn")
    }
}

vim_type!(
    /// A host PCI function a VM can be given (`ConfigTarget.pciPassthrough`): its passthrough
    /// is active on the host.
    VirtualMachinePciPassthroughInfo {
    id: String = "pciDevice.id",
    device_id: i16 = "pciDevice.deviceId",
    vendor_id: i16 = "pciDevice.vendorId",
    device_name: String = "pciDevice.deviceName",
    system_id: String = "systemId",
});

vim_type!(
    /// What a host offers its VMs (`ConfigTarget`), as far as this library asks.
    ConfigTarget {
    pci_passthrough: Vec<VirtualMachinePciPassthroughInfo> = "pciPassthrough",
});
