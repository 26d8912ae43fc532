//! Entry points for the coverage-guided fuzz targets in `fuzz/` (feature `fuzzing`, off by
//! default): one function per target taking raw bytes, reaching crate-private parsers too.
//!
//! Each function returns normally for any input that is handled (a value or an error) and
//! panics when the library misbehaves: a panic inside the library, or a broken round-trip rule.

use crate::Code;
use crate::driver::connection::authconf::AuthConf;
use crate::driver::domain::{Detail, Vm};
use crate::driver::vi_error;
use crate::uri::ConnectSpec;
use crate::vi::methods::FromReturn;
use crate::vi::node::{self, Node};
use crate::vi::property::{ObjectContent, RetrieveResult, UpdateSet};
use crate::vi::soap::{self, MoRef};
use crate::vi::task::Question;
use crate::vi::types::{FromNode, ServiceContent, UserSession};
use crate::vi::views::datastore::DatastoreFacts;
use crate::vi::views::host::{HostFacts, HostIdentity, HostSysinfo};
use crate::vi::views::vm::{GuestInfo, VmProps};
use crate::vmx::test_support::StandInDatastores;
use crate::vmx::version::MAX_HW_VERSION;
use crate::vmx::{domain_xml_to_vmx, vmx_to_domain_def, vmx_to_domain_xml};
use crate::xml::domain::DomainDef;
use crate::xmltree::{Element, Names};

/// Text targets see the bytes as UTF-8, invalid sequences replaced, so every input is used.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The first byte picks a virtual hardware version (4..=21), the rest is the document.
fn split_version(data: &[u8]) -> (i32, &[u8]) {
    match data.split_first() {
        Some((first, rest)) => (4 + i32::from(*first) % (MAX_HW_VERSION as i32 - 3), rest),
        None => (4, data),
    }
}

/// Written domain XML must parse again, except for what libvirt's own parser also refuses: a
/// domain from a VMX file without a `displayName` (or an empty one) has no name, and a NIC's
/// address may be a multicast one, which libvirt writes so too and its parser refuses.
fn reparse(xml: &str) -> Option<DomainDef> {
    match DomainDef::parse(xml) {
        Ok(def) => Some(def),
        Err(e) if e.code == Code::NoName => None,
        Err(e) if e.detail.starts_with("expected unicast mac address") => None,
        Err(e) => panic!("written domain XML does not parse: {e}\n{xml}"),
    }
}

/// `esx://`, `gsx://` and `vpx://` URIs; what parses also yields its URLs.
pub fn uri(data: &[u8]) {
    if let Ok(spec) = ConnectSpec::parse(&text(data)) {
        let _ = (spec.base_url(), spec.proxy_url());
        let _ = spec.default_user();
    }
}

/// libvirt's auth.conf, then a lookup of the names the driver asks for.
pub fn authconf(data: &[u8]) {
    if let Ok(conf) = AuthConf::parse(&text(data)) {
        let _ = format!("{conf:?}");
        for key in ["username", "password"] {
            let _ = conf.lookup("esx", "esx1.example.com", key);
        }
    }
}

/// VMX → domain XML; XML the converter writes must parse as a domain again.
pub fn vmx_to_xml(data: &[u8]) {
    let ctx = StandInDatastores::default();
    if let Ok(xml) = vmx_to_domain_xml(data, &ctx) {
        reparse(&xml);
    }
}

/// Domain XML → VMX (first byte: hardware version); a parsed domain also formats.
pub fn xml_to_vmx(data: &[u8]) {
    let (version, rest) = split_version(data);
    let xml = text(rest);
    if let Ok(def) = DomainDef::parse(&xml) {
        let _ = def.format();
    }
    let _ = domain_xml_to_vmx(&xml, &StandInDatastores::default(), version);
}

/// VMX → XML → VMX → XML: a VMX file that converts converts back at the newest hardware version
/// (the reader, like libvirt's, does not hold a file to its own version's limits, such as four
/// NICs before version 7; so the version the XML keeps is dropped here), and each written
/// document reads again. The way
/// back may refuse what VMware or libvirt's writer cannot express (`ConfigUnsupported`), as
/// libvirt's does; any other error on it is a failure.
pub fn vmx_round_trip(data: &[u8]) {
    let ctx = StandInDatastores::default();
    let Ok(def) = vmx_to_domain_def(data, &ctx) else {
        return;
    };
    let xml = def.format();
    let Some(mut reread) = reparse(&xml) else {
        return;
    };
    reread.vmware.virtual_hw = None;
    let vmx = match crate::vmx::domain_def_to_vmx(&reread, &ctx, MAX_HW_VERSION as i32) {
        Ok(vmx) => vmx,
        // What libvirt's writer refuses too (a `null` serial port, …): a libvirt asymmetry.
        Err(e) if e.code == Code::ConfigUnsupported => return,
        Err(e) => panic!("converted XML does not convert back: {e}\n{xml}"),
    };
    match vmx_to_domain_xml(vmx.as_bytes(), &ctx) {
        // The stand-in's convention, not the converter's: the XML writer drops control
        // characters as libvirt's does, so `mis\x0esing` comes back as the datastore `missing`.
        Err(e) if e.detail.starts_with("Referenced missing file") => {}
        Err(e) => panic!("written VMX does not convert: {e}\n{vmx}"),
        Ok(_) => {}
    }
}

/// XML → VMX → XML (first byte: hardware version): what converts converts back, and the XML
/// written from it parses again.
pub fn xml_round_trip(data: &[u8]) {
    let (version, rest) = split_version(data);
    let ctx = StandInDatastores::default();
    let Ok(vmx) = domain_xml_to_vmx(&text(rest), &ctx, version) else {
        return;
    };
    let xml = vmx_to_domain_xml(vmx.as_bytes(), &ctx)
        .unwrap_or_else(|e| panic!("written VMX does not convert back: {e}\n{vmx}"));
    reparse(&xml);
}

/// The element tree under both name modes, and the SOAP reader's view of it.
pub fn soap_tree(data: &[u8]) {
    let xml = text(data);
    let _ = Element::parse(&xml, Names::Qualified);
    if let Ok(root) = node::parse(&xml) {
        let _ = root.text_at("Body.Fault.faultstring");
        let _ = root.path("Body.RetrievePropertiesExResponse.returnval.objects.propSet.val");
        for n in root.children_named("Body") {
            let _ = n.attr("type");
        }
    }
}

/// A 200 answer to the method its body answers, through every typed reader the driver uses.
pub fn soap_response(data: &[u8]) {
    let method = answered_method(data).unwrap_or_else(|| "RetrievePropertiesEx".into());
    let Ok(resp) = soap::read_response(&method, 200, data) else {
        return;
    };
    let _ = ServiceContent::from_return(&method, &resp);
    let _ = UserSession::from_return(&method, &resp);
    let _ = MoRef::from_return(&method, &resp);
    let _ = Question::from_return(&method, &resp);
    if let Ok(result) = RetrieveResult::from_return(&method, &resp) {
        result.objects.iter().for_each(read_object);
    }
    for ret in resp.children_named("returnval") {
        ObjectContent::from_node(ret).iter().for_each(read_object);
        if let Some(update) = UpdateSet::from_node(ret) {
            let _ = update.filter_set.len();
        }
        // QueryPerf's answers: each entity's samples.
        let _ = crate::vi::perf::PerfEntityMetric::from_node(ret);
    }
}

/// A 500 answer: always an error, a SOAP fault typed by its detail, with a libvirt code.
pub fn soap_fault(data: &[u8]) {
    let method = answered_method(data).unwrap_or_else(|| "PowerOnVM_Task".into());
    match soap::read_response(&method, 500, data) {
        Ok(_) => panic!("a 500 answer read as a result"),
        Err(e) => {
            let _ = (vi_error::code(&e), e.fault_kind());
            let _ = crate::Error::from(e);
        }
    }
    if let Ok(root) = node::parse(&text(data))
        && let Some(fault) = root.path("Body.Fault")
    {
        let _ = soap::fault_kind(fault);
    }
}

/// `<XResponse>` in the body names method `X`; a guess lets the fuzzer reach each reader.
fn answered_method(data: &[u8]) -> Option<String> {
    let root = node::parse(std::str::from_utf8(data).ok()?).ok()?;
    let first = root.child("Body")?.children.first()?;
    first.name.strip_suffix("Response").map(str::to_string)
}

fn read_object(oc: &ObjectContent) {
    let props: &Node = &oc.props;
    if let Some(p) = VmProps::from_node(props) {
        let _ = Vm::from_props(oc.obj.clone(), p, Detail::Full);
    }
    let _ = HostFacts::from_node(props);
    let _ = HostIdentity::from_node(props);
    let _ = HostSysinfo::from_node(props);
    let _ = DatastoreFacts::from_node(props);
    let _ = GuestInfo::from_node(props);
    crate::driver::network::read_for_fuzzing(oc);
    // Statistics' reads (devices, quickStats) and an event collector's page.
    for dialect in [crate::vmx::Dialect::Full, crate::vmx::Dialect::Libvirt] {
        let _ = crate::driver::domain::usage::disks_and_nics(props, dialect);
    }
    let _ = crate::driver::domain::usage::memory_of(props);
    if let Some(page) = props.path("latestPage") {
        let _ = crate::vi::events::VmEvent::page(page);
    }
}

/// Text through the SOAP request writer (element text, and the `type` attribute of a managed
/// object reference) and through the domain XML writer (text and attribute) reads back through
/// our XML reader as itself: nothing a server's parser normalizes (CR, whitespace in
/// attributes) or reads as markup survives unescaped. Text XML 1.0 cannot carry at all (most
/// C0 controls) is skipped: no writer can send it, and the domain XML writer drops it.
pub fn escape_writer(data: &[u8]) {
    let text = text(data);
    if crate::xmltree::check_chars(&text).is_err() {
        return;
    }
    let mut req = soap::Request::new("Echo", &MoRef::new(&text, "this"));
    req.text("value", &text);
    let envelope = req.envelope();
    let root = node::parse(&envelope)
        .unwrap_or_else(|e| panic!("a written request does not parse: {e}\n{envelope}"));
    let echo = root
        .path("Body.Echo")
        .expect("the request's method element");
    assert_eq!(echo.text_at("value"), Some(&*text), "{envelope}");
    let this = echo.child("_this").expect("the request's _this");
    assert_eq!(this.attr("type"), Some(&*text), "{envelope}");

    let mut w = crate::xml::writer::XmlWriter::new();
    w.tag("domain").attr("a", &text).open();
    w.tag("description").text(&text);
    let xml = w.finish();
    let root = Element::parse(&xml, Names::Qualified)
        .unwrap_or_else(|e| panic!("written domain XML does not parse: {e}\n{xml}"));
    assert_eq!(root.attr("a"), Some(&*text), "{xml}");
    assert_eq!(root.text_at("description"), Some(&*text), "{xml}");
}

/// A datastore path (`[ds] dir/file`): what parses stays inside its datastore, judged by an
/// oracle of its own (a stack of directories that `..` may only pop), and its `/folder` URL
/// never climbs out of `/folder/`; a path the oracle sees leaving is refused.
pub fn datastore_path(data: &[u8]) {
    let text = text(data);
    let climbs = |rel: &str| {
        let mut dirs: Vec<&str> = Vec::new();
        rel.split('/').any(|part| match part {
            "" | "." => false,
            ".." => dirs.pop().is_none(),
            d => {
                dirs.push(d);
                false
            }
        })
    };
    match crate::vmx::DatastorePath::parse(&text) {
        Ok(p) => {
            assert!(
                !climbs(&p.directory_and_file),
                "{text:?} leaves its datastore"
            );
            assert!(
                !p.datastore.is_empty() && !p.datastore.contains('/'),
                "{text:?}"
            );
            let url = crate::vi::files::folder_path("dc", &p.datastore, &p.directory_and_file);
            let path = url.split('?').next().unwrap_or_default();
            let rel = path.strip_prefix("/folder/").expect("a /folder URL");
            assert!(!climbs(rel), "{url} climbs out of /folder/");
        }
        Err(_) => {
            if let Some((ds, rel)) = text.strip_prefix('[').and_then(|r| r.split_once(']')) {
                let rel = rel.trim_start_matches(' ');
                let fine = !ds.is_empty() && !ds.contains('/') && !matches!(ds.trim(), "." | "..");
                assert!(
                    !fine || climbs(rel),
                    "{text:?} refused though it stays inside"
                );
            }
        }
    }
}

/// virNetworkDefineXML's and virNetworkUpdate's documents: read, or refused with an error.
pub fn network_xml(data: &[u8]) {
    let text = text(data);
    if let Ok(def) = crate::xml::network_def::NetworkDef::parse(&text) {
        assert!(
            !def.name.is_empty(),
            "a network without a name was accepted"
        );
        assert!(def.portgroups.iter().all(|p| (0..4095).contains(&p.vlan)));
    }
    let _ = crate::xml::network_def::PortGroupDef::parse(&text);
}

/// One device of virDomainAttachDevice and its kin: read, or refused with an error.
pub fn device_xml(data: &[u8]) {
    let _ = crate::xml::domain::parse_device(&text(data));
}

/// virDomainSetMetadata's element, and what a VM's extraConfig holds: the rewriter either
/// refuses or keeps an element that reads back as itself.
pub fn metadata_xml(data: &[u8]) {
    use crate::xml::metadata::Metadata;
    let text = text(data);
    for m in [
        Metadata::new(&text, "app", "urn:fuzz"),
        Metadata::stored(&text),
    ]
    .into_iter()
    .flatten()
    {
        let again = Metadata::stored(&m.xml).expect("a kept element reads back");
        assert_eq!(again, m, "the rewriter is not idempotent");
    }
}
