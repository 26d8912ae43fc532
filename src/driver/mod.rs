//! libvirt semantics in safe Rust: connections, hosts, domains.
//! Knows libvirt concepts and vSphere objects; used by `ffi`, usable from Rust directly.

pub mod authconf;
