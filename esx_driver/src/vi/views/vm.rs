//! Property views of virtual machines: what one call reads of a VM (listing, sizing, devices,
//! snapshots, guest, tuning), each a typed struct with its property paths.

use crate::vi::data::{DatastoreHostMount, GuestDiskInfo, GuestNicInfo};
use crate::vi::soap::MoRef;
use crate::vi::specs::AutoStartPowerInfo;
use crate::vi::types::vim_type;

/// Property paths the driver names outside a view (in filters and change sets).
/// A VM's power state (`poweredOn`, `poweredOff`, `suspended`).
pub const POWER_STATE: &str = "runtime.powerState";
/// A VM's virtual devices.
pub const DEVICES: &str = "config.hardware.device";
/// A VM's BIOS UUID.
pub const CONFIG_UUID: &str = "config.uuid";

vim_type!(DeviceSlot {
    key: i32 = "key",
    controller_key: Option<i32> = "controllerKey",
    unit_number: Option<i32> = "unitNumber",
    bus_number: Option<i32> = "busNumber",
});

vim_type!(GuestInfo {
    power_state: String = "runtime.powerState",
    host_name: String = "guest.hostName",
    nics: Vec<GuestNicInfo> = "guest.net",
});

/// What VMware Tools report of a guest, read as the one `guest` property so that a server of
/// any version answers (naming a newer field alone would be a fault on an older one).
pub const GUEST: &str = "guest";

vim_type!(GuestReport {
    power_state: String = "runtime.powerState",
    tools: Option<String> = "guest.toolsRunningStatus",
    guest_id: Option<String> = "guest.guestId",
    full_name: Option<String> = "guest.guestFullName",
    host_name: Option<String> = "guest.hostName",
    nics: Vec<GuestNicInfo> = "guest.net",
    disks: Vec<GuestDiskInfo> = "guest.disk",
});

vim_type!(AutostartConfig {
    enabled: bool = "config.defaults.enabled",
    power_info: Vec<AutoStartPowerInfo> = "config.powerInfo",
});

vim_type!(EntityName {
    name: String = "name",
    parent: Option<MoRef> = "parent",
});

vim_type!(VmSizing {
    memory_mb: i64 = "config.hardware.memoryMB",
    num_cpu: i32 = "config.hardware.numCPU",
    memory_limit_mb: Option<i64> = "config.memoryAllocation.limit",
    power_state: Option<String> = "runtime.powerState",
});

vim_type!(VmProps {
    name: String = "name",
    uuid: String = "config.uuid",
    power_state: String = "runtime.powerState",
    template: bool = "config.template",
    host: Option<MoRef> = "runtime.host",
    memory_mb: i64 = "config.hardware.memoryMB",
    num_cpu: i32 = "config.hardware.numCPU",
    memory_limit_mb: Option<i64> = "config.memoryAllocation.limit",
    current_snapshot: Option<MoRef> = "snapshot.currentSnapshot",
    vmx_path: String = "config.files.vmPathName",
    memory_hot_add: bool = "config.memoryHotAddEnabled",
    cpu_hot_add: bool = "config.cpuHotAddEnabled",
    cpu_hot_remove: bool = "config.cpuHotRemoveEnabled",
});

vim_type!(LayoutFile {
    key: i32 = "key",
    size: i64 = "size",
    kind: String = "type",
});

vim_type!(LayoutChainLink {
    files: Vec<i32> = "fileKey",
});

vim_type!(LayoutDisk {
    key: i32 = "key",
    chain: Vec<LayoutChainLink> = "chain",
});

vim_type!(DiskLayout {
    files: Vec<LayoutFile> = "layoutEx.file",
    disks: Vec<LayoutDisk> = "layoutEx.disk",
});

vim_type!(CpuAllocation {
    reservation: i64 = "config.cpuAllocation.reservation",
    limit: i64 = "config.cpuAllocation.limit",
    shares: i32 = "config.cpuAllocation.shares.shares",
    level: String = "config.cpuAllocation.shares.level",
});

vim_type!(MemoryAllocation {
    reservation: i64 = "config.memoryAllocation.reservation",
    limit: Option<i64> = "config.memoryAllocation.limit",
    size_mb: i64 = "config.hardware.memoryMB",
});

vim_type!(Slot {
    key: i32 = "key",
    controller_key: Option<i32> = "controllerKey",
    unit: Option<i32> = "unitNumber",
    bus_number: Option<i32> = "busNumber",
    mac: Option<String> = "macAddress",
    file: Option<String> = "backing.fileName",
    capacity: Option<i64> = "capacityInBytes",
    capacity_kb: Option<i64> = "capacityInKB",
});

vim_type!(QuickMemory {
    memory_mb: i64 = "config.hardware.memoryMB",
    active_mb: i64 = "summary.quickStats.guestMemoryUsage",
    consumed_mb: i64 = "summary.quickStats.hostMemoryUsage",
    ballooned_mb: i64 = "summary.quickStats.balloonedMemory",
});

vim_type!(TaskProgress {
    state: String = "info.state",
    progress: Option<i32> = "info.progress",
});

vim_type!(DatastoreName {
    name: String = "summary.name"
});

vim_type!(DatastoreMounts {
    name: String = "summary.name",
    mounts: Vec<DatastoreHostMount> = "host",
});

vim_type!(VirtualMachineSnapshotTree {
    snapshot: Option<MoRef> = "snapshot",
    name: String = "name",
    description: String = "description",
    create_time: String = "createTime",
    state: String = "state",
    children: Vec<VirtualMachineSnapshotTree> = "childSnapshotList",
});

vim_type!(VmSnapshots {
    roots: Vec<VirtualMachineSnapshotTree> = "snapshot.rootSnapshotList",
    current: Option<MoRef> = "snapshot.currentSnapshot",
    power_state: String = "runtime.powerState",
    tools: Option<String> = "guest.toolsRunningStatus",
});

vim_type!(
    /// Where a VM runs: its host, and the environment browser that says what the host offers it.
    VmTarget {
    browser: Option<MoRef> = "environmentBrowser",
    host: Option<MoRef> = "runtime.host",
});
