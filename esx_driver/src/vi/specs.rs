//! The request data objects we send (VM configuration, relocation, devices, autostart, datastore
//! searches), declared with `vim_type!(write …)`: fields in the WSDL's order, as govmomi has them.

use super::soap::MoRef;
use super::types::{XsdString, vim_type};
use super::write::{vim_choice, vim_enum};

vim_enum!(SharesLevel {
    Low = "low",
    Normal = "normal",
    High = "high",
    Custom = "custom",
});

vim_type!(write SharesInfo {
    shares: i32 = "shares",
    level: SharesLevel = "level",
});

vim_type!(write ResourceAllocationInfo {
    reservation: Option<i64> = "reservation",
    expandable_reservation: Option<bool> = "expandableReservation",
    limit: Option<i64> = "limit",
    shares: Option<SharesInfo> = "shares",
});

vim_type!(write VirtualMachineConfigSpec {
    name: Option<String> = "name",
    guest_id: Option<String> = "guestId",
    annotation: Option<String> = "annotation",
    num_cpus: Option<i32> = "numCPUs",
    num_cores_per_socket: Option<i32> = "numCoresPerSocket",
    memory_mb: Option<i64> = "memoryMB",
    memory_hot_add_enabled: Option<bool> = "memoryHotAddEnabled",
    cpu_hot_add_enabled: Option<bool> = "cpuHotAddEnabled",
    cpu_hot_remove_enabled: Option<bool> = "cpuHotRemoveEnabled",
    device_change: Vec<VirtualDeviceConfigSpec> = "deviceChange",
    cpu_allocation: Option<ResourceAllocationInfo> = "cpuAllocation",
    memory_allocation: Option<ResourceAllocationInfo> = "memoryAllocation",
    cpu_affinity: Option<VirtualMachineAffinityInfo> = "cpuAffinity",
    extra_config: Vec<OptionValue> = "extraConfig",
});

// The host CPUs a VM may run on; an empty set clears the affinity.
vim_type!(write VirtualMachineAffinityInfo {
    affinity_set: Vec<i32> = "affinitySet",
});

// An `extraConfig` entry; an empty value removes the entry.
vim_type!(write OptionValue {
    key: String = "key",
    value: XsdString = "value",
});

vim_enum!(VirtualDeviceConfigSpecOperation {
    Add = "add",
    Remove = "remove",
    Edit = "edit",
});

vim_enum!(VirtualDeviceConfigSpecFileOperation {
    Create = "create",
    Destroy = "destroy",
    Replace = "replace",
});

vim_type!(write VirtualDeviceConfigSpec {
    operation: Option<VirtualDeviceConfigSpecOperation> = "operation",
    file_operation: Option<VirtualDeviceConfigSpecFileOperation> = "fileOperation",
    device: VirtualDevice = "device",
});

vim_type!(write VirtualDeviceConnectInfo {
    start_connected: bool = "startConnected",
    allow_guest_control: bool = "allowGuestControl",
    connected: bool = "connected",
});

// VirtualDeviceFileBackingInfo's fields, then the flat disk's own.
vim_type!(write VirtualDiskFlatVer2BackingInfo {
    file_name: String = "fileName",
    datastore: Option<MoRef> = "datastore",
    disk_mode: String = "diskMode",
    thin_provisioned: Option<bool> = "thinProvisioned",
});

// VirtualDeviceDeviceBackingInfo's deviceName, then the network.
vim_type!(write VirtualEthernetCardNetworkBackingInfo {
    device_name: String = "deviceName",
    network: Option<MoRef> = "network",
});

vim_type!(write DistributedVirtualSwitchPortConnection {
    switch_uuid: String = "switchUuid",
    portgroup_key: Option<String> = "portgroupKey",
    port_key: Option<String> = "portKey",
    connection_cookie: Option<i32> = "connectionCookie",
});

vim_type!(write VirtualEthernetCardDistributedVirtualPortBackingInfo {
    port: DistributedVirtualSwitchPortConnection = "port",
});

// A CD-ROM's or floppy's media: an image file, a host device, or the client's drive (an
// empty drive names no device).
vim_type!(write VirtualCdromIsoBackingInfo {
    file_name: String = "fileName",
});

vim_type!(write VirtualCdromAtapiBackingInfo {
    device_name: String = "deviceName",
});

vim_type!(write VirtualCdromRemotePassthroughBackingInfo {
    device_name: String = "deviceName",
    exclusive: bool = "exclusive",
});

vim_type!(write VirtualFloppyImageBackingInfo {
    file_name: String = "fileName",
});

vim_type!(write VirtualFloppyDeviceBackingInfo {
    device_name: String = "deviceName",
});

// A host PCI function passed through: VirtualDeviceDeviceBackingInfo's name, then the
// function's id on its host, its device id in hexadecimal, the host's system id and the vendor.
vim_type!(write VirtualPCIPassthroughDeviceBackingInfo {
    device_name: String = "deviceName",
    id: String = "id",
    device_id: String = "deviceId",
    system_id: String = "systemId",
    vendor_id: i16 = "vendorId",
});

vim_choice!(
    /// A device's backing (`VirtualDeviceBackingInfo` subtypes).
    VirtualDeviceBackingInfo {
        VirtualDiskFlatVer2BackingInfo,
        VirtualEthernetCardNetworkBackingInfo,
        VirtualEthernetCardDistributedVirtualPortBackingInfo,
        VirtualCdromIsoBackingInfo,
        VirtualCdromAtapiBackingInfo,
        VirtualCdromRemotePassthroughBackingInfo,
        VirtualFloppyImageBackingInfo,
        VirtualFloppyDeviceBackingInfo,
        VirtualPCIPassthroughDeviceBackingInfo,
    }
);

vim_type!(
    /// A device's label and summary, as read; sent back with an edited device as clients do
    /// (and as this simulator needs).
    write Description {
    label: String = "label",
    summary: String = "summary",
});

/// A VirtualDevice subtype: VirtualDevice's fields in the WSDL's order, then its own.
macro_rules! virtual_device {
    ($name:ident { $($field:ident : $ty:ty = $path:literal),* $(,)? }) => {
        vim_type!(write $name {
            key: i32 = "key",
            device_info: Option<Description> = "deviceInfo",
            backing: Option<VirtualDeviceBackingInfo> = "backing",
            connectable: Option<VirtualDeviceConnectInfo> = "connectable",
            controller_key: Option<i32> = "controllerKey",
            unit_number: Option<i32> = "unitNumber",
            $($field: $ty = $path,)*
        });
    };
}

/// Removable drives: VirtualDevice's fields only; made and given other media through
/// `VirtualDevice::drive` and `VirtualDevice::with_media`.
macro_rules! drives {
    ($($name:ident),*) => {
        $(virtual_device!($name {});)*

        impl VirtualDevice {
            /// A new drive of the vSphere type `kind` on (controller key, unit).
            pub fn drive(
                kind: &str,
                key: i32,
                backing: VirtualDeviceBackingInfo,
                connectable: VirtualDeviceConnectInfo,
                slot: (i32, i32),
            ) -> Option<VirtualDevice> {
                match kind {
                    $(stringify!($name) => Some(VirtualDevice::$name($name {
                        key,
                        device_info: None,
                        backing: Some(backing),
                        connectable: Some(connectable),
                        controller_key: Some(slot.0),
                        unit_number: Some(slot.1),
                    })),)*
                    _ => None,
                }
            }

            /// A drive with other media; `None` for other devices.
            pub fn with_media(
                &self,
                backing: VirtualDeviceBackingInfo,
                connectable: VirtualDeviceConnectInfo,
            ) -> Option<VirtualDevice> {
                match self.clone() {
                    $(VirtualDevice::$name(d) => Some(VirtualDevice::$name($name {
                        backing: Some(backing),
                        connectable: Some(connectable),
                        ..d
                    })),)*
                    _ => None,
                }
            }
        }
    };
}
drives!(VirtualCdrom, VirtualFloppy);
virtual_device!(VirtualPCIPassthrough {});

// Which config option to describe: a hardware version (`vmx-13`), on one host, for guests.
vim_type!(write EnvironmentBrowserConfigOptionQuerySpec {
    key: Option<String> = "key",
    host: Option<MoRef> = "host",
    guest_id: Vec<String> = "guestId",
});

// Keys typed on a VM's console (PutUsbScanCodes): each event a USB HID usage (usage << 16 | 7,
// the keyboard page) with the modifier keys held for it.
vim_type!(write UsbScanCodeSpecModifierType {
    left_control: Option<bool> = "leftControl",
    left_shift: Option<bool> = "leftShift",
    left_alt: Option<bool> = "leftAlt",
    left_gui: Option<bool> = "leftGui",
    right_control: Option<bool> = "rightControl",
    right_shift: Option<bool> = "rightShift",
    right_alt: Option<bool> = "rightAlt",
    right_gui: Option<bool> = "rightGui",
});

vim_type!(write UsbScanCodeSpecKeyEvent {
    usb_hid_code: i32 = "usbHidCode",
    modifiers: Option<UsbScanCodeSpecModifierType> = "modifiers",
});

vim_type!(write UsbScanCodeSpec {
    key_events: Vec<UsbScanCodeSpecKeyEvent> = "keyEvents",
});

// A disk's I/O controls: its IOPS limit (-1 none) and its shares of the datastore's I/O.
vim_type!(write StorageIOAllocationInfo {
    limit: Option<i64> = "limit",
    shares: Option<SharesInfo> = "shares",
    reservation: Option<i32> = "reservation",
});

// VirtualDevice's fields, then VirtualDisk's.
virtual_device!(VirtualDisk {
    capacity_in_kb: Option<i64> = "capacityInKB",
    capacity_in_bytes: Option<i64> = "capacityInBytes",
    storage_io_allocation: Option<StorageIOAllocationInfo> = "storageIOAllocation",
});

/// The disk controllers a device change may add: VirtualDevice's key, VirtualController's
/// bus number, and for SCSI controllers VirtualSCSIController's sharing.
macro_rules! controllers {
    (scsi: $($scsi:ident),*; other: $($other:ident),*) => {
        $(vim_type!(write $scsi {
            key: i32 = "key",
            bus_number: i32 = "busNumber",
            shared_bus: String = "sharedBus",
        });)*
        $(vim_type!(write $other {
            key: i32 = "key",
            bus_number: i32 = "busNumber",
        });)*

        impl VirtualDevice {
            /// A new controller of the vSphere type `kind`, unshared; `None` for other types.
            pub fn controller(kind: &str, key: i32, bus_number: i32) -> Option<VirtualDevice> {
                match kind {
                    $(stringify!($scsi) => Some(VirtualDevice::$scsi($scsi {
                        key,
                        bus_number,
                        shared_bus: "noSharing".into(),
                    })),)*
                    $(stringify!($other) => Some(VirtualDevice::$other($other { key, bus_number })),)*
                    _ => None,
                }
            }
        }
    };
}
controllers!(
    scsi: VirtualLsiLogicController, VirtualLsiLogicSASController, VirtualBusLogicController,
        ParaVirtualSCSIController;
    other: VirtualAHCIController, VirtualNVMEController
);

// A NIC's bandwidth: its reservation and limit (Mbit/s, -1 none) and its shares.
vim_type!(write VirtualEthernetCardResourceAllocation {
    reservation: Option<i64> = "reservation",
    share: Option<SharesInfo> = "share",
    limit: Option<i64> = "limit",
});

/// A NIC's fields, whatever its model (each model is its own vSphere type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EthernetCard {
    pub key: i32,
    pub device_info: Option<Description>,
    pub backing: Option<VirtualDeviceBackingInfo>,
    pub connectable: Option<VirtualDeviceConnectInfo>,
    pub controller_key: Option<i32>,
    pub unit_number: Option<i32>,
    pub address_type: Option<String>,
    pub mac_address: Option<String>,
    pub resource_allocation: Option<VirtualEthernetCardResourceAllocation>,
}

/// The NIC models: each a VirtualEthernetCard (VirtualDevice's fields, then the card's), all
/// reached as one `EthernetCard` through `VirtualDevice::ethernet` and `VirtualDevice::nic`.
macro_rules! ethernet_cards {
    ($($name:ident),*) => {
        $(virtual_device!($name {
            address_type: Option<String> = "addressType",
            mac_address: Option<String> = "macAddress",
            resource_allocation: Option<VirtualEthernetCardResourceAllocation> = "resourceAllocation",
        });)*

        vim_choice!(
            /// A virtual device (`VirtualDevice` subtypes).
            VirtualDevice {
                VirtualDisk,
                VirtualCdrom,
                VirtualFloppy,
                $($name,)*
                VirtualLsiLogicController,
                VirtualLsiLogicSASController,
                VirtualBusLogicController,
                ParaVirtualSCSIController,
                VirtualAHCIController,
                VirtualNVMEController,
                VirtualPCIPassthrough,
            }
        );

        impl VirtualDevice {
            /// The NIC's vSphere type and fields; `None` for other devices.
            pub fn ethernet(&self) -> Option<(&'static str, EthernetCard)> {
                match self {
                    $(VirtualDevice::$name(c) => Some((stringify!($name), EthernetCard {
                        key: c.key,
                        device_info: c.device_info.clone(),
                        backing: c.backing.clone(),
                        connectable: c.connectable.clone(),
                        controller_key: c.controller_key,
                        unit_number: c.unit_number,
                        address_type: c.address_type.clone(),
                        mac_address: c.mac_address.clone(),
                        resource_allocation: c.resource_allocation.clone(),
                    })),)*
                    _ => None,
                }
            }

            /// A NIC of the vSphere type `kind` (`VirtualVmxnet3`); `None` for other types.
            pub fn nic(kind: &str, c: EthernetCard) -> Option<VirtualDevice> {
                match kind {
                    $(stringify!($name) => Some(VirtualDevice::$name($name {
                        key: c.key,
                        device_info: c.device_info,
                        backing: c.backing,
                        connectable: c.connectable,
                        controller_key: c.controller_key,
                        unit_number: c.unit_number,
                        address_type: c.address_type,
                        mac_address: c.mac_address,
                        resource_allocation: c.resource_allocation,
                    })),)*
                    _ => None,
                }
            }

            /// The NIC with this bandwidth allocation; `None` for other devices.
            pub fn with_allocation(
                &self,
                allocation: VirtualEthernetCardResourceAllocation,
            ) -> Option<VirtualDevice> {
                match self.clone() {
                    $(VirtualDevice::$name(c) => Some(VirtualDevice::$name($name {
                        resource_allocation: Some(allocation),
                        ..c
                    })),)*
                    _ => None,
                }
            }
        }
    };
}
ethernet_cards!(
    VirtualE1000,
    VirtualE1000e,
    VirtualPCNet32,
    VirtualVmxnet,
    VirtualVmxnet2,
    VirtualVmxnet3
);

vim_type!(write VirtualMachineRelocateSpecDiskLocator {
    disk_id: i32 = "diskId",
    datastore: Option<MoRef> = "datastore",
    disk_move_type: Option<String> = "diskMoveType",
});

vim_type!(write VirtualMachineRelocateSpec {
    folder: Option<MoRef> = "folder",
    datastore: Option<MoRef> = "datastore",
    disk_move_type: Option<String> = "diskMoveType",
    pool: Option<MoRef> = "pool",
    host: Option<MoRef> = "host",
    disk: Vec<VirtualMachineRelocateSpecDiskLocator> = "disk",
    device_change: Vec<VirtualDeviceConfigSpec> = "deviceChange",
});

vim_type!(write AutoStartDefaults {
    enabled: Option<bool> = "enabled",
    start_delay: Option<i32> = "startDelay",
    stop_delay: Option<i32> = "stopDelay",
    wait_for_heartbeat: Option<bool> = "waitForHeartbeat",
    stop_action: Option<String> = "stopAction",
});

vim_enum!(AutoStartWaitHeartbeatSetting {
    SystemDefault = "systemDefault",
    Yes = "yes",
    No = "no",
});

vim_type!(write AutoStartPowerInfo {
    key: Option<MoRef> = "key",
    start_order: i32 = "startOrder",
    start_delay: i32 = "startDelay",
    wait_for_heartbeat: AutoStartWaitHeartbeatSetting = "waitForHeartbeat",
    start_action: String = "startAction",
    stop_delay: i32 = "stopDelay",
    stop_action: String = "stopAction",
});

// Passthrough switched on or off for one PCI function of a host.
vim_type!(write HostPciPassthruConfig {
    id: String = "id",
    passthru_enabled: bool = "passthruEnabled",
});

vim_type!(write HostAutoStartManagerConfig {
    defaults: Option<AutoStartDefaults> = "defaults",
    power_info: Vec<AutoStartPowerInfo> = "powerInfo",
});

vim_type!(write FileQueryFlags {
    file_type: bool = "fileType",
    file_size: bool = "fileSize",
    modification: bool = "modification",
    file_owner: Option<bool> = "fileOwner",
});

vim_type!(write VmDiskFileQueryFlags {
    disk_type: bool = "diskType",
    capacity_kb: bool = "capacityKb",
    hardware_version: bool = "hardwareVersion",
    controller_type: Option<bool> = "controllerType",
    disk_extents: Option<bool> = "diskExtents",
    thin: Option<bool> = "thin",
    encryption: Option<bool> = "encryption",
});

vim_type!(write VmDiskFileQuery {
    details: Option<VmDiskFileQueryFlags> = "details",
});

/// One query of a datastore search: the kind of file it asks for (`xsi:type` says which).
#[derive(Debug, Clone, PartialEq)]
pub enum FileQuery {
    VmDisk(VmDiskFileQuery),
    IsoImage,
    FloppyImage,
}

impl Default for FileQuery {
    fn default() -> Self {
        FileQuery::VmDisk(VmDiskFileQuery::default())
    }
}

impl crate::vi::types::FromNode for FileQuery {
    fn from_node(n: &crate::vi::node::Node) -> Option<Self> {
        match n.xsi_type.as_deref() {
            Some("IsoImageFileQuery") => Some(FileQuery::IsoImage),
            Some("FloppyImageFileQuery") => Some(FileQuery::FloppyImage),
            _ => VmDiskFileQuery::from_node(n).map(FileQuery::VmDisk),
        }
    }
}

impl crate::vi::write::ToXml for FileQuery {
    fn write(&self, req: &mut crate::vi::soap::Request, name: &str) {
        let empty = match self {
            FileQuery::VmDisk(q) => return q.write(req, name),
            FileQuery::IsoImage => "IsoImageFileQuery",
            FileQuery::FloppyImage => "FloppyImageFileQuery",
        };
        req.open(name, Some(empty));
        req.close(name);
    }
}

vim_type!(write HostDatastoreBrowserSearchSpec {
    query: Vec<FileQuery> = "query",
    details: Option<FileQueryFlags> = "details",
    search_case_insensitive: Option<bool> = "searchCaseInsensitive",
    match_pattern: Vec<String> = "matchPattern",
    sort_folders_first: Option<bool> = "sortFoldersFirst",
});

// A copy's format (CopyVirtualDisk_Task's destSpec): its provisioning and adapter.
vim_type!(write VirtualDiskSpec {
    disk_type: String = "diskType",
    adapter_type: String = "adapterType",
});

vim_type!(write FileBackedVirtualDiskSpec {
    disk_type: String = "diskType",
    adapter_type: String = "adapterType",
    capacity_kb: i64 = "capacityKb",
});

vim_type!(write HostNasVolumeSpec {
    remote_host: String = "remoteHost",
    remote_path: String = "remotePath",
    local_path: String = "localPath",
    access_mode: String = "accessMode",
    kind: Option<String> = "type",
});

vim_type!(write HostNetworkTrafficShapingPolicy {
    enabled: Option<bool> = "enabled",
    average: Option<i64> = "averageBandwidth",
    peak: Option<i64> = "peakBandwidth",
    burst: Option<i64> = "burstSize",
});

vim_type!(
    /// A switch's or port group's policy; only shaping is set here, the rest is the host's
    /// default (a port group's: its switch's).
    write HostNetworkPolicy {
    shaping: Option<HostNetworkTrafficShapingPolicy> = "shapingPolicy",
});

vim_type!(
    /// Uplinks by device name (`vmnic1`), as the host echoes them in a switch's spec.
    write HostVirtualSwitchBondBridge {
    nic_device: Vec<String> = "nicDevice",
});

vim_type!(write HostVirtualSwitchSpec {
    num_ports: i32 = "numPorts",
    bridge: Option<HostVirtualSwitchBondBridge> = "bridge",
    policy: Option<HostNetworkPolicy> = "policy",
});

vim_type!(write HostPortGroupSpec {
    name: String = "name",
    vlan_id: i32 = "vlanId",
    vswitch_name: String = "vswitchName",
    policy: HostNetworkPolicy = "policy",
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vi::soap::Request;
    use crate::vi::write::ToXml;

    fn written(v: &impl ToXml, name: &str) -> String {
        let mut r = Request::new("M", &MoRef::new("T", "t"));
        v.write(&mut r, name);
        let env = r.envelope();
        let start = env.find("</_this>").unwrap() + "</_this>".len();
        env[start..env.rfind("</M>").unwrap()].to_string()
    }

    #[test]
    fn config_spec_in_wsdl_order_without_absent_fields() {
        let spec = VirtualMachineConfigSpec {
            num_cpus: Some(2),
            memory_mb: Some(512),
            cpu_allocation: Some(ResourceAllocationInfo {
                limit: Some(-1),
                shares: Some(SharesInfo {
                    shares: 0,
                    level: SharesLevel::High,
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            written(&spec, "spec"),
            "<spec xsi:type=\"VirtualMachineConfigSpec\"><numCPUs>2</numCPUs><memoryMB>512</memoryMB>\
             <cpuAllocation xsi:type=\"ResourceAllocationInfo\"><limit>-1</limit>\
             <shares xsi:type=\"SharesInfo\"><shares>0</shares><level>high</level></shares>\
             </cpuAllocation></spec>"
        );
    }

    #[test]
    fn device_change_writes_the_device_and_backing_types() {
        let change = VirtualDeviceConfigSpec {
            operation: Some(VirtualDeviceConfigSpecOperation::Add),
            file_operation: Some(VirtualDeviceConfigSpecFileOperation::Create),
            device: VirtualDisk {
                key: -1,
                backing: Some(
                    VirtualDiskFlatVer2BackingInfo {
                        file_name: "[ds] vm/a&b.vmdk".into(),
                        disk_mode: "persistent".into(),
                        ..Default::default()
                    }
                    .into(),
                ),
                controller_key: Some(1000),
                unit_number: Some(0),
                capacity_in_kb: Some(1024),
                ..Default::default()
            }
            .into(),
        };
        assert_eq!(
            written(&change, "deviceChange"),
            "<deviceChange xsi:type=\"VirtualDeviceConfigSpec\"><operation>add</operation>\
             <fileOperation>create</fileOperation><device xsi:type=\"VirtualDisk\"><key>-1</key>\
             <backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[ds] vm/a&amp;b.vmdk</fileName>\
             <diskMode>persistent</diskMode></backing><controllerKey>1000</controllerKey>\
             <unitNumber>0</unitNumber><capacityInKB>1024</capacityInKB></device></deviceChange>"
        );
        let nic = VirtualDevice::from(VirtualE1000 {
            key: 4000,
            mac_address: Some("00:50:56:00:00:01".into()),
            ..Default::default()
        });
        assert!(
            written(&nic, "device")
                .starts_with("<device xsi:type=\"VirtualE1000\"><key>4000</key>")
        );
    }

    #[test]
    fn choices_read_back_by_xsi_type() {
        use crate::vi::types::FromNode;
        let n = crate::vi::node::parse(
            "<device xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' xsi:type='VirtualE1000'>\
             <key>4000</key><macAddress>m</macAddress></device>",
        )
        .unwrap();
        match VirtualDevice::from_node(&n) {
            Some(VirtualDevice::VirtualE1000(e)) => {
                assert_eq!((e.key, e.mac_address.as_deref()), (4000, Some("m")))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn relocate_spec_lists_disks() {
        let spec = VirtualMachineRelocateSpec {
            datastore: Some(MoRef::new("Datastore", "ds-1")),
            host: Some(MoRef::new("HostSystem", "host-2")),
            disk: vec![VirtualMachineRelocateSpecDiskLocator {
                disk_id: 2000,
                datastore: Some(MoRef::new("Datastore", "ds-1")),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            written(&spec, "spec"),
            "<spec xsi:type=\"VirtualMachineRelocateSpec\"><datastore type=\"Datastore\">ds-1</datastore>\
             <host type=\"HostSystem\">host-2</host><disk xsi:type=\"VirtualMachineRelocateSpecDiskLocator\">\
             <diskId>2000</diskId><datastore type=\"Datastore\">ds-1</datastore></disk></spec>"
        );
    }

    #[test]
    fn autostart_and_search_specs() {
        let spec = HostAutoStartManagerConfig {
            defaults: Some(AutoStartDefaults {
                enabled: Some(true),
                ..Default::default()
            }),
            power_info: vec![AutoStartPowerInfo {
                key: Some(MoRef::new("VirtualMachine", "vm-1")),
                start_order: -1,
                start_delay: -1,
                start_action: "powerOn".into(),
                stop_delay: -1,
                stop_action: "none".into(),
                ..Default::default()
            }],
        };
        assert!(written(&spec, "spec").contains(
            "<powerInfo xsi:type=\"AutoStartPowerInfo\"><key type=\"VirtualMachine\">vm-1</key>\
             <startOrder>-1</startOrder><startDelay>-1</startDelay>\
             <waitForHeartbeat>systemDefault</waitForHeartbeat><startAction>powerOn</startAction>"
        ));
        let search = HostDatastoreBrowserSearchSpec {
            query: vec![
                FileQuery::VmDisk(VmDiskFileQuery {
                    details: Some(VmDiskFileQueryFlags {
                        controller_type: Some(true),
                        ..Default::default()
                    }),
                }),
                FileQuery::IsoImage,
            ],
            match_pattern: vec!["a.vmdk".into()],
            ..Default::default()
        };
        assert_eq!(
            written(&search, "searchSpec"),
            "<searchSpec xsi:type=\"HostDatastoreBrowserSearchSpec\"><query xsi:type=\"VmDiskFileQuery\">\
             <details xsi:type=\"VmDiskFileQueryFlags\"><diskType>false</diskType><capacityKb>false</capacityKb>\
             <hardwareVersion>false</hardwareVersion><controllerType>true</controllerType></details></query>\
             <query xsi:type=\"IsoImageFileQuery\"></query><matchPattern>a.vmdk</matchPattern></searchSpec>"
        );
    }
}
