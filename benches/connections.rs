//! Many connections in one process, as an orchestrator keeps them: N connections (200 by
//! default, CONNECTIONS=N) to one simulated ESX host over plain HTTP, each with a domain event
//! registration and a keepalive of 5 s, left idle for a minute (IDLE_SECONDS). Prints the
//! threads, resident memory per connection, the CPU time the idle minute cost and the requests
//! the connections made in it.
//! `cargo bench --bench connections`

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Creds, Sim, cpu_time, proc_status};
use std::sync::Arc;
use std::time::{Duration, Instant};
use virt_esx::abi::enums::virDomainEventID as Id;
use virt_esx::driver::Connection;
use virt_esx::event::poll::PollLoop;

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
    let (rss0, threads0) = (proc_status("VmRSS:"), proc_status("Threads:"));
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
    let (rss1, threads1) = (proc_status("VmRSS:"), proc_status("Threads:"));
    let trips0: u64 = conns.iter().map(|c| c.round_trips()).sum();
    let cpu0 = cpu_time();
    std::thread::sleep(Duration::from_secs(idle));
    let cpu_idle = cpu_time().saturating_sub(cpu0);
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
