//! Property views of hosts: facts, identity, memory, limits, DNS, NICs and PCI devices, as the
//! host calls read them.

use crate::vi::data::HostCpuIdInfo;
use crate::vi::soap::MoRef;
use crate::vi::types::vim_type;

vim_type!(HostFacts {
    cpu_model: String = "summary.hardware.cpuModel",
    cpu_hz: i64 = "hardware.cpuInfo.hz",
    cpu_packages: i32 = "hardware.cpuInfo.numCpuPackages",
    cpu_cores: i32 = "hardware.cpuInfo.numCpuCores",
    cpu_threads: i32 = "hardware.cpuInfo.numCpuThreads",
    memory_size: i64 = "hardware.memorySize",
    numa_nodes: i32 = "hardware.numaInfo.numNodes",
});

vim_type!(HostIdentity {
    uuid: String = "hardware.systemInfo.uuid",
    cpu_features: Vec<HostCpuIdInfo> = "hardware.cpuFeature",
});

vim_type!(HostSysinfo {
    vendor: String = "hardware.systemInfo.vendor",
    model: String = "hardware.systemInfo.model",
    uuid: String = "hardware.systemInfo.uuid",
    serial: String = "hardware.systemInfo.serialNumber",
    bios_vendor: String = "hardware.biosInfo.vendor",
    bios_version: String = "hardware.biosInfo.biosVersion",
    bios_date: String = "hardware.biosInfo.releaseDate",
});

vim_type!(HostMemory {
    memory_size: i64 = "hardware.memorySize",
    usage_mib: i64 = "summary.quickStats.overallMemoryUsage",
});

vim_type!(HostDns {
    host_name: String = "config.network.dnsConfig.hostName",
    domain_name: String = "config.network.dnsConfig.domainName",
});

vim_type!(HostLimits {
    max_vcpus: i32 = "capability.maxSupportedVcpus",
});

vim_type!(HostConnection {
    state: String = "runtime.connectionState",
});

vim_type!(HostEvc {
    max_mode: Option<String> = "summary.maxEVCModeKey",
});

vim_type!(
    /// One PCI function of a host; ids are unsigned 16-bit and addresses bytes on the wire's
    /// signed types (xsd:short, xsd:byte).
    HostPciDevice {
    id: String = "id",
    class_id: i16 = "classId",
    bus: i16 = "bus",
    slot: i16 = "slot",
    function: i16 = "function",
    vendor_id: i16 = "vendorId",
    vendor_name: String = "vendorName",
    device_id: i16 = "deviceId",
    device_name: String = "deviceName",
    parent_bridge: String = "parentBridge",
});

vim_type!(HostPciPassthruInfo {
    id: String = "id",
    capable: bool = "passthruCapable",
    enabled: bool = "passthruEnabled",
    active: bool = "passthruActive",
});

vim_type!(HostPci {
    devices: Vec<HostPciDevice> = "hardware.pciDevice",
    passthru: Vec<HostPciPassthruInfo> = "config.pciPassthruInfo",
    passthru_system: Option<MoRef> = "configManager.pciPassthruSystem",
});
