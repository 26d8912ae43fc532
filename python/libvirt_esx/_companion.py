"""The error of libvirt-python's libvirt_qemu and libvirt_lxc calls: the library's own
VIR_ERR_NO_SUPPORT, set through the export the drop-in's companion libraries use too."""
from typing import NoReturn

from ._errors import libvirtError
from ._lib import enc, lib


def unsupported(api: str, why: str) -> NoReturn:
    lib.virEsxUnsupported(enc(api), enc(why))
    raise libvirtError("%s() failed" % api)
