"""VMX <-> domain XML through ctypes: virConnectDomainXMLFromNative/ToNative against an
ESX-mode simulator (VCSIM_ADDR), with the structures and auth setup of test_connect."""
import ctypes
import unittest

import test_connect as base

lib = base.lib
for name in ("virConnectDomainXMLFromNative", "virConnectDomainXMLToNative"):
    getattr(lib, name).restype = ctypes.c_void_p
    getattr(lib, name).argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]

VMX = b"""config.version = "8"
virtualHW.version = "13"
displayName = "py-test"
memsize = "64"
scsi0.present = "TRUE"
scsi0.virtualDev = "lsilogic"
scsi0:0.present = "TRUE"
scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/py-test/disk.vmdk"
scsi0:1.present = "TRUE"
scsi0:1.fileName = "beside.vmdk"
"""


class ConvertTest(base.AuthSetup, unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.conn = lib.virConnectOpenAuth(self.uri, ctypes.byref(self.auth), 0)
        self.assertTrue(self.conn, lib.virGetLastErrorMessage())

    def tearDown(self):
        lib.virConnectClose(self.conn)

    def test_vmx_to_xml_and_back(self):
        ptr = lib.virConnectDomainXMLFromNative(self.conn, b"vmware-vmx", VMX, 0)
        self.assertTrue(ptr, lib.virGetLastErrorMessage())
        xml = base.take_string(ptr)
        self.assertIn("<source file='[LocalDS_0] py-test/disk.vmdk'/>", xml)
        self.assertIn("<source file='[?] ?/beside.vmdk'/>", xml)

        ptr = lib.virConnectDomainXMLToNative(self.conn, b"vmware-vmx", xml.encode(), 0)
        self.assertTrue(ptr, lib.virGetLastErrorMessage())
        vmx = base.take_string(ptr)
        self.assertIn('scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/py-test/disk.vmdk"', vmx)
        self.assertIn('scsi0:1.fileName = "beside.vmdk"', vmx)
        self.assertIn('virtualHW.version = "13"', vmx)

    def test_errors(self):
        self.assertIsNone(lib.virConnectDomainXMLFromNative(self.conn, b"xen-xm", VMX, 0))
        err = lib.virGetLastError().contents
        self.assertEqual(err.code, base.VIR_ERR_INVALID_ARG)
        self.assertIn(b"Unsupported config format 'xen-xm'", err.message)
        self.assertIsNone(lib.virConnectDomainXMLToNative(self.conn, b"vmware-vmx", b"<domain/>", 4))
        self.assertIn(b"unsupported flags", lib.virGetLastErrorMessage())
        missing = VMX.replace(b"LocalDS_0", b"NoSuchDS")
        self.assertIsNone(lib.virConnectDomainXMLFromNative(self.conn, b"vmware-vmx", missing, 0))
        self.assertIn(b"non-existing datastore 'NoSuchDS'", lib.virGetLastErrorMessage())


if __name__ == "__main__":
    unittest.main()
