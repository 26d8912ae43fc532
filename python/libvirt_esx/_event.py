"""libvirt-python's event loop functions: the library's default loop, registrations on the
current loop, and virEventRegisterImpl for a loop written in Python.

Python callbacks never become per-registration ctypes objects: one trampoline per kind is
handed to the library with a small integer key as its opaque pointer, and the library's
free callback lets go of the key's entry."""
import itertools
from typing import Any, Callable, Dict, List, Optional, Tuple

from . import _abi
from ._errors import check, libvirtError
from ._lib import lib

_live: Dict[int, Tuple[Callable[..., Any], Any]] = {}
_keys = itertools.count(1)


def _keep(cb: Callable[..., Any], opaque: Any) -> int:
    key = next(_keys)
    _live[key] = (cb, opaque)
    return key


@_abi.virEventHandleCallback
def _run_handle(watch: int, fd: int, events: int, key: Optional[int]) -> None:
    cb, opaque = _live[key or 0]
    cb(watch, fd, events, opaque)


@_abi.virEventTimeoutCallback
def _run_timeout(timer: int, key: Optional[int]) -> None:
    cb, opaque = _live[key or 0]
    cb(timer, opaque)


@_abi.virFreeCallback
def _release(key: Optional[int]) -> None:
    _live.pop(key or 0, None)


def virEventRegisterDefaultImpl() -> int:
    return check(lib.virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl")


def virEventRunDefaultImpl() -> int:
    return check(lib.virEventRunDefaultImpl(), "virEventRunDefaultImpl")


def virEventAddHandle(fd: int, events: int, cb: Callable[[int, int, int, Any], None],
                      opaque: Any) -> int:
    key = _keep(cb, opaque)
    watch = lib.virEventAddHandle(fd, events, _run_handle, key, _release)
    if watch < 0:
        _live.pop(key, None)
        raise libvirtError("virEventAddHandle() failed")
    return watch


def virEventUpdateHandle(watch: int, events: int) -> None:
    lib.virEventUpdateHandle(watch, events)


def virEventRemoveHandle(watch: int) -> int:
    return check(lib.virEventRemoveHandle(watch), "virEventRemoveHandle")


def virEventAddTimeout(timeout: int, cb: Callable[[int, Any], None], opaque: Any) -> int:
    key = _keep(cb, opaque)
    timer = lib.virEventAddTimeout(timeout, _run_timeout, key, _release)
    if timer < 0:
        _live.pop(key, None)
        raise libvirtError("virEventAddTimeout() failed")
    return timer


def virEventUpdateTimeout(timer: int, timeout: int) -> None:
    lib.virEventUpdateTimeout(timer, timeout)


def virEventRemoveTimeout(timer: int) -> int:
    return check(lib.virEventRemoveTimeout(timer), "virEventRemoveTimeout")


class _PythonLoop:
    """A loop written in Python, as the six C functions the library calls. The library's
    callbacks reach Python as cb(id, ..., opaque) with an opaque of ours; their free
    callbacks run after the Python remove function returns, as libvirt-python does."""

    def __init__(self, funcs: Tuple[Callable[..., Any], ...]) -> None:
        add_h, upd_h, rm_h, add_t, upd_t, rm_t = funcs
        self.frees: Dict[Tuple[str, int], Tuple[Any, Any]] = {}

        def add_handle(fd: int, events: int, c_cb: Any, c_opaque: Any, c_ff: Any) -> int:
            watch = int(add_h(fd, events, lambda w, f, e, _o: c_cb(w, f, e, c_opaque), None))
            if watch >= 0:
                self.frees[("h", watch)] = (c_ff, c_opaque)
            return watch

        def add_timeout(ms: int, c_cb: Any, c_opaque: Any, c_ff: Any) -> int:
            timer = int(add_t(ms, lambda t, _o: c_cb(t, c_opaque), None))
            if timer >= 0:
                self.frees[("t", timer)] = (c_ff, c_opaque)
            return timer

        def remover(kind: str, rm: Callable[[int], Any]) -> Callable[[int], int]:
            def remove(ident: int) -> int:
                ret = int(rm(ident) or 0)
                ff, c_opaque = self.frees.pop((kind, ident), (None, None))
                if ret == 0 and ff:
                    ff(c_opaque)
                return ret
            return remove

        self.c: List[Any] = [
            _abi.virEventAddHandleFunc(add_handle), _abi.virEventUpdateHandleFunc(upd_h),
            _abi.virEventRemoveHandleFunc(remover("h", rm_h)),
            _abi.virEventAddTimeoutFunc(add_timeout), _abi.virEventUpdateTimeoutFunc(upd_t),
            _abi.virEventRemoveTimeoutFunc(remover("t", rm_t)),
        ]


_registered: List[_PythonLoop] = []


def virEventRegisterImpl(addHandle: Callable[..., Any], updateHandle: Callable[..., Any],
                         removeHandle: Callable[..., Any], addTimeout: Callable[..., Any],
                         updateTimeout: Callable[..., Any],
                         removeTimeout: Callable[..., Any]) -> None:
    loop = _PythonLoop((addHandle, updateHandle, removeHandle, addTimeout, updateTimeout,
                        removeTimeout))
    # Kept for the process's life: the library may call a replaced loop's removers still.
    _registered.append(loop)
    lib.virEventRegisterImpl(*loop.c)
