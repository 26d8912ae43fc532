//! Property views of the inventory: entities, their names and a host's connection state.

use crate::vi::soap::MoRef;
use crate::vi::types::vim_type;

vim_type!(Entity {
    name: String = "name",
    parent: Option<MoRef> = "parent",
    vm_folder: Option<MoRef> = "vmFolder",
    host_folder: Option<MoRef> = "hostFolder",
    resource_pool: Option<MoRef> = "resourcePool",
    management_server_ip: String = "summary.managementServerIp",
    autostart_manager: Option<MoRef> = "configManager.autoStartManager",
});
