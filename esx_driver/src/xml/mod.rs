//! libvirt's XML documents (domain, capabilities, …) as Rust types with parse and format.
//! Output follows libvirt's formatter byte for byte.

pub(crate) mod capabilities;
pub(crate) mod domain;
pub mod ids;
pub mod metadata;
pub(crate) mod network;
pub(crate) mod network_def;
pub(crate) mod reader;
pub(crate) mod snapshot;
pub(crate) mod storage;
pub(crate) mod sysinfo;
pub(crate) mod writer;
