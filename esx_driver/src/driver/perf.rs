//! Cumulative counters from PerformanceManager's realtime (20 s) samples: each sample is
//! turned into an amount (CPU nanoseconds, bytes, packets, requests) and added up per
//! entity, counter and instance into a monotonic total, as libvirt's statistics are.
//!
//! A summation counter's sample is already an amount per interval (`cpu.used`: ms used in
//! it, all vCPUs together; `net.packetsRx`: packets); an average rate is multiplied by the
//! interval (`net.bytesRx`: KB/s × 20 s × 1024; `virtualDisk.numberReadAveraged`: per s ×
//! 20 s). Totals count from the newest sample when a series is first read (a libvirt
//! counter starts somewhere; callers take differences); later queries start at the newest
//! sample counted and add only newer ones, so reading at least once an hour (the realtime
//! window) misses none.
//!
//! Counter ids are looked up once per connection. Queries go in batches of at most `BATCH`
//! entities and `VALUES` values, well below the ~17,000 VMs at which vCenters are known to
//! time out and the transport's answer limit; 1,000 VMs read every minute take one request.

use crate::error::{Code, Error, Result};
use crate::vi::Client;
use crate::vi::datetime::{epoch_seconds, format_epoch};
use crate::vi::methods::QueryPerf;
use crate::vi::perf::{PerfCounterInfo, PerfMetricId, PerfQuerySpec};
use crate::vi::soap::MoRef;
use crate::vi::types::Field;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Instant;

const BATCH: usize = 1000;
/// Values in one answer: ~10 MB of XML, far below the transport's 64 MiB limit; 1,000 VMs
/// with a few NICs and disks read every minute take one request.
const VALUES: usize = 500_000;
/// One hour of 20 s samples.
const SAMPLES: i32 = 180;
const REALTIME: i32 = 20;

/// How one sample becomes an amount.
#[derive(Clone, Copy)]
enum Rule {
    /// An amount per interval, times a unit (ms → ns: 1,000,000).
    Sum(u64),
    /// A per-second rate, times the interval and a unit (KB → bytes: 1,024).
    Rate(u64),
}

macro_rules! counters {
    ($($variant:ident = $group:literal . $name:literal . $rollup:literal, $rule:expr;)*) => {
        /// A counter this library adds up.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Counter { $($variant),* }

        impl Counter {
            const ALL: &[(Counter, &str, &str, &str, Rule)] =
                &[$((Counter::$variant, $group, $name, $rollup, $rule)),*];
        }
    };
}

counters! {
    CpuUsed = "cpu"."used"."summation", Rule::Sum(1_000_000);
    CpuIdle = "cpu"."idle"."summation", Rule::Sum(1_000_000);
    CpuSystem = "cpu"."system"."summation", Rule::Sum(1_000_000);
    NetRxBytes = "net"."bytesRx"."average", Rule::Rate(1024);
    NetTxBytes = "net"."bytesTx"."average", Rule::Rate(1024);
    NetRxPackets = "net"."packetsRx"."summation", Rule::Sum(1);
    NetTxPackets = "net"."packetsTx"."summation", Rule::Sum(1);
    NetRxErrors = "net"."errorsRx"."summation", Rule::Sum(1);
    NetTxErrors = "net"."errorsTx"."summation", Rule::Sum(1);
    NetRxDrops = "net"."droppedRx"."summation", Rule::Sum(1);
    NetTxDrops = "net"."droppedTx"."summation", Rule::Sum(1);
    DiskReadReqs = "virtualDisk"."numberReadAveraged"."average", Rule::Rate(1);
    DiskWriteReqs = "virtualDisk"."numberWriteAveraged"."average", Rule::Rate(1);
    DiskReadBytes = "virtualDisk"."read"."average", Rule::Rate(1024);
    DiskWriteBytes = "virtualDisk"."write"."average", Rule::Rate(1024);
}

impl Counter {
    fn rule(self) -> Rule {
        Counter::ALL
            .iter()
            .find(|c| c.0 == self)
            .map(|c| c.4)
            .unwrap_or(Rule::Sum(1))
    }
}

/// A series: a counter of one instance (a NIC's device key, a disk's `scsi0:0`; "" for
/// the entity as a whole).
pub(crate) type Series = (Counter, String);

/// An entity's totals by series; a series the server has no samples of is absent.
pub(crate) type Totals = HashMap<Series, u64>;

/// A series' total: the amount counted, the newest sample's time (epoch s, server clock)
/// and when it was last read (local clock).
struct Total {
    amount: u64,
    newest: i64,
    read: Instant,
}

/// One entity's query: some of its series, from `start` (`None`: the newest samples).
struct Ask {
    entity: MoRef,
    series: Vec<Series>,
    start: Option<i64>,
    samples: i32,
}

impl Ask {
    fn new(entity: &MoRef, series: &[&Series], start: Option<i64>, samples: i32) -> Ask {
        Ask {
            entity: entity.clone(),
            series: series.iter().map(|s| (*s).clone()).collect(),
            start,
            samples,
        }
    }

    /// The values its answer holds at most.
    fn values(&self) -> usize {
        self.series.len() * self.samples.max(1) as usize
    }
}

#[derive(Default)]
pub(crate) struct Perf {
    /// The server's counter ids, read once.
    ids: OnceLock<HashMap<Counter, i32>>,
    totals: Mutex<HashMap<(String, Series), Total>>,
}

impl Perf {
    fn totals(&self) -> MutexGuard<'_, HashMap<(String, Series), Total>> {
        self.totals.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Perf {
    fn perf_manager(&self, client: &Client) -> Result<MoRef> {
        client.content().perf_manager.clone().ok_or_else(|| {
            Error::esx(
                Code::NoSupport,
                "this server has no PerformanceManager: no statistics",
            )
        })
    }

    /// The ids of the counters this library uses, read once (`perfCounter`).
    fn counter_ids(&self, client: &Client) -> Result<&HashMap<Counter, i32>> {
        if let Some(ids) = self.ids.get() {
            return Ok(ids);
        }
        let pm = self.perf_manager(client)?;
        let props = client
            .retrieve_one(&pm, &["perfCounter"])?
            .map(|oc| oc.props)
            .unwrap_or_default();
        let infos = Vec::<PerfCounterInfo>::read(&props, "perfCounter");
        let ids = Counter::ALL
            .iter()
            .filter_map(|(c, group, name, rollup, _)| {
                infos
                    .iter()
                    .find(|i| i.group == *group && i.name == *name && i.rollup == *rollup)
                    .map(|i| (*c, i.key))
            })
            .collect();
        Ok(self.ids.get_or_init(|| ids))
    }

    /// The totals of each entity's series (`asks`), from as few QueryPerf requests as the
    /// bounds allow; none when nothing is asked. A counter the server lacks is left out.
    pub(crate) fn counted(
        &self,
        client: &Client,
        asks: &[(MoRef, Vec<Series>)],
    ) -> Result<HashMap<MoRef, Totals>> {
        if asks.iter().all(|a| a.1.is_empty()) {
            return Ok(HashMap::new());
        }
        let ids = self.counter_ids(client)?;
        let pm = self.perf_manager(client)?;
        let specs = self.specs(ids, asks);
        let mut out = HashMap::new();
        let mut rest = &specs[..];
        while !rest.is_empty() {
            let (mut take, mut values) = (0, 0);
            while take < rest.len() && take < BATCH && (take == 0 || values < VALUES) {
                values += rest[take].values();
                take += 1;
            }
            let (batch, later) = rest.split_at(take);
            rest = later;
            self.count_batch(client, &pm, ids, batch, &mut out)?;
        }
        Ok(out)
    }

    /// The queries for `asks`: per entity, one for the series counted before (from the
    /// newest sample counted, as many samples as the time since allows) and one for new
    /// series (their newest sample only: a total starts there).
    fn specs(&self, ids: &HashMap<Counter, i32>, asks: &[(MoRef, Vec<Series>)]) -> Vec<Ask> {
        let totals = self.totals();
        let mut specs = Vec::new();
        for (entity, series) in asks {
            let known = |s: &Series| totals.get(&(entity.value.clone(), s.clone()));
            let (old, new): (Vec<&Series>, Vec<&Series>) = series
                .iter()
                .filter(|s| ids.contains_key(&s.0))
                .partition(|s| known(s).is_some_and(|t| t.newest != i64::MIN));
            if !old.is_empty() {
                let since = old.iter().filter_map(|s| known(s)).min_by_key(|t| t.newest);
                let start = since.map(|t| t.newest).unwrap_or_default();
                // Samples come every 20 s; two more for clocks and a sample in flight.
                let elapsed = since.map(|t| t.read.elapsed().as_secs()).unwrap_or(0);
                let samples = (elapsed / REALTIME as u64 + 2).min(SAMPLES as u64) as i32;
                specs.push(Ask::new(entity, &old, Some(start), samples));
            }
            if !new.is_empty() {
                specs.push(Ask::new(entity, &new, None, 1));
            }
        }
        specs
    }

    fn count_batch(
        &self,
        client: &Client,
        pm: &MoRef,
        ids: &HashMap<Counter, i32>,
        batch: &[Ask],
        out: &mut HashMap<MoRef, Totals>,
    ) -> Result<()> {
        let query_spec = batch
            .iter()
            .map(|a| PerfQuerySpec {
                entity: Some(a.entity.clone()),
                start_time: a.start.map(format_epoch),
                max_sample: Some(a.samples),
                metric_id: a
                    .series
                    .iter()
                    .filter_map(|(c, instance)| {
                        Some(PerfMetricId {
                            counter_id: *ids.get(c)?,
                            instance: instance.clone(),
                        })
                    })
                    .collect(),
                interval_id: Some(REALTIME),
            })
            .collect();
        let answers = client.invoke(&QueryPerf {
            this: pm.clone(),
            query_spec,
        })?;
        let by_id: HashMap<i32, Counter> = ids.iter().map(|(c, k)| (*k, *c)).collect();
        let mut totals = self.totals();
        for m in answers {
            let Some(entity) = m.entity else { continue };
            let samples: Vec<(i64, u64)> = m
                .sample_info
                .iter()
                .map(|s| {
                    let t = epoch_seconds(&s.timestamp).unwrap_or(0);
                    (t, s.interval.clamp(1, 86_400) as u64)
                })
                .collect();
            for v in &m.value {
                let Some(counter) = by_id.get(&v.id.counter_id).copied() else {
                    continue;
                };
                let key: Series = (counter, v.id.instance.clone());
                let asked = batch
                    .iter()
                    .any(|a| a.entity == entity && a.series.contains(&key));
                if !asked {
                    continue;
                }
                let entry = totals
                    .entry((entity.value.clone(), key.clone()))
                    .or_insert(Total {
                        amount: 0,
                        newest: i64::MIN,
                        read: Instant::now(),
                    });
                let last = entry.newest;
                for ((t, interval), x) in samples.iter().zip(&v.value) {
                    if *t <= last {
                        continue;
                    }
                    let x = (*x).max(0) as u64;
                    let add = match counter.rule() {
                        Rule::Sum(unit) => x.saturating_mul(unit),
                        Rule::Rate(unit) => x.saturating_mul(*interval).saturating_mul(unit),
                    };
                    entry.amount = entry.amount.saturating_add(add);
                }
                // Every sample time of the answer is seen, even where a series sends fewer
                // values (a series of zeros may come empty).
                if let Some(t) = samples.iter().map(|s| s.0).max() {
                    entry.newest = entry.newest.max(t);
                }
                entry.read = Instant::now();
                out.entry(entity.clone())
                    .or_default()
                    .insert(key, entry.amount);
            }
        }
        Ok(())
    }

    /// Cumulative CPU time of each VM (`morefs`); one without samples is left out.
    pub(crate) fn cpu_times(
        &self,
        client: &Client,
        morefs: &[MoRef],
    ) -> Result<HashMap<MoRef, CpuTime>> {
        let series = CpuTime::series();
        let asks: Vec<(MoRef, Vec<Series>)> =
            morefs.iter().map(|m| (m.clone(), series.clone())).collect();
        Ok(self
            .counted(client, &asks)?
            .into_iter()
            .filter_map(|(m, t)| Some((m, CpuTime::of(&t)?)))
            .collect())
    }
}

/// A VM's CPU time in nanoseconds: `cpu.used` in all, of which `cpu.system` is the time the
/// hypervisor spent on the VM's behalf; the rest is counted as the guest's (user) time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTime {
    /// All CPU time (`cpu.used`).
    pub total: u64,
    /// The guest's part, where the server keeps `cpu.system`.
    pub user: Option<u64>,
    /// The hypervisor's part (`cpu.system`).
    pub system: Option<u64>,
}

impl CpuTime {
    /// The series it is read from.
    pub(crate) fn series() -> Vec<Series> {
        vec![
            (Counter::CpuUsed, String::new()),
            (Counter::CpuSystem, String::new()),
        ]
    }

    /// From a VM's totals; `None` without `cpu.used`.
    pub(crate) fn of(t: &Totals) -> Option<CpuTime> {
        let total = *t.get(&(Counter::CpuUsed, String::new()))?;
        let system = t.get(&(Counter::CpuSystem, String::new())).copied();
        Some(CpuTime {
            total,
            user: system.map(|s| total.saturating_sub(s)),
            system,
        })
    }
}
