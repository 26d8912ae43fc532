//! CPU time from PerformanceManager's realtime samples: `cpu.used.summation` (milliseconds
//! of CPU used in each 20 s sample, all vCPUs together) added up per VM into a cumulative,
//! monotonic total, as libvirt's `cpu.time` is.
//!
//! The total counts from the first sample the connection saw: each query asks for the
//! newest hour (the realtime window) and adds only samples newer than the last one counted,
//! so reading at least once an hour misses none. The counter's id is looked up once per
//! connection. Entities are queried in batches of `BATCH`, well below the ~17,000 at which
//! vCenters are known to time out, and large enough that 1,000 VMs take one request.

use crate::driver::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::datetime::epoch_seconds;
use crate::vi::methods::QueryPerf;
use crate::vi::perf::{PerfCounterInfo, PerfMetricId, PerfQuerySpec};
use crate::vi::soap::MoRef;
use crate::vi::types::Field;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

const BATCH: usize = 1000;
/// One hour of 20 s samples.
const SAMPLES: i32 = 180;
const REALTIME: i32 = 20;

#[derive(Default)]
pub struct Perf {
    cpu_used: OnceLock<i32>,
    /// Per VM: nanoseconds counted, and the newest sample's time (epoch seconds).
    totals: Mutex<HashMap<String, (u64, i64)>>,
}

impl Perf {
    fn totals(&self) -> MutexGuard<'_, HashMap<String, (u64, i64)>> {
        self.totals.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Connection {
    fn perf_manager(&self) -> Result<MoRef> {
        self.primary
            .client
            .content()
            .perf_manager
            .clone()
            .ok_or_else(|| {
                Error::esx(
                    Code::NoSupport,
                    "this server has no PerformanceManager: no statistics",
                )
            })
    }

    /// The key of `cpu.used.summation`, read once.
    fn cpu_used_counter(&self) -> Result<i32> {
        if let Some(k) = self.perf.cpu_used.get() {
            return Ok(*k);
        }
        let pm = self.perf_manager()?;
        let props = self
            .primary
            .client
            .retrieve_one(&pm, &["perfCounter"])?
            .map(|oc| oc.props)
            .unwrap_or_default();
        let key = Vec::<PerfCounterInfo>::read(&props, "perfCounter")
            .into_iter()
            .find(|c| c.group == "cpu" && c.name == "used" && c.rollup == "summation")
            .map(|c| c.key)
            .ok_or_else(|| {
                Error::esx(
                    Code::NoSupport,
                    "this server has no cpu.used.summation counter",
                )
            })?;
        Ok(*self.perf.cpu_used.get_or_init(|| key))
    }

    /// Cumulative CPU time in nanoseconds of each VM (`morefs`), from as few QueryPerf
    /// requests as `BATCH` allows.
    pub fn cpu_times(&self, morefs: &[MoRef]) -> Result<HashMap<MoRef, u64>> {
        if morefs.is_empty() {
            return Ok(HashMap::new());
        }
        let counter = self.cpu_used_counter()?;
        let pm = self.perf_manager()?;
        let mut out = HashMap::new();
        for batch in morefs.chunks(BATCH) {
            let call = QueryPerf {
                this: pm.clone(),
                query_spec: batch
                    .iter()
                    .map(|m| PerfQuerySpec {
                        entity: Some(m.clone()),
                        max_sample: Some(SAMPLES),
                        metric_id: vec![PerfMetricId {
                            counter_id: counter,
                            instance: String::new(),
                        }],
                        interval_id: Some(REALTIME),
                    })
                    .collect(),
            };
            let answers = self.primary.client.invoke(&call)?;
            let mut totals = self.perf.totals();
            for m in answers {
                let Some(entity) = m.entity else { continue };
                let times: Vec<i64> = m
                    .sample_info
                    .iter()
                    .map(|s| epoch_seconds(&s.timestamp).unwrap_or(0))
                    .collect();
                let entry = totals.entry(entity.value.clone()).or_insert((0, i64::MIN));
                let (mut ns, last) = *entry;
                let mut newest = last;
                for series in m.value.iter().filter(|v| v.id.counter_id == counter) {
                    for (t, ms) in times.iter().zip(&series.value) {
                        if *t > last {
                            ns = ns.saturating_add((*ms).max(0) as u64 * 1_000_000);
                            newest = newest.max(*t);
                        }
                    }
                }
                *entry = (ns, newest);
                out.insert(entity, ns);
            }
        }
        Ok(out)
    }
}
