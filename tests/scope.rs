//! vpx:// scopes on a two-datacenter simulator with folders: what each URI path covers, how
//! paths fail, names that collide, templates, the scope as one hypervisor, and placement.

mod common;

use common::live::{run_raw_task, vm_prop, vms_under};
use common::{Sim, dom, open};
use esx_driver::testing::Listing;
use esx_driver::testing::ScopeKind;
use esx_driver::vi::soap::Request;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::abi::flags::ListDomainsFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Domain;

/// Two datacenters: DC0 at the root, DC1 inside folder F0 (its hosts in F0 below it).
fn two_datacenters() -> Sim {
    Sim::start(&["-mode", "vpx", "-dc", "2", "-folder", "1"])
}

fn names(conn: &Arc<Connection>) -> Vec<String> {
    let mut n: Vec<String> = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap()
        .into_iter()
        .map(|vm| vm.name)
        .collect();
    n.sort();
    n
}

const SCOPES: &[(&str, ScopeKind)] = &[
    ("/", ScopeKind::Vcenter),
    ("/DC0", ScopeKind::Datacenter),
    ("/F0/DC1", ScopeKind::Datacenter),
    ("/DC0/DC0_C0", ScopeKind::Cluster),
    ("/F0/DC1/F0/DC1_C0", ScopeKind::Cluster),
    ("/DC0/DC0_C0/DC0_C0_H1", ScopeKind::Host),
    ("/F0/DC1/F0/DC1_H0", ScopeKind::Host),
];

#[test]
fn every_scope_lists_what_the_inventory_holds_in_one_round_trip() {
    let sim = two_datacenters();
    let mut whole = 0;
    for (path, kind) in SCOPES {
        let conn = open(&sim, "vpx", path);
        assert_eq!(conn.primary().scope.kind, *kind, "{path}");
        let before = conn.round_trips();
        let listed = names(&conn);
        assert_eq!(conn.round_trips() - before, 1, "{path}");
        let expected = vms_under(&conn, &conn.primary().scope.object);
        assert_eq!(listed, expected, "{path}");
        if *path == "/" {
            whole = listed.len();
            assert!(listed.iter().any(|n| n.starts_with("DC1_")), "{listed:?}");
        } else {
            assert!(
                !listed.is_empty() && listed.len() < whole,
                "{path}: {listed:?}"
            );
        }
    }
}

#[test]
fn paths_name_what_is_missing_and_what_is_there() {
    let sim = two_datacenters();
    let uri = |p: &str| sim.uri("vpx", &format!("{p}?no_verify=1"));
    let creds = common::Creds::new(Some("u"), "p");
    for (path, needles) in [
        ("/DC9", &["'DC9'", "root folder", "DC0, F0"][..]),
        ("/F0", &["ends at folder 'F0'", "DC1"][..]),
        ("/F0/DC0", &["'DC0'", "'F0'", "DC1"][..]),
        ("/DC0/nope", &["'nope'", "'DC0'", "DC0_H0"][..]),
        ("/DC0/DC0_C0/DC0_C0_H9", &["'DC0_C0_H9'", "DC0_C0_H0"][..]),
        ("/DC0/DC0_H0/extra", &["excess item 'extra'"][..]),
        ("/F0/DC1/F0", &["ends at folder 'F0'", "DC1_C0"][..]),
    ] {
        let e = Connection::open(&uri(path), Some(&creds), false).unwrap_err();
        assert_eq!(e.code, Code::InvalidArg, "{path}: {e}");
        for n in needles {
            assert!(e.message().contains(n), "{path}: {e}");
        }
    }
}

#[test]
fn names_found_twice_are_ambiguous_and_templates_are_not_domains() {
    let sim = two_datacenters();
    let root = open(&sim, "vpx", "/");
    // DC1's VM takes the name of one in DC0 (allowed: they are in different folders).
    let twin = root.domain_by_name("DC1_H0_VM0").unwrap().cached();
    let mut rename = Request::new("Rename_Task", &twin.moref);
    rename.text("newName", "DC0_H0_VM0");
    run_raw_task(&root, &rename);
    let e = root.domain_by_name("DC0_H0_VM0").unwrap_err();
    assert_eq!(e.code, Code::OperationFailed, "{e}");
    for n in ["DC0/vm/DC0_H0_VM0", "F0/DC1/vm/F0/DC0_H0_VM0"] {
        assert!(e.message().contains(n), "{e}");
    }
    // A narrower scope, the UUID and the ID are unique.
    assert_eq!(
        open(&sim, "vpx", "/F0/DC1")
            .domain_by_name("DC0_H0_VM0")
            .unwrap()
            .cached()
            .moref,
        twin.moref
    );
    assert_eq!(
        root.domain_by_uuid(&twin.uuid).unwrap().cached().moref,
        twin.moref
    );
    assert_eq!(
        root.domain_by_id(twin.id()).unwrap().cached().moref,
        twin.moref
    );

    // A template is never listed; looking it up says what it is.
    let vm = root.domain_by_name("DC0_H0_VM1").unwrap().cached();
    dom(&root, &vm)
        .power(virt_esx::driver::domain::power::PowerOp::Destroy)
        .unwrap();
    root.primary()
        .client
        .invoke(&Request::new("MarkAsTemplate", &vm.moref))
        .unwrap();
    assert_eq!(
        vm_prop(&root, &vm.moref, "config.template").as_deref(),
        Some("true")
    );
    assert!(!names(&root).contains(&"DC0_H0_VM1".to_string()));
    let e = root.domain_by_name("DC0_H0_VM1").unwrap_err();
    assert_eq!(e.code, Code::NoDomain);
    assert!(e.message().contains("is a template"), "{e}");
    assert!(
        root.domain_by_uuid(&vm.uuid)
            .unwrap_err()
            .message()
            .contains("template")
    );
}

#[test]
fn a_cluster_is_one_hypervisor_summed_over_its_hosts() {
    let sim = two_datacenters();
    let cluster = open(&sim, "vpx", "/DC0/DC0_C0");
    let hosts: Vec<Arc<Connection>> = ["DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"]
        .iter()
        .map(|h| open(&sim, "vpx", &format!("/DC0/DC0_C0/{h}")))
        .collect();
    let before = cluster.round_trips();
    let info = cluster.node_info().unwrap();
    let free = cluster.free_memory().unwrap();
    let max = cluster.max_vcpus().unwrap();
    let caps = cluster.capabilities_xml().unwrap();
    assert_eq!(
        cluster.round_trips() - before,
        4 + 1,
        "one round trip each, and the first one's read of the cluster's hosts"
    );
    let each: Vec<_> = hosts.iter().map(|h| h.node_info().unwrap()).collect();
    assert_eq!(
        info.memory_kib,
        each.iter().map(|i| i.memory_kib).sum::<u64>()
    );
    assert_eq!(info.cpus, each.iter().map(|i| i.cpus).sum::<u32>());
    assert_eq!(info.sockets, each.iter().map(|i| i.sockets).sum::<u32>());
    assert_eq!(info.nodes, each.iter().map(|i| i.nodes).sum::<u32>());
    assert_eq!(info.mhz, each.iter().map(|i| i.mhz).min().unwrap());
    let frees: u64 = hosts.iter().map(|h| h.free_memory().unwrap()).sum();
    assert_eq!(free, frees);
    assert_eq!(
        max,
        hosts.iter().map(|h| h.max_vcpus().unwrap()).min().unwrap()
    );

    // Its own stable UUID, not a host's; the vCenter's name; no sysinfo.
    let uuid = |xml: &str| xml.split("<uuid>").nth(1).unwrap()[..36].to_string();
    assert_eq!(
        uuid(&caps),
        uuid(&open(&sim, "vpx", "/DC0/DC0_C0").capabilities_xml().unwrap())
    );
    assert_ne!(uuid(&caps), uuid(&hosts[0].capabilities_xml().unwrap()));
    assert_ne!(
        uuid(&caps),
        uuid(&open(&sim, "vpx", "/DC0").capabilities_xml().unwrap())
    );
    assert_eq!(cluster.hostname().unwrap(), "127.0.0.1");
    let e = cluster.sysinfo_xml().unwrap_err();
    assert_eq!(e.code, Code::NoSupport);
    assert!(e.message().contains("scope above one host"), "{e}");
}

fn disk_xml(name: &str, datastore: &str) -> String {
    format!(
        "<domain type='vmware'><name>{name}</name><memory>524288</memory><vcpu>1</vcpu>\
         <os><type>hvm</type></os><devices><disk type='file' device='disk'>\
         <source file='[{datastore}] {name}/{name}.vmdk'/><target dev='sda' bus='scsi'/></disk>\
         </devices></domain>"
    )
}

#[test]
fn define_in_a_cluster_places_on_one_of_its_hosts() {
    let sim = two_datacenters();
    let cluster = open(&sim, "vpx", "/DC0/DC0_C0");
    let vm = cluster
        .define_xml(&disk_xml("placed", "LocalDS_0"))
        .unwrap();
    let check = open(&sim, "vpx", "/");
    let host = vm_prop(&check, &vm.moref, "runtime.host").unwrap();
    let cluster_hosts: Vec<String> = esx_driver::testing::scope_hosts(&cluster)
        .iter()
        .map(|p| p.host.value.clone())
        .collect();
    assert!(
        cluster_hosts.contains(&host),
        "{host} not in {cluster_hosts:?}"
    );
    assert!(names(&cluster).contains(&"placed".to_string()));

    // LocalDS_0 is the name of a datastore in each datacenter: the whole vCenter can't tell.
    let e = check
        .define_xml(&disk_xml("where", "LocalDS_0"))
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "{e}");
    assert!(e.message().contains("DC0, F0/DC1"), "{e}");
    let e = check
        .define_xml(&disk_xml("where", "NoSuchDS"))
        .unwrap_err();
    assert!(e.message().contains("'NoSuchDS' is not mounted"), "{e}");
}

#[test]
fn listing_a_vcenter_then_info_for_all_costs_two_round_trips() {
    let sim = Sim::start(&["-mode", "vpx", "-dc", "2", "-vms", "20"]);
    let conn = open(&sim, "vpx", "/");
    let before = conn.round_trips();
    let all = conn.list_all_domains(ListDomainsFlags::empty()).unwrap();
    assert_eq!(
        all.len(),
        2 * 2 * 20,
        "two datacenters: a host and a cluster pool each"
    );
    let listing = Arc::new(Listing::new(&all, true));
    for vm in &all {
        let d = Domain::new(conn.clone(), vm.clone(), Some(listing.clone()));
        assert!(d.current().unwrap().memory_mb > 0);
    }
    assert_eq!(conn.round_trips() - before, 2);
}
