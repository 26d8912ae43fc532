"""libvirt-python's API for VMware ESX/ESXi, VMware Server (GSX) and vCenter, over the bundled
libvirt_esx library. Code written for libvirt-python runs with `import libvirt_esx as libvirt`."""
from ._abi import *  # noqa: F401,F403  every VIR_* constant of the header
from ._connect import (  # noqa: F401
    esxLiveHandles,
    getVersion,
    open,
    openAuth,
    openReadOnly,
    virConnect,
    virInitialize,
)
from ._domain import virDomain  # noqa: F401
from ._event import (  # noqa: F401
    virEventAddHandle,
    virEventAddTimeout,
    virEventInvokeFreeCallback,
    virEventRegisterDefaultImpl,
    virEventRegisterImpl,
    virEventRemoveHandle,
    virEventRemoveTimeout,
    virEventRunDefaultImpl,
    virEventUpdateHandle,
    virEventUpdateTimeout,
)
from ._network import virInterface, virNetwork, virNetworkPort  # noqa: F401
from ._nodedev import virNodeDevice  # noqa: F401
from ._snapshot import virDomainSnapshot  # noqa: F401
from ._storage import virStoragePool, virStorageVol, virStream  # noqa: F401
from ._unsupported_objects import (  # noqa: F401
    virDomainCheckpoint,
    virNWFilter,
    virNWFilterBinding,
    virSecret,
)
from ._errors import (  # noqa: F401
    libvirtError,
    registerErrorHandler,
    virGetLastError,
    virGetLastErrorCode,
    virGetLastErrorDomain,
    virGetLastErrorMessage,
    virResetLastError,
)
