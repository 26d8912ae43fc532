//! Scale on a vCenter simulator of up to 40,000 VMs on 2,500 hosts: connect + list with state at
//! every scope, each lister a whole process (ours through the C API, the raw SOAP floor, govmomi's
//! ContainerView lister) timed with its peak RSS; connect + list + info against the two-read
//! floor; all-domain stats' round trips; the first event registration and an idle event loop.
//! `cargo bench --bench scale` (SCALE_SIZES=1000,10000,40000, SCALE_RUNS=3, IDLE_SECONDS=60;
//! SCALE_PERF_MAX=10000: info and stats need QueryPerf, which the simulator does not answer
//! for 40,000 VMs in minutes).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Creds, Sim, cpu_time};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::abi::flags::ListDomainsFlags;
use virt_esx::driver::Connection;
use virt_esx::driver::domain::stats::groups;
use virt_esx::event::poll::PollLoop;
use virt_esx::ffi::connection::domains::virConnectListAllDomains;
use virt_esx::ffi::connection::virConnectClose;
use virt_esx::ffi::domain::object::virDomainFree;
use virt_esx::ffi::domain::status::{virDomainGetInfo, virDomainGetState};
use virt_esx::ffi::types::{virDomainInfo, virDomainPtr};

/// The scopes listed: label, our URI path, and the inventory path a hand-written client (and
/// govmomi) looks the container up by.
const SCOPES: &[(&str, &str, &str)] = &[
    ("root", "/", ""),
    ("datacenter", "/DC0", "DC0"),
    ("cluster", "/DC0/DC0_C0", "DC0/host/DC0_C0"),
];

/// The sizing properties our info batch reads (a listing's state is still fresh then).
const SIZING: &[&str] = &[
    "config.hardware.memoryMB",
    "config.hardware.numCPU",
    "config.memoryAllocation.limit",
];

/// Two datacenters of ten clusters each, no standalone hosts: 40,000 VMs on 2,500 hosts at
/// n = 40,000, and the same shape scaled down (at least one host per cluster).
fn layout(n: usize) -> Vec<String> {
    let hosts = (n / 320).max(1).to_string();
    let per_cluster = (n / 20).max(1).to_string();
    [
        "-mode",
        "vpx",
        "-http",
        "-dc",
        "2",
        "-standalone",
        "0",
        "-cluster",
        "10",
    ]
    .into_iter()
    .map(String::from)
    .chain(["-hosts".into(), hosts, "-vms".into(), per_cluster])
    .collect()
}

/// Ours, in a child process: open, list all, then state (or info) of each; closed. Returns
/// the VM count.
fn ours(uri: &str, info: bool) -> usize {
    let c = common::open_c_as_root(uri);
    assert!(!c.is_null(), "open failed");
    // SAFETY: a live connection; every handle is freed below.
    unsafe {
        let mut doms: *mut virDomainPtr = std::ptr::null_mut();
        let n = virConnectListAllDomains(c, &mut doms, 0);
        assert!(n > 0);
        for i in 0..n as usize {
            let d = *doms.add(i);
            if info {
                let mut out: virDomainInfo = std::mem::zeroed();
                assert_eq!(virDomainGetInfo(d, &mut out), 0);
            } else {
                let (mut state, mut reason) = (0, 0);
                assert_eq!(virDomainGetState(d, &mut state, &mut reason, 0), 0);
            }
            virDomainFree(d);
        }
        libc::free(doms.cast());
        virConnectClose(c);
        n as usize
    }
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>{body}\
         </soapenv:Body></soapenv:Envelope>"
    )
}

/// The text of the first `<tag>…</tag>` in `xml` (enough for the floor's own answers).
fn first<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let start = xml.find(&open)?;
    let after = start + xml[start..].find('>')? + 1;
    let end = after + xml[after..].find(&format!("</{tag}>"))?;
    Some(&xml[after..end])
}

/// The raw floor, in a child process: RetrieveServiceContent, Login, (at a scope,
/// FindByInventoryPath), CreateContainerView and RetrievePropertiesEx with its continuation
/// pages, the answers read only for what comes next; with `info`, a second read of the same
/// view for the sizing properties. Returns the number of VMs (counted by their `<objects>`).
fn floor(base: &str, inventory_path: &str, info: bool) -> usize {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{base}/sdk");
    let mut cookie: Option<String> = None;
    let mut post = |body: String| -> String {
        let mut req = agent
            .post(&url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/8.0");
        if let Some(c) = &cookie {
            req = req.header("Cookie", c);
        }
        let mut resp = req.send(envelope(&body)).unwrap();
        if let Some(c) = resp.headers().get("set-cookie") {
            cookie = Some(c.to_str().unwrap().split(';').next().unwrap().to_string());
        }
        resp.body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .unwrap()
    };
    let sc = post(
        "<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">\
         ServiceInstance</_this></RetrieveServiceContent>"
            .into(),
    );
    let [root, sm, pc, vm, si] = [
        "rootFolder",
        "sessionManager",
        "propertyCollector",
        "viewManager",
        "searchIndex",
    ]
    .map(|t| first(&sc, t).unwrap().to_string());
    post(format!(
        "<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">{sm}</_this>\
         <userName>root</userName><password>pw</password></Login>"
    ));
    let container = if inventory_path.is_empty() {
        format!("<container type=\"Folder\">{root}</container>")
    } else {
        let found = post(format!(
            "<FindByInventoryPath xmlns=\"urn:vim25\"><_this type=\"SearchIndex\">{si}</_this>\
             <inventoryPath>{inventory_path}</inventoryPath></FindByInventoryPath>"
        ));
        let start = found.find("<returnval").unwrap();
        let end = found.find("</returnval>").unwrap();
        found[start..end].replace("<returnval", "<container") + "</container>"
    };
    let view = post(format!(
        "<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">{vm}</_this>\
         {container}<type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>"
    ));
    let view = first(&view, "returnval").unwrap().to_string();
    let mut read = |paths: &[&str]| -> usize {
        let path_set: String = paths
            .iter()
            .map(|p| format!("<pathSet>{p}</pathSet>"))
            .collect();
        let mut page = post(format!(
            "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">{pc}\
             </_this><specSet><propSet><type>VirtualMachine</type>{path_set}</propSet>\
             <objectSet><obj type=\"ContainerView\">{view}</obj><skip>true</skip>\
             <selectSet xsi:type=\"TraversalSpec\"><type>ContainerView</type><path>view</path>\
             <skip>false</skip></selectSet></objectSet></specSet><options/>\
             </RetrievePropertiesEx>"
        ));
        let mut n = page.matches("<objects>").count();
        while let Some(token) = first(&page, "token").map(str::to_string) {
            page = post(format!(
                "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\"><_this \
                 type=\"PropertyCollector\">{pc}</_this><token>{token}</token>\
                 </ContinueRetrievePropertiesEx>"
            ));
            n += page.matches("<objects>").count();
        }
        n
    };
    let n = read(&["name", "config.uuid", "runtime.powerState"]);
    if info {
        assert_eq!(read(SIZING), n, "the second read sees every VM");
    }
    n
}

/// One run of a lister as a whole process: wall time, and the count and peak RSS (KiB) it
/// printed. Each lister reports its own `VmHWM`: a child's `ru_maxrss` starts at this
/// process's peak, which it inherits through the spawn.
fn run(mut cmd: Command) -> (Duration, u64, usize) {
    let start = Instant::now();
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .expect("start a lister");
    let elapsed = start.elapsed();
    assert!(out.status.success(), "{cmd:?} failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines().map(|l| l.trim().parse::<u64>().unwrap());
    let n = lines.next().unwrap();
    (elapsed, lines.next().unwrap(), n as usize)
}

/// This bench, again, as one lister (`SCALE_CHILD`).
fn child(kind: &str, target: &str, info: bool) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env("SCALE_CHILD", kind)
        .env("SCALE_TARGET", target)
        .env("SCALE_INFO", if info { "1" } else { "" });
    cmd
}

/// Runs each lister `runs` times, interleaved; the median time and the largest peak RSS each.
fn compare(runs: usize, listers: &[&dyn Fn() -> Command]) -> Vec<(Duration, u64)> {
    let mut seen: Vec<(Vec<Duration>, u64, usize)> = vec![(Vec::new(), 0, 0); listers.len()];
    for _ in 0..runs {
        for (lister, seen) in listers.iter().zip(&mut seen) {
            let (t, rss, n) = run(lister());
            seen.0.push(t);
            seen.1 = seen.1.max(rss);
            seen.2 = n;
        }
    }
    assert!(
        seen.iter().all(|s| s.2 == seen[0].2),
        "every lister sees every VM"
    );
    seen.into_iter()
        .map(|(mut t, rss, _)| {
            t.sort();
            (t[t.len() / 2], rss)
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Round trips until the connection's count has stood still for `quiet` (at most two
/// minutes), and the time to its last change: what a registration costs before its long poll
/// waits. A request counts when sent, so `quiet` must outlast the first read of every VM.
fn settled(conn: &Connection, before: u64, quiet: Duration) -> (u64, Duration) {
    let start = Instant::now();
    let mut last = (conn.round_trips(), Instant::now());
    while last.1.elapsed() < quiet && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(100));
        let now = conn.round_trips();
        if now != last.0 {
            last = (now, Instant::now());
        }
    }
    (last.0 - before, last.1.duration_since(start))
}

/// All-domain stats' round trips (with `perf`), then a lifecycle registration's and an idle
/// event loop's.
fn stats_and_events(sim: &Sim, n: usize, perf: bool, idle: u64) {
    let uri = sim.uri("vpx", "/?transport=http");
    let conn = Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).unwrap();
    if perf {
        let before = conn.round_trips();
        let start = Instant::now();
        let recs = conn
            .all_domain_stats(ListDomainsFlags::empty(), groups(0, false).unwrap())
            .unwrap();
        let trips = conn.round_trips() - before;
        assert_eq!(recs.len(), n);
        println!(
            "  all-domain stats: {trips} round trips (goal <= {}), {:.0} ms",
            n.div_ceil(1000) + 2,
            ms(start.elapsed())
        );
    }
    let before = conn.round_trips();
    conn.register_domain_event(None, Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE, Box::new(|_| {}))
        .unwrap();
    // The first answer holds every VM (40,000: 35 MB in 4 s), and the long polls that follow
    // end every 10 s: the quiet waited for lies between.
    let quiet =
        (Duration::from_secs(2) + Duration::from_millis(n as u64 / 8)).min(Duration::from_secs(8));
    let (trips, took) = settled(&conn, before, quiet);
    println!(
        "  first event registration: {trips} round trips (the long poll under way included), \
         {:.0} ms",
        ms(took)
    );
    let (trips0, cpu0) = (conn.round_trips(), cpu_time());
    std::thread::sleep(Duration::from_secs(idle));
    let cpu = cpu_time().saturating_sub(cpu0);
    let trips = conn.round_trips() - trips0;
    println!(
        "  idle event loop, {idle} s: {:.0} ms CPU per minute, {:.1} requests per minute",
        ms(cpu) * 60.0 / idle as f64,
        trips as f64 * 60.0 / idle as f64
    );
    conn.close().unwrap();
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if let Ok(kind) = std::env::var("SCALE_CHILD") {
        let target = std::env::var("SCALE_TARGET").unwrap();
        let info = std::env::var("SCALE_INFO").is_ok_and(|v| !v.is_empty());
        let (base, path) = target.split_once(' ').unwrap_or((&target, ""));
        let n = match kind.as_str() {
            "ours" => ours(&target, info),
            _ => floor(base, path, info),
        };
        println!("{n}\n{}", common::peak_rss_kib());
        return;
    }
    let sizes = std::env::var("SCALE_SIZES").unwrap_or_else(|_| "1000,10000,40000".into());
    let runs = env_num("SCALE_RUNS", 3) as usize;
    let idle = env_num("IDLE_SECONDS", 60);
    let perf_max = env_num("SCALE_PERF_MAX", 10_000) as usize;
    let govmomi = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/govmomi-list");
    let l = PollLoop::default_loop().unwrap();
    virt_esx::event::register(l);
    println!(
        "connect + list on a vCenter simulator (2 datacenters x 10 clusters), each lister a \
         process, median of {runs}; peak RSS the largest"
    );
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        let started = Instant::now();
        let sim = Sim::start(&layout(n).iter().map(String::as_str).collect::<Vec<_>>());
        let hosts = 20 * (n / 320).max(1);
        println!(
            "N={n} on {hosts} hosts: the simulator started in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        let base = format!("http://{}", sim.addr);
        for (label, uri_path, inventory_path) in SCOPES {
            let uri = sim.uri("vpx", &format!("{uri_path}?transport=http"));
            let govmomi_url = format!("http://root:pw@{}/sdk", sim.addr);
            let floor_target = format!("{base} {inventory_path}");
            let r = compare(
                runs,
                &[
                    &|| child("ours", &uri, false),
                    &|| child("floor", &floor_target, false),
                    &|| {
                        let mut c = Command::new(&govmomi);
                        c.arg(&govmomi_url).arg(format!("/{inventory_path}"));
                        c
                    },
                ],
            );
            let [(o, orss), (f, frss), (g, grss)] = [r[0], r[1], r[2]];
            println!(
                "  {label:10}: ours {:8.1} ms {:6.1} MiB | floor {:8.1} ms {:6.1} MiB | govmomi \
                 {:8.1} ms {:6.1} MiB | ours/floor {:.2}x (goal <= 1.1x), ours/govmomi {:.2}x",
                ms(o),
                mib(orss),
                ms(f),
                mib(frss),
                ms(g),
                mib(grss),
                o.as_secs_f64() / f.as_secs_f64(),
                o.as_secs_f64() / g.as_secs_f64()
            );
        }
        if n <= perf_max {
            let uri = sim.uri("vpx", "/?transport=http");
            let floor_target = format!("{base} ");
            let r = compare(
                runs,
                &[&|| child("ours", &uri, true), &|| {
                    child("floor", &floor_target, true)
                }],
            );
            println!(
                "  list+info : ours {:8.1} ms {:6.1} MiB | two-read floor {:8.1} ms {:6.1} MiB | \
                 {:.2}x (goal <= 1.2x)",
                ms(r[0].0),
                mib(r[0].1),
                ms(r[1].0),
                mib(r[1].1),
                r[0].0.as_secs_f64() / r[1].0.as_secs_f64()
            );
        }
        stats_and_events(&sim, n, n <= perf_max, idle);
    }
}
