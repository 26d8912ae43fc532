//! Datastores as libvirt storage pools: every datastore the scope's hosts mount, read with its
//! facts in one round trip, named by its datastore name and identified as libvirt's ESX driver
//! identifies it (the MD5 of its mount path).

use super::pool::{PoolFacts, PoolKind, no_pool};
use crate::driver::storage::Pool;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::methods::{RefreshDatastore, RemoveDatastore};
use crate::vi::types::Field;
use crate::vi::views::datastore::DatastorePoolFacts;

impl Pool {
    /// `virStoragePoolSetAutostart`: a host always mounts its datastores, so turning autostart
    /// on changes nothing and turning it off is refused.
    pub fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn().check_writable("virStoragePoolSetAutostart")?;
        match on {
            true => Ok(()),
            false => Err(Error::internal(
                "Cannot deactivate storage pool autostart: a host always mounts its datastores",
            )),
        }
    }

    /// The pool as the server has it now: one round trip (an iSCSI pool's facts never change).
    pub(crate) fn current(&self) -> Result<PoolFacts> {
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
        self.conn().check_writable("virStoragePoolRefresh")?;
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
        self.conn().check_writable(api)?;
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
