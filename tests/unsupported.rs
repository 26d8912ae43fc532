//! libvirt's functions the library does not implement fail as libvirt fails for a driver
//! lacking them: VIR_ERR_NO_SUPPORT, a message naming the call and why VMware has no such thing,
//! libvirt's failure value (NULL, -1), and frees of arrays never handed out free nothing. A call on
//! an object the library never hands out (a secret, a node device ...) fails as libvirt's does on
//! NULL, which is all a caller can have: the kind's invalid-pointer error (read off Debian's
//! libvirt0: code, origin, message).

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
    u::virDomainIOThreadInfoFree(ptr::null_mut());
}

/// A call of an unsupported export, its libvirt error code and its message.
type Case = (fn() -> i64, i32, &'static str);

#[test]
fn calls_on_objects_never_handed_out_fail_as_on_null() {
    use virt_esx::abi::enums::virErrorNumber as E;
    let cases: [Case; 5] = [
        (
            || u::virSecretFree(ptr::null_mut()).into(),
            E::VIR_ERR_INVALID_SECRET as i32,
            "Invalid secret: virSecretFree",
        ),
        (
            || u::virNWFilterRef(ptr::null_mut()).into(),
            E::VIR_ERR_INVALID_NWFILTER as i32,
            "Invalid network filter: virNWFilterRef",
        ),
        (
            || u::virNWFilterBindingFree(ptr::null_mut()).into(),
            E::VIR_ERR_INVALID_NWFILTER_BINDING as i32,
            "Invalid network filter binding: virNWFilterBindingFree",
        ),
        (
            || u::virNetworkPortFree(ptr::null_mut()).into(),
            E::VIR_ERR_INVALID_NETWORK_PORT as i32,
            "Invalid network port pointer: virNetworkPortFree",
        ),
        (
            || u::virDomainCheckpointFree(ptr::null_mut()).into(),
            E::VIR_ERR_INVALID_DOMAIN_CHECKPOINT as i32,
            "Invalid domain checkpoint: virDomainCheckpointFree",
        ),
    ];
    for (call, code, message) in cases {
        assert_eq!(call(), -1);
        assert_eq!(last(), (code, message.to_string()));
    }
    assert!(u::virSecretGetUsageID(ptr::null_mut()).is_null());
    assert_eq!(last().0, E::VIR_ERR_INVALID_SECRET as i32);
}
