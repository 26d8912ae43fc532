"""Connection test through ctypes, as a Python tool would drive libvirt_esx: an auth callback
written in Python, host facts, and libvirt's error API. Needs LIBVIRT_ESX_LIB (path of the .so)
and VCSIM_ADDR (host:port of an ESX-mode simulator)."""
import ctypes
import os
import sys
import unittest

lib = ctypes.CDLL(os.environ.get("LIBVIRT_ESX_LIB", "libvirt_esx.so.0"))
libc = ctypes.CDLL(None)
libc.strdup.restype = ctypes.c_void_p
libc.strdup.argtypes = [ctypes.c_char_p]
libc.free.argtypes = [ctypes.c_void_p]

VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE = 2, 5
VIR_ERR_INVALID_ARG, VIR_ERR_INVALID_CONN = 8, 6


class Credential(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("prompt", ctypes.c_char_p),
                ("challenge", ctypes.c_char_p), ("defresult", ctypes.c_char_p),
                ("result", ctypes.c_void_p), ("resultlen", ctypes.c_uint)]


AuthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Credential), ctypes.c_uint, ctypes.c_void_p)


class Auth(ctypes.Structure):
    _fields_ = [("credtype", ctypes.POINTER(ctypes.c_int)), ("ncredtype", ctypes.c_uint),
                ("cb", AuthCallback), ("cbdata", ctypes.c_void_p)]


class NodeInfo(ctypes.Structure):
    _fields_ = [("model", ctypes.c_char * 32), ("memory", ctypes.c_ulong), ("cpus", ctypes.c_uint),
                ("mhz", ctypes.c_uint), ("nodes", ctypes.c_uint), ("sockets", ctypes.c_uint),
                ("cores", ctypes.c_uint), ("threads", ctypes.c_uint)]


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("domain", ctypes.c_int), ("message", ctypes.c_char_p),
                ("level", ctypes.c_int), ("conn", ctypes.c_void_p), ("dom", ctypes.c_void_p),
                ("str1", ctypes.c_char_p), ("str2", ctypes.c_char_p), ("str3", ctypes.c_char_p),
                ("int1", ctypes.c_int), ("int2", ctypes.c_int), ("net", ctypes.c_void_p)]


lib.virConnectOpenAuth.restype = ctypes.c_void_p
lib.virConnectOpenAuth.argtypes = [ctypes.c_char_p, ctypes.POINTER(Auth), ctypes.c_uint]
lib.virConnectClose.argtypes = [ctypes.c_void_p]
lib.virNodeGetInfo.argtypes = [ctypes.c_void_p, ctypes.POINTER(NodeInfo)]
lib.virConnectGetCapabilities.restype = ctypes.c_void_p
lib.virConnectGetCapabilities.argtypes = [ctypes.c_void_p]
lib.virConnectGetVersion.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong)]
lib.virConnectGetType.restype = ctypes.c_char_p
lib.virConnectGetType.argtypes = [ctypes.c_void_p]
lib.virGetLastError.restype = ctypes.POINTER(Error)
lib.virGetLastErrorMessage.restype = ctypes.c_char_p
lib.virConnectGetSysinfo.restype = ctypes.c_void_p
lib.virConnectGetSysinfo.argtypes = [ctypes.c_void_p, ctypes.c_uint]
lib.virEsxConnectGetRoundTrips.restype = ctypes.c_longlong
lib.virEsxConnectGetRoundTrips.argtypes = [ctypes.c_void_p]

# Keep libvirt's default handler from printing the errors this test provokes.
ErrorFunc = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(Error))
_silent = ErrorFunc(lambda data, err: None)
lib.virSetErrorFunc(None, _silent)


def take_string(ptr):
    """Copies a malloc'd C string the library handed over, then frees it as libvirt says."""
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        libc.free(ptr)


class AuthSetup:
    """setUp for tests that open the simulator: an auth callback answering root/secret and
    recording what it was asked, and the simulator's esx:// URI."""

    def setUp(self):
        self.asked = []

        def answer(creds, ncred, _data):
            for i in range(ncred):
                c = creds[i]
                self.asked.append((c.type, c.prompt.decode(), c.challenge.decode()))
                value = b"root" if c.type == VIR_CRED_AUTHNAME else b"secret"
                c.result = libc.strdup(value)
                c.resultlen = len(value)
            return 0

        self.callback = AuthCallback(answer)
        self.types = (ctypes.c_int * 2)(VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE)
        self.auth = Auth(self.types, 2, self.callback, None)
        self.uri = ("esx://%s/?no_verify=1" % os.environ["VCSIM_ADDR"]).encode()


class ConnectTest(AuthSetup, unittest.TestCase):
    def test_open_facts_and_close(self):
        conn = lib.virConnectOpenAuth(self.uri, ctypes.byref(self.auth), 0)
        self.assertTrue(conn, lib.virGetLastErrorMessage())
        host = os.environ["VCSIM_ADDR"].split(":")[0]
        self.assertEqual(self.asked[0], (VIR_CRED_AUTHNAME, "Enter username for %s [root]" % host, host))
        self.assertEqual(self.asked[1][0], VIR_CRED_PASSPHRASE)
        self.assertLessEqual(lib.virEsxConnectGetRoundTrips(conn), 4)

        info = NodeInfo()
        self.assertEqual(lib.virNodeGetInfo(conn, ctypes.byref(info)), 0)
        self.assertGreater(info.memory, 0)
        self.assertGreater(info.cpus, 0)
        version = ctypes.c_ulong()
        self.assertEqual(lib.virConnectGetVersion(conn, ctypes.byref(version)), 0)
        self.assertEqual(version.value, 6005000)
        self.assertEqual(lib.virConnectGetType(conn), b"ESX")
        caps = take_string(lib.virConnectGetCapabilities(conn))
        self.assertIn("<domain type='vmware'/>", caps)

        self.assertIsNone(lib.virConnectGetSysinfo(conn, 7))
        err = lib.virGetLastError().contents
        self.assertEqual(err.code, VIR_ERR_INVALID_ARG)
        self.assertIn(b"unsupported flags", err.message)
        self.assertEqual(lib.virConnectClose(conn), 0)

    def test_bad_input_is_an_error_not_a_crash(self):
        self.assertIsNone(lib.virConnectGetType(None))
        self.assertEqual(lib.virGetLastError().contents.code, VIR_ERR_INVALID_CONN)
        for uri in [b"esx://", b"esx+ssh://h/", b"esx://h/?transport=ftp", b"\xff\xfe", None]:
            self.assertIsNone(lib.virConnectOpenAuth(uri, ctypes.byref(self.auth), 0), uri)
            self.assertTrue(lib.virGetLastError(), uri)
        self.assertIsNone(lib.virConnectOpenAuth(self.uri, None, 0))
        self.assertIn(b"auth", lib.virGetLastErrorMessage())


if __name__ == "__main__":
    sys.exit(unittest.main())
