//! One logged-in vSphere session of a connection: its client, what the server is, and the part
//! of the inventory the connection covers; a `vcenter=` connection holds two.

use super::Product;
use super::inventory::{Placement, Scope};
use crate::error::{Code, Error, Result};
use crate::vi::{Client, MoRef};

/// One logged-in vSphere endpoint and the part of its inventory the connection covers.
pub struct Endpoint {
    pub client: Client,
    pub product: Product,
    pub scope: Scope,
}

impl Endpoint {
    /// The host of a one-host scope; above one host, `what` is not available
    /// (`VIR_ERR_NO_SUPPORT`), as there is no single host to describe.
    pub(crate) fn single_host(&self, what: &str) -> Result<&Placement> {
        self.scope.host().ok_or_else(|| {
            Error::esx(
                Code::NoSupport,
                format!(
                    "{what} is not available for a scope above one host; connect to \
                     vpx://VC/DATACENTER/[CLUSTER/]HOST for it"
                ),
            )
        })
    }

    /// Every host of the scope with its placement (read when first needed).
    pub(crate) fn hosts(&self) -> Result<&[Placement]> {
        self.scope.hosts(&self.client)
    }

    /// The references of the scope's hosts (read when first needed).
    pub(crate) fn host_refs(&self) -> Result<Vec<MoRef>> {
        self.scope.host_refs(&self.client)
    }

    /// Whether `host` is one of the scope's hosts.
    pub(crate) fn in_scope(&self, host: &MoRef) -> Result<bool> {
        Ok(self.scope.placement_of(&self.client, host)?.is_some())
    }

    /// Where a host of the scope lives; a host outside the scope is an error naming it.
    pub(crate) fn placement_of(&self, host: &MoRef) -> Result<&Placement> {
        self.scope.placement_of(&self.client, host)?.ok_or_else(|| {
            Error::esx(
                Code::OperationInvalid,
                format!("host '{}' is outside this connection's scope", host.value),
            )
        })
    }
}
