//! A domain as an object: its connection and the VM as last seen, with the rule for when that
//! view is fresh enough to answer from, so callers never carry VM snapshots around themselves.

use super::Vm;
use crate::driver::Connection;
use crate::error::Result;
use std::sync::{Arc, Mutex};

pub struct Domain {
    conn: Arc<Connection>,
    vm: Mutex<Vm>,
}

impl Domain {
    pub fn new(conn: Arc<Connection>, vm: Vm) -> Domain {
        Domain {
            conn,
            vm: Mutex::new(vm),
        }
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The VM as last seen: enough for its identity (name, UUID, managed object).
    pub fn cached(&self) -> Vm {
        self.vm.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn keep(&self, vm: &Vm) {
        *self.vm.lock().unwrap_or_else(|p| p.into_inner()) = vm.clone();
    }

    /// The VM's current state: the cached view while it is fresh (`FRESH_FOR`), else read
    /// again (one round trip) and kept.
    pub fn current(&self) -> Result<Vm> {
        let vm = self.conn.current_vm(&self.cached())?;
        self.keep(&vm);
        Ok(vm)
    }

    /// Runs an operation that answers with the VM's new state, and keeps that state.
    pub fn change(&self, op: impl FnOnce(&Connection, &Vm) -> Result<Vm>) -> Result<()> {
        let vm = op(&self.conn, &self.cached())?;
        self.keep(&vm);
        Ok(())
    }

    /// Runs an operation on the VM as last seen (it refreshes what it needs itself).
    pub fn with<T>(&self, op: impl FnOnce(&Connection, &Vm) -> Result<T>) -> Result<T> {
        op(&self.conn, &self.cached())
    }
}
