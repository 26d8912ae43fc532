//! libvirt_esx: libvirt's C API for VMware ESX/ESXi, VMware Server (GSX) and vCenter, spoken
//! directly over the vSphere SOAP API. Layers: `ffi` → `driver` → (`vmx`, `xml`) and `vi`.

pub mod abi;
pub mod driver;
pub mod error;
pub mod ffi;
pub mod uri;
pub mod vi;
pub mod vmx;
pub mod xml;
pub mod xmltree;

pub use error::{Code, Domain, Error, Result};
