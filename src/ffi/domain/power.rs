//! Domain power through the C API: start, suspend, resume, shutdown, reboot, reset and destroy,
//! each one vSphere task whose outcome is read back into the domain.

use crate::abi::flags::{NoFlags, RebootFlags, ShutdownFlags};
use crate::driver::domain::power::PowerOp;
use crate::error::Result;
use crate::ffi::args::flags;
use crate::ffi::export::export;
use crate::ffi::handles::DomainHandle;
use crate::ffi::types::virDomainPtr;
use std::ffi::{c_int, c_uint};

/// A power operation, refused on read-only connections by the caller's `export!(… write …)`.
fn power(d: &DomainHandle, op: PowerOp) -> Result<c_int> {
    d.dom.power(op).map(|_| ()).map(|_| 0)
}

/// Powers the VM on (PowerOnVM_Task; a suspended VM resumes): 2 round trips when the task ends at
/// once; VIR_ERR_OPERATION_INVALID when it already runs.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreate(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| power(d, PowerOp::Start))
}

/// As virDomainCreate; no flags are accepted.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainCreateWithFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        power(d, PowerOp::Start)
    })
}

/// Suspends the running VM to its own files (SuspendVM_Task; libvirt's paused state): 2 round
/// trips; VIR_ERR_OPERATION_INVALID when it does not run.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainSuspend(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| power(d, PowerOp::Suspend))
}

/// Powers a suspended VM on again (PowerOnVM_Task): 2 round trips; VIR_ERR_OPERATION_INVALID when
/// it is not suspended.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainResume(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| power(d, PowerOp::Resume))
}

/// Asks the guest to shut down (VMware Tools needed); returns once the request is made.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainShutdown(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| power(d, PowerOp::Shutdown))
}

/// Flags: 0 or VIR_DOMAIN_SHUTDOWN_GUEST_AGENT (VMware Tools is the guest agent).
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainShutdownFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as ShutdownFlags)?;
        power(d, PowerOp::Shutdown)
    })
}

/// Asks the guest to reboot (VMware Tools needed). Flags: 0 or VIR_DOMAIN_REBOOT_GUEST_AGENT.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainReboot(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as RebootFlags)?;
        power(d, PowerOp::Reboot)
    })
}

/// A hard reset, like pressing the reset button.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainReset(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        power(d, PowerOp::Reset)
    })
}

/// Powers the VM off at once.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDestroy(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| power(d, PowerOp::Destroy))
}

/// As virDomainDestroy (PowerOffVM_Task, a hard power-off); no flags are accepted.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainDestroyFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        flags!(flags as NoFlags)?;
        power(d, PowerOp::Destroy)
    })
}
