//! Domain XML as an element tree: the crate's `xmltree` with names as written, read
//! element by element as libvirt's tolerant parser does.

use crate::error::{Code, Domain, Error, Result};
pub use crate::xmltree::Element;
use crate::xmltree::Names;

pub(crate) fn parse_document(xml: &str) -> Result<Element> {
    Element::parse(xml, Names::Qualified).map_err(|e| Error::new(Code::XmlError, Domain::Xml, e))
}
