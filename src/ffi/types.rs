//! libvirt's public C structs and handle typedefs with their exact layouts (LP64 sizes are
//! checked by a C test against these definitions).

#![allow(non_camel_case_types, non_snake_case)]

use super::handles::{
    ConnectHandle, DomainHandle, InterfaceHandle, NetworkHandle, NodeDeviceHandle, PoolHandle,
    SnapshotHandle, StreamHandle, VolumeHandle,
};
use std::ffi::{
    c_char, c_double, c_int, c_longlong, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort, c_void,
};

/// libvirt's connection object, opaque to C (cbindgen names it `struct _virConnect`).
pub type virConnect = ConnectHandle;
pub type virConnectPtr = *mut virConnect;

/// libvirt's domain object, opaque to C (cbindgen names it `struct _virDomain`).
pub type virDomain = DomainHandle;
pub type virDomainPtr = *mut virDomain;

/// libvirt's domain snapshot object, opaque to C (`struct _virDomainSnapshot`).
pub type virDomainSnapshot = SnapshotHandle;
pub type virDomainSnapshotPtr = *mut virDomainSnapshot;

/// libvirt's storage pool object, opaque to C (`struct _virStoragePool`).
pub type virStoragePool = PoolHandle;
pub type virStoragePoolPtr = *mut virStoragePool;

/// `virStoragePoolGetInfo`'s answer (bytes).
#[repr(C)]
pub struct _virStoragePoolInfo {
    pub state: c_int,
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
    pub available: c_ulonglong,
}
pub type virStoragePoolInfo = _virStoragePoolInfo;
pub type virStoragePoolInfoPtr = *mut virStoragePoolInfo;

/// libvirt's storage volume object, opaque to C (`struct _virStorageVol`).
pub type virStorageVol = VolumeHandle;
pub type virStorageVolPtr = *mut virStorageVol;

/// `virStorageVolGetInfo`'s answer (bytes).
#[repr(C)]
pub struct _virStorageVolInfo {
    pub r#type: c_int,
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
}
pub type virStorageVolInfo = _virStorageVolInfo;
pub type virStorageVolInfoPtr = *mut virStorageVolInfo;

/// libvirt's stream object, opaque to C (`struct _virStream`).
pub type virStream = StreamHandle;
pub type virStreamPtr = *mut virStream;

/// A non-blocking stream's event callback: the stream, the events it meets now, the data.
pub type virStreamEventCallback =
    Option<unsafe extern "C" fn(stream: virStreamPtr, events: c_int, opaque: *mut c_void)>;

/// `virStreamSendAll`'s data source: fills `data` with up to `nbytes`; 0 at the end, < 0 fails.
pub type virStreamSourceFunc = Option<
    unsafe extern "C" fn(
        st: virStreamPtr,
        data: *mut c_char,
        nbytes: usize,
        opaque: *mut c_void,
    ) -> c_int,
>;

/// `virStreamRecvAll`'s data sink: takes up to `nbytes` of `data`; returns how many, < 0 fails.
pub type virStreamSinkFunc = Option<
    unsafe extern "C" fn(
        st: virStreamPtr,
        data: *const c_char,
        nbytes: usize,
        opaque: *mut c_void,
    ) -> c_int,
>;

/// libvirt's network object, opaque to C (`struct _virNetwork`).
pub type virNetwork = NetworkHandle;
pub type virNetworkPtr = *mut virNetwork;

/// libvirt's interface object, opaque to C (`struct _virInterface`).
pub type virInterface = InterfaceHandle;
pub type virInterfacePtr = *mut virInterface;

/// libvirt's node device object, opaque to C (`struct _virNodeDevice`).
pub type virNodeDevice = NodeDeviceHandle;
pub type virNodeDevicePtr = *mut virNodeDevice;

#[repr(C)]
pub struct _virConnectCredential {
    pub r#type: c_int,
    pub prompt: *const c_char,
    pub challenge: *const c_char,
    pub defresult: *const c_char,
    pub result: *mut c_char,
    pub resultlen: c_uint,
}
pub type virConnectCredential = _virConnectCredential;
pub type virConnectCredentialPtr = *mut virConnectCredential;

pub type virConnectAuthCallbackPtr = Option<
    unsafe extern "C" fn(
        cred: virConnectCredentialPtr,
        ncred: c_uint,
        cbdata: *mut c_void,
    ) -> c_int,
>;

#[repr(C)]
pub struct _virConnectAuth {
    pub credtype: *mut c_int,
    pub ncredtype: c_uint,
    pub cb: virConnectAuthCallbackPtr,
    pub cbdata: *mut c_void,
}
pub type virConnectAuth = _virConnectAuth;
pub type virConnectAuthPtr = *mut virConnectAuth;

#[repr(C)]
pub struct _virError {
    pub code: c_int,
    pub domain: c_int,
    pub message: *mut c_char,
    pub level: c_int,
    pub conn: virConnectPtr,
    pub dom: virDomainPtr,
    pub str1: *mut c_char,
    pub str2: *mut c_char,
    pub str3: *mut c_char,
    pub int1: c_int,
    pub int2: c_int,
    pub net: virNetworkPtr,
}
pub type virError = _virError;
pub type virErrorPtr = *mut virError;

pub type virErrorFunc = Option<unsafe extern "C" fn(userData: *mut c_void, error: virErrorPtr)>;

#[repr(C)]
pub struct _virNodeInfo {
    pub model: [c_char; 32],
    pub memory: c_ulong,
    pub cpus: c_uint,
    pub mhz: c_uint,
    pub nodes: c_uint,
    pub sockets: c_uint,
    pub cores: c_uint,
    pub threads: c_uint,
}
pub type virNodeInfo = _virNodeInfo;
pub type virNodeInfoPtr = *mut virNodeInfo;

#[repr(C)]
pub struct _virDomainInfo {
    pub state: c_uchar,
    pub maxMem: c_ulong,
    pub memory: c_ulong,
    pub nrVirtCpu: c_ushort,
    pub cpuTime: c_ulonglong,
}
pub type virDomainInfo = _virDomainInfo;

/// A disk's sizes in bytes (virDomainGetBlockInfo).
#[repr(C)]
pub struct _virDomainBlockInfo {
    pub capacity: c_ulonglong,
    pub allocation: c_ulonglong,
    pub physical: c_ulonglong,
}

pub type virDomainBlockInfo = _virDomainBlockInfo;
pub type virDomainBlockInfoPtr = *mut virDomainBlockInfo;

/// One memory statistic (virDomainMemoryStats): a `virDomainMemoryStatTags` tag, KiB.
#[repr(C)]
pub struct _virDomainMemoryStat {
    pub tag: c_int,
    pub val: c_ulonglong,
}

pub type virDomainMemoryStatStruct = _virDomainMemoryStat;
pub type virDomainMemoryStatPtr = *mut virDomainMemoryStatStruct;

/// A disk's I/O counters (virDomainBlockStats); -1 where unknown.
#[repr(C)]
pub struct _virDomainBlockStats {
    pub rd_req: c_longlong,
    pub rd_bytes: c_longlong,
    pub wr_req: c_longlong,
    pub wr_bytes: c_longlong,
    pub errs: c_longlong,
}

pub type virDomainBlockStatsStruct = _virDomainBlockStats;
pub type virDomainBlockStatsPtr = *mut virDomainBlockStatsStruct;

/// A NIC's counters (virDomainInterfaceStats); -1 where unknown.
#[repr(C)]
pub struct _virDomainInterfaceStats {
    pub rx_bytes: c_longlong,
    pub rx_packets: c_longlong,
    pub rx_errs: c_longlong,
    pub rx_drop: c_longlong,
    pub tx_bytes: c_longlong,
    pub tx_packets: c_longlong,
    pub tx_errs: c_longlong,
    pub tx_drop: c_longlong,
}

pub type virDomainInterfaceStatsStruct = _virDomainInterfaceStats;
pub type virDomainInterfaceStatsPtr = *mut virDomainInterfaceStatsStruct;

/// One host CPU statistic (virNodeGetCPUStats): a field name and nanoseconds.
#[repr(C)]
pub struct _virNodeCPUStats {
    pub field: [c_char; 80],
    pub value: c_ulonglong,
}

pub type virNodeCPUStats = _virNodeCPUStats;
pub type virNodeCPUStatsPtr = *mut virNodeCPUStats;

/// One host memory statistic (virNodeGetMemoryStats): a field name and KiB.
#[repr(C)]
pub struct _virNodeMemoryStats {
    pub field: [c_char; 80],
    pub value: c_ulonglong,
}

pub type virNodeMemoryStats = _virNodeMemoryStats;
pub type virNodeMemoryStatsPtr = *mut virNodeMemoryStats;

/// What the domain is busy with (virDomainGetControlInfo); stateTime in milliseconds.
#[repr(C)]
pub struct _virDomainControlInfo {
    pub state: c_uint,
    pub details: c_uint,
    pub stateTime: c_ulonglong,
}

pub type virDomainControlInfo = _virDomainControlInfo;
pub type virDomainControlInfoPtr = *mut virDomainControlInfo;

/// One disk's I/O error, as virDomainGetDiskErrors fills it.
#[repr(C)]
pub struct _virDomainDiskError {
    pub disk: *mut c_char,
    pub error: c_int,
}

pub type virDomainDiskError = _virDomainDiskError;
pub type virDomainDiskErrorPtr = *mut virDomainDiskError;
pub type virDomainInfoPtr = *mut virDomainInfo;

/// Times in milliseconds, data in bytes (here: percent of the task, out of 100).
#[repr(C)]
pub struct _virDomainJobInfo {
    pub r#type: c_int,
    pub timeElapsed: c_ulonglong,
    pub timeRemaining: c_ulonglong,
    pub dataTotal: c_ulonglong,
    pub dataProcessed: c_ulonglong,
    pub dataRemaining: c_ulonglong,
    pub memTotal: c_ulonglong,
    pub memProcessed: c_ulonglong,
    pub memRemaining: c_ulonglong,
    pub fileTotal: c_ulonglong,
    pub fileProcessed: c_ulonglong,
    pub fileRemaining: c_ulonglong,
}
pub type virDomainJobInfo = _virDomainJobInfo;
pub type virDomainJobInfoPtr = *mut virDomainJobInfo;

#[repr(C)]
pub struct _virVcpuInfo {
    pub number: c_uint,
    pub state: c_int,
    pub cpuTime: c_ulonglong,
    pub cpu: c_int,
}
pub type virVcpuInfo = _virVcpuInfo;
pub type virVcpuInfoPtr = *mut virVcpuInfo;

#[repr(C)]
#[derive(Clone, Copy)]
pub union _virTypedParameterValue {
    pub i: c_int,
    pub ui: c_uint,
    pub l: c_longlong,
    pub ul: c_ulonglong,
    pub d: c_double,
    pub b: c_char,
    pub s: *mut c_char,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virTypedParameter {
    pub field: [c_char; 80],
    pub r#type: c_int,
    pub value: _virTypedParameterValue,
}
pub type virTypedParameter = _virTypedParameter;
pub type virTypedParameterPtr = *mut virTypedParameter;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInterfaceIPAddress {
    pub r#type: c_int,
    pub addr: *mut c_char,
    pub prefix: c_uint,
}
pub type virDomainIPAddress = _virDomainInterfaceIPAddress;
pub type virDomainIPAddressPtr = *mut virDomainIPAddress;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainInterface {
    pub name: *mut c_char,
    pub hwaddr: *mut c_char,
    pub naddrs: c_uint,
    pub addrs: virDomainIPAddressPtr,
}
pub type virDomainInterface = _virDomainInterface;
pub type virDomainInterfacePtr = *mut virDomainInterface;

#[repr(C)]
#[derive(Clone, Copy)]
#[allow(non_snake_case)] // libvirt's field names
pub struct _virDomainFSInfo {
    pub mountpoint: *mut c_char,
    pub name: *mut c_char,
    pub fstype: *mut c_char,
    pub ndevAlias: usize,
    pub devAlias: *mut *mut c_char,
}
pub type virDomainFSInfo = _virDomainFSInfo;
pub type virDomainFSInfoPtr = *mut virDomainFSInfo;

/// Frees an opaque pointer handed over with a callback, once the library is done with it.
pub type virFreeCallback = Option<unsafe extern "C" fn(opaque: *mut c_void)>;

/// A handle's callback: its watch, fd and the `virEventHandleType` events that happened.
pub type virEventHandleCallback =
    Option<unsafe extern "C" fn(watch: c_int, fd: c_int, events: c_int, opaque: *mut c_void)>;

/// A timeout's callback, with its timer.
pub type virEventTimeoutCallback = Option<unsafe extern "C" fn(timer: c_int, opaque: *mut c_void)>;

/// The six functions of an application's event loop (virEventRegisterImpl).
pub type virEventAddHandleFunc = Option<
    unsafe extern "C" fn(
        fd: c_int,
        event: c_int,
        cb: virEventHandleCallback,
        opaque: *mut c_void,
        ff: virFreeCallback,
    ) -> c_int,
>;
pub type virEventUpdateHandleFunc = Option<unsafe extern "C" fn(watch: c_int, event: c_int)>;
pub type virEventRemoveHandleFunc = Option<unsafe extern "C" fn(watch: c_int) -> c_int>;
pub type virEventAddTimeoutFunc = Option<
    unsafe extern "C" fn(
        timeout: c_int,
        cb: virEventTimeoutCallback,
        opaque: *mut c_void,
        ff: virFreeCallback,
    ) -> c_int,
>;
pub type virEventUpdateTimeoutFunc = Option<unsafe extern "C" fn(timer: c_int, timeout: c_int)>;
pub type virEventRemoveTimeoutFunc = Option<unsafe extern "C" fn(timer: c_int) -> c_int>;

/// A lifecycle event's callback (virConnectDomainEventRegister, and RegisterAny's
/// VIR_DOMAIN_EVENT_ID_LIFECYCLE): the event and its detail.
pub type virConnectDomainEventCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        event: c_int,
        detail: c_int,
        opaque: *mut c_void,
    ) -> c_int,
>;

/// RegisterAny's callback type, cast to the event ID's own (VIR_DOMAIN_EVENT_CALLBACK).
pub type virConnectDomainEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dom: virDomainPtr, opaque: *mut c_void)>;

/// A DEVICE_ADDED event's callback: the device's alias (its vSphere label).
pub type virConnectDomainEventDeviceAddedCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        devAlias: *const c_char,
        opaque: *mut c_void,
    ),
>;

/// A TUNABLE event's callback: the tunables that changed, freed once it returns.
pub type virConnectDomainEventTunableCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        dom: virDomainPtr,
        params: virTypedParameterPtr,
        nparams: c_int,
        opaque: *mut c_void,
    ),
>;

/// A DEVICE_REMOVED event's callback: the device's alias (its vSphere label).
pub type virConnectDomainEventDeviceRemovedCallback = virConnectDomainEventDeviceAddedCallback;

/// A close callback: the connection and the `virConnectCloseReason`.
pub type virConnectCloseFunc =
    Option<unsafe extern "C" fn(conn: virConnectPtr, reason: c_int, opaque: *mut c_void)>;

/// One domain's statistics (virConnectGetAllDomainStats): its handle and typed parameters.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct _virDomainStatsRecord {
    pub dom: virDomainPtr,
    pub params: virTypedParameterPtr,
    pub nparams: c_int,
}
pub type virDomainStatsRecord = _virDomainStatsRecord;
pub type virDomainStatsRecordPtr = *mut virDomainStatsRecord;

/// libvirt's secret object: vSphere has none, so no handle of this type ever exists; it is
/// declared for the event registrations' signatures.
pub struct SecretHandle {
    _never: (),
}
pub type virSecret = SecretHandle;
pub type virSecretPtr = *mut virSecret;

/// The node device and secret events' generic callbacks (cast to the event's own type).
/// Network event callbacks: RegisterAny's type, cast to the event ID's own.
pub type virConnectNetworkEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, net: virNetworkPtr, opaque: *mut c_void)>;
pub type virConnectNetworkEventLifecycleCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        net: virNetworkPtr,
        event: c_int,
        detail: c_int,
        opaque: *mut c_void,
    ),
>;
/// Storage pool event callbacks: RegisterAny's type (REFRESH's own), cast to the event ID's.
pub type virConnectStoragePoolEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, pool: virStoragePoolPtr, opaque: *mut c_void)>;
pub type virConnectStoragePoolEventLifecycleCallback = Option<
    unsafe extern "C" fn(
        conn: virConnectPtr,
        pool: virStoragePoolPtr,
        event: c_int,
        detail: c_int,
        opaque: *mut c_void,
    ),
>;
pub type virConnectNodeDeviceEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, dev: virNodeDevicePtr, opaque: *mut c_void)>;
pub type virConnectSecretEventGenericCallback =
    Option<unsafe extern "C" fn(conn: virConnectPtr, secret: virSecretPtr, opaque: *mut c_void)>;
