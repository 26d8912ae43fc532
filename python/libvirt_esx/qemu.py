"""libvirt-python's libvirt_qemu module (`import libvirt_esx.qemu as libvirt_qemu`): its functions
and constants, every call failing with VIR_ERR_NO_SUPPORT, as VMware VMs have no QEMU monitor."""
from typing import Any, List

from ._companion import unsupported

WHY = "VMware VMs have no QEMU monitor or QEMU guest agent"

VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_REGEX = 1
VIR_CONNECT_DOMAIN_QEMU_MONITOR_EVENT_REGISTER_NOCASE = 2
VIR_DOMAIN_QEMU_AGENT_COMMAND_BLOCK = -2
VIR_DOMAIN_QEMU_AGENT_COMMAND_MIN = -2
VIR_DOMAIN_QEMU_AGENT_COMMAND_DEFAULT = -1
VIR_DOMAIN_QEMU_AGENT_COMMAND_NOWAIT = 0
VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN = 60
VIR_DOMAIN_QEMU_MONITOR_COMMAND_DEFAULT = 0
VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP = 1


def qemuMonitorCommand(domain: Any, cmd: str, flags: int) -> str:
    return unsupported("virDomainQemuMonitorCommand", WHY)


def qemuMonitorCommandWithFiles(domain: Any, cmd: str, files: List[int] = [], flags: int = 0) -> Any:
    return unsupported("virDomainQemuMonitorCommandWithFiles", WHY)


def qemuAgentCommand(domain: Any, cmd: str, timeout: int, flags: int) -> str:
    return unsupported("virDomainQemuAgentCommand", WHY)


def qemuAttach(conn: Any, pid_value: int, flags: int) -> Any:
    return unsupported("virDomainQemuAttach", WHY)


def qemuMonitorEventRegister(conn: Any, dom: Any, event: str, cb: Any, opaque: Any, flags: int = 0) -> int:
    return unsupported("virConnectDomainQemuMonitorEventRegister", WHY)


def qemuMonitorEventDeregister(conn: Any, callbackID: int) -> None:
    return unsupported("virConnectDomainQemuMonitorEventDeregister", WHY)
