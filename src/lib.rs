//! libvirt_esx: libvirt's C API for VMware ESX/ESXi, VMware Server (GSX) and vCenter, spoken
//! directly over the vSphere SOAP API. Layers: `ffi` → `driver` → (`vmx`, `xml`) and `vi`.
//!
//! The Rust API, for programs, command-line tools and the tests:
//! - [`driver`]: libvirt's objects in safe Rust — [`driver::Connection`] (open with a URI and an
//!   authenticator, host facts, listing, lookups, define, conversion) and
//!   [`driver::domain::Domain`] (one VM with its cached state), with libvirt's errors ([`Error`]).
//! - [`abi`]: libvirt's numbers, and the typed flag sets the driver takes.
//! - [`vmx`] and [`xml`]: the VMX ⇄ domain XML converter and libvirt's XML documents.
//! - [`vi`]: the vSphere client underneath (typed methods, property reads, tasks, files).
//! - [`ffi`]: the C exports themselves (`libvirt_esx.so`); the only module with `unsafe` code.
#![deny(unsafe_code)]

pub mod abi;
pub mod driver;
pub mod error;
pub mod event;
#[allow(unsafe_code)]
pub mod ffi;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod local_file;
pub(crate) mod log;
pub(crate) mod uri;
pub mod vi;
pub mod vmx;
pub mod xml;
pub(crate) mod xmltree;

pub use error::{Code, Domain, Error, Result};
