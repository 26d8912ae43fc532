//! Test hooks (feature `test-support`, never in a normal build): the internals the project's
//! tests use to check the server's own view after a call, and the converter pieces they drive.

pub use crate::driver::connection::endpoint::Endpoint;
pub use crate::driver::connection::inventory::{Placement, Scope, ScopeKind};
pub use crate::driver::datastores::LiveDatastores;
pub use crate::driver::domain::listing::Listing;
pub use crate::driver::freshness::FRESH_FOR;
pub use crate::vmx::file::VmxFile;
pub use crate::vmx::metadata::key as metadata_key;
pub use crate::xml::domain::{DiskBus, DomainDef};

use crate::driver::Connection;
use crate::error::Result;
use crate::vi::{MoRef, Node, methods::Method};

/// Runs a task-returning request on one of the connection's endpoints, as the driver does.
pub fn run_task(
    conn: &Connection,
    ep: &Endpoint,
    call: &impl Method,
    vm: Option<&MoRef>,
) -> Result<Option<Node>> {
    conn.run_task(ep, call, vm)
}

/// The hosts the connection covers, as the driver reads datastores for them.
pub fn scope_hosts(conn: &Connection) -> Vec<&Placement> {
    conn.scope_hosts().expect("the scope's hosts")
}
