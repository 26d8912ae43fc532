"""virNetwork and virInterface: the host's vSwitches and NICs, listed and looked up, with
libvirt's XML; a vSwitch defined, updated and undefined; checked through a second connection."""
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
    assert sorted(i.name() for i in ifaces) == ["vmnic0", "vmnic1", "vmnic2", "vmnic3"]
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


SWITCH = """<network><name>vSwitchPy</name>
<forward mode='bridge'><interface dev='vmnic3'/></forward>
<portgroup name='pyPg0'/><portgroup name='pyPg42'><vlan><tag id='42'/></vlan></portgroup>
</network>"""


def test_a_vswitch_is_defined_updated_and_undefined(conn, other):
    net = conn.networkDefineXMLFlags(SWITCH, libvirt.VIR_NETWORK_DEFINE_VALIDATE)
    seen = other.networkLookupByName("vSwitchPy")
    assert seen.UUIDString() == net.UUIDString()
    xml = seen.XMLDesc()
    assert "<interface dev='vmnic3'/>" in xml and "<tag id='42'/>" in xml
    portgroup = libvirt.VIR_NETWORK_SECTION_PORTGROUP
    net.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_MODIFY, portgroup, -1,
               "<portgroup name='pyPg42'><vlan><tag id='43'/></vlan></portgroup>",
               libvirt.VIR_NETWORK_UPDATE_AFFECT_LIVE | libvirt.VIR_NETWORK_UPDATE_AFFECT_CONFIG)
    net.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, portgroup, -1,
               "<portgroup name='pyPg7'/>")
    xml = other.networkLookupByName("vSwitchPy").XMLDesc()
    assert "<tag id='43'/>" in xml and "<portgroup name='pyPg7'>" in xml
    net.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_DELETE, portgroup, -1, "<portgroup name='pyPg7'/>")
    assert "pyPg7" not in other.networkLookupByName("vSwitchPy").XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        net.update(libvirt.VIR_NETWORK_UPDATE_COMMAND_ADD_LAST, libvirt.VIR_NETWORK_SECTION_IP, -1,
                   "<ip address='10.0.0.1'/>")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
    with pytest.raises(libvirt.libvirtError) as e:
        conn.networkDefineXML(SWITCH.replace("vSwitchPy", "vSwitchPy2").replace("pyPg", "pyQ"))
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID  # vmnic3 is taken
    with pytest.raises(libvirt.libvirtError) as e:
        conn.networkDefineXML("<network><name>x</name><portgroup name='pyPg0'/></network>")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NETWORK_EXIST
    assert net.undefine() == 0
    with pytest.raises(libvirt.libvirtError) as e:
        other.networkLookupByName("vSwitchPy")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_NETWORK
    assert other.listNetworks() == ["vSwitch0"]
