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


def register(cb: Callable[..., Any], opaque: Any, call: Callable[[int], int], what: str) -> int:
    """A registration through `call(key)`, which hands the key to the library with _release as
    its free callback; the key is let go of at once if the library refuses."""
    key = _keep(cb, opaque)
    ret = call(key)
    if ret == -1:
        _live.pop(key, None)
    return check(ret, what)


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


class _Registration:
    """The opaque a loop written in Python gets with a registration: the library's data and the
    callback that frees it, run once, by whichever comes first of the remover and
    virEventInvokeFreeCallback."""

    def __init__(self, c_opaque: Any, c_ff: Any) -> None:
        self.c_opaque, self.c_ff = c_opaque, c_ff

    def free(self) -> None:
        ff, self.c_ff = self.c_ff, None
        if ff:
            ff(self.c_opaque)


def virEventInvokeFreeCallback(opaque: Any) -> None:
    """Frees the data of a removed registration, given the opaque the loop's add function got.
    Loops written for libvirt-python 3.7 and later call it after a removal; loops written
    before never do, so the removal frees it already and this call then does nothing."""
    opaque.free()


class _PythonLoop:
    """A loop written in Python, as the six C functions the library calls. The library's
    callbacks reach Python as cb(id, ..., opaque) with a _Registration as opaque, freed after
    the Python remove function returns."""

    def __init__(self, funcs: Tuple[Callable[..., Any], ...]) -> None:
        add_h, upd_h, rm_h, add_t, upd_t, rm_t = funcs
        self.frees: Dict[Tuple[str, int], _Registration] = {}

        def add_handle(fd: int, events: int, c_cb: Any, c_opaque: Any, c_ff: Any) -> int:
            reg = _Registration(c_opaque, c_ff)
            watch = int(add_h(fd, events, lambda w, f, e, _o: c_cb(w, f, e, c_opaque), reg))
            if watch >= 0:
                self.frees[("h", watch)] = reg
            return watch

        def add_timeout(ms: int, c_cb: Any, c_opaque: Any, c_ff: Any) -> int:
            reg = _Registration(c_opaque, c_ff)
            timer = int(add_t(ms, lambda t, _o: c_cb(t, c_opaque), reg))
            if timer >= 0:
                self.frees[("t", timer)] = reg
            return timer

        def remover(kind: str, rm: Callable[[int], Any]) -> Callable[[int], int]:
            def remove(ident: int) -> int:
                ret = int(rm(ident) or 0)
                reg = self.frees.pop((kind, ident), None)
                if ret == 0 and reg:
                    reg.free()
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
