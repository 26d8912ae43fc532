//! The library's log as libvirt users configure it (LIBVIRT_DEBUG, LIBVIRT_LOG_OUTPUTS): every
//! SOAP call with its size and duration, bodies at debug level, and never a password or the
//! session cookie. The log is set up once per process, so the work runs in a child process.

mod common;

use common::{Creds, Sim, dom};
use std::process::Command;
use virt_esx::abi::flags::{DomainXmlFlags, ListDomainsFlags};
use virt_esx::driver::Connection;

const PASSWORD: &str = "pw-S3cr3t!";

/// The child's part: a session's worth of calls, printing the cookie it was given.
#[test]
fn child_makes_calls() {
    if std::env::var_os("LVESX_LOG_CHILD").is_none() {
        return;
    }
    let sim = Sim::start(&["-mode", "esx", "-user", "root", "-pass", PASSWORD]);
    let wrong = Connection::open(
        &sim.uri("esx", "/?no_verify=1"),
        Some(&Creds::new(Some("root"), "pw-Wr0ng!")),
        false,
    );
    let Err(e) = wrong else {
        panic!("a wrong password fails")
    };
    assert!(!e.message().contains("pw-Wr0ng!"), "{e}");
    let conn = Connection::open(
        &sim.uri("esx", "/?no_verify=1&some_unknown_parameter=1"),
        Some(&Creds::new(Some("root"), PASSWORD)),
        false,
    )
    .unwrap();
    println!(
        "COOKIE={}",
        conn.primary().client.transport().cookie_secret()
    );
    let vm = conn
        .list_all_domains(ListDomainsFlags::empty())
        .unwrap()
        .remove(0);
    dom(&conn, &vm).domain_xml(DomainXmlFlags::empty()).unwrap();
    conn.close().unwrap();
}

#[test]
fn the_log_shows_calls_and_hides_secrets() {
    let log = std::env::temp_dir().join(format!("lvesx-log-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_makes_calls",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LVESX_LOG_CHILD", "1")
        .env("LIBVIRT_DEBUG", "1")
        .env("LIBVIRT_LOG_OUTPUTS", format!("1:file:{}", log.display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cookie = stdout
        .lines()
        .find_map(|l| l.split("COOKIE=").nth(1))
        .expect("the child prints its cookie");
    assert!(cookie.len() > 8, "cookie {cookie:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    for wanted in [
        "info : libvirt_esx: RetrievePropertiesEx: HTTP 200 in ",
        "Login request: ",
        "<password>[redacted]</password>",
        "RetrievePropertiesEx response: ",
        "warning : libvirt_esx: ignoring the unknown URI query parameter 'some_unknown_parameter'",
        "Logout: HTTP 200",
    ] {
        assert!(
            text.contains(wanted),
            "log lacks {wanted:?}:\n{}",
            &text[..text.len().min(3000)]
        );
    }
    assert!(!text.contains(PASSWORD), "the password is in the log");
    assert!(
        !text.contains("pw-Wr0ng!"),
        "the wrong password is in the log"
    );
    assert!(!text.contains(cookie), "the session cookie is in the log");
    let _ = std::fs::remove_file(&log);
}
