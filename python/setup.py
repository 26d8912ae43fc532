"""Builds the Rust library (the crate one folder up) into the package as a plain cdylib that the
module loads with ctypes: the wheel needs no compiler, no libvirt and no Python C API."""
import re
from pathlib import Path

from setuptools import setup
from setuptools_rust import Binding, RustExtension
try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel

CRATE = Path(__file__).resolve().parent.parent / "Cargo.toml"


def crate_version():
    return re.search(r'^version = "([^"]+)"', CRATE.read_text(), re.M).group(1)


class PlatformWheel(bdist_wheel):
    """The library talks C to ctypes, not to the Python ABI: any Python 3, this platform."""

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(
    version=crate_version(),
    rust_extensions=[
        RustExtension(
            "libvirt_esx._native",
            path=str(CRATE),
            binding=Binding.NoBinding,
            py_limited_api=False,
        )
    ],
    cmdclass={"bdist_wheel": PlatformWheel},
)
