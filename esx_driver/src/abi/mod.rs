//! libvirt's ABI numbers, defined once: the enums and constants the header is generated from
//! (`enums`), and the typed flag sets the driver takes, built from them (`flags`).

pub mod enums;
pub mod flags;

pub use enums::*;
