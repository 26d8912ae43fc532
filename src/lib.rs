//! libvirt_esx: libvirt's C API for VMware ESX/ESXi, VMware Server (GSX) and vCenter, spoken
//! directly over the vSphere SOAP API — the C ABI over the safe core crate `esx_driver`.
//!
//! - [`ffi`]: the C exports themselves (`libvirt_esx.so`); the only module with `unsafe` code.
//! - The core's modules are re-exported under their names (`virt_esx::driver`, `::vmx`, …), so
//!   the C layer and the tests reach them as before; a Rust program depends on `esx_driver`.
#![deny(unsafe_code)]

#[allow(unsafe_code)]
pub mod ffi;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub use esx_driver::fuzzing;
pub use esx_driver::{Code, Domain, Error, Result, abi, driver, error, event, vmx, xml};
