//! Conversions per second over the conformance corpus, both directions, with std::time.
//! Run with `cargo bench --bench convert`; the data folder is found as the tests find it.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::vmx::{domain_xml_to_vmx, vmx_to_domain_xml};

const MIN_DURATION: Duration = Duration::from_secs(2);

fn data_dir() -> PathBuf {
    std::env::var_os("LIBVIRT_ESX_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"))
}

/// The first column of each `cases.tsv` row with the file read for it.
fn inputs(dir: &Path, file_name: impl Fn(&str) -> String) -> Vec<(Vec<u8>, i32)> {
    let table = fs::read_to_string(dir.join("cases.tsv")).unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let name = fields.next()?;
            let version = fields.next().and_then(|v| v.parse().ok()).unwrap_or(4);
            Some((fs::read(dir.join(file_name(name))).ok()?, version))
        })
        .collect()
}

/// Runs whole passes over the corpus until `MIN_DURATION` has passed.
fn measure(label: &str, count: usize, mut pass: impl FnMut()) {
    if count == 0 {
        println!("{label}: no inputs");
        return;
    }
    pass(); // warm-up
    let start = Instant::now();
    let mut conversions = 0usize;
    while start.elapsed() < MIN_DURATION {
        pass();
        conversions += count;
    }
    let rate = conversions as f64 / start.elapsed().as_secs_f64();
    println!("{label}: {rate:.0} conversions/s ({conversions} conversions)");
}

fn main() {
    let dir = data_dir();
    if !dir.is_dir() {
        println!(
            "conformance data folder {} is absent; nothing to measure",
            dir.display()
        );
        return;
    }
    let ctx = StandInDatastores::default();
    let vmx = inputs(&dir.join("vmx2xml"), |name| format!("{name}.vmx"));
    measure("vmx2xml", vmx.len(), || {
        for (text, _) in &vmx {
            let _ = black_box(vmx_to_domain_xml(black_box(text), &ctx));
        }
    });
    let xml: Vec<(String, i32)> =
        inputs(&dir.join("xml2vmx"), |name| format!("xml2vmx-{name}.xml"))
            .into_iter()
            .map(|(bytes, version)| (String::from_utf8_lossy(&bytes).into_owned(), version))
            .collect();
    measure("xml2vmx", xml.len(), || {
        for (text, version) in &xml {
            let _ = black_box(domain_xml_to_vmx(black_box(text), &ctx, *version));
        }
    });
}
