//! Helpers for tests that look at the simulator's inventory through the library: the host's
//! VMs sorted by name, and datastore files fetched over `/folder` with their HTTP status.

use esx_driver::vi::MoRef;
use esx_driver::vi::files::folder_path;
use esx_driver::vi::property::FilterSpec;
use esx_driver::vi::soap::Request;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::Vm;
use virt_esx::vmx::DatastorePath;

/// Every VM of the connection's scope, read whole (a listing alone reads identity only).
pub fn host_vms(conn: &Connection) -> Vec<Vm> {
    let listed = conn.list_vms(Default::default()).unwrap().0;
    let morefs: Vec<_> = listed.into_iter().map(|vm| vm.moref).collect();
    let mut vms = conn.fetch_vms(&morefs).unwrap();
    vms.sort_by(|a, b| a.name.cmp(&b.name));
    vms
}

/// The `/folder` URL of a datastore file `[ds] dir/file` in the connection's datacenter.
pub fn folder_url(conn: &Connection, ds_path: &str) -> String {
    let p = DatastorePath::parse(ds_path).unwrap();
    folder_path(
        &conn.primary().scope.host().unwrap().datacenter_path,
        &p.datastore,
        &p.directory_and_file,
    )
}

/// The HTTP status and body of a datastore file, fetched with the session cookie.
pub fn download(conn: &Connection, ds_path: &str) -> (u16, Vec<u8>) {
    let reply = conn
        .primary()
        .client
        .transport()
        .get(&folder_url(conn, ds_path))
        .unwrap();
    (reply.status, reply.body)
}

/// The simulator's own answer to "which VMs are under this object": a ContainerView made in
/// the test (not the library's traversal), templates left out, names sorted.
pub fn vms_under(conn: &Connection, container: &MoRef) -> Vec<String> {
    let client = &conn.primary().client;
    let vm = client.content().view_manager.clone().unwrap();
    let mut r = Request::new("CreateContainerView", &vm);
    r.moref("container", container)
        .text("type", "VirtualMachine")
        .text("recursive", "true");
    let view = client
        .invoke(&r)
        .unwrap()
        .and_then(|n| MoRef::from_node(&n))
        .unwrap();
    let spec = FilterSpec::neighbours(
        view.clone(),
        "ContainerView",
        "view",
        "VirtualMachine",
        &["name", "config.template"],
    );
    let mut names: Vec<String> = client
        .retrieve(&spec)
        .unwrap()
        .iter()
        .filter(|oc| oc.props.text_at("config.template") != Some("true"))
        .filter_map(|oc| oc.props.text_at("name").map(String::from))
        .collect();
    client.invoke(&Request::new("DestroyView", &view)).unwrap();
    names.sort();
    names
}

/// A VM's property as the server has it now, read on its own.
pub fn vm_prop(conn: &Connection, vm: &MoRef, path: &str) -> Option<String> {
    conn.primary()
        .client
        .retrieve_one(vm, &[path])
        .unwrap()
        .and_then(|oc| oc.props.text_at(path).map(String::from))
}

/// Runs a task-returning method by hand and waits for it to end well.
pub fn run_raw_task(conn: &Connection, req: &Request) {
    let ep = &conn.primary();
    let task = ep
        .client
        .invoke(req)
        .unwrap()
        .and_then(|n| MoRef::from_node(&n))
        .unwrap();
    conn.wait_task(ep, req.method(), &task, None).unwrap();
}

/// A VM's devices (`config.hardware.device`) as the server has them now, read on their own.
pub fn vm_devices(conn: &Connection, vm: &MoRef) -> Vec<esx_driver::vi::node::Node> {
    let oc = conn
        .primary()
        .client
        .retrieve_one(vm, &["config.hardware.device"])
        .unwrap()
        .unwrap();
    let hardware = oc.props.path("config.hardware").unwrap();
    hardware.children_named("device").cloned().collect()
}
