"""libvirt-python's libvirt_lxc module (`import libvirt_esx.lxc as libvirt_lxc`): its functions,
every call failing with VIR_ERR_NO_SUPPORT, as VMware VMs are not containers."""
from typing import Any

from ._companion import unsupported

WHY = "VMware VMs are not containers"


def lxcOpenNamespace(domain: Any, flags: int) -> Any:
    return unsupported("virDomainLxcOpenNamespace", WHY)


def lxcEnterCGroup(domain: Any, flags: int) -> Any:
    return unsupported("virDomainLxcEnterCGroup", WHY)
