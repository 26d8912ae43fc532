//! Helpers for tests that look at the simulator's inventory through the library: the host's
//! VMs sorted by name, and datastore files fetched over `/folder` with their HTTP status.

use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::vi::files::folder_path;
use virt_esx::vmx::DatastorePath;

pub fn host_vms(conn: &Connection) -> Vec<Vm> {
    let mut vms = conn.list_vms(false).unwrap().0;
    vms.sort_by(|a, b| a.name.cmp(&b.name));
    vms
}

/// The `/folder` URL of a datastore file `[ds] dir/file` in the connection's datacenter.
pub fn folder_url(conn: &Connection, ds_path: &str) -> String {
    let p = DatastorePath::parse(ds_path).unwrap();
    folder_path(
        &conn.primary.placement.datacenter_path,
        &p.datastore,
        &p.directory_and_file,
    )
}

/// The HTTP status and body of a datastore file, fetched with the session cookie.
pub fn download(conn: &Connection, ds_path: &str) -> (u16, Vec<u8>) {
    let reply = conn
        .primary
        .client
        .transport()
        .get(&folder_url(conn, ds_path))
        .unwrap();
    (reply.status, reply.body)
}
