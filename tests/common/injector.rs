//! A fault injector between the library and a plain-HTTP simulator: per SOAP method it can drop
//! the connection, delay, answer a fault, answer a canned body or rewrite the real answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub type Rewrite = Box<dyn Fn(&str) -> String + Send>;

pub enum Action {
    /// Close the connection without answering.
    Drop,
    /// Wait, then forward.
    Delay(Duration),
    /// HTTP 500 with a SOAP fault of this vSphere type and message.
    Fault(&'static str, &'static str),
    /// HTTP 200 with this body (made when the request comes) inside `<{Method}Response>`.
    Reply(Box<dyn Fn() -> String + Send>),
    /// Forward, then rewrite the answer's body.
    Rewrite(Rewrite),
    /// As `Rewrite`, for a rule that repeats.
    RewriteEach(Arc<dyn Fn(&str) -> String + Send + Sync>),
    /// This HTTP status with this raw body (made when the request comes), not wrapped in SOAP.
    Raw(u16, Box<dyn Fn() -> String + Send>),
    /// HTTP 200 with a chunked body that never ends, until the client hangs up (or 4 GiB).
    Endless,
    /// HTTP 200 with `<{Method}Response>` holding `head`, then `unit` `count` times (`{n}` in
    /// it numbered), then `tail`: written as it goes, so that a huge answer costs this process
    /// nothing.
    Huge {
        head: String,
        unit: String,
        count: usize,
        tail: String,
    },
    /// Reads nothing more of the request, answers the headers of a 1 MiB body and 1 KiB of it,
    /// then goes quiet for this long: a download that stalls, an upload the server stops
    /// reading.
    Stall(Duration),
}

pub struct Rule {
    /// A SOAP method, or the start of a request line (`GET /folder/`).
    pub method: &'static str,
    /// Only requests whose body contains this.
    pub when: Option<&'static str>,
    /// How many more requests the rule applies to.
    pub times: usize,
    pub action: Action,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    /// (SOAP method or request line, request body)
    seen: Vec<(String, String)>,
}

pub struct Injector {
    pub addr: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl Injector {
    /// Listens on a free loopback port and forwards to `upstream` (`127.0.0.1:PORT`, plain HTTP).
    pub fn start(upstream: &str) -> Injector {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, halt, up) = (state.clone(), stop.clone(), upstream.to_string());
        thread::spawn(move || {
            for conn in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (st, up) = (st.clone(), up.clone());
                thread::spawn(move || serve(conn, &up, &st));
            }
        });
        Injector { addr, state, stop }
    }

    pub fn add(&self, method: &'static str, times: usize, action: Action) {
        self.state.lock().unwrap().rules.push(Rule {
            method,
            when: None,
            times,
            action,
        });
    }

    /// As `add`, for the requests of `method` whose body contains `needle` only.
    pub fn add_when(
        &self,
        method: &'static str,
        needle: &'static str,
        times: usize,
        action: Action,
    ) {
        self.state.lock().unwrap().rules.push(Rule {
            method,
            when: Some(needle),
            times,
            action,
        });
    }

    /// The SOAP methods (or request lines, `CONNECT …` for proxy tunnels) seen so far, in order.
    /// The next task `method` starts fails with the vSphere fault `fault` and `message`: the
    /// call's answer is passed on, and the first read of a task's state answers "error".
    pub fn fail_next_task(&self, method: &'static str, fault: &'static str, message: &'static str) {
        let task = Arc::new(Mutex::new(String::new()));
        let seen = task.clone();
        self.add(
            method,
            1,
            Action::Rewrite(Box::new(move |body| {
                let v = body.split("</returnval>").next().unwrap();
                *seen.lock().unwrap() = v[v.rfind('>').unwrap() + 1..].to_string();
                body.to_string()
            })),
        );
        self.add_when(
            "RetrievePropertiesEx",
            "info.state",
            1,
            Action::Reply(Box::new(move || {
                format!(
                    "<returnval><objects><obj type=\"Task\">{}</obj><propSet><name>info.state</name>\
                     <val xsi:type=\"TaskInfoState\">error</val></propSet><propSet><name>info.error</name>\
                     <val xsi:type=\"LocalizedMethodFault\"><fault xsi:type=\"{fault}\"/>\
                     <localizedMessage>{message}</localizedMessage>\
                     </val></propSet></objects></returnval>",
                    task.lock().unwrap()
                )
            })),
        );
    }

    pub fn seen(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .seen
            .iter()
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// The bodies of the requests for `method` seen so far.
    pub fn bodies(&self, method: &str) -> Vec<String> {
        let st = self.state.lock().unwrap();
        st.seen
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// A connection as root to the ESX host behind the injector, with `path_and_query`
    /// (`/` and the URI's query, if any).
    pub fn open(&self, path_and_query: &str) -> Arc<virt_esx::driver::Connection> {
        virt_esx::driver::Connection::open(
            &self.uri("esx", path_and_query),
            Some(&super::Creds::new(Some("root"), "pw")),
            false,
        )
        .unwrap()
    }

    pub fn uri(&self, scheme: &str, path_and_query: &str) -> String {
        let sep = if path_and_query.contains('?') {
            '&'
        } else {
            '?'
        };
        format!(
            "{scheme}://{}{path_and_query}{sep}transport=http",
            self.addr
        )
    }
}

impl Drop for Injector {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.addr);
    }
}

/// The request line, headers and body of one HTTP request.
fn read_request(r: &mut BufReader<TcpStream>) -> Option<(String, Vec<String>, Vec<u8>)> {
    let mut line = String::new();
    r.read_line(&mut line).ok().filter(|n| *n > 0)?;
    let mut headers = Vec::new();
    let mut len = 0;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end().to_string();
        if h.is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        headers.push(h);
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).ok()?;
    Some((line.trim_end().to_string(), headers, body))
}

/// The SOAP method of a request body: the first element inside the SOAP body.
fn soap_method(body: &str) -> Option<String> {
    let after = &body[body.find("Body>")? + 5..];
    let start = after.find('<')? + 1;
    let name: String = after[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Some(name)
}

fn serve(conn: TcpStream, upstream: &str, state: &Mutex<State>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut conn = conn;
    let Some((mut line, mut headers, mut body)) = read_request(&mut reader) else {
        return;
    };
    // As an HTTP proxy: open the tunnel, then serve the request that comes through it.
    if line.starts_with("CONNECT ") {
        state
            .lock()
            .unwrap()
            .seen
            .push((line.clone(), String::new()));
        if conn
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .is_err()
        {
            return;
        }
        let Some(inner) = read_request(&mut reader) else {
            return;
        };
        (line, headers, body) = inner;
    }
    let text = String::from_utf8_lossy(&body).into_owned();
    let key = soap_method(&text).unwrap_or_else(|| line.clone());
    let action = {
        let mut st = state.lock().unwrap();
        st.seen.push((key.clone(), text.clone()));
        let pos = st.rules.iter().position(|r| {
            let hit = r.method == key || (r.method.contains(' ') && key.starts_with(r.method));
            hit && r.times > 0 && r.when.is_none_or(|w| text.contains(w))
        });
        pos.map(|i| {
            st.rules[i].times -= 1;
            if st.rules[i].times == 0 {
                st.rules.remove(i).action
            } else {
                // Repeating rules keep their action; only delays and faults repeat.
                match &st.rules[i].action {
                    Action::Delay(d) => Action::Delay(*d),
                    Action::Fault(k, m) => Action::Fault(k, m),
                    Action::Drop => Action::Drop,
                    Action::RewriteEach(f) => Action::RewriteEach(f.clone()),
                    _ => panic!("only Drop, Delay, Fault and RewriteEach rules may repeat"),
                }
            }
        })
    };
    let (status, cookie, reply) = match action {
        Some(Action::Drop) => return,
        Some(Action::Endless) => return endless(conn),
        Some(Action::Huge {
            head,
            unit,
            count,
            tail,
        }) => return huge(conn, &key, &head, (&unit, count), &tail),
        Some(Action::Stall(d)) => return stall(conn, d),
        Some(Action::Raw(status, body)) => (status, None, body()),
        Some(Action::Fault(kind, msg)) => (500, None, fault(kind, msg)),
        Some(Action::Reply(inner)) => (
            200,
            None,
            envelope(&format!(
                "<{key}Response xmlns=\"urn:vim25\">{}</{key}Response>",
                inner()
            )),
        ),
        Some(Action::Delay(d)) => {
            thread::sleep(d);
            forward(upstream, &line, &headers, &body)
        }
        Some(Action::Rewrite(f)) => {
            let (s, c, b) = forward(upstream, &line, &headers, &body);
            (s, c, f(&b))
        }
        Some(Action::RewriteEach(f)) => {
            let (s, c, b) = forward(upstream, &line, &headers, &body);
            (s, c, f(&b))
        }
        None => forward(upstream, &line, &headers, &body),
    };
    if status == 0 {
        return;
    }
    let _ = write!(
        conn,
        "HTTP/1.1 {status} X\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n{}\r\n{reply}",
        reply.len(),
        cookie.map(|c| format!("{c}\r\n")).unwrap_or_default()
    );
}

/// A SOAP answer of `unit` repeated between `head` and `tail`, written about 64 KiB at a time.
fn huge(mut conn: TcpStream, key: &str, head: &str, (unit, count): (&str, usize), tail: &str) {
    let start = envelope(&format!("<{key}Response xmlns=\"urn:vim25\">{head}\u{0}"));
    let (open, close) = start.split_once('\u{0}').unwrap();
    let close = format!("{tail}</{key}Response>{close}");
    let numbered = unit.contains("{n}");
    let one = |n: usize| match numbered {
        true => unit.replace("{n}", &n.to_string()),
        false => unit.to_string(),
    };
    let length: usize = match numbered {
        true => (0..count).map(|n| one(n).len()).sum(),
        false => unit.len() * count,
    };
    let _ = write!(
        conn,
        "HTTP/1.1 200 X\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{open}",
        open.len() + length + close.len()
    );
    let mut chunk = String::new();
    for n in 0..count {
        chunk.push_str(&one(n));
        if chunk.len() >= 65_536 {
            if conn.write_all(chunk.as_bytes()).is_err() {
                return;
            }
            chunk.clear();
        }
    }
    let _ = conn.write_all(chunk.as_bytes());
    let _ = conn.write_all(close.as_bytes());
}

/// A 1 MiB answer that stops after its first KiB, for `d`.
fn stall(mut conn: TcpStream, d: Duration) {
    let head = "HTTP/1.1 200 X\r\nContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n";
    if conn.write_all(head.as_bytes()).is_ok() {
        let _ = conn.write_all(&[7u8; 1024]);
    }
    thread::sleep(d);
}

/// Chunks of junk until the client stops reading; bounded so that it always ends.
fn endless(mut conn: TcpStream) {
    let head = "HTTP/1.1 200 X\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
    if conn.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
    for _ in 0..(1 << 16) {
        if conn.write_all(chunk.as_bytes()).is_err() {
            return;
        }
    }
}

/// A SOAP fault envelope of type `kind` with message `msg`.
pub fn fault_body(kind: &str, msg: &str) -> String {
    fault(kind, msg)
}

/// Sends the request upstream as HTTP/1.0 (no chunking, closed at the end); returns the status,
/// the session cookie header when Login sets one, and the body.
fn forward(
    upstream: &str,
    line: &str,
    headers: &[String],
    body: &[u8],
) -> (u16, Option<String>, String) {
    // The server is down (restarting): status 0, and the client's connection is dropped.
    let Ok(mut up) = TcpStream::connect(upstream) else {
        return (0, None, String::new());
    };
    let line = line.replace("HTTP/1.1", "HTTP/1.0");
    let mut req = format!("{line}\r\n");
    for h in headers {
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("host:") || lower.starts_with("connection:") {
            continue;
        }
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str(&format!("Host: {upstream}\r\nConnection: close\r\n\r\n"));
    up.write_all(req.as_bytes()).unwrap();
    up.write_all(body).unwrap();
    let mut raw = Vec::new();
    up.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    let cookie = head
        .lines()
        .find(|h| h.to_ascii_lowercase().starts_with("set-cookie:"))
        .map(str::to_string);
    (status, cookie, body.to_string())
}

fn envelope(inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soapenv:Body>{inner}</soapenv:Body></soapenv:Envelope>"
    )
}

fn fault(kind: &str, msg: &str) -> String {
    envelope(&format!(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>{msg}</faultstring>\
         <detail><{kind}Fault xmlns=\"urn:vim25\" xsi:type=\"{kind}\"></{kind}Fault></detail></soapenv:Fault>"
    ))
}
