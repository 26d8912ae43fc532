//! Device hot-plug on the simulator: NICs attached to and detached from stopped and running
//! VMs, each change checked in the VM's devices as the server has them and in its dumpxml.

mod common;

use common::{Sim, open};
use virt_esx::Code;
use virt_esx::abi::flags::{AffectFlags, DomainXmlFlags};
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::devices::DeviceChange::{Attach, Detach};
use virt_esx::driver::domain::power::PowerOp;

/// The VM's NICs as the server has them: (vSphere type, MAC, network name or switch UUID).
fn server_nics(conn: &Connection, vm: &Vm) -> Vec<(String, String, String)> {
    let oc = conn
        .primary
        .client
        .retrieve_one(&vm.moref, &["config.hardware.device"])
        .unwrap()
        .unwrap();
    oc.props
        .path("config.hardware")
        .unwrap()
        .children_named("device")
        .filter(|d| d.child("macAddress").is_some())
        .map(|d| {
            let backing = d
                .text_at("backing.deviceName")
                .or_else(|| d.text_at("backing.port.switchUuid"))
                .unwrap_or_default();
            (
                d.xsi_type.clone().unwrap_or_default(),
                d.child_text("macAddress").unwrap().to_string(),
                backing.to_string(),
            )
        })
        .collect()
}

const NIC: &str = "<interface type='bridge'><mac address='00:50:56:00:12:34'/>\
    <source bridge='VM Network'/><model type='vmxnet3'/></interface>";

fn xml(conn: &Connection, vm: &Vm) -> String {
    conn.domain_xml(vm, DomainXmlFlags::empty()).unwrap()
}

#[test]
fn nics_are_attached_and_detached_on_stopped_and_running_vms() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.lookup_by_name("ha-host_VM0").unwrap();
    let vm = conn.power(&vm, PowerOp::Destroy).unwrap();
    let before = server_nics(&check, &vm);

    let e = conn
        .change_device(&vm, NIC, Attach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let trips = conn.round_trips();
    conn.change_device(&vm, NIC, Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert!(
        conn.round_trips() - trips <= 4,
        "devices read, network read, reconfigure and its task: {}",
        conn.round_trips() - trips
    );
    let now = server_nics(&check, &vm);
    assert_eq!(now.len(), before.len() + 1);
    assert!(now.contains(&(
        "VirtualVmxnet3".into(),
        "00:50:56:00:12:34".into(),
        "VM Network".into()
    )));
    let dump = xml(&check, &vm);
    assert!(
        dump.contains("<mac address='00:50:56:00:12:34'")
            && dump.contains("<model type='vmxnet3'/>"),
        "{dump}"
    );

    // Detached by MAC, in any case.
    conn.change_device(
        &vm,
        &NIC.replace(
            "00:50:56:00:12:34",
            "00:50:56:00:12:34".to_uppercase().as_str(),
        ),
        Detach,
        AffectFlags::empty(),
        "t",
    )
    .unwrap();
    assert_eq!(server_nics(&check, &vm), before);
    assert!(!xml(&check, &vm).contains("00:50:56:00:12:34"));

    // Running: live (and persistent) only; a generated MAC.
    let vm = conn.power(&vm, PowerOp::Start).unwrap();
    let e = conn
        .change_device(&vm, NIC, Attach, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert!(
        e.code == Code::OperationInvalid && e.detail.contains("VIR_DOMAIN_AFFECT_LIVE"),
        "{e}"
    );
    let generated = "<interface type='bridge'><source bridge='VM Network'/></interface>";
    conn.change_device(&vm, generated, Attach, AffectFlags::LIVE, "t")
        .unwrap();
    let now = server_nics(&check, &vm);
    let added: Vec<_> = now.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(added.len(), 1, "{now:?}");
    assert_eq!(added[0].0, "VirtualE1000", "no model is an E1000");
    let e = conn
        .change_device(&vm, generated, Detach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationFailed, "two NICs on VM Network: {e}");
    let by_mac = format!(
        "<interface type='bridge'><mac address='{}'/></interface>",
        added[0].1
    );
    conn.change_device(&vm, &by_mac, Detach, AffectFlags::LIVE, "t")
        .unwrap();
    assert_eq!(server_nics(&check, &vm), before);

    // Refusals, each naming its reason; none changes the VM.
    let refused = [
        (
            "<interface type='bridge'><source bridge='nope'/></interface>",
            Attach,
            Code::NoNetwork,
        ),
        (
            "<interface type='network'><source network='default'/></interface>",
            Attach,
            Code::ConfigUnsupported,
        ),
        (
            "<interface type='bridge'><source bridge='VM Network'/><model type='rtl8139'/></interface>",
            Attach,
            Code::ConfigUnsupported,
        ),
        ("<interface type='bridge'", Attach, Code::XmlError),
        (
            "<disk type='file' device='disk'><source file='[datastore1] x.vmdk'/><target dev='sdb'/></disk>",
            Attach,
            Code::NoSupport,
        ),
        (
            "<hostdev mode='subsystem'/>",
            Attach,
            Code::ConfigUnsupported,
        ),
        (
            "<interface type='bridge'><mac address='00:50:56:3f:ff:ff'/></interface>",
            Detach,
            Code::DeviceMissing,
        ),
    ];
    for (device, change, code) in refused {
        let e = conn
            .change_device(&vm, device, change, AffectFlags::LIVE, "t")
            .unwrap_err();
        assert_eq!(e.code, code, "{device}: {e}");
    }
    assert_eq!(server_nics(&check, &vm), before);
}

#[test]
fn a_nic_on_a_distributed_port_group() {
    let vc = Sim::vpx();
    let conn = open(&vc, "vpx", "/DC0/DC0_C0");
    let check = open(&vc, "vpx", "/DC0/DC0_C0");
    let vm = conn.lookup_by_name("DC0_C0_RP0_VM0").unwrap();
    let before = server_nics(&check, &vm);
    let dvs = conn
        .networks()
        .unwrap()
        .into_iter()
        .find(|n| n.name == "DVS0")
        .unwrap();
    conn.change_device(
        &vm,
        "<interface type='bridge'><mac address='00:50:56:00:00:42'/>\
         <source bridge='DC0_DVPG0'/><model type='e1000e'/></interface>",
        Attach,
        AffectFlags::LIVE,
        "t",
    )
    .unwrap();
    let now = server_nics(&check, &vm);
    let added: Vec<_> = now.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].0, "VirtualE1000e");
    assert_eq!(
        virt_esx::xml::ids::Uuid::parse(&added[0].2),
        Some(dvs.uuid),
        "on the distributed switch"
    );
    let dump = xml(&check, &vm);
    assert!(dump.contains("00:50:56:00:00:42"), "{dump}");
}
