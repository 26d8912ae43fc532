//! libvirt's storage objects over vSphere: datastores as pools (`pool`, and `pools` for the
//! calls; iSCSI targets in `iscsi`), the disk images and
//! files on them as volumes (`volumes`, made and removed in `ops`), their contents streamed
//! over HTTP (`transfer`).

pub(crate) mod iscsi;
mod ops;
mod pipe;
pub(crate) mod pool;
pub(crate) mod pools;
pub mod socket;
pub mod transfer;
pub(crate) mod volumes;

pub use pool::{Pool, PoolFacts, PoolKind};
pub use volumes::{Volume, VolumeFacts, VolumeKind};
