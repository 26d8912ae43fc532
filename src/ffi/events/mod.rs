//! Event registrations through the C API, as the driver's `events` holds them: domains'
//! (`domains`), networks' and pools' (`inventory`), and the kinds vSphere has no object for.

pub mod domains;
pub mod inventory;
pub mod silent;
