//! Helpers for tests that look at the simulator's inventory through the library: opening a
//! connection, the host's VMs, datastore file URLs, tasks.

use super::{Creds, Sim};
use std::time::{Duration, Instant};
use virt_esx::driver::Connection;
use virt_esx::vi::property::{FilterSpec, Hop};
use virt_esx::vi::soap::Request;
use virt_esx::vi::{Client, MoRef, Node};

/// esx:// (empty `path`) or vpx://`path` to the simulator, as root.
pub fn open(sim: &Sim, scheme: &str, path: &str) -> Connection {
    let uri = sim.uri(scheme, &format!("/{path}?no_verify=1"));
    Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap()
}

/// A VM of the connection's host: its reference, name and `[ds] dir/name.vmx`.
pub struct Vm {
    pub moref: MoRef,
    pub name: String,
    pub vmx: String,
}

pub fn host_vms(conn: &Connection) -> Vec<Vm> {
    let spec = FilterSpec {
        props: vec![(
            "VirtualMachine".into(),
            vec!["name".into(), "config.files.vmPathName".into()],
        )],
        start: conn.primary.placement.host.clone(),
        skip_start: true,
        hops: vec![Hop {
            name: "hostVms",
            kind: "HostSystem",
            path: "vm",
            then: &[],
        }],
    };
    let mut vms: Vec<Vm> = conn
        .primary
        .client
        .retrieve(&spec)
        .unwrap()
        .into_iter()
        .map(|oc| Vm {
            name: oc.props.text_at("name").unwrap_or_default().to_string(),
            vmx: oc
                .props
                .text_at("config.files.vmPathName")
                .unwrap_or_default()
                .to_string(),
            moref: oc.obj,
        })
        .collect();
    vms.sort_by(|a, b| a.name.cmp(&b.name));
    vms
}

/// libvirt's URI escaping: everything but RFC 3986's unreserved characters.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `/folder` URL of a datastore file `[ds] dir/file`, as libvirt builds it.
pub fn folder_url(conn: &Connection, ds_path: &str) -> String {
    let (ds, file) = ds_path
        .strip_prefix('[')
        .and_then(|r| r.split_once("] "))
        .unwrap();
    format!(
        "/folder/{}?dcPath={}&dsName={}",
        enc(file),
        enc(&conn.primary.placement.datacenter_path),
        enc(ds)
    )
}

/// The body of a datastore file, fetched with the session cookie.
pub fn download(conn: &Connection, ds_path: &str) -> (u16, Vec<u8>) {
    let reply = conn
        .primary
        .client
        .transport()
        .get(&folder_url(conn, ds_path))
        .unwrap();
    (reply.status, reply.body)
}

/// Calls a `*_Task` method and waits for the task; its `info` as a tree, state included.
pub fn run_task(client: &Client, req: &Request) -> Node {
    let task = client
        .call(req)
        .unwrap()
        .child("returnval")
        .and_then(MoRef::from_node)
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let oc = client.retrieve_one(&task, &["info"]).unwrap().unwrap();
        let info = oc.props.child("info").unwrap().clone();
        if matches!(info.text_at("state"), Some("success" | "error")) || Instant::now() > deadline {
            return info;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
