//! Domain snapshots over vSphere snapshot trees: every question answered from one read of the
//! tree (`tree`), and create, revert and delete as one vSphere task each (`ops`).

mod ops;
pub mod tree;

pub use ops::Snapshot;
pub use tree::{Snap, Span, Tree};
