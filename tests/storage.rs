//! Storage on the simulator: datastores as pools (facts, XML, UUIDs, lookups, filters) and
//! their files as volumes (list, lookups, info, XML, create thin and thick, clone, resize,
//! delete), each checked against an independent read of the server.

mod common;

use common::live::download;
use common::{Sim, dom, into_facts, open, pool_of, vol_of};
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::abi::flags::{ListPoolsFlags as P, ResizeFlags};
use virt_esx::abi::virStorageVolWipeAlgorithm;
use virt_esx::driver::Connection;
use virt_esx::driver::storage::transfer::{Download, Upload};
use virt_esx::driver::storage::{PoolFacts, Volume, VolumeFacts, VolumeKind};

/// The datastores' summaries as the server has them, through the host's `datastore` list.
fn server_datastores(conn: &Arc<Connection>) -> Vec<(String, i64, i64, String)> {
    let host = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    let spec = esx_driver::vi::property::FilterSpec::neighbours(
        host,
        "HostSystem",
        "datastore",
        "Datastore",
        &[
            "summary.name",
            "summary.capacity",
            "summary.freeSpace",
            "info",
        ],
    );
    let mut out: Vec<_> = conn
        .primary()
        .client
        .retrieve(&spec)
        .unwrap()
        .into_iter()
        .map(|oc| {
            let t = |p: &str| oc.props.text_at(p).unwrap_or("").trim().to_string();
            let info = oc
                .props
                .path("info")
                .and_then(|i| i.xsi_type.as_deref())
                .unwrap_or_default()
                .to_string();
            (
                t("summary.name"),
                t("summary.capacity").parse().unwrap(),
                t("summary.freeSpace").parse().unwrap(),
                info,
            )
        })
        .collect();
    out.sort();
    out
}

fn local_pool(conn: &Arc<Connection>) -> PoolFacts {
    conn.pool_by_name("LocalDS_0").unwrap()
}

#[test]
fn pools_are_the_hosts_datastores_with_libvirts_xml() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let before = conn.round_trips();
    let pools = conn.list_pools().unwrap();
    assert_eq!(
        conn.round_trips() - before,
        1,
        "all pools and their facts in one read"
    );
    let seen = server_datastores(&open(&sim, "esx", "/"));
    assert_eq!(pools.len(), seen.len());
    for (pool, (name, capacity, free, info)) in pools.iter().zip(&seen) {
        assert_eq!(&pool.name, name);
        assert_eq!(pool.capacity as i64, *capacity);
        assert_eq!(pool.free as i64, *free);
        assert_eq!(info, "LocalDatastoreInfo");
        assert_eq!(pool.kind_name(), "dir");
        // libvirt's rule: the MD5 of the host's mount path.
        assert_eq!(pool.mount_path, format!("/vmfs/volumes/{name}"));
        assert_eq!(
            pool.xml(),
            format!(
                "<pool type='dir'>\n  <name>{name}</name>\n  <uuid>{}</uuid>\n  \
                 <capacity unit='bytes'>{capacity}</capacity>\n  \
                 <allocation unit='bytes'>{}</allocation>\n  \
                 <available unit='bytes'>{free}</available>\n  <source>\n  </source>\n  \
                 <target>\n    <path>/vmfs/volumes/{name}</path>\n    <permissions>\n      \
                 <mode>00</mode>\n      <owner>0</owner>\n      <group>0</group>\n    \
                 </permissions>\n  </target>\n</pool>\n",
                pool.uuid,
                capacity - free
            )
        );
        assert!(pool.keeps(P::ACTIVE | P::PERSISTENT | P::AUTOSTART | P::DIR));
        assert!(!pool.keeps(P::INACTIVE) && !pool.keeps(P::NETFS) && !pool.keeps(P::TRANSIENT));
        assert!(pool.keeps(P::DIR | P::NETFS) && pool.keeps(P::ACTIVE | P::INACTIVE));
        assert_eq!(conn.pool_by_uuid(&pool.uuid).unwrap().name, *name);
    }
    let e = conn.pool_by_name("nope").unwrap_err();
    assert_eq!(e.code, Code::NoStoragePool, "{e}");
    pool_of(&conn, &pools[0]).refresh().unwrap();
}

#[test]
fn a_name_two_datacenters_use_is_refused_naming_both() {
    let sim = Sim::start(&["-mode", "vpx", "-dc", "2"]);
    let conn = open(&sim, "vpx", "/");
    assert_eq!(conn.list_pools().unwrap().len(), 2);
    let e = conn.pool_by_name("LocalDS_0").unwrap_err();
    assert!(
        e.message().contains("DC0") && e.message().contains("DC1"),
        "{e}"
    );
    let one = open(&sim, "vpx", "/DC1");
    assert_eq!(
        one.pool_by_name("LocalDS_0").unwrap().datacenter_path,
        "DC1"
    );
}

#[test]
fn volumes_are_made_listed_grown_copied_and_removed() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    let thin = pool_of(&conn, &pool)
        .create_volume(
            "<volume><name>vols/thin.vmdk</name><capacity unit='M'>10</capacity>\
             <allocation>0</allocation><target><format type='vmdk'/></target></volume>",
        )
        .map(Volume::into_facts)
        .unwrap();
    let thick = pool_of(&conn, &pool)
        .create_volume(
            "<volume><name>vols/deep/thick.vmdk</name><capacity unit='KiB'>2048</capacity>\
             <target><format type='vmdk'/></target></volume>",
        )
        .map(Volume::into_facts)
        .unwrap();
    let iso = pool_of(&conn, &pool)
        .create_volume("<volume><name>iso/boot.iso</name><capacity>0</capacity></volume>")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!(iso.kind, VolumeKind::Iso);
    // The server's own files: descriptors and an empty image.
    assert_eq!(
        download(&conn, "[LocalDS_0] iso/boot.iso"),
        (200, Vec::new())
    );
    let (status, descriptor) = download(&conn, "[LocalDS_0] vols/thin.vmdk");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&descriptor).contains("RW 20480 VMFS \"thin-flat.vmdk\""));

    let before = conn.round_trips();
    let all = pool_of(&conn, &pool).volumes().map(into_facts).unwrap();
    assert!(conn.round_trips() - before <= 3, "one search and its wait");
    let names: Vec<&str> = all.iter().map(|v| v.name.as_str()).collect();
    for want in ["iso/boot.iso", "vols/deep/thick.vmdk", "vols/thin.vmdk"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    assert!(names.iter().all(|n| !n.contains("-flat")), "{names:?}");
    let found = pool_of(&conn, &pool)
        .volume_by_name("vols/thin.vmdk")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!((found.capacity, &found.kind), (10 << 20, &VolumeKind::Disk));
    assert_eq!(found, thin);
    let deep = pool_of(&conn, &pool)
        .volume_by_name("vols/deep/thick.vmdk")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!((deep.capacity, deep.allocation), (2 << 20, 2 << 20));
    assert_eq!(deep, thick);
    for missing in ["vols/none.vmdk", "nodir/x.vmdk"] {
        let e = pool_of(&conn, &pool)
            .volume_by_name(missing)
            .map(Volume::into_facts)
            .unwrap_err();
        assert_eq!(e.code, Code::NoStorageVol, "{e}");
    }

    // ESX keys disks by their UUID, other files by path.
    let key = vol_of(&conn, &pool, &thin).key().unwrap();
    assert!(key.starts_with("6000c2") && key.len() == 36, "{key}");
    assert_eq!(
        vol_of(&conn, &pool, &iso).key().unwrap(),
        "[LocalDS_0] iso/boot.iso"
    );
    assert_eq!(
        vol_of(&conn, &pool, &thin).xml().unwrap(),
        format!(
            "<volume type='file'>\n  <name>vols/thin.vmdk</name>\n  <key>{key}</key>\n  \
             <capacity unit='bytes'>10485760</capacity>\n  <allocation unit='bytes'>0</allocation>\n  \
             <target>\n    <path>[LocalDS_0] vols/thin.vmdk</path>\n    <format type='vmdk'/>\n  \
             </target>\n</volume>\n"
        )
    );

    let copy = pool_of(&conn, &pool)
        .clone_volume(
            "<volume><name>copies/c.vmdk</name><capacity>0</capacity></volume>",
            &vol_of(&conn, &pool, &thin),
        )
        .map(Volume::into_facts)
        .unwrap();
    let read = pool_of(&conn, &pool)
        .volume_by_name("copies/c.vmdk")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!(read.capacity, thin.capacity);
    assert_ne!(
        vol_of(&conn, &pool, &copy).key().unwrap(),
        key,
        "a copy has its own UUID"
    );

    let grown = vol_of(&conn, &pool, &read)
        .resize(1 << 20, ResizeFlags::DELTA)
        .unwrap();
    assert_eq!(grown, 11 << 20);
    assert_eq!(
        pool_of(&conn, &pool)
            .volume_by_name("copies/c.vmdk")
            .map(Volume::into_facts)
            .unwrap()
            .capacity,
        11 << 20
    );
    let grown_vol = pool_of(&conn, &pool)
        .volume_by_name("copies/c.vmdk")
        .map(Volume::into_facts)
        .unwrap();
    for (size, flags, code) in [
        (1 << 20, ResizeFlags::empty(), Code::InvalidArg),
        (1 << 20, ResizeFlags::SHRINK, Code::ArgumentUnsupported),
        (20 << 20, ResizeFlags::ALLOCATE, Code::ArgumentUnsupported),
    ] {
        let e = vol_of(&conn, &pool, &grown_vol)
            .resize(size, flags)
            .unwrap_err();
        assert_eq!(e.code, code, "{e}");
    }
    vol_of(&conn, &pool, &grown_vol).wipe().unwrap();
    let (_, flat) = download(&conn, "[LocalDS_0] copies/c-flat.vmdk");
    assert!(
        flat.len() == 11 << 20 && flat.iter().all(|b| *b == 0),
        "wiped to zeros"
    );
    let e = vol_of(&conn, &pool, &iso).wipe().unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    // virStorageVolWipePattern: ZERO is the same zero-fill; vSphere has no other pattern.
    vol_of(&conn, &pool, &grown_vol)
        .wipe_with(virStorageVolWipeAlgorithm::VIR_STORAGE_VOL_WIPE_ALG_ZERO)
        .unwrap();
    let (_, flat) = download(&conn, "[LocalDS_0] copies/c-flat.vmdk");
    assert!(flat.len() == 11 << 20 && flat.iter().all(|b| *b == 0));
    let e = vol_of(&conn, &pool, &grown_vol)
        .wipe_with(virStorageVolWipeAlgorithm::VIR_STORAGE_VOL_WIPE_ALG_RANDOM)
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    // Our extension names the new disk's adapter; the descriptor records it.
    pool_of(&conn, &pool).create_volume("<volume xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'><name>vols/bus.vmdk</name>\
         <capacity>1048576</capacity><allocation>0</allocation><target><format type='vmdk'/></target>\
         <vmware:adapterType>busLogic</vmware:adapterType></volume>").map(Volume::into_facts)
    .unwrap();
    let (_, text) = download(&conn, "[LocalDS_0] vols/bus.vmdk");
    assert!(String::from_utf8_lossy(&text).contains("ddb.adapterType = \"busLogic\""));

    for v in [&copy, &thin, &iso] {
        vol_of(&conn, &pool, v).delete().unwrap();
        let e = pool_of(&conn, &pool)
            .volume_by_name(&v.name)
            .map(Volume::into_facts)
            .unwrap_err();
        assert_eq!(e.code, Code::NoStorageVol);
    }
    assert_eq!(
        download(&conn, "[LocalDS_0] vols/thin-flat.vmdk").0,
        404,
        "extent gone too"
    );

    for (xml, code) in [
        (
            "<volume><name>/abs.vmdk</name><capacity>1</capacity><target><format type='vmdk'/></target></volume>",
            Code::InternalError,
        ),
        (
            "<volume><name>../up.vmdk</name><capacity>1</capacity><target><format type='vmdk'/></target></volume>",
            Code::InternalError,
        ),
        (
            "<volume><name>d/x.qcow2</name><capacity>1</capacity><target><format type='qcow2'/></target></volume>",
            Code::NoSupport,
        ),
        (
            "<volume><name>d/x.vmdk</name><capacity>4096</capacity><allocation>1024</allocation><target><format type='vmdk'/></target></volume>",
            Code::InternalError,
        ),
        (
            "<volume><name>vols/deep/thick.vmdk</name><capacity>1024</capacity><target><format type='vmdk'/></target></volume>",
            Code::InternalError,
        ),
    ] {
        let e = pool_of(&conn, &pool)
            .create_volume(xml)
            .map(Volume::into_facts)
            .unwrap_err();
        assert_eq!(e.code, code, "{xml}: {e}");
    }
}

/// 2^64 - 1 bytes wrapped to a capacity of 0 once it had been made: a disk past vSphere's
/// largest (62 TiB) is refused before anything is made, and a resize past it, or past 64
/// bits, leaves the disk as it was.
#[test]
fn disk_sizes_past_vsphere_are_refused_and_change_nothing() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    let vmdk = |name: &str, capacity: &str| {
        format!(
            "<volume><name>{name}</name>{capacity}<target><format type='vmdk'/></target></volume>"
        )
    };
    for (capacity, says) in [
        (
            "<capacity>18446744073709551615</capacity>",
            "a disk capacity of 18446744073709551615 bytes is more than vSphere's largest",
        ),
        (
            "<capacity unit='TiB'>63</capacity>",
            "a disk capacity of 69269232549888 bytes",
        ),
        ("<capacity unit='E'>16</capacity>", "value too large: 16E"),
    ] {
        let e = pool_of(&conn, &pool)
            .create_volume(&vmdk("huge/d.vmdk", capacity))
            .map(Volume::into_facts)
            .unwrap_err();
        assert_eq!(e.code, Code::Overflow, "{e}");
        assert!(e.detail.contains(says), "{e}");
    }
    // A folder that exists answers with a redirect; none was made.
    for file in ["huge/d.vmdk", "huge/d-flat.vmdk", "huge"] {
        assert_eq!(
            download(&check, &format!("[LocalDS_0] {file}")).0,
            404,
            "{file} not made"
        );
    }

    let small = pool_of(&conn, &pool)
        .create_volume(&vmdk("sized/s.vmdk", "<capacity unit='M'>2</capacity>"))
        .map(Volume::into_facts)
        .unwrap();
    let descriptor = || download(&check, "[LocalDS_0] sized/s.vmdk").1;
    let before = descriptor();
    for (size, flags) in [
        (u64::MAX, ResizeFlags::empty()),
        (u64::MAX, ResizeFlags::DELTA),
        (u64::MAX - (1 << 20), ResizeFlags::DELTA),
        ((62 << 40) + 1, ResizeFlags::empty()),
    ] {
        let e = vol_of(&conn, &pool, &small)
            .resize(size, flags)
            .unwrap_err();
        assert_eq!(e.code, Code::Overflow, "{size} {flags:?}: {e}");
        assert!(e.detail.contains(" bytes"), "{e}");
    }
    let read = pool_of(&check, &local_pool(&check))
        .volume_by_name("sized/s.vmdk")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!(read.capacity, 2 << 20);
    assert_eq!(descriptor(), before, "the disk is as it was");
}

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

fn upload(conn: &Arc<Connection>, pool: &PoolFacts, vol: &VolumeFacts, data: &[u8], length: u64) {
    let mut up = Upload::start(conn.clone(), pool, vol, 0, length).unwrap();
    for piece in data.chunks(300_000) {
        assert_eq!(up.send(piece).unwrap(), piece.len());
    }
    up.finish().unwrap();
}

fn download_all(
    conn: &Arc<Connection>,
    pool: &PoolFacts,
    vol: &VolumeFacts,
    offset: u64,
    length: u64,
) -> Vec<u8> {
    let mut down = Download::start(conn, pool, vol, offset, length).unwrap();
    let mut out = Vec::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = down.recv(&mut buf).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn uploads_and_downloads_stream_whole_and_in_part() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    let iso = pool_of(&conn, &pool)
        .create_volume("<volume><name>up/x.iso</name><capacity>0</capacity></volume>")
        .map(Volume::into_facts)
        .unwrap();
    for n in [0, 1, (1 << 20) + 1, 64 << 20] {
        let data = pattern(n);
        upload(
            &conn,
            &pool,
            &iso,
            &data,
            if n % 2 == 0 { n as u64 } else { 0 },
        );
        let (status, on_server) = download(&conn, "[LocalDS_0] up/x.iso");
        assert_eq!((status, on_server.len()), (200, n), "the server's own copy");
        assert!(on_server == data, "{n} bytes intact on the server");
        assert!(
            download_all(&conn, &pool, &iso, 0, 0) == data,
            "{n} bytes back"
        );
    }
    let data = pattern(64 << 20);
    assert!(download_all(&conn, &pool, &iso, 1000, 5000) == data[1000..6000]);
    assert!(download_all(&conn, &pool, &iso, (64 << 20) - 10, 0) == data[(64 << 20) - 10..]);
    assert_eq!(
        pool_of(&conn, &pool)
            .volume_by_name("up/x.iso")
            .map(Volume::into_facts)
            .unwrap()
            .capacity,
        64 << 20
    );

    // An aborted upload leaves the volume as it was, and no partial file behind.
    let mut up = Upload::start(conn.clone(), &pool, &iso, 0, 0).unwrap();
    up.send(&pattern(3 << 20)).unwrap();
    up.abort();
    drop(up);
    assert!(download(&conn, "[LocalDS_0] up/x.iso").1 == data);
    settles_to(&conn, &pool, "up", &["x.iso"]);
    // So does one that sends fewer bytes than it announced, or more.
    let mut short = Upload::start(conn.clone(), &pool, &iso, 0, 10).unwrap();
    short.send(b"12345").unwrap();
    assert_eq!(short.finish().unwrap_err().code, Code::InvalidArg);
    let mut long = Upload::start(conn.clone(), &pool, &iso, 0, 4).unwrap();
    assert_eq!(long.send(b"12345").unwrap_err().code, Code::InvalidArg);
    drop(long);
    assert!(download(&conn, "[LocalDS_0] up/x.iso").1 == data);
    assert_eq!(
        Upload::start(conn.clone(), &pool, &iso, 5, 0)
            .err()
            .unwrap()
            .code,
        Code::NoSupport
    );

    // A disk's bytes are its flat extent.
    let disk = pool_of(&conn, &pool)
        .create_volume(
            "<volume><name>up/d.vmdk</name><capacity>1048576</capacity><allocation>0</allocation>\
             <target><format type='vmdk'/></target></volume>",
        )
        .map(Volume::into_facts)
        .unwrap();
    let raw = pattern(1 << 20);
    upload(&conn, &pool, &disk, &raw, raw.len() as u64);
    assert!(download(&conn, "[LocalDS_0] up/d-flat.vmdk").1 == raw);
    assert!(download_all(&conn, &pool, &disk, 0, 0) == raw);
    assert!(String::from_utf8_lossy(&download(&conn, "[LocalDS_0] up/d.vmdk").1).contains("VMFS"));
}

#[test]
fn nfs_pools_mount_and_unmount_and_a_datastore_in_use_stays() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let xml = "<pool type='netfs'><name>nfs1</name><source><host name='10.0.0.5'/>\
               <dir path='/export/vms'/><format type='nfs'/></source></pool>";
    let pool = conn
        .create_nfs_pool(xml, "virStoragePoolCreateXML")
        .unwrap();
    assert_eq!(pool.kind_name(), "netfs");
    let seen = server_datastores(&open(&sim, "esx", "/"));
    assert!(
        seen.iter()
            .any(|(name, _, _, info)| name == "nfs1" && info == "NasDatastoreInfo"),
        "{seen:?}"
    );
    let again = conn.pool_by_name("nfs1").unwrap();
    assert!(again.xml().contains(
        "<source>\n    <host name='10.0.0.5'/>\n    <dir path='/export/vms'/>\n    <format type='nfs'/>\n  </source>\n  \
         <target>\n    <path>/vmfs/volumes/nfs1</path>"
    ), "{}", again.xml());
    assert!(again.keeps(P::NETFS) && !again.keeps(P::DIR));
    let e = conn
        .create_nfs_pool(xml, "virStoragePoolCreateXML")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationFailed, "{e}");
    // Volumes work there as anywhere.
    let v = pool_of(&conn, &again)
        .create_volume("<volume><name>a/b.iso</name><capacity>0</capacity></volume>")
        .map(Volume::into_facts)
        .unwrap();
    assert_eq!(
        pool_of(&conn, &again).volumes().map(into_facts).unwrap(),
        vec![v]
    );

    pool_of(&conn, &again)
        .remove_nfs("virStoragePoolDestroy")
        .unwrap();
    let seen = server_datastores(&open(&sim, "esx", "/"));
    assert!(seen.iter().all(|(name, ..)| name != "nfs1"), "{seen:?}");
    assert_eq!(
        conn.pool_by_name("nfs1").unwrap_err().code,
        Code::NoStoragePool
    );

    // The local datastore holds the model's VMs and is not NFS: refused either way.
    let local = local_pool(&conn);
    let e = pool_of(&conn, &local)
        .remove_nfs("virStoragePoolDestroy")
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
    let mut as_nfs = local.clone();
    as_nfs.kind = virt_esx::driver::storage::PoolKind::Netfs {
        host: "h".into(),
        dir: "/d".into(),
        format: "nfs".into(),
    };
    let e = pool_of(&conn, &as_nfs)
        .remove_nfs("virStoragePoolDestroy")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    assert!(e.message().contains("virtual machine"), "{e}");
    assert!(
        server_datastores(&open(&sim, "esx", "/"))
            .iter()
            .any(|(n, ..)| n == "LocalDS_0")
    );
    // Above one host there is no host to mount on.
    let vc = Sim::vpx();
    let e = open(&vc, "vpx", "/")
        .create_nfs_pool(xml, "virStoragePoolCreateXML")
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport, "{e}");
}

/// An NFS share with an empty (or blank) host or path names nothing: refused as missing, for
/// CreateXML and DefineXML alike, and the host mounts nothing.
#[test]
fn an_nfs_pool_without_host_or_path_is_refused() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let before = server_datastores(&check);
    let pool = |host: &str, dir: &str| {
        format!(
            "<pool type='netfs'><name>nfsE</name><source><host name='{host}'/>\
             <dir path='{dir}'/><format type='nfs'/></source></pool>"
        )
    };
    for (xml, says) in [
        (pool("", "/export"), "missing storage pool source host name"),
        (
            pool("  ", "/export"),
            "missing storage pool source host name",
        ),
        (pool("10.0.0.5", ""), "missing storage pool source path"),
        (pool("", ""), "missing storage pool source host name"),
    ] {
        for api in ["virStoragePoolCreateXML", "virStoragePoolDefineXML"] {
            let e = conn.create_nfs_pool(&xml, api).unwrap_err();
            assert_eq!(e.code, Code::XmlError, "{xml}: {e}");
            assert_eq!(e.detail, says, "{xml}");
        }
    }
    assert_eq!(server_datastores(&check), before);
    assert_eq!(
        conn.pool_by_name("nfsE").unwrap_err().code,
        Code::NoStoragePool
    );
}

const IQN: &str = "iqn.1992-08.com.netapp:sn.123456";

/// The host's adapters as the simulator answers, plus a software iSCSI adapter with one static
/// target (the simulator has no iSCSI).
fn with_iscsi_adapter(body: &str) -> String {
    let at = body
        .find("<name>config.storageDevice.hostBusAdapter</name>")
        .unwrap();
    let end = at + body[at..].find("</val>").unwrap();
    format!(
        "{}<HostHostBusAdapter xsi:type=\"HostInternetScsiHba\"><key>key-vim.host.InternetScsiHba-vmhba65</key>\
         <device>vmhba65</device><bus>0</bus><status>online</status><model>iSCSI Software Adapter</model>\
         <driver>iscsi_vmk</driver><isSoftwareBased>true</isSoftwareBased>\
         <iScsiName>iqn.1998-01.com.vmware:host</iScsiName><configuredStaticTarget><address>192.168.1.10</address>\
         <port>3260</port><iScsiName>{IQN}</iScsiName></configuredStaticTarget></HostHostBusAdapter>{}",
        &body[..end],
        &body[end..]
    )
}

/// One LUN the host sees through that target, and a local disk it does not.
fn iscsi_luns() -> String {
    format!(
        "<returnval><objects><obj type=\"HostSystem\">ha-host</obj>\
         <propSet><name>config.storageDevice.scsiTopology.adapter</name>\
         <val xsi:type=\"ArrayOfHostScsiTopologyInterface\"><HostScsiTopologyInterface>\
         <key>key-vim.host.ScsiTopology.Interface-vmhba65</key><adapter>key-vim.host.InternetScsiHba-vmhba65</adapter>\
         <target><key>t0</key><target>0</target><lun><key>l0</key><lun>0</lun><scsiLun>key-vim.host.ScsiDisk-0200</scsiLun></lun>\
         <transport xsi:type=\"HostInternetScsiTargetTransport\"><iScsiName>{IQN}</iScsiName><address>192.168.1.10:3260</address></transport>\
         </target></HostScsiTopologyInterface></val></propSet>\
         <propSet><name>config.storageDevice.scsiLun</name><val xsi:type=\"ArrayOfScsiLun\">\
         <ScsiLun xsi:type=\"HostScsiDisk\"><deviceName>/vmfs/devices/disks/naa.600a0980</deviceName><deviceType>disk</deviceType>\
         <key>key-vim.host.ScsiDisk-0200</key><uuid>0200000000600a098038303053453f463045535a4c554e20202020</uuid>\
         <lunType>disk</lunType><capacity><blockSize>512</blockSize><block>2097152</block></capacity>\
         <devicePath>/vmfs/devices/disks/naa.600a0980</devicePath></ScsiLun>\
         <ScsiLun xsi:type=\"HostScsiDisk\"><deviceName>/vmfs/devices/disks/mpx.local</deviceName><deviceType>disk</deviceType>\
         <key>key-vim.host.ScsiDisk-local</key><uuid>01</uuid><lunType>disk</lunType>\
         <capacity><blockSize>512</blockSize><block>8</block></capacity><devicePath>/vmfs/devices/disks/mpx.local</devicePath>\
         </ScsiLun></val></propSet></objects></returnval>"
    )
}

#[test]
fn iscsi_targets_are_read_only_pools_of_their_luns() {
    use common::injector::{Action, Injector};
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = Connection::open(
        &inj.uri("esx", "/"),
        Some(&common::Creds::new(Some("u"), "p")),
        false,
    )
    .unwrap();
    inj.add_when(
        "RetrievePropertiesEx",
        "config.storageDevice.hostBusAdapter",
        1,
        Action::Rewrite(Box::new(with_iscsi_adapter)),
    );
    let before = conn.round_trips();
    let pools = conn.list_pools().unwrap();
    assert_eq!(
        conn.round_trips() - before,
        1,
        "datastores and adapters in one read"
    );
    let names: Vec<&str> = pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["LocalDS_0", IQN],
        "datastores first, then iSCSI targets"
    );
    let pool = &pools[1];
    assert_eq!(
        pool.uuid.to_string(),
        "49490996-aa45-cb19-301e-eeb3df822481",
        "MD5 of the IQN"
    );
    assert!(pool.keeps(P::ISCSI) && !pool.keeps(P::DIR));
    assert_eq!(
        pool.xml(),
        format!(
            "<pool type='iscsi'>\n  <name>{IQN}</name>\n  <uuid>49490996-aa45-cb19-301e-eeb3df822481</uuid>\n  \
             <capacity unit='bytes'>0</capacity>\n  <allocation unit='bytes'>0</allocation>\n  \
             <available unit='bytes'>0</available>\n  <source>\n    <host name='192.168.1.10' port='3260'/>\n    \
             <initiator>\n      <iqn name='{IQN}'/>\n    </initiator>\n  </source>\n  <target>\n    \
             <permissions>\n      <mode>00</mode>\n      <owner>0</owner>\n      <group>0</group>\n    \
             </permissions>\n  </target>\n</pool>\n"
        )
    );
    for _ in 0..2 {
        inj.add_when(
            "RetrievePropertiesEx",
            "scsiTopology",
            1,
            Action::Reply(Box::new(iscsi_luns)),
        );
    }
    let vols = pool_of(&conn, pool).volumes().map(into_facts).unwrap();
    assert_eq!(vols.len(), 1, "only the target's LUN: {vols:?}");
    let lun = &vols[0];
    assert_eq!((lun.capacity, lun.allocation), (1 << 30, 1 << 30));
    assert_eq!(lun.path(), "/vmfs/devices/disks/naa.600a0980");
    let key = vol_of(&conn, pool, lun).key().unwrap();
    assert_eq!(
        key,
        virt_esx::xml::ids::Uuid::md5_of(b"0200000000600a098038303053453f463045535a4c554e20202020")
            .to_string()
    );
    assert_eq!(
        vol_of(&conn, pool, lun).xml().unwrap(),
        format!(
            "<volume type='block'>\n  <name>/vmfs/devices/disks/naa.600a0980</name>\n  <key>{key}</key>\n  \
             <capacity unit='bytes'>1073741824</capacity>\n  <allocation unit='bytes'>1073741824</allocation>\n  \
             <target>\n    <path>/vmfs/devices/disks/naa.600a0980</path>\n  </target>\n</volume>\n"
        )
    );
    assert_eq!(
        pool_of(&conn, pool)
            .volume_by_name(&lun.name)
            .map(Volume::into_facts)
            .unwrap(),
        *lun
    );
    for e in [
        pool_of(&conn, pool)
            .create_volume("<volume><name>x.iso</name><capacity>0</capacity></volume>")
            .map(Volume::into_facts)
            .unwrap_err(),
        vol_of(&conn, pool, lun).delete().unwrap_err(),
        vol_of(&conn, pool, lun).wipe().unwrap_err(),
        vol_of(&conn, pool, lun)
            .resize(2 << 30, ResizeFlags::empty())
            .unwrap_err(),
        Download::start(&conn, pool, lun, 0, 0).err().unwrap(),
    ] {
        assert_eq!(e.code, Code::NoSupport, "{e}");
    }
}

/// The names in a directory of a datastore, read from the simulator's own disk.
fn files_in(conn: &Arc<Connection>, pool: &PoolFacts, dir: &str) -> Vec<String> {
    let ds = conn
        .primary()
        .client
        .retrieve_one(&pool.moref, &["summary.url"])
        .unwrap()
        .unwrap();
    let url = ds.props.text_at("summary.url").unwrap().trim().to_string();
    let root = url
        .trim_start_matches("ds://")
        .trim_end_matches('/')
        .to_string();
    let mut names: Vec<String> = std::fs::read_dir(format!("{root}/{dir}"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Waits up to 10 s for the directory to hold exactly `want` (an aborted upload's partial
/// data goes from a thread of its own).
fn settles_to(conn: &Arc<Connection>, pool: &PoolFacts, dir: &str, want: &[&str]) {
    for _ in 0..100 {
        if files_in(conn, pool, dir) == want {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(files_in(conn, pool, dir), want, "{dir}");
}

#[test]
fn uploads_never_destroy_data() {
    use virt_esx::abi::flags::AffectFlags;
    use virt_esx::driver::domain::devices::DeviceChange::Attach;
    use virt_esx::driver::domain::power::PowerOp;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);

    // A disk takes exactly its capacity from offset 0: 5 bytes into 10 MiB are refused, and
    // the disk's data keeps its size.
    let disk = pool_of(&conn, &pool)
        .create_volume(
            "<volume><name>probe/d.vmdk</name><capacity>10485760</capacity>\
             <allocation>10485760</allocation><target><format type='vmdk'/></target></volume>",
        )
        .map(Volume::into_facts)
        .unwrap();
    for (offset, length) in [(0, 5), (0, 20 << 20), (4096, 0)] {
        let e = Upload::start(conn.clone(), &pool, &disk, offset, length)
            .err()
            .unwrap();
        assert_eq!(e.code, Code::NoSupport, "{offset}+{length}: {e}");
    }
    let mut up = Upload::start(conn.clone(), &pool, &disk, 0, 0).unwrap();
    up.send(b"12345").unwrap();
    assert_eq!(up.finish().unwrap_err().code, Code::InvalidArg);
    let (_, flat) = download(&conn, "[LocalDS_0] probe/d-flat.vmdk");
    assert_eq!(flat.len(), 10 << 20, "the flat extent keeps its size");
    let whole = pattern(10 << 20);
    upload(&conn, &pool, &disk, &whole, 0);
    assert!(download(&conn, "[LocalDS_0] probe/d-flat.vmdk").1 == whole);

    // Not while a VM has it open, nor once a snapshot builds on it.
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let xml = "<disk type='file' device='disk'><source file='[LocalDS_0] probe/d.vmdk'/>\
               <target dev='sdb' bus='scsi'/></disk>";
    dom(&conn, &vm)
        .change_device(xml, Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let e = Upload::start(conn.clone(), &pool, &disk, 0, 0)
        .err()
        .unwrap();
    assert!(
        e.code == Code::OperationInvalid && e.message().contains("ha-host_VM1"),
        "{e}"
    );
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    drop(Upload::start(conn.clone(), &pool, &disk, 0, 0).unwrap());
    dom(&conn, &vm)
        .create_snapshot(
            "<domainsnapshot><name>s</name></domainsnapshot>",
            Default::default(),
        )
        .unwrap();
    let e = Upload::start(conn.clone(), &pool, &disk, 0, 0)
        .err()
        .unwrap();
    assert!(e.message().contains("snapshot"), "{e}");

    // The temporary name is the upload's own: an unrelated `c.iso.part` survives uploads that
    // finish and that abort, and a second upload of one volume waits for none: it is refused.
    let iso = pool_of(&conn, &pool)
        .create_volume("<volume><name>probe/c.iso</name><capacity>0</capacity></volume>")
        .map(Volume::into_facts)
        .unwrap();
    let dc_path = pool.datacenter_path.clone();
    conn.primary()
        .client
        .upload(&dc_path, "LocalDS_0", "probe/c.iso.part", b"keep")
        .unwrap();
    upload(&conn, &pool, &iso, b"first", 0);
    let mut first = Upload::start(conn.clone(), &pool, &iso, 0, 0).unwrap();
    first.send(b"second").unwrap();
    let e = Upload::start(conn.clone(), &pool, &iso, 0, 0)
        .err()
        .unwrap();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    first.abort();
    drop(first);
    let mut again = Upload::start(conn.clone(), &pool, &iso, 0, 0).unwrap();
    again.send(b"third").unwrap();
    drop(again);
    settles_to(
        &conn,
        &pool,
        "probe",
        &["c.iso", "c.iso.part", "d-flat.vmdk", "d.vmdk"],
    );
    assert_eq!(download(&conn, "[LocalDS_0] probe/c.iso").1, b"first");
    assert_eq!(download(&conn, "[LocalDS_0] probe/c.iso.part").1, b"keep");
}

#[test]
fn paths_that_leave_the_datastore_are_refused() {
    use virt_esx::abi::flags::AffectFlags;
    use virt_esx::driver::domain::devices::DeviceChange::Attach;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    for path in [
        "[LocalDS_0] ../../tmp/x.iso",
        "[LocalDS_0] a/../../x.iso",
        "/vmfs/volumes/LocalDS_0/../../tmp/x.iso",
    ] {
        let e = conn.volume_by_path(path).err().unwrap();
        assert!(
            e.code == Code::InvalidArg && e.message().contains("leaves its datastore"),
            "{path}: {e}"
        );
    }
    let e = pool_of(&conn, &pool)
        .volume_by_name("../x.iso")
        .map(Volume::into_facts)
        .err()
        .unwrap();
    assert_eq!(e.code, Code::InvalidArg, "{e}");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm)
        .power(virt_esx::driver::domain::power::PowerOp::Destroy)
        .unwrap();
    let before = dom(&conn, &vm).domain_xml(Default::default()).unwrap();
    for xml in [
        "<disk type='file' device='cdrom'><source file='[LocalDS_0] ../../etc/passwd'/>\
         <target dev='hdc' bus='ide'/></disk>",
        "<disk type='file' device='floppy'><source file='[LocalDS_0] ../f.flp'/>\
         <target dev='fda'/></disk>",
        "<disk type='file' device='disk'><source file='[LocalDS_0] x/../../d.vmdk'/>\
         <target dev='sdb' bus='scsi'/></disk>",
    ] {
        let e = dom(&conn, &vm)
            .change_device(xml, Attach, AffectFlags::CONFIG, "t")
            .unwrap_err();
        assert!(e.message().contains("leaves its datastore"), "{xml}: {e}");
    }
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    assert_eq!(
        dom(&conn, &vm).domain_xml(Default::default()).unwrap(),
        before
    );
    let define = common::domain_xml("escape", "LocalDS_0", 1024)
        .replace("escape/escape.vmdk", "../escape.vmdk");
    assert!(define.contains("../escape.vmdk"));
    let e = conn.define_xml(&define).unwrap_err();
    assert!(e.message().contains("leaves its datastore"), "{e}");
}

/// A volume made in `pool` from `xml`, as made.
fn make_volume(
    conn: &Arc<Connection>,
    pool: &PoolFacts,
    xml: &str,
) -> virt_esx::Result<VolumeFacts> {
    pool_of(conn, pool)
        .create_volume(xml)
        .map(Volume::into_facts)
}

/// Linked clones: a volume made with a `<backingStore>` is a child disk of that base (its
/// descriptor, as the server has it, names the base), of the base's capacity, and shows the
/// base in its XML, beside it or in another folder; what cannot be a base is refused.
#[test]
fn linked_clones_are_child_disks_of_their_backing_store() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    let make = |xml: &str| make_volume(&conn, &pool, xml);
    make(
        "<volume><name>base/base.vmdk</name><capacity unit='M'>16</capacity>\
         <target><format type='vmdk'/></target></volume>",
    )
    .unwrap();
    let child = |name: &str, base: &str, capacity: &str| {
        format!(
            "<volume><name>{name}</name>{capacity}<target><format type='vmdk'/></target>\
             <backingStore><path>{base}</path><format type='vmdk'/></backingStore></volume>"
        )
    };
    let rt = conn.round_trips();
    let near = make(&child("base/near.vmdk", "[LocalDS_0] base/base.vmdk", "")).unwrap();
    assert!(conn.round_trips() - rt <= 6, "{}", conn.round_trips() - rt);
    assert_eq!(
        (near.capacity, near.kind.clone()),
        (16 << 20, VolumeKind::Disk)
    );
    let far = make(&child(
        "clones/far.vmdk",
        "/vmfs/volumes/LocalDS_0/base/base.vmdk",
        "<capacity unit='M'>16</capacity>",
    ))
    .unwrap();
    // The server's own files: child descriptors naming their base.
    let descriptor = |path: &str| String::from_utf8(download(&conn, path).1).unwrap();
    assert!(
        descriptor("[LocalDS_0] base/near.vmdk").contains("parentFileNameHint=\"base.vmdk\""),
        "{}",
        descriptor("[LocalDS_0] base/near.vmdk")
    );
    assert!(
        descriptor("[LocalDS_0] clones/far.vmdk")
            .contains("parentFileNameHint=\"/vmfs/volumes/LocalDS_0/base/base.vmdk\"")
    );
    let backing = "<backingStore>\n    <path>[LocalDS_0] base/base.vmdk</path>\n    \
                   <format type='vmdk'/>\n  </backingStore>\n</volume>\n";
    for vol in [&near, &far] {
        let found = pool_of(&conn, &pool).volume_by_name(&vol.name).unwrap();
        assert_eq!(found.facts().capacity, 16 << 20);
        let xml = found.xml().unwrap();
        assert!(xml.ends_with(backing), "{xml}");
    }
    let base = pool_of(&conn, &pool)
        .volume_by_name("base/base.vmdk")
        .unwrap();
    assert!(!base.xml().unwrap().contains("backingStore"));

    // Refusals: another capacity, a base that is no disk or not there, a clone not named .vmdk.
    let e = make(&child(
        "clones/big.vmdk",
        "[LocalDS_0] base/base.vmdk",
        "<capacity unit='M'>32</capacity>",
    ))
    .unwrap_err();
    assert_eq!(e.code, Code::ConfigUnsupported);
    assert!(
        e.message().contains("its base's capacity (16777216 bytes)"),
        "{e}"
    );
    make("<volume><name>iso/x.iso</name><capacity>0</capacity></volume>").unwrap();
    let e = make(&child("clones/iso.vmdk", "[LocalDS_0] iso/x.iso", "")).unwrap_err();
    assert!(e.message().contains("is not a VMDK disk"), "{e}");
    let e = make(&child("clones/none.vmdk", "[LocalDS_0] base/none.vmdk", "")).unwrap_err();
    assert_eq!(e.code, Code::NoStorageVol, "{e}");
    let e = make(&child("clones/c.img", "[LocalDS_0] base/base.vmdk", "")).unwrap_err();
    assert_eq!(e.code, Code::NoSupport);
    assert_eq!(
        download(&conn, "[LocalDS_0] clones/big.vmdk").0,
        404,
        "nothing made"
    );
    // Deleting a clone removes its descriptor and delta extent, and leaves its base.
    vol_of(&conn, &pool, &near).delete().unwrap();
    for (file, status) in [
        ("base/near.vmdk", 404),
        ("base/near-delta.vmdk", 404),
        ("base/base.vmdk", 200),
    ] {
        assert_eq!(
            download(&conn, &format!("[LocalDS_0] {file}")).0,
            status,
            "{file}"
        );
    }
}

/// A monolithicSparse VMDK as `qemu-img convert -O vmdk` writes one: a 4 MiB disk of 64 KiB
/// grains, one grain table, data in grains 0 and 10 only.
fn sparse_vmdk(grain0: &[u8], grain10: &[u8]) -> Vec<u8> {
    const SECTOR: usize = 512;
    let (capacity, grain) = (8192u64, 128u64);
    let (descriptor_at, gd_at, gt_at, data_at) = (1u64, 21u64, 22u64, 128u64);
    let mut f = vec![0u8; (data_at as usize + 2 * grain as usize) * SECTOR];
    let mut put = |at: usize, bytes: &[u8]| f[at..at + bytes.len()].copy_from_slice(bytes);
    put(0, b"KDMV");
    put(4, &1u32.to_le_bytes());
    put(8, &3u32.to_le_bytes());
    put(12, &capacity.to_le_bytes());
    put(20, &grain.to_le_bytes());
    put(28, &descriptor_at.to_le_bytes());
    put(36, &20u64.to_le_bytes());
    put(44, &512u32.to_le_bytes());
    put(48, &gd_at.to_le_bytes());
    put(56, &gd_at.to_le_bytes());
    put(64, &data_at.to_le_bytes());
    put(73, b"\n \r\n");
    let descriptor = "# Disk DescriptorFile\nversion=1\nCID=12345678\nparentCID=ffffffff\n\
        createType=\"monolithicSparse\"\n\nRW 8192 SPARSE \"image.vmdk\"\n\n#DDB\n\
        ddb.adapterType = \"ide\"\n";
    put(descriptor_at as usize * SECTOR, descriptor.as_bytes());
    put(gd_at as usize * SECTOR, &(gt_at as u32).to_le_bytes());
    put(gt_at as usize * SECTOR, &(data_at as u32).to_le_bytes());
    put(
        gt_at as usize * SECTOR + 40,
        &((data_at + grain) as u32).to_le_bytes(),
    );
    put(data_at as usize * SECTOR, grain0);
    put((data_at + grain) as usize * SECTOR, grain10);
    f
}

/// An image upload: a hosted VMDK uploaded whole into a `.vmdk` volume made with no
/// capacity, listed with its own capacity, and converted with virStorageVolCreateXMLFrom
/// into a thin and a preallocated disk whose data (as the server has it) is the image's.
#[test]
fn hosted_vmdks_are_uploaded_and_converted_into_disks() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let pool = local_pool(&conn);
    let make = |xml: &str| make_volume(&conn, &pool, xml);
    let image = make(
        "<volume><name>images/cirros.vmdk</name><capacity>0</capacity>\
         <target><format type='vmdk'/></target></volume>",
    )
    .unwrap();
    assert_eq!(image.kind, VolumeKind::Hosted);
    let (grain0, grain10) = (pattern(65_536), vec![0xa5u8; 65_536]);
    let file = sparse_vmdk(&grain0, &grain10);
    upload(&conn, &pool, &image, &file, file.len() as u64);
    assert_eq!(
        download(&conn, "[LocalDS_0] images/cirros.vmdk"),
        (200, file.clone())
    );
    let image = pool_of(&conn, &pool)
        .volume_by_name("images/cirros.vmdk")
        .unwrap();
    assert_eq!(image.facts().kind, VolumeKind::Hosted);
    assert_eq!(image.facts().capacity, 4 << 20);
    assert_eq!(download_all(&conn, &pool, image.facts(), 0, 0), file);

    for (name, allocation, thin) in [
        ("disks/thin.vmdk", "0", "1"),
        ("disks/thick.vmdk", "4194304", "0"),
    ] {
        let made = pool_of(&conn, &pool)
            .clone_volume(
                &format!(
                    "<volume><name>{name}</name><capacity>4194304</capacity>\
                     <allocation>{allocation}</allocation><target><format type='vmdk'/></target></volume>"
                ),
                &image,
            )
            .unwrap();
        assert_eq!(made.facts().kind, VolumeKind::Disk);
        let (status, descriptor) = download(&conn, &format!("[LocalDS_0] {name}"));
        let descriptor = String::from_utf8(descriptor).unwrap();
        assert_eq!(status, 200);
        assert!(
            descriptor.contains("RW 8192 VMFS")
                && descriptor.contains(&format!("ddb.thinProvisioned = \"{thin}\"")),
            "{descriptor}"
        );
        let flat = download(
            &conn,
            &format!("[LocalDS_0] {}", name.replace(".vmdk", "-flat.vmdk")),
        )
        .1;
        assert_eq!(flat.len(), 4 << 20);
        assert_eq!(&flat[..65_536], &grain0[..]);
        assert_eq!(&flat[10 * 65_536..11 * 65_536], &grain10[..]);
        assert!(flat[65_536..10 * 65_536].iter().all(|b| *b == 0));
        let found = pool_of(&conn, &pool).volume_by_name(name).unwrap();
        assert_eq!(
            (found.facts().kind.clone(), found.facts().capacity),
            (VolumeKind::Disk, 4 << 20)
        );
    }
    // What qemu-img itself writes (tools/install-deps.sh installs it) converts the same way.
    let dir = std::env::temp_dir().join(format!("esx-qemu-img-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let raw = pattern(3 << 20);
    std::fs::write(dir.join("disk.raw"), &raw).unwrap();
    let converted = std::process::Command::new("qemu-img")
        .args(["convert", "-f", "raw", "-O", "vmdk"])
        .arg(dir.join("disk.raw"))
        .arg(dir.join("disk.vmdk"))
        .status()
        .expect("qemu-img (make deps installs qemu-utils)");
    assert!(converted.success());
    let sparse = std::fs::read(dir.join("disk.vmdk")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let qemu = make(
        "<volume><name>images/qemu.vmdk</name><capacity>0</capacity>\
         <target><format type='vmdk'/></target></volume>",
    )
    .unwrap();
    upload(&conn, &pool, &qemu, &sparse, sparse.len() as u64);
    let qemu = pool_of(&conn, &pool)
        .volume_by_name("images/qemu.vmdk")
        .unwrap();
    assert_eq!(qemu.facts().capacity, 3 << 20);
    pool_of(&conn, &pool)
        .clone_volume(
            "<volume><name>disks/qemu.vmdk</name><capacity>3145728</capacity>\
             <allocation>0</allocation><target><format type='vmdk'/></target></volume>",
            &qemu,
        )
        .unwrap();
    assert_eq!(download(&conn, "[LocalDS_0] disks/qemu-flat.vmdk").1, raw);

    let e = pool_of(&conn, &pool)
        .clone_volume(
            "<volume><name>disks/x.img</name><capacity>0</capacity></volume>",
            &image,
        )
        .unwrap_err();
    assert!(e.message().contains("name the copy '.vmdk'"), "{e}");
}
