//! A running VM's VNC server through the C API (see `driver::domain::graphics`): as a new
//! socket (virDomainOpenGraphicsFD) or joined to the caller's (virDomainOpenGraphics).

use crate::abi::flags::OpenGraphicsFlags;
use crate::error::{Code, Error};
use crate::ffi::args::flags;
use crate::ffi::export::export;
use crate::ffi::types::virDomainPtr;
use std::ffi::{c_int, c_uint};
use std::fs::File;
use std::os::fd::{BorrowedFd, IntoRawFd};

/// A socket connected to the VNC server of graphics device `idx`; the caller closes it.
///
/// # Safety
/// `dom` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainOpenGraphicsFD(
    dom: virDomainPtr,
    idx: c_uint,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        let f = flags!(flags as OpenGraphicsFlags)?;
        let socket = d.dom.open_graphics(idx, f.contains(OpenGraphicsFlags::SKIPAUTH))?;
        Ok(socket.into_raw_fd())
    })
}

/// Joins the caller's `fd` to the VNC server of graphics device `idx`: the library keeps a
/// duplicate of `fd` and copies both ways until either side closes; the caller keeps `fd`.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `fd` an open descriptor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainOpenGraphics(
    dom: virDomainPtr,
    idx: c_uint,
    fd: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom dom, -1, |d| {
        let f = flags!(flags as OpenGraphicsFlags)?;
        if fd < 0 {
            return Err(Error::invalid_arg(format!("fd must not be negative, not {fd}")));
        }
        // SAFETY: the caller's open descriptor, per the contract; only duplicated here.
        let own = unsafe { BorrowedFd::borrow_raw(fd) }
            .try_clone_to_owned()
            .map_err(|e| Error::esx(Code::SystemError, format!("cannot duplicate fd {fd}: {e}")))?;
        d.dom
            .attach_graphics(idx, f.contains(OpenGraphicsFlags::SKIPAUTH), File::from(own))?;
        Ok(0)
    })
}
