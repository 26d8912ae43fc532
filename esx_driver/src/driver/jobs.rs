//! The jobs running on a connection's domains (a migration's vSphere task), one per domain:
//! the registry that domain/jobs.rs reads for virDomainGetJobInfo and virDomainAbortJob.

use crate::vi::MoRef;
use crate::xml::ids::Uuid;
use std::sync::Mutex;
use std::time::Instant;

struct Job {
    vm: Uuid,
    task: MoRef,
    /// Whether the task runs on the `vcenter=` endpoint rather than the primary one.
    on_vcenter: bool,
    started: Instant,
}

/// The jobs running on a connection's domains (one per domain at most).
#[derive(Default)]
pub(crate) struct Jobs(Mutex<Vec<Job>>);

/// What virDomainGetJobInfo says: nothing running, or a task's time and percent done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobInfo {
    /// Whether a job runs on the domain (`VIR_DOMAIN_JOB_UNBOUNDED`), else `VIR_DOMAIN_JOB_NONE`.
    pub running: bool,
    /// Time since the job started, in milliseconds (libvirt's `timeElapsed`).
    pub elapsed_ms: u64,
    /// 0–100, from the task's `info.progress` (100 once it has ended well).
    pub percent: u64,
}

impl Jobs {
    fn with<T>(&self, f: impl FnOnce(&mut Vec<Job>) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The task, endpoint (vCenter or not) and start of `vm`'s job, if one runs.
    pub(crate) fn find(&self, vm: &Uuid) -> Option<(MoRef, bool, Instant)> {
        self.with(|jobs| {
            jobs.iter()
                .find(|j| j.vm == *vm)
                .map(|j| (j.task.clone(), j.on_vcenter, j.started))
        })
    }
}

impl Jobs {
    /// Records `task` as `vm`'s job until the guard drops (the call that started it returns).
    pub(crate) fn start(&self, vm: Uuid, task: MoRef, on_vcenter: bool) -> Running<'_> {
        self.with(|jobs| {
            jobs.push(Job {
                vm,
                task: task.clone(),
                on_vcenter,
                started: Instant::now(),
            })
        });
        Running { jobs: self, task }
    }
}

/// Removes its job when the call that started it returns, however it returns.
pub(crate) struct Running<'a> {
    jobs: &'a Jobs,
    task: MoRef,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.jobs.with(|jobs| jobs.retain(|j| j.task != self.task));
    }
}
