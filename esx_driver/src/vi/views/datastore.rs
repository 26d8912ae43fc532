//! Property views of datastores: names, facts, mounts and pool facts, as the storage calls read them.

use crate::vi::data::DatastoreHostMount;
use crate::vi::node::Node;
use crate::vi::soap::MoRef;
use crate::vi::types::vim_type;

vim_type!(DatastoreFacts {
    name: String = "summary.name",
    url: String = "summary.url",
    mounts: Vec<DatastoreHostMount> = "host",
    browser: Option<MoRef> = "browser",
});

vim_type!(DatastorePoolFacts {
    name: String = "summary.name",
    capacity: i64 = "summary.capacity",
    free: i64 = "summary.freeSpace",
    accessible: bool = "summary.accessible",
    url: String = "summary.url",
    info: Option<Node> = "info",
    mounts: Vec<DatastoreHostMount> = "host",
    browser: Option<MoRef> = "browser",
});
