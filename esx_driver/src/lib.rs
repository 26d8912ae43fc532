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
//! - [`event`]: the event loop libvirt's callers drive (poll(2) through rustix).
//!
//! The vSphere client underneath (`vi`: typed methods, property reads, tasks, files) is the
//! crate's own; the feature `test-support` opens it, and `testing`, to the project's tests.
#![forbid(unsafe_code)]
// Everything a caller can reach is documented; the test hooks are not the API.
#![cfg_attr(not(feature = "test-support"), deny(missing_docs))]

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
// The vSphere client is the driver's own; tests that check the server's own view reach it
// through the `test-support` feature (a dev-dependency), never through a normal build.
#[cfg(feature = "test-support")]
pub mod testing;
#[cfg(not(feature = "test-support"))]
pub(crate) mod vi;
#[cfg(feature = "test-support")]
pub mod vi;
pub mod vmx;
pub mod xml;
pub(crate) mod xmltree;

pub use error::{Code, Domain, Error, Result};
/// The vSphere managed object a VM, snapshot or datastore is (its type and id, `vm-42`).
pub use vi::MoRef;
