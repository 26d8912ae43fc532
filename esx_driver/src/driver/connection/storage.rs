//! The connection's storage lookups: its pools (datastores and iSCSI targets) in one read,
//! by name, UUID or target path; volumes by path or key; an NFS datastore mounted as a pool.

use super::Connection;
use crate::driver::connection::Product;
use crate::driver::storage::Pool;
use crate::driver::storage::PoolFacts;
use crate::driver::storage::PoolKind;
use crate::driver::storage::Volume;
use crate::driver::storage::VolumeKind;
use crate::driver::storage::pool::kind_of;
use crate::driver::storage::pool::no_pool;
use crate::driver::storage::pool::pool_uuid;
use crate::driver::storage::volumes::no_volume;
use crate::error::Code;
use crate::error::Error;
use crate::error::Result;
use crate::vi::Method;
use crate::vi::MoRef;
use crate::vi::methods::CreateNasDatastore;
use crate::vi::property::FilterSpec;
use crate::vi::property::ObjectContent;
use crate::vi::specs::HostNasVolumeSpec;
use crate::vi::types::FromNode;
use crate::vi::views::datastore::DatastorePoolFacts;
use crate::vmx::datastore::DatastorePath;
use crate::vmx::datastore::check_inside;
use crate::xml::ids::Uuid;
use crate::xml::storage::NfsPoolDef;
use std::sync::Arc;
use std::time::Instant;

impl Connection {
    pub(crate) fn disk_manager(&self) -> Result<MoRef> {
        self.primary
            .client
            .content()
            .virtual_disk_manager
            .clone()
            .ok_or_else(|| Error::esx(Code::NoSupport, "The server has no virtual disk manager"))
    }

    pub(crate) fn task(&self, call: &impl Method) -> Result<()> {
        self.run_task(&self.primary, call, None).map(|_| ())
    }
}

impl Connection {
    /// The pool `/vmfs/volumes/<ds>` names: `ds` is a datastore's name or the last part of its
    /// mount path (its id), as hosts write either. One round trip.
    pub(crate) fn pool_by_volume_name(&self, ds: &str) -> Result<Option<PoolFacts>> {
        let mount = format!("/vmfs/volumes/{ds}");
        Ok(self
            .list_pools()?
            .into_iter()
            .find(|p| p.name == ds || p.mount_path == mount))
    }

    /// The volume at `[datastore] dir/file` or `/vmfs/volumes/<datastore or its id>/dir/file`.
    pub fn volume_by_path(self: &Arc<Self>, path: &str) -> Result<Volume> {
        let bad = || {
            Error::invalid_arg(format!(
                "Unexpected volume path format: '{}'; use '[datastore] dir/file' or \
                 '/vmfs/volumes/datastore/dir/file'",
                crate::error::shorten(path, 256)
            ))
        };
        let (pool, name) = if path.starts_with('[') {
            if !path.contains(']') {
                return Err(bad());
            }
            let p = DatastorePath::parse(path)?;
            (self.pool_by_name(&p.datastore)?, p.directory_and_file)
        } else if let Some(rest) = path.strip_prefix("/vmfs/volumes/") {
            let (ds, name) = rest.split_once('/').ok_or_else(bad)?;
            check_inside(path, ds, name)?;
            let pool = self.pool_by_volume_name(ds)?.ok_or_else(|| {
                crate::driver::storage::pool::no_pool(format!(
                    "Could not find storage pool with name '{ds}'"
                ))
            })?;
            (pool, name.to_string())
        } else if path.starts_with('/') {
            // An iSCSI LUN's device path.
            for pool in self.list_pools()? {
                if !matches!(pool.kind, PoolKind::Iscsi { .. }) {
                    continue;
                }
                if let Some(v) = Pool::new(self.clone(), pool.clone())
                    .iscsi_volumes()?
                    .into_iter()
                    .find(|v| v.path() == path)
                {
                    return Ok(Volume::new(self.clone(), pool, v));
                }
            }
            return Err(no_volume(format!(
                "No storage volume with key or path '{path}'"
            )));
        } else {
            return Err(bad());
        };
        Pool::new(self.clone(), pool).volume_by_name(&name)
    }

    /// The volume with libvirt's key: a datastore path, or (on ESX) a disk's UUID, looked for
    /// on every disk of every pool, as libvirt's ESX driver looks.
    pub fn volume_by_key(self: &Arc<Self>, key: &str) -> Result<Volume> {
        let missing = || no_volume(format!("Could not find storage volume with key '{key}'"));
        if key.starts_with('[') {
            return self.volume_by_path(key).map_err(|_| missing());
        }
        let wanted = Uuid::parse(key).ok_or_else(missing)?.to_string();
        for pool in self.list_pools()? {
            let iscsi = matches!(pool.kind, PoolKind::Iscsi { .. });
            // Disk UUIDs are keys on ESX only; elsewhere a disk's key is its path.
            if !iscsi && self.primary.product != Product::Esx {
                continue;
            }
            for vol in Pool::new(self.clone(), pool).volumes()? {
                let keyed = vol.facts().kind == VolumeKind::Disk || vol.facts().kind.is_lun();
                if keyed && vol.key()? == wanted {
                    return Ok(vol);
                }
            }
        }
        Err(missing())
    }
}

impl Connection {
    /// Every datastore the scope's hosts mount, with its facts, then the static targets of
    /// their iSCSI adapters: one round trip.
    pub fn list_pools(&self) -> Result<Vec<PoolFacts>> {
        let ep = &self.primary;
        let hosts = ep.host_refs()?;
        let (Some(datastores), Some(adapters)) = (
            FilterSpec::neighbours_of(
                &hosts,
                "HostSystem",
                "datastore",
                "Datastore",
                DatastorePoolFacts::PATHS,
            ),
            FilterSpec::objects(
                "HostSystem",
                &hosts,
                &[crate::driver::storage::iscsi::ADAPTERS],
            ),
        ) else {
            return Ok(Vec::new());
        };
        let (mut pools, mut targets) = (Vec::new(), Vec::new());
        for oc in ep.client.retrieve_all(&[datastores, adapters])? {
            match ep.scope.placement_of(&ep.client, &oc.obj)? {
                Some(p) if oc.obj.kind == "HostSystem" => targets.extend(
                    crate::driver::storage::iscsi::pools_of(&oc.obj, p, &oc.props),
                ),
                _ => pools.extend(self.pool_from(oc)),
            }
        }
        pools.sort_by(|a, b| a.name.cmp(&b.name));
        pools.extend(targets);
        Ok(pools)
    }

    /// A datastore's facts as a pool; `None` when no host of the scope mounts it.
    pub(crate) fn pool_from(&self, oc: ObjectContent) -> Option<PoolFacts> {
        let f = DatastorePoolFacts::from_node(&oc.props)?;
        // The mount of a host of this scope decides the path and the datacenter.
        let ep = &self.primary;
        let (mount, placement) = f.mounts.iter().find_map(|m| {
            let p = ep.scope.placement_of(&ep.client, m.host.as_ref()?).ok()??;
            Some((m.path.clone(), p))
        })?;
        Some(PoolFacts {
            moref: oc.obj,
            uuid: pool_uuid(&mount),
            kind: kind_of(f.info.as_ref()),
            capacity: f.capacity.max(0) as u64,
            free: f.free.max(0) as u64,
            accessible: f.accessible,
            mount_path: mount,
            datacenter: placement.datacenter.clone(),
            datacenter_path: placement.datacenter_path.clone(),
            browser: f.browser,
            name: f.name,
            fetched: Instant::now(),
        })
    }

    /// The datastore system of the connection's one host (one round trip); mounting and
    /// unmounting are a host's business.
    pub(crate) fn datastore_system(&self, api: &str) -> Result<MoRef> {
        let host = self.primary.single_host(api)?.host.clone();
        let path = "configManager.datastoreSystem";
        self.primary
            .client
            .retrieve_one(&host, &[path])?
            .and_then(|oc| oc.props.path(path).and_then(MoRef::from_node))
            .ok_or_else(|| Error::esx(Code::NoSupport, "The host has no datastore system"))
    }

    /// `virStoragePoolCreateXML`/`DefineXML` of a `netfs` pool: the NFS share mounted on the
    /// connection's host as a datastore of that name (`CreateNasDatastore`).
    pub fn create_nfs_pool(&self, xml: &str, api: &str) -> Result<PoolFacts> {
        self.check_writable(api)?;
        let def = NfsPoolDef::parse(xml)?;
        if !crate::vmx::datastore::one_name(&def.name) {
            return Err(Error::esx(
                Code::XmlError,
                format!(
                    "pool name '{}' must be one name, without '/', and not '.' or '..'",
                    crate::error::shorten(&def.name, 64)
                ),
            ));
        }
        if self.list_pools()?.iter().any(|p| p.name == def.name) {
            return Err(Error::esx(
                Code::OperationFailed,
                format!("Storage pool '{}' already exists", def.name),
            ));
        }
        let ds = self
            .primary
            .client
            .invoke(&CreateNasDatastore {
                this: self.datastore_system(api)?,
                spec: HostNasVolumeSpec {
                    remote_host: def.host,
                    remote_path: def.dir,
                    local_path: def.name.clone(),
                    access_mode: "readWrite".into(),
                    kind: Some("NFS".into()),
                },
            })
            .map_err(|e| {
                Error::from(e).context(&format!("Could not mount NFS datastore '{}'", def.name))
            })?;
        self.primary
            .client
            .retrieve_one(&ds, DatastorePoolFacts::PATHS)?
            .and_then(|oc| self.pool_from(oc))
            .ok_or_else(|| no_pool(format!("The new datastore '{}' is not mounted", def.name)))
    }

    /// The pool whose target path (its mount path on the scope's hosts) is `path`, as
    /// virStoragePoolLookupByTargetPath; a trailing `/` is ignored.
    pub fn pool_by_target_path(&self, path: &str) -> Result<PoolFacts> {
        let want = path.trim_end_matches('/');
        self.list_pools()?
            .into_iter()
            .find(|p| !p.mount_path.is_empty() && p.mount_path.trim_end_matches('/') == want)
            .ok_or_else(|| {
                no_pool(format!(
                    "no storage pool with matching target path '{}'",
                    crate::error::shorten(path, 256)
                ))
            })
    }

    /// The pool of that datastore name: one round trip. A name two datacenters of the scope
    /// both use is refused, naming them.
    pub fn pool_by_name(&self, name: &str) -> Result<PoolFacts> {
        let mut found: Vec<PoolFacts> = self
            .list_pools()?
            .into_iter()
            .filter(|p| p.name == name)
            .collect();
        match found.len() {
            0 => Err(no_pool(format!(
                "Could not find storage pool with name '{name}'"
            ))),
            1 => Ok(found.remove(0)),
            _ => Err(Error::esx(
                Code::OperationFailed,
                format!(
                    "Storage pool name '{name}' stands for datastores of several datacenters \
                     ({}); connect to one datacenter",
                    found
                        .iter()
                        .map(|p| p.datacenter_path.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// libvirt's `virStoragePoolLookupByUUID`: the pool with that UUID (one round trip);
    /// `VIR_ERR_NO_STORAGE_POOL` when there is none.
    pub fn pool_by_uuid(&self, uuid: &Uuid) -> Result<PoolFacts> {
        self.list_pools()?
            .into_iter()
            .find(|p| p.uuid == *uuid)
            .ok_or_else(|| no_pool(format!("Could not find storage pool with UUID '{uuid}'")))
    }
}
