"""virDomain with libvirt-python's methods and return shapes. A domain answers state queries
from what the last read saw for 2 s, so `listAllDomains()` then `info()` on each costs one
round trip in all; power operations cost 2 (the task is usually done when first read)."""
import ctypes
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from . import _abi
from ._errors import check, check_string, libvirtError, virGetLastError
from ._handle import Handle
from ._lib import cstr, dec, enc, free, lib, names
from ._snapshot import snapshots, virDomainSnapshot, wrap
from ._unsupported import unsupported

if TYPE_CHECKING:
    from ._storage import virStream

UINT_MAX = 0xFFFFFFFF



# The member of a typed parameter's value union that holds each numeric type.
NUMERIC_MEMBERS = {
    _abi.VIR_TYPED_PARAM_INT: "i", _abi.VIR_TYPED_PARAM_UINT: "ui",
    _abi.VIR_TYPED_PARAM_LLONG: "l", _abi.VIR_TYPED_PARAM_ULLONG: "ul",
    _abi.VIR_TYPED_PARAM_DOUBLE: "d",
}


def _params(params: Any, n: int) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for i in range(n):
        p = params[i]
        field = dec(p.field)
        if p.type == _abi.VIR_TYPED_PARAM_STRING:
            out[field] = cstr(p.value.s)
        elif p.type == _abi.VIR_TYPED_PARAM_BOOLEAN:
            out[field] = bool(ord(p.value.b))
        elif p.type in NUMERIC_MEMBERS:
            out[field] = getattr(p.value, NUMERIC_MEMBERS[p.type])
    lib.virTypedParamsClear(params, n)
    return out


# The types of libvirt's VIR_MIGRATE_PARAM_* parameters this driver reads.
_MIGRATE_TYPES = {
    _abi.VIR_MIGRATE_PARAM_URI: _abi.VIR_TYPED_PARAM_STRING,
    _abi.VIR_MIGRATE_PARAM_DEST_NAME: _abi.VIR_TYPED_PARAM_STRING,
    _abi.VIR_MIGRATE_PARAM_DEST_XML: _abi.VIR_TYPED_PARAM_STRING,
    _abi.VIR_MIGRATE_PARAM_BANDWIDTH: _abi.VIR_TYPED_PARAM_ULLONG,
}


# The types of the disk and NIC tuning parameters this driver reads; any other is sent as an
# unsigned long long (the NIC's: unsigned int) for the library to refuse by name.
_TUNING_TYPES = {
    _abi.VIR_DOMAIN_BANDWIDTH_OUT_AVERAGE: _abi.VIR_TYPED_PARAM_UINT,
    _abi.VIR_DOMAIN_BANDWIDTH_IN_FLOOR: _abi.VIR_TYPED_PARAM_UINT,
    _abi.VIR_DOMAIN_BLKIO_WEIGHT: _abi.VIR_TYPED_PARAM_UINT,
    _abi.VIR_DOMAIN_BLKIO_DEVICE_WEIGHT: _abi.VIR_TYPED_PARAM_STRING,
    _abi.VIR_DOMAIN_BLOCK_IOTUNE_TOTAL_IOPS_SEC: _abi.VIR_TYPED_PARAM_ULLONG,
}


def _typed_params(params: Dict[str, Any], types: Dict[str, int],
                  other: Optional[int] = None) -> Tuple[Any, int]:
    """Parameters as C typed parameters of the types named (the array keeps its strings
    alive); a name not in `types` takes the type `other`, or is refused without one."""
    arr = (_abi.virTypedParameter * max(len(params), 1))()
    for i, (field, value) in enumerate(params.items()):
        kind = types.get(field, other)
        if kind is None:
            raise TypeError("unknown parameter %r (known: %s)"
                            % (field, ", ".join(sorted(types))))
        arr[i].field = enc(field)
        arr[i].type = kind
        if kind == _abi.VIR_TYPED_PARAM_STRING:
            arr[i].value.s = enc(value)
        elif kind == _abi.VIR_TYPED_PARAM_UINT:
            arr[i].value.ui = value
        else:
            arr[i].value.ul = value
    return arr, len(params)


def _cpus(raw: bytes, host_cpus: int) -> Tuple[bool, ...]:
    """A CPU map's bytes as a bool per host CPU."""
    return tuple(bool(raw[c // 8] & (1 << (c % 8))) for c in range(host_cpus))


def _cpumap(cpus: Tuple[bool, ...]) -> bytes:
    """A bool per host CPU as a CPU map's bytes."""
    raw = bytearray((len(cpus) + 7) // 8 or 1)
    for c, on in enumerate(cpus):
        if on:
            raw[c // 8] |= 1 << (c % 8)
    return bytes(raw)


def _maximum(flags: int) -> int:
    """The vCPU count flags that ask for the maximum under the same impact flags."""
    return (flags & (_abi.VIR_DOMAIN_AFFECT_LIVE | _abi.VIR_DOMAIN_AFFECT_CONFIG)) \
        | _abi.VIR_DOMAIN_VCPU_MAXIMUM


def _migrate_params(params: Dict[str, Any]) -> Tuple[Any, int]:
    """Migration parameters as C typed parameters."""
    return _typed_params(params, _MIGRATE_TYPES)


@unsupported
class virDomain(Handle):
    """A VM on the connection's host (or vCenter)."""

    _free = staticmethod(lambda o: lib.virDomainFree(o))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, virDomain) and self.UUID() == other.UUID()

    def __hash__(self) -> int:
        return hash(self.UUID())

    def _fail(self, what: str) -> libvirtError:
        return libvirtError("%s() failed" % what)

    # identity
    def name(self) -> str:
        return self._name(lib.virDomainGetName(self._o), "virDomainGetName")

    def ID(self) -> int:
        """libvirt's ID (the managed object's number) while running, -1 otherwise."""
        v = lib.virDomainGetID(self._o)
        return -1 if v == UINT_MAX else v

    def UUID(self) -> bytes:
        return self._uuid(lambda buf: lib.virDomainGetUUID(self._o, buf), "virDomainGetUUID")

    def UUIDString(self) -> str:
        return self._uuid_string(lambda buf: lib.virDomainGetUUIDString(self._o, buf),
                                 "virDomainGetUUIDString")

    def OSType(self) -> str:
        return check_string(lib.virDomainGetOSType(self._o), "virDomainGetOSType")

    # state
    def info(self) -> List[int]:
        """[state, maxMem KiB, memory KiB, nrVirtCpu, cpuTime]; 0 round trips after a listing."""
        i = _abi.virDomainInfo()
        check(lib.virDomainGetInfo(self._o, ctypes.byref(i)), "virDomainGetInfo")
        return [i.state, i.maxMem, i.memory, i.nrVirtCpu, i.cpuTime]

    def state(self, flags: int = 0) -> List[int]:
        """[state, reason]."""
        s, r = ctypes.c_int(), ctypes.c_int()
        check(lib.virDomainGetState(self._o, ctypes.byref(s), ctypes.byref(r), flags),
               "virDomainGetState")
        return [s.value, r.value]

    def isActive(self) -> int:
        return check(lib.virDomainIsActive(self._o), "virDomainIsActive")

    def isPersistent(self) -> int:
        return check(lib.virDomainIsPersistent(self._o), "virDomainIsPersistent")

    def isUpdated(self) -> int:
        return check(lib.virDomainIsUpdated(self._o), "virDomainIsUpdated")

    def maxMemory(self) -> int:
        v = lib.virDomainGetMaxMemory(self._o)
        if v == 0 and virGetLastError() is not None:
            raise self._fail("virDomainGetMaxMemory")
        return v

    def maxVcpus(self) -> int:
        return check(lib.virDomainGetMaxVcpus(self._o), "virDomainGetMaxVcpus")

    def vcpusFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainGetVcpusFlags(self._o, flags), "virDomainGetVcpusFlags")

    def _host_cpus(self) -> int:
        """The host's logical CPUs, as libvirt-python sizes CPU maps (nodes·sockets·cores·threads)."""
        info = self._owner.getInfo()
        return info[4] * info[5] * info[6] * info[7]

    def vcpus(self) -> Tuple[List[Tuple[int, int, int, int]], List[Tuple[bool, ...]]]:
        """([(number, state, cpuTime, cpu)], [per vCPU: a bool per host CPU])."""
        host_cpus = self._host_cpus()
        n = self.info()[3]
        maplen = (host_cpus + 7) // 8
        info = (_abi.virVcpuInfo * max(n, 1))()
        maps = ctypes.create_string_buffer(max(n, 1) * maplen)
        got = check(lib.virDomainGetVcpus(self._o, info, n, maps, maplen), "virDomainGetVcpus")
        return ([(v.number, v.state, v.cpuTime, v.cpu) for v in info[:got]],
                [_cpus(maps.raw[i * maplen:(i + 1) * maplen], host_cpus) for i in range(got)])

    # CPU pinning: vSphere keeps one affinity set for all of a VM's vCPUs and threads.
    def pinVcpu(self, vcpu: int, cpumap: Tuple[bool, ...]) -> int:
        raw = _cpumap(cpumap)
        return check(lib.virDomainPinVcpu(self._o, vcpu, raw, len(raw)), "virDomainPinVcpu")

    def pinVcpuFlags(self, vcpu: int, cpumap: Tuple[bool, ...], flags: int = 0) -> int:
        raw = _cpumap(cpumap)
        return check(lib.virDomainPinVcpuFlags(self._o, vcpu, raw, len(raw), flags),
                     "virDomainPinVcpuFlags")

    def vcpuPinInfo(self, flags: int = 0) -> List[Tuple[bool, ...]]:
        """Per vCPU, a bool per host CPU: the VM's affinity, the same for each."""
        host_cpus, n = self._host_cpus(), self.vcpusFlags(_maximum(flags))
        maplen = (host_cpus + 7) // 8
        maps = ctypes.create_string_buffer(max(n, 1) * maplen)
        got = check(lib.virDomainGetVcpuPinInfo(self._o, n, maps, maplen, flags),
                    "virDomainGetVcpuPinInfo")
        return [_cpus(maps.raw[i * maplen:(i + 1) * maplen], host_cpus) for i in range(got)]

    def pinEmulator(self, cpumap: Tuple[bool, ...], flags: int = 0) -> int:
        raw = _cpumap(cpumap)
        return check(lib.virDomainPinEmulator(self._o, raw, len(raw), flags),
                     "virDomainPinEmulator")

    def emulatorPinInfo(self, flags: int = 0) -> Tuple[bool, ...]:
        host_cpus = self._host_cpus()
        maplen = (host_cpus + 7) // 8
        raw = ctypes.create_string_buffer(maplen)
        check(lib.virDomainGetEmulatorPinInfo(self._o, raw, maplen, flags),
              "virDomainGetEmulatorPinInfo")
        return _cpus(raw.raw, host_cpus)

    def XMLDesc(self, flags: int = 0) -> str:
        """The domain XML from the VMX file: 2–3 round trips."""
        return check_string(lib.virDomainGetXMLDesc(self._o, flags), "virDomainGetXMLDesc")

    # power
    def create(self) -> int:
        return check(lib.virDomainCreate(self._o), "virDomainCreate")

    def createWithFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainCreateWithFlags(self._o, flags), "virDomainCreateWithFlags")

    def suspend(self) -> int:
        return check(lib.virDomainSuspend(self._o), "virDomainSuspend")

    def resume(self) -> int:
        return check(lib.virDomainResume(self._o), "virDomainResume")

    def shutdown(self) -> int:
        return check(lib.virDomainShutdown(self._o), "virDomainShutdown")

    def shutdownFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainShutdownFlags(self._o, flags), "virDomainShutdownFlags")

    def reboot(self, flags: int = 0) -> int:
        return check(lib.virDomainReboot(self._o, flags), "virDomainReboot")

    def reset(self, flags: int = 0) -> int:
        return check(lib.virDomainReset(self._o, flags), "virDomainReset")

    def destroy(self) -> int:
        return check(lib.virDomainDestroy(self._o), "virDomainDestroy")

    def destroyFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainDestroyFlags(self._o, flags), "virDomainDestroyFlags")

    def undefine(self) -> int:
        return check(lib.virDomainUndefine(self._o), "virDomainUndefine")

    def undefineFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainUndefineFlags(self._o, flags), "virDomainUndefineFlags")

    # managed save, rename, metadata
    def managedSave(self, flags: int = 0) -> int:
        """Suspends the VM to its own files; create() resumes it."""
        return check(lib.virDomainManagedSave(self._o, flags), "virDomainManagedSave")

    def hasManagedSaveImage(self, flags: int = 0) -> int:
        return check(lib.virDomainHasManagedSaveImage(self._o, flags),
                     "virDomainHasManagedSaveImage")

    def managedSaveRemove(self, flags: int = 0) -> int:
        return check(lib.virDomainManagedSaveRemove(self._o, flags), "virDomainManagedSaveRemove")

    def save(self, to: str) -> int:
        """Refused: vSphere saves a VM to its own files (managedSave)."""
        return check(lib.virDomainSave(self._o, enc(to)), "virDomainSave")

    def saveFlags(self, to: str, dxml: Optional[str] = None, flags: int = 0) -> int:
        return check(lib.virDomainSaveFlags(self._o, enc(to), enc(dxml), flags),
                     "virDomainSaveFlags")

    def rename(self, new_name: str, flags: int = 0) -> int:
        return check(lib.virDomainRename(self._o, enc(new_name), flags), "virDomainRename")

    def setMetadata(self, type: int, metadata: Optional[str], key: Optional[str],
                    uri: Optional[str], flags: int = 0) -> int:
        """DESCRIPTION: the VM's annotation; ELEMENT: an extraConfig entry per namespace."""
        return check(lib.virDomainSetMetadata(self._o, type, enc(metadata), enc(key), enc(uri),
                                              flags), "virDomainSetMetadata")

    def metadata(self, type: int, uri: Optional[str], flags: int = 0) -> str:
        return check_string(lib.virDomainGetMetadata(self._o, type, enc(uri), flags),
                            "virDomainGetMetadata")

    def getCPUStats(self, total: bool, flags: int = 0) -> List[Dict[str, Any]]:
        """[{"cpu_time", "user_time", "system_time": ns}] for total=True (cumulative from
        PerformanceManager's samples); vSphere has no per-CPU time of a VM, so total=False
        raises."""
        start, ncpus = (-1, 1) if total else (0, 0)
        n = check(lib.virDomainGetCPUStats(self._o, None, 0, start, ncpus, flags),
                  "virDomainGetCPUStats")
        params = (_abi.virTypedParameter * max(n, 1))()
        got = check(lib.virDomainGetCPUStats(self._o, params, n, start, ncpus, flags),
                    "virDomainGetCPUStats")
        return [_params(params, got)]

    def memoryStats(self) -> Dict[str, int]:
        """{"actual", "available", "unused", "rss"} in KiB of a running domain (quickStats)."""
        names = {_abi.VIR_DOMAIN_MEMORY_STAT_UNUSED: "unused",
                 _abi.VIR_DOMAIN_MEMORY_STAT_AVAILABLE: "available",
                 _abi.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON: "actual",
                 _abi.VIR_DOMAIN_MEMORY_STAT_RSS: "rss"}
        stats = (_abi.virDomainMemoryStatStruct * _abi.VIR_DOMAIN_MEMORY_STAT_NR)()
        got = check(lib.virDomainMemoryStats(self._o, stats, len(stats), 0),
                    "virDomainMemoryStats")
        return {names.get(s.tag, str(s.tag)): s.val for s in stats[:got]}

    def blockStats(self, path: str) -> Tuple[int, int, int, int, int]:
        """(rd_req, rd_bytes, wr_req, wr_bytes, errs) of a disk by target or file ("" all)."""
        st = _abi.virDomainBlockStatsStruct()
        check(lib.virDomainBlockStats(self._o, enc(path), ctypes.byref(st), ctypes.sizeof(st)),
              "virDomainBlockStats")
        return (st.rd_req, st.rd_bytes, st.wr_req, st.wr_bytes, st.errs)

    def blockStatsFlags(self, path: str, flags: int = 0) -> Dict[str, int]:
        """{"rd_operations", "rd_bytes", "wr_operations", "wr_bytes"}."""
        n = ctypes.c_int(0)
        check(lib.virDomainBlockStatsFlags(self._o, enc(path), None, ctypes.byref(n), flags),
              "virDomainBlockStatsFlags")
        params = (_abi.virTypedParameter * max(n.value, 1))()
        check(lib.virDomainBlockStatsFlags(self._o, enc(path), params, ctypes.byref(n), flags),
              "virDomainBlockStatsFlags")
        return _params(params, n.value)

    def interfaceStats(self, path: str) -> Tuple[int, int, int, int, int, int, int, int]:
        """(rx_bytes, rx_packets, rx_errs, rx_drop, tx_bytes, tx_packets, tx_errs, tx_drop)
        of the NIC with this MAC address."""
        st = _abi.virDomainInterfaceStatsStruct()
        check(lib.virDomainInterfaceStats(self._o, enc(path), ctypes.byref(st),
                                          ctypes.sizeof(st)), "virDomainInterfaceStats")
        return (st.rx_bytes, st.rx_packets, st.rx_errs, st.rx_drop,
                st.tx_bytes, st.tx_packets, st.tx_errs, st.tx_drop)

    def screenshot(self, stream: "virStream", screen: int, flags: int = 0) -> str:
        """The console's PNG follows on stream; returns its MIME type."""
        return check_string(lib.virDomainScreenshot(self._o, stream.c_pointer(), screen, flags),
                            "virDomainScreenshot")

    def openConsole(self, dev_name: Optional[str], st: "virStream", flags: int = 0) -> int:
        """Binds st to the network-backed serial port dev_name (None: the first console)."""
        return check(lib.virDomainOpenConsole(self._o, None if dev_name is None else enc(dev_name),
                                              st.c_pointer(), flags), "virDomainOpenConsole")

    def diskErrors(self, flags: int = 0) -> Dict[str, int]:
        """vSphere reports no disk I/O errors: always empty."""
        check(lib.virDomainGetDiskErrors(self._o, None, 0, flags), "virDomainGetDiskErrors")
        return {}

    # devices
    def attachDevice(self, xml: str) -> int:
        """One NIC added to the running domain (a change vSphere also keeps)."""
        return check(lib.virDomainAttachDevice(self._o, enc(xml)), "virDomainAttachDevice")

    def attachDeviceFlags(self, xml: str, flags: int = 0) -> int:
        return check(lib.virDomainAttachDeviceFlags(self._o, enc(xml), flags),
                     "virDomainAttachDeviceFlags")

    def detachDevice(self, xml: str) -> int:
        return check(lib.virDomainDetachDevice(self._o, enc(xml)), "virDomainDetachDevice")

    def detachDeviceFlags(self, xml: str, flags: int = 0) -> int:
        return check(lib.virDomainDetachDeviceFlags(self._o, enc(xml), flags),
                     "virDomainDetachDeviceFlags")

    def updateDeviceFlags(self, xml: str, flags: int = 0) -> int:
        """A CD-ROM's or floppy's media, or a NIC's port group or link state."""
        return check(lib.virDomainUpdateDeviceFlags(self._o, enc(xml), flags),
                     "virDomainUpdateDeviceFlags")

    def detachDeviceAlias(self, alias: str, flags: int = 0) -> int:
        """The device whose vSphere label (`Network adapter 2`, `Hard disk 1`) is alias."""
        return check(lib.virDomainDetachDeviceAlias(self._o, enc(alias), flags),
                     "virDomainDetachDeviceAlias")

    # tuning
    def setMemory(self, memory: int) -> int:
        return check(lib.virDomainSetMemory(self._o, memory), "virDomainSetMemory")

    def setMaxMemory(self, memory: int) -> int:
        return check(lib.virDomainSetMaxMemory(self._o, memory), "virDomainSetMaxMemory")

    def setMemoryFlags(self, memory: int, flags: int = 0) -> int:
        return check(lib.virDomainSetMemoryFlags(self._o, memory, flags), "virDomainSetMemoryFlags")

    def setVcpus(self, nvcpus: int) -> int:
        return check(lib.virDomainSetVcpus(self._o, nvcpus), "virDomainSetVcpus")

    def setVcpusFlags(self, nvcpus: int, flags: int = 0) -> int:
        return check(lib.virDomainSetVcpusFlags(self._o, nvcpus, flags), "virDomainSetVcpusFlags")

    def autostart(self) -> int:
        v = ctypes.c_int()
        check(lib.virDomainGetAutostart(self._o, ctypes.byref(v)), "virDomainGetAutostart")
        return v.value

    def setAutostart(self, autostart: int) -> int:
        return check(lib.virDomainSetAutostart(self._o, autostart), "virDomainSetAutostart")

    def schedulerType(self) -> List[Any]:
        """[name, nparams]: ["allocation", 3]."""
        n = ctypes.c_int()
        name = check_string(lib.virDomainGetSchedulerType(self._o, ctypes.byref(n)),
                            "virDomainGetSchedulerType")
        return [name, n.value]

    def _read_sched(self, get: Any, what: str) -> Any:
        n = ctypes.c_int(self.schedulerType()[1])
        params = (_abi.virTypedParameter * max(n.value, 1))()
        check(get(params, ctypes.byref(n)), what)
        return params, n.value

    def schedulerParametersFlags(self, flags: int = 0) -> Dict[str, Any]:
        """{"reservation": MHz, "limit": MHz or -1, "shares": n or -1/-2/-3}: 1 round trip."""
        get = lambda p, n: lib.virDomainGetSchedulerParametersFlags(self._o, p, n, flags)  # noqa: E731
        return _params(*self._read_sched(get, "virDomainGetSchedulerParametersFlags"))

    def schedulerParameters(self) -> Dict[str, Any]:
        get = lambda p, n: lib.virDomainGetSchedulerParameters(self._o, p, n)  # noqa: E731
        return _params(*self._read_sched(get, "virDomainGetSchedulerParameters"))

    def memoryParameters(self, flags: int = 0) -> Dict[str, Any]:
        """{"hard_limit": KiB (the limit), "min_guarantee": KiB (the reservation)}."""
        return self._get_params(lib.virDomainGetMemoryParameters, "virDomainGetMemoryParameters", flags)

    def setMemoryParameters(self, params: Dict[str, int], flags: int = 0) -> int:
        """Both parameters are unsigned long long KiB (VIR_DOMAIN_MEMORY_PARAM_UNLIMITED: none)."""
        out = (_abi.virTypedParameter * max(len(params), 1))()
        for i, (field, value) in enumerate(params.items()):
            out[i].field = enc(field)
            out[i].type = _abi.VIR_TYPED_PARAM_ULLONG
            out[i].value.ul = value
        return check(lib.virDomainSetMemoryParameters(self._o, out, len(params), flags),
                     "virDomainSetMemoryParameters")

    def _get_params(self, fn: Any, call: str, *args: Any) -> Dict[str, Any]:
        """A getter of libvirt's two-call shape: ask how many, then read them."""
        n = ctypes.c_int(0)
        check(fn(self._o, *args[:-1], None, ctypes.byref(n), args[-1]), call)
        params = (_abi.virTypedParameter * max(n.value, 1))()
        check(fn(self._o, *args[:-1], params, ctypes.byref(n), args[-1]), call)
        return _params(params, n.value)

    def openGraphicsFD(self, idx: int, flags: int = 0) -> int:
        """A socket (fd) connected to the VM's VNC server; the caller closes it."""
        return check(lib.virDomainOpenGraphicsFD(self._o, idx, flags), "virDomainOpenGraphicsFD")

    def openGraphics(self, idx: int, fd: int, flags: int = 0) -> int:
        """Joins fd (kept by the caller) to the VM's VNC server."""
        return check(lib.virDomainOpenGraphics(self._o, idx, fd, flags), "virDomainOpenGraphics")

    def sendKey(self, codeset: int, holdtime: int, keycodes: List[int], nkeycodes: int,
                flags: int = 0) -> int:
        """Presses the keys (codes of `codeset`) together on the console (PutUsbScanCodes),
        then waits holdtime ms."""
        codes = (ctypes.c_uint * max(nkeycodes, 1))(*keycodes[:nkeycodes])
        return check(lib.virDomainSendKey(self._o, codeset, holdtime, codes, nkeycodes, flags),
                     "virDomainSendKey")

    def interfaceParameters(self, device: str, flags: int = 0) -> Dict[str, Any]:
        """{"outbound.average": the NIC's limit, "inbound.floor": its reservation} (KiB/s)."""
        return self._get_params(lib.virDomainGetInterfaceParameters,
                                "virDomainGetInterfaceParameters", enc(device), flags)

    def setInterfaceParameters(self, device: str, params: Dict[str, Any], flags: int = 0) -> int:
        arr, n = _typed_params(params, _TUNING_TYPES, _abi.VIR_TYPED_PARAM_UINT)
        return check(lib.virDomainSetInterfaceParameters(self._o, enc(device), arr, n, flags),
                     "virDomainSetInterfaceParameters")

    def blockResize(self, disk: str, size: int, flags: int = 0) -> int:
        """Grows the disk (by target or file) to size KiB (bytes with
        VIR_DOMAIN_BLOCK_RESIZE_BYTES); vSphere cannot shrink one."""
        return check(lib.virDomainBlockResize(self._o, enc(disk), size, flags),
                     "virDomainBlockResize")

    def blockIoTune(self, disk: str, flags: int = 0) -> Dict[str, Any]:
        """{"total_iops_sec": the disk's IOPS limit, 0 for none}."""
        return self._get_params(lib.virDomainGetBlockIoTune, "virDomainGetBlockIoTune", enc(disk), flags)

    def setBlockIoTune(self, disk: str, params: Dict[str, Any], flags: int = 0) -> int:
        arr, n = _typed_params(params, _TUNING_TYPES, _abi.VIR_TYPED_PARAM_ULLONG)
        return check(lib.virDomainSetBlockIoTune(self._o, enc(disk), arr, n, flags),
                     "virDomainSetBlockIoTune")

    def blkioParameters(self, flags: int = 0) -> Dict[str, Any]:
        """{"weight": 100-1000, "device_weight": "sda,500,..."}: the disks' shares / 2."""
        return self._get_params(lib.virDomainGetBlkioParameters, "virDomainGetBlkioParameters", flags)

    def setBlkioParameters(self, params: Dict[str, Any], flags: int = 0) -> int:
        arr, n = _typed_params(params, _TUNING_TYPES, _abi.VIR_TYPED_PARAM_ULLONG)
        return check(lib.virDomainSetBlkioParameters(self._o, arr, n, flags),
                     "virDomainSetBlkioParameters")

    def blockInfo(self, path: str, flags: int = 0) -> List[int]:
        """[capacity, allocation, physical] in bytes of the disk by target or file."""
        info = _abi.virDomainBlockInfo()
        check(lib.virDomainGetBlockInfo(self._o, enc(path), ctypes.byref(info), flags),
              "virDomainGetBlockInfo")
        return [info.capacity, info.allocation, info.physical]

    def controlInfo(self, flags: int = 0) -> List[int]:
        """[state, details, stateTime]: VIR_DOMAIN_CONTROL_JOB while a task runs on the VM."""
        info = _abi.virDomainControlInfo()
        check(lib.virDomainGetControlInfo(self._o, ctypes.byref(info), flags),
              "virDomainGetControlInfo")
        return [info.state, info.details, info.stateTime]

    def _typed(self, params: Dict[str, Any]) -> Any:
        """`params` as C's typed parameters, with the types the domain reports for them (as
        libvirt-python does, one read to learn them)."""
        get = lambda p, n: lib.virDomainGetSchedulerParameters(self._o, p, n)  # noqa: E731
        known, n = self._read_sched(get, "virDomainGetSchedulerParameters")
        types = {dec(known[i].field): known[i].type for i in range(n)}
        lib.virTypedParamsClear(known, n)
        out = (_abi.virTypedParameter * max(len(params), 1))()
        for i, (field, value) in enumerate(params.items()):
            if types.get(field) not in NUMERIC_MEMBERS:
                raise TypeError("unknown scheduler parameter %r (known: %s)"
                                % (field, ", ".join(sorted(types))))
            out[i].field = enc(field)
            out[i].type = types[field]
            setattr(out[i].value, NUMERIC_MEMBERS[types[field]], value)
        return out

    def setSchedulerParametersFlags(self, params: Dict[str, Any], flags: int = 0) -> int:
        """Sets the given parameters (2 round trips: one to learn their types)."""
        return check(lib.virDomainSetSchedulerParametersFlags(
            self._o, self._typed(params), len(params), flags), "virDomainSetSchedulerParametersFlags")

    def setSchedulerParameters(self, params: Dict[str, Any]) -> int:
        return check(lib.virDomainSetSchedulerParameters(self._o, self._typed(params), len(params)),
                      "virDomainSetSchedulerParameters")

    # migration (through the vCenter both connections reach; see the README)
    def migrate(self, dconn: Any, flags: int = 0, dname: Optional[str] = None,
                uri: Optional[str] = None, bandwidth: int = 0) -> "virDomain":
        """Moves the domain to dconn's host, cluster or datacenter: the domain there."""
        ptr = lib.virDomainMigrate(self._o, dconn.c_pointer(), flags, enc(dname), enc(uri), bandwidth)
        return dconn._domain(ptr, "virDomainMigrate")

    def migrate2(self, dconn: Any, dxml: Optional[str] = None, flags: int = 0,
                 dname: Optional[str] = None, uri: Optional[str] = None,
                 bandwidth: int = 0) -> "virDomain":
        ptr = lib.virDomainMigrate2(self._o, dconn.c_pointer(), enc(dxml), flags, enc(dname),
                                    enc(uri), bandwidth)
        return dconn._domain(ptr, "virDomainMigrate2")

    def migrate3(self, dconn: Any, params: Dict[str, Any], flags: int = 0) -> "virDomain":
        arr, n = _migrate_params(params)
        ptr = lib.virDomainMigrate3(self._o, dconn.c_pointer(), arr, n, flags)
        return dconn._domain(ptr, "virDomainMigrate3")

    def migrateToURI(self, duri: str, flags: int = 0, dname: Optional[str] = None,
                     bandwidth: int = 0) -> int:
        """Peer to peer (VIR_MIGRATE_PEER2PEER): the library opens duri with this
        connection's credentials callback."""
        return check(lib.virDomainMigrateToURI(self._o, enc(duri), flags, enc(dname), bandwidth),
                     "virDomainMigrateToURI")

    def migrateToURI2(self, dconnuri: Optional[str] = None, miguri: Optional[str] = None,
                      dxml: Optional[str] = None, flags: int = 0, dname: Optional[str] = None,
                      bandwidth: int = 0) -> int:
        return check(lib.virDomainMigrateToURI2(self._o, enc(dconnuri), enc(miguri), enc(dxml),
                                                flags, enc(dname), bandwidth),
                     "virDomainMigrateToURI2")

    def migrateToURI3(self, dconnuri: str, params: Dict[str, Any], flags: int = 0) -> int:
        arr, n = _migrate_params(params)
        return check(lib.virDomainMigrateToURI3(self._o, enc(dconnuri), arr, n, flags),
                     "virDomainMigrateToURI3")

    # the running job (a migration in another thread)
    def jobInfo(self) -> List[int]:
        """[type, timeElapsed ms, timeRemaining, dataTotal, dataProcessed, dataRemaining, mem×3,
        file×3]; data is the task's percent done out of 100. 1 round trip while a job runs."""
        info = _abi.virDomainJobInfo()
        check(lib.virDomainGetJobInfo(self._o, ctypes.byref(info)), "virDomainGetJobInfo")
        return [getattr(info, f) for f, _ in _abi.virDomainJobInfo._fields_]

    def jobStats(self, flags: int = 0) -> Dict[str, Any]:
        """{"type": VIR_DOMAIN_JOB_*, "operation", "time_elapsed", "data_*"}."""
        kind, n = ctypes.c_int(), ctypes.c_int()
        params = _abi.virTypedParameterPtr()
        check(lib.virDomainGetJobStats(self._o, ctypes.byref(kind), ctypes.byref(params),
                                       ctypes.byref(n), flags), "virDomainGetJobStats")
        out = _params(params, n.value) if n.value else {}
        free(params)
        out["type"] = kind.value
        return out

    def abortJob(self) -> int:
        return check(lib.virDomainAbortJob(self._o), "virDomainAbortJob")

    def abortJobFlags(self, flags: int = 0) -> int:
        return check(lib.virDomainAbortJobFlags(self._o, flags), "virDomainAbortJobFlags")

    # snapshots: each query reads the snapshot tree once
    def snapshotCreateXML(self, xmlDesc: str, flags: int = 0) -> virDomainSnapshot:
        return wrap(self, lib.virDomainSnapshotCreateXML(self._o, enc(xmlDesc), flags),
                    "virDomainSnapshotCreateXML")

    def snapshotNum(self, flags: int = 0) -> int:
        return check(lib.virDomainSnapshotNum(self._o, flags), "virDomainSnapshotNum")

    def snapshotListNames(self, flags: int = 0) -> List[str]:
        return names(self.snapshotNum(flags), lambda arr, n: lib.virDomainSnapshotListNames(
            self._o, arr, n, flags), "virDomainSnapshotListNames")

    def listAllSnapshots(self, flags: int = 0) -> List[virDomainSnapshot]:
        return snapshots(self, lambda out: lib.virDomainListAllSnapshots(self._o, out, flags),
                         "virDomainListAllSnapshots")

    def snapshotLookupByName(self, name: str, flags: int = 0) -> virDomainSnapshot:
        return wrap(self, lib.virDomainSnapshotLookupByName(self._o, enc(name), flags),
                    "virDomainSnapshotLookupByName")

    def hasCurrentSnapshot(self, flags: int = 0) -> int:
        return check(lib.virDomainHasCurrentSnapshot(self._o, flags), "virDomainHasCurrentSnapshot")

    def snapshotCurrent(self, flags: int = 0) -> virDomainSnapshot:
        return wrap(self, lib.virDomainSnapshotCurrent(self._o, flags), "virDomainSnapshotCurrent")

    def revertToSnapshot(self, snap: virDomainSnapshot, flags: int = 0) -> int:
        return check(lib.virDomainRevertToSnapshot(snap.c_pointer(), flags),
                     "virDomainRevertToSnapshot")

    # guest (VMware Tools)
    def hostname(self, flags: int = 0) -> str:
        return check_string(lib.virDomainGetHostname(self._o, flags), "virDomainGetHostname")

    def guestInfo(self, types: int = 0, flags: int = 0) -> Dict[str, Any]:
        """What VMware Tools report of the running guest, in libvirt's keys ("os.id",
        "hostname", "fs.0.mountpoint", "if.0.addr.0.addr", ...); types 0 for every group."""
        n = ctypes.c_int()
        params = _abi.virTypedParameterPtr()
        check(lib.virDomainGetGuestInfo(self._o, types, ctypes.byref(params), ctypes.byref(n),
                                        flags), "virDomainGetGuestInfo")
        out = _params(params, n.value)
        free(params)
        return out

    def fsInfo(self, flags: int = 0) -> List[Tuple[str, str, str, List[str]]]:
        """[(mountpoint, name, fstype, [disk targets])] as VMware Tools report them."""
        info = ctypes.POINTER(_abi.virDomainFSInfoPtr)()
        n = check(lib.virDomainGetFSInfo(self._o, ctypes.byref(info), flags), "virDomainGetFSInfo")
        out = []
        try:
            for i in range(n):
                it = info[i].contents
                aliases = [cstr(it.devAlias[j]) or "" for j in range(it.ndevAlias)]
                out.append((cstr(it.mountpoint) or "", cstr(it.name) or "",
                            cstr(it.fstype) or "", aliases))
        finally:
            for i in range(n):
                lib.virDomainFSInfoFree(info[i])
            free(info)
        return out

    def interfaceAddresses(self, source: int, flags: int = 0) -> Dict[str, Dict[str, Any]]:
        """{name: {"hwaddr": mac, "addrs": [{"type", "addr", "prefix"}]}} as VMware Tools sees them."""
        ifaces = ctypes.POINTER(ctypes.POINTER(_abi.virDomainInterface))()
        n = check(lib.virDomainInterfaceAddresses(self._o, ctypes.byref(ifaces), source, flags),
                   "virDomainInterfaceAddresses")
        out: Dict[str, Dict[str, Any]] = {}
        try:
            for i in range(n):
                it = ifaces[i].contents
                addrs = [{"type": it.addrs[j].type, "addr": cstr(it.addrs[j].addr),
                          "prefix": it.addrs[j].prefix} for j in range(it.naddrs)]
                out[cstr(it.name) or ""] = {"hwaddr": cstr(it.hwaddr), "addrs": addrs}
        finally:
            for i in range(n):
                lib.virDomainInterfaceFree(ifaces[i])
            free(ifaces)
        return out
