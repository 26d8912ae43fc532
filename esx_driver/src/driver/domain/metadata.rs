//! A domain's metadata: the description is the VM's annotation; an application's element
//! is an `extraConfig` entry named for its namespace (see `vmx::metadata`).

use super::Vm;
use crate::driver::connection::Connection;
use crate::error::Result;
use crate::vi::specs::{OptionValue, VirtualMachineConfigSpec};
use crate::vi::types::{Field, XsdString};
use crate::vmx::metadata::key;
use crate::xml::metadata::Metadata;

const API: &str = "virDomainSetMetadata";

impl Connection {
    /// One configuration property of the VM, read now.
    fn config_of(&self, vm: &Vm, path: &str) -> Result<crate::vi::node::Node> {
        self.primary
            .client
            .retrieve_one(&vm.moref, &[path])?
            .map(|oc| oc.props)
            .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))
    }

    /// The VM's annotation: the domain's description.
    pub fn description(&self, vm: &Vm) -> Result<String> {
        let props = self.config_of(vm, "config.annotation")?;
        Ok(props.text_at("config.annotation").unwrap_or("").to_string())
    }

    pub fn set_description(&self, vm: &Vm, text: &str) -> Result<()> {
        let spec = VirtualMachineConfigSpec {
            annotation: Some(text.to_string()),
            ..VirtualMachineConfigSpec::default()
        };
        self.reconfigure(vm, spec, API)
    }

    /// The element kept for namespace `uri`, if any (one that no longer reads as XML in that
    /// namespace counts as none).
    pub fn element_metadata(&self, vm: &Vm, uri: &str) -> Result<Option<Metadata>> {
        let props = self.config_of(vm, "config.extraConfig")?;
        let name = key(uri);
        let entries = Vec::<OptionValue>::read(&props, "config.extraConfig");
        Ok(entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(&name))
            .and_then(|e| Metadata::stored(&e.value.0).ok())
            .filter(|m| m.uri == uri))
    }

    /// Keeps `element` for its namespace, or (None) removes namespace `uri`'s: vSphere drops
    /// an entry set to the empty string.
    pub fn set_element_metadata(
        &self,
        vm: &Vm,
        uri: &str,
        element: Option<&Metadata>,
    ) -> Result<()> {
        let spec = VirtualMachineConfigSpec {
            extra_config: vec![OptionValue {
                key: key(uri),
                value: XsdString(element.map(|m| m.xml.clone()).unwrap_or_default()),
            }],
            ..VirtualMachineConfigSpec::default()
        };
        self.reconfigure(vm, spec, API)
    }
}
