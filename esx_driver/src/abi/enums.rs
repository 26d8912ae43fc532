//! libvirt's public enums and constants with their exact values, the one place they are written:
//! cbindgen reads them for the header, and the rest of the crate names them from here.
#![allow(non_camel_case_types, clippy::upper_case_acronyms)]
// Each name here is libvirt's own, with its value, and libvirt's API reference documents it; a
// line per constant would restate the name (and cbindgen would copy it into the header).
#![allow(missing_docs)]

use std::ffi::{c_int, c_ulong};

/// `from_raw` for an enum of libvirt's, listing the values libvirt defines (the sentinel
/// aside): the value a C caller's number names, `None` for a number libvirt does not define.
macro_rules! from_raw {
    ($t:ident: $($v:ident),+ $(,)?) => {
        impl $t {
            /// The value a C caller's number names; `None` for one libvirt does not define.
            pub fn from_raw(value: impl Into<i64>) -> Option<Self> {
                use $t::*;
                let value = value.into();
                [$($v),+].into_iter().find(|x| *x as i64 == value)
            }
        }
    };
}

/// The libvirt release whose API this library implements (major·1,000,000 + minor·1,000 + micro).
pub const LIBVIR_VERSION_NUMBER: c_ulong = 11_003_000;
pub const VIR_UUID_BUFLEN: c_int = 16;
pub const VIR_UUID_STRING_BUFLEN: c_int = 37;
pub const VIR_TYPED_PARAM_FIELD_LENGTH: c_int = 80;
pub const VIR_DOMAIN_SEND_KEY_MAX_KEYS: c_int = 16;

/// Migration parameter names (`virDomainMigrate3`, `virDomainMigrateToURI3`).
pub const VIR_MIGRATE_PARAM_URI: &str = "migrate_uri";
pub const VIR_MIGRATE_PARAM_DEST_NAME: &str = "destination_name";
pub const VIR_MIGRATE_PARAM_DEST_XML: &str = "destination_xml";
pub const VIR_MIGRATE_PARAM_BANDWIDTH: &str = "bandwidth";

/// Memory parameter names (`virDomainGetMemoryParameters`), in KiB, and "no limit".
pub const VIR_DOMAIN_MEMORY_HARD_LIMIT: &str = "hard_limit";
pub const VIR_DOMAIN_MEMORY_SOFT_LIMIT: &str = "soft_limit";
pub const VIR_DOMAIN_MEMORY_MIN_GUARANTEE: &str = "min_guarantee";
pub const VIR_DOMAIN_MEMORY_SWAP_HARD_LIMIT: &str = "swap_hard_limit";
pub const VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: u64 = 9_007_199_254_740_991;

/// Disk tuning parameter names (`virDomainGetBlkioParameters`, `virDomainGetBlockIoTune`).
pub const VIR_DOMAIN_BLKIO_WEIGHT: &str = "weight";
pub const VIR_DOMAIN_BLKIO_DEVICE_WEIGHT: &str = "device_weight";
pub const VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC: &str = "total_iops_sec";

/// NIC bandwidth parameter names (`virDomainGetInterfaceParameters`), KiB/s.
pub const VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE: &str = "outbound.average";
pub const VIR_DOMAIN_BANDWIDTH_IN_FLOOR: &str = "inbound.floor";

/// Job statistics field names (`virDomainGetJobStats`).
pub const VIR_DOMAIN_JOB_OPERATION: &str = "operation";
pub const VIR_DOMAIN_JOB_TIME_ELAPSED: &str = "time_elapsed";
pub const VIR_DOMAIN_JOB_DATA_TOTAL: &str = "data_total";
pub const VIR_DOMAIN_JOB_DATA_PROCESSED: &str = "data_processed";
pub const VIR_DOMAIN_JOB_DATA_REMAINING: &str = "data_remaining";

/// Block statistics field names (`virDomainBlockStatsFlags`).
pub const VIR_DOMAIN_BLOCK_STATS_FIELD_LENGTH: c_int = 80;
pub const VIR_DOMAIN_BLOCK_STATS_READ_BYTES: &str = "rd_bytes";
pub const VIR_DOMAIN_BLOCK_STATS_READ_REQ: &str = "rd_operations";
pub const VIR_DOMAIN_BLOCK_STATS_WRITE_BYTES: &str = "wr_bytes";
pub const VIR_DOMAIN_BLOCK_STATS_WRITE_REQ: &str = "wr_operations";

/// Host statistics (`virNodeGetCPUStats`, `virNodeGetMemoryStats`): field names, lengths
/// and the "all CPUs / cells" numbers.
pub const VIR_NODE_CPU_STATS_FIELD_LENGTH: c_int = 80;
pub const VIR_NODE_CPU_STATS_ALL_CPUS: c_int = -1;
pub const VIR_NODE_CPU_STATS_USER: &str = "user";
pub const VIR_NODE_CPU_STATS_IDLE: &str = "idle";
pub const VIR_NODE_MEMORY_STATS_FIELD_LENGTH: c_int = 80;
pub const VIR_NODE_MEMORY_STATS_ALL_CELLS: c_int = -1;
pub const VIR_NODE_MEMORY_STATS_TOTAL: &str = "total";
pub const VIR_NODE_MEMORY_STATS_FREE: &str = "free";

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virErrorNumber {
    VIR_ERR_OK = 0,
    VIR_ERR_INTERNAL_ERROR = 1,
    VIR_ERR_NO_MEMORY = 2,
    VIR_ERR_NO_SUPPORT = 3,
    VIR_ERR_UNKNOWN_HOST = 4,
    VIR_ERR_NO_CONNECT = 5,
    VIR_ERR_INVALID_CONN = 6,
    VIR_ERR_INVALID_DOMAIN = 7,
    VIR_ERR_INVALID_ARG = 8,
    VIR_ERR_OPERATION_FAILED = 9,
    VIR_ERR_GET_FAILED = 10,
    VIR_ERR_POST_FAILED = 11,
    VIR_ERR_HTTP_ERROR = 12,
    VIR_ERR_SEXPR_SERIAL = 13,
    VIR_ERR_NO_XEN = 14,
    VIR_ERR_XEN_CALL = 15,
    VIR_ERR_OS_TYPE = 16,
    VIR_ERR_NO_KERNEL = 17,
    VIR_ERR_NO_ROOT = 18,
    VIR_ERR_NO_SOURCE = 19,
    VIR_ERR_NO_TARGET = 20,
    VIR_ERR_NO_NAME = 21,
    VIR_ERR_NO_OS = 22,
    VIR_ERR_NO_DEVICE = 23,
    VIR_ERR_NO_XENSTORE = 24,
    VIR_ERR_DRIVER_FULL = 25,
    VIR_ERR_CALL_FAILED = 26,
    VIR_ERR_XML_ERROR = 27,
    VIR_ERR_DOM_EXIST = 28,
    VIR_ERR_OPERATION_DENIED = 29,
    VIR_ERR_OPEN_FAILED = 30,
    VIR_ERR_READ_FAILED = 31,
    VIR_ERR_PARSE_FAILED = 32,
    VIR_ERR_CONF_SYNTAX = 33,
    VIR_ERR_WRITE_FAILED = 34,
    VIR_ERR_XML_DETAIL = 35,
    VIR_ERR_INVALID_NETWORK = 36,
    VIR_ERR_NETWORK_EXIST = 37,
    VIR_ERR_SYSTEM_ERROR = 38,
    VIR_ERR_RPC = 39,
    VIR_ERR_GNUTLS_ERROR = 40,
    VIR_WAR_NO_NETWORK = 41,
    VIR_ERR_NO_DOMAIN = 42,
    VIR_ERR_NO_NETWORK = 43,
    VIR_ERR_INVALID_MAC = 44,
    VIR_ERR_AUTH_FAILED = 45,
    VIR_ERR_INVALID_STORAGE_POOL = 46,
    VIR_ERR_INVALID_STORAGE_VOL = 47,
    VIR_WAR_NO_STORAGE = 48,
    VIR_ERR_NO_STORAGE_POOL = 49,
    VIR_ERR_NO_STORAGE_VOL = 50,
    VIR_WAR_NO_NODE = 51,
    VIR_ERR_INVALID_NODE_DEVICE = 52,
    VIR_ERR_NO_NODE_DEVICE = 53,
    VIR_ERR_NO_SECURITY_MODEL = 54,
    VIR_ERR_OPERATION_INVALID = 55,
    VIR_WAR_NO_INTERFACE = 56,
    VIR_ERR_NO_INTERFACE = 57,
    VIR_ERR_INVALID_INTERFACE = 58,
    VIR_ERR_MULTIPLE_INTERFACES = 59,
    VIR_WAR_NO_NWFILTER = 60,
    VIR_ERR_INVALID_NWFILTER = 61,
    VIR_ERR_NO_NWFILTER = 62,
    VIR_ERR_BUILD_FIREWALL = 63,
    VIR_WAR_NO_SECRET = 64,
    VIR_ERR_INVALID_SECRET = 65,
    VIR_ERR_NO_SECRET = 66,
    VIR_ERR_CONFIG_UNSUPPORTED = 67,
    VIR_ERR_OPERATION_TIMEOUT = 68,
    VIR_ERR_MIGRATE_PERSIST_FAILED = 69,
    VIR_ERR_HOOK_SCRIPT_FAILED = 70,
    VIR_ERR_INVALID_DOMAIN_SNAPSHOT = 71,
    VIR_ERR_NO_DOMAIN_SNAPSHOT = 72,
    VIR_ERR_INVALID_STREAM = 73,
    VIR_ERR_ARGUMENT_UNSUPPORTED = 74,
    VIR_ERR_STORAGE_PROBE_FAILED = 75,
    VIR_ERR_STORAGE_POOL_BUILT = 76,
    VIR_ERR_SNAPSHOT_REVERT_RISKY = 77,
    VIR_ERR_OPERATION_ABORTED = 78,
    VIR_ERR_AUTH_CANCELLED = 79,
    VIR_ERR_NO_DOMAIN_METADATA = 80,
    VIR_ERR_MIGRATE_UNSAFE = 81,
    VIR_ERR_OVERFLOW = 82,
    VIR_ERR_BLOCK_COPY_ACTIVE = 83,
    VIR_ERR_OPERATION_UNSUPPORTED = 84,
    VIR_ERR_SSH = 85,
    VIR_ERR_AGENT_UNRESPONSIVE = 86,
    VIR_ERR_RESOURCE_BUSY = 87,
    VIR_ERR_ACCESS_DENIED = 88,
    VIR_ERR_DBUS_SERVICE = 89,
    VIR_ERR_STORAGE_VOL_EXIST = 90,
    VIR_ERR_CPU_INCOMPATIBLE = 91,
    VIR_ERR_XML_INVALID_SCHEMA = 92,
    VIR_ERR_MIGRATE_FINISH_OK = 93,
    VIR_ERR_AUTH_UNAVAILABLE = 94,
    VIR_ERR_NO_SERVER = 95,
    VIR_ERR_NO_CLIENT = 96,
    VIR_ERR_AGENT_UNSYNCED = 97,
    VIR_ERR_LIBSSH = 98,
    VIR_ERR_DEVICE_MISSING = 99,
    VIR_ERR_INVALID_NWFILTER_BINDING = 100,
    VIR_ERR_NO_NWFILTER_BINDING = 101,
    VIR_ERR_INVALID_DOMAIN_CHECKPOINT = 102,
    VIR_ERR_NO_DOMAIN_CHECKPOINT = 103,
    VIR_ERR_NO_DOMAIN_BACKUP = 104,
    VIR_ERR_INVALID_NETWORK_PORT = 105,
    VIR_ERR_NETWORK_PORT_EXIST = 106,
    VIR_ERR_NO_NETWORK_PORT = 107,
    VIR_ERR_NO_HOSTNAME = 108,
    VIR_ERR_CHECKPOINT_INCONSISTENT = 109,
    VIR_ERR_MULTIPLE_DOMAINS = 110,
    VIR_ERR_NO_NETWORK_METADATA = 111,
    VIR_ERR_AGENT_COMMAND_TIMEOUT = 112,
    VIR_ERR_AGENT_COMMAND_FAILED = 113,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_ERR_NUMBER_LAST = 114,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virErrorDomain {
    VIR_FROM_NONE = 0,
    VIR_FROM_XEN = 1,
    VIR_FROM_XEND = 2,
    VIR_FROM_XENSTORE = 3,
    VIR_FROM_SEXPR = 4,
    VIR_FROM_XML = 5,
    VIR_FROM_DOM = 6,
    VIR_FROM_RPC = 7,
    VIR_FROM_PROXY = 8,
    VIR_FROM_CONF = 9,
    VIR_FROM_QEMU = 10,
    VIR_FROM_NET = 11,
    VIR_FROM_TEST = 12,
    VIR_FROM_REMOTE = 13,
    VIR_FROM_OPENVZ = 14,
    VIR_FROM_XENXM = 15,
    VIR_FROM_STATS_LINUX = 16,
    VIR_FROM_LXC = 17,
    VIR_FROM_STORAGE = 18,
    VIR_FROM_NETWORK = 19,
    VIR_FROM_DOMAIN = 20,
    VIR_FROM_UML = 21,
    VIR_FROM_NODEDEV = 22,
    VIR_FROM_XEN_INOTIFY = 23,
    VIR_FROM_SECURITY = 24,
    VIR_FROM_VBOX = 25,
    VIR_FROM_INTERFACE = 26,
    VIR_FROM_ONE = 27,
    VIR_FROM_ESX = 28,
    VIR_FROM_PHYP = 29,
    VIR_FROM_SECRET = 30,
    VIR_FROM_CPU = 31,
    VIR_FROM_XENAPI = 32,
    VIR_FROM_NWFILTER = 33,
    VIR_FROM_HOOK = 34,
    VIR_FROM_DOMAIN_SNAPSHOT = 35,
    VIR_FROM_AUDIT = 36,
    VIR_FROM_SYSINFO = 37,
    VIR_FROM_STREAMS = 38,
    VIR_FROM_VMWARE = 39,
    VIR_FROM_EVENT = 40,
    VIR_FROM_LIBXL = 41,
    VIR_FROM_LOCKING = 42,
    VIR_FROM_HYPERV = 43,
    VIR_FROM_CAPABILITIES = 44,
    VIR_FROM_URI = 45,
    VIR_FROM_AUTH = 46,
    VIR_FROM_DBUS = 47,
    VIR_FROM_PARALLELS = 48,
    VIR_FROM_DEVICE = 49,
    VIR_FROM_SSH = 50,
    VIR_FROM_LOCKSPACE = 51,
    VIR_FROM_INITCTL = 52,
    VIR_FROM_IDENTITY = 53,
    VIR_FROM_CGROUP = 54,
    VIR_FROM_ACCESS = 55,
    VIR_FROM_SYSTEMD = 56,
    VIR_FROM_BHYVE = 57,
    VIR_FROM_CRYPTO = 58,
    VIR_FROM_FIREWALL = 59,
    VIR_FROM_POLKIT = 60,
    VIR_FROM_THREAD = 61,
    VIR_FROM_ADMIN = 62,
    VIR_FROM_LOGGING = 63,
    VIR_FROM_XENXL = 64,
    VIR_FROM_PERF = 65,
    VIR_FROM_LIBSSH = 66,
    VIR_FROM_RESCTRL = 67,
    VIR_FROM_FIREWALLD = 68,
    VIR_FROM_DOMAIN_CHECKPOINT = 69,
    VIR_FROM_TPM = 70,
    VIR_FROM_BPF = 71,
    VIR_FROM_CH = 72,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_ERR_DOMAIN_LAST = 73,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectCredentialType {
    VIR_CRED_USERNAME = 1,
    VIR_CRED_AUTHNAME = 2,
    VIR_CRED_LANGUAGE = 3,
    VIR_CRED_CNONCE = 4,
    VIR_CRED_PASSPHRASE = 5,
    VIR_CRED_ECHOPROMPT = 6,
    VIR_CRED_NOECHOPROMPT = 7,
    VIR_CRED_REALM = 8,
    VIR_CRED_EXTERNAL = 9,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_CRED_LAST = 10,
}

from_raw!(virConnectCredentialType:
    VIR_CRED_USERNAME, VIR_CRED_AUTHNAME, VIR_CRED_LANGUAGE, VIR_CRED_CNONCE, VIR_CRED_PASSPHRASE,
    VIR_CRED_ECHOPROMPT, VIR_CRED_NOECHOPROMPT, VIR_CRED_REALM, VIR_CRED_EXTERNAL);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectFlags {
    VIR_CONNECT_RO = 1,
    VIR_CONNECT_NO_ALIASES = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virErrorLevel {
    VIR_ERR_NONE = 0,
    VIR_ERR_WARNING = 1,
    VIR_ERR_ERROR = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainState {
    VIR_DOMAIN_NOSTATE = 0,
    VIR_DOMAIN_RUNNING = 1,
    VIR_DOMAIN_BLOCKED = 2,
    VIR_DOMAIN_PAUSED = 3,
    VIR_DOMAIN_SHUTDOWN = 4,
    VIR_DOMAIN_SHUTOFF = 5,
    VIR_DOMAIN_CRASHED = 6,
    VIR_DOMAIN_PMSUSPENDED = 7,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_LAST = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainRunningReason {
    VIR_DOMAIN_RUNNING_UNKNOWN = 0,
    VIR_DOMAIN_RUNNING_BOOTED = 1,
    VIR_DOMAIN_RUNNING_MIGRATED = 2,
    VIR_DOMAIN_RUNNING_RESTORED = 3,
    VIR_DOMAIN_RUNNING_FROM_SNAPSHOT = 4,
    VIR_DOMAIN_RUNNING_UNPAUSED = 5,
    VIR_DOMAIN_RUNNING_MIGRATION_CANCELED = 6,
    VIR_DOMAIN_RUNNING_SAVE_CANCELED = 7,
    VIR_DOMAIN_RUNNING_WAKEUP = 8,
    VIR_DOMAIN_RUNNING_CRASHED = 9,
    VIR_DOMAIN_RUNNING_POSTCOPY = 10,
    VIR_DOMAIN_RUNNING_POSTCOPY_FAILED = 11,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_RUNNING_LAST = 12,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainPausedReason {
    VIR_DOMAIN_PAUSED_UNKNOWN = 0,
    VIR_DOMAIN_PAUSED_USER = 1,
    VIR_DOMAIN_PAUSED_MIGRATION = 2,
    VIR_DOMAIN_PAUSED_SAVE = 3,
    VIR_DOMAIN_PAUSED_DUMP = 4,
    VIR_DOMAIN_PAUSED_IOERROR = 5,
    VIR_DOMAIN_PAUSED_WATCHDOG = 6,
    VIR_DOMAIN_PAUSED_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_PAUSED_SHUTTING_DOWN = 8,
    VIR_DOMAIN_PAUSED_SNAPSHOT = 9,
    VIR_DOMAIN_PAUSED_CRASHED = 10,
    VIR_DOMAIN_PAUSED_STARTING_UP = 11,
    VIR_DOMAIN_PAUSED_POSTCOPY = 12,
    VIR_DOMAIN_PAUSED_POSTCOPY_FAILED = 13,
    VIR_DOMAIN_PAUSED_API_ERROR = 14,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_PAUSED_LAST = 15,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainShutoffReason {
    VIR_DOMAIN_SHUTOFF_UNKNOWN = 0,
    VIR_DOMAIN_SHUTOFF_SHUTDOWN = 1,
    VIR_DOMAIN_SHUTOFF_DESTROYED = 2,
    VIR_DOMAIN_SHUTOFF_CRASHED = 3,
    VIR_DOMAIN_SHUTOFF_MIGRATED = 4,
    VIR_DOMAIN_SHUTOFF_SAVED = 5,
    VIR_DOMAIN_SHUTOFF_FAILED = 6,
    VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT = 7,
    VIR_DOMAIN_SHUTOFF_DAEMON = 8,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_SHUTOFF_LAST = 9,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virVcpuState {
    VIR_VCPU_OFFLINE = 0,
    VIR_VCPU_RUNNING = 1,
    VIR_VCPU_BLOCKED = 2,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_VCPU_LAST = 3,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainGetHostnameFlags {
    VIR_DOMAIN_GET_HOSTNAME_LEASE = 1,
    VIR_DOMAIN_GET_HOSTNAME_AGENT = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virTypedParameterType {
    VIR_TYPED_PARAM_INT = 1,
    VIR_TYPED_PARAM_UINT = 2,
    VIR_TYPED_PARAM_LLONG = 3,
    VIR_TYPED_PARAM_ULLONG = 4,
    VIR_TYPED_PARAM_DOUBLE = 5,
    VIR_TYPED_PARAM_BOOLEAN = 6,
    VIR_TYPED_PARAM_STRING = 7,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_TYPED_PARAM_LAST = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virTypedParameterFlags {
    VIR_TYPED_PARAM_STRING_OKAY = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectListAllDomainsFlags {
    VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1,
    VIR_CONNECT_LIST_DOMAINS_INACTIVE = 2,
    VIR_CONNECT_LIST_DOMAINS_PERSISTENT = 4,
    VIR_CONNECT_LIST_DOMAINS_TRANSIENT = 8,
    VIR_CONNECT_LIST_DOMAINS_RUNNING = 16,
    VIR_CONNECT_LIST_DOMAINS_PAUSED = 32,
    VIR_CONNECT_LIST_DOMAINS_SHUTOFF = 64,
    VIR_CONNECT_LIST_DOMAINS_OTHER = 128,
    VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE = 256,
    VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE = 512,
    VIR_CONNECT_LIST_DOMAINS_AUTOSTART = 1024,
    VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART = 2048,
    VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT = 4096,
    VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT = 8192,
    VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT = 16384,
    VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT = 32768,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainXMLFlags {
    VIR_DOMAIN_XML_SECURE = 1,
    VIR_DOMAIN_XML_INACTIVE = 2,
    VIR_DOMAIN_XML_UPDATE_CPU = 4,
    VIR_DOMAIN_XML_MIGRATABLE = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainUndefineFlagsValues {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE = 1,
    VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA = 2,
    VIR_DOMAIN_UNDEFINE_NVRAM = 4,
    VIR_DOMAIN_UNDEFINE_KEEP_NVRAM = 8,
    VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA = 16,
    VIR_DOMAIN_UNDEFINE_TPM = 32,
    VIR_DOMAIN_UNDEFINE_KEEP_TPM = 64,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainShutdownFlagValues {
    VIR_DOMAIN_SHUTDOWN_DEFAULT = 0,
    VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN = 1,
    VIR_DOMAIN_SHUTDOWN_GUEST_AGENT = 2,
    VIR_DOMAIN_SHUTDOWN_INITCTL = 4,
    VIR_DOMAIN_SHUTDOWN_SIGNAL = 8,
    VIR_DOMAIN_SHUTDOWN_PARAVIRT = 16,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainRebootFlagValues {
    VIR_DOMAIN_REBOOT_DEFAULT = 0,
    VIR_DOMAIN_REBOOT_ACPI_POWER_BTN = 1,
    VIR_DOMAIN_REBOOT_GUEST_AGENT = 2,
    VIR_DOMAIN_REBOOT_INITCTL = 4,
    VIR_DOMAIN_REBOOT_SIGNAL = 8,
    VIR_DOMAIN_REBOOT_PARAVIRT = 16,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainDestroyFlagsValues {
    VIR_DOMAIN_DESTROY_DEFAULT = 0,
    VIR_DOMAIN_DESTROY_GRACEFUL = 1,
    VIR_DOMAIN_DESTROY_REMOVE_LOGS = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainCreateFlags {
    VIR_DOMAIN_NONE = 0,
    VIR_DOMAIN_START_PAUSED = 1,
    VIR_DOMAIN_START_AUTODESTROY = 2,
    VIR_DOMAIN_START_BYPASS_CACHE = 4,
    VIR_DOMAIN_START_FORCE_BOOT = 8,
    VIR_DOMAIN_START_VALIDATE = 16,
    VIR_DOMAIN_START_RESET_NVRAM = 32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainDefineFlags {
    VIR_DOMAIN_DEFINE_VALIDATE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainModificationImpact {
    VIR_DOMAIN_AFFECT_CURRENT = 0,
    VIR_DOMAIN_AFFECT_LIVE = 1,
    VIR_DOMAIN_AFFECT_CONFIG = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainVcpuFlags {
    VIR_DOMAIN_VCPU_CURRENT = 0,
    VIR_DOMAIN_VCPU_LIVE = 1,
    VIR_DOMAIN_VCPU_CONFIG = 2,
    VIR_DOMAIN_VCPU_MAXIMUM = 4,
    VIR_DOMAIN_VCPU_GUEST = 8,
    VIR_DOMAIN_VCPU_HOTPLUGGABLE = 16,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainMemoryModFlags {
    VIR_DOMAIN_MEM_CURRENT = 0,
    VIR_DOMAIN_MEM_LIVE = 1,
    VIR_DOMAIN_MEM_CONFIG = 2,
    VIR_DOMAIN_MEM_MAXIMUM = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainSaveRestoreFlags {
    VIR_DOMAIN_SAVE_BYPASS_CACHE = 1,
    VIR_DOMAIN_SAVE_RUNNING = 2,
    VIR_DOMAIN_SAVE_PAUSED = 4,
    VIR_DOMAIN_SAVE_RESET_NVRAM = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainControlState {
    VIR_DOMAIN_CONTROL_OK = 0,
    VIR_DOMAIN_CONTROL_JOB = 1,
    VIR_DOMAIN_CONTROL_OCCUPIED = 2,
    VIR_DOMAIN_CONTROL_ERROR = 3,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_CONTROL_LAST = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainMetadataType {
    VIR_DOMAIN_METADATA_DESCRIPTION = 0,
    VIR_DOMAIN_METADATA_TITLE = 1,
    VIR_DOMAIN_METADATA_ELEMENT = 2,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_METADATA_LAST = 3,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainSnapshotCreateFlags {
    VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE = 1,
    VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT = 2,
    VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA = 4,
    VIR_DOMAIN_SNAPSHOT_CREATE_HALT = 8,
    VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY = 16,
    VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT = 32,
    VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE = 64,
    VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC = 128,
    VIR_DOMAIN_SNAPSHOT_CREATE_LIVE = 256,
    VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE = 512,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainSnapshotDeleteFlags {
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN = 1,
    VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY = 2,
    VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY = 4,
}

pub type virDomainSnapshotListFlags = core::ffi::c_int;
pub const VIR_DOMAIN_SNAPSHOT_LIST_ROOTS: virDomainSnapshotListFlags = 1;
pub const VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS: virDomainSnapshotListFlags = 1;
pub const VIR_DOMAIN_SNAPSHOT_LIST_LEAVES: virDomainSnapshotListFlags = 4;
pub const VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES: virDomainSnapshotListFlags = 8;
pub const VIR_DOMAIN_SNAPSHOT_LIST_METADATA: virDomainSnapshotListFlags = 2;
pub const VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA: virDomainSnapshotListFlags = 16;
pub const VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE: virDomainSnapshotListFlags = 32;
pub const VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE: virDomainSnapshotListFlags = 64;
pub const VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY: virDomainSnapshotListFlags = 128;
pub const VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL: virDomainSnapshotListFlags = 256;
pub const VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL: virDomainSnapshotListFlags = 512;
pub const VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL: virDomainSnapshotListFlags = 1024;

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainSnapshotXMLFlags {
    VIR_DOMAIN_SNAPSHOT_XML_SECURE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainSnapshotRevertFlags {
    VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING = 1,
    VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED = 2,
    VIR_DOMAIN_SNAPSHOT_REVERT_FORCE = 4,
    VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainInterfaceAddressesSource {
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE = 0,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT = 1,
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP = 2,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LAST = 3,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virIPAddrType {
    VIR_IP_ADDR_TYPE_IPV4 = 0,
    VIR_IP_ADDR_TYPE_IPV6 = 1,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_IP_ADDR_TYPE_LAST = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainJobType {
    VIR_DOMAIN_JOB_NONE = 0,
    VIR_DOMAIN_JOB_BOUNDED = 1,
    VIR_DOMAIN_JOB_UNBOUNDED = 2,
    VIR_DOMAIN_JOB_COMPLETED = 3,
    VIR_DOMAIN_JOB_FAILED = 4,
    VIR_DOMAIN_JOB_CANCELLED = 5,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_JOB_LAST = 6,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainJobOperation {
    VIR_DOMAIN_JOB_OPERATION_UNKNOWN = 0,
    VIR_DOMAIN_JOB_OPERATION_START = 1,
    VIR_DOMAIN_JOB_OPERATION_SAVE = 2,
    VIR_DOMAIN_JOB_OPERATION_RESTORE = 3,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN = 4,
    VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT = 5,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT = 6,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT = 7,
    VIR_DOMAIN_JOB_OPERATION_DUMP = 8,
    VIR_DOMAIN_JOB_OPERATION_BACKUP = 9,
    VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE = 10,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_JOB_OPERATION_LAST = 11,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainMigrateFlags {
    VIR_MIGRATE_LIVE = 1,
    VIR_MIGRATE_PEER2PEER = 2,
    VIR_MIGRATE_TUNNELLED = 4,
    VIR_MIGRATE_PERSIST_DEST = 8,
    VIR_MIGRATE_UNDEFINE_SOURCE = 16,
    VIR_MIGRATE_PAUSED = 32,
    VIR_MIGRATE_NON_SHARED_DISK = 64,
    VIR_MIGRATE_NON_SHARED_INC = 128,
    VIR_MIGRATE_CHANGE_PROTECTION = 256,
    VIR_MIGRATE_UNSAFE = 512,
    VIR_MIGRATE_OFFLINE = 1024,
    VIR_MIGRATE_COMPRESSED = 2048,
    VIR_MIGRATE_ABORT_ON_ERROR = 4096,
    VIR_MIGRATE_AUTO_CONVERGE = 8192,
    VIR_MIGRATE_RDMA_PIN_ALL = 16384,
    VIR_MIGRATE_POSTCOPY = 32768,
    VIR_MIGRATE_TLS = 65536,
    VIR_MIGRATE_PARALLEL = 131072,
    VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES = 262144,
    VIR_MIGRATE_POSTCOPY_RESUME = 524288,
    VIR_MIGRATE_ZEROCOPY = 1048576,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStoragePoolState {
    VIR_STORAGE_POOL_INACTIVE = 0,
    VIR_STORAGE_POOL_BUILDING = 1,
    VIR_STORAGE_POOL_RUNNING = 2,
    VIR_STORAGE_POOL_DEGRADED = 3,
    VIR_STORAGE_POOL_INACCESSIBLE = 4,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_STORAGE_POOL_STATE_LAST = 5,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolType {
    VIR_STORAGE_VOL_FILE = 0,
    VIR_STORAGE_VOL_BLOCK = 1,
    VIR_STORAGE_VOL_DIR = 2,
    VIR_STORAGE_VOL_NETWORK = 3,
    VIR_STORAGE_VOL_NETDIR = 4,
    VIR_STORAGE_VOL_PLOOP = 5,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_STORAGE_VOL_LAST = 6,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectListAllStoragePoolsFlags {
    VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE = 1,
    VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE = 2,
    VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT = 4,
    VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT = 8,
    VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART = 16,
    VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART = 32,
    VIR_CONNECT_LIST_STORAGE_POOLS_DIR = 64,
    VIR_CONNECT_LIST_STORAGE_POOLS_FS = 128,
    VIR_CONNECT_LIST_STORAGE_POOLS_NETFS = 256,
    VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL = 512,
    VIR_CONNECT_LIST_STORAGE_POOLS_DISK = 1024,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI = 2048,
    VIR_CONNECT_LIST_STORAGE_POOLS_SCSI = 4096,
    VIR_CONNECT_LIST_STORAGE_POOLS_MPATH = 8192,
    VIR_CONNECT_LIST_STORAGE_POOLS_RBD = 16384,
    VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG = 32768,
    VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER = 65536,
    VIR_CONNECT_LIST_STORAGE_POOLS_ZFS = 131072,
    VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE = 262144,
    VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT = 524288,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStoragePoolCreateFlags {
    VIR_STORAGE_POOL_CREATE_NORMAL = 0,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD = 1,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE = 2,
    VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStoragePoolDefineFlags {
    VIR_STORAGE_POOL_DEFINE_VALIDATE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolCreateFlags {
    VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA = 1,
    VIR_STORAGE_VOL_CREATE_REFLINK = 2,
    VIR_STORAGE_VOL_CREATE_VALIDATE = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolWipeAlgorithm {
    VIR_STORAGE_VOL_WIPE_ALG_ZERO = 0,
    VIR_STORAGE_VOL_WIPE_ALG_NNSA = 1,
    VIR_STORAGE_VOL_WIPE_ALG_DOD = 2,
    VIR_STORAGE_VOL_WIPE_ALG_BSI = 3,
    VIR_STORAGE_VOL_WIPE_ALG_GUTMANN = 4,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER = 5,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7 = 6,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33 = 7,
    VIR_STORAGE_VOL_WIPE_ALG_RANDOM = 8,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM = 9,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_STORAGE_VOL_WIPE_ALG_LAST = 10,
}

from_raw!(virStorageVolWipeAlgorithm:
    VIR_STORAGE_VOL_WIPE_ALG_ZERO, VIR_STORAGE_VOL_WIPE_ALG_NNSA, VIR_STORAGE_VOL_WIPE_ALG_DOD,
    VIR_STORAGE_VOL_WIPE_ALG_BSI, VIR_STORAGE_VOL_WIPE_ALG_GUTMANN,
    VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER, VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7,
    VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33, VIR_STORAGE_VOL_WIPE_ALG_RANDOM,
    VIR_STORAGE_VOL_WIPE_ALG_TRIM);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolResizeFlags {
    VIR_STORAGE_VOL_RESIZE_ALLOCATE = 1,
    VIR_STORAGE_VOL_RESIZE_DELTA = 2,
    VIR_STORAGE_VOL_RESIZE_SHRINK = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolDownloadFlags {
    VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolUploadFlags {
    VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStreamFlags {
    VIR_STREAM_NONBLOCK = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStreamEventType {
    VIR_STREAM_EVENT_READABLE = 1,
    VIR_STREAM_EVENT_WRITABLE = 2,
    VIR_STREAM_EVENT_ERROR = 4,
    VIR_STREAM_EVENT_HANGUP = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolInfoFlags {
    VIR_STORAGE_VOL_USE_ALLOCATION = 0,
    VIR_STORAGE_VOL_GET_PHYSICAL = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainAbortJobFlagsValues {
    VIR_DOMAIN_ABORT_JOB_POSTCOPY = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageVolDeleteFlags {
    VIR_STORAGE_VOL_DELETE_NORMAL = 0,
    VIR_STORAGE_VOL_DELETE_ZEROED = 1,
    VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStorageXMLFlags {
    VIR_STORAGE_XML_INACTIVE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectListAllNetworksFlags {
    VIR_CONNECT_LIST_NETWORKS_INACTIVE = 1,
    VIR_CONNECT_LIST_NETWORKS_ACTIVE = 2,
    VIR_CONNECT_LIST_NETWORKS_PERSISTENT = 4,
    VIR_CONNECT_LIST_NETWORKS_TRANSIENT = 8,
    VIR_CONNECT_LIST_NETWORKS_AUTOSTART = 16,
    VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART = 32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectListAllInterfacesFlags {
    VIR_CONNECT_LIST_INTERFACES_INACTIVE = 1,
    VIR_CONNECT_LIST_INTERFACES_ACTIVE = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectListAllNodeDeviceFlags {
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM = 1,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV = 2,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV = 4,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE = 8,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET = 16,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST = 32,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET = 64,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI = 128,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE = 256,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST = 512,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS = 1024,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC = 2048,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM = 4096,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES = 8192,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV = 16384,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV = 32768,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV = 65536,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA = 131072,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD = 262144,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE = 524288,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX = 1048576,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD = 2097152,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCWGROUP_DEV = 4194304,
    VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCWGROUP_MEMBER = 8388608,
    VIR_CONNECT_LIST_NODE_DEVICES_PERSISTENT = 268435456,
    VIR_CONNECT_LIST_NODE_DEVICES_TRANSIENT = 536870912,
    VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE = 1073741824,
    VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE = -2147483648,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkDefineFlags {
    VIR_NETWORK_DEFINE_VALIDATE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkUpdateCommand {
    VIR_NETWORK_UPDATE_COMMAND_NONE = 0,
    VIR_NETWORK_UPDATE_COMMAND_MODIFY = 1,
    VIR_NETWORK_UPDATE_COMMAND_DELETE = 2,
    VIR_NETWORK_UPDATE_COMMAND_ADD_LAST = 3,
    VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST = 4,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_NETWORK_UPDATE_COMMAND_LAST = 5,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkUpdateSection {
    VIR_NETWORK_SECTION_NONE = 0,
    VIR_NETWORK_SECTION_BRIDGE = 1,
    VIR_NETWORK_SECTION_DOMAIN = 2,
    VIR_NETWORK_SECTION_IP = 3,
    VIR_NETWORK_SECTION_IP_DHCP_HOST = 4,
    VIR_NETWORK_SECTION_IP_DHCP_RANGE = 5,
    VIR_NETWORK_SECTION_FORWARD = 6,
    VIR_NETWORK_SECTION_FORWARD_INTERFACE = 7,
    VIR_NETWORK_SECTION_FORWARD_PF = 8,
    VIR_NETWORK_SECTION_PORTGROUP = 9,
    VIR_NETWORK_SECTION_DNS_HOST = 10,
    VIR_NETWORK_SECTION_DNS_TXT = 11,
    VIR_NETWORK_SECTION_DNS_SRV = 12,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_NETWORK_SECTION_LAST = 13,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkUpdateFlags {
    VIR_NETWORK_UPDATE_AFFECT_CURRENT = 0,
    VIR_NETWORK_UPDATE_AFFECT_LIVE = 1,
    VIR_NETWORK_UPDATE_AFFECT_CONFIG = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkXMLFlags {
    VIR_NETWORK_XML_INACTIVE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virInterfaceXMLFlags {
    VIR_INTERFACE_XML_INACTIVE = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virEventHandleType {
    VIR_EVENT_HANDLE_READABLE = 1,
    VIR_EVENT_HANDLE_WRITABLE = 2,
    VIR_EVENT_HANDLE_ERROR = 4,
    VIR_EVENT_HANDLE_HANGUP = 8,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkEventID {
    VIR_NETWORK_EVENT_ID_LIFECYCLE = 0,
    VIR_NETWORK_EVENT_ID_METADATA_CHANGE = 1,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_NETWORK_EVENT_ID_LAST = 2,
}

from_raw!(virNetworkEventID: VIR_NETWORK_EVENT_ID_LIFECYCLE, VIR_NETWORK_EVENT_ID_METADATA_CHANGE);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virNetworkEventLifecycleType {
    VIR_NETWORK_EVENT_DEFINED = 0,
    VIR_NETWORK_EVENT_UNDEFINED = 1,
    VIR_NETWORK_EVENT_STARTED = 2,
    VIR_NETWORK_EVENT_STOPPED = 3,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_NETWORK_EVENT_LAST = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStoragePoolEventID {
    VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE = 0,
    VIR_STORAGE_POOL_EVENT_ID_REFRESH = 1,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_STORAGE_POOL_EVENT_ID_LAST = 2,
}

from_raw!(virStoragePoolEventID: VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, VIR_STORAGE_POOL_EVENT_ID_REFRESH);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virStoragePoolEventLifecycleType {
    VIR_STORAGE_POOL_EVENT_DEFINED = 0,
    VIR_STORAGE_POOL_EVENT_UNDEFINED = 1,
    VIR_STORAGE_POOL_EVENT_STARTED = 2,
    VIR_STORAGE_POOL_EVENT_STOPPED = 3,
    VIR_STORAGE_POOL_EVENT_CREATED = 4,
    VIR_STORAGE_POOL_EVENT_DELETED = 5,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_STORAGE_POOL_EVENT_LAST = 6,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventID {
    VIR_DOMAIN_EVENT_ID_LIFECYCLE = 0,
    VIR_DOMAIN_EVENT_ID_REBOOT = 1,
    VIR_DOMAIN_EVENT_ID_RTC_CHANGE = 2,
    VIR_DOMAIN_EVENT_ID_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_ID_IO_ERROR = 4,
    VIR_DOMAIN_EVENT_ID_GRAPHICS = 5,
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON = 6,
    VIR_DOMAIN_EVENT_ID_CONTROL_ERROR = 7,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB = 8,
    VIR_DOMAIN_EVENT_ID_DISK_CHANGE = 9,
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE = 10,
    VIR_DOMAIN_EVENT_ID_PMWAKEUP = 11,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND = 12,
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE = 13,
    VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK = 14,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED = 15,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2 = 16,
    VIR_DOMAIN_EVENT_ID_TUNABLE = 17,
    VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE = 18,
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED = 19,
    VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION = 20,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED = 21,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED = 22,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE = 23,
    VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD = 24,
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE = 25,
    VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE = 26,
    VIR_DOMAIN_EVENT_ID_NIC_MAC_CHANGE = 27,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_ID_LAST = 28,
}

from_raw!(virDomainEventID:
    VIR_DOMAIN_EVENT_ID_LIFECYCLE, VIR_DOMAIN_EVENT_ID_REBOOT, VIR_DOMAIN_EVENT_ID_RTC_CHANGE,
    VIR_DOMAIN_EVENT_ID_WATCHDOG, VIR_DOMAIN_EVENT_ID_IO_ERROR, VIR_DOMAIN_EVENT_ID_GRAPHICS,
    VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON, VIR_DOMAIN_EVENT_ID_CONTROL_ERROR,
    VIR_DOMAIN_EVENT_ID_BLOCK_JOB, VIR_DOMAIN_EVENT_ID_DISK_CHANGE,
    VIR_DOMAIN_EVENT_ID_TRAY_CHANGE, VIR_DOMAIN_EVENT_ID_PMWAKEUP, VIR_DOMAIN_EVENT_ID_PMSUSPEND,
    VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE, VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK,
    VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
    VIR_DOMAIN_EVENT_ID_TUNABLE, VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE,
    VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION,
    VIR_DOMAIN_EVENT_ID_JOB_COMPLETED, VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED,
    VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD,
    VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE, VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE,
    VIR_DOMAIN_EVENT_ID_NIC_MAC_CHANGE);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventType {
    VIR_DOMAIN_EVENT_DEFINED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED = 1,
    VIR_DOMAIN_EVENT_STARTED = 2,
    VIR_DOMAIN_EVENT_SUSPENDED = 3,
    VIR_DOMAIN_EVENT_RESUMED = 4,
    VIR_DOMAIN_EVENT_STOPPED = 5,
    VIR_DOMAIN_EVENT_SHUTDOWN = 6,
    VIR_DOMAIN_EVENT_PMSUSPENDED = 7,
    VIR_DOMAIN_EVENT_CRASHED = 8,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_LAST = 9,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventDefinedDetailType {
    VIR_DOMAIN_EVENT_DEFINED_ADDED = 0,
    VIR_DOMAIN_EVENT_DEFINED_UPDATED = 1,
    VIR_DOMAIN_EVENT_DEFINED_RENAMED = 2,
    VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT = 3,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_DEFINED_LAST = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventUndefinedDetailType {
    VIR_DOMAIN_EVENT_UNDEFINED_REMOVED = 0,
    VIR_DOMAIN_EVENT_UNDEFINED_RENAMED = 1,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_UNDEFINED_LAST = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventStartedDetailType {
    VIR_DOMAIN_EVENT_STARTED_BOOTED = 0,
    VIR_DOMAIN_EVENT_STARTED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_STARTED_RESTORED = 2,
    VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT = 3,
    VIR_DOMAIN_EVENT_STARTED_WAKEUP = 4,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_STARTED_LAST = 5,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventSuspendedDetailType {
    VIR_DOMAIN_EVENT_SUSPENDED_PAUSED = 0,
    VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_SUSPENDED_IOERROR = 2,
    VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG = 3,
    VIR_DOMAIN_EVENT_SUSPENDED_RESTORED = 4,
    VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT = 5,
    VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR = 6,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY = 7,
    VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED = 8,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_SUSPENDED_LAST = 9,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventResumedDetailType {
    VIR_DOMAIN_EVENT_RESUMED_UNPAUSED = 0,
    VIR_DOMAIN_EVENT_RESUMED_MIGRATED = 1,
    VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT = 2,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY = 3,
    VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED = 4,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_RESUMED_LAST = 5,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainEventStoppedDetailType {
    VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN = 0,
    VIR_DOMAIN_EVENT_STOPPED_DESTROYED = 1,
    VIR_DOMAIN_EVENT_STOPPED_CRASHED = 2,
    VIR_DOMAIN_EVENT_STOPPED_MIGRATED = 3,
    VIR_DOMAIN_EVENT_STOPPED_SAVED = 4,
    VIR_DOMAIN_EVENT_STOPPED_FAILED = 5,
    VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT = 6,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_DOMAIN_EVENT_STOPPED_LAST = 7,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectCloseReason {
    VIR_CONNECT_CLOSE_REASON_ERROR = 0,
    VIR_CONNECT_CLOSE_REASON_EOF = 1,
    VIR_CONNECT_CLOSE_REASON_KEEPALIVE = 2,
    VIR_CONNECT_CLOSE_REASON_CLIENT = 3,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_CONNECT_CLOSE_REASON_LAST = 4,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainMemoryStatTags {
    VIR_DOMAIN_MEMORY_STAT_SWAP_IN = 0,
    VIR_DOMAIN_MEMORY_STAT_SWAP_OUT = 1,
    VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT = 2,
    VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT = 3,
    VIR_DOMAIN_MEMORY_STAT_UNUSED = 4,
    VIR_DOMAIN_MEMORY_STAT_AVAILABLE = 5,
    VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON = 6,
    VIR_DOMAIN_MEMORY_STAT_RSS = 7,
    VIR_DOMAIN_MEMORY_STAT_USABLE = 8,
    VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE = 9,
    VIR_DOMAIN_MEMORY_STAT_DISK_CACHES = 10,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC = 11,
    VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL = 12,
    VIR_DOMAIN_MEMORY_STAT_NR = 13,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectGetDomainCapabilitiesFlags {
    VIR_CONNECT_GET_DOMAIN_CAPABILITIES_DISABLE_DEPRECATED_FEATURES = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virCPUCompareResult {
    VIR_CPU_COMPARE_ERROR = -1,
    VIR_CPU_COMPARE_INCOMPATIBLE = 0,
    VIR_CPU_COMPARE_IDENTICAL = 1,
    VIR_CPU_COMPARE_SUPERSET = 2,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_CPU_COMPARE_LAST = 3,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectCompareCPUFlags {
    VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE = 1,
    VIR_CONNECT_COMPARE_CPU_VALIDATE_XML = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectBaselineCPUFlags {
    VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES = 1,
    VIR_CONNECT_BASELINE_CPU_MIGRATABLE = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainConsoleFlags {
    VIR_DOMAIN_CONSOLE_FORCE = 1,
    VIR_DOMAIN_CONSOLE_SAFE = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainOpenGraphicsFlags {
    VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH = 1,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virKeycodeSet {
    VIR_KEYCODE_SET_LINUX = 0,
    VIR_KEYCODE_SET_XT = 1,
    VIR_KEYCODE_SET_ATSET1 = 2,
    VIR_KEYCODE_SET_ATSET2 = 3,
    VIR_KEYCODE_SET_ATSET3 = 4,
    VIR_KEYCODE_SET_OSX = 5,
    VIR_KEYCODE_SET_XT_KBD = 6,
    VIR_KEYCODE_SET_USB = 7,
    VIR_KEYCODE_SET_WIN32 = 8,
    VIR_KEYCODE_SET_QNUM = 9,
    /// One past the last value, behind VIR_ENUM_SENTINELS as libvirt keeps it.
    #[cfg(feature = "enum_sentinels")]
    VIR_KEYCODE_SET_LAST = 10,
}
from_raw!(virKeycodeSet: VIR_KEYCODE_SET_LINUX, VIR_KEYCODE_SET_XT, VIR_KEYCODE_SET_ATSET1,
    VIR_KEYCODE_SET_ATSET2, VIR_KEYCODE_SET_ATSET3, VIR_KEYCODE_SET_OSX, VIR_KEYCODE_SET_XT_KBD,
    VIR_KEYCODE_SET_USB, VIR_KEYCODE_SET_WIN32, VIR_KEYCODE_SET_QNUM);

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainBlockResizeFlags {
    VIR_DOMAIN_BLOCK_RESIZE_BYTES = 1,
    VIR_DOMAIN_BLOCK_RESIZE_CAPACITY = 2,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainGuestInfoTypes {
    VIR_DOMAIN_GUEST_INFO_USERS = 1,
    VIR_DOMAIN_GUEST_INFO_OS = 2,
    VIR_DOMAIN_GUEST_INFO_TIMEZONE = 4,
    VIR_DOMAIN_GUEST_INFO_HOSTNAME = 8,
    VIR_DOMAIN_GUEST_INFO_FILESYSTEM = 16,
    VIR_DOMAIN_GUEST_INFO_DISKS = 32,
    VIR_DOMAIN_GUEST_INFO_INTERFACES = 64,
    VIR_DOMAIN_GUEST_INFO_LOAD = 128,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virDomainStatsTypes {
    VIR_DOMAIN_STATS_STATE = 1,
    VIR_DOMAIN_STATS_CPU_TOTAL = 2,
    VIR_DOMAIN_STATS_BALLOON = 4,
    VIR_DOMAIN_STATS_VCPU = 8,
    VIR_DOMAIN_STATS_INTERFACE = 16,
    VIR_DOMAIN_STATS_BLOCK = 32,
    VIR_DOMAIN_STATS_PERF = 64,
    VIR_DOMAIN_STATS_IOTHREAD = 128,
    VIR_DOMAIN_STATS_MEMORY = 256,
    VIR_DOMAIN_STATS_DIRTYRATE = 512,
    VIR_DOMAIN_STATS_VM = 1024,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum virConnectGetAllDomainStatsFlags {
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE = 1,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE = 2,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PERSISTENT = 4,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_TRANSIENT = 8,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING = 16,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED = 32,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF = 64,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_OTHER = 128,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT = 536870912,
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING = 1073741824,
    /// Bit 31 (libvirt's `1U << 31`), spelled as the int C enums hold.
    VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS = -2147483648,
}
