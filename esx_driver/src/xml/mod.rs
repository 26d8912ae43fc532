//! libvirt's XML documents (domain, capabilities, …) as Rust types with parse and format.
//! Output follows libvirt's formatter byte for byte.

pub(crate) mod capabilities;
pub(crate) mod domain;
pub(crate) mod domcaps;
pub mod ids;
pub mod metadata;
pub(crate) mod network;
pub(crate) mod network_def;
pub(crate) mod node_device;
pub(crate) mod reader;
pub(crate) mod snapshot;
pub(crate) mod storage;
pub(crate) mod sysinfo;
pub(crate) mod writer;

/// `text` escaped as libvirt's writer escapes XML text content (for documents a caller builds,
/// such as virsh's snapshot requests).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    writer::escape_into(&mut out, text);
    out
}

/// `text` escaped as libvirt's writer escapes an attribute value.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    writer::escape_attr_into(&mut out, text);
    out
}

/// The element tree the library reads XML with, for callers that read back a document it
/// returned (virsh's device listings read a domain's XML this way).
pub use crate::xmltree::{Element, Names};
