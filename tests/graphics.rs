//! A VM's VNC server as a socket (virDomainOpenGraphicsFD) and joined to the caller's
//! (virDomainOpenGraphics), with a local listener standing in for the host's VNC port; ESX and
//! vCenter mode; the refusals.

mod common;

use common::{Sim, dom, open};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use virt_esx::Code;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Domain;
use virt_esx::driver::domain::power::PowerOp;

/// Gives the VM a VNC server on `port` (its host's address, or `listen`), running.
fn with_vnc(conn: &Arc<Connection>, d: &Domain, port: u16, listen: Option<&str>) -> Domain {
    let off = d.power(PowerOp::Destroy).unwrap();
    let d = dom(conn, &off);
    let xml = d.domain_xml(Default::default()).unwrap();
    let listen = listen.map(|l| format!(" listen='{l}'")).unwrap_or_default();
    let xml = xml.replace(
        "</devices>",
        &format!("<graphics type='vnc' port='{port}'{listen}/></devices>"),
    );
    let defined = conn.define_xml(&xml).unwrap();
    let on = dom(conn, &defined).power(PowerOp::Start).unwrap();
    dom(conn, &on)
}

/// Talks through `client` to the server side accepted on `vnc`, both ways.
fn exchange(vnc: &TcpListener, client: &mut (impl Read + Write)) {
    let (mut server, _) = vnc.accept().unwrap();
    server.write_all(b"RFB 003.008\n").unwrap();
    let mut hello = [0u8; 12];
    client.read_exact(&mut hello).unwrap();
    assert_eq!(&hello, b"RFB 003.008\n");
    client.write_all(b"RFB 003.003\n").unwrap();
    server.read_exact(&mut hello).unwrap();
    assert_eq!(&hello, b"RFB 003.003\n");
}

fn check_graphics(sim: &Sim, scheme: &str, path: &str, name: &str, listen: Option<&str>) {
    let conn = open(sim, scheme, path);
    let vm = conn.domain_by_name(name).unwrap().cached();
    let d = dom(&conn, &vm);
    let e = d.open_graphics(0, false).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "no graphics yet: {e}");
    let vnc = TcpListener::bind("127.0.0.1:0").unwrap();
    let d = with_vnc(&conn, &d, vnc.local_addr().unwrap().port(), listen);
    let mut socket = d.open_graphics(0, true).unwrap();
    exchange(&vnc, &mut socket);
    let (mut mine, theirs) = UnixStream::pair().unwrap();
    d.attach_graphics(0, false, OwnedFd::from(theirs).into())
        .unwrap();
    exchange(&vnc, &mut mine);
    let e = d.open_graphics(1, false).unwrap_err();
    assert_eq!(
        e.message(),
        "invalid argument: No graphics backend with index 1"
    );
    let off = d.power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &off).open_graphics(0, false).unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid);
}

#[test]
fn vnc_servers_are_reached_on_a_host_and_through_vcenter() {
    let sim = Sim::esx();
    check_graphics(&sim, "esx", "/", "ha-host_VM0", None);
    let sim = Sim::vpx();
    check_graphics(&sim, "vpx", "/DC0/DC0_H0", "DC0_H0_VM0", Some("127.0.0.1"));
}
