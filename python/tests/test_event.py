"""The event loop functions: handles on a pipe and timeouts on the default loop, and the same
registrations served (and freed) by a loop written in Python (virEventRegisterImpl)."""
import os
import time
import weakref

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


def test_a_python_loop_frees_a_removed_registration_once():
    opaques = []

    def add_timeout(ms, cb, opaque):
        opaques.append(opaque)
        return len(opaques)

    libvirt.virEventRegisterImpl(lambda *a: -1, lambda *a: None, lambda w: 0,
                                 add_timeout, lambda *a: None, lambda t: 0)

    class Data:
        pass
    data = Data()
    gone = weakref.ref(data)
    timer = libvirt.virEventAddTimeout(10, lambda t, o: None, data)
    del data
    assert gone() is not None
    assert libvirt.virEventRemoveTimeout(timer) == 0
    assert gone() is None  # the removal freed it
    # What a loop written for libvirt-python 3.7 or later does next: nothing is left to free.
    libvirt.virEventInvokeFreeCallback(opaques[0])


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


def test_a_lifecycle_event_reaches_python(conn, other):
    libvirt.virEventRegisterDefaultImpl()
    ticker = libvirt.virEventAddTimeout(100, lambda t, o: None, None)
    seen = []
    ident = conn.domainEventRegisterAny(
        None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE,
        lambda c, d, ev, detail, opaque: seen.append((c is conn, d.name(), ev, detail, opaque)),
        "mine")
    legacy = []
    def on_legacy(c, d, ev, detail, opaque):
        legacy.append((d.name(), ev))
    assert conn.domainEventRegister(on_legacy, None) == 0
    with pytest.raises(libvirt.libvirtError):
        conn.domainEventRegister(on_legacy, None)
    reboot = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT,
                                         lambda *a: None, None)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.domainEventRegisterAny(None, 99, lambda *a: None, None)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    time.sleep(0.5)  # the watcher's first read
    dom = other.lookupByName("ha-host_VM0")
    if not dom.isActive():
        dom.create()
        for _ in range(10):
            libvirt.virEventRunDefaultImpl()
        seen.clear()
        legacy.clear()
    dom.suspend()
    deadline = time.time() + 10
    while not (seen and legacy) and time.time() < deadline:
        libvirt.virEventRunDefaultImpl()
    assert seen == [(True, "ha-host_VM0", libvirt.VIR_DOMAIN_EVENT_SUSPENDED,
                     libvirt.VIR_DOMAIN_EVENT_SUSPENDED_PAUSED, "mine")]
    assert legacy == [("ha-host_VM0", libvirt.VIR_DOMAIN_EVENT_SUSPENDED)]
    dom.resume()
    for ident_ in (ident, reboot):
        assert conn.domainEventDeregisterAny(ident_) == 0
    assert conn.domainEventDeregister(on_legacy) == 0
    libvirt.virEventRemoveTimeout(ticker)


def test_reboot_and_device_events_reach_python(conn, other):
    libvirt.virEventRegisterDefaultImpl()
    ticker = libvirt.virEventAddTimeout(100, lambda t, o: None, None)
    dom = other.lookupByName("ha-host_VM1")
    if not dom.isActive():
        dom.create()
    seen = []
    ids = [conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_REBOOT,
                                       lambda c, d, o: seen.append(("reboot", d.name(), o)), 1),
           conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,
                                       lambda c, d, alias, o: seen.append(("added", alias, o)), 2),
           conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,
                                       lambda c, d, alias, o: seen.append(("removed", alias, o)), 3),
           conn.domainEventRegisterAny(dom, libvirt.VIR_DOMAIN_EVENT_ID_TUNABLE,
                                       lambda c, d, params, o: seen.append(("tunable", params, o)), 4)]
    time.sleep(0.5)  # the watcher's first read

    def run_until(n):
        deadline = time.time() + 10
        while len(seen) < n and time.time() < deadline:
            libvirt.virEventRunDefaultImpl()
    dom.reset()
    run_until(1)
    assert seen == [("reboot", "ha-host_VM1", 1)]
    nic = ("<interface type='bridge'><mac address='00:50:56:00:77:02'/>"
           "<source bridge='VM Network'/></interface>")
    dom.attachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    run_until(2)
    assert seen[1][0] == "added" and seen[1][2] == 2 and seen[1][1]
    dom.detachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    run_until(3)
    assert seen[2] == ("removed", seen[1][1], 3)
    dom.setSchedulerParameters({"shares": 4321})
    run_until(4)
    assert seen[3] == ("tunable", {"cputune.cpu_shares": 4321}, 4)
    assert [conn.domainEventDeregisterAny(i) for i in ids] == [0, 0, 0, 0]
    libvirt.virEventRemoveTimeout(ticker)


def test_network_and_pool_events_reach_python(conn, other):
    libvirt.virEventRegisterDefaultImpl()
    ticker = libvirt.virEventAddTimeout(100, lambda t, o: None, None)
    seen = []
    ids = [conn.networkEventRegisterAny(
               None, libvirt.VIR_NETWORK_EVENT_ID_LIFECYCLE,
               lambda c, n, ev, detail, o: seen.append((o, n.name(), ev)), "net"),
           conn.storagePoolEventRegisterAny(
               None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
               lambda c, p, ev, detail, o: seen.append((o, p.name(), ev)), "pool"),
           conn.storagePoolEventRegisterAny(
               None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH,
               lambda c, p, o: seen.append((o, p.name(), None)), "refresh")]
    time.sleep(0.7)  # the watcher's first read

    def run_until(n):
        deadline = time.time() + 10
        while len(seen) < n and time.time() < deadline:
            libvirt.virEventRunDefaultImpl()
        got = list(seen)
        seen.clear()
        return got
    net = other.networkDefineXML("<network><name>vSwitchP</name><portgroup name='pgP'/></network>")
    assert run_until(2) == [("net", "vSwitchP", libvirt.VIR_NETWORK_EVENT_DEFINED),
                            ("net", "vSwitchP", libvirt.VIR_NETWORK_EVENT_STARTED)]
    net.undefine()
    assert run_until(2) == [("net", "vSwitchP", libvirt.VIR_NETWORK_EVENT_STOPPED),
                            ("net", "vSwitchP", libvirt.VIR_NETWORK_EVENT_UNDEFINED)]
    pool = other.storagePoolCreateXML(
        "<pool type='netfs'><name>nfsP</name><source><host name='10.0.0.5'/>"
        "<dir path='/export/p'/><format type='nfs'/></source></pool>")
    assert run_until(2) == [("pool", "nfsP", libvirt.VIR_STORAGE_POOL_EVENT_DEFINED),
                            ("pool", "nfsP", libvirt.VIR_STORAGE_POOL_EVENT_STARTED)]
    pool.refresh()
    assert run_until(1) == [("refresh", "nfsP", None)]
    pool.destroy()
    assert run_until(2) == [("pool", "nfsP", libvirt.VIR_STORAGE_POOL_EVENT_STOPPED),
                            ("pool", "nfsP", libvirt.VIR_STORAGE_POOL_EVENT_UNDEFINED)]
    with pytest.raises(libvirt.libvirtError):
        conn.networkEventDeregisterAny(ids[1])
    assert [conn.networkEventDeregisterAny(ids[0]), conn.storagePoolEventDeregisterAny(ids[1]),
            conn.storagePoolEventDeregisterAny(ids[2])] == [0, 0, 0]
    libvirt.virEventRemoveTimeout(ticker)


def test_keepalive_and_the_close_callback_register(conn):
    libvirt.virEventRegisterDefaultImpl()
    assert conn.setKeepAlive(5, 3) == 0 and conn.setKeepAlive(0, 0) == 0
    assert conn.registerCloseCallback(lambda c, reason, o: None, None) == 0
    with pytest.raises(libvirt.libvirtError) as e:
        conn.registerCloseCallback(lambda c, reason, o: None, None)
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    assert conn.unregisterCloseCallback() == 0
    with pytest.raises(libvirt.libvirtError):
        conn.unregisterCloseCallback()


def test_node_device_and_secret_events_register(conn):
    libvirt.virEventRegisterDefaultImpl()
    for register, deregister in ((conn.nodeDeviceEventRegisterAny, conn.nodeDeviceEventDeregisterAny),
                                 (conn.secretEventRegisterAny, conn.secretEventDeregisterAny)):
        ids = [register(None, i, lambda *a: None, None) for i in (0, 1)]
        with pytest.raises(libvirt.libvirtError) as e:
            register(None, 2, lambda *a: None, None)
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
        assert [deregister(i) for i in ids] == [0, 0]
        with pytest.raises(libvirt.libvirtError):
            deregister(ids[0])
