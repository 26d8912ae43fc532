//! virDomainSendKey through the C API (see `driver::domain::keys`).

use crate::abi::flags::NoFlags;
use crate::abi::{VIR_DOMAIN_SEND_KEY_MAX_KEYS, virKeycodeSet};
use crate::error::Error;
use crate::ffi::args::{count, flags, in_slice};
use crate::ffi::export::{api_name, export};
use crate::ffi::types::virDomainPtr;
use std::ffi::{c_int, c_uint};

/// Presses the keys together on the running VM's console (PutUsbScanCodes), then waits
/// `holdtime` ms.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `keycodes` NULL or holding `nkeycodes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSendKey(
    domain: virDomainPtr,
    codeset: c_uint,
    holdtime: c_uint,
    keycodes: *mut c_uint,
    nkeycodes: c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        let set = virKeycodeSet::from_raw(codeset)
            .ok_or_else(|| Error::invalid_arg(format!("Unsupported codeset '{codeset}'")))?;
        let n = count(nkeycodes, "nkeycodes", api_name!())?;
        if n == 0 {
            return Err(Error::invalid_arg(format!(
                "nkeycodes in {} must be greater than zero",
                api_name!()
            )));
        }
        if n > VIR_DOMAIN_SEND_KEY_MAX_KEYS as usize {
            return Err(Error::invalid_arg(format!("nkeycodes must be <= {VIR_DOMAIN_SEND_KEY_MAX_KEYS}")));
        }
        let codes = in_slice!(keycodes, n)?;
        d.dom.send_keys(set, holdtime, codes)?;
        Ok(0)
    })
}
