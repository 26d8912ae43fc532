//! Migration within one vCenter: RelocateVM_Task to the destination's host (a cluster's or a
//! datacenter's picked by the placement rule) and that host's root pool, disks too on request.

use super::{Detail, PowerState, Vm, invalid_state};
use crate::abi::flags::MigrateFlags;
use crate::abi::virDomainMigrateFlags as M;
use crate::driver::connection::inventory::Placement;
use crate::driver::connection::placement::place_among;
use crate::driver::connection::{Connection, Endpoint, Product};
use crate::driver::domain::Domain;
use crate::driver::domain::current_vm;
use crate::driver::domain::endpoint_for;
use crate::driver::domain::jobs::run_job;
use crate::driver::domain::vm_placement;
use crate::driver::domain::xml::domain_xml;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::RelocateVM_Task;
use crate::vi::property::FilterSpec;
use crate::vi::specs::VirtualMachineRelocateSpec;
use crate::vi::types::FromNode;
use crate::vi::views::vm::DatastoreName;
use crate::xml::domain::DomainDef;

/// The flags vSphere has no counterpart for, by their libvirt names.
const REFUSED: &[(M, &str)] = &[
    (M::VIR_MIGRATE_TUNNELLED, "VIR_MIGRATE_TUNNELLED"),
    (M::VIR_MIGRATE_PAUSED, "VIR_MIGRATE_PAUSED"),
    (
        M::VIR_MIGRATE_CHANGE_PROTECTION,
        "VIR_MIGRATE_CHANGE_PROTECTION",
    ),
    (M::VIR_MIGRATE_UNSAFE, "VIR_MIGRATE_UNSAFE"),
    (M::VIR_MIGRATE_COMPRESSED, "VIR_MIGRATE_COMPRESSED"),
    (M::VIR_MIGRATE_ABORT_ON_ERROR, "VIR_MIGRATE_ABORT_ON_ERROR"),
    (M::VIR_MIGRATE_AUTO_CONVERGE, "VIR_MIGRATE_AUTO_CONVERGE"),
    (M::VIR_MIGRATE_RDMA_PIN_ALL, "VIR_MIGRATE_RDMA_PIN_ALL"),
    (M::VIR_MIGRATE_POSTCOPY, "VIR_MIGRATE_POSTCOPY"),
    (M::VIR_MIGRATE_TLS, "VIR_MIGRATE_TLS"),
    (M::VIR_MIGRATE_PARALLEL, "VIR_MIGRATE_PARALLEL"),
    (
        M::VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES,
        "VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES",
    ),
    (
        M::VIR_MIGRATE_POSTCOPY_RESUME,
        "VIR_MIGRATE_POSTCOPY_RESUME",
    ),
    (M::VIR_MIGRATE_ZEROCOPY, "VIR_MIGRATE_ZEROCOPY"),
];

/// libvirt's flag check for migration, naming each flag that has no meaning here.
pub fn migrate_flags(bits: u32, api: &str) -> Result<MigrateFlags> {
    let refused: Vec<&str> = REFUSED
        .iter()
        .filter(|(f, _)| bits & (*f as u32) != 0)
        .map(|(_, name)| *name)
        .collect();
    if !refused.is_empty() {
        return Err(Error::esx(
            Code::ArgumentUnsupported,
            format!(
                "{api}: {} not supported by VMware vSphere migration",
                refused.join(", ")
            ),
        ));
    }
    crate::abi::flags::CheckedFlags::checked(bits, api)
}

/// What a caller may say about the destination besides its connection.
#[derive(Debug, Default, Clone, Copy)]
pub struct MigrateOptions<'a> {
    /// The `VIR_MIGRATE_*` flags, checked by `migrate_flags`.
    pub flags: MigrateFlags,
    /// The name the domain should have there: only its own.
    pub dname: Option<&'a str>,
    /// The definition it should have there: only its own.
    pub dxml: Option<&'a str>,
}

impl Domain {
    /// Moves `vm` to `dest`'s scope through the vCenter both ends reach: live (vMotion) when
    /// it runs, cold when it is off; the returned VM is as `dest` sees it.
    pub fn migrate(&self, dest: &Connection, opts: MigrateOptions) -> Result<Vm> {
        self.change(|conn, vm| {
            let api = "virDomainMigrate";
            conn.check_writable(api)?;
            dest.check_writable(api)?;
            let vm = current_vm(conn, vm)?;
            check_same_domain(conn, &vm, opts)?;
            if opts.flags.contains(MigrateFlags::OFFLINE) && vm.state != PowerState::PoweredOff {
                return Err(invalid_state(
                    "VIR_MIGRATE_OFFLINE needs the domain shut off; a running domain moves live",
                ));
            }
            let (src_vc, dst_vc) = common_vcenter(conn, dest)?;
            let (ep, moref) = endpoint_for(conn, &vm, true)?;
            if !std::ptr::eq(ep, src_vc) {
                return Err(Error::invalid_arg(format!(
                    "the vCenter does not know domain '{}'; migration needs it",
                    vm.name
                )));
            }
            let disks = datastores_of(src_vc, &moref)?;
            let moving = opts
                .flags
                .intersects(MigrateFlags::NON_SHARED_DISK | MigrateFlags::NON_SHARED_INC);
            let wanted_ds = match (moving, dest.spec.datastore.as_deref()) {
                (true, Some(name)) => Some(name),
                (true, None) => {
                    return Err(Error::invalid_arg(
                        "VIR_MIGRATE_NON_SHARED_DISK needs the destination URI to name the \
                     datastore the disks move to (datastore=NAME)",
                    ));
                }
                _ => None,
            };
            let first_disk = disks.first().map(|(_, n)| n.as_str()).unwrap_or_default();
            let host = match dst_vc.scope.host() {
                Some(p) => p,
                None => place_among(dst_vc, wanted_ds.unwrap_or(first_disk))?,
            };
            let mounted = datastores_of(dst_vc, &host.host)?;
            let datastore = match wanted_ds {
                Some(name) => Some(
                    mounted
                        .iter()
                        .find(|(_, n)| n == name)
                        .map(|(r, _)| r.clone())
                        .ok_or_else(|| {
                            Error::invalid_arg(format!(
                                "destination host '{}' does not mount datastore '{name}'",
                                host.host_name
                            ))
                        })?,
                ),
                None => {
                    if let Some((_, missing)) = disks.iter().find(|d| !mounted.contains(d)) {
                        return Err(Error::invalid_arg(format!(
                            "destination host '{}' does not mount datastore '{missing}' of domain \
                         '{}'; move the disks too with VIR_MIGRATE_NON_SHARED_DISK and \
                         datastore=NAME in the destination URI",
                            host.host_name, vm.name
                        )));
                    }
                    None
                }
            };
            let src_dc = match src_vc.scope.host() {
                Some(p) => p.datacenter.clone(),
                None => vm_placement(conn, &vm)?.datacenter.clone(),
            };
            let relocate = RelocateVM_Task {
                this: moref.clone(),
                spec: relocate_spec(host, src_dc, datastore),
                priority: Some("defaultPriority".to_string()),
            };
            run_job(conn, src_vc, &vm, &relocate, &moref)?;
            arrived(dest, &vm, &moref)
        })
    }
}

/// The endpoint that is a vCenter: the connection itself on vpx://, its `vcenter=` on esx://.
pub(crate) fn vcenter_endpoint(conn: &Connection) -> Option<&Endpoint> {
    match conn.primary.product {
        Product::Vpx => Some(&conn.primary),
        _ => conn.vcenter.as_ref(),
    }
}

/// A destination name or definition other than the domain's own is refused: vSphere
/// moves VMs, it does not rename or reconfigure them on the way.
fn check_same_domain(conn: &Connection, vm: &Vm, opts: MigrateOptions) -> Result<()> {
    if let Some(name) = opts.dname.filter(|n| *n != vm.name) {
        return Err(Error::esx(
            Code::ArgumentUnsupported,
            format!(
                "Renaming domains on migration not supported ('{}' to '{name}')",
                vm.name
            ),
        ));
    }
    if let Some(xml) = opts.dxml {
        let given = DomainDef::parse(xml)?.format();
        let own = DomainDef::parse(&domain_xml(conn, vm, Default::default())?)?.format();
        if given != own {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "a destination XML that differs from the domain's definition is not \
                 supported; vSphere migration keeps the definition",
            ));
        }
    }
    Ok(())
}

/// Both ends' vCenter endpoints, which must be one vCenter.
fn common_vcenter<'a>(
    conn: &'a Connection,
    dest: &'a Connection,
) -> Result<(&'a Endpoint, &'a Endpoint)> {
    let no_vc = |which: &str| {
        Error::invalid_arg(format!(
            "Migration not possible without a vCenter: connect the {which} with vpx:// \
             or esx://HOST/?vcenter=VC|*"
        ))
    };
    let src = vcenter_endpoint(conn).ok_or_else(|| no_vc("source"))?;
    let dst = vcenter_endpoint(dest).ok_or_else(|| no_vc("destination"))?;
    let (a, b) = (&src.client.content().about, &dst.client.content().about);
    if a.instance_uuid != b.instance_uuid {
        return Err(Error::esx(
            Code::OperationUnsupported,
            format!(
                "migration across vCenters is not supported: the source reached vCenter \
                 '{}' ({}), the destination '{}' ({})",
                src.client.transport().base_url(),
                a.instance_uuid,
                dst.client.transport().base_url(),
                b.instance_uuid
            ),
        ));
    }
    Ok((src, dst))
}

/// The migrated VM as this (destination) connection sees it.
fn arrived(conn: &Connection, vm: &Vm, vc_moref: &MoRef) -> Result<Vm> {
    let found = match conn.primary.product {
        Product::Vpx => conn.refresh_vm(vc_moref)?,
        _ => conn.lookup_by_uuid(&vm.uuid)?,
    };
    let there = match &found.host {
        Some(h) => conn.primary.in_scope(h)?,
        None => false,
    };
    if found.detail == Detail::Full && !there {
        return Err(Error::internal(format!(
            "domain '{}' migrated but is not in the destination's scope",
            vm.name
        )));
    }
    Ok(found)
}

/// The relocation: the host and its compute resource's root pool; the destination
/// datacenter's VM folder when the VM changes datacenter; the datastore when disks move.
fn relocate_spec(
    host: &Placement,
    src_dc: MoRef,
    datastore: Option<MoRef>,
) -> VirtualMachineRelocateSpec {
    VirtualMachineRelocateSpec {
        host: Some(host.host.clone()),
        pool: Some(host.resource_pool.clone()),
        folder: (src_dc != host.datacenter).then(|| host.vm_folder.clone()),
        datastore,
        ..VirtualMachineRelocateSpec::default()
    }
}

/// Datastores one hop from `from` (a VM's or a host's), with their names: one round trip.
fn datastores_of(ep: &Endpoint, from: &MoRef) -> Result<Vec<(MoRef, String)>> {
    let kind: &'static str = if from.kind == "HostSystem" {
        "HostSystem"
    } else {
        "VirtualMachine"
    };
    let spec = FilterSpec::neighbours(
        from.clone(),
        kind,
        "datastore",
        "Datastore",
        DatastoreName::PATHS,
    );
    Ok(ep
        .client
        .retrieve(&spec)?
        .into_iter()
        .map(|oc| {
            let name = DatastoreName::from_node(&oc.props).unwrap_or_default().name;
            (oc.obj, name)
        })
        .collect())
}
