//! esx_driver: libvirt's ESX driver in safe Rust — VMware ESX/ESXi, VMware Server (GSX) and
//! vCenter driven over the vSphere SOAP API. Layers: `driver` → (`vmx`, `xml`) and `vi`.
//!
//! The crate the C library `libvirt_esx.so` is built on (its `ffi`, one folder up, is the only
//! code with `unsafe`); a Rust program uses it directly:
//! - [`driver`]: libvirt's objects — [`driver::Connection`] (open with a URI and an
//!   authenticator, host facts, listing, lookups, define, conversion) and
//!   [`driver::domain::Domain`] (one VM with its cached state), with libvirt's errors ([`Error`]).
//! - [`abi`]: libvirt's numbers, and the typed flag sets the driver takes.
//! - [`vmx`] and [`xml`]: the VMX ⇄ domain XML converter and libvirt's XML documents.
//! - [`vi`]: the vSphere client underneath (typed methods, property reads, tasks, files).
//! - [`event`]: the event loop libvirt's callers drive (poll(2) through rustix).
#![forbid(unsafe_code)]

pub mod abi;
pub mod driver;
pub mod error;
pub mod event;
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
