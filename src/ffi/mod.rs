//! The C boundary, one file per libvirt object family: pointers, strings, errors and ownership
//! converted to and from the driver's safe Rust; every export has the one shape of `export!`.

// Parameter names are libvirt's, so the generated header reads like libvirt's own.
#![allow(non_snake_case)]
#![deny(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]

pub mod args;
pub mod companions;
pub mod connection;
pub mod domain;
pub mod error;
pub mod event;
pub mod events;
pub mod export;
pub mod handles;
pub mod interface;
pub mod liveness;
pub mod malloc;
pub mod network;
pub mod node_device;
pub mod snapshot;
pub mod storage;
pub mod typed_params;
pub mod typed_params_helpers;
pub mod types;
/// cbindgen:ignore
pub mod unsupported;
