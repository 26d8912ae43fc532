"""virNetwork and virInterface: the host's vSwitches and NICs, listed and looked up, with
libvirt's XML; checked through a second connection."""
import pytest

import libvirt_esx as libvirt


@pytest.fixture(autouse=True)
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


def test_networks_and_interfaces(conn, other):
    nets = conn.listAllNetworks()
    assert [n.name() for n in nets] == conn.listNetworks() == ["vSwitch0"]
    net = other.networkLookupByUUIDString(nets[0].UUIDString())
    assert net.name() == "vSwitch0" and net.isActive() == 1 and net.autostart() == 1
    assert "<forward dev='vmnic0' mode='bridge'>" in net.XMLDesc()
    assert "<portgroup name='VM Network'>" in net.XMLDesc()
    assert conn.listAllNetworks(libvirt.VIR_CONNECT_LIST_NETWORKS_INACTIVE) == []
    with pytest.raises(libvirt.libvirtError) as e:
        net.bridgeName()
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
    ifaces = conn.listAllInterfaces()
    assert sorted(i.name() for i in ifaces) == ["vmnic0", "vmnic1"]
    nic = other.interfaceLookupByMACString(ifaces[0].MACString().upper())
    assert nic.name() == ifaces[0].name() and nic.isActive() == 1
    assert conn.interfaceLookupByName("vmnic1").MACString() == ifaces[1].MACString()
    assert "<interface type='ethernet' name='vmnic0'>" in conn.interfaceLookupByName("vmnic0").XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        conn.interfaceLookupByName("vmnic9")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_INTERFACE


def test_what_a_vswitch_or_nic_cannot_do_is_refused(conn):
    net = conn.networkLookupByName("vSwitch0")
    nic = conn.interfaceLookupByName("vmnic0")
    calls = [net.create, net.destroy, nic.undefine, nic.create, nic.destroy, conn.changeBegin,
             conn.changeCommit, conn.changeRollback,
             lambda: conn.interfaceDefineXML("<interface type='ethernet' name='x'/>")]
    for call in calls:
        with pytest.raises(libvirt.libvirtError) as e:
            call()
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT, call
    assert net.isActive() == 1 and nic.isActive() == 1
