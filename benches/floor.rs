//! Connect + list every VM with its state on a two-datacenter vCenter simulator, through our C
//! API, against the raw SOAP floor measured in the same run on the same simulator: the four
//! requests a hand-written client needs (RetrieveServiceContent, Login, CreateContainerView,
//! RetrievePropertiesEx plus the pages the server asks for), sent with ureq and no library.
//! Also connect + list + info of every VM against the same floor. Prints the ratios.
//! `cargo bench --bench floor` (FLOOR_SIZES=1000,10000 by default).

#[path = "../tests/common/mod.rs"]
mod common;

use common::Sim;
use std::ffi::CString;
use std::time::{Duration, Instant};
use virt_esx::ffi::connection::domains::virConnectListAllDomains;
use virt_esx::ffi::connection::{virConnectClose, virConnectOpenAuth};
use virt_esx::ffi::domain::object::virDomainFree;
use virt_esx::ffi::domain::status::{virDomainGetInfo, virDomainGetState};
use virt_esx::ffi::types::{virConnectAuth, virDomainInfo, virDomainPtr};

const RUNS: usize = 9;

/// Open, list all, then state (or info) of each; closed. Returns the VM count.
fn ours(uri: &CString, info: bool) -> usize {
    let mut types = [2, 5];
    let mut auth = virConnectAuth {
        credtype: types.as_mut_ptr(),
        ncredtype: 2,
        cb: Some(common::answer_root),
        cbdata: std::ptr::null_mut(),
    };
    // SAFETY: a valid URI and auth; every handle is freed below.
    unsafe {
        let c = virConnectOpenAuth(uri.as_ptr(), &mut auth, 0);
        assert!(!c.is_null(), "open failed");
        let mut doms: *mut virDomainPtr = std::ptr::null_mut();
        let n = virConnectListAllDomains(c, &mut doms, 0);
        assert!(n > 0);
        for i in 0..n as usize {
            let d = *doms.add(i);
            if info {
                let mut out: virDomainInfo = std::mem::zeroed();
                assert_eq!(virDomainGetInfo(d, &mut out), 0);
            } else {
                let (mut state, mut reason) = (0, 0);
                assert_eq!(virDomainGetState(d, &mut state, &mut reason, 0), 0);
            }
            virDomainFree(d);
        }
        libc::free(doms.cast());
        virConnectClose(c);
        n as usize
    }
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>{body}\
         </soapenv:Body></soapenv:Envelope>"
    )
}

/// The text of the first `<tag>…</tag>` in `xml` (enough for the floor's own answers).
fn first<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}");
    let start = xml.find(&open)?;
    let after = start + xml[start..].find('>')? + 1;
    let end = after + xml[after..].find(&format!("</{tag}>"))?;
    Some(&xml[after..end])
}

/// The raw floor: four requests (plus pages), the answers read only for what comes next.
/// Returns the number of VMs (counted by their `<objects>`).
fn floor(base: &str) -> usize {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{base}/sdk");
    let mut cookie: Option<String> = None;
    let mut post = |body: String| -> String {
        let mut req = agent
            .post(&url)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/8.0");
        if let Some(c) = &cookie {
            req = req.header("Cookie", c);
        }
        let mut resp = req.send(envelope(&body)).unwrap();
        if let Some(c) = resp.headers().get("set-cookie") {
            cookie = Some(c.to_str().unwrap().split(';').next().unwrap().to_string());
        }
        resp.body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_string()
            .unwrap()
    };
    let sc = post(
        "<RetrieveServiceContent xmlns=\"urn:vim25\"><_this type=\"ServiceInstance\">\
         ServiceInstance</_this></RetrieveServiceContent>"
            .into(),
    );
    let (root, sm, pc, vm) = (
        first(&sc, "rootFolder").unwrap().to_string(),
        first(&sc, "sessionManager").unwrap().to_string(),
        first(&sc, "propertyCollector").unwrap().to_string(),
        first(&sc, "viewManager").unwrap().to_string(),
    );
    post(format!(
        "<Login xmlns=\"urn:vim25\"><_this type=\"SessionManager\">{sm}</_this>\
         <userName>root</userName><password>pw</password></Login>"
    ));
    let view = post(format!(
        "<CreateContainerView xmlns=\"urn:vim25\"><_this type=\"ViewManager\">{vm}</_this>\
         <container type=\"Folder\">{root}</container><type>VirtualMachine</type>\
         <recursive>true</recursive></CreateContainerView>"
    ));
    let view = first(&view, "returnval").unwrap().to_string();
    let mut page = post(format!(
        "<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">{pc}</_this>\
         <specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet>\
         <pathSet>config.uuid</pathSet><pathSet>runtime.powerState</pathSet></propSet>\
         <objectSet><obj type=\"ContainerView\">{view}</obj><skip>true</skip>\
         <selectSet xsi:type=\"TraversalSpec\"><type>ContainerView</type><path>view</path>\
         <skip>false</skip></selectSet></objectSet></specSet><options/></RetrievePropertiesEx>"
    ));
    let mut n = page.matches("<objects>").count();
    while let Some(token) = first(&page, "token").map(str::to_string) {
        page = post(format!(
            "<ContinueRetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">\
             {pc}</_this><token>{token}</token></ContinueRetrievePropertiesEx>"
        ));
        n += page.matches("<objects>").count();
    }
    n
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn timed(f: impl Fn() -> usize) -> (Duration, usize) {
    let start = Instant::now();
    let n = f();
    (start.elapsed(), n)
}

fn main() {
    let sizes = std::env::var("FLOOR_SIZES").unwrap_or_else(|_| "1000,10000".into());
    println!("connect + list on a 2-datacenter vCenter simulator, median of {RUNS} runs");
    for n in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
    {
        // Each datacenter has a standalone host and a cluster pool, each given n/4 VMs.
        let per = (n / 4).max(1).to_string();
        let sim = Sim::start(&["-mode", "vpx", "-http", "-dc", "2", "-vms", &per]);
        let base = format!("http://{}", sim.addr);
        let uri = CString::new(sim.uri("vpx", "/?transport=http")).unwrap();
        let (mut raw, mut listed, mut infos) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (t, count) = timed(|| floor(&base));
            raw.push(t);
            let (t, ours_n) = timed(|| ours(&uri, false));
            assert_eq!(ours_n, count, "both see every VM");
            listed.push(t);
            infos.push(timed(|| ours(&uri, true)).0);
        }
        let (f, l, i) = (median(raw), median(listed), median(infos));
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "N={:6}: floor {:8.1} ms; ours list+state {:8.1} ms ({:.2}x, goal <= 1.2x); \
             list+info {:8.1} ms ({:.2}x, goal <= 1.5x)",
            per.parse::<usize>().unwrap() * 4,
            ms(f),
            ms(l),
            l.as_secs_f64() / f.as_secs_f64(),
            ms(i),
            i.as_secs_f64() / f.as_secs_f64()
        );
    }
}
