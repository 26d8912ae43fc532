"""virDomainSnapshot with libvirt-python's methods and return shapes. Each query reads the
domain's snapshot tree once (1 round trip); delete is the vSphere task (2 when it ends at once)."""
from typing import Any, List, Optional

from ._errors import check, check_string, libvirtError
from ._handle import DomainHandle
from ._lib import handles, lib, names


class virDomainSnapshot(DomainHandle):
    """A snapshot of a domain."""

    _free = staticmethod(lambda o: lib.virDomainSnapshotFree(o))

    def getName(self) -> str:
        return self._name(lib.virDomainSnapshotGetName(self._o), "virDomainSnapshotGetName")

    def getXMLDesc(self, flags: int = 0) -> str:
        return check_string(lib.virDomainSnapshotGetXMLDesc(self._o, flags),
                            "virDomainSnapshotGetXMLDesc")

    def numChildren(self, flags: int = 0) -> int:
        return check(lib.virDomainSnapshotNumChildren(self._o, flags),
                     "virDomainSnapshotNumChildren")

    def listChildrenNames(self, flags: int = 0) -> List[str]:
        return names(self.numChildren(flags), lambda arr, n: lib.virDomainSnapshotListChildrenNames(
            self._o, arr, n, flags), "virDomainSnapshotListChildrenNames")

    def listAllChildren(self, flags: int = 0) -> List["virDomainSnapshot"]:
        return snapshots(self._owner, lambda out: lib.virDomainSnapshotListAllChildren(
            self._o, out, flags), "virDomainSnapshotListAllChildren")

    def getParent(self, flags: int = 0) -> "virDomainSnapshot":
        return wrap(self._owner, lib.virDomainSnapshotGetParent(self._o, flags),
                    "virDomainSnapshotGetParent")

    def isCurrent(self, flags: int = 0) -> int:
        return check(lib.virDomainSnapshotIsCurrent(self._o, flags), "virDomainSnapshotIsCurrent")

    def hasMetadata(self, flags: int = 0) -> int:
        return check(lib.virDomainSnapshotHasMetadata(self._o, flags),
                     "virDomainSnapshotHasMetadata")

    def delete(self, flags: int = 0) -> int:
        return check(lib.virDomainSnapshotDelete(self._o, flags), "virDomainSnapshotDelete")


def wrap(dom: Any, ptr: Optional[int], what: str) -> virDomainSnapshot:
    """A new snapshot handle from the library, or the last error raised."""
    if not ptr:
        raise libvirtError("%s() failed" % what)
    return virDomainSnapshot(dom, ptr)


def snapshots(dom: Any, call: Any, what: str) -> List[virDomainSnapshot]:
    """A ListAll-style call's snapshot handles."""
    return handles(lambda p: virDomainSnapshot(dom, p), call, what)
