//! The connection's sessions for the tests (feature `test-support`): the raw client and the scope
//! behind a connection, so that a test reads the server's own view instead of the driver's.

use super::{Connection, Endpoint};

impl Connection {
    /// The session the connection's calls go to.
    pub fn primary(&self) -> &Endpoint {
        &self.primary
    }

    /// The vCenter session of a `vcenter=` connection.
    pub fn vcenter(&self) -> Option<&Endpoint> {
        self.vcenter.as_ref()
    }
}
