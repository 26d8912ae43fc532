//! Property views: what one call reads of a managed object, declared once here by the kind
//! of object and used by the driver through their `PATHS` and fields.

pub mod datastore;
pub mod host;
pub mod inventory;
pub mod network;
pub mod storage;
pub mod vm;
