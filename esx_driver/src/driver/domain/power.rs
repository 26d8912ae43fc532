//! Power operations: start, suspend, resume, guest shutdown and reboot, reset and power off,
//! each checked against the VM's state first (vSphere itself accepts some nonsense).

use super::{PowerState, Vm, invalid_state};
use crate::driver::connection::Connection;
use crate::driver::connection::Endpoint;
use crate::driver::domain::Domain;
use crate::driver::domain::current_state;
use crate::driver::domain::endpoint_for;
use crate::error::{Code, Error, Result};
use crate::vi::methods::{
    PowerOffVM_Task, PowerOnVM_Task, RebootGuest, ResetVM_Task, ShutdownGuest, SuspendVM_Task,
};
use crate::vi::{self, Fault, Method, MoRef};

/// The operations, with the states each needs and libvirt's words when the state is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerOp {
    /// virDomainCreate: powers on a VM that is off, or resumes a suspended one.
    Start,
    /// virDomainSuspend: vSphere's suspend (SuspendVM_Task), which saves memory to disk.
    Suspend,
    /// virDomainResume: powers on a suspended VM.
    Resume,
    /// virDomainShutdown: asks the guest to shut down (ShutdownGuest; needs VMware Tools).
    Shutdown,
    /// virDomainReboot: asks the guest to reboot (RebootGuest; needs VMware Tools).
    Reboot,
    /// virDomainReset: a hard reset of a running VM (ResetVM_Task).
    Reset,
    /// virDomainDestroy: powers off at once (PowerOffVM_Task), running or suspended.
    Destroy,
}

impl PowerOp {
    fn allowed(self, s: PowerState) -> bool {
        use PowerState::*;
        match self {
            // Starting a suspended (managed-saved) VM resumes it, as libvirt's managed save.
            PowerOp::Start => s != PoweredOn,
            PowerOp::Resume => s == Suspended,
            PowerOp::Suspend | PowerOp::Shutdown | PowerOp::Reboot | PowerOp::Reset => {
                s == PoweredOn
            }
            // vSphere powers off a suspended VM too, discarding its saved state.
            PowerOp::Destroy => s != PoweredOff,
        }
    }

    fn wrong_state(self) -> &'static str {
        match self {
            PowerOp::Start => "Domain is already running",
            PowerOp::Resume => "Domain is not suspended",
            PowerOp::Destroy => "Domain is not powered on or suspended",
            _ => "Domain is not powered on",
        }
    }

    /// Calls the vSphere method; returns the task it started, if it is a task method.
    fn start(self, ep: &Endpoint, vm: &MoRef) -> vi::Result<Option<(&'static str, MoRef)>> {
        let this = vm.clone();
        match self {
            PowerOp::Start | PowerOp::Resume => start(ep, &PowerOnVM_Task { this, host: None }),
            PowerOp::Suspend => start(ep, &SuspendVM_Task { this }),
            PowerOp::Reset => start(ep, &ResetVM_Task { this }),
            PowerOp::Destroy => start(ep, &PowerOffVM_Task { this }),
            PowerOp::Shutdown => ep.client.invoke(&ShutdownGuest { this }).map(|()| None),
            PowerOp::Reboot => ep.client.invoke(&RebootGuest { this }).map(|()| None),
        }
    }

    /// The state the VM is in once the operation is done, when we know it without asking.
    fn outcome(self) -> Option<PowerState> {
        match self {
            PowerOp::Start | PowerOp::Resume | PowerOp::Reset => Some(PowerState::PoweredOn),
            PowerOp::Suspend => Some(PowerState::Suspended),
            PowerOp::Destroy => Some(PowerState::PoweredOff),
            // Guest operations only ask the guest; it decides when.
            PowerOp::Shutdown | PowerOp::Reboot => None,
        }
    }

    fn api(self) -> &'static str {
        match self {
            PowerOp::Start => "virDomainCreate",
            PowerOp::Suspend => "virDomainSuspend",
            PowerOp::Resume => "virDomainResume",
            PowerOp::Shutdown => "virDomainShutdown",
            PowerOp::Reboot => "virDomainReboot",
            PowerOp::Reset => "virDomainReset",
            PowerOp::Destroy => "virDomainDestroy",
        }
    }
}

impl Domain {
    /// Runs a power operation and returns the VM as it is afterwards.
    pub fn power(&self, op: PowerOp) -> Result<Vm> {
        self.change(|conn, vm| power(conn, vm, op))
    }
}

/// Runs a power operation and returns the VM as it is afterwards.
pub(crate) fn power(conn: &Connection, vm: &Vm, op: PowerOp) -> Result<Vm> {
    conn.check_writable(op.api())?;
    let current = current_state(conn, vm)?;
    if !op.allowed(current.state) {
        return Err(invalid_state(op.wrong_state()));
    }
    // Powering off through the vCenter, when there is one, keeps its view consistent
    // (libvirt does the same for destroy).
    let (ep, moref) = endpoint_for(conn, &current, op == PowerOp::Destroy)?;
    let started = op
        .start(ep, &moref)
        .map_err(|e| guest_error(op, &current, e))?;
    if let Some((method, task)) = started {
        conn.wait_task(ep, method, &task, Some(&moref))?;
    }
    let mut after = current;
    match op.outcome() {
        Some(state) => {
            after.state = state;
            after.fetched = std::time::Instant::now();
        }
        // Unknown until the guest acts: the next query reads it from the server.
        None => after.fetched -= super::FRESH_FOR,
    }
    Ok(after)
}

fn start(ep: &Endpoint, m: &impl Method) -> vi::Result<Option<(&'static str, MoRef)>> {
    ep.client.start_task(m).map(|task| Some((m.name(), task)))
}

/// Guest operations need VMware Tools in the guest; say so rather than pass the fault on.
fn guest_error(op: PowerOp, vm: &Vm, e: vi::Error) -> Error {
    let needs_tools = matches!(op, PowerOp::Shutdown | PowerOp::Reboot);
    if needs_tools && e.is_fault(&Fault::ToolsUnavailable) {
        return Error::esx(
            Code::OperationInvalid,
            format!(
                "VMware Tools is not running in domain '{}'; {} needs it ({})",
                vm.name,
                op.api(),
                e.detail
            ),
        );
    }
    if crate::driver::vi_error::code(&e) == Code::NoSupport {
        return Error::esx(
            Code::OperationUnsupported,
            format!("the server does not support {} ({})", op.api(), e.detail),
        );
    }
    e.into()
}
