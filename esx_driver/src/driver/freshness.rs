//! How long what the driver read answers for (a VM's state, a pool's facts, a volume's size)
//! before it asks the server again: one rule for every cached object.

use std::time::Duration;

/// Long enough that "list, then get info of each" costs no extra round trip, short enough to
/// stay current.
pub const FRESH_FOR: Duration = Duration::from_secs(2);
