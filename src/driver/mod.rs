//! libvirt semantics in safe Rust: connections, hosts, domains.
//! Knows libvirt concepts and vSphere objects; used by `ffi`, usable from Rust directly.

pub mod auth;
pub mod authconf;
pub mod connection;
pub mod convert;
pub mod datastores;
pub mod domain;
pub mod host;
pub mod inventory;
pub mod task;
pub mod vi_error;

pub use connection::{Connection, Endpoint, Product};
pub use datastores::LiveDatastores;
pub use host::NodeInfo;

use crate::error::{Code, Domain, Error, Result};

/// Refuses flags an API does not know, as libvirt's virCheckFlags does.
pub fn check_flags(flags: u32, allowed: u32, api: &str) -> Result<()> {
    let unknown = flags & !allowed;
    if unknown != 0 {
        return Err(Error::new(
            Code::InvalidArg,
            Domain::None,
            format!("{api}: unsupported flags (0x{unknown:x})"),
        ));
    }
    Ok(())
}
