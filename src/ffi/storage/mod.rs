//! virStoragePool*, virStorageVol* and virStream* exports, one file each as in
//! `driver::storage`.

pub mod pool;
pub mod stream_events;
pub mod transfer;
pub mod volumes;
