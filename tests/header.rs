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
