//! virDomainOpenConsole: a VM's network-backed serial port on the caller's stream (see
//! `driver::domain::console`).

use crate::abi::flags::ConsoleFlags;
use crate::ffi::args::{flags, in_opt_str};
use crate::ffi::export::{api_name, export};
use crate::ffi::handles::Transfer;
use crate::ffi::storage::transfer::bind;
use crate::ffi::types::{virDomainPtr, virStreamPtr};
use std::ffi::{c_char, c_int, c_uint};

/// Binds `st` to the serial port `dev_name` names (NULL: the first console or serial port):
/// what the stream sends goes to the port, what the port says is received from it.
///
/// # Safety
/// `dom` is NULL or a domain from this library; `dev_name` NULL or a C string; `st` NULL or
/// a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainOpenConsole(
    dom: virDomainPtr,
    dev_name: *const c_char,
    st: virStreamPtr,
    flags: c_uint,
) -> c_int {
    export!(dom dom, write, -1, |d| {
        flags!(flags as ConsoleFlags)?;
        let dev = in_opt_str!(dev_name)?;
        let owner = format!("domain '{}'", d.dom.cached().name);
        bind(&d.conn, &owner, st, api_name!(), || {
            d.dom.open_console(dev).map(|s| Transfer::Socket(Box::new(s)))
        })
    })
}
