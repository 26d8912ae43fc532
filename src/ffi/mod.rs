//! The C boundary: raw pointers to Rust values and back, malloc-owned strings, handles,
//! the thread-local last error and panic containment. No logic lives here.

// Parameter names are libvirt's, so the generated header reads like libvirt's own.
#![allow(non_snake_case)]

pub mod abi_enums;
pub mod auth;
pub mod boundary;
pub mod connect;
pub mod convert;
pub mod domain;
pub mod domain_guest;
pub mod domain_state;
pub mod domain_tune;
pub mod domain_xml;
pub mod error;
pub mod handles;
pub mod host;
pub mod types;
