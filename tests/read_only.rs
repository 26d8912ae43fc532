//! A read-only connection refuses every change through the Rust objects too, not only through
//! the C exports: each changing method fails with libvirt's OPERATION_DENIED naming its call,
//! and the server is left as it was.

mod common;

use common::{Sim, dom, net_of, open, open_read_only, pool_of, vol_of};
use esx_driver::abi::flags::UndefineFlags;
use virt_esx::Code;
use virt_esx::abi::flags::{
    MemoryFlags, ResizeFlags, SnapshotCreateFlags, SnapshotDeleteFlags, SnapshotRevertFlags,
    VcpuFlags,
};
use virt_esx::abi::virStorageVolWipeAlgorithm as Alg;
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::network::PortGroupChange;
use virt_esx::driver::snapshot::Snapshot;
use virt_esx::driver::storage::transfer::{Download, Upload};

#[test]
fn every_changing_method_refuses_on_a_read_only_connection() {
    let sim = Sim::esx();
    let rw = open(&sim, "esx", "/");
    let ro = open_read_only(&sim, "esx", "/");
    let vm = rw.domain_by_name("ha-host_VM0").unwrap().cached();
    let d = dom(&ro, &vm);
    let pool = ro.list_pools().unwrap().remove(0);
    let p = pool_of(&ro, &pool);
    let vol = pool_of(&rw, &pool)
        .create_volume("<volume><name>ro/a.img</name><capacity>1024</capacity></volume>")
        .unwrap()
        .into_facts();
    let v = vol_of(&ro, &pool, &vol);
    let net = ro.networks().unwrap().remove(0);
    let n = net_of(&ro, &net);
    let snap = Snapshot {
        moref: vm.moref.clone(),
        name: "s".into(),
    };
    let xml = common::domain_xml("ro-vm", "LocalDS_0", 1 << 20);
    let denied: Vec<(&str, virt_esx::Result<()>)> = vec![
        ("virDomainSuspend", d.power(PowerOp::Suspend).map(drop)),
        (
            "virDomainSetMemoryFlags",
            d.set_memory(1 << 16, MemoryFlags::empty()).map(drop),
        ),
        (
            "virDomainSetVcpusFlags",
            d.set_vcpus(2, VcpuFlags::empty()).map(drop),
        ),
        (
            "virDomainSetSchedulerParametersFlags",
            d.set_scheduler_params(Some(1), None, None),
        ),
        (
            "virDomainSetMemoryParameters",
            d.set_memory_params(Some(1024), None),
        ),
        ("virDomainSetAutostart", d.set_autostart(true)),
        ("virDomainManagedSave", d.managed_save().map(drop)),
        (
            "virDomainManagedSaveRemove",
            d.managed_save_remove().map(drop),
        ),
        ("virDomainRename", d.rename("other").map(drop)),
        ("virDomainSetMetadata", d.set_description("text")),
        (
            "virDomainSnapshotCreateXML",
            d.create_snapshot("<domainsnapshot/>", SnapshotCreateFlags::empty())
                .map(drop),
        ),
        (
            "virDomainRevertToSnapshot",
            d.revert_snapshot(&snap, SnapshotRevertFlags::empty())
                .map(drop),
        ),
        (
            "virDomainSnapshotDelete",
            d.delete_snapshot(&snap, SnapshotDeleteFlags::empty()),
        ),
        ("virDomainScreenshot", d.screenshot().map(drop)),
        ("virDomainUndefine", d.undefine(UndefineFlags::empty())),
        ("virDomainDefineXML", ro.define_xml(&xml).map(drop)),
        ("virDomainCreateXML", ro.create_xml(&xml, false).map(drop)),
        (
            "virStorageVolCreateXML",
            p.create_volume("<volume><name>ro/b.img</name><capacity>1</capacity></volume>")
                .map(drop),
        ),
        (
            "virStorageVolCreateXMLFrom",
            p.clone_volume(
                "<volume><name>ro/c.img</name><capacity>1</capacity></volume>",
                &v,
            )
            .map(drop),
        ),
        ("virStorageVolDelete", v.delete()),
        ("virStorageVolWipe", v.wipe()),
        (
            "virStorageVolWipePattern",
            v.wipe_with(Alg::VIR_STORAGE_VOL_WIPE_ALG_ZERO),
        ),
        (
            "virStorageVolResize",
            v.resize(4096, ResizeFlags::empty()).map(drop),
        ),
        (
            "virStorageVolUpload",
            Upload::start(ro.clone(), &pool, &vol, 0, 0).map(drop),
        ),
        (
            "virStorageVolDownload",
            Download::start(&ro, &pool, &vol, 0, 0).map(drop),
        ),
        ("virStoragePoolRefresh", p.refresh()),
        ("virStoragePoolSetAutostart", p.set_autostart(true)),
        ("virNetworkSetAutostart", n.set_autostart(true)),
        (
            "virStoragePoolDestroy",
            p.remove_nfs("virStoragePoolDestroy"),
        ),
        (
            "virStoragePoolCreateXML",
            ro.create_nfs_pool(
                "<pool type='netfs'><name>n</name></pool>",
                "virStoragePoolCreateXML",
            )
            .map(drop),
        ),
        (
            "virNetworkDefineXML",
            ro.define_network("<network><name>x</name></network>", "virNetworkDefineXML")
                .map(drop),
        ),
        ("virNetworkUndefine", n.undefine("virNetworkUndefine")),
        (
            "virNetworkUpdate",
            n.update_portgroup(
                PortGroupChange::Add,
                "<portgroup name='p'/>",
                "virNetworkUpdate",
            ),
        ),
    ];
    let wrong: Vec<String> = denied
        .into_iter()
        .filter_map(|(api, r)| {
            let want = format!("operation forbidden: read only access prevents {api}");
            match r {
                Err(e) if e.code == Code::OperationDenied && e.message() == want => None,
                Err(e) => Some(format!("{api}: {e}")),
                Ok(()) => Some(format!("{api}: done")),
            }
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    // The server's own view: nothing changed.
    let now = rw.domain_by_name("ha-host_VM0").unwrap().cached();
    assert_eq!((now.state, now.memory_mb), (vm.state, vm.memory_mb));
    assert!(pool_of(&rw, &pool).volume_by_name("ro/a.img").is_ok());
    assert!(pool_of(&rw, &pool).volume_by_name("ro/b.img").is_err());
}
