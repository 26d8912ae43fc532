//! Element metadata (virDomainSetMetadata's ELEMENT kind): an application's XML element put
//! in the namespace it is kept under, and re-written so that only well-formed XML is kept.
//!
//! Both what a caller sets and what is read back from a VM (whose `extraConfig` anyone may
//! edit) pass through `rewrite`, so a domain's XML never carries another document's junk:
//! text and attributes are unescaped and escaped again, comments and processing
//! instructions dropped, DOCTYPEs refused.

use crate::error::{Code, Domain, Error, Result};
use crate::xml::writer::{escape_attr_into, escape_into};
use crate::xmltree::{Element, MAX_DEPTH, check_chars, resolve_ref};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// The rewriter's own results: its errors are put in context by the caller.
type Walked<T> = std::result::Result<T, String>;

/// The longest element kept (its text as stored), well inside what a VMX value holds.
const MAX_LEN: usize = 64 * 1024;

/// One application's element: the namespace it lives in and its XML, whose root element is
/// prefixed and declares that prefix (`<app:x xmlns:app="uri">…</app:x>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    pub(crate) uri: String,
    /// The element, prefixed and declaring its namespace.
    pub xml: String,
}

fn xml_error(detail: impl Into<String>) -> Error {
    Error::new(Code::XmlError, Domain::Domain, detail)
}

impl Metadata {
    /// The caller's element moved into namespace `uri` under the prefix `key`, as libvirt
    /// does with virDomainSetMetadata's key and uri.
    pub fn new(xml: &str, key: &str, uri: &str) -> Result<Metadata> {
        if !is_prefix(key) {
            return Err(Error::invalid_arg(format!(
                "metadata key '{}' is not a valid XML namespace prefix (an NCName not \
                 starting with 'xml')",
                key.escape_debug()
            )));
        }
        // Whitespace would be normalized away when the declaration is read back, so the
        // element would no longer be found under the URI it was set for.
        if uri.is_empty() || uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_arg(format!(
                "metadata namespace URI '{}' is empty or holds whitespace or control characters",
                uri.escape_debug()
            )));
        }
        rewrite(xml, Some((key, uri)), &[]).map_err(|e| xml_error(format!("(metadata_xml): {e}")))
    }

    /// An element as kept: its root's prefix must be declared on the root.
    pub(crate) fn stored(xml: &str) -> Result<Metadata> {
        rewrite(xml, None, &[]).map_err(|e| xml_error(format!("(metadata): {e}")))
    }

    /// The `<metadata>` children of domain XML `xml` (whose tree is `root`), each with its
    /// prefix's declaration, which may sit on `<metadata>` or `<domain>`. Of two elements in
    /// one namespace the last is kept, as virDomainSetMetadata replaces it.
    pub(crate) fn in_domain(xml: &str, root: &Element) -> Result<Vec<Metadata>> {
        let Some(section) = root.child("metadata") else {
            return Ok(Vec::new());
        };
        let inherited: Vec<(String, String)> = [&section.attrs, &root.attrs]
            .into_iter()
            .flatten()
            .filter_map(|(k, v)| Some((k.strip_prefix("xmlns:")?.to_string(), v.clone())))
            .collect();
        let mut kept: Vec<Metadata> = Vec::new();
        for raw in children_of_metadata(xml).map_err(xml_error)? {
            let m = rewrite(raw, None, &inherited)
                .map_err(|e| xml_error(format!("metadata element: {e}")))?;
            kept.retain(|k| k.uri != m.uri);
            kept.push(m);
        }
        Ok(kept)
    }
}

/// The text of each element directly inside `/domain/metadata`, as written.
fn children_of_metadata(xml: &str) -> Walked<Vec<&str>> {
    let mut reader = Reader::from_str(xml);
    let mut found = Vec::new();
    let (mut depth, mut in_metadata, mut start) = (0usize, false, 0usize);
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let after = reader.buffer_position() as usize;
        match event {
            Event::Start(s) => {
                if depth == 1 && s.name().as_ref() == "metadata" {
                    in_metadata = true;
                } else if depth == 2 && in_metadata {
                    start = before;
                }
                depth += 1;
            }
            Event::Empty(_) if depth == 2 && in_metadata => found.push(&xml[before..after]),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                match depth {
                    1 => in_metadata = false,
                    2 if in_metadata => found.push(&xml[start..after]),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(found)
}

/// XML's Name production, narrowed to ASCII letters, digits and `_-.:` (a name's first
/// character a letter or `_`): what namespace prefixes and element names are in practice,
/// and nothing that could end a tag.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// A namespace prefix of one's own: an NCName (a name without `:`) outside the `xml`
/// family, which the Namespaces spec reserves (`xmlns:xmlns=…` is refused by
/// namespace-aware parsers).
fn is_prefix(prefix: &str) -> bool {
    is_name(prefix)
        && !prefix.contains(':')
        && !prefix
            .get(..3)
            .is_some_and(|head| head.eq_ignore_ascii_case("xml"))
}

/// What the rewriter keeps while it walks the document.
struct Walk<'a> {
    out: String,
    depth: usize,
    /// The root's name as written out, and its namespace once known.
    root: Option<String>,
    ns: Option<(&'a str, &'a str)>,
    inherited: &'a [(String, String)],
    uri: Option<String>,
    done: bool,
}

impl Walk<'_> {
    fn start(&mut self, start: &BytesStart, empty: bool) -> Walked<()> {
        if self.done {
            return Err("extra content at the end of the document".into());
        }
        if self.depth >= MAX_DEPTH {
            return Err("document too deep".into());
        }
        let name = start.name().as_ref().to_string();
        if !is_name(&name) {
            return Err(format!("invalid element name '{name}'"));
        }
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
            let key = attr.key.as_ref().to_string();
            if !is_name(&key) {
                return Err(format!("invalid attribute name '{key}'"));
            }
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("malformed attribute value: {e}"))?;
            check_chars(&value)?;
            attrs.push((key, value.into_owned()));
        }
        let name = match self.depth {
            0 => self.root_name(&name, &mut attrs)?,
            _ => name,
        };
        self.out.push('<');
        self.out.push_str(&name);
        for (key, value) in &attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_attr_into(&mut self.out, value);
            self.out.push('"');
        }
        match empty {
            true => {
                self.out.push_str("/>");
                self.done = self.depth == 0;
            }
            false => {
                self.out.push('>');
                self.depth += 1;
            }
        }
        Ok(())
    }

    /// The root in its namespace: renamed into the caller's, or checked to declare its own.
    fn root_name(&mut self, name: &str, attrs: &mut Vec<(String, String)>) -> Walked<String> {
        let local = name.rsplit(':').next().unwrap_or(name);
        let (prefix, uri) = match self.ns {
            Some((key, uri)) => {
                attrs.retain(|(k, _)| *k != format!("xmlns:{key}"));
                attrs.insert(0, (format!("xmlns:{key}"), uri.to_string()));
                (key.to_string(), uri.to_string())
            }
            None => {
                let prefix = name
                    .split_once(':')
                    .map(|(p, _)| p.to_string())
                    .ok_or("the element has no namespace prefix")?;
                // Kept before keys were checked, or edited in by hand.
                if !is_prefix(&prefix) {
                    return Err(format!("namespace prefix '{prefix}' is reserved"));
                }
                let declared = format!("xmlns:{prefix}");
                let on_root = attrs.iter().find(|(k, _)| *k == declared);
                let uri = match on_root {
                    Some((_, uri)) => uri.clone(),
                    None => {
                        let (_, uri) = self
                            .inherited
                            .iter()
                            .find(|(p, _)| *p == prefix)
                            .ok_or_else(|| {
                                format!("namespace prefix '{prefix}' is not declared")
                            })?;
                        attrs.insert(0, (declared, uri.clone()));
                        uri.clone()
                    }
                };
                if uri.is_empty() {
                    return Err(format!("namespace prefix '{prefix}' has an empty URI"));
                }
                (prefix, uri)
            }
        };
        let name = format!("{prefix}:{local}");
        self.root = Some(name.clone());
        self.uri = Some(uri);
        Ok(name)
    }

    fn end(&mut self, name: &str) -> Walked<()> {
        self.depth = self.depth.checked_sub(1).ok_or("unbalanced closing tag")?;
        self.out.push_str("</");
        match self.depth {
            0 => {
                self.out.push_str(self.root.as_deref().unwrap_or_default());
                self.done = true;
            }
            // The reader has checked it matches its start tag, whose name was checked.
            _ => self.out.push_str(name),
        }
        self.out.push('>');
        Ok(())
    }

    fn text(&mut self, text: &str) -> Walked<()> {
        check_chars(text)?;
        match self.depth {
            0 if text.trim().is_empty() => {}
            0 => return Err("text outside the element".into()),
            _ => escape_into(&mut self.out, text),
        }
        Ok(())
    }
}

fn rewrite(
    xml: &str,
    ns: Option<(&str, &str)>,
    inherited: &[(String, String)],
) -> Walked<Metadata> {
    if xml.len() > MAX_LEN {
        return Err(format!("the element is longer than {MAX_LEN} bytes"));
    }
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk {
        out: String::with_capacity(xml.len() + 64),
        depth: 0,
        root: None,
        ns,
        inherited,
        uri: None,
        done: false,
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at position {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => walk.start(&start, false)?,
            Event::Empty(start) => walk.start(&start, true)?,
            Event::End(end) => walk.end(end.name().as_ref())?,
            Event::Text(text) => walk.text(&text.xml10_content())?,
            Event::CData(data) => walk.text(&data.xml10_content())?,
            Event::GeneralRef(reference) => walk.text(&resolve_ref(&reference)?)?,
            Event::DocType(_) => return Err("a DOCTYPE is not allowed".into()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    match (walk.done, walk.uri) {
        (true, Some(uri)) => Ok(Metadata { uri, xml: walk.out }),
        _ => Err("premature end of data".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_moves_into_the_callers_namespace() {
        let m = Metadata::new(
            "<?xml version='1.0'?><foo a='1&amp;2'>x<b/>&lt;y<!-- c --></foo>",
            "app",
            "http://app/1",
        )
        .unwrap();
        assert_eq!(m.uri, "http://app/1");
        assert_eq!(
            m.xml,
            "<app:foo xmlns:app=\"http://app/1\" a=\"1&amp;2\">x<b/>&lt;y</app:foo>"
        );
        assert_eq!(Metadata::stored(&m.xml).unwrap(), m);
        let m = Metadata::new("<old:foo xmlns:app='other'/>", "app", "u").unwrap();
        assert_eq!(m.xml, "<app:foo xmlns:app=\"u\"/>");
    }

    #[test]
    fn only_one_well_formed_element_is_kept() {
        for bad in [
            "",
            "text",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a/>tail",
            "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
            "<a>&e;</a>",
            "<a>\u{1}</a>",
        ] {
            assert!(Metadata::new(bad, "k", "u").is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(Metadata::new(&deep, "k", "u").is_err());
        assert!(Metadata::new(&format!("<a>{}</a>", "x".repeat(MAX_LEN)), "k", "u").is_err());
        for key in ["", "a:b", "1a", "a b", "xml", "xmlns", "XMLfoo", "xml-app"] {
            assert_eq!(
                Metadata::new("<a/>", key, "u").unwrap_err().code,
                Code::InvalidArg,
                "{key}"
            );
        }
        for uri in ["", "urn:a\nb", "urn:a b", "urn:\t", "urn:\r"] {
            assert_eq!(
                Metadata::new("<a/>", "k", uri).unwrap_err().code,
                Code::InvalidArg,
                "{uri:?}"
            );
        }
        assert!(Metadata::new("<a/>", "xm", "urn:k").is_ok());
    }

    /// Whitespace in attribute values and carriage returns in text are references, which
    /// read back as themselves.
    #[test]
    fn values_keep_their_whitespace() {
        let m = Metadata::new("<a v='1&#10;2&#9;3&#13;'>x&#13;y</a>", "k", "urn:k").unwrap();
        assert_eq!(
            m.xml,
            "<k:a xmlns:k=\"urn:k\" v=\"1&#10;2&#9;3&#13;\">x&#13;y</k:a>"
        );
        assert_eq!(Metadata::stored(&m.xml).unwrap(), m);
    }

    #[test]
    fn domain_xml_metadata_keeps_each_namespace_once() {
        let xml = "<domain xmlns:b='urn:b'><metadata xmlns:a='urn:a'>\n  <a:x k='v'>1<y/></a:x>\n  \
                   <b:z/><a:x>2</a:x></metadata><name>n</name></domain>";
        let root = Element::parse(xml, crate::xmltree::Names::Qualified).unwrap();
        let kept = Metadata::in_domain(xml, &root).unwrap();
        assert_eq!(
            kept,
            [
                Metadata {
                    uri: "urn:b".into(),
                    xml: "<b:z xmlns:b=\"urn:b\"/>".into()
                },
                Metadata {
                    uri: "urn:a".into(),
                    xml: "<a:x xmlns:a=\"urn:a\">2</a:x>".into()
                },
            ]
        );
        let bad = "<domain><metadata><x/></metadata></domain>";
        let root = Element::parse(bad, crate::xmltree::Names::Qualified).unwrap();
        assert!(Metadata::in_domain(bad, &root).is_err());
    }

    #[test]
    fn a_stored_element_must_declare_its_prefix() {
        for bad in [
            "<a/>",
            "<p:a/>",
            "<p:a xmlns:q='u'/>",
            "<p:a xmlns:p=''/>",
            "<xmlns:a xmlns:xmlns='urn:k'/>",
        ] {
            assert!(Metadata::stored(bad).is_err(), "{bad:?}");
        }
    }
}
