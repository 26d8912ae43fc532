//! SOAP answers as element trees: the crate's `xmltree` with local names and `xsi:type`
//! resolved, so any namespace prefix the server picks reads the same.

use super::error::{Error, Result};
pub use crate::xmltree::Element as Node;
use crate::xmltree::Names;

pub fn parse(xml: &str) -> Result<Node> {
    Node::parse(xml, Names::Local)
        .map_err(|e| Error::protocol(format!("Malformed SOAP response from the server: {e}")))
}
