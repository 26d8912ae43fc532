//! Lifecycle extras: create (define and start), managed save (vSphere's suspend to the VM's
//! own files) and rename.

use super::power::PowerOp;
use super::{PowerState, Vm, invalid_state};
use crate::driver::connection::Connection;
use crate::driver::domain::Domain;
use crate::driver::domain::current_state;
use crate::driver::domain::power::power;
use crate::driver::domain::tune::reconfigure;
use crate::error::{Code, Error, Result};
use crate::vi::specs::VirtualMachineConfigSpec;

impl Domain {
    /// virDomainManagedSave: the running VM suspended to its own files.
    pub fn managed_save(&self) -> Result<Vm> {
        self.conn().check_writable("virDomainManagedSave")?;
        self.change(|conn, vm| {
            let now = current_state(conn, vm)?;
            if now.state != PowerState::PoweredOn {
                return Err(invalid_state("domain is not running"));
            }
            power(conn, &now, PowerOp::Suspend)
        })
    }

    /// virDomainHasManagedSaveImage: whether the VM is suspended (a state read just now, as
    /// `dominfo`'s, answers it without another round trip).
    pub fn has_managed_save(&self) -> Result<bool> {
        Ok(self.current_state()?.state == PowerState::Suspended)
    }

    /// virDomainManagedSaveRemove: the suspended state discarded (the VM powered off).
    pub fn managed_save_remove(&self) -> Result<Vm> {
        self.conn().check_writable("virDomainManagedSaveRemove")?;
        self.change(|conn, vm| {
            let now = conn.refresh_vm(&vm.moref)?;
            if now.state != PowerState::Suspended {
                return Err(invalid_state(format!(
                    "domain '{}' has no managed save image",
                    now.name
                )));
            }
            power(conn, &now, PowerOp::Destroy)
        })
    }

    /// virDomainRename: the VM's name in the inventory (and its .vmx), refused when another
    /// domain has it.
    pub fn rename(&self, name: &str) -> Result<Vm> {
        self.change(|conn, vm| {
            let api = "virDomainRename";
            if name.is_empty() {
                return Err(Error::invalid_arg("a domain name must be non-empty"));
            }
            super::check_name(name, Code::InvalidArg)?;
            if let Some(other) = named(conn, name)? {
                return Err(Error::esx(
                    Code::OperationInvalid,
                    format!("domain with name '{}' already exists", other.name),
                ));
            }
            let spec = VirtualMachineConfigSpec {
                name: Some(super::escape_name(name)),
                ..VirtualMachineConfigSpec::default()
            };
            reconfigure(conn, vm, spec, api)?;
            conn.refresh_vm(&vm.moref)
        })
    }
}

/// A domain (or template) of this name, if there is one.
fn named(conn: &Connection, name: &str) -> Result<Option<Vm>> {
    let (vms, _) = conn.list_vms(crate::driver::connection::vms::WITH_TEMPLATES)?;
    Ok(vms.into_iter().find(|v| v.name == name))
}
