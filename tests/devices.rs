//! Device hot-plug on the simulator: NICs and disks attached to and detached from stopped and
//! running VMs, each change checked in the VM's devices as the server has them and in its dumpxml.

mod common;

use common::{Sim, dom, net_of, open, pool_of};
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::abi::flags::{AffectFlags, DomainXmlFlags};
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::devices::DeviceChange::{Attach, Detach};
use virt_esx::driver::domain::power::PowerOp;
use virt_esx::driver::storage::Volume;

/// The VM's devices as the server has them, read here by hand.
fn server_devices(conn: &Arc<Connection>, vm: &Vm) -> Vec<esx_driver::vi::node::Node> {
    common::live::vm_devices(conn, &vm.moref)
}

/// The VM's NICs as the server has them: (vSphere type, MAC, network name or switch UUID).
fn server_nics(conn: &Arc<Connection>, vm: &Vm) -> Vec<(String, String, String)> {
    server_devices(conn, vm)
        .iter()
        .filter(|d| d.child("macAddress").is_some())
        .map(|d| {
            let backing = d
                .text_at("backing.deviceName")
                .or_else(|| d.text_at("backing.port.switchUuid"))
                .unwrap_or_default();
            (
                d.xsi_type.as_deref().unwrap_or_default().to_string(),
                d.child_text("macAddress").unwrap().to_string(),
                backing.to_string(),
            )
        })
        .collect()
}

const NIC: &str = "<interface type='bridge'><mac address='00:50:56:00:12:34'/>\
    <source bridge='VM Network'/><model type='vmxnet3'/></interface>";

fn xml(conn: &Arc<Connection>, vm: &Vm) -> String {
    dom(conn, vm).domain_xml(DomainXmlFlags::empty()).unwrap()
}

#[test]
fn nics_are_attached_and_detached_on_stopped_and_running_vms() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let before = server_nics(&check, &vm);

    let e = dom(&conn, &vm)
        .change_device(NIC, Attach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let trips = conn.round_trips();
    dom(&conn, &vm)
        .change_device(NIC, Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(
        conn.round_trips() - trips,
        3,
        "devices and networks in one read, the reconfiguration, its task"
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
    dom(&conn, &vm)
        .change_device(
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
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let e = dom(&conn, &vm)
        .change_device(NIC, Attach, AffectFlags::CONFIG, "t")
        .unwrap_err();
    assert!(
        e.code == Code::OperationInvalid && e.detail.contains("VIR_DOMAIN_AFFECT_LIVE"),
        "{e}"
    );
    let generated = "<interface type='bridge'><source bridge='VM Network'/></interface>";
    dom(&conn, &vm)
        .change_device(generated, Attach, AffectFlags::LIVE, "t")
        .unwrap();
    let now = server_nics(&check, &vm);
    let added: Vec<_> = now.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(added.len(), 1, "{now:?}");
    assert_eq!(added[0].0, "VirtualE1000", "no model is an E1000");
    let e = dom(&conn, &vm)
        .change_device(generated, Detach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::OperationFailed, "two NICs on VM Network: {e}");
    let by_mac = format!(
        "<interface type='bridge'><mac address='{}'/></interface>",
        added[0].1
    );
    dom(&conn, &vm)
        .change_device(&by_mac, Detach, AffectFlags::LIVE, "t")
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
            "<disk type='block' device='lun'><source dev='/vmfs/devices/disks/x'/><target dev='sdc'/></disk>",
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
        let e = dom(&conn, &vm)
            .change_device(device, change, AffectFlags::LIVE, "t")
            .unwrap_err();
        assert_eq!(e.code, code, "{device}: {e}");
    }
    assert_eq!(server_nics(&check, &vm), before);
}

/// A broadcast or multicast MAC is no NIC's own address: refused as libvirt's parser refuses
/// it, each time asked, on a stopped and a running VM, and the VM's devices stay as they were.
#[test]
fn a_nic_with_a_multicast_mac_is_refused() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let before = server_devices(&check, &vm);
    for mac in [
        "ff:ff:ff:ff:ff:ff",
        "ff:ff:ff:ff:ff:ff",
        "01:00:5e:00:00:01",
    ] {
        let nic = NIC.replace("00:50:56:00:12:34", mac);
        let e = dom(&conn, &vm)
            .change_device(&nic, Attach, AffectFlags::CONFIG, "t")
            .unwrap_err();
        assert_eq!(e.code, Code::XmlError, "{e}");
        assert_eq!(
            e.detail,
            format!("expected unicast mac address, found multicast '{mac}'")
        );
    }
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let nic = NIC.replace("00:50:56:00:12:34", "ff:ff:ff:ff:ff:ff");
    let e = dom(&conn, &vm)
        .change_device(&nic, Attach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::XmlError, "{e}");
    assert_eq!(server_devices(&check, &vm), before);
}

#[test]
fn a_nic_on_a_distributed_port_group() {
    let vc = Sim::vpx();
    let conn = open(&vc, "vpx", "/DC0/DC0_C0");
    let check = open(&vc, "vpx", "/DC0/DC0_C0");
    let vm = conn.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    let before = server_nics(&check, &vm);
    let dvs = conn
        .networks()
        .unwrap()
        .into_iter()
        .find(|n| n.name == "DVS0")
        .unwrap();
    dom(&conn, &vm)
        .change_device(
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

/// The VM's disks as the server has them: (file, controller type, controller bus, unit).
fn server_disks(conn: &Arc<Connection>, vm: &Vm) -> Vec<(String, String, i64, i64)> {
    let devices = server_devices(conn, vm);
    let num = |n: &esx_driver::vi::node::Node, p: &str| -> i64 {
        n.text_at(p).map_or(-1, |v| v.trim().parse().unwrap())
    };
    devices
        .iter()
        .filter(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
        .map(|d| {
            let controller = devices
                .iter()
                .find(|c| num(c, "key") == num(d, "controllerKey"))
                .unwrap();
            (
                d.text_at("backing.fileName").unwrap().to_string(),
                controller
                    .xsi_type
                    .as_deref()
                    .unwrap_or_default()
                    .to_string(),
                num(controller, "busNumber"),
                num(d, "unitNumber"),
            )
        })
        .collect()
}

/// A new 4 MiB virtual disk at `name` on LocalDS_0, made with the storage API: its path.
fn new_disk(conn: &Arc<Connection>, name: &str) -> String {
    let pool = conn.pool_by_name("LocalDS_0").unwrap();
    let xml = format!(
        "<volume><name>{name}</name><capacity unit='M'>4</capacity>\
         <target><format type='vmdk'/></target></volume>"
    );
    pool_of(conn, &pool)
        .create_volume(&xml)
        .map(Volume::into_facts)
        .unwrap()
        .path()
}

fn disk(file: &str, target: &str, bus: &str) -> String {
    format!(
        "<disk type='file' device='disk'><source file='{file}'/>\
         <target dev='{target}' bus='{bus}'/></disk>"
    )
}

#[test]
fn disks_are_attached_and_detached_keeping_their_files() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let file = new_disk(&conn, "hot/extra.vmdk");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let before = server_disks(&check, &vm);
    let scsi = &before
        .iter()
        .find(|d| d.2 == 0 && d.1 != "VirtualIDEController")
        .expect("the model's VMs have a SCSI disk")
        .1;

    // sdb: unit 1 of the existing SCSI controller 0.
    dom(&conn, &vm)
        .change_device(
            &disk(&file, "sdb", "scsi"),
            Attach,
            AffectFlags::CONFIG,
            "t",
        )
        .unwrap();
    let now = server_disks(&check, &vm);
    assert!(now.contains(&(file.clone(), scsi.clone(), 0, 1)), "{now:?}");
    let dump = xml(&check, &vm);
    assert!(
        dump.contains(&format!("<source file='{file}'/>"))
            && dump.contains("<target dev='sdb' bus='scsi'/>"),
        "{dump}"
    );
    let plug = |vm: &Vm, target: &str, change, flags| {
        dom(&conn, vm).change_device(&disk(&file, target, "scsi"), change, flags, "t")
    };
    let e = plug(&vm, "sdb", Attach, AffectFlags::CONFIG).unwrap_err();
    assert!(e.detail.contains("target sdb already exists"), "{e}");
    plug(&vm, "sdb", Detach, AffectFlags::CONFIG).unwrap();
    assert_eq!(server_disks(&check, &vm), before);
    assert!(conn.volume_by_path(&file).is_ok(), "the file stays");

    // sdp (index 15): SCSI controller 1, added with the disk while the VM is off, of the
    // VM's model (it stays when the disk goes).
    plug(&vm, "sdp", Attach, AffectFlags::CONFIG).unwrap();
    assert!(server_disks(&check, &vm).contains(&(file.clone(), scsi.clone(), 1, 0)));
    plug(&vm, "sdp", Detach, AffectFlags::CONFIG).unwrap();

    // Running: SCSI hot-plug on the existing controller; IDE disks and new controllers
    // refused, each naming the rule.
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    plug(&vm, "sdc", Attach, AffectFlags::LIVE).unwrap();
    assert!(server_disks(&check, &vm).contains(&(file.clone(), scsi.clone(), 0, 2)));
    let missing = "[LocalDS_0] hot/missing.vmdk";
    let refused = [
        (
            disk(&file, "hdb", "ide"),
            Attach,
            "IDE disks cannot be added",
        ),
        (disk(&file, "sdae", "scsi"), Attach, "no scsi controller 2"),
        (disk(missing, "sdd", "scsi"), Attach, "Could not find disk"),
        (disk(&file, "sdz", "scsi"), Detach, "disk sdz not found"),
    ];
    for (device, change, why) in &refused {
        let e = dom(&conn, &vm)
            .change_device(device, *change, AffectFlags::LIVE, "t")
            .unwrap_err();
        assert!(e.detail.contains(why), "{device}: {e}");
    }
    plug(&vm, "sdc", Detach, AffectFlags::LIVE).unwrap();
    assert_eq!(server_disks(&check, &vm), before);
}

/// A disk's `<address>` must be the slot its target names: controller 999 (or any other
/// slot) is refused, not replaced by the target's slot, and the VM keeps its disks.
#[test]
fn a_disk_address_naming_no_slot_is_refused() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let file = new_disk(&conn, "addr/d.vmdk");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let before = server_disks(&check, &vm);
    let addressed = |target: &str, controller: u32, unit: u32| {
        disk(&file, target, "scsi").replace(
            "</disk>",
            &format!(
                "<address type='drive' controller='{controller}' bus='0' unit='{unit}'/></disk>"
            ),
        )
    };
    for (xml, says) in [
        (
            addressed("sde", 999, 99),
            "Disk address 999:0:99 doesn't match target device 'sde', which sits at 0:0:4",
        ),
        (addressed("sde", 0, 5), "Disk address 0:0:5 doesn't match"),
    ] {
        let e = dom(&conn, &vm)
            .change_device(&xml, Attach, AffectFlags::CONFIG, "t")
            .unwrap_err();
        assert_eq!(e.code, Code::ConfigUnsupported, "{e}");
        assert!(e.detail.contains(says), "{e}");
        assert_eq!(server_disks(&check, &vm), before, "{xml}");
    }
    // The target's own slot, spelled out, is taken as it stands.
    dom(&conn, &vm)
        .change_device(&addressed("sde", 0, 4), Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    let now = server_disks(&check, &vm);
    assert!(
        now.iter().any(|d| d.0 == file && d.2 == 0 && d.3 == 4),
        "{now:?}"
    );
    dom(&conn, &vm)
        .change_device(&addressed("sde", 0, 4), Detach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(server_disks(&check, &vm), before);
}

/// The VM's CD-ROMs as the server has them: (backing type, file, connected, start connected).
fn server_cdroms(conn: &Arc<Connection>, vm: &Vm) -> Vec<(String, String, bool, bool)> {
    server_devices(conn, vm)
        .iter()
        .filter(|d| d.xsi_type.as_deref() == Some("VirtualCdrom"))
        .map(|d| {
            let flag = |p: &str| d.text_at(p) == Some("true");
            (
                d.child("backing")
                    .and_then(|b| b.xsi_type.as_deref())
                    .unwrap_or_default()
                    .to_string(),
                d.text_at("backing.fileName")
                    .unwrap_or_default()
                    .to_string(),
                flag("connectable.connected"),
                flag("connectable.startConnected"),
            )
        })
        .collect()
}

fn cdrom(file: Option<&str>) -> String {
    let source = file.map_or(String::new(), |f| format!("<source file='{f}'/>"));
    format!("<disk type='file' device='cdrom'>{source}<target dev='hdc' bus='ide'/></disk>")
}

#[test]
fn cdrom_media_and_nic_links_change_in_place() {
    use virt_esx::driver::domain::devices::DeviceChange::Update;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let pool = conn.pool_by_name("LocalDS_0").unwrap();
    let iso = pool_of(&conn, &pool)
        .create_volume("<volume><name>iso/boot.iso</name><capacity>0</capacity></volume>")
        .map(Volume::into_facts)
        .unwrap()
        .path();
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let before = server_cdroms(&check, &vm);
    let iso_backing = "VirtualCdromIsoBackingInfo".to_string();

    // An IDE CD-ROM is added while the VM is off, its media changed live.
    dom(&conn, &vm)
        .change_device(&cdrom(Some(&iso)), Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    let now = server_cdroms(&check, &vm);
    assert!(
        now.contains(&(iso_backing.clone(), iso.clone(), false, true)),
        "{now:?}"
    );
    assert!(xml(&check, &vm).contains(&format!("<source file='{iso}'/>")));
    dom(&conn, &vm)
        .change_device(&cdrom(None), Update, AffectFlags::empty(), "t")
        .unwrap();
    let now = server_cdroms(&check, &vm);
    assert!(
        now.contains(&(
            "VirtualCdromRemotePassthroughBackingInfo".into(),
            String::new(),
            false,
            false
        )),
        "ejected: {now:?}"
    );
    assert!(!xml(&check, &vm).contains(&iso));
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    dom(&conn, &vm)
        .change_device(&cdrom(Some(&iso)), Update, AffectFlags::LIVE, "t")
        .unwrap();
    assert!(server_cdroms(&check, &vm).contains(&(iso_backing, iso.clone(), true, true)));
    let e = dom(&conn, &vm)
        .change_device(&cdrom(Some(&iso)), Detach, AffectFlags::LIVE, "t")
        .unwrap_err();
    assert!(e.detail.contains("IDE cdroms cannot be"), "{e}");
    let e = dom(&conn, &vm)
        .change_device(
            "<disk type='file' device='disk'><source file='[LocalDS_0] x.vmdk'/>\
             <target dev='sda'/></disk>",
            Update,
            AffectFlags::LIVE,
            "t",
        )
        .unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported, "{e}");

    // A NIC moved to another port group with its link down, then detached by its label.
    let vswitch0 = conn.network_by_name("vSwitch0").unwrap();
    net_of(&conn, &vswitch0)
        .update_portgroup(
            virt_esx::driver::network::PortGroupChange::Add,
            "<portgroup name='pgUpd'/>",
            "t",
        )
        .unwrap();
    dom(&conn, &vm)
        .change_device(NIC, Attach, AffectFlags::LIVE, "t")
        .unwrap();
    dom(&conn, &vm)
        .change_device(
            "<interface type='bridge'><mac address='00:50:56:00:12:34'/>\
         <source bridge='pgUpd'/><link state='down'/></interface>",
            Update,
            AffectFlags::LIVE,
            "t",
        )
        .unwrap();
    let nic = server_devices(&check, &vm)
        .into_iter()
        .find(|d| d.child_text("macAddress") == Some("00:50:56:00:12:34"))
        .unwrap();
    assert_eq!(nic.text_at("backing.deviceName"), Some("pgUpd"));
    assert_eq!(nic.text_at("connectable.connected"), Some("false"));
    assert_eq!(nic.text_at("connectable.startConnected"), Some("false"));
    let e = dom(&conn, &vm)
        .change_device("<interface type='bridge'><mac address='00:50:56:00:12:34'/><model type='e1000'/></interface>",
            Update,
            AffectFlags::LIVE,
            "t",
        )
        .unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported, "{e}");
    let label = nic.text_at("deviceInfo.label").unwrap().to_string();
    dom(&conn, &vm)
        .detach_alias(&label, AffectFlags::LIVE, "t")
        .unwrap();
    assert!(
        !server_nics(&check, &vm)
            .iter()
            .any(|n| n.1 == "00:50:56:00:12:34")
    );
    let e = dom(&conn, &vm)
        .detach_alias("no such device", AffectFlags::LIVE, "t")
        .unwrap_err();
    assert_eq!(e.code, Code::DeviceMissing, "{e}");

    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    dom(&conn, &vm)
        .change_device(&cdrom(None), Detach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(server_cdroms(&check, &vm), before);
}

#[test]
fn a_disk_on_a_vcenter_vm() {
    let vc = Sim::vpx();
    let conn = open(&vc, "vpx", "/DC0/DC0_C0");
    let check = open(&vc, "vpx", "/DC0/DC0_C0");
    let file = new_disk(&conn, "vc-hot/d.vmdk");
    let vm = conn.domain_by_name("DC0_C0_RP0_VM0").unwrap().cached();
    let before = server_disks(&check, &vm);
    dom(&conn, &vm)
        .change_device(&disk(&file, "sdf", "scsi"), Attach, AffectFlags::LIVE, "t")
        .unwrap();
    let now = server_disks(&check, &vm);
    assert!(
        now.iter().any(|d| d.0 == file && d.2 == 0 && d.3 == 5),
        "on SCSI 0:5 through the vCenter: {now:?}"
    );
    dom(&conn, &vm)
        .change_device(&disk(&file, "sdf", "scsi"), Detach, AffectFlags::LIVE, "t")
        .unwrap();
    assert_eq!(server_disks(&check, &vm), before);
}

#[test]
fn sata_and_nvme_disks_sata_cdroms_and_floppies() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let file = new_disk(&conn, "sata/d.vmdk");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    // sdb on SATA: controller 0 of the bus, added with the disk while the VM is off.
    dom(&conn, &vm)
        .change_device(
            &disk(&file, "sdb", "sata"),
            Attach,
            AffectFlags::CONFIG,
            "t",
        )
        .unwrap();
    let disks = server_disks(&check, &vm);
    assert!(
        disks.contains(&(file.clone(), "VirtualAHCIController".into(), 0, 1)),
        "{disks:?}"
    );
    // nvme0n1: an NVMe controller added with the disk.
    dom(&conn, &vm)
        .change_device(
            &disk(&file, "nvme0n1", "nvme"),
            Attach,
            AffectFlags::CONFIG,
            "t",
        )
        .unwrap();
    let disks = server_disks(&check, &vm);
    assert!(
        disks
            .iter()
            .any(|d| d.0 == file && d.1 == "VirtualNVMEController"),
        "{disks:?}"
    );
    dom(&conn, &vm)
        .change_device(
            &disk(&file, "nvme0n1", "nvme"),
            Detach,
            AffectFlags::CONFIG,
            "t",
        )
        .unwrap();
    // A floppy image, on the VM's floppy controller, while it is off.
    let floppy = "<disk type='file' device='floppy'><source file='[LocalDS_0] sata/f.flp'/>\
                  <target dev='fda'/></disk>";
    dom(&conn, &vm)
        .change_device(floppy, Attach, AffectFlags::CONFIG, "t")
        .unwrap();
    let floppies = |vm: &Vm| {
        server_devices(&check, vm)
            .iter()
            .filter(|d| d.xsi_type.as_deref() == Some("VirtualFloppy"))
            .count()
    };
    assert_eq!(floppies(&vm), 1);
    dom(&conn, &vm)
        .change_device(floppy, Detach, AffectFlags::CONFIG, "t")
        .unwrap();
    assert_eq!(floppies(&vm), 0);
    // A SATA CD-ROM is hot-added to the running VM.
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let sata_cdrom = "<disk type='file' device='cdrom'><target dev='sdc' bus='sata'/></disk>";
    dom(&conn, &vm)
        .change_device(sata_cdrom, Attach, AffectFlags::LIVE, "t")
        .unwrap();
    assert_eq!(
        server_devices(&check, &vm)
            .iter()
            .filter(|d| d.xsi_type.as_deref() == Some("VirtualCdrom"))
            .count(),
        2,
        "the model's CD-ROM and the new one"
    );
    dom(&conn, &vm)
        .change_device(sata_cdrom, Detach, AffectFlags::LIVE, "t")
        .unwrap();
    dom(&conn, &vm)
        .change_device(&disk(&file, "sdb", "sata"), Detach, AffectFlags::LIVE, "t")
        .unwrap();
    assert!(!server_disks(&check, &vm).iter().any(|d| d.0 == file));
}
