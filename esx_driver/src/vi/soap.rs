//! SOAP 1.1 for vim25: request envelopes written with escaping, responses unwrapped to the
//! method's answer, and faults read into typed errors by their vSphere fault type.

use super::error::{Error, ErrorKind, Fault, Result};
use super::node::Node;

/// A managed object reference (`<obj type="VirtualMachine">vm-42</obj>`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MoRef {
    /// The managed object's type (`VirtualMachine`, `Datastore`, …).
    pub kind: String,
    /// Its id on the server (`vm-42`).
    pub value: String,
}

impl MoRef {
    /// A reference to the object of type `kind` with id `value`.
    pub fn new(kind: &str, value: &str) -> MoRef {
        MoRef {
            kind: kind.to_string(),
            value: value.to_string(),
        }
    }

    /// Reads a MoRef element; `None` when it lacks the `type` attribute.
    pub fn from_node(n: &Node) -> Option<MoRef> {
        let kind = n.attr("type")?;
        Some(MoRef::new(kind, n.text.trim()))
    }
}

/// The body of one request, written element by element in WSDL order.
#[derive(Clone)]
pub struct Request {
    method: &'static str,
    namespace: &'static str,
    buf: String,
}

impl Request {
    pub fn new(method: &'static str, this: &MoRef) -> Request {
        let mut r = Request {
            method,
            namespace: "urn:vim25",
            buf: String::with_capacity(512),
        };
        r.moref("_this", this);
        r
    }

    /// A method of vSphere's internal namespace (`urn:internalvim25`), which hosts and vCenter
    /// serve beside the public one (CreateChildDisk_Task).
    pub fn internal(method: &'static str, this: &MoRef) -> Request {
        let mut r = Request::new(method, this);
        r.namespace = "urn:internalvim25";
        r
    }

    pub fn method(&self) -> &'static str {
        self.method
    }

    /// A leaf element with escaped text.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push('>');
        escape_into(&mut self.buf, value);
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// Escaped text inside the element `open` started.
    pub fn content(&mut self, value: &str) -> &mut Self {
        escape_into(&mut self.buf, value);
        self
    }

    pub fn moref(&mut self, name: &str, r: &MoRef) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        self.buf.push_str(" type=\"");
        escape_into(&mut self.buf, &r.kind);
        self.buf.push_str("\">");
        escape_into(&mut self.buf, &r.value);
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// Opens a complex element, with an `xsi:type` where the schema's type is abstract.
    pub fn open(&mut self, name: &str, xsi_type: Option<&str>) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(name);
        if let Some(t) = xsi_type {
            self.buf.push_str(" xsi:type=\"");
            self.buf.push_str(t);
            self.buf.push('"');
        }
        self.buf.push('>');
        self
    }

    pub fn close(&mut self, name: &str) -> &mut Self {
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
        self
    }

    /// The whole envelope. The caller zeroizes it when it carries a password.
    pub fn envelope(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
             xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
             <soapenv:Body><{m} xmlns=\"{ns}\">{b}</{m}></soapenv:Body></soapenv:Envelope>",
            m = self.method,
            ns = self.namespace,
            b = self.buf
        )
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        // Login bodies hold the password.
        zeroize::Zeroize::zeroize(&mut self.buf);
    }
}

/// The request's one escaping, for text and attribute values alike. Tab, newline and carriage
/// return go as character references: a server's XML parser turns a raw `\r` (or `\r\n`)
/// into `\n`, and raw whitespace in an attribute into spaces, so only references keep a
/// name or annotation as it was set.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

/// Unwraps a reply to `<MethodResponse>`, or turns a fault into an error.
pub fn read_response(method: &str, status: u16, body: &[u8]) -> Result<Node> {
    read_answer(method, status, body, None)
}

/// As `read_response`, the body read from `body` as it arrives; with `items`, the `returnval`
/// children of that name handed to its function one by one as they are read (a retrieve
/// answer's thousands of `objects`), not kept in the answer.
pub fn read_answer(
    method: &str,
    status: u16,
    body: impl std::io::Read,
    items: Option<(&str, &mut dyn FnMut(Node))>,
) -> Result<Node> {
    if status != 200 && status != 500 {
        return Err(Error::new(
            ErrorKind::Http(status),
            format!("{status} (HTTP response code {status} for call to '{method}')"),
        ));
    }
    let mut body = std::io::BufReader::with_capacity(64 << 10, body);
    // What a non-SOAP answer (a proxy's or load balancer's error page) says: its first 200 bytes.
    let start = std::io::BufRead::fill_buf(&mut body)
        .map(|b| b[..b.len().min(200)].to_vec())
        .unwrap_or_default();
    let not_soap = |why: &str| {
        let start = String::from_utf8_lossy(&start).replace(['\r', '\n'], " ");
        Error::protocol(format!(
            "HTTP {status} answer to '{method}' {why}; it begins: {}",
            start.trim()
        ))
    };
    let response = format!("{method}Response");
    let path = ["Envelope", "Body", response.as_str(), "returnval"];
    let prune = items.map(|(leaf, take)| super::node::Prune {
        path: &path,
        leaf,
        take,
    });
    let mut envelope = super::node::parse_from(&mut body, prune).map_err(|e| match status {
        200 => e,
        _ => not_soap("is not SOAP"),
    })?;
    // Answers can be megabytes: the response element is moved out, not copied.
    let mut body = take_child(&mut envelope, "Body").ok_or_else(|| not_soap("has no SOAP body"))?;
    if let Some(fault) = body.child("Fault") {
        return Err(fault_error(method, fault));
    }
    if status == 500 {
        return Err(not_soap("has no SOAP fault"));
    }
    let wanted = format!("{method}Response");
    take_child(&mut body, &wanted)
        .ok_or_else(|| Error::protocol(format!("Response to '{method}' lacks <{wanted}>")))
}

fn take_child(parent: &mut Node, name: &str) -> Option<Node> {
    let at = parent.children.iter().position(|c| c.name == name)?;
    Some(parent.children.swap_remove(at))
}

/// The vSphere fault type of a SOAP fault: the detail's xsi:type, else its element name
/// without the `Fault` suffix.
pub fn fault_kind(fault: &Node) -> Fault {
    let name = fault
        .child("detail")
        .and_then(|d| d.children.first())
        .map(|d| {
            d.xsi_type
                .as_deref()
                .unwrap_or_else(|| d.name.trim_end_matches("Fault"))
        })
        .unwrap_or("SOAPFault");
    Fault::from_type(name)
}

fn fault_error(method: &str, fault: &Node) -> Error {
    let text = fault.text_at("faultstring").unwrap_or("").trim();
    Error::fault(method, fault_kind(fault), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_escapes_text_and_carries_this() {
        let mut r = Request::new("Login", &MoRef::new("SessionManager", "ha-sessionmgr"));
        r.text("userName", "root").text("password", "a<b&\"c'");
        let env = r.envelope();
        assert!(env.contains("<_this type=\"SessionManager\">ha-sessionmgr</_this>"));
        assert!(env.contains("<password>a&lt;b&amp;&quot;c&apos;</password>"));
        assert!(env.contains("<Login xmlns=\"urn:vim25\">"));
    }

    /// What a server's parser would normalize is written as references, so it reads back.
    #[test]
    fn whitespace_controls_are_references_and_read_back() {
        let text = "cr\rname\r\nnext\tx\n";
        let mut r = Request::new("X", &MoRef::new("T\n", "t"));
        r.text("a", text);
        let env = r.envelope();
        assert!(
            env.contains("<a>cr&#13;name&#13;&#10;next&#9;x&#10;</a>"),
            "{env}"
        );
        let root = super::super::node::parse(&env).unwrap();
        assert_eq!(root.text_at("Body.X.a"), Some(text));
        assert_eq!(root.path("Body.X._this").unwrap().attr("type"), Some("T\n"));
    }

    #[test]
    fn fault_is_typed_by_its_type() {
        let body = br#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failed due to a bad username or password.</faultstring><detail><InvalidLoginFault xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#;
        let e = read_response("Login", 500, body).unwrap_err();
        assert!(e.is_fault(&Fault::InvalidLogin));
        assert!(e.detail.contains("InvalidLogin"), "{}", e.detail);
        assert!(e.detail.contains("bad username"), "{}", e.detail);
    }

    #[test]
    fn odd_replies_are_errors() {
        assert_eq!(
            read_response("X", 404, b"nope").unwrap_err().kind,
            ErrorKind::Http(404)
        );
        assert!(read_response("X", 200, b"<a/>").is_err());
        assert!(read_response("X", 200, b"\xff\xfe").is_err());
        let other = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><YResponse/></e:Body></e:Envelope>"#;
        assert!(read_response("X", 200, other).is_err());
        assert!(read_response("Y", 200, other).is_ok());
    }
}
