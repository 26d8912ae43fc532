//! PerformanceManager's data: counter descriptions (`perfCounter`) and QueryPerf's specs and
//! answers (realtime samples as integer series).

use super::soap::MoRef;
use super::types::vim_type;

// A counter: its key and what it measures (`cpu` / `used` / `summation`).
vim_type!(PerfCounterInfo {
    key: i32 = "key",
    group: String = "groupInfo.key",
    name: String = "nameInfo.key",
    rollup: String = "rollupType",
});

vim_type!(write PerfMetricId {
    counter_id: i32 = "counterId",
    instance: String = "instance",
});

// One entity's query, WSDL order: the newest `max_sample` samples after `start_time`.
vim_type!(write PerfQuerySpec {
    entity: Option<MoRef> = "entity",
    start_time: Option<String> = "startTime",
    max_sample: Option<i32> = "maxSample",
    metric_id: Vec<PerfMetricId> = "metricId",
    interval_id: Option<i32> = "intervalId",
});

vim_type!(PerfSampleInfo {
    timestamp: String = "timestamp",
    interval: i32 = "interval",
});

vim_type!(PerfMetricIntSeries {
    id: PerfMetricId = "id",
    value: Vec<i64> = "value",
});

// An entity's samples (PerfEntityMetric).
vim_type!(PerfEntityMetric {
    entity: Option<MoRef> = "entity",
    sample_info: Vec<PerfSampleInfo> = "sampleInfo",
    value: Vec<PerfMetricIntSeries> = "value",
});
