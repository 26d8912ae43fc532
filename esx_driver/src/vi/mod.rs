//! vSphere Web Services client without libvirt concepts: transport, SOAP, types, session,
//! inventory, tasks and datastore file transfer.

pub mod client;
pub mod data;
pub mod datetime;
pub mod error;
pub mod events;
pub mod files;
pub mod methods;
pub mod node;
pub mod perf;
pub mod property;
pub mod soap;
pub mod specs;
pub mod task;
pub mod transport;
pub mod types;
pub mod updates;
pub mod views;
pub mod write;

pub use client::Client;
pub use error::{Error, ErrorKind, Fault, Result};
pub use methods::Method;
pub use node::Node;
pub use soap::MoRef;
