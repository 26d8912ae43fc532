//! Sets the cdylib's soname and generates the C header with cbindgen into OUT_DIR.
//! `LIBVIRT_ESX_UPDATE_HEADER=1 cargo build` also refreshes the committed include/libvirt_esx.h.

use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libvirt_esx.so.0");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=LIBVIRT_ESX_UPDATE_HEADER");

    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable");
    let header = match cbindgen::generate_with_config(&crate_dir, config) {
        Ok(bindings) => {
            let mut out = Vec::new();
            bindings.write(&mut out);
            with_string_constants(out, &crate_dir)
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

/// libvirt's function-like macros, which cbindgen cannot write.
/// Cast through `void (*)(void)`, which compilers accept between function types silently.
const MACROS: &str = "#define VIR_DOMAIN_EVENT_CALLBACK(cb) ((virConnectDomainEventGenericCallback)(void (*)(void))(cb))\n\
#define VIR_NETWORK_EVENT_CALLBACK(cb) ((virConnectNetworkEventGenericCallback)(void (*)(void))(cb))\n\
#define VIR_STORAGE_POOL_EVENT_CALLBACK(cb) ((virConnectStoragePoolEventGenericCallback)(void (*)(void))(cb))\n";

/// cbindgen writes no string constants: libvirt's `#define VIR_… "name"` parameter names are
/// taken from `pub const VIR_…: &str = "…";` lines of src/abi/enums.rs and put, with
/// `MACROS`, before the include guard's end.
fn with_string_constants(header: Vec<u8>, crate_dir: &std::path::Path) -> Vec<u8> {
    let source = fs::read_to_string(crate_dir.join("src/abi/enums.rs")).unwrap_or_default();
    let defines: String = source
        .lines()
        .filter_map(|l| {
            let rest = l.trim().strip_prefix("pub const ")?;
            let (name, value) = rest.split_once(": &str = ")?;
            let value = value.strip_suffix(';')?;
            Some(format!("#define {name} {value}\n"))
        })
        .collect();
    let text = String::from_utf8(header).unwrap_or_default();
    let guard_end = "#endif  /* LIBVIRT_ESX_H */";
    match text.rfind(guard_end) {
        Some(at) => format!("{}{defines}{MACROS}\n{}", &text[..at], &text[at..]).into_bytes(),
        None => text.into_bytes(),
    }
}
