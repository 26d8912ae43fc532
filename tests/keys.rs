//! virDomainSendKey on the simulator, ESX and vCenter mode: keys of several of libvirt's sets
//! typed with PutUsbScanCodes, read back from what the launcher's guest saw (the VM's `.keys`
//! file over /folder); the hold time, a stopped VM, a key with no USB usage.

mod common;

use common::{Sim, dom, open};
use std::time::{Duration, Instant};
use virt_esx::Code;
use virt_esx::abi::virKeycodeSet as S;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::driver::domain::power::PowerOp;

/// The key events the guest saw, one line each (`0x004c leftControl,leftAlt`).
fn typed(conn: &Connection, vm: &Vm) -> Vec<String> {
    let vmx = common::live::vm_prop(conn, &vm.moref, "config.files.vmPathName").unwrap();
    let dir = vmx.rsplit_once('/').unwrap().0;
    let (status, body) = common::live::download(conn, &format!("{dir}/{}.keys", vm.name));
    assert_eq!(status, 200);
    String::from_utf8(body)
        .unwrap()
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn check_keys(sim: &Sim, scheme: &str, path: &str, name: &str) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let d = dom(&conn, &vm);
    // Ctrl+Alt+Delete in Linux keycodes: one event, Delete with both modifiers; one request.
    let rt = conn.round_trips();
    d.send_keys(S::VIR_KEYCODE_SET_LINUX, 0, &[29, 56, 111])
        .unwrap();
    assert_eq!(conn.round_trips() - rt, 1);
    // "hi" in AT set 1, then Shift+a in win32 codes held 300 ms.
    d.send_keys(S::VIR_KEYCODE_SET_ATSET1, 0, &[0x23]).unwrap();
    d.send_keys(S::VIR_KEYCODE_SET_ATSET1, 0, &[0x17]).unwrap();
    let start = Instant::now();
    d.send_keys(S::VIR_KEYCODE_SET_WIN32, 300, &[0xa0, 0x41])
        .unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        typed(&conn, &vm),
        [
            "0x004c leftControl,leftAlt",
            "0x000b",
            "0x000c",
            "0x0004 leftShift"
        ]
    );
    // A code no key has in the set.
    let e = d
        .send_keys(S::VIR_KEYCODE_SET_USB, 0, &[0x4000])
        .unwrap_err();
    assert_eq!(e.code, Code::InternalError);
    assert_eq!(
        e.message(),
        "internal error: cannot translate keycode 16384 of usb codeset to a USB HID usage"
    );
    // A stopped VM types nothing.
    let off = d.power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &off)
        .send_keys(S::VIR_KEYCODE_SET_LINUX, 0, &[30])
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    assert_eq!(typed(&conn, &vm).len(), 4);
}

#[test]
fn keys_reach_the_guest_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_keys(&sim, "esx", "/", "ha-host_VM0");
    let sim = Sim::vpx();
    check_keys(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0");
}
