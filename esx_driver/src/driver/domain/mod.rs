//! Domains as libvirt sees VMware VMs: a snapshot of each VM's identity, state and sizing read
//! in bulk, IDs from managed object references, and libvirt's power-state mapping.

pub mod affinity;
mod console;
pub mod devices;
pub mod disk_control;
mod disks;
mod drives;
mod graphics;
pub mod guest;
pub mod guest_report;
pub(crate) mod jobs;
pub mod keys;
pub(crate) mod lifecycle;
pub(crate) mod listing;
mod metadata;
pub mod migrate;
pub mod nic_control;
mod object;
mod passthru;
pub mod power;
pub mod screenshot;
pub mod stats;
pub(crate) mod status;
pub(crate) mod tune;
pub(crate) mod usage;
pub(crate) mod xml;

pub(crate) use listing::Listing;
pub use object::Domain;
pub use status::{BlockInfo, Control};
pub use tune::{MemoryParams, SchedParams};
pub use usage::{BlockCounters, MemoryUsage, NicCounters};
// The CPU times the host's performance counters give, per VM.
pub use crate::driver::perf::CpuTime;

use super::connection::inventory::Placement;
use super::connection::{Connection, Endpoint};
use crate::abi::{
    virDomainPausedReason, virDomainRunningReason, virDomainShutoffReason, virDomainState,
};
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::FindByUuid;
use crate::vi::views::vm::VmProps;
use crate::vmx::escape::{escape_hex_percent, unescape_hex};
use crate::xml::ids::Uuid;
use std::sync::Arc;
use std::time::Instant;

pub(crate) use crate::driver::freshness::FRESH_FOR;

/// libvirt's `virDomainState` values for VMware power states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerState {
    /// vSphere's `poweredOn`: libvirt's `VIR_DOMAIN_RUNNING`.
    PoweredOn,
    /// vSphere's `poweredOff` (and any state it does not name): libvirt's `VIR_DOMAIN_SHUTOFF`.
    PoweredOff,
    /// vSphere's `suspended` (memory saved to disk): libvirt's `VIR_DOMAIN_PAUSED`.
    Suspended,
}

impl PowerState {
    pub(crate) fn parse(s: &str) -> PowerState {
        match s.trim() {
            "poweredOn" => PowerState::PoweredOn,
            "suspended" => PowerState::Suspended,
            _ => PowerState::PoweredOff,
        }
    }

    /// `virDomainState`: running, paused (VMware's suspend keeps the VM's memory on disk,
    /// which libvirt's ESX driver shows as paused) or shut off.
    pub fn libvirt_state(self) -> i32 {
        (match self {
            PowerState::PoweredOn => virDomainState::VIR_DOMAIN_RUNNING,
            PowerState::Suspended => virDomainState::VIR_DOMAIN_PAUSED,
            PowerState::PoweredOff => virDomainState::VIR_DOMAIN_SHUTOFF,
        }) as i32
    }

    /// The state as virsh words it (`running`, `paused`, `shut off`).
    pub fn libvirt_name(self) -> &'static str {
        match self {
            PowerState::PoweredOn => "running",
            PowerState::Suspended => "paused",
            PowerState::PoweredOff => "shut off",
        }
    }

    /// The state's reason: suspended VMs were paused by a user (`VIR_DOMAIN_PAUSED_USER`);
    /// vSphere does not say why a VM runs or is off (`*_UNKNOWN`).
    pub fn libvirt_reason(self) -> i32 {
        match self {
            PowerState::PoweredOn => virDomainRunningReason::VIR_DOMAIN_RUNNING_UNKNOWN as i32,
            PowerState::Suspended => virDomainPausedReason::VIR_DOMAIN_PAUSED_USER as i32,
            PowerState::PoweredOff => virDomainShutoffReason::VIR_DOMAIN_SHUTOFF_UNKNOWN as i32,
        }
    }

    /// Whether libvirt counts the domain as active: running or suspended, not powered off.
    pub fn is_active(self) -> bool {
        self != PowerState::PoweredOff
    }
}

/// How much of a VM a read asked for; fields beyond it are zero (see `listing.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Detail {
    /// A listing's read: identity and state (moref, name, UUID, power state, template).
    Listed,
    /// Also what info-type calls answer: memory size and limit, vCPUs (a listing's batch).
    Sized,
    /// Every field.
    Full,
}

/// What a domain handle knows of its VM, as of `fetched`, to `detail`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vm {
    /// The VM's managed object reference (`vm-42`), which vSphere's calls on it name.
    pub moref: MoRef,
    /// The domain's name: vSphere's `name`, its escapes undone.
    pub name: String,
    /// The domain's UUID: vSphere's `config.uuid`, the VM's BIOS UUID.
    pub uuid: Uuid,
    /// The VM's power state, as vSphere's `runtime.powerState`.
    pub state: PowerState,
    pub(crate) template: bool,
    pub(crate) detail: Detail,
    /// The VM's memory in MiB, as vSphere's `config.hardware.memoryMB`: libvirt's maximum.
    pub memory_mb: i64,
    /// The number of virtual CPUs, as vSphere's `config.hardware.numCPU`.
    pub num_cpu: i32,
    /// `None` or negative: unlimited.
    pub memory_limit_mb: Option<i64>,
    pub(crate) has_snapshot: bool,
    /// The VM's configuration file as a datastore path (`[datastore1] vm/vm.vmx`), as
    /// vSphere's `config.files.vmPathName`.
    pub vmx_path: String,
    /// The host the VM is registered on (`runtime.host`), when vSphere names one.
    pub host: Option<MoRef>,
    pub(crate) memory_hot_add: bool,
    pub(crate) cpu_hot_add: bool,
    pub(crate) cpu_hot_remove: bool,
    /// A statistics read's properties (devices, quickStats), when one asked for them.
    pub(crate) usage: Option<Arc<crate::vi::node::Node>>,
    pub(crate) fetched: Instant,
}

impl Vm {
    /// A VM from a read of `detail`'s paths (a listing's may add the snapshot).
    pub(crate) fn from_props(moref: MoRef, p: VmProps, detail: Detail) -> Vm {
        Vm {
            name: unescape_name(&p.name),
            uuid: Uuid::parse(&p.uuid).unwrap_or_default(),
            state: PowerState::parse(&p.power_state),
            template: p.template,
            detail,
            memory_mb: p.memory_mb,
            num_cpu: p.num_cpu,
            memory_limit_mb: p.memory_limit_mb,
            has_snapshot: p.current_snapshot.is_some(),
            vmx_path: p.vmx_path,
            host: p.host,
            memory_hot_add: p.memory_hot_add,
            cpu_hot_add: p.cpu_hot_add,
            cpu_hot_remove: p.cpu_hot_remove,
            moref,
            usage: None,
            fetched: Instant::now(),
        }
    }

    /// libvirt's domain ID: the number in the managed object id (`vm-42`, or `42` on ESX),
    /// -1 while powered off.
    pub fn id(&self) -> i32 {
        if self.state == PowerState::PoweredOff {
            return -1;
        }
        moref_number(&self.moref.value).unwrap_or(-1)
    }

    /// Whether every field may be answered from (read whole, and recently).
    pub(crate) fn is_fresh(&self) -> bool {
        self.detail == Detail::Full && self.is_state_fresh()
    }

    /// Whether state, memory and vCPUs may be answered from.
    pub(crate) fn is_sized_fresh(&self) -> bool {
        self.detail >= Detail::Sized && self.is_state_fresh()
    }

    /// Whether identity and power state may be answered from.
    pub(crate) fn is_state_fresh(&self) -> bool {
        self.fetched.elapsed() < FRESH_FOR
    }

    /// The VM's memory size in KiB: libvirt's maximum memory.
    pub fn max_memory_kib(&self) -> u64 {
        mib_to_kib(self.memory_mb)
    }

    /// Current memory as libvirt's ESX driver reports it: the memory limit, or all of it
    /// when unlimited.
    pub fn memory_kib(&self) -> u64 {
        match self.memory_limit_mb {
            Some(l) if l >= 0 => mib_to_kib(l.min(self.memory_mb)),
            _ => self.max_memory_kib(),
        }
    }
}

pub(crate) fn moref_number(value: &str) -> Option<i32> {
    let digits = value.strip_prefix("vm-").unwrap_or(value);
    digits.parse::<i32>().ok().filter(|n| *n > 0)
}

/// vSphere stores `%`, `/` and `\` of VM names as `%25`, `%2f`, `%5c`; a name with a stray
/// `%` is shown as it is.
pub(crate) fn unescape_name(name: &str) -> String {
    unescape_hex(name, b'%').unwrap_or_else(|| name.to_string())
}

/// A name as sent to vSphere, so that `unescape_name` reads back what was set: the server
/// escapes `/` and `\` itself but keeps a `%` that starts an escape, so `a%2fb` sent as it is
/// would come back as `a/b`.
pub(crate) fn escape_name(name: &str) -> String {
    escape_hex_percent(name)
}

/// Refuses (with `code`) a name holding a control character: a newline or carriage return
/// would end a VMX line or come back from the server's XML parser as something else, and
/// none of them reads back as set everywhere a name goes.
pub(crate) fn check_name(name: &str, code: Code) -> Result<()> {
    match name.chars().find(|c| c.is_control()) {
        Some(c) => Err(Error::esx(
            code,
            format!(
                "domain name '{}' must not contain control character U+{:04X}",
                name.escape_debug(),
                u32::from(c)
            ),
        )),
        None => Ok(()),
    }
}

/// Where to run an operation on `vm`: its managing vCenter when `prefer_vcenter` and one is
/// connected (the VM found there by its BIOS UUID, one round trip), else the host — also
/// when the vCenter does not (yet) know the VM, as the host can act alone.
pub(crate) fn endpoint_for<'c>(
    conn: &'c Connection,
    vm: &Vm,
    prefer_vcenter: bool,
) -> Result<(&'c Endpoint, MoRef)> {
    let Some(vc) = conn.vcenter.as_ref().filter(|_| prefer_vcenter) else {
        return Ok((&conn.primary, vm.moref.clone()));
    };
    let index = vc
        .client
        .content()
        .search_index
        .clone()
        .ok_or_else(|| Error::internal("The vCenter has no search index"))?;
    let found = vc.client.invoke(&FindByUuid {
        this: index,
        datacenter: Some(vc.single_host("vcenter=")?.datacenter.clone()),
        uuid: vm.uuid.to_string(),
        vm_search: true,
        instance_uuid: None,
    })?;
    Ok(match found {
        Some(r) => (vc, r),
        None => (&conn.primary, vm.moref.clone()),
    })
}

/// Where a VM lives: the placement of its host (`vm` read whole, so its host is known).
pub(crate) fn vm_placement<'c>(conn: &'c Connection, vm: &Vm) -> Result<&'c Placement> {
    match &vm.host {
        Some(h) => conn.primary.placement_of(h),
        None => conn
            .primary
            .scope
            .host()
            .ok_or_else(|| Error::internal(format!("Domain '{}' reports no host", vm.name))),
    }
}

/// The snapshot if its power state is fresh (it may lack the sizing), else a whole new one.
pub(crate) fn current_state(conn: &Connection, vm: &Vm) -> Result<Vm> {
    if vm.is_state_fresh() {
        Ok(vm.clone())
    } else {
        conn.refresh_vm(&vm.moref)
    }
}

/// The snapshot if it is fresh, else a new one.
pub(crate) fn current_vm(conn: &Connection, vm: &Vm) -> Result<Vm> {
    if vm.is_fresh() {
        Ok(vm.clone())
    } else {
        conn.refresh_vm(&vm.moref)
    }
}

pub(crate) fn no_domain(detail: impl Into<String>) -> Error {
    Error::esx(Code::NoDomain, detail)
}

pub(crate) fn invalid_state(detail: impl Into<String>) -> Error {
    Error::esx(Code::OperationInvalid, detail)
}

/// A size in MiB as the server reports it (memory sizes, limits, reservations) in KiB: a
/// negative one (vSphere's "unset") is 0, and one past 64 bits of KiB saturates rather than
/// wrapping (or panicking in a debug build).
pub(crate) fn mib_to_kib(mib: i64) -> u64 {
    (mib.max(0) as u64).saturating_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_morefs() {
        assert_eq!(moref_number("vm-42"), Some(42));
        assert_eq!(moref_number("17"), Some(17));
        assert_eq!(moref_number("vm-x"), None);
        assert_eq!(moref_number("0"), None);
    }

    #[test]
    fn names_are_unescaped() {
        assert_eq!(unescape_name("a%2fb%25c%5cd"), "a/b%c\\d");
        assert_eq!(unescape_name("50%"), "50%");
        assert_eq!(unescape_name("%zz"), "%zz");
    }

    #[test]
    fn names_sent_read_back_as_set() {
        for name in ["a%2fb", "a/b", "50%", "x\\y%25", "plain"] {
            assert_eq!(unescape_name(&escape_name(name)), name);
        }
        assert_eq!(escape_name("a%2fb"), "a%252fb");
        for bad in ["cr\rname", "lf\n", "tab\t", "\u{1}", "\u{85}"] {
            assert_eq!(
                check_name(bad, Code::InvalidArg).unwrap_err().code,
                Code::InvalidArg
            );
        }
        assert!(check_name("é 漢字 %/\\", Code::InvalidArg).is_ok());
    }

    #[test]
    fn memory_follows_the_limit() {
        let mut vm = Vm::from_props(
            MoRef::new("VirtualMachine", "vm-1"),
            VmProps::default(),
            Detail::Full,
        );
        vm.memory_mb = 1024;
        assert_eq!(vm.memory_kib(), 1024 * 1024);
        vm.memory_limit_mb = Some(512);
        assert_eq!(vm.memory_kib(), 512 * 1024);
        vm.memory_limit_mb = Some(-1);
        assert_eq!(vm.memory_kib(), 1024 * 1024);
        assert_eq!(vm.id(), -1);
        vm.state = PowerState::Suspended;
        assert_eq!(vm.id(), 1);
        // A server's absurd size saturates instead of wrapping (a panic in debug builds).
        vm.memory_mb = i64::MAX;
        vm.memory_limit_mb = Some(i64::MAX);
        assert_eq!((vm.max_memory_kib(), vm.memory_kib()), (u64::MAX, u64::MAX));
        assert_eq!(mib_to_kib(-5), 0);
    }
}
