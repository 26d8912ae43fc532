//! libvirt's XML documents (domain, capabilities, …) as Rust types with parse and format.
//! Output follows libvirt's formatter byte for byte.

pub mod text;

pub use text::{escape_text, format_uuid, parse_uuid};
