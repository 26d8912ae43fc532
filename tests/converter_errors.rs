//! Each validation error of the converter in both directions, with libvirt's error code,
//! domain and message.

use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::vmx::{Dialect, domain_xml_to_vmx, vmx_to_domain_xml};
use virt_esx::{Code, Domain};

const HEADER: &str = "config.version = \"8\"\nvirtualHW.version = \"4\"\ndisplayName = \"t\"\n";

fn vmx_error(body: &str) -> virt_esx::Error {
    let vmx = if body.contains("config.version") || body.contains("virtualHW.version") {
        body.to_string()
    } else {
        format!("{HEADER}{body}")
    };
    vmx_to_domain_xml(vmx.as_bytes(), &StandInDatastores::default())
        .expect_err(&format!("accepted:\n{vmx}"))
}

fn assert_vmx_error(body: &str, code: Code, detail: &str) {
    let e = vmx_error(body);
    assert_eq!((e.code, e.domain), (code, Domain::None), "{e:?}");
    assert!(e.detail.contains(detail), "{e:?} lacks {detail:?}");
}

#[test]
fn vmx_global_key_errors() {
    let internal = Code::InternalError;
    for (body, detail) in [
        (
            "virtualHW.version = \"4\"\n",
            "Missing essential config entry 'config.version'",
        ),
        (
            "config.version = \"7\"\nvirtualHW.version = \"4\"\n",
            "to be 8 but found 7",
        ),
        (
            "config.version = \"8\"\n",
            "Missing essential config entry 'virtualHW.version'",
        ),
        (
            "config.version = \"8\"\nvirtualHW.version = \"3\"\n",
            "to be 4 or higher but found 3",
        ),
        (
            "config.version = \"x\"\n",
            "Config entry 'config.version' must represent an integer value",
        ),
        (
            "uuid.bios = \"12 34\"\n",
            "Could not parse UUID from string '12 34'",
        ),
        (
            "memsize = \"30\"\n",
            "'memsize' to be an unsigned integer (multiple of 4) but found 30",
        ),
        ("memsize = \"0\"\n", "(multiple of 4) but found 0"),
        (
            "numvcpus = \"0\"\n",
            "'numvcpus' to be an unsigned integer greater than 0 but found 0",
        ),
        (
            "numvcpus = \"2\"\ncpuid.coresPerSocket = \"4\"\n",
            "'cpuid.coresPerSocket' smaller than 'numvcpus'",
        ),
        (
            "numvcpus = \"2\"\nsched.cpu.affinity = \"1\"\n",
            "at least as many values as 'numvcpus' (2) but found only 1",
        ),
        (
            "sched.cpu.affinity = \"a\"\n",
            "comma separated list of unsigned integers",
        ),
        (
            "sched.cpu.affinity = \"5000\"\n",
            "contains a 5000, this value is too large",
        ),
        (
            "sched.cpu.shares = \"lots\"\n",
            "'sched.cpu.shares' to be an unsigned integer or 'low', 'normal' or 'high'",
        ),
        (
            "smbios.reflecthost = \"yes\"\n",
            "must represent a boolean value (true|false)",
        ),
        (
            "firmware = \"uefi\"\n",
            "VMX entry 'firmware' has unknown value 'uefi'",
        ),
        (
            "annotation = \"a|zz\"\n",
            "VMX entry 'annotation' contains invalid escape sequence",
        ),
        (
            "ethernetX.present = \"true\"\n",
            "failed to parse the index of the VMX key 'ethernetX.present'",
        ),
    ] {
        assert_vmx_error(body, internal, detail);
    }
    let name =
        vmx_error("config.version = \"8\"\nvirtualHW.version = \"4\"\ndisplayName = \"a%2\"\n");
    assert_eq!(
        name.detail,
        "VMX entry 'name' contains invalid escape sequence"
    );
}

#[test]
fn vmx_device_errors() {
    let internal = Code::InternalError;
    for (body, detail) in [
        (
            "scsi0.present = \"true\"\nscsi0.virtualDev = \"auto\"\n",
            "'scsi0.virtualDev' to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'pvscsi' but found 'auto'",
        ),
        (
            "scsi0.present = \"true\"\nscsi0:0.present = \"true\"\nscsi0:0.deviceType = \"ata-hardDisk\"\nscsi0:0.fileName = \"a.vmdk\"\n",
            "'scsi0:0.deviceType' to be 'scsi-hardDisk' or 'disk' but found 'ata-hardDisk'",
        ),
        (
            "ide0:0.present = \"true\"\nide0:0.deviceType = \"scsi-hardDisk\"\nide0:0.fileName = \"a.vmdk\"\n",
            "'ide0:0.deviceType' to be 'ata-hardDisk' or 'disk'",
        ),
        (
            "ide0:0.present = \"true\"\nide0:0.deviceType = \"atapi-cdrom\"\nide0:0.fileName = \"a.iso\"\n",
            "'ide0:0.deviceType' to be 'cdrom-image' but found 'atapi-cdrom'",
        ),
        (
            "ide0:0.present = \"true\"\nide0:0.fileName = \"a.txt\"\n",
            "Invalid or not yet handled value 'a.txt' for VMX entry 'ide0:0.fileName' for device type 'unknown'",
        ),
        (
            "floppy0.present = \"true\"\nfloppy0.fileType = \"tape\"\n",
            "for VMX entry 'floppy0.fileName'",
        ),
        (
            "ide0:0.present = \"true\"\nide0:0.fileName = \"/vmfs/volumes/missing/a.vmdk\"\n",
            "Referenced missing file",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.virtualDev = \"rtl8139\"\n",
            "'ethernet0.virtualDev' to be 'vlance' or 'vmxnet' or 'vmxnet3' or 'e1000' or 'e1000e' but found 'rtl8139'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.addressType = \"random\"\n",
            "'ethernet0.addressType' to be 'generated' or 'static' or 'vpx' but found 'random'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.generatedAddress = \"00:11\"\n",
            "'ethernet0.generatedAddress' to be MAC address but found '00:11'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.connectionType = \"custom\"\nethernet0.vnet = \"lan\"\n",
            "Expecting VMX entry 'ethernet0.vnet' to name a vmnet (vmnetN or /dev/vmnetN) when there is no networkName, but found 'lan'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.connectionType = \"magic\"\n",
            "Invalid value 'magic' for VMX entry 'ethernet0.connectionType'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.connectionType = \"custom\"\n",
            "Missing essential config entry 'ethernet0.vnet'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.connectionType = \"custom\"\nethernet0.networkName = \"n\"\n",
            "Missing essential config entry 'ethernet0.vnet'",
        ),
        (
            "ethernet0.present = \"true\"\nethernet0.dvs.switchId = \"x\"\n",
            "Could not parse UUID from string 'x'",
        ),
        (
            "serial0.present = \"true\"\nserial0.fileType = \"usb\"\n",
            "'serial0.fileType' to be 'device', 'file' or 'pipe' or 'network' but found 'usb'",
        ),
        (
            "serial0.present = \"true\"\nserial0.fileType = \"network\"\nserial0.fileName = \"gopher://h:1\"\n",
            "contains unsupported scheme 'gopher'",
        ),
        (
            "serial0.present = \"true\"\nserial0.fileType = \"network\"\nserial0.fileName = \"tcp://h:1\"\nserial0.network.endPoint = \"both\"\n",
            "'serial0.network.endPoint' to be 'server' or 'client' but found 'both'",
        ),
        (
            "parallel0.present = \"true\"\nparallel0.fileType = \"device\"\n",
            "Missing essential config entry 'parallel0.fileName'",
        ),
        (
            "parallel0.present = \"true\"\nparallel0.fileType = \"pipe\"\nparallel0.fileName = \"p\"\n",
            "'parallel0.fileType' to be 'device' or 'file' but found 'pipe'",
        ),
        (
            "isolation.tools.hgfs.disable = \"false\"\nsharedFolder.maxNum = \"1\"\nsharedFolder0.present = \"true\"\nsharedFolder0.enabled = \"true\"\n",
            "Missing essential config entry 'sharedFolder0.hostPath'",
        ),
    ] {
        assert_vmx_error(body, internal, detail);
    }
}

/// An affinity naming a CPU twice has fewer CPUs than it has items (the fuzzer's find: the
/// XML's cpuset could not hold the vCPUs, so it did not convert back).
#[test]
fn an_affinity_with_too_few_distinct_cpus_is_refused() {
    assert_vmx_error(
        "numvcpus = \"6\"\nsched.cpu.affinity = \"0,1,1,5,6,7\"\n",
        Code::InternalError,
        "at least as many distinct CPUs as 'numvcpus' (6) but found only 5",
    );
}

/// A datastore named with `]` cannot be written as `[<datastore>] <path>` (the fuzzer's find:
/// the XML read back named another datastore).
#[test]
fn a_datastore_name_a_path_cannot_bracket_is_refused() {
    let e = vmx_error(
        "scsi0.present = \"true\"\nscsi0:0.present = \"true\"\n\
         scsi0:0.fileName = \"/vmfs/volumes/]atastore/dir/a.vmdk\"\n",
    );
    assert_eq!(e.code, Code::InvalidArg, "{e:?}");
    assert!(e.detail.contains("without '/' or ']'"), "{e:?}");
}

#[test]
fn vmx_syntax_errors_are_conf_errors() {
    let e = vmx_error("config.version = \"8\"\nvirtualHW.version = [4]\n");
    assert_eq!((e.code, e.domain), (Code::ConfSyntax, Domain::Conf));
    assert_eq!(e.detail, "line 2: lists not allowed in VMX format");
}

fn domain(devices: &str, extra: &str) -> String {
    format!(
        "<domain type='vmware'><name>t</name><uuid>564d9bef-acd9-b4e0-c8f0-aea8b9103515</uuid>\
         <memory>4096</memory>{extra}<os><type>hvm</type></os><devices>{devices}</devices></domain>"
    )
}

/// The writer's refusals as libvirt words them (the libvirt dialect, where a disk's address
/// must be the one its target name implies; the full one takes the address as its slot).
fn xml_error(xml: &str, version: i32) -> virt_esx::Error {
    let ctx = StandInDatastores {
        dialect: Dialect::Libvirt,
        ..StandInDatastores::default()
    };
    domain_xml_to_vmx(xml, &ctx, version).expect_err(&format!("accepted:\n{xml}"))
}

#[test]
fn xml_to_vmx_errors() {
    let disk = |attrs: &str, inner: &str| format!("<disk {attrs}>{inner}</disk>");
    let unsupported = Code::ConfigUnsupported;
    let internal = Code::InternalError;
    let cases: Vec<(String, Code, &str)> = vec![
        (
            domain("", "").replace("vmware", "kvm"),
            internal,
            "Expecting virt type to be 'vmware' but found 'kvm'",
        ),
        (
            domain("", "").replace("<type>", "<type arch='ppc64'>"),
            internal,
            "to be 'i686' or 'x86_64' but found 'ppc64'",
        ),
        (
            domain("", "<vcpu current='1'>2</vcpu>"),
            unsupported,
            "No support for domain XML entry 'vcpu' attribute 'current'",
        ),
        (
            domain("", "<vcpu>0</vcpu>"),
            internal,
            "Expecting domain XML entry 'vcpu' to be greater than 0",
        ),
        (
            domain("", "<vcpu cpuset='1'>2</vcpu>"),
            internal,
            "'cpuset' of entry 'vcpu' to contain at least 2 CPU(s)",
        ),
        (
            domain(
                "",
                "<vcpu>4</vcpu><cpu><topology sockets='1' cores='2' threads='1'/></cpu>",
            ),
            internal,
            "Expecting domain XML CPU sockets per core as 4 but found 2",
        ),
        (
            domain(
                "",
                "<vcpu>4</vcpu><cpu><topology sockets='2' cores='1' threads='2'/></cpu>",
            ),
            unsupported,
            "Only 1 thread per core is supported",
        ),
        (
            domain(
                "",
                "<vcpu>2</vcpu><cpu><topology sockets='1' dies='2' cores='1' threads='1'/></cpu>",
            ),
            unsupported,
            "Only 1 die per socket is supported",
        ),
        (
            domain("", "<cpu mode='host-model'/>"),
            internal,
            "Expecting domain XML CPU mode 'custom' but found 'host-model'",
        ),
        (
            domain("", "").replace(
                "<type>hvm</type>",
                "<type>hvm</type><smbios mode='sysinfo'/>",
            ),
            unsupported,
            "Unsupported SMBIOS mode 'sysinfo'",
        ),
        (
            domain("<graphics type='spice'/>", ""),
            unsupported,
            "Unsupported graphics type 'spice'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/><address type='drive' controller='0' bus='0' unit='3'/>",
                ),
                "",
            ),
            internal,
            "Disk address 0:0:3 doesn't match target device 'sda'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='vda' bus='virtio'/><address type='drive' controller='0' bus='0' unit='0'/>",
                ),
                "",
            ),
            unsupported,
            "Unsupported bus type 'virtio'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='sda' bus='sata'/>",
                ),
                "",
            ),
            unsupported,
            "Unsupported bus type 'sata'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='hde' bus='ide'/>",
                ),
                "",
            ),
            internal,
            "IDE controller index 1 out of [0] range",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='sdbi' bus='scsi'/>",
                ),
                "",
            ),
            internal,
            "SCSI controller index 4 out of [0..3] range",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<driver name='magic'/><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/>",
                ),
                "",
            ),
            internal,
            "Unknown driver name 'magic'",
        ),
        (
            domain(
                &(disk(
                    "type='file' device='disk'",
                    "<driver name='buslogic'/><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/>",
                ) + "<controller type='scsi' index='0' model='lsilogic'/>"),
                "",
            ),
            internal,
            "Inconsistent SCSI controller model ('buslogic' is not 'lsilogic') for SCSI controller index 0",
        ),
        (
            domain(
                &(disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/>",
                ) + "<controller type='scsi' index='0' model='virtio-scsi'/>"),
                "",
            ),
            internal,
            "to be 'buslogic' or 'lsilogic' or 'lsisas1068' or 'vmpvscsi' but found 'virtio-scsi'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='[ds] a.img'/><target dev='hda' bus='ide'/>",
                ),
                "",
            ),
            internal,
            "Image file for ide disk 'hda' has unsupported suffix, expecting '.vmdk'",
        ),
        (
            domain(
                &disk(
                    "type='network' device='disk'",
                    "<target dev='hda' bus='ide'/>",
                ),
                "",
            ),
            unsupported,
            "has unsupported type 'network', expecting 'file' or 'block'",
        ),
        (
            domain(
                &disk(
                    "type='block' device='disk'",
                    "<source dev='/dev/sdb'/><target dev='hda' bus='ide'/>",
                ),
                "",
            ),
            unsupported,
            "ide disk 'hda' has an unsupported type 'block'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<driver cache='none'/><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/>",
                ),
                "",
            ),
            unsupported,
            "scsi harddisk 'sda' has unsupported cache mode 'none'",
        ),
        (
            domain(
                &disk(
                    "type='file' device='disk'",
                    "<source file='relative/a.vmdk'/><target dev='hda' bus='ide'/>",
                ),
                "",
            ),
            internal,
            "Could not handle file name 'relative/a.vmdk'",
        ),
        (
            domain(
                &disk(
                    "type='dir' device='floppy'",
                    "<source dir='/x'/><target dev='fda' bus='fdc'/>",
                ),
                "",
            ),
            unsupported,
            "Floppy 'fda' has unsupported type 'dir', expecting 'file' or 'block'",
        ),
        (
            domain(
                "<filesystem type='block'><source dev='/x'/><target dir='y'/></filesystem>",
                "",
            ),
            unsupported,
            "Only 'mount' filesystem type is supported",
        ),
        (
            domain(
                &"<interface type='bridge'><source bridge='b'/></interface>".repeat(5),
                "",
            ),
            internal,
            "Ethernet controller index 4 out of [0..3] range",
        ),
        (
            domain(
                "<interface type='network'><source network='default'/></interface>",
                "",
            ),
            unsupported,
            "Unsupported network 'default' of net type 'network': in a VMX file only Workstation's and Fusion's vmnets",
        ),
        (
            domain(
                "<interface type='direct'><source dev='eth0'/></interface>",
                "",
            ),
            unsupported,
            "Unsupported net type 'direct'",
        ),
        (
            domain(
                "<interface type='user'><model type='virtio'/></interface>",
                "",
            ),
            internal,
            "to be 'vlance' or 'vmxnet' or 'vmxnet2' or 'vmxnet3' or 'e1000' or 'e1000e' but found 'virtio'",
        ),
        (
            domain(
                "<video><model type='vmvga'/></video><video><model type='vmvga'/></video>",
                "",
            ),
            internal,
            "No support for multiple video devices",
        ),
        (
            domain("<video><model type='qxl'/></video>", ""),
            unsupported,
            "Unsupported video device type 'qxl'",
        ),
        (
            domain("<video><model type='vmvga' heads='2'/></video>", ""),
            unsupported,
            "Multi-head video devices are unsupported",
        ),
        (
            domain("<serial type='pty'><target port='0'/></serial>", ""),
            unsupported,
            "Unsupported character device type 'pty'",
        ),
        (
            domain(
                "<serial type='dev'><source path='/dev/ttyS0'/><target port='4'/></serial>",
                "",
            ),
            internal,
            "Serial port index 4 out of [0..3] range",
        ),
        (
            domain(
                "<parallel type='pipe'><source path='p'/><target port='0'/></parallel>",
                "",
            ),
            unsupported,
            "Unsupported character device type 'pipe'",
        ),
        (
            domain(
                "<parallel type='dev'><source path='/dev/lp0'/><target port='3'/></parallel>",
                "",
            ),
            internal,
            "Parallel port index 3 out of [0..2] range",
        ),
    ];
    for (xml, code, detail) in cases {
        let e = xml_error(&xml, 4);
        assert_eq!(e.code, code, "{e:?} for {xml}");
        assert!(e.detail.contains(detail), "{e:?} lacks {detail:?}");
    }
}

#[test]
fn auto_scsi_model_needs_autodetection() {
    struct NoAutodetect;
    impl virt_esx::vmx::DatastorePaths for NoAutodetect {
        fn parse_file_name(&self, f: &str, _: bool) -> virt_esx::Result<Option<String>> {
            Ok(Some(f.to_string()))
        }
        fn format_file_name(&self, s: &str) -> virt_esx::Result<String> {
            Ok(s.to_string())
        }
    }
    let xml = domain(
        "<disk type='file' device='disk'><source file='/a.vmdk'/><target dev='sda' bus='scsi'/></disk>\
         <controller type='scsi' index='0' model='auto'/>",
        "",
    );
    let e = domain_xml_to_vmx(&xml, &NoAutodetect, 4).unwrap_err();
    assert!(e.detail.contains("but found 'auto'"), "{e:?}");
    let vmx = domain_xml_to_vmx(&xml, &StandInDatastores::default(), 4).unwrap();
    assert!(vmx.contains("scsi0.virtualDev = \"lsilogic\"\n"), "{vmx}");
}

#[test]
fn xml_parse_errors() {
    let bad = [
        ("<domain", Code::XmlError),
        (
            "<domain type='vmware'><memory>4096</memory><os><type>hvm</type></os></domain>",
            Code::NoName,
        ),
        (
            &domain("", "").replace("564d9bef-acd9", "nope"),
            Code::XmlError,
        ),
        (
            &domain(
                "<interface type='bridge'><mac address='zz'/></interface>",
                "",
            ),
            Code::XmlError,
        ),
        (
            &domain("", "").replace("<memory>4096", "<memory unit='parsec'>4096"),
            Code::XmlError,
        ),
    ];
    for (xml, code) in bad {
        assert_eq!(xml_error(xml, 4).code, code, "{xml}");
    }
}

/// Both directions hold one NIC limit, ethernet0–ethernet9: what is read can be written back,
/// and a huge index cannot make the reader loop for long.
#[test]
fn one_nic_limit_in_both_directions() {
    let nic = |i: u32| {
        format!("ethernet{i}.present = \"true\"\nethernet{i}.networkName = \"VM Network\"\n")
    };
    let ten = (0..10).map(nic).collect::<String>();
    let vmx =
        format!("config.version = \"8\"\nvirtualHW.version = \"7\"\ndisplayName = \"t\"\n{ten}");
    let xml = vmx_to_domain_xml(vmx.as_bytes(), &StandInDatastores::default()).unwrap();
    assert_eq!(xml.matches("<interface").count(), 10);
    assert!(domain_xml_to_vmx(&xml, &StandInDatastores::default(), 7).is_ok());
    for index in [10, 9999, 2_000_000_000] {
        assert_vmx_error(&nic(index), Code::InternalError, "out of [0..9] range");
    }
    let eleven = "<interface type='bridge'><source bridge='VM Network'/></interface>".repeat(11);
    let e = xml_error(&domain(&eleven, ""), 7);
    assert!(e.detail.contains("out of [0..9] range"), "{e}");
}
