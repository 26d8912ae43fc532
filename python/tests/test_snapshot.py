"""virDomainSnapshot: create, list (names, handles, children, filters), current and parent,
XML, revert and delete; each change is checked through a second connection."""
import pytest

import libvirt_esx as libvirt

XML = """<domain type='vmware'>
  <name>py-snap</name>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='[LocalDS_0] py-snap/py-snap.vmdk'/>
      <target dev='sda' bus='scsi'/>
    </disk>
  </devices>
</domain>"""


@pytest.fixture
def py_snap(conn):
    """A running VM of the test's own, undefined afterwards with its snapshots. Yields nothing:
    a handle kept by pytest would outlive the leak check."""
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    conn.defineXML(XML).create()
    yield
    d = conn.lookupByName("py-snap")
    if d.isActive():
        d.destroy()
    d.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
    libvirt.registerErrorHandler(None, None)


def snap_xml(name, description=""):
    return ("<domainsnapshot><name>%s</name><description>%s</description></domainsnapshot>"
            % (name, description))


def test_create_list_revert_delete(conn, other, py_snap):
    dom = conn.lookupByName("py-snap")
    first = dom.snapshotCreateXML(snap_xml("first", "a &lt;b&gt; &amp; 'c'"))
    second = dom.snapshotCreateXML(snap_xml("second"), libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC)
    assert first.getName() == "first" and second.getDomain() is dom
    assert second.getConnect() is conn
    theirs = other.lookupByName("py-snap")
    assert theirs.snapshotListNames() == ["first", "second"]
    assert theirs.snapshotNum(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_ROOTS) == 1
    assert [s.getName() for s in theirs.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_LEAVES)] \
        == ["second"]
    assert theirs.hasCurrentSnapshot() == 1
    assert theirs.snapshotCurrent().getName() == "second"
    assert second.getParent().getName() == "first"
    assert second.isCurrent() == 1 and first.isCurrent() == 0 and first.hasMetadata() == 0
    assert first.numChildren() == 1 and first.listChildrenNames() == ["second"]
    assert [s.getName() for s in first.listAllChildren()] == ["second"]
    xml = theirs.snapshotLookupByName("first").getXMLDesc()
    assert "<description>a &lt;b&gt; &amp; &apos;c&apos;</description>" in xml
    assert "<state>running</state>" in xml and "<uuid>%s</uuid>" % dom.UUIDString() in xml

    dom.destroy()
    assert dom.revertToSnapshot(first, libvirt.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED) == 0
    assert other.lookupByName("py-snap").state()[0] == libvirt.VIR_DOMAIN_PAUSED
    assert other.lookupByName("py-snap").snapshotCurrent().getName() == "first"

    with pytest.raises(libvirt.libvirtError) as e:
        dom.snapshotCreateXML(snap_xml("first"))
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    with pytest.raises(libvirt.libvirtError) as e:
        first.getParent()
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT

    assert first.delete(libvirt.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN) == 0
    assert other.lookupByName("py-snap").snapshotNum() == 0
    with pytest.raises(libvirt.libvirtError) as e:
        second.getXMLDesc()
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_SNAPSHOT
