//! virConnectGetDomainCapabilities on the simulator, ESX and vCenter mode, against the
//! server's own config option (QueryConfigOptionEx sent by hand); the refusals.

mod common;

use common::{Sim, open};
use esx_driver::vi::MoRef;
use esx_driver::vi::soap::Request;
use virt_esx::Code;
use virt_esx::driver::Connection;

/// The server's own answer: (version, largest vCPU count, guest ids, the first 64-bit guest's
/// firmware).
fn server_option(conn: &Connection) -> (String, u32, Vec<String>) {
    let client = &conn.primary().client;
    let cr = esx_driver::testing::scope_hosts(conn)[0]
        .compute_resource
        .clone();
    let browser = client
        .retrieve_one(&cr, &["environmentBrowser"])
        .unwrap()
        .unwrap();
    let browser = MoRef::new(
        "EnvironmentBrowser",
        browser.props.text_at("environmentBrowser").unwrap(),
    );
    let answer = client
        .invoke(&Request::new("QueryConfigOptionEx", &browser))
        .unwrap()
        .unwrap();
    let vcpus = answer
        .path("hardwareOptions")
        .unwrap()
        .children_named("numCPU")
        .map(|n| n.text.parse::<u32>().unwrap())
        .max()
        .unwrap();
    let ids = answer
        .children_named("guestOSDescriptor")
        .map(|g| g.text_at("id").unwrap().to_string())
        .collect();
    (answer.text_at("version").unwrap().to_string(), vcpus, ids)
}

fn check_domcaps(sim: &Sim, scheme: &str, path: &str) {
    let conn = open(sim, scheme, path);
    let (version, vcpus, ids) = server_option(&conn);
    let rt = conn.round_trips();
    let xml = conn.domain_capabilities(None, None, None, None).unwrap();
    assert_eq!(conn.round_trips() - rt, 2);
    assert!(
        xml.contains(&format!("  <machine>{version}</machine>\n")),
        "{xml}"
    );
    assert!(xml.contains(&format!("  <vcpu max='{vcpus}'/>\n")));
    assert!(xml.contains("<value>efi</value>") && xml.contains("<value>vmvga</value>"));
    assert!(
        xml.contains(
            "<hostdev supported='yes'>\n      <enum name='mode'>\n        <value>subsystem</value>"
        ) && xml.contains("<enum name='subsysType'>\n        <value>pci</value>"),
        "{xml}"
    );
    assert_eq!(xml.matches("<vmware:guest ").count(), ids.len());
    let debian = xml
        .lines()
        .find(|l| l.contains("id='debian10_64Guest'"))
        .unwrap();
    assert!(
        debian.contains("firmware='bios efi' secureBoot='yes'")
            && debian.contains("buses='scsi sata ide nvme'")
            && debian.contains("nicModels='e1000 e1000e vmxnet3'"),
        "{debian}"
    );
    // The same with every argument named; i686 keeps the 32-bit guests only.
    let rt = conn.round_trips();
    let named = conn
        .domain_capabilities(None, Some("x86_64"), Some(&version), Some("vmware"))
        .unwrap();
    assert_eq!(conn.round_trips() - rt, 3);
    assert_eq!(named, xml);
    let small = conn
        .domain_capabilities(None, Some("i686"), None, None)
        .unwrap();
    assert!(small.contains("<arch>i686</arch>") && !small.contains("64Guest"));
    for (e, code) in [
        (
            conn.domain_capabilities(Some("/usr/bin/qemu"), None, None, None),
            Code::ArgumentUnsupported,
        ),
        (
            conn.domain_capabilities(None, Some("aarch64"), None, None),
            Code::ArgumentUnsupported,
        ),
        (
            conn.domain_capabilities(None, None, Some("pc-q35"), None),
            Code::InvalidArg,
        ),
        (
            conn.domain_capabilities(None, None, None, Some("kvm")),
            Code::InvalidArg,
        ),
    ] {
        assert_eq!(e.unwrap_err().code, code);
    }
}

#[test]
fn domain_capabilities_of_a_host_and_a_cluster() {
    let sim = Sim::esx();
    check_domcaps(&sim, "esx", "/");
    let sim = Sim::vpx();
    check_domcaps(&sim, "vpx", "/DC0/DC0_H0");
    check_domcaps(&sim, "vpx", "/DC0/DC0_C0");
}
