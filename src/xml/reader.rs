//! A minimal element tree read with quick-xml's event reader: names, attributes, direct text.
//! Enough for libvirt's tolerant, element-by-element reading of domain XML.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::error::{Code, Domain, Error, Result};

/// Deeper documents are refused so that neither building nor dropping the tree can exhaust
/// the stack on hostile input.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The concatenated text directly inside this element.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a child element, trimmed as libvirt's XPath string() users do.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn xml_error(detail: impl Into<String>) -> Error {
    Error::new(Code::XmlError, Domain::Xml, detail)
}

fn start_element(start: &BytesStart<'_>) -> Result<Element> {
    let mut element = Element {
        name: start.name().as_ref().to_string(),
        ..Element::default()
    };
    for attr in start.attributes() {
        let attr = attr.map_err(|e| xml_error(format!("malformed attribute: {e}")))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| xml_error(format!("malformed attribute value: {e}")))?;
        element
            .attrs
            .push((attr.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(element)
}

/// Parses a whole document and returns its root element.
pub fn parse_document(xml: &str) -> Result<Element> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml_error(format!("at position {}: {e}", reader.error_position())))?;
        match event {
            Event::Start(start) => {
                if root.is_some() || stack.len() >= MAX_DEPTH {
                    return Err(xml_error("unexpected element or document too deep"));
                }
                stack.push(start_element(&start)?);
            }
            Event::Empty(start) => {
                let element = start_element(&start)?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| xml_error("unbalanced closing tag"))?;
                attach(&mut stack, &mut root, element)?;
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content())?,
            Event::CData(data) => push_text(&mut stack, &data.xml10_content())?,
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => predefined_entity(&reference)
                        .ok_or_else(|| xml_error(format!("undefined entity '&{};'", &*reference)))?
                        .to_string(),
                    Err(e) => return Err(xml_error(format!("bad character reference: {e}"))),
                };
                push_text(&mut stack, &resolved)?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(xml_error("premature end of data"));
    }
    root.ok_or_else(|| xml_error("document has no root element"))
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) -> Result<()> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(xml_error("extra content at the end of the document")),
    }
    Ok(())
}

fn push_text(stack: &mut [Element], text: &str) -> Result<()> {
    match stack.last_mut() {
        Some(parent) => parent.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(xml_error("text outside the root element")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_children_and_entities() {
        let root = parse_document("<?xml version='1.0'?><a x='1&amp;2'><b>t&lt;&#65;</b><c/></a>")
            .unwrap();
        assert_eq!(root.attr("x"), Some("1&2"));
        assert_eq!(root.child_text("b"), Some("t<A"));
        assert!(root.child("c").is_some());
    }

    #[test]
    fn rejects_broken_documents() {
        for doc in ["", "<a>", "<a></b>", "<a/><b/>", "<a>&bogus;</a>", "x<a/>"] {
            assert!(parse_document(doc).is_err(), "{doc}");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse_document(&deep).is_err());
    }
}
