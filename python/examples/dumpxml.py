"""Prints a domain's XML (converted from its VMX file). Usage: dumpxml.py URI NAME"""
import sys

import libvirt_esx as libvirt
from _auth import AUTH

with libvirt.openAuth(sys.argv[1], AUTH, 0) as conn:
    print(conn.lookupByName(sys.argv[2]).XMLDesc(0))
