//! One small element tree read with quick-xml's event reader, for both SOAP answers (local
//! names, `xsi:type` resolved under any prefix) and libvirt's domain XML (names as written).

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::PrefixDeclaration;
use quick_xml::reader::Reader;
use std::borrow::Cow;
use std::io::BufRead;

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// Deeper than any vim25 or domain document; a guard against hostile nesting, so that neither
/// building nor dropping the tree can exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 64;

/// How element and attribute names are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// Namespace prefixes dropped, `xmlns` declarations left out, `xsi:type` taken apart.
    Local,
    /// As written, prefixes included (`vmware:datacenterpath`).
    Qualified,
}

/// An element with its attributes, text and child elements, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    /// The element's name (see `Names`).
    pub name: Cow<'static, str>,
    /// `xsi:type` without its prefix (`xsd:int` → `int`); only read with `Names::Local`.
    pub xsi_type: Option<Cow<'static, str>>,
    /// The attributes as (name, value), values unescaped.
    pub attrs: Vec<(String, String)>,
    /// The concatenated text directly inside this element.
    pub text: String,
    /// The child elements.
    pub children: Vec<Element>,
}

impl Element {
    /// Parses a whole document and returns its root element; the error says what is wrong.
    pub fn parse(xml: &str, names: Names) -> Result<Element, String> {
        Element::parse_pruned(xml, names, None)
    }

    /// As `parse`, but every element named `prune.leaf` whose ancestors are named `prune.path`
    /// (from the root) is handed to `prune.take` as soon as it is complete instead of being
    /// kept: a large answer's repeated items are used one by one, never held as one tree.
    pub fn parse_pruned(
        xml: &str,
        names: Names,
        prune: Option<Prune<'_>>,
    ) -> Result<Element, String> {
        // Domain XML is held to XML 1.0's characters as libvirt's libxml2 holds it (no NUL or
        // other C0 controls, written or referenced): a NUL would end the VMX value it lands in.
        // SOAP answers stay lenient, so one odd character from a server breaks no listing.
        if names == Names::Qualified {
            check_chars(xml)?;
        }
        Element::parse_from(xml.as_bytes(), names, prune)
    }

    /// As `parse_pruned`, reading the document from `source` as it arrives (a SOAP answer's body
    /// stream): nothing but the current event is buffered, and a text that is one event (a
    /// huge field, say) is moved into its element rather than copied.
    pub fn parse_from<R: BufRead>(
        source: R,
        names: Names,
        mut prune: Option<Prune<'_>>,
    ) -> Result<Element, String> {
        let strict = names == Names::Qualified;
        let mut reader = Reader::from_reader(source);
        let mut bindings = XsiBindings::default();
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let event = reader
                .read_event_into(&mut buf)
                .map_err(|e| format!("at position {}: {e}", reader.error_position()))?;
            // A text inside an element that needs no change is its raw bytes, which are all of
            // `buf` (cleared above): `buf` itself becomes the text.
            let whole = !stack.is_empty()
                && matches!(&event, Event::Text(text)
                    if matches!(text.xml10_content(), Cow::Borrowed(c) if c.len() == text.len()));
            if whole {
                drop(event);
                // A long text takes the buffer itself; a short one is copied, so that the
                // buffer keeps its room for the next event instead of growing it anew.
                let bytes = match buf.len() > TAKE_TEXT_OVER {
                    true => std::mem::take(&mut buf),
                    false => buf.clone(),
                };
                let text = String::from_utf8(bytes).map_err(|_| "text is not UTF-8".to_string())?;
                move_text(&mut stack, text);
                continue;
            }
            match event {
                Event::Start(start) => {
                    if root.is_some() || stack.len() >= MAX_DEPTH {
                        return Err("unexpected element or document too deep".into());
                    }
                    stack.push(open(&start, names, &mut bindings, stack.len())?);
                }
                Event::Empty(start) => {
                    let element = open(&start, names, &mut bindings, stack.len())?;
                    bindings.leave(stack.len());
                    keep(&mut stack, &mut root, element, prune.as_mut())?;
                }
                Event::End(_) => {
                    let element = stack.pop().ok_or("unbalanced closing tag")?;
                    bindings.leave(stack.len());
                    keep(&mut stack, &mut root, element, prune.as_mut())?;
                }
                Event::Text(text) => push_text(&mut stack, &text.xml10_content())?,
                Event::CData(data) => push_text(&mut stack, &data.xml10_content())?,
                Event::GeneralRef(reference) => {
                    let resolved = resolve_ref(&reference)?;
                    if strict {
                        check_chars(&resolved)?;
                    }
                    push_text(&mut stack, &resolved)?;
                }
                Event::Eof => break,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
        if !stack.is_empty() {
            return Err("premature end of data".into());
        }
        root.ok_or_else(|| "document has no root element".into())
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The child elements named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a child element, trimmed as libvirt's XPath string() users do.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }

    /// Follows a dotted property path (`summary.hardware.memorySize`).
    pub fn path(&self, dotted: &str) -> Option<&Element> {
        segments(dotted).try_fold(self, |n, part| n.child(part))
    }

    /// As `path`, for changing (or taking from) what it finds.
    pub fn path_mut(&mut self, dotted: &str) -> Option<&mut Element> {
        segments(dotted).try_fold(self, |n, part| {
            n.children.iter_mut().find(|c| c.name == part)
        })
    }

    /// The text of the element at a dotted path.
    pub fn text_at(&self, dotted: &str) -> Option<&str> {
        self.path(dotted).map(|n| n.text.as_str())
    }
}

/// The names answers repeat for every object (and domain XML for every device), and their
/// common `xsi:type`s, are shared, not allocated each time: a listing of thousands of VMs
/// holds a dozen elements per VM.
macro_rules! shared_names {
    ($($n:literal)*) => {
        /// An element's name: one of the common names shared, any other owned.
        pub fn name(s: &str) -> Cow<'static, str> {
            match s {
                $($n => Cow::Borrowed($n),)*
                _ => Cow::Owned(s.to_string()),
            }
        }
    };
}

shared_names!(
    "objects" "obj" "propSet" "name" "val" "returnval" "token" "missingSet" "Envelope" "Body"
    "config" "runtime" "uuid" "powerState" "template" "hardware" "memoryMB" "numCPU"
    "memoryAllocation" "limit" "snapshot" "currentSnapshot" "host" "parent" "summary" "files"
    "vmPathName" "quickStats" "guest" "device" "key" "value" "filterSet" "objectSet"
    "changeSet" "kind" "op" "version" "ManagedObjectReference" "childEntity" "vmFolder"
    "hostFolder" "resourcePool" "datastore" "network" "info" "state" "backing" "fileName"
    "deviceInfo" "label" "controllerKey" "unitNumber" "capacityInKB"
    "capacityInBytes" "macAddress" "connectable" "connected" "startConnected"
    "string" "int" "long" "short" "boolean" "dateTime" "VirtualMachinePowerState"
    "ArrayOfManagedObjectReference" "ArrayOfString" "ArrayOfInt"
);

/// The parts of a dotted path. Typed reads look up a dozen paths per object of thousands, and
/// a byte scan is cheaper on such short strings than the general splitter.
pub fn segments(dotted: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(dotted);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'.') {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// The length past which a text is moved out of the read buffer rather than copied.
const TAKE_TEXT_OVER: usize = 4096;

/// An element's name and attributes, at `depth` (the number of its open ancestors). With
/// `Names::Local`, its namespace declarations go to `bindings` (they hold for its own
/// attributes too, whichever comes first), and a `type` attribute whose prefix is bound to the
/// XML Schema instance namespace becomes `xsi_type`.
fn open(
    start: &BytesStart,
    names: Names,
    bindings: &mut XsiBindings,
    depth: usize,
) -> Result<Element, String> {
    let mut element = Element {
        name: match names {
            Names::Local => name(start.local_name().as_ref()),
            Names::Qualified => name(start.name().as_ref()),
        },
        ..Element::default()
    };
    // `type` attributes under a prefix, resolved once the element's declarations are known.
    let mut typed: Option<(&str, Cow<str>)> = None;
    let mut more_typed: Vec<(&str, Cow<str>)> = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("malformed attribute: {e}"))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("malformed attribute value: {e}"))?;
        if names == Names::Qualified {
            check_chars(&value)?;
            element
                .attrs
                .push((attr.key.as_ref().to_string(), value.into_owned()));
            continue;
        }
        // Namespace declarations are the binding's business, not attributes: SOAP answers
        // repeat them on every value.
        match attr.key.as_namespace_binding() {
            Some(PrefixDeclaration::Named(prefix)) => bindings.declare(depth, prefix, &value),
            Some(PrefixDeclaration::Default) => {}
            None => match attr.key.decompose() {
                (local, Some(prefix)) if local.as_ref() == "type" => match typed {
                    None => typed = Some((prefix.into_inner(), value)),
                    Some(_) => more_typed.push((prefix.into_inner(), value)),
                },
                (local, _) => element
                    .attrs
                    .push((local.as_ref().to_string(), value.into_owned())),
            },
        }
    }
    for (prefix, value) in typed.into_iter().chain(more_typed) {
        if bindings.is_xsi(prefix) {
            element.xsi_type = value.rsplit(':').next().map(name);
        } else {
            element.attrs.push(("type".to_string(), value.into_owned()));
        }
    }
    Ok(element)
}

/// Which namespace prefixes stand for the XML Schema instance namespace where the reader is:
/// only declarations that bind a prefix to it, or rebind one bound to it, are kept (all in one
/// buffer), so the declarations an answer repeats on every value cost no allocation.
#[derive(Default)]
struct XsiBindings {
    prefixes: String,
    /// Per declaration kept: its element's depth, where its prefix starts in `prefixes`, and
    /// whether it binds the namespace; each prefix ends where the next begins.
    kept: Vec<(usize, usize, bool)>,
}

impl XsiBindings {
    fn declare(&mut self, depth: usize, prefix: &str, uri: &str) {
        let xsi = uri == XSI_NS;
        if xsi || self.is_xsi(prefix) {
            self.kept.push((depth, self.prefixes.len(), xsi));
            self.prefixes.push_str(prefix);
        }
    }

    /// Whether `prefix` is bound to the namespace here (the innermost declaration decides).
    fn is_xsi(&self, prefix: &str) -> bool {
        let mut end = self.prefixes.len();
        for &(_, start, xsi) in self.kept.iter().rev() {
            if &self.prefixes[start..end] == prefix {
                return xsi;
            }
            end = start;
        }
        false
    }

    /// Drops the declarations of the element at `depth` (it has ended).
    fn leave(&mut self, depth: usize) {
        while let Some(&(d, start, _)) = self.kept.last()
            && d >= depth
        {
            self.kept.pop();
            self.prefixes.truncate(start);
        }
    }
}

/// The text an entity or character reference stands for: XML's five predefined entities
/// and character references; anything else is undefined (there is no DTD to define it).
pub fn resolve_ref(reference: &quick_xml::events::BytesRef) -> Result<String, String> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(c.to_string()),
        Ok(None) => predefined_entity(reference)
            .map(str::to_string)
            .ok_or_else(|| format!("undefined entity '&{};'", &**reference)),
        Err(e) => Err(format!("bad character reference: {e}")),
    }
}

/// XML 1.0's `Char` production: tab, newline, carriage return and U+0020 up, less U+FFFE/FFFF.
pub fn check_chars(text: &str) -> Result<(), String> {
    match text
        .chars()
        .find(|c| matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}'))
    {
        Some(c) => Err(format!("Char 0x{:X} out of allowed range", u32::from(c))),
        None => Ok(()),
    }
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

/// Where `Element::parse_pruned` hands over the elements it does not keep.
pub struct Prune<'a> {
    pub path: &'a [&'a str],
    pub leaf: &'a str,
    pub take: &'a mut dyn FnMut(Element),
}

/// Attaches a completed element to its parent, or hands it to `prune` when it is one of the
/// elements pruned.
fn keep(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
    prune: Option<&mut Prune<'_>>,
) -> Result<(), String> {
    if let Some(p) = prune
        && element.name == p.leaf
        && stack.len() == p.path.len()
        && stack.iter().zip(p.path).all(|(e, n)| e.name == *n)
    {
        (p.take)(element);
        return Ok(());
    }
    attach(stack, root, element)
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    element: Element,
) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err("extra content at the end of the document".into()),
    }
    Ok(())
}

/// A whole text event's string given to the open element: moved when the element has no text
/// yet (a huge field costs its own size once), else appended.
fn move_text(stack: &mut [Element], text: String) {
    if let Some(parent) = stack.last_mut() {
        if parent.text.is_empty() {
            parent.text = text;
        } else {
            parent.text.push_str(&text);
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => parent.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err("text outside the root element".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_children_and_entities() {
        let root = Element::parse(
            "<?xml version='1.0'?><a x='1&amp;2'><b>t&lt;&#65; &quot;</b><c/></a>",
            Names::Qualified,
        )
        .unwrap();
        assert_eq!(root.attr("x"), Some("1&2"));
        assert_eq!(root.child_text("b"), Some("t<A \""));
        assert!(root.child("c").is_some());
    }

    #[test]
    fn local_names_resolve_xsi_type_under_any_prefix() {
        let xml = r#"<r xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"><val XMLSchema-instance:type="xsd:int">42</val><obj type="VirtualMachine">vm-1</obj></r>"#;
        let n = Element::parse(xml, Names::Local).unwrap();
        let val = n.child("val").unwrap();
        assert_eq!(val.xsi_type.as_deref(), Some("int"));
        assert_eq!(val.text, "42");
        assert!(n.attrs.is_empty(), "xmlns declarations are left out");
        assert_eq!(n.child("obj").unwrap().attr("type"), Some("VirtualMachine"));
        let q = Element::parse("<v:a xmlns:v='u'><v:b/></v:a>", Names::Qualified).unwrap();
        assert!(q.child("v:b").is_some());
    }

    /// The prefix decides only where it is bound to the namespace: declared after the
    /// attribute on the same element, rebound below, or never declared.
    #[test]
    fn xsi_type_follows_the_prefix_bindings_in_scope() {
        let xml = r#"<r xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
            <a i:type="xsd:int"/>
            <b p:type="x:B" xmlns:p="http://www.w3.org/2001/XMLSchema-instance"/>
            <c xmlns:i="urn:other" i:type="C"><d i:type="D"/></c>
            <e i:type="xsd:E" q:type="Q"/>
            <f p:type="F"/></r>"#;
        let n = Element::parse(xml, Names::Local).unwrap();
        let typed = |name: &str| n.child(name).unwrap().xsi_type.clone();
        assert_eq!(typed("a").as_deref(), Some("int"));
        assert_eq!(typed("b").as_deref(), Some("B"));
        let c = n.child("c").unwrap();
        assert_eq!((c.xsi_type.as_deref(), c.attr("type")), (None, Some("C")));
        assert_eq!(c.child("d").unwrap().attr("type"), Some("D"));
        let e = n.child("e").unwrap();
        assert_eq!(
            (e.xsi_type.as_deref(), e.attr("type")),
            (Some("E"), Some("Q"))
        );
        let f = n.child("f").unwrap();
        assert_eq!((f.xsi_type.as_deref(), f.attr("type")), (None, Some("F")));
    }

    /// Found by the xml_round_trip fuzz target: a NUL in a disk's source file name reached the
    /// VMX file, which then did not read back ("unterminated string").
    #[test]
    fn domain_xml_refuses_characters_xml_forbids() {
        for doc in [
            "<a>x\0y</a>",
            "<a x='\u{1}'/>",
            "<a>&#0;</a>",
            "<a>&#x1f;</a>",
            "<a x='&#27;'/>",
            "<a>\u{ffff}</a>",
        ] {
            let err = Element::parse(doc, Names::Qualified).unwrap_err();
            assert!(
                err.contains("range") || err.contains("not permitted"),
                "{doc:?}: {err}"
            );
        }
        let ok = Element::parse("<a x='&#9;'>\t&#10;\r\u{e9}</a>", Names::Qualified).unwrap();
        assert_eq!(ok.attr("x"), Some("\t"));
        // SOAP answers keep such characters
        assert_eq!(
            Element::parse("<a>&#1;</a>", Names::Local).unwrap().text,
            "\u{1}"
        );
    }

    #[test]
    fn pruned_elements_are_handed_over_not_kept() {
        let mut taken = Vec::new();
        let mut take = |e: Element| taken.push(e.text);
        let prune = Prune {
            path: &["r", "list"],
            leaf: "item",
            take: &mut take,
        };
        let xml = "<r><list><item>1</item><other/><item>2</item></list><item>3</item></r>";
        let root = Element::parse_pruned(xml, Names::Local, Some(prune)).unwrap();
        assert_eq!(taken, ["1", "2"]);
        let list = root.child("list").unwrap();
        assert_eq!(list.children.len(), 1, "only the unpruned child stays");
        assert_eq!(
            root.child_text("item"),
            Some("3"),
            "the path decides, not the name"
        );
    }

    #[test]
    fn rejects_broken_documents() {
        for doc in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<a>&bogus;</a>",
            "x<a/>",
            "</a>",
            "<a x='1' x='2'>",
        ] {
            for names in [Names::Local, Names::Qualified] {
                assert!(Element::parse(doc, names).is_err(), "{doc}");
            }
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(Element::parse(&deep, Names::Local).is_err());
        assert!(Element::parse(&"<a>".repeat(10_000), Names::Local).is_err());
    }
}
