"""virSecret, virNWFilter, virNWFilterBinding and virDomainCheckpoint: libvirt's
objects VMware has none of. The lookups and listings on virConnect and virDomain raise
VIR_ERR_NO_SUPPORT, so no handle of these is ever made, and their methods fail as libvirt's do on
a NULL object (the kind's invalid-pointer error)."""
from ._handle import DomainHandle, Handle
from ._lib import lib
from ._unsupported import unsupported


@unsupported
class virSecret(Handle):
    """A secret (a volume's passphrase, a Ceph key ...) the connection keeps."""

    _free = staticmethod(lambda o: lib.virSecretFree(o))


@unsupported
class virNWFilter(Handle):
    """A network filter: firewall rules for guest NICs."""

    _free = staticmethod(lambda o: lib.virNWFilterFree(o))


@unsupported
class virNWFilterBinding(Handle):
    """A network filter bound to a guest NIC's port."""

    _free = staticmethod(lambda o: lib.virNWFilterBindingFree(o))


@unsupported
class virDomainCheckpoint(DomainHandle):
    """A checkpoint of a domain's disks."""

    _free = staticmethod(lambda o: lib.virDomainCheckpointFree(o))
