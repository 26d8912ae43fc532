//! Host PCI devices as node devices, on the simulator in ESX and vCenter (host) mode: listed and
//! described in one read, passthrough switched on and off with the host's own view read
//! independently, and the refusals.

mod common;

use common::{Sim, open, open_read_only};
use esx_driver::vi::MoRef;
use esx_driver::xml::Element;
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::node_device::{NodeDevice, Passthrough};

/// The host's own passthrough record of a PCI function: (enabled, active).
fn host_passthru(conn: &Connection, id: &str) -> (bool, bool) {
    let host: MoRef = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    let oc = conn
        .primary()
        .client
        .retrieve_one(&host, &["config.pciPassthruInfo"])
        .unwrap()
        .unwrap();
    fn find<'a>(e: &'a Element, id: &str) -> Option<&'a Element> {
        if e.child_text("id") == Some(id) && e.child("passthruEnabled").is_some() {
            return Some(e);
        }
        e.children.iter().find_map(|c| find(c, id))
    }
    let info = find(&oc.props, id).expect("the host reports the function");
    let flag = |name| info.child_text(name) == Some("true");
    (flag("passthruEnabled"), flag("passthruActive"))
}

fn check_devices(sim: &Sim, scheme: &str, path: &str) {
    let conn = open(sim, scheme, path);
    let rt = conn.round_trips();
    let all = conn.node_devices("test").unwrap();
    assert_eq!(conn.round_trips() - rt, 1, "one read for every device");
    assert_eq!(all[0].name, "computer");
    assert_eq!(all[0].parent, None);
    assert_eq!(all[0].capability(), "system");
    let pci: Vec<_> = all.iter().filter(|d| d.capability() == "pci").collect();
    assert_eq!(pci.len(), 43, "the simulator's hosts have 43 PCI functions");

    // A function behind a bridge has the bridge as parent; one on the root bus the host.
    let nic = conn.node_device("pci_0000_0b_00_0", "test").unwrap();
    assert_eq!(nic.parent.as_deref(), Some("pci_0000_00_16_0"));
    let ide = conn.node_device("pci_0000_00_07_1", "test").unwrap();
    assert_eq!(ide.parent.as_deref(), Some("computer"));
    let xml = ide.xml();
    for part in [
        "<class>0x010100</class>",
        "<slot>7</slot>",
        "<function>1</function>",
        "<product id='0x7111'>PIIX4 for 430TX/440BX/MX IDE Controller</product>",
        "<vendor id='0x8086'>Intel Corporation</vendor>",
    ] {
        assert!(xml.contains(part), "{part} in {xml}");
    }
    assert!(!xml.contains("<driver>"), "not passed through: {xml}");
    let passed = conn.node_device("pci_0000_13_00_0", "test").unwrap();
    assert!(passed.xml().contains("<name>pciPassthru</name>"));
    let e = conn.node_device("pci_0000_99_00_0", "test").unwrap_err();
    assert_eq!(e.code, Code::NoNodeDevice);
    assert!(e.message().contains("'pci_0000_99_00_0'"), "{e}");

    // Detach: the host's record changes, and takes effect when it reboots.
    let dev = NodeDevice::new(conn.clone(), nic);
    assert_eq!(host_passthru(&conn, "0000:0b:00.0"), (false, false));
    let rt = conn.round_trips();
    assert_eq!(dev.detach(None, "test").unwrap(), Passthrough::AfterReboot);
    assert_eq!(conn.round_trips() - rt, 3);
    assert_eq!(host_passthru(&conn, "0000:0b:00.0"), (true, false));
    let host: MoRef = esx_driver::testing::scope_hosts(&conn)[0].host.clone();
    assert_eq!(
        common::live::vm_prop(&conn, &host, "summary.rebootRequired").as_deref(),
        Some("true")
    );
    // Again: nothing to change, still pending.
    let rt = conn.round_trips();
    assert_eq!(dev.detach(None, "test").unwrap(), Passthrough::AfterReboot);
    assert_eq!(conn.round_trips() - rt, 2);
    assert_eq!(dev.reattach("test").unwrap(), Passthrough::Active);
    assert_eq!(host_passthru(&conn, "0000:0b:00.0"), (false, false));

    // The active one given back waits for the reboot too.
    let active = NodeDevice::new(conn.clone(), passed);
    assert_eq!(active.reattach("test").unwrap(), Passthrough::AfterReboot);
    assert_eq!(host_passthru(&conn, "0000:13:00.0"), (false, true));
    assert_eq!(active.detach(None, "test").unwrap(), Passthrough::Active);
    assert_eq!(host_passthru(&conn, "0000:13:00.0"), (true, true));

    // Refusals: a bridge, the host itself, a read-only connection.
    let bridge = NodeDevice::new(
        conn.clone(),
        conn.node_device("pci_0000_00_16_0", "t").unwrap(),
    );
    let e = bridge.detach(None, "test").unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
    assert!(e.message().contains("not capable"), "{e}");
    let computer = NodeDevice::new(conn.clone(), all[0].clone());
    let e = computer.detach(None, "test").unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(
        e.message().contains("device computer is not a PCI device"),
        "{e}"
    );
    let ro = open_read_only(sim, scheme, path);
    let dev = NodeDevice::new(ro.clone(), ro.node_device("pci_0000_0b_00_0", "t").unwrap());
    assert_eq!(
        dev.detach(None, "test").unwrap_err().code,
        Code::OperationDenied
    );
}

#[test]
fn host_pci_devices_on_a_host_and_a_vcenter_host() {
    let sim = Sim::esx();
    check_devices(&sim, "esx", "/");
    let sim = Sim::vpx();
    check_devices(&sim, "vpx", "/DC0/DC0_H0");
    let conn = open(&sim, "vpx", "/DC0/DC0_C0");
    let e = conn
        .node_devices("virConnectListAllNodeDevices")
        .unwrap_err();
    assert_eq!(e.code, Code::NoSupport);
}

/// The VM's passthrough devices as the server has them: their host functions' ids.
fn server_passthru(conn: &Connection, vm: &MoRef) -> Vec<String> {
    common::live::vm_devices(conn, vm)
        .iter()
        .filter(|d| d.xsi_type.as_deref() == Some("VirtualPCIPassthrough"))
        .map(|d| d.text_at("backing.id").unwrap_or_default().to_string())
        .collect()
}

const PASSED: &str = "<hostdev mode='subsystem' type='pci' managed='no'><source>\
    <address domain='0x0000' bus='0x13' slot='0x00' function='0x0'/></source></hostdev>";

#[test]
fn a_passed_through_function_is_attached_to_a_stopped_vm() {
    use virt_esx::abi::flags::{AffectFlags, DomainXmlFlags};
    use virt_esx::driver::domain::devices::DeviceChange::{Attach, Detach, Update};
    use virt_esx::driver::domain::power::PowerOp;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let dom = |vm: &virt_esx::driver::domain::Vm| common::dom(&conn, vm);
    let e = dom(&vm)
        .change_device(PASSED, Attach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
    assert!(e.message().contains("stopped domain only"), "{e}");
    let vm = dom(&vm).power(PowerOp::Destroy).unwrap();

    let rt = conn.round_trips();
    dom(&vm)
        .change_device(PASSED, Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(
        conn.round_trips() - rt,
        5,
        "the devices, where the VM runs, what its host offers, the reconfiguration, its task"
    );
    assert_eq!(server_passthru(&check, &vm.moref), ["0000:13:00.0"]);
    let xml = common::dom(&check, &vm)
        .domain_xml(DomainXmlFlags::empty())
        .unwrap();
    assert!(
        xml.contains(
            "<hostdev mode='subsystem' type='pci' managed='no'>\n      <source>\n        \
             <address domain='0x0000' bus='0x13' slot='0x00' function='0x0'/>"
        ),
        "{xml}"
    );
    let e = dom(&vm)
        .change_device(PASSED, Attach, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert!(e.message().contains("already attached"), "{e}");
    let e = dom(&vm)
        .change_device(PASSED, Update, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported);

    // A function the host has not passed through is refused, naming the way to do it.
    let other = PASSED.replace("0x13", "0x0b");
    let e = dom(&vm)
        .change_device(&other, Attach, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
    assert!(e.message().contains("virNodeDeviceDetachFlags"), "{e}");
    let e = dom(&vm)
        .change_device(&other, Detach, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::DeviceMissing);
    assert!(
        e.message()
            .contains("host pci device 0000:0b:00.0 not found"),
        "{e}"
    );
    let e = dom(&vm)
        .change_device(
            "<hostdev mode='subsystem' type='usb'/>",
            Attach,
            AffectFlags::CONFIG,
            "t",
        )
        .unwrap_err();
    assert_eq!(e.code, Code::ConfigUnsupported);

    let rt = conn.round_trips();
    dom(&vm)
        .change_device(PASSED, Detach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(conn.round_trips() - rt, 3);
    assert!(server_passthru(&check, &vm.moref).is_empty());
    let xml = common::dom(&check, &vm)
        .domain_xml(DomainXmlFlags::empty())
        .unwrap();
    assert!(!xml.contains("<hostdev"), "{xml}");
}
