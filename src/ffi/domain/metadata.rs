//! Domain metadata through the C API: the description and applications' elements, kept in
//! the VM's annotation and extra configuration (the driver's domain/metadata.rs).

use crate::abi::enums::virDomainMetadataType as Meta;
use crate::abi::flags::AffectFlags;
use crate::error::{Code, Error, Result};
use crate::ffi::args::{flags, in_opt_str, in_str};
use crate::ffi::export::export;
use crate::ffi::malloc::owned_c_string;
use crate::ffi::types::virDomainPtr;
use crate::xml::metadata::Metadata;
use std::ffi::{c_char, c_int, c_uint};
use std::ptr;

fn kind_of(kind: c_int) -> Result<Kind> {
    match kind {
        k if k == Meta::VIR_DOMAIN_METADATA_DESCRIPTION as c_int => Ok(Kind::Description),
        k if k == Meta::VIR_DOMAIN_METADATA_ELEMENT as c_int => Ok(Kind::Element),
        k if k == Meta::VIR_DOMAIN_METADATA_TITLE as c_int => Err(Error::esx(
            Code::NoSupport,
            "vSphere keeps no title apart from the VM's name; use the description \
             (VIR_DOMAIN_METADATA_DESCRIPTION, the VM's annotation)",
        )),
        other => Err(Error::invalid_arg(format!("unknown metadata type {other}"))),
    }
}

fn no_metadata(what: &str) -> Error {
    Error::esx(Code::NoDomainMetadata, what)
}

/// NULL `metadata` removes the description or the namespace's element, as libvirt does.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `metadata`, `key` and `uri` NULL or C
/// strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSetMetadata(
    domain: virDomainPtr,
    kind: c_int,
    metadata: *const c_char,
    key: *const c_char,
    uri: *const c_char,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as AffectFlags)?;
        let text = in_opt_str!(metadata)?;
        match kind_of(kind)? {
            Kind::Description => {
                d.dom.set_description(text.unwrap_or(""))?;
            }
            Kind::Element => {
                let uri = in_str!(uri)?;
                let element = match text {
                    Some(xml) => Some(Metadata::new(xml, in_str!(key)?, uri)?),
                    None => None,
                };
                d.dom.set_element_metadata(uri, element.as_ref())?;
            }
        }
        Ok(0)
    })
}

/// The domain's description (`config.annotation`), title or an element of the given namespace (kept
/// in the VM's `extraConfig`): one round trip; VIR_ERR_NO_DOMAIN_METADATA when it has none.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `uri` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetMetadata(
    domain: virDomainPtr,
    kind: c_int,
    uri: *const c_char,
    flags: c_uint,
) -> *mut c_char {
    export!(dom domain, ptr::null_mut(), |d| {
        flags!(flags as AffectFlags)?;
        let text = match kind_of(kind)? {
            Kind::Description => Some(d.dom.description()?)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| no_metadata("the domain has no description"))?,
            Kind::Element => {
                let uri = in_str!(uri)?;
                d.dom
                    .element_metadata(uri)?
                    .map(|m| m.xml)
                    .ok_or_else(|| {
                        no_metadata("Requested metadata element is not present")
                    })?
            }
        };
        owned_c_string(&text)
    })
}

/// The kinds of metadata vSphere has a place for: the description is the VM's annotation,
/// an application's element an `extraConfig` entry; the title has none.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Description,
    Element,
}
