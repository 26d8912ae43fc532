"""The package itself: its bundled library, the generated ABI, versions, errors and handlers."""
import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import libvirt_esx as libvirt
from libvirt_esx import _abi, _lib

ROOT = Path(__file__).resolve().parents[2]


def test_loads_its_bundled_library_without_a_toolchain():
    if "LIBVIRT_ESX_LIBRARY" not in os.environ:
        path = Path(_lib._find())
        assert path.parent == Path(libvirt.__file__).parent and path.name.startswith("_native")
    assert shutil.which("cargo") is None or os.environ.get("LIBVIRT_ESX_DEV"), \
        "the installed package must run with no Rust toolchain on PATH"


def test_abi_is_what_the_header_generates():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_python_abi.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_every_header_constant_and_function_is_there():
    import re
    # The *_LAST sentinels behind VIR_ENUM_SENTINELS are C's only, as in libvirt-python.
    header = re.sub(r"#if defined\(VIR_ENUM_SENTINELS\).*?#endif", "",
                    (ROOT / "include" / "libvirt_esx.h").read_text(), flags=re.S)
    for name, value in re.findall(r"^\s+(VIR_\w+) = (-?\d+),", header, re.M):
        # Compared as 32 bits: a bit-31 flag is a negative int in the C enum, positive here.
        assert getattr(libvirt, name) & 0xFFFFFFFF == int(value) & 0xFFFFFFFF, name
    for name in re.findall(r"^(?:\w[\w\s\*]*?)\b(vir\w+)\(", header, re.M):
        assert name in _abi.FUNCTIONS, name
    assert libvirt.VIR_DOMAIN_RUNNING == 1 and libvirt.VIR_ERR_NO_DOMAIN == 42
    assert not hasattr(libvirt, "c_int") and not hasattr(libvirt, "FUNCTIONS")


def test_struct_layouts_are_libvirts():
    assert ctypes.sizeof(_abi.virError) == 80 and ctypes.sizeof(_abi.virNodeInfo) == 64
    assert ctypes.sizeof(_abi.virTypedParameter) == 96 and ctypes.sizeof(_abi.virDomainInfo) == 40
    assert ctypes.sizeof(_abi.virConnectCredential) == 48 and ctypes.sizeof(_abi.virConnectAuth) == 32
    assert ctypes.sizeof(_abi.virVcpuInfo) == 24 and ctypes.sizeof(_abi.virDomainInterface) == 32


def test_versions():
    assert libvirt.virInitialize() == 0  # the library initialized itself; a no-op, as in libvirt
    assert libvirt.getVersion() == libvirt.LIBVIR_VERSION_NUMBER
    assert libvirt.getVersion("ESX") == (libvirt.LIBVIR_VERSION_NUMBER, libvirt.LIBVIR_VERSION_NUMBER)
    with pytest.raises(libvirt.libvirtError) as e:
        libvirt.getVersion("QEMU")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT


def test_errors_carry_the_last_error():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    try:
        with pytest.raises(libvirt.libvirtError) as e:
            libvirt.open("bogus://host/")
        err = e.value
        assert err.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
        assert err.get_error_domain() == libvirt.VIR_FROM_ESX
        assert err.get_error_level() == libvirt.VIR_ERR_ERROR
        assert "Unsupported URI scheme 'bogus'" in err.get_error_message() == str(err)
        assert err.get_str1().startswith("invalid argument") and err.get_int1() == -1
        assert libvirt.virGetLastError()[0] == libvirt.VIR_ERR_INVALID_ARG
        assert libvirt.virGetLastErrorCode() == libvirt.VIR_ERR_INVALID_ARG
        assert libvirt.virGetLastErrorDomain() == libvirt.VIR_FROM_ESX
        assert "bogus" in libvirt.virGetLastErrorMessage()
        libvirt.virResetLastError()
        assert libvirt.virGetLastError() is None
        assert libvirt.virGetLastErrorMessage() == "no error"
    finally:
        libvirt.registerErrorHandler(None, None)


def test_error_handler_gets_every_error_and_may_fail():
    seen = []
    assert libvirt.registerErrorHandler(lambda ctx, err: seen.append((ctx, err)), "ctx") == 1
    try:
        with pytest.raises(libvirt.libvirtError):
            libvirt.openReadOnly("esx://")
        assert seen and seen[-1][0] == "ctx" and seen[-1][1][0] == libvirt.VIR_ERR_INVALID_ARG

        def broken(ctx, err):
            raise RuntimeError("a handler that fails")
        libvirt.registerErrorHandler(broken, None)
        with pytest.raises(libvirt.libvirtError):
            libvirt.open("bogus://x/")
    finally:
        libvirt.registerErrorHandler(None, None)


def test_every_export_is_wrapped_or_said_why_not():
    package = Path(libvirt.__file__).parent
    source = "".join(p.read_text() for p in package.glob("*.py") if p.name != "_abi.py")
    # The generated table's methods call their export by name (getattr), not as lib.NAME(;
    # a two-call getter is handed its export as lib.NAME, .
    from libvirt_esx._unsupported_methods import METHODS

    def wrapped(name):
        return re.search(r"lib\.%s[(,]" % name, source) is not None

    tabled = {function for methods in METHODS.values() for function, _ in methods.values()}
    unused = [name for name in _abi.FUNCTIONS if not wrapped(name)
              and name not in tabled and name not in _lib.NOT_WRAPPED]
    assert not unused, "exports without a Python method: %s" % unused
    assert not tabled - set(_abi.FUNCTIONS), "the table names exports the library lacks"
    said_twice = [name for name in _lib.NOT_WRAPPED if name in tabled or wrapped(name)]
    assert not said_twice, "wrapped, yet said why not: %s" % said_twice
