//! Device families of a VMX file, each read into and written from the domain definition.
//! One module per family; the global keys live in `parse` and `format`.

pub mod chr;
pub mod disk;
pub mod display;
pub mod fs;
pub mod net;
pub mod peripherals;
