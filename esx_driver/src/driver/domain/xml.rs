//! A domain's XML from its VMX file, and defining and undefining domains: XML → VMX uploaded
//! beside the first disk, registered on the host, rolled back when registration fails.

use super::{PowerState, Vm, invalid_state};
use crate::abi::flags::{DomainXmlFlags, UndefineFlags};
use crate::driver::connection::Connection;
use crate::driver::connection::inventory::Placement;
use crate::driver::connection::vms::WITH_TEMPLATES;
use crate::driver::datastores::LiveDatastores;
use crate::driver::datastores::delete_file;
use crate::driver::datastores::file_manager;
use crate::driver::domain::Domain;
use crate::driver::domain::current_vm;
use crate::driver::domain::endpoint_for;
use crate::driver::domain::vm_placement;
use crate::error::{Code, Error, Result};
use crate::vi::methods::{
    MakeDirectory, RegisterVM_Task, UnregisterVM, reloadVirtualMachineFromPath_Task,
};
use crate::vi::{Fault, MoRef};
use crate::vmx::escape::escape_datastore_item;
use crate::vmx::{DatastorePath, domain_def_to_vmx, vmx_to_domain_def};
use crate::xml::domain::{DiskDevice, DomainDef};
use crate::xml::ids::Uuid;

impl Domain {
    /// The domain's XML, converted from the VMX file on its datastore.
    pub fn domain_xml(&self, flags: DomainXmlFlags) -> Result<String> {
        self.with(|conn, vm| domain_xml(conn, vm, flags))
    }

    /// `virDomainUndefineFlags`: unregisters a VM that is not running; its files stay on the
    /// datastore, as in libvirt. There is no libvirt metadata to remove (snapshots,
    /// checkpoints, managed save live with the VM), but NVRAM and TPM state would be files.
    pub fn undefine(&self, flags: UndefineFlags) -> Result<()> {
        self.conn().check_writable("virDomainUndefine")?;
        if flags.intersects(UndefineFlags::NVRAM | UndefineFlags::TPM) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                "undefine keeps the VM's files on the datastore; removing NVRAM or TPM state is not \
                 supported",
            ));
        }
        self.with(undefine)
    }
}

/// The VM read afresh and its definition, converted from the VMX file on its datastore.
pub(crate) fn domain_def(conn: &Connection, vm: &Vm) -> Result<(Vm, DomainDef)> {
    let vm = current_vm(conn, vm)?;
    let path = DatastorePath::parse(&vm.vmx_path)?;
    let at = vm_placement(conn, &vm)?;
    let vmx = conn.primary.client.download(
        &at.datacenter_path,
        &path.datastore,
        &path.directory_and_file,
    )?;
    let vmx_dir = format!("[{}] {}", path.datastore, path.directory);
    let ctx = LiveDatastores::read(conn, &[at], Some(&vmx_dir), Some(&vm.moref.value))?;
    let def = vmx_to_domain_def(&vmx, &ctx)?;
    Ok((vm, def))
}

/// The domain's XML, converted from the VMX file on its datastore.
pub(crate) fn domain_xml(conn: &Connection, vm: &Vm, flags: DomainXmlFlags) -> Result<String> {
    let (vm, mut def) = domain_def(conn, vm)?;
    if !flags.contains(DomainXmlFlags::INACTIVE) && vm.state != PowerState::PoweredOff {
        def.id = Some(vm.id());
    }
    if !flags.contains(DomainXmlFlags::SECURE) {
        for g in &mut def.devices.graphics {
            g.passwd = None;
        }
    }
    Ok(def.format())
}

/// As `define_xml`; without `replace`, an existing domain of that UUID or name is an error
/// (virDomainCreateXML makes new domains only).
pub(crate) fn define(conn: &Connection, xml: &str, replace: bool) -> Result<Vm> {
    conn.check_writable("virDomainDefineXML")?;
    let mut def = DomainDef::parse(xml)?;
    if def.name.is_empty() {
        return Err(Error::esx(
            Code::XmlError,
            "missing name information in domain XML",
        ));
    }
    super::check_name(&def.name, Code::XmlError)?;
    if def.uuid.is_zero() {
        def.uuid = Uuid::random();
    }
    let (vms, _) = conn.list_vms(WITH_TEMPLATES)?;
    let by_uuid = vms.iter().find(|v| v.uuid == def.uuid);
    let by_name = vms.iter().find(|v| v.name == def.name);
    if let Some(existing) = by_name.or(by_uuid).filter(|_| !replace) {
        return Err(Error::esx(
            Code::OperationInvalid,
            format!(
                "domain '{}' already exists; virDomainCreateXML makes a new domain \
                 (virDomainCreate starts a defined one)",
                existing.name
            ),
        ));
    }
    match (by_uuid, by_name) {
        (Some(a), Some(b)) if a.moref != b.moref => Err(Error::esx(
            Code::OperationFailed,
            format!("domain '{}' already exists with uuid {}", b.name, b.uuid),
        )),
        (Some(existing), _) | (None, Some(existing)) => {
            if existing.name != def.name {
                return Err(Error::esx(
                    Code::OperationFailed,
                    format!(
                        "domain '{}' is already defined with uuid {}; renaming is not supported",
                        existing.name, existing.uuid
                    ),
                ));
            }
            if existing.template {
                return Err(Error::esx(
                    Code::OperationInvalid,
                    format!("'{}' is a template, not a domain", existing.name),
                ));
            }
            redefine(conn, &current_vm(conn, existing)?, &def)
        }
        (None, None) => define_new(conn, &def),
    }
}

fn vmx_for(conn: &Connection, def: &DomainDef, at: &Placement) -> Result<String> {
    let ctx = LiveDatastores::read(conn, &[at], None, None)?;
    domain_def_to_vmx(def, &ctx, conn.default_virtual_hw_version())
}

/// Rewrites a powered-off VM's VMX file in place and has the host read it again.
fn redefine(conn: &Connection, existing: &Vm, def: &DomainDef) -> Result<Vm> {
    if existing.state != PowerState::PoweredOff {
        return Err(invalid_state(format!(
            "domain '{}' is running; power it off before redefining it",
            existing.name
        )));
    }
    let at = vm_placement(conn, existing)?;
    let vmx = vmx_for(conn, def, at)?;
    let path = DatastorePath::parse(&existing.vmx_path)?;
    let ep = &conn.primary;
    ep.client.upload(
        &at.datacenter_path,
        &path.datastore,
        &path.directory_and_file,
        vmx.as_bytes(),
    )?;
    let reload = reloadVirtualMachineFromPath_Task {
        this: existing.moref.clone(),
        configuration_path: existing.vmx_path.clone(),
    };
    let reloaded = conn.run_task(ep, &reload, Some(&existing.moref));
    match reloaded {
        Ok(_) => {}
        // Servers without the reload take the file back by registering it anew.
        Err(e) if e.code == Code::NoSupport => {
            ep.client.invoke(&UnregisterVM {
                this: existing.moref.clone(),
            })?;
            register(conn, &existing.vmx_path, &def.name, at)?;
        }
        Err(e) => return Err(e),
    }
    conn.lookup_by_uuid(&def.uuid)
}

fn define_new(conn: &Connection, def: &DomainDef) -> Result<Vm> {
    let disk = def
        .devices
        .disks
        .iter()
        .find(|d| d.device == DiskDevice::Disk && d.disk_type == "file")
        .ok_or_else(|| {
            Error::esx(
                Code::ConfigUnsupported,
                "Domain XML doesn't contain any file-based harddisks, cannot deduce \
                 datastore and path for VMX file",
            )
        })?;
    let source = disk.source.as_deref().ok_or_else(|| {
        Error::esx(
            Code::ConfigUnsupported,
            "First file-based harddisk has no source, cannot deduce datastore and path \
             for VMX file",
        )
    })?;
    if !source.ends_with(".vmdk") {
        return Err(Error::esx(
            Code::ConfigUnsupported,
            format!("Expecting source '{source}' of first file-based harddisk to be a VMDK image"),
        ));
    }
    let disk_path = DatastorePath::parse(source)?;
    let at = conn.place_new(&disk_path.datastore)?;
    let vmx = vmx_for(conn, def, at)?;
    let ep = &conn.primary;
    let dir = disk_path.directory.trim_end_matches('/');
    let dir_was_new = make_directory(conn, &disk_path.datastore, dir, at)?;
    let file = format!("{}.vmx", escape_datastore_item(&def.name));
    let in_ds = if dir.is_empty() {
        file
    } else {
        format!("{dir}/{file}")
    };
    let ds_path = format!("[{}] {in_ds}", disk_path.datastore);
    let registered = ep
        .client
        .upload(
            &at.datacenter_path,
            &disk_path.datastore,
            &in_ds,
            vmx.as_bytes(),
        )
        .map_err(Error::from)
        .and_then(|_| register(conn, &ds_path, &def.name, at));
    match registered {
        Ok(moref) => conn.refresh_vm(&moref),
        Err(e) => {
            // Leave nothing behind: the directory if we made it, else just our file.
            let target = if dir_was_new && !dir.is_empty() {
                format!("[{}] {dir}", disk_path.datastore)
            } else {
                ds_path
            };
            let _ = delete_file(conn, &target, &at.datacenter);
            Err(e)
        }
    }
}

fn register(conn: &Connection, ds_path: &str, name: &str, p: &Placement) -> Result<MoRef> {
    let ep = &conn.primary;
    let register = RegisterVM_Task {
        this: p.vm_folder.clone(),
        path: ds_path.to_string(),
        name: Some(super::escape_name(name)),
        as_template: false,
        pool: Some(p.resource_pool.clone()),
        host: Some(p.host.clone()),
    };
    conn.run_task(ep, &register, None)?
        .as_ref()
        .and_then(MoRef::from_node)
        .ok_or_else(|| Error::internal("RegisterVM_Task did not name the new VM"))
}

/// Creates `[datastore] dir`; false when it was there already.
fn make_directory(conn: &Connection, datastore: &str, dir: &str, at: &Placement) -> Result<bool> {
    if dir.is_empty() {
        return Ok(false);
    }
    let ep = &conn.primary;
    let mkdir = MakeDirectory {
        this: file_manager(conn)?,
        name: format!("[{datastore}] {dir}"),
        datacenter: Some(at.datacenter.clone()),
        create_parent_directories: Some(true),
    };
    match ep.client.invoke(&mkdir) {
        Ok(_) => Ok(true),
        Err(e) if e.is_fault(&Fault::FileAlreadyExists) => Ok(false),
        Err(e)
            if [
                Fault::FileNotFound,
                Fault::NotFound,
                Fault::ManagedObjectNotFound,
            ]
            .iter()
            .any(|f| e.is_fault(f)) =>
        {
            Err(Error::invalid_arg(format!(
                "datastore '{datastore}' of the domain's first disk does not exist on this host"
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Unregisters a VM that is not running; its files stay on the datastore, as in libvirt.
pub(crate) fn undefine(conn: &Connection, vm: &Vm) -> Result<()> {
    let vm = current_vm(conn, vm)?;
    if vm.state == PowerState::PoweredOn {
        return Err(invalid_state("Domain is not suspended or powered off"));
    }
    let (ep, moref) = endpoint_for(conn, &vm, true)?;
    ep.client.invoke(&UnregisterVM { this: moref })?;
    Ok(())
}
