"""The event loop functions: handles on a pipe and timeouts on the default loop, and the same
registrations served by a loop written in Python (virEventRegisterImpl)."""
import os

import pytest

import libvirt_esx as libvirt

READABLE = libvirt.VIR_EVENT_HANDLE_READABLE


def test_a_loop_written_in_python_serves_registrations():
    handles, timers, removed = {}, {}, []

    def add_handle(fd, events, cb, opaque):
        handles[len(handles) + 1] = (fd, events, cb, opaque)
        return len(handles)

    def add_timeout(ms, cb, opaque):
        timers[len(timers) + 1] = (ms, cb, opaque)
        return len(timers)

    libvirt.virEventRegisterImpl(
        add_handle, lambda w, e: None, lambda w: removed.append(("h", w)) or 0,
        add_timeout, lambda t, ms: None, lambda t: removed.append(("t", t)) or 0)
    seen = []
    watch = libvirt.virEventAddHandle(7, READABLE, lambda *a: seen.append(a), "h-opaque")
    fd, events, cb, opaque = handles[watch]
    assert (fd, events) == (7, READABLE)
    cb(watch, fd, READABLE, opaque)  # the Python loop dispatches
    assert seen == [(watch, 7, READABLE, "h-opaque")]
    timer = libvirt.virEventAddTimeout(250, lambda *a: seen.append(a), "t-opaque")
    ms, cb, opaque = timers[timer]
    cb(timer, opaque)
    assert ms == 250 and seen[-1] == (timer, "t-opaque")
    assert libvirt.virEventRemoveHandle(watch) == 0 and libvirt.virEventRemoveTimeout(timer) == 0
    assert removed == [("h", watch), ("t", timer)]


def test_default_loop_runs_pipe_handles_and_timeouts():
    assert libvirt.virEventRegisterDefaultImpl() == 0
    r, w = os.pipe()
    seen = []
    watch = libvirt.virEventAddHandle(r, READABLE, lambda *a: seen.append(a), "opaque")
    os.write(w, b"x")
    libvirt.virEventRunDefaultImpl()
    assert seen == [(watch, r, READABLE, "opaque")]
    libvirt.virEventUpdateHandle(watch, 0)
    fired = []
    timer = libvirt.virEventAddTimeout(0, lambda t, o: fired.append((t, o)), 5)
    libvirt.virEventRunDefaultImpl()
    assert fired == [(timer, 5)] and len(seen) == 1
    libvirt.virEventUpdateTimeout(timer, -1)
    assert libvirt.virEventRemoveHandle(watch) == 0
    with pytest.raises(libvirt.libvirtError):
        libvirt.virEventRemoveHandle(watch)
    assert libvirt.virEventRemoveTimeout(timer) == 0
    libvirt.virEventAddTimeout(0, lambda t, o: None, None)
    libvirt.virEventRunDefaultImpl()  # frees what was removed
    os.close(r)
    os.close(w)
