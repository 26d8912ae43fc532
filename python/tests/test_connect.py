"""virConnect: opening every way, the auth callback (answering, refusing, raising), the
connection's and host's facts, conversion, and closing."""
import gc

import pytest

import libvirt_esx as libvirt
from conftest import AUTH


@pytest.fixture(autouse=True)
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


def test_open_auth_asks_the_callback_like_libvirt_python(uri):
    asked = []

    def callback(creds, opaque):
        asked.append((opaque, [c[:4] for c in creds]))
        for c in creds:
            c[4] = "root" if c[0] == libvirt.VIR_CRED_AUTHNAME else "secret"
        return 0

    conn = libvirt.openAuth(uri, [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE],
                                  callback, "opaque"], 0)
    try:
        assert conn.isAlive() == 1
        kinds = [c[0] for _, creds in asked for c in creds]
        assert kinds == [libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE]
        assert asked[0][0] == "opaque" and asked[0][1][0][1].startswith("Enter username for")
    finally:
        conn.close()


@pytest.mark.parametrize("callback", [lambda creds, opaque: -1, lambda creds, opaque: 1 / 0,
                                      lambda creds, opaque: None])
def test_a_refusing_or_raising_callback_fails_the_open(uri, callback):
    with pytest.raises(libvirt.libvirtError) as e:
        libvirt.openAuth(uri, [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], callback,
                               None], 0)
    assert e.value.get_error_code() == libvirt.VIR_ERR_AUTH_FAILED


def test_open_and_read_only(uri):
    with pytest.raises(libvirt.libvirtError) as e:
        libvirt.open(uri)  # no user in the URI, no auth.conf, no callback
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    assert "Missing authentication credentials" in str(e.value)
    ro = libvirt.openAuth(uri, AUTH, libvirt.VIR_CONNECT_RO)
    dom = ro.listAllDomains()[0]
    with pytest.raises(libvirt.libvirtError) as e:
        dom.destroy()
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_DENIED
    assert "virDomainDestroy" in e.value.get_error_message()
    del dom
    ro.close()
    with pytest.raises(libvirt.libvirtError) as e:
        libvirt.openReadOnly(uri)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_connection_facts(conn, uri):
    assert conn.getType() == "ESX"
    assert conn.getVersion() > 6_000_000
    assert conn.getLibVersion() == libvirt.LIBVIR_VERSION_NUMBER
    assert conn.getURI() == uri
    assert conn.isEncrypted() == 1 and conn.isSecure() == 1 and conn.isAlive() == 1
    assert conn.esxRoundTrips() == 3  # service content, login, inventory


def test_host_facts_cost_one_round_trip_each(conn):
    before = conn.esxRoundTrips()
    model, memory_mib, cpus, mhz, nodes, sockets, cores, threads = conn.getInfo()
    assert model and memory_mib > 0 and cpus > 0 and mhz > 0 and nodes >= 1
    assert sockets * cores * threads >= 1
    assert conn.getFreeMemory() > 0
    assert conn.getHostname()
    assert "<domain type='vmware'/>" in conn.getCapabilities()
    assert conn.getSysinfo().startswith("<sysinfo type='smbios'>")
    assert conn.getMaxVcpus(None) > 0 and conn.getMaxVcpus("vmware") > 0
    assert conn.esxRoundTrips() - before == 7
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getMaxVcpus("xen")
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    with pytest.raises(libvirt.libvirtError):
        conn.getSysinfo(1)
    assert conn.virConnGetLastError()[0] == libvirt.VIR_ERR_INVALID_ARG
    conn.virConnResetLastError()
    assert conn.virConnGetLastError() is None


VMX = """config.version = "8"
virtualHW.version = "13"
displayName = "py-test"
memsize = "64"
scsi0.present = "TRUE"
scsi0.virtualDev = "lsilogic"
scsi0:0.present = "TRUE"
scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/py-test/disk.vmdk"
"""


def test_native_conversions(conn):
    xml = conn.domainXMLFromNative("vmware-vmx", VMX, 0)
    assert "<source file='[LocalDS_0] py-test/disk.vmdk'/>" in xml
    vmx = conn.domainXMLToNative("vmware-vmx", xml, 0)
    assert 'scsi0:0.fileName = "/vmfs/volumes/LocalDS_0/py-test/disk.vmdk"' in vmx
    with pytest.raises(libvirt.libvirtError) as e:
        conn.domainXMLFromNative("xen-xm", VMX, 0)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    assert "Unsupported config format 'xen-xm'" in str(e.value)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.domainXMLToNative("vmware-vmx", xml, 4)
    assert "unsupported flags" in str(e.value)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.domainXMLFromNative("vmware-vmx", VMX.replace("LocalDS_0", "NoSuchDS"), 0)
    assert "non-existing datastore 'NoSuchDS'" in str(e.value)


# A Workstation file (windows-1252, as Workstation on Windows writes it): bytes, not text.
WORKSTATION_VMX = (b'.encoding = "windows-1252"\r\nconfig.version = "8"\r\n'
                   b'virtualHW.version = "13"\r\ndisplayName = "Caf\xe9"\r\n'
                   b'guestOS = "windows9-64"\r\nsound.present = "TRUE"\r\n'
                   b'ethernet0.present = "TRUE"\r\nethernet0.connectionType = "hostonly"\r\n'
                   b'ide1:0.present = "TRUE"\r\nide1:0.deviceType = "cdrom-image"\r\n'
                   b'ide1:0.fileName = "C:\\ISO\\win.iso"\r\n')


def test_workstation_files_convert_and_the_libvirt_dialect_is_libvirts(uri, conn):
    xml = conn.domainXMLFromNative("vmware-vmx", WORKSTATION_VMX, 0)
    for part in ["<name>Caf\u00e9</name>", "<source file='C:\\ISO\\win.iso'/>",
                 "<source network='vmnet1'/>", "<sound model='es1370'/>",
                 "<vmware:guestos>windows9-64</vmware:guestos>"]:
        assert part in xml, xml
    vmx = conn.domainXMLToNative("vmware-vmx", xml, 0)
    assert 'guestOS = "windows9-64"' in vmx and 'ethernet0.connectionType = "hostonly"' in vmx
    with libvirt.openAuth(uri + "&converter=libvirt", AUTH, 0) as plain:
        xml = plain.domainXMLFromNative("vmware-vmx", WORKSTATION_VMX, 0)
    assert "<sound" not in xml and "vmware:" not in xml and "vmnet1" in xml


@pytest.mark.parametrize("bad", ["esx://", "esx+ssh://h/", "esx://h/?transport=ftp", "gopher://h/",
                                 "esx://h/?no_verify=2", "esx://h:99999/"])
def test_bad_uris_are_errors_not_crashes(bad):
    with pytest.raises(libvirt.libvirtError) as e:
        libvirt.openAuth(bad, AUTH, 0)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG, str(e.value)


def test_closing(uri):
    conn = libvirt.openAuth(uri, AUTH, 0)
    dom = conn.listAllDomains()[0]
    assert conn.close() == 1  # the domain still holds its reference, as in libvirt
    assert dom.name()
    del dom
    gc.collect()
    with libvirt.openAuth(uri, AUTH, 0) as c:
        assert c.isAlive() == 1
    assert c.c_pointer() == 0


def test_domain_capabilities(conn):
    caps = conn.getDomainCapabilities()
    assert caps.startswith("<domainCapabilities>\n  <domain>vmware</domain>\n")
    assert "<vmware:guest id='debian10_64Guest'" in caps
    assert conn.getDomainCapabilities(None, "x86_64", None, "vmware") == caps
    with pytest.raises(libvirt.libvirtError) as e:
        conn.getDomainCapabilities("/usr/bin/qemu-system-x86_64")
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
