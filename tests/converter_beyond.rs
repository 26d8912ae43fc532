//! Features beyond libvirt 11.3's converter: NVMe disks, SATA disks written to VMX and
//! virtual hardware versions up to 21; plus charset and secure-boot handling end to end.

use esx_driver::testing::{DiskBus, DomainDef};
use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::vmx::{domain_xml_to_vmx, vmx_to_domain_xml};

const HEADER: &str = "config.version = \"8\"\ndisplayName = \"t\"\n";

fn to_xml(hw: u32, body: &str) -> String {
    let vmx = format!("{HEADER}virtualHW.version = \"{hw}\"\n{body}");
    vmx_to_domain_xml(vmx.as_bytes(), &StandInDatastores::default()).unwrap()
}

fn to_vmx(xml: &str, hw: i32) -> virt_esx::Result<String> {
    domain_xml_to_vmx(xml, &StandInDatastores::default(), hw)
}

fn domain(devices: &str) -> String {
    format!(
        "<domain type='vmware'><name>t</name><uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid>\
         <memory>4096</memory><os><type>hvm</type></os><devices>{devices}</devices></domain>"
    )
}

#[test]
fn nvme_disks_read_from_vmx() {
    let xml = to_xml(
        14,
        "nvme0.present = \"true\"\nnvme0:0.present = \"true\"\nnvme0:0.fileName = \"a.vmdk\"\n\
         nvme1.present = \"true\"\nnvme1:2.present = \"true\"\nnvme1:2.fileName = \"b.vmdk\"\n",
    );
    assert!(xml.contains(
        "      <source file='[datastore] directory/a.vmdk'/>\n      <target dev='nvme0n1' bus='nvme'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n"
    ), "{xml}");
    assert!(xml.contains("<target dev='nvme1n3' bus='nvme'/>"), "{xml}");
    assert!(
        xml.contains("<address type='drive' controller='1' bus='0' target='0' unit='2'/>"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<controller type='nvme' index='0'/>\n    <controller type='nvme' index='1'/>"
        ),
        "{xml}"
    );

    let def = DomainDef::parse(&xml).unwrap();
    assert_eq!(def.devices.disks[0].bus, DiskBus::Nvme);
    let vmx = to_vmx(&xml, 14).unwrap();
    for line in [
        "nvme0.present = \"true\"\nnvme1.present = \"true\"\n",
        "nvme0:0.present = \"true\"\nnvme0:0.fileName = \"/vmfs/volumes/datastore/directory/a.vmdk\"\n",
        "nvme1:2.present = \"true\"\n",
    ] {
        assert!(vmx.contains(line), "{vmx}");
    }
}

#[test]
fn nvme_needs_hardware_version_13() {
    let xml = domain(
        "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='nvme0n1' bus='nvme'/></disk>",
    );
    assert!(to_vmx(&xml, 13).is_ok());
    let e = to_vmx(&xml, 12).unwrap_err();
    assert_eq!(e.detail, "Unsupported bus type 'nvme'");
    let bad = domain(
        "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='nvme0n16' bus='nvme'/></disk>",
    );
    assert!(to_vmx(&bad, 13).is_err());
}

#[test]
fn sata_disks_are_written_from_hardware_version_10() {
    let xml = domain(
        "<disk type='file' device='disk'><source file='[ds] dir/a.vmdk'/><target dev='sda' bus='sata'/></disk>\
         <disk type='file' device='cdrom'><source file='[ds] dir/b.iso'/><target dev='sdb' bus='sata'/></disk>",
    );
    let vmx = to_vmx(&xml, 10).unwrap();
    assert!(vmx.contains(
        "sata0.present = \"true\"\nsata0:0.present = \"true\"\nsata0:0.fileName = \"/vmfs/volumes/ds/dir/a.vmdk\"\n\
         sata0:1.present = \"true\"\nsata0:1.deviceType = \"cdrom-image\"\nsata0:1.fileName = \"/vmfs/volumes/ds/dir/b.iso\"\n"
    ), "{vmx}");
    assert_eq!(
        to_vmx(&xml, 9).unwrap_err().detail,
        "Unsupported bus type 'sata'"
    );

    // and what libvirt reads from VMX comes back the same way
    let back = vmx_to_domain_xml(vmx.as_bytes(), &StandInDatastores::default()).unwrap();
    assert!(back.contains("<target dev='sdb' bus='sata'/>"), "{back}");
    let again = to_vmx(&back, 10).unwrap();
    assert_eq!(again.replace("svga.vramSize = \"4194304\"\n", ""), vmx);
}

#[test]
fn second_sata_controller_follows_the_target_name() {
    // sdae is index 30: the first unit of the second controller in VMware's numbering
    let xml = domain(
        "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sdae' bus='sata'/></disk>",
    );
    let vmx = to_vmx(&xml, 10).unwrap();
    assert!(
        vmx.contains("sata1.present = \"true\"\nsata1:0.present = \"true\"\n"),
        "{vmx}"
    );
}

#[test]
fn hardware_versions_up_to_21() {
    let xml = domain(
        "<disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/></disk>",
    );
    let vmx = to_vmx(&xml, 21).unwrap();
    assert!(vmx.contains("virtualHW.version = \"21\"\n"));
    assert!(
        vmx.ends_with("pciBridge7.functions = \"8\"\nvmci0.present = \"true\"\n"),
        "{vmx}"
    );
    for bad in [3, 22] {
        let e = to_vmx(&xml, bad).unwrap_err();
        assert!(e.detail.contains("between 4 and 21"), "{e:?}");
    }
    let nics = domain(&"<interface type='bridge'><source bridge='b'/></interface>".repeat(10));
    assert!(to_vmx(&nics, 7).is_ok());
    assert!(to_vmx(&nics, 4).is_err());
}

#[test]
fn super_wide_scsi_units_from_version_13() {
    let body =
        "scsi0.present = \"true\"\nscsi0:20.present = \"true\"\nscsi0:20.fileName = \"a.vmdk\"\n";
    assert!(!to_xml(12, body).contains("<disk"));
    assert!(
        to_xml(13, body)
            .contains("<address type='drive' controller='0' bus='0' target='0' unit='20'/>")
    );
}

#[test]
fn windows_1252_file_and_secure_boot() {
    let vmx = b"config.version = \"8\"\nvirtualHW.version = \"14\"\n.encoding = \"windows-1252\"\n\
                displayName = \"Caf\xe9 \x80\"\nfirmware = \"efi\"\nuefi.secureBoot.enabled = \"TRUE\"\n";
    let xml = vmx_to_domain_xml(vmx, &StandInDatastores::default()).unwrap();
    assert!(xml.contains("<name>Café €</name>"), "{xml}");
    assert!(xml.contains(
        "  <os firmware='efi'>\n    <type arch='i686'>hvm</type>\n    <firmware>\n      <feature enabled='yes' name='enrolled-keys'/>\n      <feature enabled='yes' name='secure-boot'/>\n    </firmware>\n  </os>\n"
    ), "{xml}");
}

#[test]
fn names_are_escaped_both_ways() {
    let xml = domain("").replace("<name>t</name>", "<name>a|b\"c%d/e\\f</name>");
    let vmx = to_vmx(&xml, 4).unwrap();
    assert!(
        vmx.contains("displayName = \"a|7cb|22c%25d%2fe%5cf\"\n"),
        "{vmx}"
    );
    let back = vmx_to_domain_xml(vmx.as_bytes(), &StandInDatastores::default()).unwrap();
    assert!(back.contains("<name>a|b&quot;c%d/e\\f</name>"), "{back}");
}

/// What libvirt reads but never writes back: the generation ID, secure boot and (ours) the
/// virtual hardware version, which the writer keeps unless the target runs an older one.
#[test]
fn genid_secure_boot_and_hardware_version_are_written_back() {
    let xml = to_xml(
        14,
        "firmware = \"efi\"\nuefi.secureBoot.enabled = \"TRUE\"\n\
         vm.genid = \"-3459213375452357183\"\nvm.genidX = \"42\"\n",
    );
    assert!(
        xml.contains("<vmware:virtualhw>14</vmware:virtualhw>"),
        "{xml}"
    );
    let vmx = to_vmx(&xml, 21).unwrap();
    for line in [
        "virtualHW.version = \"14\"\n",
        "vm.genid = \"-3459213375452357183\"\nvm.genidX = \"42\"\n",
        "firmware = \"efi\"\nuefi.secureBoot.enabled = \"true\"\n",
    ] {
        assert!(vmx.contains(line), "{vmx}");
    }
    let e = to_vmx(&xml, 13).unwrap_err();
    assert_eq!(e.code, virt_esx::Code::ConfigUnsupported);
    assert!(
        e.message()
            .contains("virtual hardware version 14 (vmware:virtualhw) is newer than the 13"),
        "{e}"
    );
    let no_efi = domain("").replace(
        "<os>",
        "<os><firmware><feature enabled='yes' name='secure-boot'/></firmware>",
    );
    let e = to_vmx(&no_efi, 14).unwrap_err();
    assert!(
        e.message().contains("Secure boot needs EFI firmware"),
        "{e}"
    );
}

/// USB controllers, the sound card and the vTPM: read in the full dialect (libvirt drops them)
/// and written back; what VMware lacks is refused by name.
#[test]
fn usb_sound_and_vtpm_both_ways() {
    let xml = to_xml(
        19,
        "firmware = \"efi\"\nusb.present = \"TRUE\"\nusb_xhci.present = \"TRUE\"\n\
         sound.present = \"TRUE\"\nsound.virtualDev = \"sb16\"\nvtpm.present = \"TRUE\"\n",
    );
    for element in [
        "<controller type='usb' index='0' model='piix4-uhci'/>\n    <controller type='usb' index='1' model='nec-xhci'/>",
        "<tpm model='tpm-crb'>\n      <backend type='emulator' version='2.0'/>\n    </tpm>",
        "<sound model='sb16'/>",
    ] {
        assert!(xml.contains(element), "{xml}");
    }
    let vmx = to_vmx(&xml, 19).unwrap();
    assert!(
        vmx.contains(
            "usb.present = \"true\"\nusb_xhci.present = \"true\"\nsound.present = \"true\"\n\
             sound.virtualDev = \"sb16\"\nvtpm.present = \"true\"\nfirmware = \"efi\"\n"
        ),
        "{vmx}"
    );

    let efi = |devices: &str| domain(devices).replace("<os>", "<os firmware='efi'>");
    for (devices, refusal) in [
        ("<sound model='ac97'/>", "Unsupported sound model 'ac97'"),
        (
            "<sound model='sb16'/><sound model='ich6'/>",
            "one sound card per VM",
        ),
        (
            "<controller type='usb' model='qusb2'/>",
            "Unsupported USB controller model 'qusb2'",
        ),
        (
            "<tpm model='tpm-tis'><backend type='emulator'/></tpm>",
            "Unsupported TPM 'tpm-tis' with backend 'emulator'",
        ),
        (
            "<tpm model='tpm-crb'><backend type='passthrough'/></tpm>",
            "with backend 'passthrough'",
        ),
    ] {
        let e = to_vmx(&efi(devices), 19).unwrap_err();
        assert_eq!(e.code, virt_esx::Code::ConfigUnsupported, "{devices}");
        assert!(e.message().contains(refusal), "{devices}: {e}");
    }
    let e = to_vmx(
        &domain("<tpm model='tpm-crb'><backend type='emulator'/></tpm>"),
        19,
    )
    .unwrap_err();
    assert!(e.message().contains("A vTPM needs EFI firmware"), "{e}");
    let none = to_vmx(&domain("<controller type='usb' model='none'/>"), 19).unwrap();
    assert!(!none.contains("usb"), "{none}");
}

/// SATA devices and SCSI units past 15 get targets of their own in the full dialect, with
/// their true slots as addresses; the writer takes the address wherever it is not the one
/// libvirt derives from the name, and libvirt's name rule everywhere else.
#[test]
fn sata_and_wide_scsi_targets_are_distinct_and_round_trip() {
    let xml = to_xml(
        14,
        "scsi0.present = \"true\"\nscsi0:0.present = \"true\"\nscsi0:0.fileName = \"a.vmdk\"\n\
         scsi1.present = \"true\"\nscsi1:0.present = \"true\"\nscsi1:0.fileName = \"b.vmdk\"\n\
         scsi0:16.present = \"true\"\nscsi0:16.fileName = \"w.vmdk\"\n\
         sata0.present = \"true\"\nsata0:0.present = \"true\"\nsata0:0.deviceType = \"cdrom-image\"\n\
         sata0:0.fileName = \"x.iso\"\nsata0:9.present = \"true\"\nsata0:9.fileName = \"s.vmdk\"\n",
    );
    for (target, address) in [
        (
            "sda' bus='scsi",
            "controller='0' bus='0' target='0' unit='0'",
        ),
        (
            "sdp' bus='scsi",
            "controller='1' bus='0' target='0' unit='0'",
        ),
        // libvirt: sdp again, on controller 0 unit 16, and controller 1 lost
        (
            "sdb' bus='scsi",
            "controller='0' bus='0' target='0' unit='16'",
        ),
        // libvirt: sda, the SCSI disk's name
        (
            "sdc' bus='sata",
            "controller='0' bus='0' target='0' unit='0'",
        ),
        (
            "sdj' bus='sata",
            "controller='0' bus='0' target='0' unit='9'",
        ),
    ] {
        let disk = format!("<target dev='{target}'/>\n      <address type='drive' {address}/>");
        let disk = disk.replace(
            "/>\n      <address",
            "/>\n      <readonly/>\n      <address",
        );
        let plain = format!("<target dev='{target}'/>\n      <address type='drive' {address}/>");
        assert!(
            xml.contains(&plain) || xml.contains(&disk),
            "{target}: {xml}"
        );
    }
    assert!(xml.contains("<controller type='scsi' index='1'/>"), "{xml}");
    let vmx = to_vmx(&xml, 14).unwrap();
    for slot in ["scsi0:0", "scsi1:0", "scsi0:16", "sata0:0", "sata0:9"] {
        assert!(
            vmx.contains(&format!("{slot}.present = \"true\"")),
            "{slot}: {vmx}"
        );
    }
    assert_eq!(to_xml(14, &vmx[vmx.find("scsi0.present").unwrap()..]), xml);

    // Without addresses, libvirt's name rule: sdk on SATA is sata0:10.
    let sata = |target: &str, address: &str| {
        format!(
            "<disk type='file' device='disk'><source file='[ds] {target}.vmdk'/>\
             <target dev='{target}' bus='sata'/>{address}</disk>"
        )
    };
    let vmx = to_vmx(&domain(&sata("sdk", "")), 14).unwrap();
    assert!(vmx.contains("sata0:10.present"), "{vmx}");
    let twice = domain(&format!(
        "{}{}",
        sata("sdb", "<address type='drive' controller='0' unit='3'/>"),
        sata("sdc", "<address type='drive' controller='0' unit='3'/>")
    ));
    let e = to_vmx(&twice, 14).unwrap_err();
    assert!(
        e.message()
            .contains("Disks 'sdb' and 'sdc' are on one slot, sata0:3"),
        "{e}"
    );
    let outside = domain(&sata(
        "sdb",
        "<address type='drive' controller='0' unit='30'/>",
    ));
    let e = to_vmx(&outside, 14).unwrap_err();
    assert!(e.message().contains("which is no slot VMware has"), "{e}");
}

/// The guest OS and a BIOS firmware setting survive a round trip: libvirt writes `other` or
/// `other-64` for any guest, and refuses `firmware = "bios"`, which vSphere writes.
#[test]
fn guest_os_and_bios_firmware_are_kept() {
    let xml = to_xml(19, "guestOS = \"windows2019srv-64\"\nfirmware = \"bios\"\n");
    assert!(
        xml.contains("<os firmware='bios'>\n    <type arch='x86_64'>hvm</type>"),
        "{xml}"
    );
    assert!(
        xml.contains("<vmware:guestos>windows2019srv-64</vmware:guestos>"),
        "{xml}"
    );
    let vmx = to_vmx(&xml, 19).unwrap();
    assert!(vmx.contains("guestOS = \"windows2019srv-64\"\n"), "{vmx}");
    assert!(vmx.contains("firmware = \"bios\"\n"), "{vmx}");
    let i686 = xml.replace("x86_64", "i686");
    let e = to_vmx(&i686, 19).unwrap_err();
    assert!(
        e.message()
            .contains("The guest OS 'windows2019srv-64' (vmware:guestos) does not agree with the domain's arch 'i686'"),
        "{e}"
    );
}

/// PCI passthrough: each ESX generation's `pciPassthruN.id` read as `<hostdev>`, written back
/// as ESXi 6.7 and later write it; what VMware cannot pass through refused.
#[test]
fn pci_passthrough_both_ways() {
    let xml = to_xml(
        14,
        "pciPassthru0.present = \"TRUE\"\npciPassthru0.id = \"00000:019:00.0\"\n\
         pciPassthru0.deviceId = \"0x07b0\"\npciPassthru0.vendorId = \"0x15ad\"\n\
         pciPassthru1.present = \"FALSE\"\npciPassthru1.id = \"garbage\"\n\
         pciPassthru2.present = \"TRUE\"\npciPassthru2.id = \"0000:0b:1f.7\"\n\
         pciPassthru3.present = \"TRUE\"\npciPassthru3.id = \"03:00.1\"\n",
    );
    for (bus, slot, function) in [
        ("0x13", "0x00", "0x0"),
        ("0x0b", "0x1f", "0x7"),
        ("0x03", "0x00", "0x1"),
    ] {
        let element = format!(
            "<hostdev mode='subsystem' type='pci' managed='no'>\n      <source>\n        \
             <address domain='0x0000' bus='{bus}' slot='{slot}' function='{function}'/>\n      \
             </source>\n    </hostdev>"
        );
        assert!(xml.contains(&element), "{element} in {xml}");
    }
    let vmx = to_vmx(&xml, 14).unwrap();
    assert!(
        vmx.contains(
            "pciPassthru0.present = \"TRUE\"\npciPassthru0.id = \"00000:019:00.0\"\n\
             pciPassthru1.present = \"TRUE\"\npciPassthru1.id = \"00000:011:31.7\"\n\
             pciPassthru2.present = \"TRUE\"\npciPassthru2.id = \"00000:003:00.1\"\n"
        ),
        "{vmx}"
    );
    assert_eq!(
        to_xml(14, &vmx[vmx.find("pciPassthru0").unwrap()..])
            .matches("<hostdev")
            .count(),
        3
    );

    let e = vmx_to_domain_xml(
        format!(
            "{HEADER}virtualHW.version = \"14\"\npciPassthru0.present = \"TRUE\"\n\
             pciPassthru0.id = \"0000:0b:20.0\"\n"
        )
        .as_bytes(),
        &StandInDatastores::default(),
    )
    .unwrap_err();
    assert!(
        e.message()
            .contains("Invalid PCI address '0000:0b:20.0' in entry 'pciPassthru0.id'"),
        "{e}"
    );
    for (devices, code) in [
        (
            "<hostdev mode='subsystem' type='usb'/>",
            virt_esx::Code::ConfigUnsupported,
        ),
        (
            "<hostdev mode='capabilities' type='storage'/>",
            virt_esx::Code::ConfigUnsupported,
        ),
        (
            "<hostdev mode='subsystem' type='pci'/>",
            virt_esx::Code::XmlError,
        ),
        (
            "<hostdev type='pci'><source><address bus='256'/></source></hostdev>",
            virt_esx::Code::XmlError,
        ),
    ] {
        let e = to_vmx(&domain(devices), 14).unwrap_err();
        assert_eq!(e.code, code, "{devices}: {e}");
    }
}
