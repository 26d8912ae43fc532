//! The VMX file format and the VMX ⇄ libvirt domain conversion, as libvirt's vmx.c does it.
//! Pure and offline: datastore paths are mapped through a trait the caller provides.

pub(crate) mod charset;
pub(crate) mod datastore;
mod devices;
pub(crate) mod escape;
pub(crate) mod file;
mod format;
pub(crate) mod metadata;
mod parse;
#[cfg(any(test, feature = "test-support", feature = "fuzzing"))]
pub mod test_support;
pub(crate) mod version;

pub use datastore::{DatastorePath, DatastorePaths};
pub(crate) use devices::disk::{full_sd_targets, slot as disk_slot, slot_target as disk_target};

use crate::error::{Code, Domain, Error, Result};
use crate::xml::domain::DomainDef;

/// The domain XML the VMX reader writes, and so what a round trip keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// libvirt's output plus what libvirt's converter drops: USB controllers, sound, the vTPM,
    /// the virtual hardware version, and SATA and wide-SCSI targets of their own.
    #[default]
    Full,
    /// libvirt 9.0's converter's output byte for byte (URI `converter=libvirt`), for callers
    /// that compare it with libvirt's.
    Libvirt,
}

/// vmx.c reports its conversion errors without an error domain.
pub(crate) fn vmx_error(detail: impl Into<String>) -> Error {
    Error::new(Code::InternalError, Domain::None, detail)
}

/// What VMware cannot express is a configuration error, not an internal one.
pub(crate) fn vmx_unsupported(detail: impl Into<String>) -> Error {
    Error::new(Code::ConfigUnsupported, Domain::None, detail)
}

/// Reads a VMX file into a domain definition (libvirt's virVMXParseConfig).
pub(crate) fn vmx_to_domain_def(vmx_text: &[u8], ctx: &dyn DatastorePaths) -> Result<DomainDef> {
    parse::parse_vmx(&file::VmxFile::parse(vmx_text)?, ctx)
}

/// VMX → domain XML, as `virConnectDomainXMLFromNative("vmware-vmx", …)` returns it.
pub fn vmx_to_domain_xml(vmx_text: &[u8], ctx: &dyn DatastorePaths) -> Result<String> {
    Ok(vmx_to_domain_def(vmx_text, ctx)?.format())
}

/// Writes a domain definition as a VMX file (libvirt's virVMXFormatConfig): for the virtual
/// hardware version the definition keeps (`<vmware:virtualhw>`, when it came from a VMX
/// file), else for `virtual_hw_version`, the newest the target runs.
pub(crate) fn domain_def_to_vmx(
    def: &DomainDef,
    ctx: &dyn DatastorePaths,
    virtual_hw_version: i32,
) -> Result<String> {
    let newest = version::HwVersion::for_output(virtual_hw_version)?;
    let hw = match def.vmware.virtual_hw {
        None => newest,
        Some(kept) => version::HwVersion::kept(kept, newest)?,
    };
    format::format_vmx(def, ctx, hw)
}

/// Domain XML → VMX, as `virConnectDomainXMLToNative("vmware-vmx", …)` returns it.
pub fn domain_xml_to_vmx(
    xml: &str,
    ctx: &dyn DatastorePaths,
    virtual_hw_version: i32,
) -> Result<String> {
    domain_def_to_vmx(&DomainDef::parse(xml)?, ctx, virtual_hw_version)
}
