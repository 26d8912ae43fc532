"""libvirt-python 9.0's whole surface: every class, method and module function of Debian's
python3-libvirt is here with the same parameters; the methods whose C function the library does
not implement raise its VIR_ERR_NO_SUPPORT; the generated table is current."""
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

import libvirt_esx as libvirt
from libvirt_esx._unsupported_methods import METHODS

ROOT = Path(__file__).resolve().parents[2]
DEBIAN_PYTHON = "/usr/bin/python3"

# Run by Debian's own Python: each public function and class method of its libvirt module with
# its parameters as (name, kind, default or None, has a default). libvirt-python's _dispatch*
# methods are out of scope: its C glue calls them, no program does.
DUMP = r"""
import inspect, json, libvirt
def params(f):
    return [(p.name, int(p.kind), repr(p.default), p.default is not p.empty)
            for p in inspect.signature(f).parameters.values()]
out = {}
for name, obj in vars(libvirt).items():
    if getattr(obj, "__module__", None) != "libvirt" or name.startswith("_"):
        continue
    if inspect.isclass(obj):
        out[name] = {m: params(f) for m, f in vars(obj).items()
                     if callable(f) and (m == "__init__" or not m.startswith("_"))}
    elif callable(obj):
        out.setdefault("<functions>", {})[name] = params(obj)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def reference():
    try:
        out = subprocess.run([DEBIAN_PYTHON, "-c", DUMP], capture_output=True, text=True,
                             timeout=60)
    except OSError:
        out = None
    if out is None or out.returncode != 0:
        pytest.skip("Debian's python3-libvirt is not importable by %s" % DEBIAN_PYTHON)
    return json.loads(out.stdout)


def params(f):
    return [[p.name, int(p.kind), repr(p.default), p.default is not p.empty]
            for p in inspect.signature(f).parameters.values()]


def test_every_class_method_and_function_takes_libvirt_pythons_parameters(reference):
    missing, differ = [], []
    for owner, members in reference.items():
        ours = libvirt if owner == "<functions>" else getattr(libvirt, owner, None)
        for name, theirs in members.items():
            where = name if owner == "<functions>" else "%s.%s" % (owner, name)
            if ours is None or not hasattr(ours, name):
                missing.append(where)
            elif params(getattr(ours, name)) != theirs:
                differ.append((where, params(getattr(ours, name)), theirs))
    assert not missing, "missing: %s" % missing
    assert not differ, "parameters differ: %s" % differ
    assert sum(len(m) for m in reference.values()) > 480


def handle(cls, conn):
    """An object of cls: a real one where the library makes them, else one holding no handle."""
    if cls is libvirt.virConnect:
        return conn
    if cls is libvirt.virDomain:
        return conn.lookupByName("ha-host_VM0")
    if cls is libvirt.virNetwork:
        return conn.networkLookupByName("vSwitch0")
    if cls is libvirt.virNodeDevice:
        return conn.nodeDeviceLookupByName("computer")
    if cls is libvirt.virStream:
        return conn.newStream()
    if cls is libvirt.virStorageVol:
        return conn.storagePoolLookupByName("LocalDS_0").createXML(
            "<volume><name>py-surface/none.iso</name><capacity>0</capacity></volume>")
    owner = {libvirt.virNetworkPort: lambda: conn.networkLookupByName("vSwitch0"),
             libvirt.virDomainCheckpoint: lambda: conn.lookupByName("ha-host_VM0")}
    return cls(owner.get(cls, lambda: conn)())


@pytest.fixture
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


# The objects no call returns hold no handle, so their methods fail as libvirt's do on a NULL
# object: the kind's invalid-pointer error, from the kind's origin, naming the call.
NEVER_MADE = {
    "virSecret": (libvirt.VIR_ERR_INVALID_SECRET, libvirt.VIR_FROM_SECRET),
    "virNWFilter": (libvirt.VIR_ERR_INVALID_NWFILTER, libvirt.VIR_FROM_NWFILTER),
    "virNWFilterBinding": (libvirt.VIR_ERR_INVALID_NWFILTER_BINDING, libvirt.VIR_FROM_NWFILTER),
    "virNetworkPort": (libvirt.VIR_ERR_INVALID_NETWORK_PORT, libvirt.VIR_FROM_NETWORK),
    "virDomainCheckpoint": (libvirt.VIR_ERR_INVALID_DOMAIN_CHECKPOINT,
                            libvirt.VIR_FROM_DOMAIN_CHECKPOINT),
}


def test_every_unsupported_method_raises_the_librarys_error(conn, quiet):
    assert sum(len(m) for m in METHODS.values()) > 140
    for cls_name, methods in METHODS.items():
        obj = handle(getattr(libvirt, cls_name), conn)
        code, origin = NEVER_MADE.get(cls_name, (libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_FROM_ESX))
        try:
            for name, (function, _) in methods.items():
                method = getattr(obj, name)
                args = [None for p in inspect.signature(method).parameters.values()
                        if p.default is p.empty]
                with pytest.raises(libvirt.libvirtError) as e:
                    method(*args)
                err = e.value
                assert err.get_error_code() == code, (cls_name, name)
                assert err.get_error_domain() == origin, (cls_name, name)
                assert function in str(err), (cls_name, name, str(err))
        finally:
            if isinstance(obj, libvirt.virStorageVol):
                obj.delete()


def test_a_table_method_is_called_as_any_method(conn):
    with pytest.raises(TypeError):
        conn.allocPages()  # pages is required
    with pytest.raises(TypeError):
        conn.listAllSecrets(0, 1)
    assert conn.listAllSecrets.__name__ == "listAllSecrets"
    assert "virConnectListAllSecrets" in libvirt.virConnect.listAllSecrets.__doc__
    assert list(inspect.signature(libvirt.virDomain.blockCommit).parameters) == [
        "self", "disk", "base", "top", "bandwidth", "flags"]


def test_objects_vmware_lacks_keep_their_owner(conn):
    dom = conn.lookupByName("ha-host_VM0")
    checkpoint = libvirt.virDomainCheckpoint(dom)
    assert checkpoint.getDomain() is dom and checkpoint.domain() is dom
    assert checkpoint.connect() is conn and checkpoint.getConnect() is conn
    net = conn.networkLookupByName("vSwitch0")
    port = libvirt.virNetworkPort(net)
    assert port.network() is net and port.connect() is conn and port.c_pointer() == 0
    for cls in (libvirt.virSecret, libvirt.virNWFilter, libvirt.virNWFilterBinding):
        obj = cls(conn)
        assert obj.connect() is conn and obj.c_pointer() == 0


def test_the_unsupported_table_is_current():
    tool = ROOT / "tools" / "gen_python_unsupported.py"
    if not tool.exists() or not Path("/usr/lib/python3/dist-packages/libvirt.py").exists():
        pytest.skip("needs a checkout and Debian's python3-libvirt")
    out = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
