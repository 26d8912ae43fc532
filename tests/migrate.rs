//! Migration through one vCenter on the simulator: live and cold, host to host, to a cluster,
//! across clusters and datacenters, storage with the disks, refusals and a failed task; after
//! each, an independent read of where the VM is.

mod common;

use common::injector::{Action, Injector};
use common::live::vm_prop;
use common::{Creds, Sim, dom, managed_pair, open};
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use virt_esx::Code;
use virt_esx::abi::flags::MigrateFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::migrate::{MigrateOptions, migrate_flags};
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::domain::{PowerState, Vm};
use virt_esx::driver::jobs::JobInfo;

fn opts(flags: MigrateFlags) -> MigrateOptions<'static> {
    MigrateOptions {
        flags,
        ..MigrateOptions::default()
    }
}

/// The VM's host and datastore names as the simulator has them now (a fresh connection).
fn where_is(sim: &Sim, vm: &Vm) -> (String, String) {
    let check = open(sim, "vpx", "/");
    let host = vm_prop(&check, &vm.moref, "runtime.host").unwrap();
    let ds = vm_prop(&check, &vm.moref, "datastore").unwrap_or_default();
    (host, ds)
}

/// Whether `host` (a managed object id) is one of the connection's scope.
fn has_host(conn: &Arc<Connection>, host: &str) -> bool {
    esx_driver::testing::scope_hosts(conn)
        .iter()
        .any(|p| p.host.value == host)
}

fn host_of(sim: &Sim, path: &str) -> String {
    open(sim, "vpx", path)
        .primary()
        .scope
        .host()
        .unwrap()
        .host
        .value
        .clone()
}

#[test]
fn live_and_cold_between_hosts_clusters_and_datacenters() {
    let sim = Sim::start(&["-mode", "vpx", "-dc", "2", "-cluster", "2"]);
    let src = open(&sim, "vpx", "/");
    let vm = src.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    let (from, _) = where_is(&sim, &vm);
    let other = ["DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"]
        .into_iter()
        .map(|h| format!("/DC0/DC0_C0/{h}"))
        .find(|p| host_of(&sim, p) != from)
        .unwrap();

    // Host to host in the cluster, live (running, with or without VIR_MIGRATE_LIVE).
    let dest = open(&sim, "vpx", &other);
    let there = dom(&src, &vm)
        .migrate(&dest, opts(MigrateFlags::LIVE))
        .unwrap();
    assert_eq!(where_is(&sim, &vm).0, host_of(&sim, &other));
    assert_eq!(there.state, PowerState::PoweredOn);
    assert_eq!(there.moref, vm.moref);

    // To a cluster: one of its hosts, by the placement rule.
    let cluster = open(&sim, "vpx", "/DC0/DC0_C1");
    dom(&src, &vm)
        .migrate(&cluster, opts(MigrateFlags::empty()))
        .unwrap();
    let host = where_is(&sim, &vm).0;
    assert!(has_host(&cluster, &host), "{host}");
    assert!(
        cluster
            .list_all_domains(Default::default())
            .unwrap()
            .iter()
            .any(|v| v.moref == vm.moref)
    );

    // Cold, to the standalone host.
    dom(&src, &src.refresh_vm(&vm.moref).unwrap())
        .power(PowerOp::Destroy)
        .unwrap();
    let standalone = open(&sim, "vpx", "/DC0/DC0_H0");
    let there = dom(&src, &vm)
        .migrate(&standalone, opts(MigrateFlags::OFFLINE))
        .unwrap();
    assert_eq!(there.state, PowerState::PoweredOff);
    assert_eq!(where_is(&sim, &vm).0, host_of(&sim, "/DC0/DC0_H0"));

    // Across datacenters: DC1 has its own LocalDS_0, so the disks must move too.
    let far = open(&sim, "vpx", "/DC1/DC1_H0");
    let e = dom(&src, &vm)
        .migrate(&far, opts(MigrateFlags::empty()))
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "{e}");
    assert!(
        e.message().contains("does not mount datastore 'LocalDS_0'"),
        "{e}"
    );
    assert!(e.message().contains("datastore=NAME"), "{e}");
    let uri = sim.uri("vpx", "/DC1/DC1_H0?datastore=LocalDS_0&no_verify=1");
    let far = Connection::open(&uri, Some(&Creds::new(Some("u"), "p")), false).unwrap();
    dom(&src, &vm)
        .migrate(&far, opts(MigrateFlags::NON_SHARED_DISK))
        .unwrap();
    let (host, ds) = where_is(&sim, &vm);
    assert_eq!(host, host_of(&sim, "/DC1/DC1_H0"));
    let dc1_ds = far
        .primary()
        .client
        .retrieve_one(&far.primary().scope.host().unwrap().host, &["datastore"])
        .unwrap()
        .unwrap()
        .props
        .text_at("datastore")
        .unwrap()
        .to_string();
    assert_eq!(ds, dc1_ds);
    assert!(far.domain_by_name("DC0_C0_RP0_VM0").is_ok());
}

#[test]
fn refusals_are_clear() {
    let sim = Sim::start(&["-mode", "vpx"]);
    let src = open(&sim, "vpx", "/");
    let vm = src.domain_by_name("DC0_H0_VM0").unwrap().cached();
    let dest = open(&sim, "vpx", "/DC0/DC0_H0");

    let e = migrate_flags(4 | 1 << 16, "virDomainMigrate").unwrap_err();
    assert_eq!(e.code, Code::ArgumentUnsupported);
    assert!(
        e.message()
            .contains("VIR_MIGRATE_TUNNELLED, VIR_MIGRATE_TLS"),
        "{e}"
    );
    let e = dom(&src, &vm)
        .migrate(&dest, opts(MigrateFlags::OFFLINE))
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let named = MigrateOptions {
        dname: Some("other"),
        ..MigrateOptions::default()
    };
    let e = dom(&src, &vm).migrate(&dest, named).unwrap_err();
    assert!(
        e.message()
            .contains("Renaming domains on migration not supported"),
        "{e}"
    );
    let e = dom(&src, &vm)
        .migrate(&dest, opts(MigrateFlags::NON_SHARED_DISK))
        .unwrap_err();
    assert!(e.message().contains("datastore=NAME"), "{e}");

    // No vCenter at either end; two different vCenters.
    let esx = Sim::esx();
    let host = open(&esx, "esx", "/");
    let e = dom(&host, &host.domain_by_name("ha-host_VM0").unwrap().cached())
        .migrate(&dest, opts(MigrateFlags::empty()))
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(
        e.message()
            .contains("Migration not possible without a vCenter"),
        "{e}"
    );
    let other_vc = Sim::start(&["-mode", "vpx"]);
    let far = open(&other_vc, "vpx", "/DC0/DC0_C0");
    let e = dom(&src, &vm)
        .migrate(&far, opts(MigrateFlags::empty()))
        .unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported, "{e}");
    assert!(e.message().contains("across vCenters"), "{e}");
    assert_eq!(where_is(&sim, &vm).0, host_of(&sim, "/DC0/DC0_H0"));
}

#[test]
fn a_failed_relocation_leaves_the_vm_where_it_was() {
    let sim = Sim::start(&["-mode", "vpx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let creds = Creds::new(Some("u"), "p");
    let src = Connection::open(&inj.uri("vpx", "/"), Some(&creds), false).unwrap();
    let dest = Connection::open(&inj.uri("vpx", "/DC0/DC0_C0"), Some(&creds), false).unwrap();
    let vm = src.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    let before = where_is_http(&src, &vm);
    inj.add(
        "RelocateVM_Task",
        1,
        Action::Fault(
            "MigrationFault",
            "The destination host is out of resources.",
        ),
    );
    let e = dom(&src, &vm)
        .migrate(&dest, opts(MigrateFlags::LIVE))
        .unwrap_err();
    assert!(e.message().contains("MigrationFault"), "{e}");
    assert!(e.message().contains("out of resources"), "{e}");
    assert!(inj.seen().contains(&"RelocateVM_Task".to_string()));
    let other = Connection::open(&inj.uri("vpx", "/"), Some(&creds), false).unwrap();
    assert_eq!(where_is_http(&other, &vm), before);
}

fn where_is_http(conn: &Arc<Connection>, vm: &Vm) -> String {
    vm_prop(conn, &vm.moref, "runtime.host").unwrap()
}

#[test]
fn job_info_follows_a_running_migration_and_abort_cancels_it() {
    let sim = Sim::start(&["-mode", "vpx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let creds = Creds::new(Some("u"), "p");
    let open_inj =
        |path: &str| Connection::open(&inj.uri("vpx", path), Some(&creds), false).unwrap();
    let (src, cluster, host) = (
        open_inj("/"),
        open_inj("/DC0/DC0_C0"),
        open_inj("/DC0/DC0_H0"),
    );
    let vm = src.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    assert_eq!(dom(&src, &vm).job_info().unwrap(), JobInfo::default());
    let e = dom(&src, &vm).abort_job().unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
    assert!(e.message().contains("no job is active"), "{e}");

    // The first read of the relocation's task is held: the job runs meanwhile.
    inj.add_when(
        "RetrievePropertiesEx",
        "info.state",
        1,
        Action::Delay(Duration::from_millis(1500)),
    );
    let (s, v, d) = (src.clone(), vm.clone(), host.clone());
    let moving = thread::spawn(move || dom(&s, &v).migrate(&d, opts(MigrateFlags::LIVE)));
    thread::sleep(Duration::from_millis(500));
    let job = dom(&src, &vm).job_info().unwrap();
    assert!(job.running && job.elapsed_ms >= 300, "{job:?}");
    moving.join().unwrap().unwrap();
    assert!(!dom(&src, &vm).job_info().unwrap().running);

    // Abort: the task reads as running until the long poll, which then reports the server's
    // cancellation (the simulator's own tasks end at once, so its answers are rewritten).
    inj.add_when(
        "RetrievePropertiesEx",
        "info.state",
        1,
        Action::Rewrite(Box::new(|body| {
            thread::sleep(Duration::from_millis(800));
            body.replace(">success<", ">running<")
        })),
    );
    inj.add("CancelTask", 1, Action::Reply(Box::new(String::new)));
    inj.add(
        "WaitForUpdatesEx",
        1,
        Action::Rewrite(Box::new(|body| {
            body.replace(">success<", ">error<").replacen(
                "</objectSet>",
                "<changeSet><name>info.error</name><op>assign</op><val \
                 xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"RequestCanceled\">\
                 </fault><localizedMessage>The task was canceled by a user.\
                 </localizedMessage></val></changeSet></objectSet>",
                1,
            )
        })),
    );
    let (s, v, d) = (src.clone(), vm.clone(), cluster.clone());
    let moving = thread::spawn(move || dom(&s, &v).migrate(&d, opts(MigrateFlags::LIVE)));
    thread::sleep(Duration::from_millis(400));
    dom(&src, &vm).abort_job().unwrap();
    let e = moving.join().unwrap().unwrap_err();
    assert!(e.message().contains("RequestCanceled"), "{e}");
    assert!(inj.seen().contains(&"CancelTask".to_string()));
    assert!(!dom(&src, &vm).job_info().unwrap().running);
}

/// A minimal definition of `name` with the given UUID, its disk on LocalDS_0.
fn twin_xml(name: &str, uuid: &str) -> String {
    format!(
        "<domain type='vmware'><name>{name}</name><uuid>{uuid}</uuid><memory>524288</memory>\
         <vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'>\
         <source file='[LocalDS_0] twin/twin.vmdk'/><target dev='sda' bus='scsi'/></disk>\
         </devices></domain>"
    )
}

#[test]
fn esx_with_vcenter_star_is_a_migration_end_both_ways() {
    let (vc, esx) = managed_pair();
    let creds = Creds::new(Some("root"), "pw");
    let managed = Connection::open(
        &esx.uri("esx", "/?no_verify=1&vcenter=*"),
        Some(&creds),
        false,
    )
    .unwrap();
    let src = open(&vc, "vpx", "/");
    let vm = src.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    // The ESX simulator is an inventory of its own: the VM a real managed host would list
    // after the move is registered there by hand, with the same UUID.
    managed
        .define_xml(&twin_xml(&vm.name, &vm.uuid.to_string()))
        .unwrap();

    // To the host, named by esx://…?vcenter=*: the vCenter moves it to that host (DC0_H0).
    let there = dom(&src, &vm)
        .migrate(&managed, opts(MigrateFlags::LIVE))
        .unwrap();
    assert_eq!(there.uuid, vm.uuid);
    assert_ne!(there.moref, vm.moref, "the host's own managed object");
    let check = open(&vc, "vpx", "/");
    let dc0_h0 = open(&vc, "vpx", "/DC0/DC0_H0")
        .primary()
        .scope
        .host()
        .unwrap()
        .host
        .value
        .clone();
    assert_eq!(vm_prop(&check, &vm.moref, "runtime.host").unwrap(), dc0_h0);

    // And from it, to the cluster: found in the vCenter by its UUID.
    let cluster = open(&vc, "vpx", "/DC0/DC0_C0");
    let back = dom(&managed, &there)
        .migrate(&cluster, opts(MigrateFlags::LIVE))
        .unwrap();
    assert_eq!(back.moref, vm.moref);
    let host = vm_prop(&check, &vm.moref, "runtime.host").unwrap();
    assert!(has_host(&cluster, &host), "{host}");
}
