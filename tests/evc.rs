//! CPU models as vSphere's EVC modes, on the simulator in ESX and vCenter mode (host and
//! cluster scope): listed as the server lists them, compared with and taken as a baseline of
//! the hosts' highest modes, read independently.

mod common;

use common::{Sim, open};
use esx_driver::vi::MoRef;
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::connection::evc::CpuComparison as C;

fn cpu(model: &str) -> String {
    format!("<cpu mode='custom' match='exact'><model>{model}</model></cpu>")
}

/// The server's own highest mode of the scope's first host.
fn host_mode(conn: &Connection) -> String {
    let host: MoRef = esx_driver::testing::scope_hosts(conn)[0].host.clone();
    common::live::vm_prop(conn, &host, "summary.maxEVCModeKey").unwrap()
}

fn check_evc(sim: &Sim, scheme: &str, path: &str) {
    let conn = open(sim, scheme, path);
    let rt = conn.round_trips();
    let models = conn.cpu_model_names("x86_64").unwrap();
    assert_eq!(conn.round_trips() - rt, 1);
    let top = host_mode(&conn);
    assert_eq!(top, "intel-ivybridge");
    assert!(models.contains(&top) && models.contains(&"amd-zen".to_string()));
    for (model, want) in [
        ("intel-sandybridge", C::Superset),
        ("intel-ivybridge", C::Identical),
        ("intel-haswell", C::Incompatible),
        ("amd-rev-e", C::Incompatible),
    ] {
        assert_eq!(
            conn.compare_cpu(None, &cpu(model)).unwrap(),
            want,
            "{model}"
        );
    }
    let e = conn.compare_cpu(None, &cpu("Skylake-Client")).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    let base = conn
        .baseline_cpu(
            Some("x86_64"),
            &[&cpu("intel-haswell"), &cpu("intel-westmere")],
        )
        .unwrap();
    assert_eq!(
        base,
        "<cpu mode='custom' match='exact'>\n  <model fallback='forbid'>intel-westmere</model>\n  \
         <vendor>Intel</vendor>\n</cpu>\n"
    );
    let capped = conn.baseline_cpu(None, &[&cpu("intel-icelake")]).unwrap();
    assert!(
        capped.contains(&format!(">{top}<")),
        "the hosts' ceiling: {capped}"
    );
    let e = conn.baseline_cpu(None, &[&cpu("amd-zen")]).unwrap_err();
    assert!(e.message().contains("CPU vendors differ"), "{e}");
    assert_eq!(
        conn.cpu_model_names("aarch64").unwrap_err().code,
        Code::ArgumentUnsupported
    );
}

#[test]
fn evc_modes_of_a_host_and_a_cluster() {
    let sim = Sim::esx();
    check_evc(&sim, "esx", "/");
    let sim = Sim::vpx();
    check_evc(&sim, "vpx", "/DC0/DC0_H0");
    check_evc(&sim, "vpx", "/DC0/DC0_C0");
}
