//! Device families of a VMX file, each read into and written from the domain definition.
//! One module per family; the global keys live in `parse` and `format`.

pub(crate) mod chr;
pub(crate) mod disk;
pub(crate) mod display;
pub(crate) mod fs;
pub(crate) mod net;
pub(crate) mod passthru;
pub(crate) mod peripherals;
