//! virDomainOpenConsole through the library: a VM's serial port backed by `telnet://` or
//! `tcp://` in server mode, with a local listener standing in for the host's port, ESX and
//! vCenter mode; telnet's option talk answered and left out; the refusals.

mod common;

use common::{Sim, dom, open};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Domain;
use virt_esx::driver::domain::power::PowerOp;

/// Redefines the VM with these serial ports, and starts it.
fn with_serials(conn: &Arc<Connection>, d: &Domain, serials: &str) -> Domain {
    let off = d.power(PowerOp::Destroy).unwrap();
    let xml = dom(conn, &off).domain_xml(Default::default()).unwrap();
    let xml = xml.replace("</devices>", &format!("{serials}</devices>"));
    let defined = conn.define_xml(&xml).unwrap();
    let on = dom(conn, &defined).power(PowerOp::Start).unwrap();
    dom(conn, &on)
}

fn tcp_serial(target: u32, port: u32, host: &str, protocol: &str, mode: &str) -> String {
    format!(
        "<serial type='tcp'><source mode='{mode}' host='{host}' service='{port}'/>\
         <protocol type='{protocol}'/><target port='{target}'/></serial>"
    )
}

fn check_console(sim: &Sim, scheme: &str, path: &str, name: &str, host: &str) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let telnet = TcpListener::bind("127.0.0.1:0").unwrap();
    let raw = TcpListener::bind("127.0.0.1:0").unwrap();
    let (tp, rp) = (
        telnet.local_addr().unwrap().port() as u32,
        raw.local_addr().unwrap().port() as u32,
    );
    let serials = format!(
        "{}{}",
        tcp_serial(0, tp, host, "telnet", "bind"),
        tcp_serial(1, rp, host, "raw", "bind")
    );
    let d = with_serials(&conn, &dom(&conn, &vm), &serials);

    // The first console is serial0, over telnet.
    let mut console = d.open_console(None).unwrap();
    let (mut server, _) = telnet.accept().unwrap();
    server
        .write_all(&[
            255, 251, 1, 255, 251, 3, b'l', b'o', b'g', b'i', b'n', b':', b' ',
        ])
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 64];
    while got.len() < 7 {
        let n = console.recv(&mut buf).unwrap();
        assert!(n > 0);
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"login: ");
    console.send(b"root\r\xff").unwrap();
    let mut answer = [0u8; 12];
    server.read_exact(&mut answer).unwrap();
    assert_eq!(
        answer,
        [255, 254, 1, 255, 253, 3, b'r', b'o', b'o', b't', b'\r', 255]
    );
    let mut escaped = [0u8; 1];
    server.read_exact(&mut escaped).unwrap();
    assert_eq!(escaped, [255], "0xff doubled");
    drop(server);
    assert_eq!(console.recv(&mut buf).unwrap(), 0, "the port closed");
    console.finish().unwrap();

    // serial1 by name, raw bytes both ways.
    let mut console = d.open_console(Some("serial1")).unwrap();
    let (mut server, _) = raw.accept().unwrap();
    server.write_all(&[255, 1, 2]).unwrap();
    let mut three = [0u8; 3];
    let n = console.recv(&mut three).unwrap();
    assert_eq!(&three[..n], &[255, 1, 2][..n]);
    console.send(&[255]).unwrap();
    server.read_exact(&mut three[..1]).unwrap();
    assert_eq!(three[0], 255);
    drop(console);

    let e = d.open_console(Some("serial7")).unwrap_err();
    assert_eq!(
        e.message(),
        "internal error: cannot find character device serial7"
    );
    let off = d.power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &off).open_console(None).unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
}

#[test]
fn serial_consoles_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_console(&sim, "esx", "/", "ha-host_VM0", "0.0.0.0");
    let sim = Sim::vpx();
    check_console(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0", "127.0.0.1");
}

#[test]
fn ports_that_are_not_network_servers_are_refused_with_the_reason() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    let serials = "<serial type='file'><source path='[LocalDS_0] ha-host_VM1/serial.log'/>\
                   <target port='0'/></serial>"
        .to_string()
        + &tcp_serial(1, 7001, "10.0.0.9", "telnet", "connect");
    let d = with_serials(&conn, &dom(&conn, &vm), &serials);
    let e = d.open_console(Some("serial0")).unwrap_err();
    assert_eq!(e.code, Code::OperationUnsupported);
    assert!(e.message().contains("serial0 is backed by a file"), "{e}");
    let e = d.open_console(Some("serial1")).unwrap_err();
    assert!(e.message().contains("client mode"), "{e}");
}
