//! virDomainScreenshot: vSphere's CreateScreenshot_Task writes a PNG of the console into the
//! VM's directory; it is streamed from the datastore's HTTP interface and removed once read.

use super::{Domain, PowerState, invalid_state};
use crate::driver::domain::current_vm;
use crate::driver::domain::vm_placement;
use crate::driver::storage::transfer::{Download, MadeFile};
use crate::error::{Error, Result};
use crate::vi::methods::CreateScreenshot_Task;

/// What vSphere's screenshots are.
pub const MIME_TYPE: &str = "image/png";

impl Domain {
    /// The console of a running VM as a PNG, ready to be read.
    pub fn screenshot(&self) -> Result<Download> {
        self.conn().check_writable("virDomainScreenshot")?;
        let conn = self.conn();
        let vm = current_vm(conn, &self.cached())?;
        if vm.state != PowerState::PoweredOn {
            return Err(invalid_state(format!(
                "domain '{}' is not running; a screenshot needs a running domain",
                vm.name
            )));
        }
        let call = CreateScreenshot_Task {
            this: vm.moref.clone(),
        };
        let result = conn
            .run_task(&conn.primary, &call, Some(&vm.moref))
            .map_err(|e| Error::internal(format!("Could not take a screenshot: {}", e.detail)))?;
        let path = result
            .map(|n| n.text.trim().to_string())
            .filter(|p| !p.is_empty())
            .ok_or_else(|| Error::internal("CreateScreenshot_Task named no file"))?;
        Download::made(MadeFile {
            conn: conn.clone(),
            path,
            at: vm_placement(conn, &vm)?.clone(),
        })
    }
}
