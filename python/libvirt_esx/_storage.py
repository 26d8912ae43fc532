"""virStoragePool, virStorageVol and virStream with libvirt-python's methods and return shapes.
Listing pools (with their info) is 1 round trip; listing a pool's volumes one datastore search;
stream data moves piece by piece between Python and the datastore's HTTP interface."""
import ctypes
from typing import Any, Callable, List, Optional

from . import _abi
from ._errors import check, check_string, libvirtError
from ._handle import Handle
from ._lib import dec, enc, handles, lib, names


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
            raise libvirtError("%s() failed" % what, pool=self)
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


class virStorageVol(Handle):
    """A disk, ISO or floppy image on a datastore, named by its path there."""

    _free = staticmethod(lambda o: lib.virStorageVolFree(o))

    def connect(self) -> Any:
        return self._owner.connect()

    def storagePoolLookupByVolume(self) -> virStoragePool:
        p = lib.virStoragePoolLookupByVolume(self._o)
        if not p:
            raise libvirtError("virStoragePoolLookupByVolume() failed", vol=self)
        return virStoragePool(self.connect(), p)

    def name(self) -> str:
        return self._name(lib.virStorageVolGetName(self._o), "virStorageVolGetName")

    def key(self) -> str:
        """A disk's UUID on ESX (1 round trip, once), else the datastore path."""
        v = lib.virStorageVolGetKey(self._o)
        if v is None:
            raise libvirtError("virStorageVolGetKey() failed", vol=self)
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

    def resize(self, capacity: int, flags: int = 0) -> int:
        return check(lib.virStorageVolResize(self._o, capacity, flags), "virStorageVolResize")

    def upload(self, stream: "virStream", offset: int, length: int, flags: int = 0) -> int:
        return check(lib.virStorageVolUpload(self._o, stream.c_pointer(), offset, length, flags),
                     "virStorageVolUpload")

    def download(self, stream: "virStream", offset: int, length: int, flags: int = 0) -> int:
        return check(lib.virStorageVolDownload(self._o, stream.c_pointer(), offset, length, flags),
                     "virStorageVolDownload")


class virStream(Handle):
    """A blocking stream; sendAll/recvAll work over send/recv, as in libvirt-python."""

    _free = staticmethod(lambda o: lib.virStreamFree(o))

    def send(self, data: bytes) -> int:
        return check(lib.virStreamSend(self._o, data, len(data)), "virStreamSend")

    def recv(self, nbytes: int) -> bytes:
        """Up to nbytes; b"" at the end of the data."""
        buf = ctypes.create_string_buffer(nbytes)
        got = check(lib.virStreamRecv(self._o, buf, nbytes), "virStreamRecv")
        return buf.raw[:got]

    def recvFlags(self, nbytes: int, flags: int = 0) -> bytes:
        buf = ctypes.create_string_buffer(nbytes)
        got = check(lib.virStreamRecvFlags(self._o, buf, nbytes, flags), "virStreamRecvFlags")
        return buf.raw[:got]

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
            self.send(got)

    def recvAll(self, handler: Callable[["virStream", bytes, Any], int], opaque: Any) -> None:
        """Hands every piece received to handler(stream, data, opaque) until the end."""
        while True:
            got = self.recv(262120)
            if not got:
                return
            try:
                handler(self, got, opaque)
            except BaseException:
                self.abort()
                raise

    def finish(self) -> int:
        return check(lib.virStreamFinish(self._o), "virStreamFinish")

    def abort(self) -> int:
        return check(lib.virStreamAbort(self._o), "virStreamAbort")
