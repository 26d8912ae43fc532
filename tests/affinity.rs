//! CPU pinning on the simulator, ESX and vCenter mode, over the VM's one affinity set: the
//! VM pinned whole (emulator pinning), a vCPU pinned where vSphere can keep one set, the
//! refusals, each checked against the server's own `config.cpuAffinity`.

mod common;

use common::{Sim, dom, open};
use virt_esx::Code;
use virt_esx::abi::flags::VcpuFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::affinity::cpus_of_map;
use virt_esx::driver::domain::power::PowerOp;

/// The server's own affinity set of the VM.
fn server_set(conn: &Connection, vm: &Vm) -> Vec<u32> {
    let oc = conn
        .primary()
        .client
        .retrieve_one(&vm.moref, &["config.cpuAffinity"])
        .unwrap()
        .unwrap();
    oc.props
        .path("config.cpuAffinity")
        .into_iter()
        .flat_map(|a| a.children_named("affinitySet"))
        .map(|n| n.text.parse().unwrap())
        .collect()
}

fn check_pinning(sim: &Sim, scheme: &str, path: &str, name: &str) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let d = dom(&conn, &vm);
    let rt = conn.round_trips();
    let a = d.cpu_affinity().unwrap();
    assert_eq!(
        conn.round_trips() - rt,
        1,
        "the VM and its host in one read"
    );
    assert_eq!((a.vcpus, a.set.len()), (1, 0));
    assert!(a.host_cpus >= 2, "{a:?}");
    assert_eq!(cpus_of_map(&a.map(1)), (0..a.host_cpus).collect::<Vec<_>>());

    // The whole VM, then a vCPU of a one-vCPU VM; every host CPU clears the set.
    d.set_cpu_affinity(&[1]).unwrap();
    assert_eq!(server_set(&conn, &vm), [1]);
    assert_eq!(d.cpu_affinity().unwrap().cpus(), [1]);
    d.pin_vcpu(0, &[0]).unwrap();
    assert_eq!(server_set(&conn, &vm), [0]);
    assert_eq!(d.cpu_affinity().unwrap().set, [0]);
    d.set_cpu_affinity(&(0..a.host_cpus).collect::<Vec<_>>())
        .unwrap();
    assert!(server_set(&conn, &vm).is_empty());
    for (e, code, text) in [
        (
            d.pin_vcpu(1, &[0]).unwrap_err(),
            Code::InvalidArg,
            "vcpu '1' is not present",
        ),
        (
            d.set_cpu_affinity(&[a.host_cpus]).unwrap_err(),
            Code::InvalidArg,
            "does not exist",
        ),
        (
            d.set_cpu_affinity(&[]).unwrap_err(),
            Code::InvalidArg,
            "names no CPU",
        ),
    ] {
        assert_eq!(e.code, code, "{e}");
        assert!(e.message().contains(text), "{e}");
    }

    // Two vCPUs share the set: one alone is refused, the set they have is accepted.
    let off = d.power(PowerOp::Destroy).unwrap();
    let d = dom(&conn, &off);
    d.set_vcpus(2, VcpuFlags::CONFIG).unwrap();
    d.set_cpu_affinity(&[1]).unwrap();
    let e = d.pin_vcpu(1, &[0]).unwrap_err();
    assert_eq!(e.code, Code::ArgumentUnsupported);
    assert!(
        e.message()
            .contains("one CPU affinity for all of a VM's vCPUs"),
        "{e}"
    );
    assert_eq!(server_set(&conn, &vm), [1]);
    d.pin_vcpu(1, &[1]).unwrap();
    assert_eq!(server_set(&conn, &vm), [1]);
}

#[test]
fn the_vm_is_pinned_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_pinning(&sim, "esx", "/", "ha-host_VM0");
    let sim = Sim::vpx();
    check_pinning(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0");
}
