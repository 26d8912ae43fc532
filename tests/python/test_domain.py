"""Domains through ctypes: list, start, XML description, destroy. Needs LIBVIRT_ESX_LIB and
VCSIM_ADDR (an ESX-mode simulator), like test_connect.py."""
import ctypes
import os
import sys
import unittest

from test_connect import Auth, AuthCallback, libc, lib, take_string

VIR_DOMAIN_RUNNING, VIR_DOMAIN_SHUTOFF = 1, 5
VIR_CONNECT_LIST_DOMAINS_ACTIVE = 1


class DomainInfo(ctypes.Structure):
    _fields_ = [("state", ctypes.c_ubyte), ("maxMem", ctypes.c_ulong), ("memory", ctypes.c_ulong),
                ("nrVirtCpu", ctypes.c_ushort), ("cpuTime", ctypes.c_ulonglong)]


lib.virConnectListAllDomains.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p)), ctypes.c_uint]
lib.virDomainGetName.restype = ctypes.c_char_p
lib.virDomainGetName.argtypes = [ctypes.c_void_p]
lib.virDomainGetInfo.argtypes = [ctypes.c_void_p, ctypes.POINTER(DomainInfo)]
lib.virDomainCreate.argtypes = [ctypes.c_void_p]
lib.virDomainDestroy.argtypes = [ctypes.c_void_p]
lib.virDomainFree.argtypes = [ctypes.c_void_p]
lib.virDomainGetXMLDesc.restype = ctypes.c_void_p
lib.virDomainGetXMLDesc.argtypes = [ctypes.c_void_p, ctypes.c_uint]


class DomainTest(unittest.TestCase):
    def setUp(self):
        def answer(creds, ncred, _data):
            for i in range(ncred):
                value = b"root" if creds[i].type == 2 else b"secret"
                creds[i].result = libc.strdup(value)
                creds[i].resultlen = len(value)
            return 0

        self.callback = AuthCallback(answer)
        self.types = (ctypes.c_int * 2)(2, 5)
        self.auth = Auth(self.types, 2, self.callback, None)
        uri = ("esx://%s/?no_verify=1" % os.environ["VCSIM_ADDR"]).encode()
        self.conn = lib.virConnectOpenAuth(uri, ctypes.byref(self.auth), 0)
        self.assertTrue(self.conn, lib.virGetLastErrorMessage())

    def tearDown(self):
        lib.virConnectClose(self.conn)

    def state(self, dom):
        info = DomainInfo()
        self.assertEqual(lib.virDomainGetInfo(dom, ctypes.byref(info)), 0, lib.virGetLastErrorMessage())
        return info.state

    def test_list_start_xml_destroy(self):
        doms = ctypes.POINTER(ctypes.c_void_p)()
        n = lib.virConnectListAllDomains(self.conn, ctypes.byref(doms), 0)
        self.assertGreaterEqual(n, 2)
        handles = [doms[i] for i in range(n)]
        self.assertIsNone(doms[n])  # NULL-terminated
        libc.free(doms)
        by_name = {lib.virDomainGetName(h).decode(): h for h in handles}
        dom = by_name["ha-host_VM1"]
        if self.state(dom) == VIR_DOMAIN_SHUTOFF:
            self.assertEqual(lib.virDomainCreate(dom), 0, lib.virGetLastErrorMessage())
        self.assertEqual(self.state(dom), VIR_DOMAIN_RUNNING)
        xml = take_string(lib.virDomainGetXMLDesc(dom, 0))
        self.assertIn("<name>ha-host_VM1</name>", xml)
        self.assertRegex(xml, r"<domain type='vmware' id='\d+'")
        self.assertEqual(lib.virDomainDestroy(dom), 0, lib.virGetLastErrorMessage())
        self.assertEqual(self.state(dom), VIR_DOMAIN_SHUTOFF)
        self.assertEqual(lib.virDomainDestroy(dom), -1)
        self.assertIn(b"not powered on", lib.virGetLastErrorMessage())
        self.assertEqual(lib.virDomainCreate(dom), 0, lib.virGetLastErrorMessage())
        for h in handles:
            self.assertEqual(lib.virDomainFree(h), 0)


if __name__ == "__main__":
    sys.exit(unittest.main())
