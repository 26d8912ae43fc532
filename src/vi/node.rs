//! A tolerant element tree of a SOAP response: local names, the resolved `xsi:type`, attributes
//! and text. Typed values are read from it by `FromNode`; whatever a type does not ask for is ignored.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Deeper than any vim25 document; a guard against hostile nesting.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Node {
    /// Local name, namespace prefix dropped.
    pub name: String,
    /// `xsi:type` with its prefix dropped (`xsd:int` → `int`), whatever prefix the server bound.
    pub xsi_type: Option<String>,
    /// Other attributes by local name (a MoRef's `type`).
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    /// Parses a whole document and returns its root element.
    pub fn parse(xml: &str) -> Result<Node> {
        let mut reader = NsReader::from_str(xml);
        let mut stack: Vec<Node> = Vec::new();
        loop {
            let event = reader.read_event().map_err(|e| bad_xml(&e))?;
            match event {
                Event::Start(start) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(bad_xml(&"elements nested too deeply"));
                    }
                    stack.push(open(&reader, &start)?);
                }
                Event::Empty(start) => {
                    let node = open(&reader, &start)?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                Event::End(_) => {
                    let node = stack.pop().ok_or_else(|| bad_xml(&"unbalanced end tag"))?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(node),
                        None => return Ok(node),
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.text.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref().map_err(|e| bad_xml(&e))? {
                        Some(c) => c,
                        None => predefined_entity(&r.xml10_content())
                            .ok_or_else(|| bad_xml(&format!("unknown entity &{};", &*r)))?,
                    };
                    if let Some(top) = stack.last_mut() {
                        top.text.push(ch);
                    }
                }
                Event::Eof => return Err(bad_xml(&"document ended early")),
                _ => {}
            }
        }
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Follows a dotted property path (`summary.hardware.memorySize`).
    pub fn path(&self, dotted: &str) -> Option<&Node> {
        dotted.split('.').try_fold(self, |n, part| n.child(part))
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text_at(&self, dotted: &str) -> Option<&str> {
        self.path(dotted).map(|n| n.text.as_str())
    }
}

fn open(reader: &NsReader<&[u8]>, start: &BytesStart) -> Result<Node> {
    let mut node = Node {
        name: start.local_name().as_ref().to_string(),
        ..Node::default()
    };
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| bad_xml(&e))?;
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| bad_xml(&e))?;
        let local = local.as_ref();
        if local == "type" && matches!(ns, ResolveResult::Bound(n) if n.0 == XSI_NS) {
            let v = value.rsplit(':').next().unwrap_or_default();
            node.xsi_type = Some(v.to_string());
        } else if !matches!(ns, ResolveResult::Bound(n) if n.0.starts_with("http://www.w3.org/2000/xmlns"))
            && !attr.key.as_ref().starts_with("xmlns")
        {
            node.attrs.push((local.to_string(), value.into_owned()));
        }
    }
    Ok(node)
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

fn bad_xml(e: &dyn std::fmt::Display) -> Error {
    Error::internal(format!("Malformed SOAP response from the server: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_xsi_type_under_any_prefix() {
        let xml = r#"<r xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"><val XMLSchema-instance:type="xsd:int">42</val><obj type="VirtualMachine">vm-1</obj></r>"#;
        let n = Node::parse(xml).unwrap();
        let val = n.child("val").unwrap();
        assert_eq!(val.xsi_type.as_deref(), Some("int"));
        assert_eq!(val.text, "42");
        assert_eq!(n.child("obj").unwrap().attr("type"), Some("VirtualMachine"));
    }

    #[test]
    fn entities_and_char_refs_become_text() {
        let n = Node::parse("<a>x &amp; y &#60;&#x3e; &quot;</a>").unwrap();
        assert_eq!(n.text, "x & y <> \"");
    }

    #[test]
    fn broken_documents_are_errors_not_panics() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a>&bogus;</a>",
            "</a>",
            "<a x='1' x='2'>",
        ] {
            assert!(Node::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = "<a>".repeat(10_000);
        assert!(Node::parse(&xml).is_err());
    }
}
