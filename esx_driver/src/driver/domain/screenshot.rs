//! virDomainScreenshot: vSphere's CreateScreenshot_Task writes a PNG of the console into the
//! VM's directory; it is streamed from the datastore's HTTP interface and removed once read.

use super::{PowerState, Vm, invalid_state};
use crate::driver::connection::Connection;
use crate::driver::storage::transfer::{Download, MadeFile};
use crate::error::{Error, Result};
use crate::vi::methods::CreateScreenshot_Task;
use std::sync::Arc;

/// What vSphere's screenshots are.
pub const MIME_TYPE: &str = "image/png";

impl Connection {
    /// The console of a running VM as a PNG, ready to be read.
    pub fn screenshot(self: &Arc<Self>, vm: &Vm) -> Result<Download> {
        let vm = self.current_vm(vm)?;
        if vm.state != PowerState::PoweredOn {
            return Err(invalid_state(format!(
                "domain '{}' is not running; a screenshot needs a running domain",
                vm.name
            )));
        }
        let call = CreateScreenshot_Task {
            this: vm.moref.clone(),
        };
        let result = self
            .run_task(&self.primary, &call, Some(&vm.moref))
            .map_err(|e| Error::internal(format!("Could not take a screenshot: {}", e.detail)))?;
        let path = result
            .map(|n| n.text.trim().to_string())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::internal("CreateScreenshot_Task named no file"))?;
        Download::made(MadeFile {
            conn: self.clone(),
            path,
            at: self.vm_placement(&vm)?.clone(),
        })
    }
}
