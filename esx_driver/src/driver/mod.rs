//! libvirt semantics in safe Rust, one module per libvirt object (connection, host, domain),
//! knowing libvirt concepts and vSphere objects; used by `ffi`, usable from Rust directly.

pub mod connection;
pub(crate) mod datastores;
pub mod domain;
pub mod events;
pub(crate) mod freshness;
pub mod interface;
pub mod jobs;
pub(crate) mod liveness;
pub mod network;
pub mod node_device;
pub(crate) mod perf;
pub mod snapshot;
pub mod storage;
pub mod typed;
pub(crate) mod vi_error;

pub use connection::host::NodeInfo;
pub use connection::{Connection, Product};
pub use typed::TypedValue;
