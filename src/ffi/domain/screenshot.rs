//! virDomainScreenshot: the console's PNG, read from the stream it is bound to (see
//! `driver::domain::screenshot`).

use crate::driver::domain::screenshot::MIME_TYPE;
use crate::error::{Error, Result};
use crate::ffi::args::flags;
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::Transfer;
use crate::ffi::malloc::owned_c_string;
use crate::ffi::storage::transfer::bind;
use crate::ffi::types::{virDomainPtr, virStreamPtr};
use std::ffi::{c_char, c_uint};
use std::ptr;

/// VMware VMs have one console screen: 0.
fn check_screen(screen: c_uint) -> Result<()> {
    match screen {
        0 => Ok(()),
        n => Err(Error::invalid_arg(format!(
            "screen {n} does not exist: a VMware VM has one screen, 0"
        ))),
    }
}

/// The screenshot's MIME type (`image/png`, the caller frees it); its data follows on
/// `stream` with virStreamRecv, and the image file is removed from the datastore once the
/// stream is finished, aborted or freed.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `stream` NULL or a stream from this
/// library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainScreenshot(
    domain: virDomainPtr,
    stream: virStreamPtr,
    screen: c_uint,
    flags: c_uint,
) -> *mut c_char {
    export!(dom domain, write, ptr::null_mut(), |d| {
        flags!(flags as crate::abi::flags::NoFlags)?;
        check_screen(screen)?;
        let owner = format!("domain '{}'", d.dom.cached().name);
        bind(&d.conn, &owner, stream, api_name!(), || {
            d.dom.screenshot().map(|d| Transfer::Down(Box::new(d)))
        })?;
        owned_c_string(MIME_TYPE)
    })
}
