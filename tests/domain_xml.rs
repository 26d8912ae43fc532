//! Domain XML on the simulator: dumpxml from the VMX on the datastore, define (new and
//! redefine), define errors leaving nothing behind, and undefine.

mod common;

use common::{Sim, dom, domain_xml, open, open_read_only};
use esx_driver::abi::flags::UndefineFlags;
use virt_esx::Code;
use virt_esx::abi::flags::{DomainXmlFlags, ListDomainsFlags};
use virt_esx::driver::domain::power::PowerOp;

#[test]
fn dumpxml_reads_the_vmx_with_live_paths() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let before = conn.round_trips();
    let xml = dom(&conn, &vm).domain_xml(DomainXmlFlags::empty()).unwrap();
    assert!(
        conn.round_trips() - before <= 3,
        "{}",
        conn.round_trips() - before
    );
    assert!(
        xml.starts_with(&format!("<domain type='vmware' id='{}'", vm.id())),
        "{xml}"
    );
    assert!(xml.contains("<name>ha-host_VM0</name>"), "{xml}");
    assert!(xml.contains("[LocalDS_0] ha-host_VM0/disk1.vmdk"), "{xml}");
    assert!(
        xml.contains("<vmware:datacenterpath>ha-datacenter</vmware:datacenterpath>"),
        "{xml}"
    );
    let inactive = dom(&conn, &vm)
        .domain_xml(DomainXmlFlags::INACTIVE)
        .unwrap();
    assert!(
        inactive.starts_with("<domain type='vmware' xmlns"),
        "{inactive}"
    );
}

#[test]
fn define_start_dump_redefine_undefine() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn
        .define_xml(&domain_xml("defined-1", "LocalDS_0", 512 * 1024))
        .unwrap();
    assert_eq!(vm.name, "defined-1");
    // The server knows it, by a fresh connection.
    let other = open(&sim, "esx", "/");
    let seen = dom(&other, &other.domain_by_name("defined-1").unwrap().cached())
        .current()
        .unwrap();
    assert_eq!(seen.vmx_path, "[LocalDS_0] defined-1/defined-1.vmx");
    assert_eq!(
        seen.uuid.to_string(),
        "1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71"
    );
    assert_eq!((seen.memory_mb, seen.num_cpu), (512, 2));

    let xml = dom(&conn, &vm).domain_xml(DomainXmlFlags::empty()).unwrap();
    assert!(
        xml.contains("<uuid>1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71</uuid>"),
        "{xml}"
    );
    assert!(xml.contains("<memory unit='KiB'>524288</memory>"), "{xml}");
    assert!(
        xml.contains("[LocalDS_0] defined-1/defined-1.vmdk"),
        "{xml}"
    );
    assert!(!xml.contains("s3cret"), "{xml}");
    assert!(
        dom(&conn, &vm)
            .domain_xml(DomainXmlFlags::SECURE)
            .unwrap()
            .contains("passwd='s3cret'")
    );

    // Redefining a powered-off domain rewrites it; a running one is refused.
    let vm = conn
        .define_xml(&domain_xml("defined-1", "LocalDS_0", 1024 * 1024))
        .unwrap();
    let xml = dom(&conn, &vm).domain_xml(DomainXmlFlags::empty()).unwrap();
    assert!(xml.contains("<memory unit='KiB'>1048576</memory>"), "{xml}");
    let seen = other.domain_by_uuid(&vm.uuid).unwrap().cached();
    assert_eq!(other.refresh_vm(&seen.moref).unwrap().memory_mb, 1024);
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    let e = conn
        .define_xml(&domain_xml("defined-1", "LocalDS_0", 512 * 1024))
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let e = dom(&conn, &vm)
        .undefine(UndefineFlags::empty())
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");

    let vm = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    dom(&conn, &vm).undefine(UndefineFlags::empty()).unwrap();
    assert_eq!(
        other.domain_by_name("defined-1").unwrap_err().code,
        Code::NoDomain
    );
}

#[test]
fn define_errors_are_clear_and_leave_nothing() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let before = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap()
        .len();
    let e = conn
        .define_xml(&domain_xml("nowhere", "NoSuchDS", 512 * 1024))
        .unwrap_err();
    assert!(e.message().contains("NoSuchDS"), "{e}");
    let e = conn
        .define_xml("<domain type='vmware'><name>x</name>")
        .unwrap_err();
    assert_eq!(e.code, Code::XmlError, "{e}");
    let e = conn
        .define_xml("<domain type='vmware'><name>nodisk</name><memory>524288</memory><os><type>hvm</type></os></domain>")
        .unwrap_err();
    assert!(e.message().contains("file-based harddisks"), "{e}");
    assert_eq!(
        conn.list_all_domains(ListDomainsFlags::empty())
            .unwrap()
            .len(),
        before
    );
    let ro = open_read_only(&sim, "esx", "/");
    let e = ro
        .define_xml(&domain_xml("ro", "LocalDS_0", 512 * 1024))
        .unwrap_err();
    assert_eq!(e.code, Code::OperationDenied);
}

#[test]
fn define_on_a_vcenter_host() {
    let sim = Sim::vpx();
    let conn = open(&sim, "vpx", "/DC0/DC0_H0");
    let vm = conn
        .define_xml(&domain_xml("vc-defined", "LocalDS_0", 256 * 1024))
        .unwrap();
    assert!(vm.moref.value.starts_with("vm-"));
    assert_eq!(
        vm.host.as_ref(),
        Some(&conn.primary().scope.host().unwrap().host)
    );
    let xml = dom(&conn, &vm).domain_xml(DomainXmlFlags::empty()).unwrap();
    assert!(
        xml.contains("<vmware:datacenterpath>DC0</vmware:datacenterpath>"),
        "{xml}"
    );
    dom(&conn, &vm).undefine(UndefineFlags::empty()).unwrap();
}
