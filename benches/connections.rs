//! Many connections in one process, as an orchestrator keeps them: N connections (200 by
//! default, CONNECTIONS=N) to one simulated ESX host over plain HTTP, each with a domain event
//! registration and a keepalive of 5 s, left idle for a minute (IDLE_SECONDS). Prints the
//! threads, resident memory per connection, the CPU time the idle minute cost and the requests
//! the connections made in it.
//! `cargo bench --bench connections`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Creds, Sim};
use std::sync::Arc;
use std::time::{Duration, Instant};
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::driver::Connection;
use virt_esx::event::poll::PollLoop;

fn status(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// This process's user and system CPU time.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
        .sum();
    let hz: u64 = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
        .max(1);
    Duration::from_millis(ticks * 1000 / hz)
}

fn main() {
    let n: usize = std::env::var("CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let idle: u64 = std::env::var("IDLE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let l = PollLoop::default_loop().unwrap();
    virt_esx::event::register(l);
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let uri = sim.uri("esx", "/?transport=http");
    let (rss0, threads0) = (status("VmRSS:"), status("Threads:"));
    let started = Instant::now();
    let mut conns: Vec<Arc<Connection>> = Vec::new();
    for k in 0..n {
        let opened =
            Connection::open(&uri, Some(&Creds::new(Some("root"), "pw")), false).and_then(|c| {
                c.register_domain_event(None, Id::VIR_DOMAIN_EVENT_ID_LIFECYCLE, Box::new(|_| {}))?;
                c.set_keepalive(5, 3)?;
                Ok(c)
            });
        match opened {
            Ok(c) => conns.push(c),
            Err(e) => {
                println!(
                    "connection {k} failed after {:.1} s: {}",
                    started.elapsed().as_secs_f64(),
                    e.message()
                );
                break;
            }
        }
    }
    let n = conns.len();
    let opened = started.elapsed();
    std::thread::sleep(Duration::from_secs(2));
    let (rss1, threads1) = (status("VmRSS:"), status("Threads:"));
    let trips0: u64 = conns.iter().map(|c| c.round_trips()).sum();
    let cpu0 = cpu();
    std::thread::sleep(Duration::from_secs(idle));
    let cpu_idle = cpu().saturating_sub(cpu0);
    let trips: u64 = conns.iter().map(|c| c.round_trips()).sum::<u64>() - trips0;
    println!(
        "{n} connections opened and registered in {:.1} s: {} threads (+{}), {:.0} KiB RSS per \
         connection; idle {idle} s: {:.2} s CPU ({:.1}% of one core), {trips} requests \
         ({:.0} per minute)",
        opened.as_secs_f64(),
        threads1,
        threads1.saturating_sub(threads0),
        rss1.saturating_sub(rss0) as f64 / n as f64,
        cpu_idle.as_secs_f64(),
        cpu_idle.as_secs_f64() * 100.0 / idle as f64,
        trips as f64 * 60.0 / idle as f64
    );
    drop(conns);
}
