"""Lists the VMs of a host with their state and memory: one round trip for any number of VMs.
Usage: list_vms.py URI (credentials from $ESX_USER / $ESX_PASSWORD)"""
import sys

import libvirt_esx as libvirt
from _auth import AUTH

STATES = {libvirt.VIR_DOMAIN_RUNNING: "running", libvirt.VIR_DOMAIN_PAUSED: "paused",
          libvirt.VIR_DOMAIN_SHUTOFF: "shut off"}

with libvirt.openAuth(sys.argv[1], AUTH, 0) as conn:
    for dom in conn.listAllDomains(0):
        state, max_mem, memory, vcpus, _ = dom.info()
        print("%-24s %-9s %6d MiB  %d vCPU" % (dom.name(), STATES.get(state, "?"), memory // 1024,
                                               vcpus))
