//! What a huge SOAP answer costs the library, each injected into a RetrievePropertiesEx answer
//! written as it goes (the injector holds none of it): a host name of 50 MB (an answer a hostile
//! or broken server could send), one past the 64 MiB answer limit, and a listing of 60,000 VMs
//! whose answer is 48 MB (each object padded with a property the listing does not keep). Prints
//! this process's peak RSS growth for each, against the answer's size.
//! `cargo bench --bench answers`

#[path = "../tests/common/mod.rs"]
mod common;

use common::injector::{Action, Injector};
use common::{Sim, peak_rss_kib};
use virt_esx::abi::flags::ListDomainsFlags;

const MIB: usize = 1 << 20;

/// The cases, each run in a process of its own so that one's peak does not hide the next's.
const CASES: [(&str, usize); 3] = [
    ("50 MB host name", 50_000_000),
    ("100 MiB answer (over the 64 MiB limit)", 100 * MIB),
    ("listing of 60,000 VMs", 60_000),
];

fn main() {
    match std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<usize>().ok())
    {
        Some(case) => run(CASES[case].0, CASES[case].1),
        None => {
            for case in 0..CASES.len() {
                let status = std::process::Command::new(std::env::current_exe().unwrap())
                    .arg(case.to_string())
                    .status()
                    .unwrap();
                assert!(status.success());
            }
        }
    }
}

fn run(label: &str, n: usize) {
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let conn = inj.open("/");
    conn.hostname().unwrap();
    let listing = label.starts_with("listing");
    let action = match listing {
        false => Action::Huge {
            head: "<returnval><objects><obj type=\"HostSystem\">ha-host</obj><propSet>\
                   <name>config.network.dnsConfig.hostName</name><val xsi:type=\"xsd:string\">"
                .into(),
            unit: "a".repeat(1000),
            count: n / 1000,
            tail: "</val></propSet></objects></returnval>".into(),
        },
        true => Action::Huge {
            head: "<returnval>".into(),
            unit: format!(
                "<objects><obj type=\"VirtualMachine\">vm-{{n}}</obj><propSet><name>name</name>\
                 <val xsi:type=\"xsd:string\">vm {{n}}</val></propSet><propSet><name>config.uuid\
                 </name><val xsi:type=\"xsd:string\">4231ab3c-0000-0000-0000-{{n}}</val></propSet>\
                 <propSet><name>runtime.powerState</name><val xsi:type=\"VirtualMachinePowerState\">\
                 poweredOn</val></propSet><propSet><name>config.annotation</name><val \
                 xsi:type=\"xsd:string\">{}</val></propSet></objects>",
                "p".repeat(500)
            ),
            count: n,
            tail: "</returnval>".into(),
        },
    };
    inj.add("RetrievePropertiesEx", 1, action);
    let before = peak_rss_kib();
    let outcome = match listing {
        false => match conn.hostname() {
            Ok(name) => format!("read ({} bytes)", name.len()),
            Err(e) => format!("refused: {}", e.message()),
        },
        true => match conn.list_all_domains(ListDomainsFlags::empty()) {
            Ok(vms) => format!("{} VMs listed", vms.len()),
            Err(e) => format!("refused: {}", e.message()),
        },
    };
    let growth = peak_rss_kib().saturating_sub(before) as f64 / 1024.0;
    println!("{label}: {outcome}; peak RSS growth {growth:.1} MiB");
}
