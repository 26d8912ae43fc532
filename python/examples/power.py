"""Powers a VM on or off. Usage: power.py URI NAME on|off"""
import sys

import libvirt_esx as libvirt
from _auth import AUTH

uri, name, action = sys.argv[1:4]
with libvirt.openAuth(uri, AUTH, 0) as conn:
    dom = conn.lookupByName(name)
    if action == "on" and not dom.isActive():
        dom.create()
    elif action == "off" and dom.isActive():
        dom.destroy()
    print("%s: %s" % (name, "running" if dom.isActive() else "shut off"))
