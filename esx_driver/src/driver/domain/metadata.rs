//! A domain's metadata: the description is the VM's annotation; an application's element
//! is an `extraConfig` entry named for its namespace (see `vmx::metadata`).

use super::Vm;
use crate::driver::connection::Connection;
use crate::driver::domain::Domain;
use crate::driver::domain::tune::reconfigure;
use crate::error::Result;
use crate::vi::specs::{OptionValue, VirtualMachineConfigSpec};
use crate::vi::types::{Field, XsdString};
use crate::vmx::metadata::key;
use crate::xml::metadata::Metadata;

const API: &str = "virDomainSetMetadata";

impl Domain {
    /// The VM's annotation: the domain's description.
    pub fn description(&self) -> Result<String> {
        let (conn, vm) = (self.conn(), &self.cached());
        let props = config_of(conn, vm, "config.annotation")?;
        Ok(props.text_at("config.annotation").unwrap_or("").to_string())
    }

    /// Sets the VM's annotation (`config.annotation`), which is the domain's description.
    pub fn set_description(&self, text: &str) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        let spec = VirtualMachineConfigSpec {
            annotation: Some(text.to_string()),
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, spec, API)
    }

    /// The element kept for namespace `uri`, if any (one that no longer reads as XML in that
    /// namespace counts as none).
    pub fn element_metadata(&self, uri: &str) -> Result<Option<Metadata>> {
        let (conn, vm) = (self.conn(), &self.cached());
        let props = config_of(conn, vm, "config.extraConfig")?;
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
    pub fn set_element_metadata(&self, uri: &str, element: Option<&Metadata>) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        let spec = VirtualMachineConfigSpec {
            extra_config: vec![OptionValue {
                key: key(uri),
                value: XsdString(element.map(|m| m.xml.clone()).unwrap_or_default()),
            }],
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(conn, vm, spec, API)
    }
}

/// One configuration property of the VM, read now.
fn config_of(conn: &Connection, vm: &Vm, path: &str) -> Result<crate::vi::node::Node> {
    conn.primary
        .client
        .retrieve_one(&vm.moref, &[path])?
        .map(|oc| oc.props)
        .ok_or_else(|| super::no_domain(format!("Domain '{}' is gone", vm.name)))
}
