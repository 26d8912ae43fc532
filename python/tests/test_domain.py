"""virDomain: listing and lookups, identity, state, XML, power, tuning, define/undefine and
guest information; every change is checked through a second connection."""
import base64
import re
import socket
import ssl
import time
import urllib.request

import pytest

import libvirt_esx as libvirt

from conftest import ADDR

XML = """<domain type='vmware'>
  <name>py-defined</name>
  <uuid>2c9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a72</uuid>
  <memory unit='KiB'>262144</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='[LocalDS_0] py-defined/py-defined.vmdk'/>
      <target dev='sda' bus='scsi'/>
    </disk>
  </devices>
</domain>"""


@pytest.fixture(autouse=True)
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


def running(conn, name):
    dom = conn.lookupByName(name)
    if not dom.isActive():
        dom.create()
    return dom


def test_listing_costs_one_round_trip_and_info_for_all_two_more(conn):
    before = conn.esxRoundTrips()
    doms = conn.listAllDomains(0)
    assert conn.esxRoundTrips() - before == 1
    infos = [d.info() for d in doms]
    # The sizing of all, the counter id (once per connection), one QueryPerf for all.
    assert conn.esxRoundTrips() - before == 4
    assert {d.name() for d in doms} >= {"ha-host_VM0", "ha-host_VM1"}
    for state, max_mem, memory, vcpus, cpu_time in infos:
        assert state in (libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_SHUTOFF,
                         libvirt.VIR_DOMAIN_PAUSED)
        assert max_mem >= memory > 0 and vcpus >= 1
        assert (cpu_time > 0) == (state == libvirt.VIR_DOMAIN_RUNNING)
    active = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
    assert sorted(d.ID() for d in active) == sorted(conn.listDomainsID())
    assert conn.numOfDomains() == len(active)
    inactive = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_INACTIVE)
    assert sorted(d.name() for d in inactive) == sorted(conn.listDefinedDomains())
    assert conn.numOfDefinedDomains() == len(inactive)
    with pytest.raises(libvirt.libvirtError) as e:
        conn.listAllDomains(1 << 20)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_lookups_and_identity(conn):
    dom = running(conn, "ha-host_VM1")
    assert conn.lookupByID(dom.ID()).name() == "ha-host_VM1"
    assert conn.lookupByUUID(dom.UUID()).UUIDString() == dom.UUIDString()
    assert conn.lookupByUUIDString(dom.UUIDString()) == dom
    assert len(dom.UUID()) == 16 and dom.OSType() == "hvm"
    assert dom.connect() is conn
    assert dom.isPersistent() == 1 and dom.isUpdated() == 0
    with pytest.raises(libvirt.libvirtError) as e:
        conn.lookupByName("no-such-vm")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
    with pytest.raises(libvirt.libvirtError) as e:
        conn.lookupByUUIDString("not-a-uuid")
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_state_vcpus_scheduler_and_xml(conn):
    dom = running(conn, "ha-host_VM1")
    assert dom.state() == [libvirt.VIR_DOMAIN_RUNNING, libvirt.VIR_DOMAIN_RUNNING_UNKNOWN]
    assert dom.maxMemory() == dom.info()[1]
    assert dom.maxVcpus() == dom.vcpusFlags(0) == dom.info()[3]
    info, maps = dom.vcpus()
    assert [v[0] for v in info] == list(range(dom.info()[3]))
    assert all(all(m) and len(m) == conn.getInfo()[2] for m in maps)
    assert dom.schedulerType() == ["allocation", 3]
    params = dom.schedulerParameters()
    assert set(params) == {"reservation", "limit", "shares"}
    assert dom.schedulerParametersFlags(libvirt.VIR_DOMAIN_AFFECT_LIVE) == params
    xml = dom.XMLDesc(0)
    assert "<name>ha-host_VM1</name>" in xml and "<domain type='vmware' id=" in xml
    assert "id=" not in dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE).splitlines()[0]
    with pytest.raises(libvirt.libvirtError) as e:
        dom.vcpusFlags(libvirt.VIR_DOMAIN_VCPU_GUEST)
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED


def test_power_cycle_seen_by_the_server(conn, other):
    dom = running(conn, "ha-host_VM0")
    dom.suspend()
    assert other.lookupByName("ha-host_VM0").state()[0] == libvirt.VIR_DOMAIN_PAUSED
    dom.resume()
    dom.reset(0)
    dom.destroyFlags(0)
    assert other.lookupByName("ha-host_VM0").info()[0] == libvirt.VIR_DOMAIN_SHUTOFF
    assert dom.ID() == -1
    with pytest.raises(libvirt.libvirtError) as e:
        dom.destroy()
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    dom.createWithFlags(0)
    assert other.lookupByName("ha-host_VM0").isActive() == 1
    for call in (dom.shutdown, lambda: dom.shutdownFlags(libvirt.VIR_DOMAIN_SHUTDOWN_GUEST_AGENT),
                 lambda: dom.reboot(0)):
        try:
            call()  # needs VMware Tools in the guest; the simulator may say no
        except libvirt.libvirtError as e:
            assert e.get_error_code() in (libvirt.VIR_ERR_OPERATION_INVALID,
                                          libvirt.VIR_ERR_NO_SUPPORT, libvirt.VIR_ERR_INTERNAL_ERROR)
    if not dom.isActive():
        dom.create()


def test_tuning_seen_by_the_server(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    if dom.isActive():
        dom.destroy()
    dom.setMaxMemory(128 * 1024)
    dom.setVcpusFlags(2, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    seen = other.lookupByName("ha-host_VM0")
    assert seen.maxMemory() == 128 * 1024 and seen.vcpusFlags(0) == 2
    dom.setMemory(64 * 1024)
    dom.setMemoryFlags(64 * 1024, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    dom.setVcpus(1)
    assert other.lookupByName("ha-host_VM0").info()[2:4] == [64 * 1024, 1]
    dom.setSchedulerParameters({"reservation": 10, "limit": 500, "shares": 1234})
    assert other.lookupByName("ha-host_VM0").schedulerParameters() == \
        {"reservation": 10, "limit": 500, "shares": 1234}
    # All three at once: the simulator replaces the whole allocation where ESX merges.
    dom.setSchedulerParametersFlags({"reservation": 0, "limit": -1, "shares": -2},
                                    libvirt.VIR_DOMAIN_AFFECT_LIVE)
    assert other.lookupByName("ha-host_VM0").schedulerParameters() == \
        {"reservation": 0, "limit": -1, "shares": -2}
    with pytest.raises(TypeError):
        dom.setSchedulerParameters({"weight": 1})
    dom.setAutostart(1)
    assert other.lookupByName("ha-host_VM0").autostart() == 1
    dom.setAutostart(0)
    assert dom.autostart() == 0
    dom.create()


def test_define_and_undefine_seen_by_the_server(conn, other):
    dom = conn.defineXML(XML)
    assert other.lookupByName("py-defined").UUIDString() == "2c9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a72"
    assert "<memory unit='KiB'>262144</memory>" in dom.XMLDesc(0)
    # Redefining reloads the VMX (the simulator re-registers it, so take the new handle).
    again = conn.defineXMLFlags(XML, libvirt.VIR_DOMAIN_DEFINE_VALIDATE)
    assert again.UUIDString() == dom.UUIDString()
    again.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
    with pytest.raises(libvirt.libvirtError) as e:
        other.lookupByName("py-defined")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN
    with pytest.raises(libvirt.libvirtError):
        again.undefine()
    with pytest.raises(libvirt.libvirtError) as e:
        conn.defineXML("<domain")
    assert e.value.get_error_code() in (libvirt.VIR_ERR_XML_ERROR, libvirt.VIR_ERR_XML_DETAIL)


def guest_with_tools(dom):
    """Waits for the stand-in VMware Tools (the simulator runs with -tools) to report."""
    for _ in range(200):
        try:
            return dom.guestInfo()
        except libvirt.libvirtError as e:
            assert e.get_error_code() == libvirt.VIR_ERR_AGENT_UNRESPONSIVE
            time.sleep(0.05)
    raise AssertionError("VMware Tools never reported")


def test_guest_information(conn, other):
    dom = running(conn, "ha-host_VM1")
    info = guest_with_tools(dom)
    assert info["os.id"] == "debian" and info["os.version-id"] == "12"
    assert info["hostname"] == dom.hostname(0) == "ha-host-vm1"
    # The file systems, each on the disk the domain XML names, as the other connection sees it.
    xml = other.lookupByName("ha-host_VM1").XMLDesc(0)
    fs = dom.fsInfo()
    assert info["fs.count"] == len(fs) >= 1
    for i, (mount, name, fstype, disks) in enumerate(fs):
        assert (info["fs.%d.mountpoint" % i], info["fs.%d.fstype" % i]) == (mount, fstype)
        assert name == "" and all("<target dev='%s'" % d in xml for d in disks)
        assert info["fs.%d.total-bytes" % i] >= info["fs.%d.used-bytes" % i]
    addrs = dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT)
    assert info["if.count"] == len(addrs)
    assert {info["if.%d.hwaddr" % i] for i in range(info["if.count"])} == \
        {a["hwaddr"] for a in addrs.values()}
    assert dom.guestInfo(libvirt.VIR_DOMAIN_GUEST_INFO_HOSTNAME) == {"hostname": "ha-host-vm1"}
    for group in (libvirt.VIR_DOMAIN_GUEST_INFO_USERS, libvirt.VIR_DOMAIN_GUEST_INFO_TIMEZONE):
        with pytest.raises(libvirt.libvirtError) as e:
            dom.guestInfo(group)
        assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
    with pytest.raises(libvirt.libvirtError) as e:
        dom.interfaceAddresses(libvirt.VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED


def test_a_nic_is_attached_and_detached(conn, other):
    dom = running(conn, "ha-host_VM1")
    nic = ("<interface type='bridge'><mac address='00:50:56:00:77:01'/>"
           "<source bridge='VM Network'/><model type='vmxnet3'/></interface>")
    assert dom.attachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_LIVE) == 0
    assert "00:50:56:00:77:01" in other.lookupByName("ha-host_VM1").XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.attachDeviceFlags(nic, libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    assert dom.detachDevice(nic) == 0
    assert "00:50:56:00:77:01" not in other.lookupByName("ha-host_VM1").XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.detachDevice(nic)
    assert e.value.get_error_code() == libvirt.VIR_ERR_DEVICE_MISSING


def test_a_disk_is_attached_and_detached(conn, other):
    dom = running(conn, "ha-host_VM1")
    pool = conn.storagePoolLookupByName("LocalDS_0")
    vol = pool.createXML("<volume><name>py-hot/d.vmdk</name><capacity unit='M'>4</capacity>"
                         "<target><format type='vmdk'/></target></volume>")
    disk = ("<disk type='file' device='disk'><source file='%s'/>"
            "<target dev='sde' bus='scsi'/></disk>" % vol.path())
    try:
        assert dom.attachDeviceFlags(disk, libvirt.VIR_DOMAIN_AFFECT_LIVE) == 0
        assert "<target dev='sde' bus='scsi'/>" in other.lookupByName("ha-host_VM1").XMLDesc()
        assert dom.detachDeviceFlags(disk, libvirt.VIR_DOMAIN_AFFECT_LIVE) == 0
        assert "dev='sde'" not in other.lookupByName("ha-host_VM1").XMLDesc()
    finally:
        vol.delete()


def test_a_nic_is_updated_and_detached_by_alias(conn, other):
    dom = running(conn, "ha-host_VM1")
    mac = "00:50:56:00:77:02"
    dom.attachDevice("<interface type='bridge'><mac address='%s'/>"
                     "<source bridge='VM Network'/></interface>" % mac)
    assert dom.updateDeviceFlags("<interface type='bridge'><mac address='%s'/>"
                                 "<link state='down'/></interface>" % mac,
                                 libvirt.VIR_DOMAIN_AFFECT_LIVE) == 0
    with pytest.raises(libvirt.libvirtError) as e:
        dom.updateDeviceFlags("<disk type='file' device='disk'><source file='[LocalDS_0] x.vmdk'/>"
                              "<target dev='sda'/></disk>", libvirt.VIR_DOMAIN_AFFECT_LIVE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_UNSUPPORTED
    with pytest.raises(libvirt.libvirtError) as e:
        dom.detachDeviceAlias("no such device", libvirt.VIR_DOMAIN_AFFECT_LIVE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_DEVICE_MISSING
    # The label vSphere gave the NIC, as a second connection reads it off the server.
    xml = other.lookupByName("ha-host_VM1").XMLDesc()
    assert mac in xml
    dom.detachDevice("<interface type='bridge'><mac address='%s'/></interface>" % mac)
    assert mac not in other.lookupByName("ha-host_VM1").XMLDesc()


def test_managed_save_rename_and_description(conn, other):
    dom = running(conn, "ha-host_VM0")
    assert dom.managedSave() == 0 and dom.hasManagedSaveImage() == 1
    seen = other.lookupByName("ha-host_VM0")
    assert seen.state()[0] == libvirt.VIR_DOMAIN_PAUSED
    assert [d.name() for d in other.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE)] \
        == ["ha-host_VM0"]
    assert dom.create() == 0 and other.lookupByName("ha-host_VM0").isActive() == 1
    assert dom.hasManagedSaveImage() == 0

    assert dom.rename("py-renamed") == 0 and dom.name() == "py-renamed"
    assert other.lookupByName("py-renamed").UUIDString() == dom.UUIDString()
    assert dom.rename("ha-host_VM0") == 0

    desc = libvirt.VIR_DOMAIN_METADATA_DESCRIPTION
    assert dom.setMetadata(desc, "from python", None, None) == 0
    assert other.lookupByName("ha-host_VM0").metadata(desc, None) == "from python"
    dom.setMetadata(desc, None, None, None)
    with pytest.raises(libvirt.libvirtError) as e:
        dom.metadata(desc, None)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA
    with pytest.raises(libvirt.libvirtError) as e:
        dom.metadata(libvirt.VIR_DOMAIN_METADATA_TITLE, None)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
    elem, uri = libvirt.VIR_DOMAIN_METADATA_ELEMENT, "http://example.org/py"
    assert dom.setMetadata(elem, "<tag n='1'>py</tag>", "py", uri) == 0
    kept = '<py:tag xmlns:py="http://example.org/py" n="1">py</py:tag>'
    seen = other.lookupByName("ha-host_VM0")
    assert seen.metadata(elem, uri) == kept and kept in seen.XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.setMetadata(elem, "<a><b></a>", "py", uri)
    assert e.value.get_error_code() == libvirt.VIR_ERR_XML_ERROR
    dom.setMetadata(elem, None, None, uri)
    with pytest.raises(libvirt.libvirtError) as e:
        seen.metadata(elem, uri)
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA
    assert dom.diskErrors() == {}
    for call in (lambda: dom.save("/tmp/x"), lambda: conn.restore("/tmp/x"),
                 lambda: conn.createXMLWithFiles("<domain/>", [])):
        with pytest.raises(libvirt.libvirtError) as e:
            call()
        assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT


def test_names_and_metadata_read_back_as_set(conn, other):
    dom = conn.lookupByName("ha-host_VM1")
    for name in ("a%2fb", "a/b", "50%"):
        assert dom.rename(name) == 0 and dom.name() == name
        seen = other.lookupByName(name)
        assert seen.UUIDString() == dom.UUIDString()
        assert "<name>%s</name>" % name in seen.XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.rename("cr\rname")
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    assert dom.rename("ha-host_VM1") == 0

    desc = libvirt.VIR_DOMAIN_METADATA_DESCRIPTION
    assert dom.setMetadata(desc, "a\r\nb", None, None) == 0
    assert other.lookupByName("ha-host_VM1").metadata(desc, None) == "a\r\nb"
    dom.setMetadata(desc, None, None, None)
    elem = libvirt.VIR_DOMAIN_METADATA_ELEMENT
    for key, uri in (("xmlns", "urn:py"), ("xmlpy", "urn:py"), ("py", "urn:a\nb"), ("py", "")):
        with pytest.raises(libvirt.libvirtError) as e:
            dom.setMetadata(elem, "<a/>", key, uri)
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG, (key, uri)
    assert dom.setMetadata(elem, "<a v='1&#10;2'/>", "py", "urn:py") == 0
    kept = '<py:a xmlns:py="urn:py" v="1&#10;2"/>'
    assert other.lookupByName("ha-host_VM1").metadata(elem, "urn:py") == kept
    dom.setMetadata(elem, None, None, "urn:py")


def test_create_xml_starts_a_new_domain(conn, other):
    xml = """<domain type='vmware'><name>py-created</name>
      <memory unit='KiB'>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>
      <devices><disk type='file' device='disk'>
      <source file='[LocalDS_0] py-created/py-created.vmdk'/><target dev='sda' bus='scsi'/>
      </disk></devices></domain>"""
    dom = conn.createXML(xml)
    try:
        assert other.lookupByName("py-created").isActive() == 1
        with pytest.raises(libvirt.libvirtError) as e:
            conn.createXML(xml)
        assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    finally:
        dom.destroy()
        dom.undefine()


def test_memory_parameters_block_and_control_info(conn, other):
    dom = conn.lookupByName("ha-host_VM1")
    assert dom.setMemoryParameters({libvirt.VIR_DOMAIN_MEMORY_MIN_GUARANTEE: 8 * 1024,
                                    libvirt.VIR_DOMAIN_MEMORY_HARD_LIMIT: 16 * 1024}) == 0
    assert other.lookupByName("ha-host_VM1").memoryParameters() == \
        {"hard_limit": 16 * 1024, "min_guarantee": 8 * 1024}
    dom.setMemoryParameters({"hard_limit": libvirt.VIR_DOMAIN_MEMORY_PARAM_UNLIMITED,
                             "min_guarantee": 0})
    assert dom.memoryParameters()["hard_limit"] == libvirt.VIR_DOMAIN_MEMORY_PARAM_UNLIMITED
    with pytest.raises(libvirt.libvirtError) as e:
        dom.setMemoryParameters({"soft_limit": 1})
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
    capacity, allocation, physical = dom.blockInfo("sda")
    assert capacity > 0 and physical >= allocation
    with pytest.raises(libvirt.libvirtError) as e:
        dom.blockInfo("sdz")
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    assert dom.controlInfo()[0] == libvirt.VIR_DOMAIN_CONTROL_OK


def test_screenshot_streams_a_png(conn):
    dom = running(conn, "ha-host_VM1")
    st = conn.newStream()
    assert dom.screenshot(st, 0) == "image/png"
    got = []
    st.recvAll(lambda s, d, acc: acc.append(d), got)
    st.finish()
    assert b"".join(got).startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(libvirt.libvirtError) as e:
        dom.screenshot(conn.newStream(), 1)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_disk_growth_and_io_controls_seen_by_the_server(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    seen = other.lookupByName("ha-host_VM0")
    size = seen.blockInfo("sda")[0]
    assert dom.blockResize("sda", size + (1 << 20), libvirt.VIR_DOMAIN_BLOCK_RESIZE_BYTES) == 0
    assert seen.blockInfo("sda")[0] == size + (1 << 20)
    with pytest.raises(libvirt.libvirtError) as e:
        dom.blockResize("sda", size // 1024)
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_UNSUPPORTED
    dom.setBlockIoTune("sda", {"total_iops_sec": 1200})
    assert seen.blockIoTune("sda") == {"total_iops_sec": 1200}
    with pytest.raises(libvirt.libvirtError) as e:
        dom.setBlockIoTune("sda", {"write_iops_sec": 5})
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
    dom.setBlkioParameters({"weight": 200})
    assert seen.blkioParameters() == {"weight": 200, "device_weight": "sda,200"}
    dom.setBlkioParameters({"device_weight": "sda,0"})
    assert seen.blkioParameters()["weight"] == 500
    assert seen.memoryParameters().keys() == {"hard_limit", "min_guarantee"}


def test_keys_reach_the_guest(conn):
    dom = running(conn, "ha-host_VM1")
    # Ctrl+Alt+Delete by Linux keycode, then "a" in USB usages.
    assert dom.sendKey(libvirt.VIR_KEYCODE_SET_LINUX, 0, [29, 56, 111], 3) == 0
    assert dom.sendKey(libvirt.VIR_KEYCODE_SET_USB, 50, [4], 1) == 0
    # What the guest saw, the datastore file read over /folder by a client of its own.
    url = "https://%s/folder/ha-host_VM1/ha-host_VM1.keys?dcPath=ha-datacenter&dsName=LocalDS_0"
    req = urllib.request.Request(url % ADDR, headers={
        "Authorization": "Basic " + base64.b64encode(b"root:secret").decode()})
    with urllib.request.urlopen(req, context=ssl._create_unverified_context()) as r:
        seen = r.read().decode().splitlines()
    assert seen[-2:] == ["0x004c leftControl,leftAlt", "0x0004 "]
    for codeset, codes, code in ((libvirt.VIR_KEYCODE_SET_LINUX, [], libvirt.VIR_ERR_INVALID_ARG),
                                 (42, [30], libvirt.VIR_ERR_INVALID_ARG),
                                 (libvirt.VIR_KEYCODE_SET_USB, [0x4000],
                                  libvirt.VIR_ERR_INTERNAL_ERROR)):
        with pytest.raises(libvirt.libvirtError) as e:
            dom.sendKey(codeset, 0, codes, len(codes))
        assert e.value.get_error_code() == code


def test_cpu_pinning_seen_by_the_server(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    seen = other.lookupByName("ha-host_VM0")
    every = seen.emulatorPinInfo()
    assert len(every) >= 2 and all(every)
    assert dom.pinEmulator((False, True)) == 0
    assert seen.emulatorPinInfo()[:2] == (False, True)
    assert seen.vcpuPinInfo() == [seen.emulatorPinInfo()] * seen.info()[3]
    assert seen.vcpus()[1][0] == seen.emulatorPinInfo()
    assert dom.pinVcpu(0, (True,)) == 0
    assert seen.emulatorPinInfo()[:2] == (True, False)
    dom.pinVcpuFlags(0, every, libvirt.VIR_DOMAIN_AFFECT_LIVE)
    assert all(seen.emulatorPinInfo())
    with pytest.raises(libvirt.libvirtError) as e:
        dom.pinVcpu(3, (True,))
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    with pytest.raises(libvirt.libvirtError) as e:
        dom.pinEmulator((False,) * len(every))
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_vnc_server_reached_through_a_socket(conn, other):
    vnc = socket.socket()
    vnc.bind(("127.0.0.1", 0))
    vnc.listen(2)
    dom = conn.lookupByName("ha-host_VM1")
    if dom.isActive():
        dom.destroy()
    port = vnc.getsockname()[1]
    xml = dom.XMLDesc(0).replace(
        "</devices>", "<graphics type='vnc' port='%d'/></devices>" % port)
    dom = conn.defineXML(xml)
    dom.create()
    with socket.socket(fileno=dom.openGraphicsFD(0)) as client:
        server, _ = vnc.accept()
        server.sendall(b"RFB 003.008\n")
        assert client.recv(12) == b"RFB 003.008\n"
        server.close()
    mine, theirs = socket.socketpair()
    assert other.lookupByName("ha-host_VM1").openGraphics(0, theirs.fileno()) == 0
    theirs.close()
    server, _ = vnc.accept()
    mine.sendall(b"hello")
    assert server.recv(5) == b"hello"
    server.close()
    mine.close()
    vnc.close()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.openGraphicsFD(3)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG


def test_serial_console_through_a_stream(conn, other):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    port.listen(1)
    dom = conn.lookupByName("ha-host_VM1")
    if dom.isActive():
        dom.destroy()
    serial = ("<serial type='tcp'><source mode='bind' host='0.0.0.0' service='%d'/>"
              "<protocol type='raw'/><target port='0'/></serial>" % port.getsockname()[1])
    dom = conn.defineXML(dom.XMLDesc(0).replace("</devices>", serial + "</devices>"))
    dom.create()
    st = other.newStream()
    other.lookupByName("ha-host_VM1").openConsole(None, st)
    server, _ = port.accept()
    server.sendall(b"login: ")
    assert st.recv(64) == b"login: "
    assert st.send(b"root\n") == 5
    assert server.recv(5) == b"root\n"
    server.close()
    assert st.recv(64) == b""
    st.finish()
    port.close()
    with pytest.raises(libvirt.libvirtError) as e:
        dom.openConsole("serial3", conn.newStream())
    assert e.value.get_error_code() == libvirt.VIR_ERR_INTERNAL_ERROR


def test_nic_bandwidth_seen_by_the_server(conn, other):
    dom = conn.lookupByName("ha-host_VM0")
    mac = re.findall(r"<mac address='([^']+)'", dom.XMLDesc(0))[0]
    dom.setInterfaceParameters(mac, {"outbound.average": 12800, "inbound.floor": 2560,
                                     "inbound.average": 0})
    assert other.lookupByName("ha-host_VM0").interfaceParameters(mac) == \
        {"outbound.average": 12817, "inbound.floor": 2563}
    with pytest.raises(libvirt.libvirtError) as e:
        dom.setInterfaceParameters(mac, {"outbound.peak": 100})
    assert e.value.get_error_code() == libvirt.VIR_ERR_ARGUMENT_UNSUPPORTED
    dom.setInterfaceParameters(mac, {"outbound.average": 0, "inbound.floor": 0})
    assert other.lookupByName("ha-host_VM0").interfaceParameters(mac) == \
        {"outbound.average": 0, "inbound.floor": 0}
