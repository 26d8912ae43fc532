//! The committed C header must be what cbindgen makes of the sources now.

#[test]
fn committed_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/libvirt_esx.h"));
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/include/libvirt_esx.h"
    ))
    .expect("include/libvirt_esx.h exists");
    assert!(
        generated == committed,
        "include/libvirt_esx.h is stale: run `LIBVIRT_ESX_UPDATE_HEADER=1 cargo build` and commit it"
    );
}

/// The header defines libvirt's names only: a crate-internal constant that leaked into it (as
/// `#define ACTIVE 1` once did) would clash with the including program's own names.
#[test]
fn header_defines_only_libvirt_names() {
    let header = include_str!(concat!(env!("OUT_DIR"), "/libvirt_esx.h"));
    let stray: Vec<&str> = header
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| {
            !["VIR_", "LIBVIR_", "LIBVIRT_ESX_H", "_vir"]
                .iter()
                .any(|p| name.starts_with(p))
        })
        .collect();
    assert!(stray.is_empty(), "not libvirt's: {stray:?}");
}

/// src/abi/api.tsv: libvirt's public declarations as facts (kind, name, columns).
fn table() -> Vec<Vec<&'static str>> {
    include_str!("../src/abi/api.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect()
}

/// The header's identifiers outside comments, and what each `NAME = VALUE` enumerator or
/// `#define NAME VALUE` line gives it.
fn header_names() -> (
    std::collections::HashSet<&'static str>,
    std::collections::HashMap<&'static str, &'static str>,
) {
    let header = include_str!("../include/libvirt_esx.h");
    let mut ids = std::collections::HashSet::new();
    let mut values = std::collections::HashMap::new();
    let mut in_comment = false;
    for line in header.lines() {
        let mut code = line;
        if in_comment || code.trim_start().starts_with("/*") || code.trim_start().starts_with('*') {
            in_comment = !code.contains("*/");
            continue;
        }
        code = code.split("//").next().unwrap_or("");
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        ids.extend(words.iter().copied());
        let t = code.trim().trim_end_matches(',');
        if let Some((name, value)) = t.split_once(" = ") {
            values.insert(name, value);
        } else if let Some((name, value)) = t
            .strip_prefix("#define ")
            .and_then(|rest| rest.split_once(' '))
        {
            values.insert(name, value);
        }
    }
    (ids, values)
}

/// Every declaration of the table is in the header, each enum value and string macro as the
/// table says; and every libvirt name of the header is in the table (the library's own
/// `virEsx*` extensions aside), so the header cannot drift from libvirt's facts either way.
#[test]
fn header_holds_the_table_and_nothing_else() {
    let (ids, values) = header_names();
    // The guard libvirt's sentinels sit behind, and the tag of the union libvirt leaves unnamed
    // inside virTypedParameter; the library's own exports are named virEsx*.
    let mut known: std::collections::HashSet<&str> =
        ["VIR_ENUM_SENTINELS", "_virTypedParameterValue"]
            .into_iter()
            .collect();
    let mut wrong = Vec::new();
    for row in table() {
        let (kind, name) = (row[0], row[1]);
        known.insert(name);
        if !ids.contains(name) {
            wrong.push(format!("{kind} {name} is missing"));
            continue;
        }
        match kind {
            "enum" => {
                known.insert(row[2]);
                let want: i64 = row[3].parse().unwrap();
                let want = if want > i64::from(i32::MAX) {
                    want - (1 << 32)
                } else {
                    want
                };
                let got = values.get(name).and_then(|v| v.parse::<i64>().ok());
                if got != Some(want) {
                    wrong.push(format!("{name} is {got:?}, libvirt's is {want}"));
                }
            }
            "string" if values.get(name) != Some(&format!("\"{}\"", row[2]).as_str()) => {
                wrong.push(format!(
                    "{name} is {:?}, libvirt's is {:?}",
                    values.get(name),
                    row[2]
                ));
            }
            "struct" => {
                known.insert(row[2].trim_start_matches("struct "));
            }
            _ => {}
        }
    }
    let strays: Vec<&&str> = ids
        .iter()
        .filter(|id| {
            let api = |p: &str| {
                id.strip_prefix(p)
                    .is_some_and(|r| r.starts_with(char::is_uppercase))
            };
            ["vir", "VIR_", "_vir", "LIBVIR_"].into_iter().any(api)
        })
        .filter(|id| !known.contains(**id) && !id.starts_with("virEsx"))
        .collect();
    assert!(
        wrong.is_empty(),
        "the header differs from src/abi/api.tsv: {wrong:#?}"
    );
    assert!(strays.is_empty(), "not in src/abi/api.tsv: {strays:?}");
}
