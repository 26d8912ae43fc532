//! libvirt's XML documents (domain, capabilities, …) as Rust types with parse and format.
//! Output follows libvirt's formatter byte for byte.

pub mod capabilities;
pub mod domain;
pub mod ids;
pub mod metadata;
pub mod network;
pub mod network_def;
pub mod reader;
pub mod snapshot;
pub mod storage;
pub mod sysinfo;
pub mod writer;
