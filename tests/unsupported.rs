//! libvirt's functions the library does not implement fail as libvirt fails for a driver
//! lacking them: VIR_ERR_NO_SUPPORT, a message naming the call and why VMware has no such thing,
//! libvirt's failure value (NULL, -1), and frees of objects never handed out free nothing.

use std::ptr;
use virt_esx::ffi::error::{virGetLastErrorCode, virGetLastErrorMessage};
use virt_esx::ffi::unsupported as u;

fn last() -> (i32, String) {
    let p = virGetLastErrorMessage();
    // SAFETY: the library's own message, NUL-terminated.
    let msg = unsafe { std::ffi::CStr::from_ptr(p) }
        .to_string_lossy()
        .into_owned();
    (virGetLastErrorCode(), msg)
}

#[test]
fn unsupported_calls_fail_with_no_support_naming_the_call_and_why() {
    let no_support = virt_esx::abi::enums::virErrorNumber::VIR_ERR_NO_SUPPORT as i32;
    assert!(u::virSecretLookupByUUIDString(ptr::null_mut(), ptr::null_mut()).is_null());
    let (code, msg) = last();
    assert_eq!(code, no_support);
    assert!(
        msg.contains("virSecretLookupByUUIDString") && msg.contains("secrets"),
        "{msg}"
    );
    assert_eq!(
        u::virDomainBlockCopy(
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            0,
            0
        ),
        -1
    );
    let (code, msg) = last();
    assert!(code == no_support && msg.contains("block jobs"), "{msg}");
    u::virDomainFSInfoFree(ptr::null_mut());
}
