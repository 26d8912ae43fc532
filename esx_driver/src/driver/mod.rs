//! libvirt semantics in safe Rust, one module per libvirt object (connection, host, domain),
//! knowing libvirt concepts and vSphere objects; used by `ffi`, usable from Rust directly.

pub mod connection;
pub mod datastores;
pub mod domain;
pub mod events;
pub mod freshness;
pub mod interface;
pub mod jobs;
pub mod liveness;
pub mod migrate;
pub mod network;
pub mod perf;
pub mod snapshot;
pub mod storage;
pub mod vi_error;

pub use connection::host::NodeInfo;
pub use connection::{Connection, Endpoint, Product};
pub use datastores::LiveDatastores;
