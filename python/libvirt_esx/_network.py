"""virNetwork, virNetworkPort and virInterface with libvirt-python's methods: a host's standard
vSwitches (and vCenter's distributed switches) and physical NICs, each question one read."""
import ctypes
from typing import Any, Optional

from ._errors import check, check_string
from ._handle import Handle, OwnedHandle
from ._lib import enc, lib
from ._unsupported import unsupported


@unsupported
class virNetwork(Handle):
    """A standard vSwitch: always active, persistent and started with the host."""

    _free = staticmethod(lambda o: lib.virNetworkFree(o))

    def name(self) -> str:
        return self._name(lib.virNetworkGetName(self._o), "virNetworkGetName")

    def UUID(self) -> bytes:
        return self._uuid(lambda buf: lib.virNetworkGetUUID(self._o, buf), "virNetworkGetUUID")

    def UUIDString(self) -> str:
        return self._uuid_string(lambda buf: lib.virNetworkGetUUIDString(self._o, buf),
                                 "virNetworkGetUUIDString")

    def XMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virNetworkGetXMLDesc(self._o, flags), "virNetworkGetXMLDesc")

    def bridgeName(self) -> str:
        return check_string(lib.virNetworkGetBridgeName(self._o), "virNetworkGetBridgeName")

    def isActive(self) -> int:
        return check(lib.virNetworkIsActive(self._o), "virNetworkIsActive")

    def isPersistent(self) -> int:
        return check(lib.virNetworkIsPersistent(self._o), "virNetworkIsPersistent")

    def autostart(self) -> int:
        v = ctypes.c_int()
        check(lib.virNetworkGetAutostart(self._o, ctypes.byref(v)), "virNetworkGetAutostart")
        return v.value

    def setAutostart(self, autostart: int) -> int:
        return check(lib.virNetworkSetAutostart(self._o, autostart), "virNetworkSetAutostart")

    def create(self) -> int:
        """Refused: a vSwitch runs as long as it exists."""
        return check(lib.virNetworkCreate(self._o), "virNetworkCreate")

    def destroy(self) -> int:
        return check(lib.virNetworkDestroy(self._o), "virNetworkDestroy")

    def undefine(self) -> int:
        """Removes the vSwitch and its port groups; refused while a VM or the host uses one."""
        return check(lib.virNetworkUndefine(self._o), "virNetworkUndefine")

    def update(self, command: int, section: int, parentIndex: int, xml: str,
               flags: int = 0) -> int:
        """VIR_NETWORK_SECTION_PORTGROUP only: one <portgroup> added, modified or deleted."""
        return check(lib.virNetworkUpdate(self._o, command, section, parentIndex, enc(xml), flags),
                     "virNetworkUpdate")


@unsupported
class virNetworkPort(OwnedHandle):
    """A port of a network; vSphere has none for libvirt, so no handle is ever made."""

    _free = staticmethod(lambda o: lib.virNetworkPortFree(o))

    def __init__(self, net: Any, _obj: Optional[int] = None) -> None:
        super().__init__(net, _obj)

    def network(self) -> Any:
        return self._owner


class virInterface(Handle):
    """A physical NIC of the host, active while its link is up."""

    _free = staticmethod(lambda o: lib.virInterfaceFree(o))

    def name(self) -> str:
        return self._name(lib.virInterfaceGetName(self._o), "virInterfaceGetName")

    def MACString(self) -> str:
        return self._name(lib.virInterfaceGetMACString(self._o), "virInterfaceGetMACString")

    def XMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virInterfaceGetXMLDesc(self._o, flags), "virInterfaceGetXMLDesc")

    def isActive(self) -> int:
        return check(lib.virInterfaceIsActive(self._o), "virInterfaceIsActive")

    def undefine(self) -> int:
        """Refused, as create and destroy: a physical NIC is the host's hardware."""
        return check(lib.virInterfaceUndefine(self._o), "virInterfaceUndefine")

    def create(self, flags: int = 0) -> int:
        return check(lib.virInterfaceCreate(self._o, flags), "virInterfaceCreate")

    def destroy(self, flags: int = 0) -> int:
        return check(lib.virInterfaceDestroy(self._o, flags), "virInterfaceDestroy")
