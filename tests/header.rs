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
            !["VIR_", "LIBVIR_", "LIBVIRT_ESX_H"]
                .iter()
                .any(|p| name.starts_with(p))
        })
        .collect();
    assert!(stray.is_empty(), "not libvirt's: {stray:?}");
}
