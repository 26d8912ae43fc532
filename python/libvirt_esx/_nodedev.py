"""virNodeDevice with libvirt-python's methods: the host (`computer`) and its PCI functions,
each question one read; detach and reAttach switch a function's passthrough on and off."""
import ctypes
from typing import List, Optional

from ._errors import check, check_string, libvirtError, virGetLastError
from ._handle import Handle
from ._lib import enc, lib, names
from ._unsupported import unsupported


@unsupported
class virNodeDevice(Handle):
    """A device of the host: the host itself or one of its PCI functions."""

    _free = staticmethod(lambda o: lib.virNodeDeviceFree(o))

    def name(self) -> str:
        return self._name(lib.virNodeDeviceGetName(self._o), "virNodeDeviceGetName")

    def parent(self) -> Optional[str]:
        """The parent's name; None for `computer`, the root of the tree."""
        value = lib.virNodeDeviceGetParent(self._o)
        if value is None:
            if virGetLastError() is not None:
                raise libvirtError("virNodeDeviceGetParent() failed")
            return None
        return value.decode()

    def XMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virNodeDeviceGetXMLDesc(self._o, flags), "virNodeDeviceGetXMLDesc")

    def numOfCaps(self) -> int:
        return check(lib.virNodeDeviceNumOfCaps(self._o), "virNodeDeviceNumOfCaps")

    def listCaps(self) -> List[str]:
        return names(self.numOfCaps(), lambda arr, n: lib.virNodeDeviceListCaps(self._o, arr, n),
                     "virNodeDeviceListCaps")

    def isActive(self) -> int:
        return check(lib.virNodeDeviceIsActive(self._o), "virNodeDeviceIsActive")

    def isPersistent(self) -> int:
        return check(lib.virNodeDeviceIsPersistent(self._o), "virNodeDeviceIsPersistent")

    def autostart(self) -> int:
        v = ctypes.c_int()
        check(lib.virNodeDeviceGetAutostart(self._o, ctypes.byref(v)), "virNodeDeviceGetAutostart")
        return v.value

    def detachFlags(self, driverName: Optional[str], flags: int = 0) -> int:
        """Passthrough enabled for the PCI function (driverName None or 'vfio'); a change the
        host applies when it reboots is logged as a warning."""
        return check(lib.virNodeDeviceDetachFlags(self._o, enc(driverName), flags),
                     "virNodeDeviceDetachFlags")

    def dettach(self) -> int:
        return check(lib.virNodeDeviceDettach(self._o), "virNodeDeviceDettach")

    def reAttach(self) -> int:
        """Passthrough disabled: the host's own driver takes the function back."""
        return check(lib.virNodeDeviceReAttach(self._o), "virNodeDeviceReAttach")
