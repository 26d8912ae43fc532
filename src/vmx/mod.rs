//! The VMX file format and the VMX ⇄ libvirt domain conversion, as libvirt's vmx.c does it.
//! Pure and offline: datastore paths are mapped through a trait the caller provides.

pub mod charset;
pub mod escape;
pub mod file;

use crate::error::{Code, Domain, Error};

/// vmx.c reports its conversion errors without an error domain.
pub(crate) fn vmx_error(detail: impl Into<String>) -> Error {
    Error::new(Code::InternalError, Domain::None, detail)
}
