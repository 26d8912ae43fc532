//! SOAP answers as element trees: the crate's `xmltree` with local names and `xsi:type`
//! resolved, so any namespace prefix the server picks reads the same.

use super::error::{Error, Result};
pub use crate::xmltree::Element as Node;
use crate::xmltree::Names;
pub use crate::xmltree::Prune;

/// An answer as a tree, unpruned (the tests' and the fuzzer's way in).
#[cfg(any(test, feature = "fuzzing", feature = "test-support"))]
pub fn parse(xml: &str) -> Result<Node> {
    parse_from(xml.as_bytes(), None)
}

/// An answer read from `source` as it arrives, handing the elements `prune` names over one by
/// one (see `Element::parse_from`).
pub fn parse_from(source: impl std::io::BufRead, prune: Option<Prune<'_>>) -> Result<Node> {
    Node::parse_from(source, Names::Local, prune)
        .map_err(|e| Error::protocol(format!("Malformed SOAP response from the server: {e}")))
}
