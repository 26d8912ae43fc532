//! The vSphere methods we call, one compact row each (`vim_method!`, after libvirt's
//! esx_vi_generator.input): name, `_this` type, parameters in WSDL order, return type.

use super::data::{ConfigTarget, VirtualMachineConfigOption, VirtualMachineConfigOptionDescriptor};
use super::error::{Error, Result};
use super::events::EventFilterSpec;
use super::node::Node;
use super::perf::{PerfEntityMetric, PerfQuerySpec};
use super::property::{
    PropertyFilterSpec, RetrieveOptions, RetrieveResult, UpdateSet, WaitOptions,
};
use super::soap::{MoRef, Request};
use super::specs::{
    EnvironmentBrowserConfigOptionQuerySpec, FileBackedVirtualDiskSpec, HostAutoStartManagerConfig,
    HostDatastoreBrowserSearchSpec, HostNasVolumeSpec, HostPciPassthruConfig, HostPortGroupSpec,
    HostVirtualSwitchSpec, UsbScanCodeSpec, VirtualDiskSpec, VirtualMachineConfigSpec,
    VirtualMachineRelocateSpec,
};
use super::types::{FromNode, ServiceContent, UserSession};
use secrecy::SecretString;
use std::borrow::Cow;

/// A call ready to send: its request body and what its `returnval` is read into.
pub trait Method {
    type Returns: FromReturn;
    fn name(&self) -> &'static str;
    fn request(&self) -> Cow<'_, Request>;
}

/// A hand-assembled request: its `returnval` comes back as raw XML.
impl Method for Request {
    type Returns = Option<Node>;
    fn name(&self) -> &'static str {
        self.method()
    }
    fn request(&self) -> Cow<'_, Request> {
        Cow::Borrowed(self)
    }
}

/// A method's return value read from its `<MethodResponse>`.
pub trait FromReturn: Sized {
    fn from_return(method: &str, resp: &Node) -> Result<Self>;
}

/// A return value the method always has; its absence is a protocol error.
pub fn required<T: FromNode>(method: &str, resp: &Node) -> Result<T> {
    resp.child("returnval")
        .and_then(T::from_node)
        .ok_or_else(|| Error::protocol(format!("{method} returned nothing")))
}

impl FromReturn for () {
    fn from_return(_: &str, _: &Node) -> Result<Self> {
        Ok(())
    }
}

impl<T: FromNode> FromReturn for Option<T> {
    fn from_return(_: &str, resp: &Node) -> Result<Self> {
        Ok(resp.child("returnval").and_then(T::from_node))
    }
}

impl<T: FromNode> FromReturn for Vec<T> {
    fn from_return(_: &str, resp: &Node) -> Result<Self> {
        Ok(resp
            .children_named("returnval")
            .filter_map(T::from_node)
            .collect())
    }
}

macro_rules! required_return {
    ($($t:ty),*) => {$(
        impl FromReturn for $t {
            fn from_return(method: &str, resp: &Node) -> Result<Self> {
                required(method, resp)
            }
        }
    )*};
}
required_return!(MoRef, String, bool, i32, i64);

/// `Name(ThisType) { field: Type = "wsdlName", ... } -> Returns;` makes a struct `Name` with
/// `this` and the fields, whose request writes them in the order given (the WSDL's).
macro_rules! vim_method {
    ($($(#[$meta:meta])* $name:ident ($this:ident)
        $({ $($field:ident : $ty:ty = $wsdl:literal),* $(,)? })? -> $ret:ty;)*) => {$(
        $(#[$meta])*
        #[doc = concat!("\n\n`", stringify!($name), "` on a `", stringify!($this), "`.")]
        #[allow(non_camel_case_types)]
        #[derive(Debug)]
        pub struct $name {
            pub this: MoRef,
            $($(pub $field: $ty,)*)?
        }

        impl $name {
            #[allow(dead_code)]
            pub const THIS: &'static str = stringify!($this);
        }

        impl Method for $name {
            type Returns = $ret;
            fn name(&self) -> &'static str {
                stringify!($name)
            }
            fn request(&self) -> Cow<'_, Request> {
                #[allow(unused_mut)]
                let mut req = Request::new(stringify!($name), &self.this);
                $($($crate::vi::write::ToXml::write(&self.$field, &mut req, $wsdl);)*)?
                Cow::Owned(req)
            }
        }
    )*};
}

vim_method! {
    RetrieveServiceContent(ServiceInstance) -> ServiceContent;
    CurrentTime(ServiceInstance) -> String;
    /// The password is written straight into the request, which is zeroized when dropped.
    Login(SessionManager) {
        user_name: String = "userName",
        password: SecretString = "password",
        locale: Option<String> = "locale",
    } -> Option<UserSession>;
    Logout(SessionManager) -> ();

    RetrievePropertiesEx(PropertyCollector) {
        spec_set: Vec<PropertyFilterSpec> = "specSet",
        options: RetrieveOptions = "options",
    } -> Option<RetrieveResult>;
    ContinueRetrievePropertiesEx(PropertyCollector) { token: String = "token" } -> Option<RetrieveResult>;
    CreatePropertyCollector(PropertyCollector) -> MoRef;
    DestroyPropertyCollector(PropertyCollector) -> ();
    CancelWaitForUpdates(PropertyCollector) -> ();
    CreateCollectorForEvents(EventManager) { filter: EventFilterSpec = "filter" } -> MoRef;
    SetCollectorPageSize(EventHistoryCollector) { max_count: i32 = "maxCount" } -> ();
    DestroyCollector(EventHistoryCollector) -> ();
    QueryPerf(PerformanceManager) {
        query_spec: Vec<PerfQuerySpec> = "querySpec",
    } -> Vec<PerfEntityMetric>;
    CreateFilter(PropertyCollector) {
        spec: PropertyFilterSpec = "spec",
        partial_updates: bool = "partialUpdates",
    } -> MoRef;
    /// `None` when the wait ended on the server without news.
    WaitForUpdatesEx(PropertyCollector) {
        version: Option<String> = "version",
        options: Option<WaitOptions> = "options",
    } -> Option<UpdateSet>;

    FindByIp(SearchIndex) {
        datacenter: Option<MoRef> = "datacenter",
        ip: String = "ip",
        vm_search: bool = "vmSearch",
    } -> Option<MoRef>;
    FindByUuid(SearchIndex) {
        datacenter: Option<MoRef> = "datacenter",
        uuid: String = "uuid",
        vm_search: bool = "vmSearch",
        instance_uuid: Option<bool> = "instanceUuid",
    } -> Option<MoRef>;

    PowerOnVM_Task(VirtualMachine) { host: Option<MoRef> = "host" } -> MoRef;
    PowerOffVM_Task(VirtualMachine) -> MoRef;
    SuspendVM_Task(VirtualMachine) -> MoRef;
    ResetVM_Task(VirtualMachine) -> MoRef;
    CreateScreenshot_Task(VirtualMachine) -> MoRef;
    /// How many key events were typed.
    PutUsbScanCodes(VirtualMachine) { spec: UsbScanCodeSpec = "spec" } -> i32;
    ShutdownGuest(VirtualMachine) -> ();
    RebootGuest(VirtualMachine) -> ();
    AnswerVM(VirtualMachine) {
        question_id: String = "questionId",
        answer_choice: String = "answerChoice",
    } -> ();
    ReconfigVM_Task(VirtualMachine) { spec: VirtualMachineConfigSpec = "spec" } -> MoRef;
    RelocateVM_Task(VirtualMachine) {
        spec: VirtualMachineRelocateSpec = "spec",
        priority: Option<String> = "priority",
    } -> MoRef;
    reloadVirtualMachineFromPath_Task(VirtualMachine) {
        configuration_path: String = "configurationPath",
    } -> MoRef;
    CreateSnapshot_Task(VirtualMachine) {
        name: String = "name",
        description: Option<String> = "description",
        memory: bool = "memory",
        quiesce: bool = "quiesce",
    } -> MoRef;
    RevertToSnapshot_Task(VirtualMachineSnapshot) {
        host: Option<MoRef> = "host",
        suppress_power_on: Option<bool> = "suppressPowerOn",
    } -> MoRef;
    RemoveSnapshot_Task(VirtualMachineSnapshot) {
        remove_children: bool = "removeChildren",
        consolidate: Option<bool> = "consolidate",
    } -> MoRef;
    UnregisterVM(VirtualMachine) -> ();
    RegisterVM_Task(Folder) {
        path: String = "path",
        name: Option<String> = "name",
        as_template: bool = "asTemplate",
        pool: Option<MoRef> = "pool",
        host: Option<MoRef> = "host",
    } -> MoRef;
    CancelTask(Task) -> ();

    QueryConfigOptionEx(EnvironmentBrowser) {
        spec: Option<EnvironmentBrowserConfigOptionQuerySpec> = "spec",
    } -> Option<VirtualMachineConfigOption>;
    QueryConfigOptionDescriptor(EnvironmentBrowser) -> Vec<VirtualMachineConfigOptionDescriptor>;
    QueryConfigTarget(EnvironmentBrowser) { host: Option<MoRef> = "host" } -> ConfigTarget;

    RefreshDatastore(Datastore) -> ();
    RescanHba(HostStorageSystem) { hba_device: String = "hbaDevice" } -> ();
    CreateNasDatastore(HostDatastoreSystem) { spec: HostNasVolumeSpec = "spec" } -> MoRef;
    RemoveDatastore(HostDatastoreSystem) { datastore: MoRef = "datastore" } -> ();
    AddVirtualSwitch(HostNetworkSystem) {
        vswitch_name: String = "vswitchName",
        spec: Option<HostVirtualSwitchSpec> = "spec",
    } -> ();
    RemoveVirtualSwitch(HostNetworkSystem) { vswitch_name: String = "vswitchName" } -> ();
    AddPortGroup(HostNetworkSystem) { portgrp: HostPortGroupSpec = "portgrp" } -> ();
    UpdatePortGroup(HostNetworkSystem) {
        pg_name: String = "pgName",
        portgrp: HostPortGroupSpec = "portgrp",
    } -> ();
    RemovePortGroup(HostNetworkSystem) { pg_name: String = "pgName" } -> ();
    ReconfigureAutostart(HostAutoStartManager) { spec: HostAutoStartManagerConfig = "spec" } -> ();
    UpdatePassthruConfig(HostPciPassthruSystem) {
        config: Vec<HostPciPassthruConfig> = "config",
    } -> ();
    SearchDatastore_Task(HostDatastoreBrowser) {
        datastore_path: String = "datastorePath",
        search_spec: Option<HostDatastoreBrowserSearchSpec> = "searchSpec",
    } -> MoRef;
    SearchDatastoreSubFolders_Task(HostDatastoreBrowser) {
        datastore_path: String = "datastorePath",
        search_spec: Option<HostDatastoreBrowserSearchSpec> = "searchSpec",
    } -> MoRef;
    QueryVirtualDiskUuid(VirtualDiskManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
    } -> String;
    CreateVirtualDisk_Task(VirtualDiskManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
        spec: FileBackedVirtualDiskSpec = "spec",
    } -> MoRef;
    CopyVirtualDisk_Task(VirtualDiskManager) {
        source_name: String = "sourceName",
        source_datacenter: Option<MoRef> = "sourceDatacenter",
        dest_name: String = "destName",
        dest_datacenter: Option<MoRef> = "destDatacenter",
        dest_spec: Option<VirtualDiskSpec> = "destSpec",
        force: Option<bool> = "force",
    } -> MoRef;
    DeleteVirtualDisk_Task(VirtualDiskManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
    } -> MoRef;
    ZeroFillVirtualDisk_Task(VirtualDiskManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
    } -> MoRef;
    ExtendVirtualDisk_Task(VirtualDiskManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
        new_capacity_kb: i64 = "newCapacityKb",
        eager_zero: Option<bool> = "eagerZero",
    } -> MoRef;
    CopyDatastoreFile_Task(FileManager) {
        source_name: String = "sourceName",
        source_datacenter: Option<MoRef> = "sourceDatacenter",
        destination_name: String = "destinationName",
        destination_datacenter: Option<MoRef> = "destinationDatacenter",
        force: Option<bool> = "force",
    } -> MoRef;
    MoveDatastoreFile_Task(FileManager) {
        source_name: String = "sourceName",
        source_datacenter: Option<MoRef> = "sourceDatacenter",
        destination_name: String = "destinationName",
        destination_datacenter: Option<MoRef> = "destinationDatacenter",
        force: Option<bool> = "force",
    } -> MoRef;
    MakeDirectory(FileManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
        create_parent_directories: Option<bool> = "createParentDirectories",
    } -> ();
    DeleteDatastoreFile_Task(FileManager) {
        name: String = "name",
        datacenter: Option<MoRef> = "datacenter",
    } -> MoRef;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(m: &impl Method) -> String {
        m.request().envelope()
    }

    #[test]
    fn rows_write_this_then_parameters_in_order() {
        let env = body(&RegisterVM_Task {
            this: MoRef::new("Folder", "f-1"),
            path: "[ds] a/a.vmx".into(),
            name: None,
            as_template: false,
            pool: Some(MoRef::new("ResourcePool", "rp-1")),
            host: None,
        });
        assert!(
            env.contains(
                "<RegisterVM_Task xmlns=\"urn:vim25\"><_this type=\"Folder\">f-1</_this>\
                 <path>[ds] a/a.vmx</path><asTemplate>false</asTemplate>\
                 <pool type=\"ResourcePool\">rp-1</pool></RegisterVM_Task>"
            ),
            "{env}"
        );
        assert_eq!(RegisterVM_Task::THIS, "Folder");
    }

    #[test]
    fn login_escapes_the_password() {
        let env = body(&Login {
            this: MoRef::new("SessionManager", "sm"),
            user_name: "root".into(),
            password: SecretString::from("a<b&\"c'"),
            locale: None,
        });
        assert!(env.contains(
            "<userName>root</userName><password>a&lt;b&amp;&quot;c&apos;</password></Login>"
        ));
    }

    #[test]
    fn returns_are_read_from_returnval() {
        let resp =
            crate::vi::node::parse("<R><returnval type='Task'>task-1</returnval></R>").unwrap();
        assert_eq!(
            MoRef::from_return("X", &resp).unwrap(),
            MoRef::new("Task", "task-1")
        );
        let empty = crate::vi::node::parse("<R/>").unwrap();
        assert_eq!(Option::<MoRef>::from_return("X", &empty).unwrap(), None);
        assert_eq!(
            MoRef::from_return("X", &empty).unwrap_err().detail,
            "X returned nothing"
        );
        assert!(Vec::<MoRef>::from_return("X", &empty).unwrap().is_empty());
    }
}
