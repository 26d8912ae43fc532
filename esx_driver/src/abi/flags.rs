//! Typed flag sets for the driver: each holds exactly the bits of one libvirt flags enum that
//! this driver accepts, so the ffi layer refuses any other bit as libvirt's virCheckFlags does.

use super::enums::*;
use crate::error::{Code, Domain, Error, Result};

/// A flag set named after its libvirt enum; every bit's value is taken from that enum.
macro_rules! flag_set {
    ($($(#[$meta:meta])* $name:ident { $($flag:ident = $($value:ident)::+),* $(,)? })*) => {$(
        bitflags::bitflags! {
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
            pub struct $name: u32 {
                $(
                    #[doc = concat!("libvirt's `", stringify!($($value)::+), "`.")]
                    const $flag = $($value)::+ as u32;
                )*
            }
        }
    )*};
}

flag_set! {
    /// For APIs whose flags must be 0.
    NoFlags {}

    /// virStreamFlags.
    StreamFlags {
        NONBLOCK = virStreamFlags::VIR_STREAM_NONBLOCK,
    }

    /// virDomainMigrateFlags with a meaning on vSphere (the rest are refused by name).
    MigrateFlags {
        LIVE = virDomainMigrateFlags::VIR_MIGRATE_LIVE,
        PEER2PEER = virDomainMigrateFlags::VIR_MIGRATE_PEER2PEER,
        PERSIST_DEST = virDomainMigrateFlags::VIR_MIGRATE_PERSIST_DEST,
        UNDEFINE_SOURCE = virDomainMigrateFlags::VIR_MIGRATE_UNDEFINE_SOURCE,
        NON_SHARED_DISK = virDomainMigrateFlags::VIR_MIGRATE_NON_SHARED_DISK,
        NON_SHARED_INC = virDomainMigrateFlags::VIR_MIGRATE_NON_SHARED_INC,
        OFFLINE = virDomainMigrateFlags::VIR_MIGRATE_OFFLINE,
    }

    /// virStorageVolInfoFlags: a datastore file's allocation is its physical size already.
    VolInfoFlags {
        GET_PHYSICAL = virStorageVolInfoFlags::VIR_STORAGE_VOL_GET_PHYSICAL,
    }

    /// virDomainAbortJobFlagsValues: POSTCOPY is read only to be refused with its reason.
    AbortJobFlags {
        POSTCOPY = virDomainAbortJobFlagsValues::VIR_DOMAIN_ABORT_JOB_POSTCOPY,
    }

    /// virDomainGuestInfoTypes: every group, so that the ones VMware Tools do not report are
    /// refused by name rather than as unknown bits.
    GuestInfoTypes {
        USERS = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_USERS,
        OS = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_OS,
        TIMEZONE = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_TIMEZONE,
        HOSTNAME = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_HOSTNAME,
        FILESYSTEM = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_FILESYSTEM,
        DISKS = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_DISKS,
        INTERFACES = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_INTERFACES,
        LOAD = virDomainGuestInfoTypes::VIR_DOMAIN_GUEST_INFO_LOAD,
    }

    /// virDomainBlockResizeFlags: CAPACITY is read only to be refused with its reason.
    BlockResizeFlags {
        BYTES = virDomainBlockResizeFlags::VIR_DOMAIN_BLOCK_RESIZE_BYTES,
        CAPACITY = virDomainBlockResizeFlags::VIR_DOMAIN_BLOCK_RESIZE_CAPACITY,
    }

    /// virConnectGetDomainCapabilitiesFlags (vSphere has no deprecated features to leave out).
    DomainCapsFlags {
        DISABLE_DEPRECATED_FEATURES = virConnectGetDomainCapabilitiesFlags::VIR_CONNECT_GET_DOMAIN_CAPABILITIES_DISABLE_DEPRECATED_FEATURES,
    }

    /// virDomainConsoleFlags: the host decides whether a second connection is taken (FORCE
    /// cannot end another client's), and a console never corrupts another (SAFE).
    ConsoleFlags {
        FORCE = virDomainConsoleFlags::VIR_DOMAIN_CONSOLE_FORCE,
        SAFE = virDomainConsoleFlags::VIR_DOMAIN_CONSOLE_SAFE,
    }

    /// virConnectCompareCPUFlags (an EVC mode's definition is checked whatever VALIDATE_XML).
    CompareCpuFlags {
        FAIL_INCOMPATIBLE = virConnectCompareCPUFlags::VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE,
        VALIDATE_XML = virConnectCompareCPUFlags::VIR_CONNECT_COMPARE_CPU_VALIDATE_XML,
    }

    /// virConnectBaselineCPUFlags: EXPAND_FEATURES is read only to be refused with its reason.
    BaselineCpuFlags {
        EXPAND_FEATURES = virConnectBaselineCPUFlags::VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES,
        MIGRATABLE = virConnectBaselineCPUFlags::VIR_CONNECT_BASELINE_CPU_MIGRATABLE,
    }

    /// virDomainOpenGraphicsFlags.
    OpenGraphicsFlags {
        SKIPAUTH = virDomainOpenGraphicsFlags::VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH,
    }

    /// virConnectFlags.
    ConnectFlags {
        RO = virConnectFlags::VIR_CONNECT_RO,
        NO_ALIASES = virConnectFlags::VIR_CONNECT_NO_ALIASES,
    }

    /// virDomainStatsTypes: the groups of domain statistics vSphere answers (PERF, IOTHREAD,
    /// MEMORY, DIRTYRATE and VM are left out, or refused with ENFORCE_STATS).
    StatsGroups {
        STATE = virDomainStatsTypes::VIR_DOMAIN_STATS_STATE,
        CPU_TOTAL = virDomainStatsTypes::VIR_DOMAIN_STATS_CPU_TOTAL,
        BALLOON = virDomainStatsTypes::VIR_DOMAIN_STATS_BALLOON,
        VCPU = virDomainStatsTypes::VIR_DOMAIN_STATS_VCPU,
        INTERFACE = virDomainStatsTypes::VIR_DOMAIN_STATS_INTERFACE,
        BLOCK = virDomainStatsTypes::VIR_DOMAIN_STATS_BLOCK,
    }

    /// virConnectGetAllDomainStatsFlags: the list filters (ListDomainsFlags' first eight bits),
    /// and NOWAIT and BACKING, which change nothing here (no job blocks a read; no disk
    /// chain is reported).
    StatsFlags {
        ACTIVE = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE,
        INACTIVE = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE,
        PERSISTENT = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT,
        TRANSIENT = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT,
        RUNNING = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING,
        PAUSED = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED,
        SHUTOFF = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF,
        OTHER = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER,
        NOWAIT = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT,
        BACKING = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING,
        ENFORCE_STATS = virConnectGetAllDomainStatsFlags::VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
    }

    /// virConnectListAllDomainsFlags: all of them.
    ListDomainsFlags {
        ACTIVE = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_ACTIVE,
        INACTIVE = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_INACTIVE,
        PERSISTENT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_PERSISTENT,
        TRANSIENT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_TRANSIENT,
        RUNNING = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_RUNNING,
        PAUSED = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_PAUSED,
        SHUTOFF = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_SHUTOFF,
        OTHER = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_OTHER,
        MANAGEDSAVE = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE,
        NO_MANAGEDSAVE = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE,
        AUTOSTART = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_AUTOSTART,
        NO_AUTOSTART = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART,
        HAS_SNAPSHOT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT,
        NO_SNAPSHOT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT,
        HAS_CHECKPOINT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT,
        NO_CHECKPOINT = virConnectListAllDomainsFlags::VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT,
    }

    /// virDomainXMLFlags, less UPDATE_CPU (the VMX has no host CPU model to update from).
    DomainXmlFlags {
        SECURE = virDomainXMLFlags::VIR_DOMAIN_XML_SECURE,
        INACTIVE = virDomainXMLFlags::VIR_DOMAIN_XML_INACTIVE,
        MIGRATABLE = virDomainXMLFlags::VIR_DOMAIN_XML_MIGRATABLE,
    }

    /// virDomainDefineFlags.
    DefineFlags {
        VALIDATE = virDomainDefineFlags::VIR_DOMAIN_DEFINE_VALIDATE,
    }

    /// virDomainUndefineFlagsValues.
    UndefineFlags {
        MANAGED_SAVE = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_MANAGED_SAVE,
        SNAPSHOTS_METADATA = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
        NVRAM = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_NVRAM,
        KEEP_NVRAM = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_KEEP_NVRAM,
        CHECKPOINTS_METADATA = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA,
        TPM = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_TPM,
        KEEP_TPM = virDomainUndefineFlagsValues::VIR_DOMAIN_UNDEFINE_KEEP_TPM,
    }

    /// virDomainShutdownFlagValues: VMware Tools is the guest agent.
    ShutdownFlags {
        GUEST_AGENT = virDomainShutdownFlagValues::VIR_DOMAIN_SHUTDOWN_GUEST_AGENT,
    }

    /// virDomainRebootFlagValues: VMware Tools is the guest agent.
    RebootFlags {
        GUEST_AGENT = virDomainRebootFlagValues::VIR_DOMAIN_REBOOT_GUEST_AGENT,
    }

    /// virDomainCreateFlags that virDomainCreateXML knows (AUTODESTROY refused with a reason).
    CreateXmlFlags {
        PAUSED = virDomainCreateFlags::VIR_DOMAIN_START_PAUSED,
        AUTODESTROY = virDomainCreateFlags::VIR_DOMAIN_START_AUTODESTROY,
        VALIDATE = virDomainCreateFlags::VIR_DOMAIN_START_VALIDATE,
    }

    /// virDomainSaveRestoreFlags for managed save: a suspended VM resumes running.
    ManagedSaveFlags {
        BYPASS_CACHE = virDomainSaveRestoreFlags::VIR_DOMAIN_SAVE_BYPASS_CACHE,
        RUNNING = virDomainSaveRestoreFlags::VIR_DOMAIN_SAVE_RUNNING,
    }

    /// virDomainModificationImpact.
    AffectFlags {
        LIVE = virDomainModificationImpact::VIR_DOMAIN_AFFECT_LIVE,
        CONFIG = virDomainModificationImpact::VIR_DOMAIN_AFFECT_CONFIG,
    }

    /// virDomainMemoryModFlags.
    MemoryFlags {
        LIVE = virDomainMemoryModFlags::VIR_DOMAIN_MEM_LIVE,
        CONFIG = virDomainMemoryModFlags::VIR_DOMAIN_MEM_CONFIG,
        MAXIMUM = virDomainMemoryModFlags::VIR_DOMAIN_MEM_MAXIMUM,
    }

    /// virDomainVcpuFlags, less HOTPLUGGABLE.
    VcpuFlags {
        LIVE = virDomainVcpuFlags::VIR_DOMAIN_VCPU_LIVE,
        CONFIG = virDomainVcpuFlags::VIR_DOMAIN_VCPU_CONFIG,
        MAXIMUM = virDomainVcpuFlags::VIR_DOMAIN_VCPU_MAXIMUM,
        GUEST = virDomainVcpuFlags::VIR_DOMAIN_VCPU_GUEST,
    }

    /// virDomainSnapshotCreateFlags: all of them known, so that the ones vSphere cannot honour
    /// are refused with a reason rather than as unknown bits.
    SnapshotCreateFlags {
        REDEFINE = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE,
        CURRENT = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT,
        NO_METADATA = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA,
        HALT = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_HALT,
        DISK_ONLY = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY,
        REUSE_EXT = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT,
        QUIESCE = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE,
        ATOMIC = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC,
        LIVE = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_LIVE,
        VALIDATE = virDomainSnapshotCreateFlags::VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE,
    }

    /// virDomainSnapshotListFlags: all of them (ROOTS and DESCENDANTS share a bit; which one
    /// it means depends on the API).
    SnapshotListFlags {
        ROOTS = VIR_DOMAIN_SNAPSHOT_LIST_ROOTS,
        DESCENDANTS = VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS,
        METADATA = VIR_DOMAIN_SNAPSHOT_LIST_METADATA,
        LEAVES = VIR_DOMAIN_SNAPSHOT_LIST_LEAVES,
        NO_LEAVES = VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES,
        NO_METADATA = VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA,
        INACTIVE = VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE,
        ACTIVE = VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE,
        DISK_ONLY = VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY,
        INTERNAL = VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL,
        EXTERNAL = VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL,
        TOPOLOGICAL = VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL,
    }

    /// virDomainSnapshotXMLFlags: a snapshot's XML holds nothing secret.
    SnapshotXmlFlags {
        SECURE = virDomainSnapshotXMLFlags::VIR_DOMAIN_SNAPSHOT_XML_SECURE,
    }

    /// virDomainSnapshotRevertFlags, less RESET_NVRAM (vSphere reverts the NVRAM file with
    /// the snapshot).
    SnapshotRevertFlags {
        RUNNING = virDomainSnapshotRevertFlags::VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING,
        PAUSED = virDomainSnapshotRevertFlags::VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED,
        FORCE = virDomainSnapshotRevertFlags::VIR_DOMAIN_SNAPSHOT_REVERT_FORCE,
    }

    /// virDomainSnapshotDeleteFlags: all of them (METADATA_ONLY refused with a reason).
    SnapshotDeleteFlags {
        CHILDREN = virDomainSnapshotDeleteFlags::VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN,
        METADATA_ONLY = virDomainSnapshotDeleteFlags::VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY,
        CHILDREN_ONLY = virDomainSnapshotDeleteFlags::VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY,
    }

    /// virConnectListAllStoragePoolsFlags: all of them.
    ListPoolsFlags {
        INACTIVE = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE,
        ACTIVE = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
        PERSISTENT = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT,
        TRANSIENT = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT,
        AUTOSTART = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART,
        NO_AUTOSTART = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART,
        DIR = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_DIR,
        FS = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_FS,
        NETFS = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_NETFS,
        LOGICAL = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL,
        DISK = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_DISK,
        ISCSI = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI,
        SCSI = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_SCSI,
        MPATH = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_MPATH,
        RBD = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_RBD,
        SHEEPDOG = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG,
        GLUSTER = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER,
        ZFS = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_ZFS,
        VSTORAGE = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE,
        ISCSI_DIRECT = virConnectListAllStoragePoolsFlags::VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT,
    }

    /// virStoragePoolDefineFlags.
    PoolDefineFlags {
        VALIDATE = virStoragePoolDefineFlags::VIR_STORAGE_POOL_DEFINE_VALIDATE,
    }

    /// virStorageXMLFlags: a datastore has no inactive definition apart from its live one.
    StorageXmlFlags {
        INACTIVE = virStorageXMLFlags::VIR_STORAGE_XML_INACTIVE,
    }

    /// virStorageVolResizeFlags: all of them (ALLOCATE and SHRINK refused with a reason).
    ResizeFlags {
        ALLOCATE = virStorageVolResizeFlags::VIR_STORAGE_VOL_RESIZE_ALLOCATE,
        DELTA = virStorageVolResizeFlags::VIR_STORAGE_VOL_RESIZE_DELTA,
        SHRINK = virStorageVolResizeFlags::VIR_STORAGE_VOL_RESIZE_SHRINK,
    }

    /// virConnectListAllNetworksFlags: all of them.
    ListNetworksFlags {
        INACTIVE = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_INACTIVE,
        ACTIVE = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_ACTIVE,
        PERSISTENT = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_PERSISTENT,
        TRANSIENT = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_TRANSIENT,
        AUTOSTART = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_AUTOSTART,
        NO_AUTOSTART = virConnectListAllNetworksFlags::VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART,
    }

    /// virConnectListAllInterfacesFlags.
    ListInterfacesFlags {
        INACTIVE = virConnectListAllInterfacesFlags::VIR_CONNECT_LIST_INTERFACES_INACTIVE,
        ACTIVE = virConnectListAllInterfacesFlags::VIR_CONNECT_LIST_INTERFACES_ACTIVE,
    }

    /// virConnectListAllNodeDeviceFlags: the capabilities asked for, and the state groups.
    ListNodeDevicesFlags {
        CAP_SYSTEM = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM,
        CAP_PCI_DEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV,
        CAP_USB_DEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV,
        CAP_USB_INTERFACE = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE,
        CAP_NET = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET,
        CAP_SCSI_HOST = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST,
        CAP_SCSI_TARGET = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET,
        CAP_SCSI = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI,
        CAP_STORAGE = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE,
        CAP_FC_HOST = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST,
        CAP_VPORTS = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS,
        CAP_SCSI_GENERIC = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC,
        CAP_DRM = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM,
        CAP_MDEV_TYPES = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES,
        CAP_MDEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV,
        CAP_CCW_DEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV,
        CAP_CSS_DEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV,
        CAP_VDPA = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA,
        CAP_AP_CARD = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD,
        CAP_AP_QUEUE = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE,
        CAP_AP_MATRIX = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX,
        CAP_VPD = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD,
        CAP_CCWGROUP_DEV = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCWGROUP_DEV,
        CAP_CCWGROUP_MEMBER = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCWGROUP_MEMBER,
        PERSISTENT = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_PERSISTENT,
        TRANSIENT = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_TRANSIENT,
        INACTIVE = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE,
        ACTIVE = virConnectListAllNodeDeviceFlags::VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE,
    }

    /// virNetworkDefineFlags: the XML is always checked in full.
    NetworkDefineFlags {
        VALIDATE = virNetworkDefineFlags::VIR_NETWORK_DEFINE_VALIDATE,
    }

    /// virNetworkUpdateFlags: a vSwitch's live state is its definition, so both are one.
    NetworkUpdateFlags {
        LIVE = virNetworkUpdateFlags::VIR_NETWORK_UPDATE_AFFECT_LIVE,
        CONFIG = virNetworkUpdateFlags::VIR_NETWORK_UPDATE_AFFECT_CONFIG,
    }

    /// virNetworkXMLFlags: a vSwitch's definition is its live state.
    NetworkXmlFlags {
        INACTIVE = virNetworkXMLFlags::VIR_NETWORK_XML_INACTIVE,
    }

    /// virInterfaceXMLFlags.
    InterfaceXmlFlags {
        INACTIVE = virInterfaceXMLFlags::VIR_INTERFACE_XML_INACTIVE,
    }

    /// virTypedParameterFlags: for the calls that fill typed parameters.
    TypedParamFlags {
        STRING_OKAY = virTypedParameterFlags::VIR_TYPED_PARAM_STRING_OKAY,
    }

    /// virDomainGetHostnameFlags: VMware Tools is the agent; there are no DHCP leases to read.
    HostnameFlags {
        AGENT = virDomainGetHostnameFlags::VIR_DOMAIN_GET_HOSTNAME_AGENT,
    }
}

impl StatsFlags {
    /// The list filters among the flags: their bits are ListDomainsFlags' first eight.
    pub fn list_filter(self) -> ListDomainsFlags {
        ListDomainsFlags::from_bits_truncate(self.bits() & 0xff)
    }
}

/// libvirt's rule for a group of list filter flags: the flags given are alternatives, and a
/// group with none given (or, for groups of opposites, all given) keeps everything. `members`
/// pairs each flag with whether the object at hand has that property.
pub fn group_keeps<F: bitflags::Flags + Copy>(flags: F, members: &[(F, bool)]) -> bool {
    let given = members.iter().filter(|(f, _)| flags.contains(*f));
    let (mut n, mut hit) = (0, false);
    for (_, has) in given {
        n += 1;
        hit |= *has;
    }
    n == 0 || n == members.len() || hit
}

/// The C side of a flag set: a raw `unsigned int` checked against the bits the set knows.
pub trait CheckedFlags: bitflags::Flags<Bits = u32> {
    /// libvirt's virCheckFlags: any bit the API does not know is refused, naming the API.
    fn checked(bits: u32, api: &str) -> Result<Self> {
        Self::from_bits(bits).ok_or_else(|| {
            let unknown = bits & !Self::all().bits();
            Error::new(
                Code::InvalidArg,
                Domain::None,
                format!("{api}: unsupported flags (0x{unknown:x})"),
            )
        })
    }
}

impl<T: bitflags::Flags<Bits = u32>> CheckedFlags for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_from_the_enums_and_unknown_bits_are_refused() {
        assert_eq!(ListDomainsFlags::all().bits(), 0xffff);
        assert_eq!(VcpuFlags::GUEST.bits(), 8);
        let e = ShutdownFlags::checked(3, "virDomainShutdownFlags").unwrap_err();
        assert_eq!(
            e.message(),
            "invalid argument: virDomainShutdownFlags: unsupported flags (0x1)"
        );
        assert_eq!(NoFlags::checked(0, "x").unwrap(), NoFlags::empty());
        assert!(DomainXmlFlags::checked(4, "x").is_err());
    }
}
