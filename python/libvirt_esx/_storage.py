"""virStoragePool, virStorageVol and virStream with libvirt-python's methods and return shapes.
Listing pools (with their info) is 1 round trip; listing a pool's volumes one datastore search;
stream data moves piece by piece between Python and the datastore's HTTP interface."""
import ctypes
from typing import Any, Callable, List, Optional, Union

from . import _abi, _event
from ._errors import check, check_string, libvirtError
from ._handle import Handle, OwnedHandle
from ._lib import dec, enc, handles, lib, names
from ._unsupported import unsupported


class virStoragePool(Handle):
    """A datastore: always active, persistent and mounted at boot."""

    _free = staticmethod(lambda o: lib.virStoragePoolFree(o))

    def name(self) -> str:
        return self._name(lib.virStoragePoolGetName(self._o), "virStoragePoolGetName")

    def UUID(self) -> bytes:
        return self._uuid(lambda buf: lib.virStoragePoolGetUUID(self._o, buf),
                          "virStoragePoolGetUUID")

    def UUIDString(self) -> str:
        return self._uuid_string(lambda buf: lib.virStoragePoolGetUUIDString(self._o, buf),
                                 "virStoragePoolGetUUIDString")

    def info(self) -> List[int]:
        """[state, capacity, allocation, available] in bytes; 0 round trips after a listing."""
        i = _abi.virStoragePoolInfo()
        check(lib.virStoragePoolGetInfo(self._o, ctypes.byref(i)), "virStoragePoolGetInfo")
        return [i.state, i.capacity, i.allocation, i.available]

    def XMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virStoragePoolGetXMLDesc(self._o, flags), "virStoragePoolGetXMLDesc")

    def refresh(self, flags: int = 0) -> int:
        return check(lib.virStoragePoolRefresh(self._o, flags), "virStoragePoolRefresh")

    def autostart(self) -> int:
        v = ctypes.c_int()
        check(lib.virStoragePoolGetAutostart(self._o, ctypes.byref(v)), "virStoragePoolGetAutostart")
        return v.value

    def setAutostart(self, autostart: int) -> int:
        return check(lib.virStoragePoolSetAutostart(self._o, autostart), "virStoragePoolSetAutostart")

    def isActive(self) -> int:
        return check(lib.virStoragePoolIsActive(self._o), "virStoragePoolIsActive")

    def isPersistent(self) -> int:
        return check(lib.virStoragePoolIsPersistent(self._o), "virStoragePoolIsPersistent")

    def destroy(self) -> int:
        """Unmounts an NFS datastore (refused while VMs live on it)."""
        return check(lib.virStoragePoolDestroy(self._o), "virStoragePoolDestroy")

    def undefine(self) -> int:
        return check(lib.virStoragePoolUndefine(self._o), "virStoragePoolUndefine")

    def create(self, flags: int = 0) -> int:
        return check(lib.virStoragePoolCreate(self._o, flags), "virStoragePoolCreate")

    def build(self, flags: int = 0) -> int:
        return check(lib.virStoragePoolBuild(self._o, flags), "virStoragePoolBuild")

    def delete(self, flags: int = 0) -> int:
        return check(lib.virStoragePoolDelete(self._o, flags), "virStoragePoolDelete")

    def numOfVolumes(self) -> int:
        return check(lib.virStoragePoolNumOfVolumes(self._o), "virStoragePoolNumOfVolumes")

    def listVolumes(self) -> List[str]:
        return names(self.numOfVolumes(), lambda arr, n: lib.virStoragePoolListVolumes(
            self._o, arr, n), "virStoragePoolListVolumes")

    def listAllVolumes(self, flags: int = 0) -> List["virStorageVol"]:
        return handles(lambda p: virStorageVol(self, p), lambda out: lib.virStoragePoolListAllVolumes(
            self._o, out, flags), "virStoragePoolListAllVolumes")

    def _vol(self, ptr: Optional[int], what: str) -> "virStorageVol":
        if not ptr:
            raise libvirtError("%s() failed" % what)
        return virStorageVol(self, ptr)

    def storageVolLookupByName(self, name: str) -> "virStorageVol":
        return self._vol(lib.virStorageVolLookupByName(self._o, enc(name)),
                         "virStorageVolLookupByName")

    def createXML(self, xmlDesc: str, flags: int = 0) -> "virStorageVol":
        return self._vol(lib.virStorageVolCreateXML(self._o, enc(xmlDesc), flags),
                         "virStorageVolCreateXML")

    def createXMLFrom(self, xmlDesc: str, clonevol: "virStorageVol", flags: int = 0) -> "virStorageVol":
        return self._vol(lib.virStorageVolCreateXMLFrom(self._o, enc(xmlDesc), clonevol.c_pointer(),
                                                        flags), "virStorageVolCreateXMLFrom")


@unsupported
class virStorageVol(OwnedHandle):
    """A disk, ISO or floppy image on a datastore, named by its path there (its owner is the
    pool)."""

    _free = staticmethod(lambda o: lib.virStorageVolFree(o))

    def storagePoolLookupByVolume(self) -> virStoragePool:
        p = lib.virStoragePoolLookupByVolume(self._o)
        if not p:
            raise libvirtError("virStoragePoolLookupByVolume() failed")
        return virStoragePool(self.connect(), p)

    def name(self) -> str:
        return self._name(lib.virStorageVolGetName(self._o), "virStorageVolGetName")

    def key(self) -> str:
        """A disk's UUID on ESX (1 round trip, once), else the datastore path."""
        v = lib.virStorageVolGetKey(self._o)
        if v is None:
            raise libvirtError("virStorageVolGetKey() failed")
        return dec(v) or ""

    def path(self) -> str:
        return check_string(lib.virStorageVolGetPath(self._o), "virStorageVolGetPath")

    def info(self) -> List[int]:
        """[type, capacity, allocation] in bytes."""
        i = _abi.virStorageVolInfo()
        check(lib.virStorageVolGetInfo(self._o, ctypes.byref(i)), "virStorageVolGetInfo")
        return [i.type, i.capacity, i.allocation]

    def infoFlags(self, flags: int = 0) -> List[int]:
        """As info(); VIR_STORAGE_VOL_GET_PHYSICAL gives the physical size as allocation."""
        i = _abi.virStorageVolInfo()
        check(lib.virStorageVolGetInfoFlags(self._o, ctypes.byref(i), flags),
              "virStorageVolGetInfoFlags")
        return [i.type, i.capacity, i.allocation]

    def XMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virStorageVolGetXMLDesc(self._o, flags), "virStorageVolGetXMLDesc")

    def delete(self, flags: int = 0) -> int:
        return check(lib.virStorageVolDelete(self._o, flags), "virStorageVolDelete")

    def wipe(self, flags: int = 0) -> int:
        return check(lib.virStorageVolWipe(self._o, flags), "virStorageVolWipe")

    def wipePattern(self, algorithm: int, flags: int = 0) -> int:
        return check(lib.virStorageVolWipePattern(self._o, algorithm, flags),
                     "virStorageVolWipePattern")

    def resize(self, capacity: int, flags: int = 0) -> int:
        return check(lib.virStorageVolResize(self._o, capacity, flags), "virStorageVolResize")

    def upload(self, stream: "virStream", offset: int, length: int, flags: int = 0) -> int:
        return check(lib.virStorageVolUpload(self._o, stream.c_pointer(), offset, length, flags),
                     "virStorageVolUpload")

    def download(self, stream: "virStream", offset: int, length: int, flags: int = 0) -> int:
        return check(lib.virStorageVolDownload(self._o, stream.c_pointer(), offset, length, flags),
                     "virStorageVolDownload")


# What a non-blocking stream's send and recv answer where a blocking one would wait.
WOULD_BLOCK = -2


@_abi.virStreamEventCallback
def _run_stream_event(stream: int, events: int, key: Optional[int]) -> None:
    call, opaque = _event._live[key or 0]
    call(events, opaque)


@unsupported
class virStream(Handle):
    """A stream, blocking or (VIR_STREAM_NONBLOCK) answering -2 where it would wait;
    sendAll/recvAll work over send/recv, as in libvirt-python."""

    _free = staticmethod(lambda o: lib.virStreamFree(o))

    def send(self, data: bytes) -> int:
        """The bytes taken, or -2 (non-blocking) where the stream would wait."""
        return check(lib.virStreamSend(self._o, data, len(data)), "virStreamSend")

    def _received(self, nbytes: int, call: Callable[[Any], int], what: str) -> Union[bytes, int]:
        buf = ctypes.create_string_buffer(nbytes)
        got = check(call(buf), what)
        return WOULD_BLOCK if got == WOULD_BLOCK else buf.raw[:got]

    def recv(self, nbytes: int) -> Union[bytes, int]:
        """Up to nbytes; b"" at the end of the data, -2 (non-blocking) where it would wait."""
        return self._received(nbytes, lambda buf: lib.virStreamRecv(self._o, buf, nbytes),
                              "virStreamRecv")

    def recvFlags(self, nbytes: int, flags: int = 0) -> Union[bytes, int]:
        return self._received(nbytes, lambda buf: lib.virStreamRecvFlags(
            self._o, buf, nbytes, flags), "virStreamRecvFlags")

    def sendAll(self, handler: Callable[["virStream", int, Any], bytes], opaque: Any) -> None:
        """Sends what handler(stream, nbytes, opaque) returns until it returns b""."""
        while True:
            try:
                got = handler(self, 262120, opaque)
            except BaseException:
                self.abort()
                raise
            if not got:
                return
            if self.send(got) == WOULD_BLOCK:
                raise libvirtError("cannot use sendAll with a non-blocking stream")

    def recvAll(self, handler: Callable[["virStream", bytes, Any], int], opaque: Any) -> None:
        """Hands every piece received to handler(stream, data, opaque) until the end."""
        while True:
            got = self.recv(262120)
            if got == WOULD_BLOCK:
                raise libvirtError("cannot use recvAll with a non-blocking stream")
            if not got:
                return
            try:
                handler(self, got, opaque)  # type: ignore[arg-type]
            except BaseException:
                self.abort()
                raise

    def eventAddCallback(self, events: int, cb: Callable[["virStream", int, Any], None],
                         opaque: Any) -> None:
        """cb(stream, events, opaque) from the event loop while the stream meets events
        (VIR_STREAM_EVENT_READABLE / WRITABLE); one callback per stream. The registration keeps
        the stream alive until eventRemoveCallback."""
        _event.register(lambda ev, o: cb(self, ev, o), opaque,
                        lambda key: lib.virStreamEventAddCallback(
                            self._o, events, _run_stream_event, key, _event._release),
                        "virStreamEventAddCallback")

    def eventUpdateCallback(self, events: int) -> int:
        return check(lib.virStreamEventUpdateCallback(self._o, events),
                     "virStreamEventUpdateCallback")

    def eventRemoveCallback(self) -> int:
        return check(lib.virStreamEventRemoveCallback(self._o), "virStreamEventRemoveCallback")

    def finish(self) -> int:
        return check(lib.virStreamFinish(self._o), "virStreamFinish")

    def abort(self) -> int:
        return check(lib.virStreamAbort(self._o), "virStreamAbort")
