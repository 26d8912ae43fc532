"""What every libvirt object handle shares: the C pointer it owns (freed when the object goes),
the Python object it came from (kept alive with it), and its name and UUID readers."""
import ctypes
from typing import Any, Callable, Optional

from . import _abi
from ._errors import check, libvirtError
from ._lib import dec


class Handle:
    """`_free` is the export that drops the handle's reference; `_owner` the connection (or the
    domain or pool) the handle came from."""

    _free: Callable[[int], Any]

    def __init__(self, owner: Any, _obj: int) -> None:
        self._owner = owner
        self._o: Optional[int] = _obj

    def __del__(self) -> None:
        if getattr(self, "_o", None):
            type(self)._free(self._o)
            self._o = None

    def c_pointer(self) -> int:
        return self._o or 0

    def connect(self) -> Any:
        return self._owner

    def _name(self, value: Optional[bytes], what: str, **err: Any) -> str:
        """A name the handle holds (NULL only for a handle the library refused)."""
        if value is None:
            raise libvirtError("%s() failed" % what, **err)
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
