"""libvirt-python's error API: libvirtError raised where a call returns NULL or -1, carrying
the library's last error, and the error handler and last-error functions."""
from typing import Any, Callable, Optional, Tuple

from . import _abi
from ._lib import cstr, dec, lib, take_string

ErrorTuple = Tuple[int, int, Optional[str], int, Optional[str], Optional[str], Optional[str], int, int]


def _tuple(err: Any) -> Optional[ErrorTuple]:
    if not err:
        return None
    e = err.contents
    return (e.code, e.domain, cstr(e.message), e.level, cstr(e.str1), cstr(e.str2), cstr(e.str3),
            e.int1, e.int2)


def virGetLastError() -> Optional[ErrorTuple]:
    """The calling thread's last error as libvirt-python's 9-tuple, or None."""
    return _tuple(lib.virGetLastError())


def virGetLastErrorMessage() -> str:
    return dec(lib.virGetLastErrorMessage()) or ""


def virGetLastErrorCode() -> int:
    return lib.virGetLastErrorCode()


def virGetLastErrorDomain() -> int:
    return lib.virGetLastErrorDomain()


def virResetLastError() -> None:
    lib.virResetLastError()


class libvirtError(Exception):
    """A failed call: the message, code, domain and level of the library's last error."""

    def __init__(self, defmsg: str) -> None:
        self.err = virGetLastError()
        msg = defmsg if self.err is None or self.err[2] is None else self.err[2]
        super().__init__(msg)

    def _field(self, i: int) -> Any:
        return None if self.err is None else self.err[i]

    def get_error_code(self) -> Optional[int]:
        return self._field(0)

    def get_error_domain(self) -> Optional[int]:
        return self._field(1)

    def get_error_message(self) -> Optional[str]:
        return self._field(2)

    def get_error_level(self) -> Optional[int]:
        return self._field(3)

    def get_str1(self) -> Optional[str]:
        return self._field(4)

    def get_str2(self) -> Optional[str]:
        return self._field(5)

    def get_str3(self) -> Optional[str]:
        return self._field(6)

    def get_int1(self) -> Optional[int]:
        return self._field(7)

    def get_int2(self) -> Optional[int]:
        return self._field(8)


def check(ret: int, what: str) -> int:
    """libvirt-python's rule for int-returning calls: -1 raises the last error."""
    if ret == -1:
        raise libvirtError("%s() failed" % what)
    return ret


def check_string(ptr: Optional[int], what: str) -> str:
    """The same rule for strings the caller frees: NULL raises, anything else is taken."""
    v = take_string(ptr)
    if v is None:
        raise libvirtError("%s() failed" % what)
    return v


# The handler C calls, kept alive for as long as it is registered.
_handler: Any = None


def registerErrorHandler(f: Optional[Callable[[Any, ErrorTuple], None]], ctx: Any) -> int:
    """Calls f(ctx, error) for every error instead of printing it; None restores printing."""
    global _handler
    if f is None:
        lib.virSetErrorFunc(None, _abi.virErrorFunc())
        _handler = None
        return 1

    def dispatch(_user_data: Any, err: Any) -> None:
        try:
            f(ctx, _tuple(err))
        except Exception:  # an exception cannot cross into C
            pass

    handler = _abi.virErrorFunc(dispatch)
    lib.virSetErrorFunc(None, handler)
    _handler = handler
    return 1
