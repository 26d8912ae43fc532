//! A small XML text builder following libvirt's formatter conventions: two-space indent,
//! single-quoted attributes, and libvirt's escaping of attribute values and text.

use std::fmt::Display;

/// Builds an indented XML document element by element.
#[derive(Default)]
pub(crate) struct XmlWriter {
    buf: String,
    open: Vec<String>,
}

/// An element whose start tag is being written; finish it with `open`, `empty` or `text`.
pub(crate) struct Tag<'w> {
    writer: &'w mut XmlWriter,
    name: &'w str,
}

impl XmlWriter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn tag<'w>(&'w mut self, name: &'w str) -> Tag<'w> {
        self.indent();
        self.buf.push('<');
        self.buf.push_str(name);
        Tag { writer: self, name }
    }

    /// Closes the innermost element left open by `Tag::open`.
    pub(crate) fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.buf.push_str("</");
            self.buf.push_str(&name);
            self.buf.push_str(">\n");
        }
    }

    /// One line of XML written elsewhere through this module's escaping (xml::metadata's
    /// rewriter), at the current indent.
    pub(crate) fn verbatim(&mut self, xml: &str) {
        self.indent();
        self.buf.push_str(xml);
        self.buf.push('\n');
    }

    /// An empty line, as libvirt's formatter puts between some sections.
    pub(crate) fn blank_line(&mut self) {
        self.buf.push('\n');
    }

    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.buf
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.buf.push_str("  ");
        }
    }
}

impl<'w> Tag<'w> {
    pub(crate) fn attr(self, key: &str, value: impl Display) -> Self {
        let value = value.to_string();
        self.writer.buf.push(' ');
        self.writer.buf.push_str(key);
        self.writer.buf.push_str("='");
        escape_attr_into(&mut self.writer.buf, &value);
        self.writer.buf.push('\'');
        self
    }

    pub(crate) fn attr_opt(self, key: &str, value: Option<impl Display>) -> Self {
        match value {
            Some(value) => self.attr(key, value),
            None => self,
        }
    }

    /// Ends the start tag; children follow until `XmlWriter::close`.
    pub(crate) fn open(self) {
        self.writer.buf.push_str(">\n");
        self.writer.open.push(self.name.to_string());
    }

    pub(crate) fn empty(self) {
        self.writer.buf.push_str("/>\n");
    }

    pub(crate) fn text(self, text: &str) {
        let buf = &mut self.writer.buf;
        buf.push('>');
        escape_into(buf, text);
        buf.push_str("</");
        buf.push_str(self.name);
        buf.push_str(">\n");
    }
}

/// Text content: libvirt escapes the five XML specials everywhere and silently drops control
/// characters that XML 1.0 cannot carry (and so are U+FFFE and U+FFFF here, which no parser
/// takes back). A carriage return goes as `&#13;`, as a parser turns a raw one into a
/// newline; tab and newline stay raw, as text keeps them.
pub(crate) fn escape_into(buf: &mut String, text: &str) {
    escape(buf, text, false);
}

/// An attribute value: as text, and tab and newline as references too, since a parser turns
/// raw ones in an attribute into spaces.
pub(crate) fn escape_attr_into(buf: &mut String, text: &str) {
    escape(buf, text, true);
}

fn escape(buf: &mut String, text: &str, attr: bool) {
    for c in text.chars() {
        match c {
            '<' => buf.push_str("&lt;"),
            '>' => buf.push_str("&gt;"),
            '&' => buf.push_str("&amp;"),
            '"' => buf.push_str("&quot;"),
            '\'' => buf.push_str("&apos;"),
            '\r' => buf.push_str("&#13;"),
            '\t' if attr => buf.push_str("&#9;"),
            '\n' if attr => buf.push_str("&#10;"),
            '\t' | '\n' => buf.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => buf.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_elements_are_indented_and_escaped() {
        let mut w = XmlWriter::new();
        w.tag("domain").attr("type", "vmware").open();
        w.tag("name").text("a<b>&'\"\u{1}\u{FFFF}\u{FFFE}");
        w.tag("x").attr_opt("y", None::<&str>).attr("z", 5).empty();
        w.close();
        assert_eq!(
            w.finish(),
            "<domain type='vmware'>\n  <name>a&lt;b&gt;&amp;&apos;&quot;</name>\n  <x z='5'/>\n</domain>\n"
        );
    }

    /// What a parser would normalize away is written as references.
    #[test]
    fn whitespace_reads_back_from_text_and_attributes() {
        let mut w = XmlWriter::new();
        w.tag("d").attr("a", "1\t2\n3\r4").open();
        w.tag("t").text("x\r\ny\tz\n");
        let xml = w.finish();
        assert!(xml.contains("a='1&#9;2&#10;3&#13;4'"), "{xml}");
        assert!(xml.contains("<t>x&#13;\ny\tz\n</t>"), "{xml}");
        let root = crate::xmltree::Element::parse(&xml, crate::xmltree::Names::Qualified).unwrap();
        assert_eq!(root.attr("a"), Some("1\t2\n3\r4"));
        assert_eq!(root.child("t").unwrap().text, "x\r\ny\tz\n");
    }
}
