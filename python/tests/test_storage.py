"""virStoragePool, virStorageVol, virStream: list pools and volumes, create an image, upload and
download it through streams (sendAll/recvAll and plain recv, or non-blocking ones driven by the
event loop), delete; checked through a second connection."""
import os
import struct
import time

import pytest

import libvirt_esx as libvirt


@pytest.fixture(autouse=True)
def quiet():
    libvirt.registerErrorHandler(lambda ctx, err: None, None)
    yield
    libvirt.registerErrorHandler(None, None)


def test_pools_and_volumes(conn, other):
    pools = conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_DIR)
    assert [p.name() for p in pools] == conn.listStoragePools() == ["LocalDS_0"]
    pool = pools[0]
    state, capacity, allocation, available = pool.info()
    assert state == libvirt.VIR_STORAGE_POOL_RUNNING and capacity == allocation + available
    assert other.storagePoolLookupByUUIDString(pool.UUIDString()).name() == "LocalDS_0"
    assert pool.autostart() == 1 and pool.isActive() == 1 and conn.numOfDefinedStoragePools() == 0
    assert "<path>/vmfs/volumes/LocalDS_0</path>" in pool.XMLDesc()
    with pytest.raises(libvirt.libvirtError) as e:
        conn.storagePoolLookupByName("nope")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL

    disk = pool.createXML("<volume><name>py/thin.vmdk</name><capacity unit='M'>4</capacity>"
                          "<allocation>0</allocation><target><format type='vmdk'/></target></volume>")
    theirs = other.storagePoolLookupByName("LocalDS_0")
    assert "py/thin.vmdk" in theirs.listVolumes()
    assert theirs.storageVolLookupByName("py/thin.vmdk").info()[1] == 4 << 20
    assert other.storageVolLookupByKey(disk.key()).path() == "[LocalDS_0] py/thin.vmdk"
    assert disk.delete() == 0
    assert "py/thin.vmdk" not in theirs.listVolumes()


def test_upload_and_download_through_streams(conn, other):
    pool = conn.storagePoolLookupByName("LocalDS_0")
    vol = pool.createXML("<volume><name>py/data.img</name><capacity>0</capacity></volume>")
    data = bytes((i * 31) % 256 for i in range(300000))
    st = conn.newStream()
    vol.upload(st, 0, len(data))
    chunks = [data[i:i + 65536] for i in range(0, len(data), 65536)]
    st.sendAll(lambda s, n, it: next(it, b""), iter(chunks))
    st.finish()
    got = []
    down = other.newStream()
    theirs = other.storageVolLookupByPath("[LocalDS_0] py/data.img")
    theirs.download(down, 0, 0)
    down.recvAll(lambda s, d, acc: acc.append(d), got)
    down.finish()
    assert b"".join(got) == data
    part = conn.newStream()
    vol.download(part, 10, 5)
    assert part.recv(100) == data[10:15] and part.recv(100) == b""
    part.finish()
    assert vol.delete() == 0


def test_nfs_pool_mounts_and_unmounts(conn, other):
    pool = conn.storagePoolCreateXML(
        "<pool type='netfs'><name>py-nfs</name><source><host name='10.1.1.1'/>"
        "<dir path='/share'/><format type='nfs'/></source></pool>")
    assert "py-nfs" in other.listStoragePools()
    assert [p.name() for p in other.listAllStoragePools(
        libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_NETFS)] == ["py-nfs"]
    with pytest.raises(libvirt.libvirtError) as e:
        pool.create()
    assert e.value.get_error_code() == libvirt.VIR_ERR_OPERATION_INVALID
    with pytest.raises(libvirt.libvirtError) as e:
        conn.storagePoolCreateXML("<pool type='logical'><name>x</name></pool>")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_SUPPORT
    assert pool.destroy() == 0
    assert "py-nfs" not in other.listStoragePools()


def test_paths_that_leave_the_datastore_are_refused(conn):
    pool = conn.storagePoolLookupByName("LocalDS_0")
    for lookup in (lambda: conn.storageVolLookupByPath("[LocalDS_0] ../../tmp/x.iso"),
                   lambda: conn.storageVolLookupByPath("/vmfs/volumes/LocalDS_0/a/../../x.iso"),
                   lambda: pool.storageVolLookupByName("../x.iso")):
        with pytest.raises(libvirt.libvirtError) as e:
            lookup()
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
        assert "leaves its datastore" in str(e.value)


def test_pool_by_target_path_and_volume_info_flags(conn):
    pool = conn.storagePoolLookupByTargetPath("/vmfs/volumes/LocalDS_0")
    assert pool.name() == "LocalDS_0"
    with pytest.raises(libvirt.libvirtError) as e:
        conn.storagePoolLookupByTargetPath("/vmfs/volumes/nope")
    assert e.value.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL
    vol = pool.createXML("<volume><name>py/flags.iso</name><capacity>0</capacity></volume>")
    try:
        assert vol.infoFlags(libvirt.VIR_STORAGE_VOL_GET_PHYSICAL) == vol.info() == vol.infoFlags()
        with pytest.raises(libvirt.libvirtError) as e:
            vol.infoFlags(2)
        assert e.value.get_error_code() == libvirt.VIR_ERR_INVALID_ARG
    finally:
        vol.delete()


def run_loop_until(done):
    """Runs the default loop until done(), then once more: a removed registration goes then. A
    ticking timer keeps every iteration short."""
    tick = libvirt.virEventAddTimeout(50, lambda t, o: None, None)
    deadline = time.monotonic() + 30
    while not done() and time.monotonic() < deadline:
        libvirt.virEventRunDefaultImpl()
    libvirt.virEventRunDefaultImpl()
    libvirt.virEventRemoveTimeout(tick)


def test_non_blocking_streams_are_driven_by_the_event_loop(conn, other):
    libvirt.virEventRegisterDefaultImpl()
    vol = conn.storagePoolLookupByName("LocalDS_0").createXML(
        "<volume><name>py/events.img</name><capacity>0</capacity></volume>")
    data = os.urandom(2 * 1048576 + 4099)
    up = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
    with pytest.raises(libvirt.libvirtError) as e:
        up.eventUpdateCallback(libvirt.VIR_STREAM_EVENT_WRITABLE)
    assert e.value.get_error_code() == libvirt.VIR_ERR_INTERNAL_ERROR  # none registered
    sent = {"at": 0, "would_block": 0, "done": False}

    def on_writable(st, events, t):
        assert st is up and events & libvirt.VIR_STREAM_EVENT_WRITABLE
        while t["at"] < len(data):
            n = st.send(data[t["at"]:t["at"] + 65536])
            if n == -2:
                t["would_block"] += 1
                return
            t["at"] += n
        st.eventRemoveCallback()
        t["done"] = True

    assert up.eventAddCallback(libvirt.VIR_STREAM_EVENT_WRITABLE, on_writable, sent) is None
    with pytest.raises(libvirt.libvirtError):
        up.eventAddCallback(libvirt.VIR_STREAM_EVENT_WRITABLE, on_writable, sent)  # one only
    vol.upload(up, 0, len(data))
    run_loop_until(lambda: sent["done"])
    assert sent["at"] == len(data) and sent["would_block"] > 0
    assert up.finish() == 0
    whole = []
    theirs = other.newStream()
    other.storageVolLookupByPath("[LocalDS_0] py/events.img").download(theirs, 0, 0)
    theirs.recvAll(lambda s, d, acc: acc.append(d), whole)
    theirs.finish()
    assert b"".join(whole) == data

    down = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
    vol.download(down, 0, 0)
    got = []

    def on_readable(st, events, acc):
        while True:
            piece = st.recv(65536)
            if piece == -2:
                return
            acc.append(piece)
            if not piece:
                st.eventRemoveCallback()
                return

    down.eventAddCallback(libvirt.VIR_STREAM_EVENT_WRITABLE, on_readable, got)
    assert down.eventUpdateCallback(libvirt.VIR_STREAM_EVENT_READABLE) == 0
    run_loop_until(lambda: got and got[-1] == b"")
    assert b"".join(got) == data and down.finish() == 0
    assert vol.delete() == 0


def test_wipe_pattern_zero_fills_and_refuses_other_algorithms(conn, other):
    pool = conn.storagePoolLookupByName("LocalDS_0")
    disk = pool.createXML("<volume><name>py/wipe.vmdk</name><capacity>1048576</capacity>"
                          "<target><format type='vmdk'/></target></volume>")
    try:
        assert disk.wipePattern(libvirt.VIR_STORAGE_VOL_WIPE_ALG_ZERO) == 0
        for algorithm, code in [(libvirt.VIR_STORAGE_VOL_WIPE_ALG_RANDOM,
                                 libvirt.VIR_ERR_NO_SUPPORT),
                                (99, libvirt.VIR_ERR_INVALID_ARG)]:
            with pytest.raises(libvirt.libvirtError) as e:
                disk.wipePattern(algorithm)
            assert e.value.get_error_code() == code
        theirs = other.storageVolLookupByPath("[LocalDS_0] py/wipe.vmdk")
        assert theirs.info()[1] == 1048576, "the disk is whole, as the server holds it"
    finally:
        disk.delete()


def test_a_volume_over_a_backing_store_is_a_linked_clone(conn, other):
    pool = conn.storagePoolLookupByName("LocalDS_0")
    base = pool.createXML("<volume><name>py-img/base.vmdk</name><capacity unit='M'>4</capacity>"
                          "<target><format type='vmdk'/></target></volume>")
    clone = pool.createXML("<volume><name>py-img/clone.vmdk</name><target><format type='vmdk'/>"
                           "</target><backingStore><path>%s</path></backingStore></volume>"
                           % base.path())
    try:
        seen = other.storageVolLookupByPath(clone.path())
        assert seen.info()[1] == 4 << 20
        assert "<path>[LocalDS_0] py-img/base.vmdk</path>" in seen.XMLDesc(0)
        assert "<backingStore>" not in other.storageVolLookupByPath(base.path()).XMLDesc(0)
    finally:
        clone.delete(0)
        base.delete(0)


def sparse_vmdk(grain0):
    """A 1 MiB monolithicSparse VMDK (qemu-img's kind) with data in its first 64 KiB grain."""
    header = struct.pack("<4sIIQQQQIQQQ", b"KDMV", 1, 3, 2048, 128, 1, 20, 512, 21, 21, 128)
    f = bytearray(256 * 512)
    f[:len(header)] = header
    f[73:77] = b"\n \r\n"
    desc = b'# Disk DescriptorFile\nversion=1\ncreateType="monolithicSparse"\nRW 2048 SPARSE "i.vmdk"\n'
    f[512:512 + len(desc)] = desc
    f[21 * 512:21 * 512 + 4] = struct.pack("<I", 22)
    f[22 * 512:22 * 512 + 4] = struct.pack("<I", 128)
    f[128 * 512:128 * 512 + len(grain0)] = grain0
    return bytes(f)


def test_a_hosted_vmdk_upload_is_converted_into_a_thin_disk(conn, other):
    pool = conn.storagePoolLookupByName("LocalDS_0")
    image = pool.createXML("<volume><name>py-img/upload.vmdk</name><capacity>0</capacity>"
                           "<target><format type='vmdk'/></target></volume>")
    grain0 = bytes((i * 13) % 256 for i in range(65536))
    data = sparse_vmdk(grain0)
    st = conn.newStream()
    image.upload(st, 0, len(data))
    st.send(data)
    st.finish()
    hosted = other.storageVolLookupByPath(image.path())
    assert hosted.info()[1] == 1 << 20
    disk = pool.createXMLFrom("<volume><name>py-img/disk.vmdk</name><capacity>1048576</capacity>"
                              "<allocation>0</allocation><target><format type='vmdk'/></target>"
                              "</volume>", hosted, 0)
    try:
        seen = other.storageVolLookupByPath(disk.path())
        got = []
        down = other.newStream()
        seen.download(down, 0, 65536)
        down.recvAll(lambda s, d, acc: acc.append(d), got)
        down.finish()
        assert b"".join(got) == grain0
    finally:
        disk.delete(0)
        image.delete(0)
