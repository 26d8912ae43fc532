//! The simulator launcher's fixes, seen through the library: real VMX files for the model's
//! VMs, companions of uploaded VMX files, datastore mounts and host autostart managers.

mod common;

use common::Sim;
use common::live::{download, folder_url, host_vms};
use common::open;
use esx_driver::vi::property::FilterSpec;
use esx_driver::vi::soap::Request;
use esx_driver::vi::{MoRef, Node};
use esx_driver::vmx::test_support::StandInDatastores;
use std::sync::Arc;
use virt_esx::driver::Connection;

#[test]
fn model_vms_have_vmx_files_the_converter_reads() {
    for (sim, scheme, path) in [(Sim::esx(), "esx", ""), (Sim::vpx(), "vpx", "/DC0/DC0_H0")] {
        let conn = open(&sim, scheme, path);
        let vms = host_vms(&conn);
        assert!(!vms.is_empty());
        for vm in vms {
            let (status, body) = download(&conn, &vm.vmx_path);
            assert_eq!(status, 200, "{}", vm.vmx_path);
            let text = String::from_utf8(body).unwrap();
            assert!(text.starts_with(".encoding = \"UTF-8\"\n"), "{text}");
            assert!(text.contains("scsi0:0.fileName = \"disk1.vmdk\""), "{text}");
            let xml =
                virt_esx::vmx::vmx_to_domain_xml(text.as_bytes(), &StandInDatastores::default())
                    .unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert!(xml.contains(&format!("<name>{}</name>", vm.name)), "{xml}");
            assert!(
                xml.contains("<source file='[datastore] directory/disk1.vmdk'/>"),
                "{xml}"
            );
            assert!(
                xml.contains("<controller type='scsi' index='0' model='vmpvscsi'/>"),
                "{xml}"
            );
            assert!(xml.contains("<mac address='00:0c:29:"), "{xml}");
        }
    }
}

#[test]
fn uploaded_vmx_gets_nvram_and_log_so_it_registers() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vmx = "[LocalDS_0] fresh/fresh.vmx";
    let body = b".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"13\"\ndisplayName = \"fresh\"\n";
    let transport = conn.primary().client.transport();
    let put = transport.put(&folder_url(&conn, vmx), body).unwrap();
    assert!(matches!(put.status, 200 | 201), "{}", put.status);
    for companion in [
        "[LocalDS_0] fresh/fresh.nvram",
        "[LocalDS_0] fresh/vmware.log",
    ] {
        assert_eq!(download(&conn, companion).0, 200, "{companion}");
    }

    let p = &conn.primary().scope.host().unwrap();
    let mut req = Request::new("RegisterVM_Task", &p.vm_folder);
    req.text("path", vmx)
        .text("asTemplate", "false")
        .moref("pool", &p.resource_pool)
        .moref("host", &p.host);
    esx_driver::testing::run_task(&conn, conn.primary(), &req, None).unwrap();
    assert!(host_vms(&conn).iter().any(|vm| vm.vmx_path == vmx));
}

/// Every datastore of the host, with the hosts that mount it and their mount paths.
fn datastore_mounts(conn: &Arc<Connection>) -> Vec<(String, Vec<(String, String)>)> {
    let spec = FilterSpec::neighbours(
        conn.primary().scope.host().unwrap().host.clone(),
        "HostSystem",
        "datastore",
        "Datastore",
        &["summary.name", "host"],
    );
    let objects = conn.primary().client.retrieve(&spec).unwrap();
    objects
        .iter()
        .map(|oc| {
            let mounts = oc
                .props
                .children_named("host")
                .map(|m| {
                    let host = m.child("key").and_then(MoRef::from_node).unwrap();
                    (
                        host.value,
                        m.text_at("mountInfo.path").unwrap_or_default().to_string(),
                    )
                })
                .collect();
            (
                oc.props.text_at("summary.name").unwrap().to_string(),
                mounts,
            )
        })
        .collect()
}

#[test]
fn vcenter_datastores_list_every_host_that_mounts_them() {
    let sim = Sim::vpx();
    let conn = open(&sim, "vpx", "/DC0/DC0_C0/DC0_C0_H1");
    let all = datastore_mounts(&conn);
    assert_eq!(all.len(), 1, "{all:?}");
    let (name, mounts) = &all[0];
    assert_eq!(name, "LocalDS_0");
    // The standalone host and the cluster's three share the datacenter's local datastore.
    assert_eq!(mounts.len(), 4, "{mounts:?}");
    assert!(
        mounts
            .iter()
            .any(|(h, _)| *h == conn.primary().scope.host().unwrap().host.value)
    );
    assert!(
        mounts.iter().all(|(_, p)| p == "/vmfs/volumes/LocalDS_0"),
        "{mounts:?}"
    );
}

fn autostart_manager(conn: &Arc<Connection>, host: &MoRef) -> MoRef {
    let oc = conn
        .primary()
        .client
        .retrieve_one(host, &["configManager.autoStartManager"])
        .unwrap()
        .unwrap();
    oc.props
        .path("configManager.autoStartManager")
        .and_then(MoRef::from_node)
        .unwrap()
}

fn autostart_config(conn: &Arc<Connection>, mgr: &MoRef) -> Node {
    let oc = conn
        .primary()
        .client
        .retrieve_one(mgr, &["config"])
        .unwrap()
        .unwrap();
    oc.props.child("config").unwrap().clone()
}

fn reconfigure(
    conn: &Connection,
    mgr: &MoRef,
    enabled: Option<bool>,
    power: &[(&MoRef, i32, &str)],
) -> virt_esx::Result<Node> {
    let mut req = Request::new("ReconfigureAutostart", mgr);
    req.open("spec", None);
    if let Some(on) = enabled {
        req.open("defaults", None)
            .text("enabled", &on.to_string())
            .close("defaults");
    }
    for (vm, order, action) in power {
        req.open("powerInfo", None)
            .moref("key", vm)
            .text("startOrder", &order.to_string())
            .text("startDelay", "-1")
            .text("waitForHeartbeat", "systemDefault")
            .text("startAction", action)
            .text("stopDelay", "-1")
            .text("stopAction", "none")
            .close("powerInfo");
    }
    req.close("spec");
    Ok(conn.primary().client.call(&req)?)
}

#[test]
fn esx_autostart_manager_reads_and_reconfigures() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let mgr = autostart_manager(&conn, &conn.primary().scope.host().unwrap().host);
    assert_eq!(mgr, MoRef::new("HostAutoStartManager", "ha-autostart-mgr"));
    let config = autostart_config(&conn, &mgr);
    assert_eq!(config.text_at("defaults.startDelay"), Some("120"));
    assert_eq!(config.children_named("powerInfo").count(), 0);

    let vms = host_vms(&conn);
    reconfigure(
        &conn,
        &mgr,
        Some(true),
        &[
            (&vms[0].moref, -1, "powerOn"),
            (&vms[1].moref, 1, "powerOn"),
        ],
    )
    .unwrap();
    let config = autostart_config(&conn, &mgr);
    assert_eq!(config.text_at("defaults.enabled"), Some("true"));
    assert_eq!(
        config.text_at("defaults.startDelay"),
        Some("120"),
        "absent defaults stay"
    );
    assert_eq!(config.children_named("powerInfo").count(), 2);

    // Merged by VM: the second VM is switched off, the first is dropped from the list.
    reconfigure(
        &conn,
        &mgr,
        None,
        &[(&vms[1].moref, 1, "none"), (&vms[0].moref, -1, "none")],
    )
    .unwrap();
    let config = autostart_config(&conn, &mgr);
    assert_eq!(config.text_at("defaults.enabled"), Some("true"));
    let infos: Vec<&Node> = config.children_named("powerInfo").collect();
    assert_eq!(infos.len(), 1);
    assert_eq!(infos[0].text_at("key"), Some(vms[1].moref.value.as_str()));
    assert_eq!(infos[0].text_at("startAction"), Some("none"));

    let stranger = MoRef::new("VirtualMachine", "vm-nonexistent");
    let e = reconfigure(&conn, &mgr, None, &[(&stranger, 1, "powerOn")]).unwrap_err();
    assert!(e.detail.contains("InvalidArgument"), "{e}");
}

#[test]
fn vcenter_hosts_have_their_own_autostart_managers() {
    let sim = Sim::vpx();
    let conn = open(&sim, "vpx", "/DC0/DC0_C0/DC0_C0_H0");
    let cluster_hosts: Vec<MoRef> = ["DC0_C0_H0", "DC0_C0_H1"]
        .iter()
        .map(|h| {
            open(&sim, "vpx", &format!("/DC0/DC0_C0/{h}"))
                .primary()
                .scope
                .host()
                .unwrap()
                .host
                .clone()
        })
        .collect();
    let managers: Vec<MoRef> = cluster_hosts
        .iter()
        .map(|h| autostart_manager(&conn, h))
        .collect();
    assert_ne!(managers[0], managers[1]);
    let vm = host_vms(&conn).into_iter().next().unwrap();
    reconfigure(
        &conn,
        &managers[0],
        Some(true),
        &[(&vm.moref, 1, "powerOn")],
    )
    .unwrap();
    assert_eq!(
        autostart_config(&conn, &managers[0])
            .children_named("powerInfo")
            .count(),
        1
    );
    assert_eq!(
        autostart_config(&conn, &managers[1])
            .children_named("powerInfo")
            .count(),
        0
    );
    assert_eq!(
        autostart_config(&conn, &managers[1]).text_at("defaults.enabled"),
        None
    );
}
