//! virConnectDomainXMLFromNative/ToNative on live connections to the simulator in ESX and
//! vCenter mode: datastore paths in every form, round trips, errors, the model VMs' own VMX.

mod common;

use common::Creds;
use common::Sim;
use common::live::{download, host_vms};
use common::open;
use esx_driver::testing::LiveDatastores;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::driver::Connection;

const FORMAT: &str = "vmware-vmx";

/// A VMX naming its files in `disk`, `second` and `iso`.
fn vmx(disk: &str, second: &str, iso: &str) -> String {
    format!(
        ".encoding = \"UTF-8\"\nconfig.version = \"8\"\nvirtualHW.version = \"13\"\n\
         displayName = \"conv\"\nguestOS = \"other-64\"\nmemsize = \"64\"\n\
         uuid.bios = \"56 4d 1c 2b 3a 4f 5e 6d-7c 8b 9a a9 b8 c7 d6 e5\"\n\
         scsi0.present = \"TRUE\"\nscsi0.virtualDev = \"lsilogic\"\n\
         scsi0:0.present = \"TRUE\"\nscsi0:0.deviceType = \"scsi-hardDisk\"\nscsi0:0.fileName = \"{disk}\"\n\
         scsi0:1.present = \"TRUE\"\nscsi0:1.deviceType = \"scsi-hardDisk\"\nscsi0:1.fileName = \"{second}\"\n\
         ide0:0.present = \"TRUE\"\nide0:0.deviceType = \"cdrom-image\"\nide0:0.fileName = \"{iso}\"\n"
    )
}

/// The local URL of the first datastore: its VMFS-UUID-like last component and the path.
fn datastore_url(conn: &Arc<Connection>) -> String {
    let ds = conn
        .primary()
        .client
        .retrieve_one(&host_datastore(conn), &["summary.url"])
        .unwrap()
        .unwrap();
    ds.props
        .text_at("summary.url")
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

fn host_datastore(conn: &Arc<Connection>) -> esx_driver::vi::MoRef {
    let host = conn
        .primary()
        .client
        .retrieve_one(&conn.primary().scope.host().unwrap().host, &["datastore"])
        .unwrap()
        .unwrap();
    esx_driver::vi::MoRef::from_node(host.props.child("datastore").unwrap()).unwrap()
}

fn check_paths_both_ways(conn: &Arc<Connection>) {
    let url = datastore_url(conn);
    let uuid = url.rsplit('/').next().unwrap();
    let native = vmx(
        "/vmfs/volumes/LocalDS_0/vm/disk.vmdk",
        &format!("/vmfs/volumes/{uuid}/vm/second.vmdk"),
        "/vmfs/volumes/gone/x.iso",
    );
    let xml = conn.domain_xml_from_native(FORMAT, &native).unwrap();
    assert!(
        xml.contains("<source file='[LocalDS_0] vm/disk.vmdk'/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<source file='[LocalDS_0] vm/second.vmdk'/>"),
        "{xml}"
    );
    // A CD-ROM on a datastore the host lacks is an empty drive, as in libvirt.
    assert!(!xml.contains("x.iso"), "{xml}");
    assert!(
        !xml.contains("vmware:datacenterpath") && !xml.contains("vmware:moref"),
        "no datacenter path for free-standing VMX: {xml}"
    );

    // The URL's own path is a mount path too.
    let by_mount = vmx(&format!("{url}/vm/disk.vmdk"), "disk2.vmdk", "");
    let xml2 = conn.domain_xml_from_native(FORMAT, &by_mount).unwrap();
    assert!(
        xml2.contains("<source file='[LocalDS_0] vm/disk.vmdk'/>"),
        "{xml2}"
    );
    assert!(xml2.contains("<source file='[?] ?/disk2.vmdk'/>"), "{xml2}");

    let back = conn.domain_xml_to_native(FORMAT, &xml2).unwrap();
    assert!(
        back.contains("scsi0:0.fileName = \"/vmfs/volumes/LocalDS_0/vm/disk.vmdk\""),
        "{back}"
    );
    assert!(back.contains("scsi0:1.fileName = \"disk2.vmdk\""), "{back}");
    assert!(back.contains("virtualHW.version = \"13\""), "{back}");
    assert!(back.contains("scsi0.virtualDev = \"lsilogic\""), "{back}");
    assert_eq!(conn.domain_xml_from_native(FORMAT, &back).unwrap(), xml2);

    let e = conn
        .domain_xml_from_native(FORMAT, vmx("/vmfs/volumes/gone/d.vmdk", "a.vmdk", ""))
        .unwrap_err();
    assert!(
        e.message()
            .contains("refers to non-existing datastore 'gone'"),
        "{e}"
    );
    let e = conn
        .domain_xml_to_native(
            FORMAT,
            &xml.replace("[LocalDS_0] vm/disk.vmdk", "[gone] vm/disk.vmdk"),
        )
        .unwrap_err();
    assert!(
        e.message()
            .contains("Could not find datastore with name 'gone'"),
        "{e}"
    );
    assert!(
        e.message().contains("LocalDS_0"),
        "names the datastores there are: {e}"
    );
}

#[test]
fn esx_maps_volume_paths_and_back() {
    let sim = Sim::esx();
    check_paths_both_ways(&open(&sim, "esx", "/"));
}

#[test]
fn vcenter_maps_volume_paths_and_back() {
    let sim = Sim::vpx();
    check_paths_both_ways(&open(&sim, "vpx", "/DC0/DC0_C0/DC0_C0_H1"));
}

#[test]
fn wrong_format_and_read_only_are_refused() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let native = vmx("a.vmdk", "b.vmdk", "");
    let e = conn.domain_xml_from_native("xen-xm", &native).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(
        e.message().contains("Unsupported config format 'xen-xm'"),
        "{e}"
    );
    let e = conn
        .domain_xml_to_native("VMWARE-VMX", "<domain/>")
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);

    let uri = sim.uri("esx", "/?no_verify=1");
    let ro = Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), true).unwrap();
    let e = ro.domain_xml_from_native(FORMAT, &native).unwrap_err();
    assert_eq!(e.code, Code::OperationDenied);
    assert!(e.message().contains("virConnectDomainXMLFromNative"), "{e}");
}

#[test]
fn model_vm_vmx_converts_with_its_directory_and_autodetected_controller() {
    for (sim, scheme, path, dc) in [
        (Sim::esx(), "esx", "/", "ha-datacenter"),
        (Sim::vpx(), "vpx", "/DC0/DC0_H0", "DC0"),
    ] {
        let conn = open(&sim, scheme, path);
        let vm = host_vms(&conn).into_iter().next().unwrap();
        let text = String::from_utf8(download(&conn, &vm.vmx_path).1).unwrap();

        let free = conn.domain_xml_from_native(FORMAT, &text).unwrap();
        assert!(free.contains("<source file='[?] ?/disk1.vmdk'/>"), "{free}");

        let dir = vm.vmx_path.rsplit_once('/').unwrap().0;
        let ctx = LiveDatastores::read(
            &conn,
            &esx_driver::testing::scope_hosts(&conn),
            Some(dir),
            Some(&vm.moref.value),
        )
        .unwrap();
        let xml = virt_esx::vmx::vmx_to_domain_xml(text.as_bytes(), &ctx).unwrap();
        let disk = format!("{dir}/disk1.vmdk");
        assert!(xml.contains(&format!("<source file='{disk}'/>")), "{xml}");
        assert!(
            xml.contains(&format!(
                "<vmware:datacenterpath>{dc}</vmware:datacenterpath>"
            )),
            "{xml}"
        );
        assert!(
            xml.contains(&format!("<vmware:moref>{}</vmware:moref>", vm.moref.value)),
            "{xml}"
        );

        // model='auto': the datastore browser knows the disk's controller.
        let auto = xml.replace("model='vmpvscsi'", "model='auto'");
        assert_ne!(auto, xml);
        let vmx = conn.domain_xml_to_native(FORMAT, &auto).unwrap();
        assert!(vmx.contains("scsi0.virtualDev = \"pvscsi\""), "{vmx}");
        let e = conn
            .domain_xml_to_native(FORMAT, &auto.replace(&disk, &format!("{dir}/nope.vmdk")))
            .unwrap_err();
        assert!(e.message().contains("does not exist"), "{e}");
    }
}

/// `converter=libvirt` reads VMX files as libvirt does; the default keeps the hardware version
/// (and so the round trip through ToNative keeps it rather than taking the host's newest).
#[test]
fn converter_dialect_is_chosen_by_the_uri() {
    let sim = Sim::esx();
    let native = vmx("a.vmdk", "b.vmdk", "");
    let full = open(&sim, "esx", "/");
    let xml = full.domain_xml_from_native(FORMAT, &native).unwrap();
    assert!(
        xml.contains("<vmware:virtualhw>13</vmware:virtualhw>"),
        "{xml}"
    );
    let back = full.domain_xml_to_native(FORMAT, &xml).unwrap();
    assert!(back.contains("virtualHW.version = \"13\"\n"), "{back}");

    let uri = sim.uri("esx", "/?no_verify=1&converter=libvirt");
    let libvirt = Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap();
    let xml = libvirt.domain_xml_from_native(FORMAT, &native).unwrap();
    assert!(!xml.contains("vmware:"), "{xml}");

    let uri = sim.uri("esx", "/?no_verify=1&converter=qemu");
    let e = Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(e.message().contains("(should be full or libvirt)"), "{e}");
}
