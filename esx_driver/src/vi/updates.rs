//! Watching properties with WaitForUpdatesEx on a private PropertyCollector: the task runner
//! waits on one task with it, the event watcher on every VM of a scope.
//!
//! A private collector because WaitForUpdatesEx must not run concurrently on one collector,
//! and connections are shared between threads; destroying it destroys its filters.

use super::Client;
use super::error::{Error, Result};
use super::methods::{
    CancelWaitForUpdates, CreateFilter, CreatePropertyCollector, DestroyPropertyCollector,
    WaitForUpdatesEx,
};
use super::property::{FilterSpec, ObjectUpdate, WaitOptions};
use super::soap::MoRef;
use std::time::Duration;

/// A collector with its filters, and the version of the last updates seen.
pub struct Watch {
    pub collector: MoRef,
    version: String,
    /// Whether the last answer held only part of the changes (the rest come next).
    pub truncated: bool,
}

impl Client {
    /// A private collector with one filter per spec.
    pub fn watch(&self, specs: &[FilterSpec]) -> Result<Watch> {
        let collector =
            self.content().property_collector.clone().ok_or_else(|| {
                Error::protocol("The server has no property collector to watch with")
            })?;
        let pc = self.invoke(&CreatePropertyCollector { this: collector })?;
        let w = Watch {
            collector: pc,
            version: String::new(),
            truncated: false,
        };
        for spec in specs {
            let made = self.invoke(&CreateFilter {
                this: w.collector.clone(),
                spec: spec.to_spec(),
                partial_updates: false,
            });
            if let Err(e) = made {
                self.end_watch(w);
                return Err(e);
            }
        }
        Ok(w)
    }

    /// The changes since the last call (the first call: every object as it is now), waiting
    /// up to `wait` on the server; kept below the HTTP call timeout so that an idle wait
    /// never looks like a dead server. Empty when the wait ended without news.
    pub fn next_updates(&self, w: &mut Watch, wait: Duration) -> Result<Vec<ObjectUpdate>> {
        let limit = self
            .transport()
            .call_timeout()
            .as_secs()
            .saturating_sub(2)
            .max(1);
        let call = WaitForUpdatesEx {
            this: w.collector.clone(),
            version: Some(w.version.clone()),
            options: Some(WaitOptions {
                max_wait_seconds: Some(wait.as_secs().clamp(1, limit) as i32),
                max_object_updates: None,
            }),
        };
        let Some(set) = self.invoke(&call)? else {
            w.truncated = false;
            return Ok(Vec::new());
        };
        w.version = set.version.trim().to_string();
        w.truncated = set.truncated == Some(true);
        Ok(set
            .filter_set
            .into_iter()
            .flat_map(|f| f.object_set)
            .collect())
    }

    /// Ends a wait in progress on another thread (it fails with RequestCanceled).
    pub fn cancel_watch(&self, collector: &MoRef) {
        let _ = self.invoke(&CancelWaitForUpdates {
            this: collector.clone(),
        });
    }

    /// Destroys the collector and with it its filters.
    pub fn end_watch(&self, w: Watch) {
        let _ = self.invoke(&DestroyPropertyCollector { this: w.collector });
    }
}
