"""libvirt-python's libvirt_qemu and libvirt_lxc modules as libvirt_esx.qemu and libvirt_esx.lxc:
the same functions, parameters and constants as Debian's (its _dispatch* internal aside), every
call raising VIR_ERR_NO_SUPPORT."""
import json
import subprocess

import pytest

import libvirt_esx as libvirt
from libvirt_esx import lxc, qemu

DUMP = r"""
import inspect, json, libvirt_lxc, libvirt_qemu
out = {}
for m in (libvirt_qemu, libvirt_lxc):
    out[m.__name__] = {n: ([p.name for p in inspect.signature(f).parameters.values()]
                           if callable(f) else f)
                       for n, f in vars(m).items()
                       if n.startswith("VIR_") or callable(f) and not n.startswith("_")
                       and getattr(f, "__module__", "") == m.__name__}
print(json.dumps(out))
"""


def test_same_functions_parameters_and_constants_as_libvirt_python():
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", DUMP], capture_output=True, text=True,
                             timeout=60)
    except OSError:
        pytest.skip("Debian's python3-libvirt is not there")
    if out.returncode != 0:
        pytest.skip("Debian's python3-libvirt is not importable")
    for module, theirs in json.loads(out.stdout).items():
        ours = {"libvirt_qemu": qemu, "libvirt_lxc": lxc}[module]
        for name, what in theirs.items():
            assert hasattr(ours, name), "%s.%s is missing" % (module, name)
            got = getattr(ours, name)
            if isinstance(what, list):
                assert list(got.__code__.co_varnames[:got.__code__.co_argcount]) == what, name
            else:
                assert got == what, name


def test_every_call_raises_no_support(conn):
    dom = conn.lookupByName("ha-host_VM0")
    calls = [lambda: qemu.qemuMonitorCommand(dom, "info status", 0),
             lambda: qemu.qemuMonitorCommandWithFiles(dom, "{}"),
             lambda: qemu.qemuAgentCommand(dom, "{}", qemu.VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT, 0),
             lambda: qemu.qemuAttach(conn, 1, 0),
             lambda: qemu.qemuMonitorEventRegister(conn, None, "STOP", print, None),
             lambda: qemu.qemuMonitorEventDeregister(conn, 1),
             lambda: lxc.lxcOpenNamespace(dom, 0),
             lambda: lxc.lxcEnterCGroup(dom, 0)]
    for call in calls:
        with pytest.raises(libvirt.libvirtError) as e:
            call()
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
        assert "VMware" in e.value.get_error_message()
