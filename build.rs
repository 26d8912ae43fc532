//! Sets the cdylib's soname and generates the C header with cbindgen into OUT_DIR.
//! `LIBVIRT_ESX_UPDATE_HEADER=1 cargo build` also refreshes the committed include/libvirt_esx.h.

#[path = "tools/header/declarations.rs"]
mod declarations;

use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libvirt_esx.so.0");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=esx_driver/src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=tools/header");
    println!("cargo:rerun-if-env-changed=LIBVIRT_ESX_UPDATE_HEADER");

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let header = match cbindgen::generate_with_config(&crate_dir, config) {
        Ok(bindings) => {
            let mut out = Vec::new();
            bindings.write(&mut out);
            with_declarations(out, &crate_dir)
        }
        Err(e) => {
            // A syntax error is reported better by rustc itself; do not fail the build here.
            println!("cargo:warning=cbindgen could not generate the header: {e}");
            return;
        }
    };
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("libvirt_esx.h"), &header).unwrap();
    if env::var_os("LIBVIRT_ESX_UPDATE_HEADER").is_some() {
        let committed = crate_dir.join("include/libvirt_esx.h");
        if fs::read(&committed).ok().as_deref() != Some(&header[..]) {
            fs::write(committed, &header).unwrap();
        }
    }
}

/// cbindgen writes what the Rust sources declare; libvirt's other declarations (string and
/// function-like macros among them) come from the table src/abi/api.tsv, before the guard's end.
fn with_declarations(header: Vec<u8>, crate_dir: &std::path::Path) -> Vec<u8> {
    let table = fs::read_to_string(crate_dir.join("src/abi/api.tsv")).expect("src/abi/api.tsv");
    let text = String::from_utf8(header).unwrap_or_default();
    let guard_end = "#endif  /* LIBVIRT_ESX_H */";
    match text.rfind(guard_end) {
        Some(at) => {
            let unsupported = fs::read_to_string(crate_dir.join("src/ffi/unsupported.rs"))
                .expect("src/ffi/unsupported.rs");
            let docs = declarations::export_docs(&unsupported);
            let extra = declarations::missing(&table, &text[..at], &docs);
            format!("{}{extra}\n{}", &text[..at], &text[at..]).into_bytes()
        }
        None => text.into_bytes(),
    }
}
