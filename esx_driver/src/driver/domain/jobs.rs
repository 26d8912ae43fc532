//! A domain's running job (a migration's vSphere task): what virDomainGetJobInfo reports while
//! the call that started it waits in another thread, and what virDomainAbortJob cancels.

use super::{Domain, Vm, invalid_state};
use crate::driver::connection::{Connection, Endpoint};
use crate::driver::jobs::JobInfo;
use crate::error::Result;
use crate::vi::methods::CancelTask;
use crate::vi::types::FromNode;
use crate::vi::views::vm::TaskProgress;
use crate::vi::{Method, MoRef, Node};

impl Domain {
    /// The domain's running job, read from its task (one round trip; none when idle).
    pub fn job_info(&self) -> Result<JobInfo> {
        let (conn, vm) = (self.conn(), &self.cached());
        let Some((task, on_vcenter, started)) = conn.jobs.find(&vm.uuid) else {
            return Ok(JobInfo::default());
        };
        let ep = job_endpoint(conn, on_vcenter);
        let read = ep.client.retrieve_one(&task, TaskProgress::PATHS)?;
        let p = read
            .and_then(|oc| TaskProgress::from_node(&oc.props))
            .unwrap_or_default();
        let percent = match (p.state.as_str(), p.progress) {
            ("success", _) => 100,
            (_, Some(n)) => n.clamp(0, 100) as u64,
            _ => 0,
        };
        Ok(JobInfo {
            running: true,
            elapsed_ms: started.elapsed().as_millis() as u64,
            percent,
        })
    }

    /// Cancels the domain's running job's task; the call that started it then fails with
    /// the server's cancellation.
    pub fn abort_job(&self) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainAbortJob")?;
        let (task, on_vcenter, _) = conn
            .jobs
            .find(&vm.uuid)
            .ok_or_else(|| invalid_state("no job is active on the domain"))?;
        job_endpoint(conn, on_vcenter)
            .client
            .invoke(&CancelTask { this: task })?;
        Ok(())
    }
}

fn job_endpoint(conn: &Connection, on_vcenter: bool) -> &Endpoint {
    match (&conn.vcenter, on_vcenter) {
        (Some(vc), true) => vc,
        _ => &conn.primary,
    }
}

/// Runs `call` on `ep` as `vm`'s job; a domain runs one job at a time, as in libvirt.
pub(crate) fn run_job(
    conn: &Connection,
    ep: &Endpoint,
    vm: &Vm,
    call: &impl Method,
    watch: &MoRef,
) -> Result<Option<Node>> {
    if conn.jobs.find(&vm.uuid).is_some() {
        return Err(invalid_state(format!(
            "domain '{}' already has a job running",
            vm.name
        )));
    }
    let task = ep.client.start_task(call)?;
    let on_vcenter = !std::ptr::eq(ep, &conn.primary);
    let _running = conn.jobs.start(vm.uuid, task.clone(), on_vcenter);
    conn.wait_task(ep, call.name(), &task, Some(watch))
}
