//! Opening connections against govmomi's simulator in ESX and vCenter mode: credentials, TLS
//! policies, product checks, vpx paths, host facts and round-trip budgets.

mod common;

use common::{Creds, Sim, managed_pair, open_read_only};
use std::sync::Arc;
use virt_esx::driver::Connection;
use virt_esx::{Code, Domain};

fn open(uri: &str, creds: &Creds) -> virt_esx::Result<Arc<Connection>> {
    Connection::open(uri, Some(creds), false)
}

#[test]
fn esx_open_with_user_in_uri_asks_only_the_password() {
    let sim = Sim::esx();
    let creds = Creds::new(None, "secret");
    let conn = open(&sim.uri("esx", "/?no_verify=1"), &creds).unwrap_err();
    // No user in the URI and the callback refuses a username: auth failure.
    assert_eq!(conn.code, Code::AuthFailed);

    let conn = open(
        &sim.uri("esx", "/?no_verify=1")
            .replace("esx://", "esx://root@"),
        &creds,
    )
    .unwrap();
    let asked = creds.asked.lock().unwrap().clone();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert_eq!(asked[1].0, 7);
    assert_eq!(asked[1].1, "Enter root's password for 127.0.0.1");
    assert_eq!(asked[1].2, "127.0.0.1");
    assert!(
        conn.round_trips() <= 4,
        "connect cost {} round trips",
        conn.round_trips()
    );
    assert_eq!(
        conn.primary().scope.host().unwrap().datacenter_path,
        "ha-datacenter"
    );
    conn.close().unwrap();
    assert!(!conn.is_alive());
}

#[test]
fn esx_open_asks_the_username_with_libvirt_prompt() {
    let sim = Sim::esx();
    let creds = Creds::new(Some("root"), "pw");
    let conn = open(&sim.uri("esx", "/?no_verify=1"), &creds).unwrap();
    let asked = creds.asked.lock().unwrap().clone();
    assert_eq!(
        asked[0],
        (
            2,
            "Enter username for 127.0.0.1 [root]".into(),
            "127.0.0.1".into()
        )
    );
    assert!(conn.is_alive());
}

#[test]
fn wrong_password_is_auth_failed() {
    let sim = Sim::start(&["-mode", "esx", "-user", "root", "-pass", "right"]);
    let e = open(
        &sim.uri("esx", "/?no_verify=1"),
        &Creds::new(Some("root"), "wrong"),
    )
    .unwrap_err();
    assert_eq!(e.code, Code::AuthFailed, "{e}");
    assert!(e.message().contains("InvalidLogin"), "{e}");
    open(
        &sim.uri("esx", "/?no_verify=1"),
        &Creds::new(Some("root"), "right"),
    )
    .unwrap();
}

#[test]
fn self_signed_certificate_needs_no_verify_or_cacert() {
    let sim = Sim::esx();
    let creds = Creds::new(Some("root"), "pw");
    let e = open(&sim.uri("esx", "/"), &creds).unwrap_err();
    let msg = e.message();
    assert!(
        msg.contains("no_verify=1") && msg.contains("cacert"),
        "{msg}"
    );
    let ca = sim.ca.as_ref().unwrap().display().to_string();
    open(&sim.uri("esx", &format!("/?cacert={ca}")), &creds).unwrap();
    let e = open(&sim.uri("esx", "/?cacert=/nonexistent/ca.pem"), &creds).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
}

#[test]
fn plain_http_transport() {
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let conn = open(
        &sim.uri("esx", "/?transport=http"),
        &Creds::new(Some("root"), "pw"),
    )
    .unwrap();
    assert!(!conn.is_encrypted());
    assert_eq!(conn.version().unwrap(), 6_005_000);
}

#[test]
fn scheme_must_match_the_product() {
    let esx = Sim::esx();
    let creds = Creds::new(Some("u"), "p");
    let e = open(&esx.uri("vpx", "/ha-datacenter/x?no_verify=1"), &creds).unwrap_err();
    assert_eq!(e.code, Code::InvalidArg);
    assert!(e.message().contains("use 'esx://' instead"), "{e}");
    let vc = Sim::vpx();
    let e = open(&vc.uri("esx", "/?no_verify=1"), &creds).unwrap_err();
    assert!(e.message().contains("use 'vpx://' instead"), "{e}");
    let e = open(&vc.uri("gsx", "/?no_verify=1"), &creds).unwrap_err();
    assert!(e.message().contains("use 'vpx://' instead"), "{e}");
}

#[test]
fn vpx_paths_resolve_cluster_and_standalone_hosts() {
    let vc = Sim::vpx();
    let creds = Creds::new(Some("administrator@vsphere.local"), "p");
    let conn = open(&vc.uri("vpx", "/DC0/DC0_C0/DC0_C0_H1?no_verify=1"), &creds).unwrap();
    assert_eq!(conn.primary().scope.host().unwrap().host_name, "DC0_C0_H1");
    assert_eq!(conn.primary().scope.host().unwrap().datacenter_path, "DC0");
    assert_eq!(
        conn.primary().scope.host().unwrap().compute_resource.kind,
        "ClusterComputeResource"
    );
    let conn = open(&vc.uri("vpx", "/DC0/DC0_H0?no_verify=1"), &creds).unwrap();
    assert_eq!(conn.primary().scope.host().unwrap().host_name, "DC0_H0");

    for (path, needle) in [
        ("/DC9/DC0_H0", "DC9"),
        ("/DC0/nope", "nope"),
        ("/DC0/DC0_C0/DC0_C0_H9", "DC0_C0_H9"),
        ("/DC0/DC0_H0/extra", "excess"),
    ] {
        let e = open(&vc.uri("vpx", &format!("{path}?no_verify=1")), &creds).unwrap_err();
        assert_eq!(e.code, Code::InvalidArg, "{path}: {e}");
        assert!(e.message().contains(needle), "{path}: {e}");
    }
}

#[test]
fn vpx_paths_walk_folders() {
    let vc = Sim::start(&["-mode", "vpx", "-folder", "1"]);
    let creds = Creds::new(Some("u"), "p");
    let conn = open(
        &vc.uri("vpx", "/F0/DC0/F0/DC0_C0/DC0_C0_H0?no_verify=1"),
        &creds,
    )
    .unwrap();
    assert_eq!(
        conn.primary().scope.host().unwrap().datacenter_path,
        "F0/DC0"
    );
    assert_eq!(conn.primary().scope.host().unwrap().host_name, "DC0_C0_H0");
}

#[test]
fn host_facts_match_the_simulator() {
    let sim = Sim::esx();
    let conn = open(
        &sim.uri("esx", "/?no_verify=1"),
        &Creds::new(Some("root"), "pw"),
    )
    .unwrap();
    let before = conn.round_trips();
    let info = conn.node_info().unwrap();
    assert_eq!(conn.round_trips() - before, 1);
    assert_eq!(info.memory_kib, 4294430720 / 1024);
    assert_eq!(info.mhz, 3591);
    assert_eq!(
        (info.cpus, info.sockets, info.cores, info.threads),
        (2, 2, 1, 1)
    );
    assert!(info.model.starts_with("Intel Core i7"), "{}", info.model);
    assert!(info.model.len() <= 31);
    assert_eq!(conn.hostname().unwrap(), "localhost.localdomain");
    let free = conn.free_memory().unwrap();
    assert_eq!(free, 4294430720 - 1404 * 1024 * 1024);
    let caps = conn.capabilities_xml().unwrap();
    assert!(caps.contains("<arch>x86_64</arch>"), "{caps}");
    assert!(caps.contains("<domain type='vmware'/>"), "{caps}");
    assert_eq!(conn.max_vcpus().unwrap(), 128);
    let sysinfo = conn.sysinfo_xml().unwrap();
    assert!(
        sysinfo.contains("<entry name='manufacturer'>VMware, Inc.</entry>"),
        "{sysinfo}"
    );
    let before = conn.round_trips();
    conn.sysinfo_xml().unwrap();
    assert_eq!(conn.round_trips() - before, 1);
}

#[test]
fn read_only_connection_refuses_writes() {
    let sim = Sim::esx();
    let conn = open_read_only(&sim, "esx", "/");
    let e = conn.check_writable("virDomainCreate").unwrap_err();
    assert_eq!(e.code, Code::OperationDenied);
    assert_eq!(
        e.message(),
        "operation forbidden: read only access prevents virDomainCreate"
    );
}

#[test]
fn missing_auth_is_a_clear_error() {
    let sim = Sim::esx();
    let e = Connection::open(&sim.uri("esx", "/?no_verify=1"), None, false).unwrap_err();
    assert_eq!((e.code, e.domain), (Code::InvalidArg, Domain::Esx));
    assert!(e.message().contains("auth.conf"), "{e}");
}

#[test]
fn auth_conf_supplies_credentials() {
    let sim = Sim::esx();
    let dir = std::env::temp_dir().join(format!("libvirt-esx-authconf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("auth.conf");
    std::fs::write(
        &file,
        "[credentials-sim]\nusername=root\npassword=pw\n\n[auth-esx-127.0.0.1]\ncredentials=sim\n",
    )
    .unwrap();
    let uri = sim.uri("esx", &format!("/?no_verify=1&authfile={}", file.display()));
    let conn = Connection::open(&uri, None, false).unwrap();
    assert!(conn.is_alive());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn connection_is_send_and_sync_and_usable_from_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Connection>();
    let sim = Sim::esx();
    let conn = open(
        &sim.uri("esx", "/?no_verify=1"),
        &Creds::new(Some("root"), "pw"),
    )
    .unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert!(conn.node_info().unwrap().memory_kib > 0));
        }
    });
}

#[test]
fn unreachable_host_fails_cleanly() {
    let creds = Creds::new(Some("root"), "pw");
    let e = open("esx://127.0.0.1:1/?no_verify=1", &creds).unwrap_err();
    assert!(e.message().contains("127.0.0.1:1"), "{e}");
}

#[test]
fn esx_with_vcenter_star_finds_the_host_in_its_vcenter() {
    let (_vc, esx) = managed_pair();
    let creds = Creds::new(Some("root"), "pw");
    let conn = open(&esx.uri("esx", "/?no_verify=1&vcenter=*"), &creds).unwrap();
    let vc = conn.vcenter().expect("a vCenter endpoint");
    assert_eq!(vc.product, virt_esx::driver::Product::Vpx);
    assert_eq!(vc.scope.host().unwrap().host_name, "DC0_H0");
    assert_eq!(vc.scope.host().unwrap().datacenter_path, "DC0");
    // The vCenter's credentials were asked with the vCenter's name as the challenge.
    let asked = creds.asked.lock().unwrap().clone();
    assert!(asked.iter().any(|a| a.2 == "127.0.0.1"), "{asked:?}");
    conn.close().unwrap();

    let e = open(&esx.uri("esx", "/?no_verify=1&vcenter=10.9.9.9"), &creds).unwrap_err();
    assert!(e.message().contains("mismatching vCenter"), "{e}");
}

#[test]
fn vcenter_star_on_an_unmanaged_host_is_refused() {
    let esx = Sim::esx();
    let e = open(
        &esx.uri("esx", "/?no_verify=1&vcenter=*"),
        &Creds::new(Some("r"), "p"),
    )
    .unwrap_err();
    assert!(e.message().contains("not managed by a vCenter"), "{e}");
}

#[test]
fn an_expired_session_is_renewed_once_transparently() {
    let sim = Sim::esx();
    let conn = open(
        &sim.uri("esx", "/?no_verify=1"),
        &Creds::new(Some("root"), "pw"),
    )
    .unwrap();
    // End the session behind the library's back, as an idle timeout on the server does.
    let sm = conn
        .primary()
        .client
        .content()
        .session_manager
        .clone()
        .unwrap();
    conn.primary()
        .client
        .transport()
        .post_soap(
            "urn:vim25/6.5",
            &esx_driver::vi::soap::Request::new("Logout", &sm).envelope(),
            false,
        )
        .unwrap();
    let before = conn.round_trips();
    assert!(conn.node_info().unwrap().memory_kib > 0);
    // The refused call, the new login, the call again.
    assert_eq!(conn.round_trips() - before, 3);
}

/// Local files are read only when regular and small: `/dev/zero` and a FIFO named as the CA
/// bundle or auth.conf fail at once, naming the file, instead of growing or blocking forever.
#[test]
fn local_files_are_bounded_and_regular() {
    let dir = std::env::temp_dir().join(format!("lvesx-fifo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("ca.pem");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let creds = Creds::new(Some("root"), "pw");
    for query in [
        "cacert=/dev/zero".to_string(),
        format!("cacert={}", fifo.display()),
        "authfile=/dev/zero".to_string(),
        format!("authfile={}", fifo.display()),
    ] {
        let started = std::time::Instant::now();
        let e = open(&format!("esx://127.0.0.1:9/?{query}"), &creds).unwrap_err();
        let file = query.split('=').nth(1).unwrap();
        assert!(e.message().contains(file), "{query}: {e}");
        assert!(e.message().contains("not a regular file"), "{query}: {e}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{query}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A proxy that refuses the connection is named as the one refusing, not the target.
#[test]
fn a_refusing_proxy_is_named() {
    let creds = Creds::new(Some("root"), "pw");
    let e = open("esx://192.0.2.1/?no_verify=1&proxy=127.0.0.1:1", &creds).unwrap_err();
    assert!(e.message().contains("proxy 'http://127.0.0.1:1'"), "{e}");
}

/// Credentials with a control character are refused before anything is sent, unquoted.
#[test]
fn control_characters_in_credentials_are_refused() {
    let sim = Sim::esx();
    for (user, password) in [("ro\u{1}ot", "pw"), ("root", "pw\0more")] {
        let e = open(
            &sim.uri("esx", "/?no_verify=1"),
            &Creds::new(Some(user), password),
        )
        .unwrap_err();
        assert_eq!(e.code, Code::AuthFailed, "{e}");
        assert!(e.message().contains("control character"), "{e}");
        assert!(!e.message().contains("more"), "{e}");
    }
}

/// A server that accepts and never answers is given up on within the `timeout=` bound (plus a
/// second), and the error says it was a time-out.
#[test]
fn a_silent_server_is_given_up_on_in_time() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = std::thread::spawn(move || {
        let held: Vec<_> = listener.incoming().take(1).collect();
        std::thread::sleep(std::time::Duration::from_secs(3));
        drop(held);
    });
    let started = std::time::Instant::now();
    let e = open(
        &format!("esx://{addr}/?transport=http&timeout=2&connect_timeout=1"),
        &Creds::new(Some("root"), "pw"),
    )
    .unwrap_err();
    let took = started.elapsed();
    assert!(
        took < std::time::Duration::from_secs(3),
        "took {took:?}: {e}"
    );
    assert_eq!(e.code, Code::OperationTimeout, "{e}");
    hold.join().unwrap();
}
