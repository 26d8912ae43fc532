//! A domain's running job through the C API: virDomainGetJobInfo, virDomainGetJobStats and
//! virDomainAbortJob, for a migration that runs in another thread.

use crate::abi::flags::NoFlags;
use crate::abi::{
    VIR_DOMAIN_JOB_DATA_PROCESSED, VIR_DOMAIN_JOB_DATA_REMAINING, VIR_DOMAIN_JOB_DATA_TOTAL,
    VIR_DOMAIN_JOB_OPERATION, VIR_DOMAIN_JOB_TIME_ELAPSED, virDomainJobOperation, virDomainJobType,
};
use crate::driver::jobs::JobInfo;
use crate::error::{Code, Error};
use crate::ffi::args::{flags, out};
use crate::ffi::export::export;
use crate::ffi::handles::DomainHandle;
use crate::ffi::typed_params::{Builder, TypedValue};
use crate::ffi::types::{
    virDomainJobInfo, virDomainJobInfoPtr, virDomainPtr, virTypedParameterPtr,
};
use std::ffi::{c_int, c_uint};

/// Percent done stands for the data: vSphere reports a task's progress, not its bytes.
const DATA_TOTAL: u64 = 100;

fn job_type(j: &JobInfo) -> c_int {
    (if j.running {
        virDomainJobType::VIR_DOMAIN_JOB_UNBOUNDED
    } else {
        virDomainJobType::VIR_DOMAIN_JOB_NONE
    }) as c_int
}

fn job(d: &DomainHandle) -> crate::error::Result<JobInfo> {
    d.dom.job_info()
}

/// The domain's running vSphere task as a libvirt job (its kind, elapsed time and progress): one
/// round trip; VIR_DOMAIN_JOB_NONE when there is none.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `info` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetJobInfo(
    domain: virDomainPtr,
    info: virDomainJobInfoPtr,
) -> c_int {
    export!(dom domain, -1, |d| {
        let out = out!(info)?;
        let j = job(d)?;
        let (total, done) = if j.running { (DATA_TOTAL, j.percent) } else { (0, 0) };
        out.set(virDomainJobInfo {
            r#type: job_type(&j),
            timeElapsed: j.elapsed_ms,
            timeRemaining: 0,
            dataTotal: total,
            dataProcessed: done,
            dataRemaining: total - done,
            memTotal: 0,
            memProcessed: 0,
            memRemaining: 0,
            fileTotal: 0,
            fileProcessed: 0,
            fileRemaining: 0,
        });
        Ok(0)
    })
}

/// The running job's statistics as typed parameters, malloc'd (free them with
/// virTypedParamsFree); none when no job runs.
///
/// # Safety
/// `domain` is NULL or a domain from this library; `type`, `params` and `nparams` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainGetJobStats(
    domain: virDomainPtr,
    r#type: *mut c_int,
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    flags: c_uint,
) -> c_int {
    export!(dom domain, -1, |d| {
        flags!(flags as NoFlags)?;
        let (kind, out_params, count) = (out!(r#type)?, out!(params)?, out!(nparams)?);
        let j = job(d)?;
        let stats = if j.running {
            Builder::default()
                .add(
                    VIR_DOMAIN_JOB_OPERATION,
                    TypedValue::Int(
                        virDomainJobOperation::VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT as i32,
                    ),
                )
                .add(VIR_DOMAIN_JOB_TIME_ELAPSED, TypedValue::ULLong(j.elapsed_ms))
                .add(VIR_DOMAIN_JOB_DATA_TOTAL, TypedValue::ULLong(DATA_TOTAL))
                .add(VIR_DOMAIN_JOB_DATA_PROCESSED, TypedValue::ULLong(j.percent))
                .add(
                    VIR_DOMAIN_JOB_DATA_REMAINING,
                    TypedValue::ULLong(DATA_TOTAL - j.percent),
                )
        } else {
            Builder::default()
        };
        let (arr, n) = stats.into_malloc()?;
        kind.set(job_type(&j));
        count.set(n as c_int);
        out_params.set(if n == 0 {
            std::ptr::null_mut()
        } else {
            arr.into_raw()
        });
        Ok(0)
    })
}

/// Cancels the domain's running vSphere task (CancelTask); VIR_ERR_OPERATION_INVALID when none runs
/// or it cannot be cancelled.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainAbortJob(domain: virDomainPtr) -> c_int {
    export!(dom domain, write, -1, |d| {
        d.dom.abort_job()?;
        Ok(0)
    })
}

/// As virDomainAbortJob; VIR_DOMAIN_ABORT_JOB_POSTCOPY is refused, as vSphere's migrations have
/// no post-copy phase.
///
/// # Safety
/// `domain` is NULL or a domain from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDomainAbortJobFlags(domain: virDomainPtr, flags: c_uint) -> c_int {
    export!(dom domain, write, -1, |d| {
        if flags!(flags as crate::abi::flags::AbortJobFlags)?.contains(crate::abi::flags::AbortJobFlags::POSTCOPY) {
            return Err(Error::esx(
                Code::NoSupport,
                "VIR_DOMAIN_ABORT_JOB_POSTCOPY: vSphere's migrations have no post-copy phase",
            ));
        }
        d.dom.abort_job()?;
        Ok(0)
    })
}
