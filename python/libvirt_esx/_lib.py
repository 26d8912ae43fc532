"""Loads the library ($LIBVIRT_ESX_LIBRARY, the one bundled in this package, or the system's) and
gives every export the ctypes prototype generated from the header; plus the helpers that take
ownership of what C hands over (strings and arrays are freed as soon as Python has copied them)."""
import ctypes
import os
from pathlib import Path
from typing import Optional

from . import _abi


# The system's library, by its soname, where the package bundles none.
SYSTEM_LIBRARY = "libvirt_esx.so.0"


def _find() -> str:
    given = os.environ.get("LIBVIRT_ESX_LIBRARY")
    if given:
        return given
    here = Path(__file__).resolve().parent
    found = sorted(here.glob("_native*.so")) + sorted(here.glob("_native*.dylib"))
    # A distribution's package (python3-libvirt-esx) bundles none: the system's library.
    return str(found[0]) if found else SYSTEM_LIBRARY


def _load() -> ctypes.CDLL:
    # CDLL, not PyDLL: every call releases the GIL, so threads run calls in parallel.
    path = _find()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "libvirt_esx: cannot load %s (%s); install libvirt-esx0, reinstall the package, or "
            "set LIBVIRT_ESX_LIBRARY to a libvirt_esx.so" % (path, e)
        ) from e
    for name, (restype, argtypes) in _abi.FUNCTIONS.items():
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = argtypes
    return lib


lib = _load()
# As libvirt-python does on import.
lib.virInitialize()

# libvirt-python takes and gives typed parameters as dicts and has no method for these C helpers.
TYPED_PARAMS_HELPER = "a C helper for building parameter arrays; Python passes dicts"
# Frees an array that only an unsupported call (a NO_SUPPORT export) would hand over.
FREES_UNSUPPORTED = "frees what only an unsupported call would return"
# The package mirrors libvirt-python 9.0; these came with later libvirt releases.
NEWER = "libvirt-python 9.0 has no method for it: later libvirt API"
# Exports libvirt-python does not offer either, and why: the objects own their references.
NOT_WRAPPED = {
    "virConnectDomainEventRegister": "domainEventRegister registers through RegisterAny: the "
    "library tracks these callbacks by C function, and Python's share one trampoline",
    "virConnectDomainEventDeregister": "as virConnectDomainEventRegister",
    "virConnectRef": "a Python object holds one reference; copies share it",
    "virCopyLastError": "libvirtError and virGetLastError() copy the error into Python",
    "virSaveLastError": "as virCopyLastError",
    "virFreeError": "no virError is handed to Python",
    "virResetError": "as virFreeError",
    "virDefaultErrorFunc": "registerErrorHandler(None, None) restores the default",
    "virConnSetErrorFunc": "libvirt-python has the process-wide registerErrorHandler only",
    "virConnCopyLastError": "virConnect.virConnGetLastError() copies it",
    "virDomainGetConnect": "virDomain.connect() returns the Python connection it came from",
    "virDomainSnapshotRef": "as virConnectRef",
    "virDomainSnapshotGetDomain": "virDomainSnapshot.getDomain() returns the Python domain it came from",
    "virDomainSnapshotGetConnect": "virDomainSnapshot.getConnect() returns that domain's connection",
    "virStorageVolRef": "as virConnectRef",
    "virStreamRef": "as virConnectRef",
    "virStoragePoolGetConnect": "virStoragePool.connect() returns the Python connection",
    "virStorageVolGetConnect": "virStorageVol.connect() returns the Python connection",
    "virStreamSendAll": "virStream.sendAll works over send(), as libvirt-python's does",
    "virStreamRecvAll": "virStream.recvAll works over recv(), as libvirt-python's does",
    "virInterfaceRef": "as virConnectRef",
    "virNetworkGetConnect": "virNetwork.connect() returns the Python connection",
    "virInterfaceGetConnect": "virInterface.connect() returns the Python connection",
    "virDomainCheckpointRef": "as virConnectRef",
    "virNWFilterRef": "as virConnectRef",
    "virNWFilterBindingRef": "as virConnectRef",
    "virNetworkPortRef": "as virConnectRef",
    "virNodeDeviceRef": "as virConnectRef",
    "virSecretRef": "as virConnectRef",
    "virDomainCheckpointGetDomain": "virDomainCheckpoint.getDomain() returns the Python domain",
    "virDomainCheckpointGetConnect": "virDomainCheckpoint.getConnect() returns its connection",
    "virNetworkPortGetNetwork": "virNetworkPort.network() returns the Python network",
    "virSecretGetConnect": "virSecret.connect() returns the Python connection",
    "virDomainIOThreadInfoFree": FREES_UNSUPPORTED,
    "virNetworkDHCPLeaseFree": FREES_UNSUPPORTED,
    "virStreamSparseSendAll": "virStream.sparseSendAll works over sendHole, as libvirt-python's",
    "virStreamSparseRecvAll": "virStream.sparseRecvAll works over recvHole, as libvirt-python's",
    "virDomainGetAutostartOnce": NEWER,
    "virDomainSetAutostartOnce": NEWER,
    "virDomainSetThrottleGroup": NEWER,
    "virDomainDelThrottleGroup": NEWER,
    "virDomainGraphicsReload": NEWER,
    "virNetworkGetMetadata": NEWER,
    "virNetworkSetMetadata": NEWER,
    "virNodeDeviceUpdate": NEWER,
    "virTypedParamsFree": "Python owns its parameter arrays; virTypedParamsClear frees their strings",
    "virTypedParamsAddInt": TYPED_PARAMS_HELPER,
    "virTypedParamsGetInt": TYPED_PARAMS_HELPER,
    "virTypedParamsAddUInt": TYPED_PARAMS_HELPER,
    "virTypedParamsGetUInt": TYPED_PARAMS_HELPER,
    "virTypedParamsAddLLong": TYPED_PARAMS_HELPER,
    "virTypedParamsGetLLong": TYPED_PARAMS_HELPER,
    "virTypedParamsAddULLong": TYPED_PARAMS_HELPER,
    "virTypedParamsGetULLong": TYPED_PARAMS_HELPER,
    "virTypedParamsAddDouble": TYPED_PARAMS_HELPER,
    "virTypedParamsGetDouble": TYPED_PARAMS_HELPER,
    "virTypedParamsAddBoolean": TYPED_PARAMS_HELPER,
    "virTypedParamsGetBoolean": TYPED_PARAMS_HELPER,
    "virTypedParamsAddString": TYPED_PARAMS_HELPER,
    "virTypedParamsGetString": TYPED_PARAMS_HELPER,
    "virTypedParamsAddStringList": TYPED_PARAMS_HELPER,
    "virTypedParamsAddFromString": TYPED_PARAMS_HELPER,
    "virTypedParamsGet": TYPED_PARAMS_HELPER,
}
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None
_libc.strdup.argtypes = [ctypes.c_char_p]
_libc.strdup.restype = ctypes.c_void_p


def free(p) -> None:
    """Frees memory the library malloc'd for the caller."""
    _libc.free(p)


def strdup(value: bytes) -> int:
    """A malloc'd copy that the library frees (auth callback answers)."""
    return _libc.strdup(value)


def enc(s: Optional[str]) -> Optional[bytes]:
    """A str argument for C; an embedded NUL would silently cut it, so it is refused."""
    if s is None:
        return None
    if "\0" in s:
        raise ValueError("embedded null character")
    return s.encode("utf-8")


def dec(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode("utf-8", "replace")


def cstr(v) -> Optional[str]:
    """A C string field or union member (bytes, an address, or NULL) as text."""
    if not v:
        return None
    return dec(v if isinstance(v, bytes) else ctypes.string_at(v))


def take_string(p: Optional[int]) -> Optional[str]:
    """A string the library returned for the caller to free: copied, then freed."""
    if not p:
        return None
    try:
        return dec(ctypes.string_at(p))
    finally:
        free(p)


def names(n: int, call, what: str) -> list:
    """A List*Names-style call's names (up to n, each copied and freed)."""
    from ._errors import check
    arr = (ctypes.c_void_p * max(n, 1))()
    got = check(call(arr, n), what)
    return [take_string(arr[i]) or "" for i in range(got)]


def handles(make, call, what: str) -> list:
    """A ListAll-style call's new handles (each wrapped by make), the array freed."""
    from ._errors import check
    arr = ctypes.POINTER(ctypes.c_void_p)()
    n = check(call(ctypes.byref(arr)), what)
    try:
        return [make(arr[i]) for i in range(n)]
    finally:
        free(arr)
