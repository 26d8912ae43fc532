"""Shared by the examples: credentials from $ESX_USER / $ESX_PASSWORD for openAuth."""
import os

import libvirt_esx as libvirt


def _answer(creds, _opaque):
    for c in creds:
        c[4] = os.environ.get("ESX_USER", "root") if c[0] == libvirt.VIR_CRED_AUTHNAME \
            else os.environ.get("ESX_PASSWORD", "")
    return 0


AUTH = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], _answer, None]
