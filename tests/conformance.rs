//! Conformance with libvirt's converter: every case of a vmx2xml/xml2vmx data folder
//! (default ../shared/conformance, or $LIBVIRT_ESX_CONFORMANCE_DIR) must match byte for byte;
//! and the project's own cases (tests/converter, files as Workstation, Fusion and ESXi write
//! them) in the same layout.

use std::fs;
use std::path::{Path, PathBuf};

use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::vmx::{Dialect, domain_xml_to_vmx, vmx_to_domain_xml};

fn data_dir() -> PathBuf {
    std::env::var_os("LIBVIRT_ESX_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"))
}

/// Rows of a `cases.tsv`, header skipped.
fn cases(path: &Path) -> Vec<Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('\t').map(|f| f.trim().to_string()).collect())
        .collect()
}

/// The first differing line, with its neighbours, to keep failure reports short.
fn short_diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let first = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let mut out = String::new();
    for i in first.saturating_sub(1)..(first + 3).min(e.len().max(a.len())) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out += &format!("    {:>3}   {x}\n", i + 1),
            (x, y) => {
                out += &format!("    {:>3} - {}\n", i + 1, x.unwrap_or(&"<none>"));
                out += &format!("    {:>3} + {}\n", i + 1, y.unwrap_or(&"<none>"));
            }
        }
    }
    out
}

/// How a folder of cases runs: libvirt's in its dialect, ours in the full one.
#[derive(Clone, Copy)]
struct Run {
    dialect: Dialect,
    /// Write what the converter gives as the expected files (own cases only, to review).
    bless: bool,
}

fn with_newline(mut text: String) -> String {
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The stand-in datastores a vmx2xml row asks for: its `datacenter_path=` context, if any.
fn vmx2xml_context(row: &[String], dialect: Dialect) -> StandInDatastores {
    StandInDatastores {
        datacenter_path: row
            .get(2)
            .and_then(|c| c.strip_prefix("datacenter_path="))
            .map(str::to_string),
        dialect,
    }
}

fn run_vmx2xml(dir: &Path, run: Run, failures: &mut Vec<String>) -> (usize, usize) {
    let rows = cases(&dir.join("cases.tsv"));
    let mut passed = 0;
    for row in &rows {
        let (name, expect) = (&row[0], row.get(1).map_or("match", String::as_str));
        let ctx = vmx2xml_context(row, run.dialect);
        let vmx = fs::read(dir.join(format!("{name}.vmx"))).unwrap_or_default();
        let result = vmx_to_domain_xml(&vmx, &ctx);
        let outcome = match (expect, result) {
            ("fail", Err(_)) => Ok(()),
            ("fail", Ok(_)) => Err("converted, but libvirt refuses it".to_string()),
            (_, Err(e)) => Err(format!("failed: {e}")),
            (_, Ok(xml)) => {
                let path = dir.join(format!("{name}.xml"));
                let actual = with_newline(xml);
                if run.bless {
                    fs::write(&path, &actual).unwrap();
                }
                let expected = fs::read_to_string(path).unwrap_or_default();
                if actual == expected {
                    Ok(())
                } else {
                    Err(format!("differs:\n{}", short_diff(&expected, &actual)))
                }
            }
        };
        match outcome {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("vmx2xml {name}: {why}")),
        }
    }
    (passed, rows.len())
}

fn run_xml2vmx(dir: &Path, run: Run, failures: &mut Vec<String>) -> (usize, usize) {
    let rows = cases(&dir.join("cases.tsv"));
    let mut passed = 0;
    for row in &rows {
        let name = &row[0];
        let version: i32 = row.get(1).and_then(|v| v.parse().ok()).unwrap_or(4);
        let xml = fs::read_to_string(dir.join(format!("xml2vmx-{name}.xml"))).unwrap_or_default();
        let path = dir.join(format!("xml2vmx-{name}.vmx"));
        let ctx = StandInDatastores {
            dialect: run.dialect,
            ..StandInDatastores::default()
        };
        let result = domain_xml_to_vmx(&xml, &ctx, version);
        if let (true, Ok(vmx)) = (run.bless, &result) {
            fs::write(&path, with_newline(vmx.clone())).unwrap();
        }
        let expected = fs::read_to_string(path).unwrap_or_default();
        match result {
            Ok(vmx) if with_newline(vmx.clone()) == expected => passed += 1,
            Ok(vmx) => failures.push(format!(
                "xml2vmx {name}: differs:\n{}",
                short_diff(&expected, &vmx)
            )),
            Err(e) => failures.push(format!("xml2vmx {name}: failed: {e}")),
        }
    }
    (passed, rows.len())
}

/// Whether the run may go on without the data: a developer's checkout may lack shared/, but
/// CI (`CI=true`) must never pass by skipping.
fn absent_data(dir: &Path, ci: bool) -> Result<(), String> {
    let why = format!(
        "conformance data folder {} is absent (set LIBVIRT_ESX_CONFORMANCE_DIR)",
        dir.display()
    );
    if ci {
        return Err(why);
    }
    eprintln!("{why}; skipping");
    Ok(())
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

#[test]
fn conformance() {
    let dir = data_dir();
    if !dir.is_dir() {
        return absent_data(&dir, under_ci()).unwrap_or_else(|why| panic!("{why}"));
    }
    let mut failures = Vec::new();
    let run = Run {
        dialect: Dialect::Libvirt,
        bless: false,
    };
    let (p, n) = run_vmx2xml(&dir.join("vmx2xml"), run, &mut failures);
    let (q, m) = run_xml2vmx(&dir.join("xml2vmx"), run, &mut failures);
    for failure in &failures {
        println!("{failure}");
    }
    println!("vmx2xml {p}/{n} passed, xml2vmx {q}/{m} passed");
    assert!(
        n > 0 && m > 0,
        "the conformance data in {} has no cases",
        dir.display()
    );
    assert!(
        failures.is_empty(),
        "{} conformance case(s) failed",
        failures.len()
    );
}

/// Each own VMX file's XML, written as VMX (at the newest version; the XML keeps its own) and
/// read again, gives the same XML: the round trip keeps everything the XML holds.
fn round_trips(dir: &Path, failures: &mut Vec<String>) {
    let ctx = StandInDatastores::default();
    for row in cases(&dir.join("cases.tsv")) {
        let name = &row[0];
        let Ok(xml) = fs::read_to_string(dir.join(format!("{name}.xml"))) else {
            continue;
        };
        let again = domain_xml_to_vmx(&xml, &ctx, 21)
            .and_then(|vmx| vmx_to_domain_xml(vmx.as_bytes(), &ctx));
        match again {
            Ok(again) if with_newline(again.clone()) == xml => {}
            Ok(again) => failures.push(format!(
                "round trip {name}: differs:\n{}",
                short_diff(&xml, &again)
            )),
            Err(e) => failures.push(format!("round trip {name}: failed: {e}")),
        }
    }
}

/// Lines the full dialect adds to libvirt's XML (README's converter section).
const FULL_DIALECT_LINES: [&str; 7] = [
    "  <vmware:guestos>",
    "  <vmware:virtualhw>",
    "    <controller type='usb' ",
    "    <sound ",
    "    <tpm ",
    "      <backend ",
    "    </tpm>",
];

/// A SATA device's target, its name left out: the full dialect renames one that libvirt gives
/// a SCSI device's name.
fn sata_target_unnamed(line: &str) -> String {
    let trimmed = line.trim_start();
    match trimmed.starts_with("<target dev='") && trimmed.ends_with("' bus='sata'/>") {
        true => format!(
            "{}<target bus='sata'/>",
            &line[..line.len() - trimmed.len()]
        ),
        false => line.to_string(),
    }
}

/// libvirt's vmx2xml cases in the full dialect: libvirt's output plus only the documented
/// additions (and the namespace declaration they need), SATA targets possibly renamed.
#[test]
fn full_dialect_only_adds_to_libvirt_output() {
    let dir = data_dir().join("vmx2xml");
    if !dir.is_dir() {
        return absent_data(&dir, under_ci()).unwrap_or_else(|why| panic!("{why}"));
    }
    let mut failures = Vec::new();
    let mut extended = 0;
    for row in cases(&dir.join("cases.tsv")) {
        let name = &row[0];
        let ctx = vmx2xml_context(&row, Dialect::Full);
        let vmx = fs::read(dir.join(format!("{name}.vmx"))).unwrap_or_default();
        let Ok(xml) = vmx_to_domain_xml(&vmx, &ctx) else {
            continue;
        };
        let expected = fs::read_to_string(dir.join(format!("{name}.xml"))).unwrap_or_default();
        let namespace = " xmlns:vmware='http://libvirt.org/schemas/domain/vmware/1.0'";
        let kept: Vec<String> = xml
            .lines()
            .filter(|line| !FULL_DIALECT_LINES.iter().any(|p| line.starts_with(p)))
            .map(
                |line| match line.starts_with("<domain ") && !expected.contains(namespace) {
                    true => line.replace(namespace, ""),
                    false => line.to_string(),
                },
            )
            .collect();
        extended += usize::from(kept.len() != xml.lines().count());
        let unnamed = |lines: &mut dyn Iterator<Item = &str>| -> String {
            with_newline(
                lines
                    .map(sata_target_unnamed)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        let (kept, expected) = (
            unnamed(&mut kept.iter().map(String::as_str)),
            unnamed(&mut expected.lines()),
        );
        if kept != expected {
            failures.push(format!("{name}:\n{}", short_diff(&expected, &kept)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(extended > 50, "only {extended} cases extended");
}

/// The project's own cases: what libvirt refuses or drops, converted as README says.
#[test]
fn own_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/converter");
    let run = Run {
        dialect: Dialect::Full,
        bless: std::env::var_os("LIBVIRT_ESX_BLESS").is_some(),
    };
    let mut failures = Vec::new();
    let (p, n) = run_vmx2xml(&dir.join("vmx2xml"), run, &mut failures);
    let (q, m) = run_xml2vmx(&dir.join("xml2vmx"), run, &mut failures);
    for failure in &failures {
        println!("{failure}");
    }
    round_trips(&dir.join("vmx2xml"), &mut failures);
    println!("own vmx2xml {p}/{n} passed, xml2vmx {q}/{m} passed");
    assert!(n > 0 && m > 0, "no own cases in {}", dir.display());
    assert!(failures.is_empty(), "{} own case(s) failed", failures.len());
}

#[test]
fn missing_data_fails_under_ci_only() {
    let nowhere = Path::new("/nonexistent/conformance");
    assert!(
        absent_data(nowhere, true)
            .unwrap_err()
            .contains("/nonexistent/conformance")
    );
    assert!(absent_data(nowhere, false).is_ok());
}
