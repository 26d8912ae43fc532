"""virConnect and the module's open functions with libvirt-python's names and shapes. Opening
esx:// costs 3 round trips (service content, login, one inventory read)."""
import ctypes
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _abi, _event
from ._domain import _params, virDomain
from ._errors import check, check_string, libvirtError, virGetLastError
from ._lib import cstr, dec, enc, free, handles, lib, names, strdup, take_string
from ._network import virInterface, virNetwork
from ._nodedev import virNodeDevice
from ._storage import virStoragePool, virStorageVol, virStream
from ._unsupported import unsupported

# [credtypes, callback(credentials, opaque) -> int, opaque], as libvirt-python's openAuth takes.
Auth = Sequence[Any]



def _opened(ptr: Optional[int], what: str) -> "virConnect":
    if not ptr:
        raise libvirtError("%s() failed" % what)
    return virConnect(ptr)


def open(name: Optional[str] = None) -> "virConnect":
    """Opens a connection; credentials from the URI and auth.conf only."""
    return _opened(lib.virConnectOpen(enc(name)), "virConnectOpen")


def openReadOnly(name: Optional[str] = None) -> "virConnect":
    """Opens a connection on which modifying calls fail with VIR_ERR_OPERATION_DENIED."""
    return _opened(lib.virConnectOpenReadOnly(enc(name)), "virConnectOpenReadOnly")


def _auth_callback(callback: Callable[..., Any], opaque: Any) -> Any:
    """The C callback that asks `callback` with libvirt-python's credential lists
    ([type, prompt, challenge, defresult, result]) and hands the results to the library."""

    def ask(creds: Any, ncred: int, _cbdata: Any) -> int:
        try:
            asked = [[creds[i].type, cstr(creds[i].prompt), cstr(creds[i].challenge),
                      cstr(creds[i].defresult), None] for i in range(ncred)]
            ret = callback(asked, opaque)
            if ret is None or int(ret) < 0:
                return -1
            for i, cred in enumerate(asked):
                if cred[4] is not None:
                    value = cred[4].encode("utf-8") if isinstance(cred[4], str) else bytes(cred[4])
                    creds[i].result = strdup(value)
                    creds[i].resultlen = len(value)
            return int(ret)
        except Exception:  # an exception cannot cross into C: the library reports a refusal
            return -1

    return _abi.virConnectAuthCallbackPtr(ask)


def openAuth(uri: Optional[str], auth: Auth, flags: int = 0) -> "virConnect":
    """Opens a connection, calling auth's callback for what the URI and auth.conf lack."""
    credtypes, callback, opaque = auth[0], auth[1], auth[2] if len(auth) > 2 else None
    types = (ctypes.c_int * max(len(credtypes), 1))(*credtypes)
    cb = _auth_callback(callback, opaque)
    c_auth = _abi.virConnectAuth(types, len(credtypes), cb, None)
    conn = _opened(lib.virConnectOpenAuth(enc(uri), ctypes.byref(c_auth), flags),
                   "virConnectOpenAuth")
    # The library asks the same callback again when it opens a migration's destination.
    conn._auth_keep = (cb, types)
    return conn


def getVersion(name: Optional[str] = None) -> Any:
    """The libvirt API version implemented; with a driver name, (library, driver) versions."""
    lib_ver, type_ver = ctypes.c_ulong(), ctypes.c_ulong()
    if name is None:
        check(lib.virGetVersion(ctypes.byref(lib_ver), None, None), "virGetVersion")
        return lib_ver.value
    check(lib.virGetVersion(ctypes.byref(lib_ver), enc(name), ctypes.byref(type_ver)),
           "virGetVersion")
    return (lib_ver.value, type_ver.value)


def virInitialize() -> int:
    """Kept for libvirt-python's programs: the library initializes itself (and did on import)."""
    return check(lib.virInitialize(), "virInitialize")


def esxLiveHandles() -> int:
    """libvirt_esx's own: connection and domain handles alive in the process."""
    return lib.virEsxGetLiveHandles()


@_abi.virConnectDomainEventCallback
def _run_domain_event(conn: int, dom: int, event: int, detail: int, key: Optional[int]) -> int:
    call, opaque = _event._live[key or 0]
    call(dom, opaque, event, detail)
    return 0


@_abi.virConnectDomainEventGenericCallback
def _run_generic_event(conn: int, dom: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(dom, opaque)


@_abi.virConnectDomainEventDeviceAddedCallback
def _run_device_event(conn: int, dom: int, alias: bytes, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(dom, opaque, dec(alias))


@_abi.virConnectNetworkEventLifecycleCallback
def _run_network_event(conn: int, net: int, event: int, detail: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(net, opaque, event, detail)


@_abi.virConnectStoragePoolEventLifecycleCallback
def _run_pool_event(conn: int, pool: int, event: int, detail: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(pool, opaque, event, detail)


@_abi.virConnectStoragePoolEventGenericCallback
def _run_pool_refresh(conn: int, pool: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(pool, opaque)


@_abi.virConnectDomainEventTunableCallback
def _run_tunable_event(conn: int, dom: int, params: Any, n: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(dom, opaque, _params(params, n))


def _trampoline(eventID: int) -> Any:
    """The C callback that calls a Python one with its event's arguments."""
    if eventID == _abi.VIR_DOMAIN_EVENT_ID_LIFECYCLE:
        return ctypes.cast(_run_domain_event, _abi.virConnectDomainEventGenericCallback)
    if eventID in (_abi.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, _abi.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED):
        return ctypes.cast(_run_device_event, _abi.virConnectDomainEventGenericCallback)
    if eventID == _abi.VIR_DOMAIN_EVENT_ID_TUNABLE:
        return ctypes.cast(_run_tunable_event, _abi.virConnectDomainEventGenericCallback)
    return _run_generic_event


@_abi.virConnectCloseFunc
def _run_close(conn: int, reason: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(reason, opaque)


# The library never calls these: vSphere has no node devices or secrets.
_never_node_device = _abi.virConnectNodeDeviceEventGenericCallback(lambda c, d, o: None)
_never_secret = _abi.virConnectSecretEventGenericCallback(lambda c, s, o: None)


@unsupported
class virConnect:
    """A connection to an ESX host, VMware Server or vCenter. Usable as a context manager;
    closed when garbage collected otherwise. Safe to share between threads."""

    def __init__(self, _obj: Optional[int] = None) -> None:
        self._o: Optional[int] = _obj

    def __del__(self) -> None:
        if getattr(self, "_o", None):
            lib.virConnectClose(self._o)
            self._o = None

    def __enter__(self) -> "virConnect":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._o:
            self.close()

    def c_pointer(self) -> int:
        return self._o or 0

    def close(self) -> int:
        """Drops this reference (domains keep theirs); the last one logs out: 1 round trip."""
        ret = lib.virConnectClose(self._o)
        self._o = None
        return check(ret, "virConnectClose")

    def _domain(self, ptr: Optional[int], what: str) -> virDomain:
        if not ptr:
            raise libvirtError("%s() failed" % what)
        return virDomain(self, ptr)

    # the connection's own facts: no round trip
    def getType(self) -> str:
        v = lib.virConnectGetType(self._o)
        if v is None:
            raise libvirtError("virConnectGetType() failed")
        return dec(v) or ""

    def getVersion(self) -> int:
        v = ctypes.c_ulong()
        check(lib.virConnectGetVersion(self._o, ctypes.byref(v)), "virConnectGetVersion")
        return v.value

    def getLibVersion(self) -> int:
        v = ctypes.c_ulong()
        check(lib.virConnectGetLibVersion(self._o, ctypes.byref(v)), "virConnectGetLibVersion")
        return v.value

    def getURI(self) -> str:
        return check_string(lib.virConnectGetURI(self._o), "virConnectGetURI")

    def isEncrypted(self) -> int:
        return check(lib.virConnectIsEncrypted(self._o), "virConnectIsEncrypted")

    def isSecure(self) -> int:
        return check(lib.virConnectIsSecure(self._o), "virConnectIsSecure")

    def isAlive(self) -> int:
        return check(lib.virConnectIsAlive(self._o), "virConnectIsAlive")

    def esxRoundTrips(self) -> int:
        """libvirt_esx's own: SOAP/HTTP requests this connection has made."""
        return check(lib.virEsxConnectGetRoundTrips(self._o), "virEsxConnectGetRoundTrips")

    def virConnGetLastError(self) -> Any:
        from ._errors import _tuple
        return _tuple(lib.virConnGetLastError(self._o))

    def virConnResetLastError(self) -> None:
        lib.virConnResetLastError(self._o)

    # host facts: 1 round trip each
    def getHostname(self) -> str:
        return check_string(lib.virConnectGetHostname(self._o), "virConnectGetHostname")

    def getCapabilities(self) -> str:
        return check_string(lib.virConnectGetCapabilities(self._o), "virConnectGetCapabilities")

    def getDomainCapabilities(self, emulatorbin: Optional[str] = None, arch: Optional[str] = None,
                              machine: Optional[str] = None, virttype: Optional[str] = None,
                              flags: int = 0) -> str:
        """The host's or cluster's config option for a hardware version (machine, `vmx-13`)."""
        opt = lambda v: None if v is None else enc(v)  # noqa: E731
        return check_string(lib.virConnectGetDomainCapabilities(
            self._o, opt(emulatorbin), opt(arch), opt(machine), opt(virttype), flags),
            "virConnectGetDomainCapabilities")

    def getCPUModelNames(self, arch: str, flags: int = 0) -> List[str]:
        """vSphere's CPU models: its EVC modes, in the server's order."""
        models = ctypes.POINTER(ctypes.c_void_p)()
        n = check(lib.virConnectGetCPUModelNames(self._o, enc(arch), ctypes.byref(models), flags),
                  "virConnectGetCPUModelNames")
        try:
            return [dec(ctypes.string_at(models[i])) for i in range(n)]
        finally:
            for i in range(n):
                free(models[i])
            free(models)

    def compareHypervisorCPU(self, emulator: Optional[str], arch: Optional[str],
                             machine: Optional[str], virttype: Optional[str], xmlCPU: str,
                             flags: int = 0) -> int:
        """VIR_CPU_COMPARE_* of an EVC mode (the CPU's <model>) against every host."""
        opt = lambda v: None if v is None else enc(v)  # noqa: E731
        ret = lib.virConnectCompareHypervisorCPU(self._o, opt(emulator), opt(arch), opt(machine),
                                                 opt(virttype), enc(xmlCPU), flags)
        if ret == -1:
            raise libvirtError("virConnectCompareHypervisorCPU() failed")
        return ret

    def baselineHypervisorCPU(self, emulator: Optional[str], arch: Optional[str],
                              machine: Optional[str], virttype: Optional[str],
                              xmlCPUs: List[str], flags: int = 0) -> str:
        """The highest EVC mode the CPUs given and every host run, as a CPU definition."""
        opt = lambda v: None if v is None else enc(v)  # noqa: E731
        bufs = [ctypes.create_string_buffer(enc(x)) for x in xmlCPUs]
        arr = (ctypes.c_void_p * max(len(bufs), 1))(*[ctypes.addressof(b) for b in bufs])
        return check_string(lib.virConnectBaselineHypervisorCPU(
            self._o, opt(emulator), opt(arch), opt(machine), opt(virttype), arr, len(xmlCPUs),
            flags), "virConnectBaselineHypervisorCPU")

    def getSysinfo(self, flags: int = 0) -> str:
        return check_string(lib.virConnectGetSysinfo(self._o, flags), "virConnectGetSysinfo")

    def getMaxVcpus(self, type: Optional[str]) -> int:
        return check(lib.virConnectGetMaxVcpus(self._o, enc(type)), "virConnectGetMaxVcpus")

    def getInfo(self) -> List[Any]:
        """[model, memory MiB, cpus, mhz, nodes, sockets, cores, threads], as libvirt-python."""
        n = _abi.virNodeInfo()
        check(lib.virNodeGetInfo(self._o, ctypes.byref(n)), "virNodeGetInfo")
        return [dec(n.model), n.memory >> 10, n.cpus, n.mhz, n.nodes, n.sockets, n.cores, n.threads]

    def getFreeMemory(self) -> int:
        v = lib.virNodeGetFreeMemory(self._o)
        if v == 0 and virGetLastError() is not None:
            raise libvirtError("virNodeGetFreeMemory() failed")
        return v

    def getCPUStats(self, cpuNum: int, flags: int = 0) -> Dict[str, int]:
        """{"user": ns used, "idle": ns} of all CPUs (VIR_NODE_CPU_STATS_ALL_CPUS) or one."""
        return _node_stats(_abi.virNodeCPUStats, lambda p, n: lib.virNodeGetCPUStats(
            self._o, cpuNum, p, n, flags), "virNodeGetCPUStats")

    def getMemoryStats(self, cellNum: int, flags: int = 0) -> Dict[str, int]:
        """{"total": KiB, "free": KiB} (cellNum VIR_NODE_MEMORY_STATS_ALL_CELLS)."""
        return _node_stats(_abi.virNodeMemoryStats, lambda p, n: lib.virNodeGetMemoryStats(
            self._o, cellNum, p, n, flags), "virNodeGetMemoryStats")

    # networks (the host's vSwitches) and interfaces (its NICs): 1 round trip each
    def listAllNetworks(self, flags: int = 0) -> List[virNetwork]:
        return handles(lambda p: virNetwork(self, p), lambda out: lib.virConnectListAllNetworks(
            self._o, out, flags), "virConnectListAllNetworks")

    def numOfNetworks(self) -> int:
        return check(lib.virConnectNumOfNetworks(self._o), "virConnectNumOfNetworks")

    def listNetworks(self) -> List[str]:
        return names(self.numOfNetworks(), lambda arr, n: lib.virConnectListNetworks(
            self._o, arr, n), "virConnectListNetworks")

    def numOfDefinedNetworks(self) -> int:
        return check(lib.virConnectNumOfDefinedNetworks(self._o), "virConnectNumOfDefinedNetworks")

    def listDefinedNetworks(self) -> List[str]:
        return names(self.numOfDefinedNetworks(), lambda arr, n: lib.virConnectListDefinedNetworks(
            self._o, arr, n), "virConnectListDefinedNetworks")

    def _net(self, ptr: Optional[int], what: str) -> virNetwork:
        if not ptr:
            raise libvirtError("%s() failed" % what)
        return virNetwork(self, ptr)

    def networkLookupByName(self, name: str) -> virNetwork:
        return self._net(lib.virNetworkLookupByName(self._o, enc(name)), "virNetworkLookupByName")

    def networkLookupByUUID(self, uuid: bytes) -> virNetwork:
        return self._net(lib.virNetworkLookupByUUID(self._o, uuid), "virNetworkLookupByUUID")

    def networkLookupByUUIDString(self, uuidstr: str) -> virNetwork:
        return self._net(lib.virNetworkLookupByUUIDString(self._o, enc(uuidstr)),
                         "virNetworkLookupByUUIDString")

    def networkDefineXML(self, xml: str) -> virNetwork:
        return self._net(lib.virNetworkDefineXML(self._o, enc(xml)), "virNetworkDefineXML")

    def networkDefineXMLFlags(self, xml: str, flags: int = 0) -> virNetwork:
        return self._net(lib.virNetworkDefineXMLFlags(self._o, enc(xml), flags),
                         "virNetworkDefineXMLFlags")

    def listAllInterfaces(self, flags: int = 0) -> List[virInterface]:
        return handles(lambda p: virInterface(self, p), lambda out: lib.virConnectListAllInterfaces(
            self._o, out, flags), "virConnectListAllInterfaces")

    def numOfInterfaces(self) -> int:
        return check(lib.virConnectNumOfInterfaces(self._o), "virConnectNumOfInterfaces")

    def listInterfaces(self) -> List[str]:
        return names(self.numOfInterfaces(), lambda arr, n: lib.virConnectListInterfaces(
            self._o, arr, n), "virConnectListInterfaces")

    def numOfDefinedInterfaces(self) -> int:
        return check(lib.virConnectNumOfDefinedInterfaces(self._o), "virConnectNumOfDefinedInterfaces")

    def listDefinedInterfaces(self) -> List[str]:
        return names(self.numOfDefinedInterfaces(), lambda arr, n:
                     lib.virConnectListDefinedInterfaces(self._o, arr, n),
                     "virConnectListDefinedInterfaces")

    def _iface(self, ptr: Optional[int], what: str) -> virInterface:
        if not ptr:
            raise libvirtError("%s() failed" % what)
        return virInterface(self, ptr)

    def interfaceLookupByName(self, name: str) -> virInterface:
        return self._iface(lib.virInterfaceLookupByName(self._o, enc(name)), "virInterfaceLookupByName")

    def interfaceDefineXML(self, xml: str, flags: int = 0) -> virInterface:
        """Refused: interfaces are the host's physical NICs."""
        return self._iface(lib.virInterfaceDefineXML(self._o, enc(xml), flags), "virInterfaceDefineXML")

    def changeBegin(self, flags: int = 0) -> int:
        return check(lib.virInterfaceChangeBegin(self._o, flags), "virInterfaceChangeBegin")

    def changeCommit(self, flags: int = 0) -> int:
        return check(lib.virInterfaceChangeCommit(self._o, flags), "virInterfaceChangeCommit")

    def changeRollback(self, flags: int = 0) -> int:
        return check(lib.virInterfaceChangeRollback(self._o, flags), "virInterfaceChangeRollback")

    def interfaceLookupByMACString(self, macstr: str) -> virInterface:
        return self._iface(lib.virInterfaceLookupByMACString(self._o, enc(macstr)),
                           "virInterfaceLookupByMACString")

    # node devices (the host and its PCI functions): 1 round trip each
    def listAllDevices(self, flags: int = 0) -> List[virNodeDevice]:
        return handles(lambda p: virNodeDevice(self, p), lambda out: lib.virConnectListAllNodeDevices(
            self._o, out, flags), "virConnectListAllNodeDevices")

    def numOfDevices(self, cap: Optional[str], flags: int = 0) -> int:
        return check(lib.virNodeNumOfDevices(self._o, enc(cap), flags), "virNodeNumOfDevices")

    def listDevices(self, cap: Optional[str], flags: int = 0) -> List[str]:
        return names(self.numOfDevices(cap, flags), lambda arr, n: lib.virNodeListDevices(
            self._o, enc(cap), arr, n, flags), "virNodeListDevices")

    def nodeDeviceLookupByName(self, name: str) -> virNodeDevice:
        ptr = lib.virNodeDeviceLookupByName(self._o, enc(name))
        if not ptr:
            raise libvirtError("virNodeDeviceLookupByName() failed")
        return virNodeDevice(self, ptr)

    # storage: datastores as pools, their files as volumes
    def _pool(self, ptr: Optional[int], what: str) -> virStoragePool:
        if not ptr:
            raise libvirtError("%s() failed" % what)
        return virStoragePool(self, ptr)

    def listAllStoragePools(self, flags: int = 0) -> List[virStoragePool]:
        """Every datastore matching libvirt's filter flags, with its info: 1 round trip."""
        return handles(lambda p: virStoragePool(self, p), lambda out: lib.virConnectListAllStoragePools(
            self._o, out, flags), "virConnectListAllStoragePools")

    def numOfStoragePools(self) -> int:
        return check(lib.virConnectNumOfStoragePools(self._o), "virConnectNumOfStoragePools")

    def listStoragePools(self) -> List[str]:
        return names(self.numOfStoragePools(), lambda arr, n: lib.virConnectListStoragePools(
            self._o, arr, n), "virConnectListStoragePools")

    def numOfDefinedStoragePools(self) -> int:
        return check(lib.virConnectNumOfDefinedStoragePools(self._o),
                     "virConnectNumOfDefinedStoragePools")

    def listDefinedStoragePools(self) -> List[str]:
        return names(self.numOfDefinedStoragePools(), lambda arr, n:
                     lib.virConnectListDefinedStoragePools(self._o, arr, n),
                     "virConnectListDefinedStoragePools")

    def storagePoolLookupByName(self, name: str) -> virStoragePool:
        return self._pool(lib.virStoragePoolLookupByName(self._o, enc(name)),
                          "virStoragePoolLookupByName")

    def storagePoolLookupByTargetPath(self, path: str) -> virStoragePool:
        return self._pool(lib.virStoragePoolLookupByTargetPath(self._o, enc(path)),
                          "virStoragePoolLookupByTargetPath")

    def storagePoolLookupByUUID(self, uuid: bytes) -> virStoragePool:
        return self._pool(lib.virStoragePoolLookupByUUID(self._o, uuid), "virStoragePoolLookupByUUID")

    def storagePoolLookupByUUIDString(self, uuidstr: str) -> virStoragePool:
        return self._pool(lib.virStoragePoolLookupByUUIDString(self._o, enc(uuidstr)),
                          "virStoragePoolLookupByUUIDString")

    def storagePoolCreateXML(self, xmlDesc: str, flags: int = 0) -> virStoragePool:
        """Mounts the NFS share of a type='netfs' pool as a datastore of the host."""
        return self._pool(lib.virStoragePoolCreateXML(self._o, enc(xmlDesc), flags),
                          "virStoragePoolCreateXML")

    def storagePoolDefineXML(self, xml: str, flags: int = 0) -> virStoragePool:
        return self._pool(lib.virStoragePoolDefineXML(self._o, enc(xml), flags),
                          "virStoragePoolDefineXML")

    def _vol(self, ptr: Optional[int], what: str) -> virStorageVol:
        if not ptr:
            raise libvirtError("%s() failed" % what)
        pool = lib.virStoragePoolLookupByVolume(ptr)
        if not pool:
            lib.virStorageVolFree(ptr)
            raise libvirtError("virStoragePoolLookupByVolume() failed")
        return virStorageVol(virStoragePool(self, pool), ptr)

    def storageVolLookupByPath(self, path: str) -> virStorageVol:
        """`[datastore] dir/file` or `/vmfs/volumes/datastore/dir/file`."""
        return self._vol(lib.virStorageVolLookupByPath(self._o, enc(path)), "virStorageVolLookupByPath")

    def storageVolLookupByKey(self, key: str) -> virStorageVol:
        return self._vol(lib.virStorageVolLookupByKey(self._o, enc(key)), "virStorageVolLookupByKey")

    def newStream(self, flags: int = 0) -> virStream:
        p = lib.virStreamNew(self._o, flags)
        if not p:
            raise libvirtError("virStreamNew() failed")
        return virStream(self, p)

    # domains
    def listAllDomains(self, flags: int = 0) -> List[virDomain]:
        """Every domain matching libvirt's filter flags: 1 round trip for any number of VMs."""
        arr = ctypes.POINTER(ctypes.c_void_p)()
        n = check(lib.virConnectListAllDomains(self._o, ctypes.byref(arr), flags),
                   "virConnectListAllDomains")
        try:
            return [virDomain(self, arr[i]) for i in range(n)]
        finally:
            free(arr)

    def numOfDomains(self) -> int:
        return check(lib.virConnectNumOfDomains(self._o), "virConnectNumOfDomains")

    def listDomainsID(self) -> List[int]:
        n = self.numOfDomains()
        ids = (ctypes.c_int * max(n, 1))()
        got = check(lib.virConnectListDomains(self._o, ids, n), "virConnectListDomains")
        return list(ids[:got])

    def numOfDefinedDomains(self) -> int:
        return check(lib.virConnectNumOfDefinedDomains(self._o), "virConnectNumOfDefinedDomains")

    def listDefinedDomains(self) -> List[str]:
        n = self.numOfDefinedDomains()
        names = (ctypes.c_void_p * max(n, 1))()
        got = check(lib.virConnectListDefinedDomains(self._o, names, n),
                     "virConnectListDefinedDomains")
        return [take_string(names[i]) or "" for i in range(got)]

    def lookupByID(self, id: int) -> virDomain:
        return self._domain(lib.virDomainLookupByID(self._o, id), "virDomainLookupByID")

    def domainEventRegisterAny(self, dom: Optional[virDomain], eventID: int,
                               cb: Callable[..., Any], opaque: Any) -> int:
        """From the event loop, as libvirt-python: LIFECYCLE callbacks get (conn, dom, event,
        detail, opaque), REBOOT (conn, dom, opaque), DEVICE_ADDED / DEVICE_REMOVED (conn,
        dom, alias, opaque), TUNABLE (conn, dom, {name: value}, opaque); other event IDs register and never fire (vSphere cannot produce
        them)."""
        return _event.register(self._event_caller(cb), opaque, lambda key:
                               lib.virConnectDomainEventRegisterAny(
                                   self._o, dom.c_pointer() if dom else None, eventID,
                                   _trampoline(eventID), key, _event._release),
                               "virConnectDomainEventRegisterAny")

    def domainEventDeregisterAny(self, callbackID: int) -> int:
        return check(lib.virConnectDomainEventDeregisterAny(self._o, callbackID),
                     "virConnectDomainEventDeregisterAny")

    def domainEventRegister(self, cb: Callable[..., Any], opaque: Any) -> int:
        """The original lifecycle registration; one per callback."""
        if cb in self._legacy_events():
            raise libvirtError("virConnectDomainEventRegister() failed: callback already tracked")
        self._legacy_events()[cb] = self.domainEventRegisterAny(
            None, _abi.VIR_DOMAIN_EVENT_ID_LIFECYCLE, cb, opaque)
        return 0

    def domainEventDeregister(self, cb: Callable[..., Any]) -> int:
        ident = self._legacy_events().pop(cb, None)
        if ident is None:
            raise libvirtError("virConnectDomainEventDeregister() failed: unknown callback")
        return self.domainEventDeregisterAny(ident)

    def _silent_register(self, register: Any, obj: Any, eventID: int, never: Any,
                         cb: Callable[..., Any], opaque: Any, what: str) -> int:
        """A registration the library keeps (holding cb and opaque) and never fires."""
        return _event.register(cb, opaque, lambda key: register(
            self._o, None if obj is None else obj.c_pointer(), eventID, never, key,
            _event._release), what)

    def networkEventRegisterAny(self, net: Optional[virNetwork], eventID: int,
                                cb: Callable[..., Any], opaque: Any) -> int:
        """LIFECYCLE callbacks get (conn, net, event, detail, opaque) from the event loop when
        a switch is defined or undefined; METADATA_CHANGE registers and never fires."""
        def call(ptr: int, opaque_: Any, *args: Any) -> None:
            lib.virNetworkRef(ptr)
            cb(self, virNetwork(self, ptr), *args, opaque_)
        return _event.register(call, opaque, lambda key: lib.virConnectNetworkEventRegisterAny(
            self._o, net.c_pointer() if net else None, eventID,
            ctypes.cast(_run_network_event, _abi.virConnectNetworkEventGenericCallback),
            key, _event._release), "virConnectNetworkEventRegisterAny")

    def networkEventDeregisterAny(self, callbackID: int) -> int:
        return check(lib.virConnectNetworkEventDeregisterAny(self._o, callbackID),
                     "virConnectNetworkEventDeregisterAny")

    def storagePoolEventRegisterAny(self, pool: Optional[virStoragePool], eventID: int,
                                    cb: Callable[..., Any], opaque: Any) -> int:
        """LIFECYCLE callbacks get (conn, pool, event, detail, opaque) when a datastore is
        mounted or unmounted, REFRESH ones (conn, pool, opaque) when it is refreshed."""
        def call(ptr: int, opaque_: Any, *args: Any) -> None:
            lib.virStoragePoolRef(ptr)
            cb(self, virStoragePool(self, ptr), *args, opaque_)
        tramp = (_run_pool_refresh if eventID == _abi.VIR_STORAGE_POOL_EVENT_ID_REFRESH
                 else ctypes.cast(_run_pool_event, _abi.virConnectStoragePoolEventGenericCallback))
        return _event.register(call, opaque, lambda key: lib.virConnectStoragePoolEventRegisterAny(
            self._o, pool.c_pointer() if pool else None, eventID, tramp, key, _event._release),
            "virConnectStoragePoolEventRegisterAny")

    def storagePoolEventDeregisterAny(self, callbackID: int) -> int:
        return check(lib.virConnectStoragePoolEventDeregisterAny(self._o, callbackID),
                     "virConnectStoragePoolEventDeregisterAny")

    def nodeDeviceEventRegisterAny(self, dev: Any, eventID: int, cb: Callable[..., Any],
                                   opaque: Any) -> int:
        """Registers and never fires: vSphere has no node devices (dev must be None)."""
        return self._silent_register(
            lambda *a: lib.virConnectNodeDeviceEventRegisterAny(*a), dev, eventID,
            _never_node_device, cb, opaque, "virConnectNodeDeviceEventRegisterAny")

    def nodeDeviceEventDeregisterAny(self, callbackID: int) -> int:
        return check(lib.virConnectNodeDeviceEventDeregisterAny(self._o, callbackID),
                     "virConnectNodeDeviceEventDeregisterAny")

    def secretEventRegisterAny(self, secret: Any, eventID: int, cb: Callable[..., Any],
                               opaque: Any) -> int:
        """Registers and never fires: vSphere keeps no secrets (secret must be None)."""
        return self._silent_register(
            lambda *a: lib.virConnectSecretEventRegisterAny(*a), secret, eventID,
            _never_secret, cb, opaque, "virConnectSecretEventRegisterAny")

    def secretEventDeregisterAny(self, callbackID: int) -> int:
        return check(lib.virConnectSecretEventDeregisterAny(self._o, callbackID),
                     "virConnectSecretEventDeregisterAny")

    def _legacy_events(self) -> Dict[Any, int]:
        if not hasattr(self, "_legacy"):
            self._legacy: Dict[Any, int] = {}
        return self._legacy

    def _event_caller(self, cb: Callable[..., Any]) -> Callable[..., Any]:
        """Calls cb with this connection and a domain of its own reference."""
        def call(dom_ptr: int, opaque: Any, *args: Any) -> None:
            lib.virDomainRef(dom_ptr)
            cb(self, virDomain(self, dom_ptr), *args, opaque)
        return call

    def setKeepAlive(self, interval: int, count: int) -> int:
        """A CurrentTime request every interval s of idleness; count failures close."""
        return check(lib.virConnectSetKeepAlive(self._o, interval, count),
                     "virConnectSetKeepAlive")

    def registerCloseCallback(self, cb: Callable[..., Any], opaque: Any) -> int:
        """cb(conn, reason, opaque) from the event loop when the connection closes."""
        return _event.register(lambda reason, o: cb(self, reason, o), opaque, lambda key:
                               lib.virConnectRegisterCloseCallback(self._o, _run_close, key,
                                                                   _event._release),
                               "virConnectRegisterCloseCallback")

    def unregisterCloseCallback(self) -> int:
        return check(lib.virConnectUnregisterCloseCallback(self._o, _run_close),
                     "virConnectUnregisterCloseCallback")

    def getAllDomainStats(self, stats: int = 0, flags: int = 0) -> List[Tuple[virDomain, Dict[str, Any]]]:
        """(domain, statistics) for every domain the flags keep: 1 round trip for all."""
        ret = ctypes.POINTER(_abi.virDomainStatsRecordPtr)()
        n = check(lib.virConnectGetAllDomainStats(self._o, stats, ctypes.byref(ret),
                                                  flags & 0xFFFFFFFF),
                  "virConnectGetAllDomainStats")
        return self._stats_records(ret, n)

    def domainListGetStats(self, doms: Sequence[virDomain], stats: int = 0,
                           flags: int = 0) -> List[Tuple[virDomain, Dict[str, Any]]]:
        arr = (_abi.virDomainPtr * (len(doms) + 1))(*[d.c_pointer() for d in doms], None)
        ret = ctypes.POINTER(_abi.virDomainStatsRecordPtr)()
        n = check(lib.virDomainListGetStats(arr, stats, ctypes.byref(ret), flags & 0xFFFFFFFF),
                  "virDomainListGetStats")
        return self._stats_records(ret, n)

    def _stats_records(self, ret: Any, n: int) -> List[Tuple[virDomain, Dict[str, Any]]]:
        try:
            out = []
            for i in range(n):
                rec = ret[i].contents
                lib.virDomainRef(rec.dom)
                out.append((virDomain(self, rec.dom), _params(rec.params, rec.nparams)))
            return out
        finally:
            lib.virDomainStatsRecordListFree(ret)

    def lookupByName(self, name: str) -> virDomain:
        """1 round trip."""
        return self._domain(lib.virDomainLookupByName(self._o, enc(name)), "virDomainLookupByName")

    def lookupByUUID(self, uuid: bytes) -> virDomain:
        if len(uuid) != _abi.VIR_UUID_BUFLEN:
            raise ValueError("a UUID is %d bytes" % _abi.VIR_UUID_BUFLEN)
        return self._domain(lib.virDomainLookupByUUID(self._o, bytes(uuid)), "virDomainLookupByUUID")

    def lookupByUUIDString(self, uuidstr: str) -> virDomain:
        return self._domain(lib.virDomainLookupByUUIDString(self._o, enc(uuidstr)),
                            "virDomainLookupByUUIDString")

    def createXML(self, xmlDesc: str, flags: int = 0) -> virDomain:
        """Defines and starts a domain (VMware keeps it defined: no VM is transient)."""
        return self._domain(lib.virDomainCreateXML(self._o, enc(xmlDesc), flags),
                            "virDomainCreateXML")

    def createXMLWithFiles(self, xmlDesc: str, files: List[int], flags: int = 0) -> virDomain:
        arr = (ctypes.c_int * max(len(files), 1))(*files)
        return self._domain(lib.virDomainCreateXMLWithFiles(self._o, enc(xmlDesc), len(files), arr,
                                                            flags), "virDomainCreateXMLWithFiles")

    def restore(self, frm: str) -> int:
        """Refused: vSphere saves a VM to its own files (managed save)."""
        return check(lib.virDomainRestore(self._o, enc(frm)), "virDomainRestore")

    def restoreFlags(self, frm: str, dxml: Optional[str] = None, flags: int = 0) -> int:
        return check(lib.virDomainRestoreFlags(self._o, enc(frm), enc(dxml), flags),
                     "virDomainRestoreFlags")

    def defineXML(self, xml: str) -> virDomain:
        """Writes the VMX next to the first disk and registers the VM."""
        return self._domain(lib.virDomainDefineXML(self._o, enc(xml)), "virDomainDefineXML")

    def defineXMLFlags(self, xml: str, flags: int = 0) -> virDomain:
        return self._domain(lib.virDomainDefineXMLFlags(self._o, enc(xml), flags),
                            "virDomainDefineXMLFlags")

    def domainXMLFromNative(self, nativeFormat: str, nativeConfig: Union[str, bytes],
                            flags: int = 0) -> str:
        """nativeConfig may also be a VMX file's bytes as read, in the charset its .encoding
        names (ours: libvirt-python takes text only, which it sends as UTF-8)."""
        if isinstance(nativeConfig, bytes):
            if b"\0" in nativeConfig:
                raise ValueError("embedded null character")
            config = nativeConfig
        else:
            config = enc(nativeConfig)
        return check_string(lib.virConnectDomainXMLFromNative(
            self._o, enc(nativeFormat), config, flags), "virConnectDomainXMLFromNative")

    def domainXMLToNative(self, nativeFormat: str, domainXml: str, flags: int = 0) -> str:
        return check_string(lib.virConnectDomainXMLToNative(
            self._o, enc(nativeFormat), enc(domainXml), flags), "virConnectDomainXMLToNative")


def _node_stats(kind: Any, call: Callable[[Any, Any], int], api: str) -> Dict[str, int]:
    """A virNodeGet*Stats call: asked for its count, then filled."""
    n = ctypes.c_int(0)
    check(call(None, ctypes.byref(n)), api)
    params = (kind * max(n.value, 1))()
    check(call(params, ctypes.byref(n)), api)
    return {dec(p.field): p.value for p in params[:n.value]}
