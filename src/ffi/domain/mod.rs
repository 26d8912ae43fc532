//! virDomain* exports, one file per part of the API as in `driver::domain`: listing and
//! identity, state and power, tuning, guest information, and XML define/undefine.

pub mod devices;
pub mod guest;
pub mod jobs;
pub mod lifecycle;
pub mod list;
pub mod migrate;
pub mod screenshot;
pub mod state;
pub mod stats;
pub mod tune;
pub mod usage;
pub mod xml;
