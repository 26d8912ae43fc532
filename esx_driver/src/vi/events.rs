//! EventManager's data: the filter event collectors are made with, and the VM events read
//! from a collector's `latestPage` (their type, key, VM and reconfiguration).

use super::node::Node;
use super::soap::MoRef;
use super::types::{FromNode, vim_type};

// WSDL order: disableFullMessage comes before eventTypeId.
vim_type!(write EventFilterSpec {
    disable_full_message: Option<bool> = "disableFullMessage",
    event_type_id: Vec<String> = "eventTypeId",
});

vim_type!(EventFields {
    key: i32 = "key",
    vm: Option<MoRef> = "vm.vm",
});

// One change of a reconfiguration: `add`, `remove` or `edit`, and the device as sent.
vim_type!(DeviceChange {
    operation: String = "operation",
    device: Option<Node> = "device",
});

/// A VM event from a collector's page: its type (`VmGuestRebootEvent`, …), key and VM, and
/// for a reconfiguration the device changes it made.
#[derive(Debug, Clone, PartialEq)]
pub struct VmEvent {
    pub kind: String,
    pub key: i32,
    pub vm: MoRef,
    pub device_changes: Vec<DeviceChange>,
}

impl VmEvent {
    /// The VM events of a `latestPage` value (others, and events without a VM, left out).
    pub fn page(val: &Node) -> Vec<VmEvent> {
        val.children
            .iter()
            .filter_map(|e| {
                let f = EventFields::from_node(e)?;
                Some(VmEvent {
                    kind: e.xsi_type.as_deref().unwrap_or_default().to_string(),
                    key: f.key,
                    vm: f.vm?,
                    device_changes: e
                        .path("configSpec")
                        .map(|s| s.children_named("deviceChange"))
                        .into_iter()
                        .flatten()
                        .filter_map(DeviceChange::from_node)
                        .collect(),
                })
            })
            .collect()
    }
}
