//! The error path of the drop-in's companions, libvirt-qemu.so.0 and libvirt-lxc.so.0 (built from
//! companions/): their calls fail through this library, so virGetLastError sees the failure.

use crate::error::{Code, Error};
use crate::ffi::args::in_str;
use crate::ffi::export::export;
use std::ffi::{c_char, c_int};

/// Fails with VIR_ERR_NO_SUPPORT, the message "`api`: `why`", as this library's last error
/// (and through the error handlers); always -1. The companions' QEMU and LXC calls, which
/// VMware has no counterpart for, report through it.
///
/// # Safety
/// `api` and `why` are NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virEsxUnsupported(api: *const c_char, why: *const c_char) -> c_int {
    export!(-1, || {
        let (api, why) = (in_str!(api)?, in_str!(why)?);
        Err(Error::esx(Code::NoSupport, format!("{api}: {why}")))
    })
}
