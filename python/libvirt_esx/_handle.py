"""What every libvirt object handle shares: the C pointer it owns (freed when the object goes),
the Python object it came from (kept alive with it), and its name and UUID readers."""
import ctypes
from typing import Any, Callable, Optional

from . import _abi
from ._errors import check, libvirtError
from ._lib import dec


class Handle:
    """`_free` is the export that drops the handle's reference; `_owner` the connection (or the
    domain, network or pool) the handle came from. libvirt-python's parameter names."""

    _free: Callable[[int], Any]

    def __init__(self, conn: Any, _obj: Optional[int] = None) -> None:
        self._owner = conn
        self._o: Optional[int] = _obj

    def __del__(self) -> None:
        if getattr(self, "_o", None):
            type(self)._free(self._o)
            self._o = None

    def c_pointer(self) -> int:
        return self._o or 0

    def connect(self) -> Any:
        return self._owner

    def _name(self, value: Optional[bytes], what: str) -> str:
        """A name the handle holds (NULL only for a handle the library refused)."""
        if value is None:
            raise libvirtError("%s() failed" % what)
        return dec(value) or ""

    def _uuid(self, fill: Callable[[Any], int], what: str) -> bytes:
        """The 16 bytes `fill` writes into the buffer it is given."""
        buf = ctypes.create_string_buffer(_abi.VIR_UUID_BUFLEN)
        check(fill(buf), what)
        return buf.raw

    def _uuid_string(self, fill: Callable[[Any], int], what: str) -> str:
        buf = ctypes.create_string_buffer(_abi.VIR_UUID_STRING_BUFLEN)
        check(fill(buf), what)
        return dec(buf.value) or ""


class OwnedHandle(Handle):
    """A handle that belongs to another object (a domain, a network, a pool): its connection is
    that object's."""

    def connect(self) -> Any:
        return self._owner.connect()


class DomainHandle(OwnedHandle):
    """A snapshot or checkpoint: it keeps its domain (and so the connection) alive."""

    def __init__(self, dom: Any, _obj: Optional[int] = None) -> None:
        super().__init__(dom, _obj)

    def getDomain(self) -> Any:
        """The Python domain the handle came from (what virDomain*GetDomain would give)."""
        return self._owner

    def domain(self) -> Any:
        return self._owner

    def getConnect(self) -> Any:
        return self._owner.connect()
