//! Datastores as libvirt storage pools: every datastore the scope's hosts mount, read with its
//! facts in one round trip, named by its datastore name and identified as libvirt's ESX driver
//! identifies it (the MD5 of its mount path).

use super::iscsi;
use super::pool::{PoolFacts, PoolKind, kind_of, no_pool, pool_uuid};
use crate::driver::Connection;
use crate::driver::storage::Pool;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::{CreateNasDatastore, RefreshDatastore, RemoveDatastore};
use crate::vi::property::{FilterSpec, ObjectContent};
use crate::vi::specs::HostNasVolumeSpec;
use crate::vi::types::Field;
use crate::vi::types::FromNode;
use crate::vi::views::datastore::DatastorePoolFacts;
use crate::xml::ids::Uuid;
use crate::xml::storage::NfsPoolDef;
use std::time::Instant;

impl Connection {
    /// Every datastore the scope's hosts mount, with its facts, then the static targets of
    /// their iSCSI adapters: one round trip.
    pub fn list_pools(&self) -> Result<Vec<PoolFacts>> {
        let ep = &self.primary;
        let hosts: Vec<MoRef> = ep.scope.hosts.iter().map(|p| p.host.clone()).collect();
        let (Some(datastores), Some(adapters)) = (
            FilterSpec::neighbours_of(
                &hosts,
                "HostSystem",
                "datastore",
                "Datastore",
                DatastorePoolFacts::PATHS,
            ),
            FilterSpec::objects("HostSystem", &hosts, &[iscsi::ADAPTERS]),
        ) else {
            return Ok(Vec::new());
        };
        let (mut pools, mut targets) = (Vec::new(), Vec::new());
        for oc in ep.client.retrieve_all(&[datastores, adapters])? {
            match ep.scope.placement_of(&oc.obj) {
                Some(p) if oc.obj.kind == "HostSystem" => {
                    targets.extend(iscsi::pools_of(&oc.obj, p, &oc.props))
                }
                _ => pools.extend(self.pool_from(oc)),
            }
        }
        pools.sort_by(|a, b| a.name.cmp(&b.name));
        pools.extend(targets);
        Ok(pools)
    }

    /// A datastore's facts as a pool; `None` when no host of the scope mounts it.
    fn pool_from(&self, oc: ObjectContent) -> Option<PoolFacts> {
        let f = DatastorePoolFacts::from_node(&oc.props)?;
        // The mount of a host of this scope decides the path and the datacenter.
        let (mount, placement) = f.mounts.iter().find_map(|m| {
            let p = self.primary.scope.placement_of(m.host.as_ref()?)?;
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
    fn datastore_system(&self, api: &str) -> Result<MoRef> {
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

    /// The pool of that datastore name: one round trip. A name two datacenters of the scope
    /// both use is refused, naming them.
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

    pub fn pool_by_uuid(&self, uuid: &Uuid) -> Result<PoolFacts> {
        self.list_pools()?
            .into_iter()
            .find(|p| p.uuid == *uuid)
            .ok_or_else(|| no_pool(format!("Could not find storage pool with UUID '{uuid}'")))
    }
}

impl Pool {
    /// The pool as the server has it now: one round trip (an iSCSI pool's facts never change).
    pub fn current(&self) -> Result<PoolFacts> {
        let (conn, pool) = (self.conn(), self.facts());
        if matches!(pool.kind, PoolKind::Iscsi { .. }) {
            return Ok(pool.clone());
        }
        conn.primary
            .client
            .retrieve_one(&pool.moref, DatastorePoolFacts::PATHS)?
            .and_then(|oc| conn.pool_from(oc))
            .ok_or_else(|| {
                no_pool(format!(
                    "Could not find storage pool with name '{}'",
                    pool.name
                ))
            })
    }

    /// The pool's facts, from its handle while fresh, else read again.
    pub fn fresh(&self) -> Result<PoolFacts> {
        let pool = self.facts();
        match pool.is_fresh() {
            true => Ok(pool.clone()),
            false => self.current(),
        }
    }

    /// `virStoragePoolRefresh`: the datastore's space facts brought up to date on the server.
    pub fn refresh(&self) -> Result<()> {
        let (conn, pool) = (self.conn(), self.facts());
        if matches!(pool.kind, PoolKind::Iscsi { .. }) {
            return self.rescan_iscsi();
        }
        Ok(conn.primary.client.invoke(&RefreshDatastore {
            this: pool.moref.clone(),
        })?)
    }

    /// `virStoragePoolDestroy`/`Undefine` of an NFS pool: the datastore unmounted from the
    /// connection's host (`RemoveDatastore`); refused while VMs live on it.
    pub fn remove_nfs(&self, api: &str) -> Result<()> {
        let (conn, pool) = (self.conn(), self.facts());
        if !matches!(pool.kind, PoolKind::Netfs { .. }) {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Removing the {} datastore '{}' is not supported: only NFS datastores are \
                     unmounted through libvirt's API",
                    pool.kind_name(),
                    pool.name
                ),
            ));
        }
        let vms: Vec<MoRef> = conn
            .primary
            .client
            .retrieve_one(&pool.moref, &["vm"])?
            .map(|oc| Vec::<MoRef>::read(&oc.props, "vm"))
            .unwrap_or_default();
        if !vms.is_empty() {
            return Err(Error::esx(
                Code::OperationInvalid,
                format!(
                    "Datastore '{}' holds {} virtual machine(s) ({}); move or unregister them first",
                    pool.name,
                    vms.len(),
                    vms.iter()
                        .map(|v| v.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        conn.primary
            .client
            .invoke(&RemoveDatastore {
                this: conn.datastore_system(api)?,
                datastore: pool.moref.clone(),
            })
            .map_err(|e| {
                Error::from(e).context(&format!("Could not unmount datastore '{}'", pool.name))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_the_md5_of_the_mount_path() {
        for (path, uuid) in [
            (
                "/vmfs/volumes/4b0beca7-7fd401f3-1d7f-000ae484a6a3",
                "76c0e119-50c6-98e7-f08b-8d9609e38fdb",
            ),
            (
                "/vmfs/volumes/5f1e7b4a-3c2d1e0f",
                "33935e6e-826d-c58b-fa37-9b18557c7842",
            ),
        ] {
            assert_eq!(pool_uuid(path).to_string(), uuid);
        }
    }
}
