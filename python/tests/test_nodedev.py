"""virNodeDevice: the host and its PCI functions listed, looked up and described, and a
function's passthrough switched on and off, checked through a second connection."""
import pytest

import libvirt_esx as libvirt


@pytest.fixture(autouse=True)
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


def test_devices_are_listed_and_described(conn, other):
    devices = conn.listAllDevices()
    names = [d.name() for d in devices]
    assert names == conn.listDevices(None) and names[0] == "computer"
    assert conn.numOfDevices(None) == len(names) == 44
    assert conn.listDevices("system") == ["computer"]
    assert len(conn.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV)) == 43
    assert conn.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV) == []
    assert conn.listAllDevices(libvirt.VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE) == []
    root = other.nodeDeviceLookupByName("computer")
    assert root.parent() is None and root.listCaps() == ["system"]
    assert "<capability type='system'>" in root.XMLDesc()
    nic = other.nodeDeviceLookupByName("pci_0000_0b_00_0")
    assert nic.parent() == "pci_0000_00_16_0" and nic.numOfCaps() == 1
    assert nic.listCaps() == ["pci"]
    assert (nic.isActive(), nic.isPersistent(), nic.autostart()) == (1, 0, 0)
    assert "<bus>11</bus>" in nic.XMLDesc() and "<driver>" not in nic.XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        conn.nodeDeviceLookupByName("pci_0000_99_00_0")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_NODE_DEVICE


def test_passthrough_is_switched_on_and_off(conn, other):
    active = conn.nodeDeviceLookupByName("pci_0000_13_00_0")
    assert "<name>pciPassthru</name>" in other.nodeDeviceLookupByName(active.name()).XMLDesc()
    assert active.detachFlags("vfio") == 0
    nic = conn.nodeDeviceLookupByName("pci_0000_0b_00_0")
    try:
        assert nic.detachFlags(None) == 0
        # Configured; the host passes it through when it reboots.
        assert "<driver>" not in other.nodeDeviceLookupByName(nic.name()).XMLDesc()
    finally:
        assert nic.reAttach() == 0
    with pytest.raises(libvirt.libvirtError) as e:
        nic.detachFlags("xen")
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    with pytest.raises(libvirt.libvirtError) as e:
        conn.nodeDeviceLookupByName("pci_0000_00_16_0").dettach()
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    with pytest.raises(libvirt.libvirtError) as e:
        nic.reset()
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT



HOSTDEV = """<hostdev mode='subsystem' type='pci' managed='no'><source>
<address domain='0x0000' bus='0x13' slot='0x00' function='0x0'/></source></hostdev>"""
DEFINED = """<domain type='vmware'><name>py-passthru</name><memory unit='KiB'>262144</memory>
<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'>
<source file='[LocalDS_0] py-passthru/py-passthru.vmdk'/><target dev='sda' bus='scsi'/></disk>
%s</devices></domain>""" % HOSTDEV


def test_hostdevs_are_defined_and_refused_to_a_running_domain(conn, other):
    dom = conn.defineXML(DEFINED)
    try:
        seen = other.lookupByName("py-passthru").XMLDesc(0)
        assert "<address domain='0x0000' bus='0x13' slot='0x00' function='0x0'/>" in seen
    finally:
        dom.undefine()
    running = conn.lookupByName("ha-host_VM0")
    assert running.isActive() == 1
    with pytest.raises(libvirt.libvirtError) as e:
        running.attachDeviceFlags(HOSTDEV, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    assert "stopped domain only" in e.value.get_error_message()
