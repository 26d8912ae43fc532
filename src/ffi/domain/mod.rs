//! virDomain* exports, one file per part of the API as in `driver::domain`: listing and
//! identity, state and power, tuning, guest information, and XML define/undefine.

pub mod affinity;
pub mod console;
pub mod devices;
pub mod disk_control;
pub mod graphics;
pub mod guest;
pub mod jobs;
pub mod keys;
pub mod lifecycle;
pub mod metadata;
pub mod migrate;
pub mod nic_control;
pub mod object;
pub mod power;
pub mod screenshot;
pub mod stats;
pub mod status;
pub mod tune;
pub mod usage;
pub mod xml;
