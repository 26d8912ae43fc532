//! Lifecycle extras on the simulator: create (define and start), managed save with the list
//! filters, rename, and the description and element metadata, each checked by a second
//! connection.

mod common;

use common::{Sim, dom, domain_xml, open};
use virt_esx::Code;
use virt_esx::abi::flags::{DomainXmlFlags, ListDomainsFlags as F};
use virt_esx::driver::domain::PowerState;
use virt_esx::driver::domain::power::PowerOp;

#[test]
fn create_xml_defines_and_starts() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn
        .create_xml(&domain_xml("made-running", "LocalDS_0", 65536), false)
        .unwrap();
    assert_eq!(vm.state, PowerState::PoweredOn);
    let seen = check.domain_by_name("made-running").unwrap().cached();
    assert_eq!(seen.state, PowerState::PoweredOn, "persistent and running");
    let e = conn
        .create_xml(&domain_xml("made-running", "LocalDS_0", 65536), false)
        .unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    let paused = domain_xml("made-paused", "LocalDS_0", 65536).replace(
        "1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71",
        "2b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a72",
    );
    conn.create_xml(&paused, true).unwrap();
    assert_eq!(
        check.domain_by_name("made-paused").unwrap().cached().state,
        PowerState::Suspended
    );
}

#[test]
fn managed_save_is_suspend_with_the_list_filters() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM1").unwrap().cached();
    assert!(!dom(&conn, &vm).has_managed_save().unwrap());
    let vm = dom(&conn, &vm).managed_save().unwrap();
    assert_eq!(
        check.domain_by_name("ha-host_VM1").unwrap().cached().state,
        PowerState::Suspended
    );
    assert!(dom(&check, &vm).has_managed_save().unwrap());
    let names = |f| -> Vec<String> {
        check
            .list_all_domains(f)
            .unwrap()
            .into_iter()
            .map(|v| v.name)
            .collect()
    };
    assert_eq!(names(F::MANAGEDSAVE), ["ha-host_VM1"]);
    assert_eq!(names(F::NO_MANAGEDSAVE), ["ha-host_VM0"]);
    let e = dom(&conn, &vm).managed_save().unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    // virDomainCreate resumes a managed-saved domain.
    let vm = dom(&conn, &vm).power(PowerOp::Start).unwrap();
    assert_eq!(
        check.domain_by_name("ha-host_VM1").unwrap().cached().state,
        PowerState::PoweredOn
    );
    let vm = dom(&conn, &vm).managed_save().unwrap();
    let vm = dom(&conn, &vm).managed_save_remove().unwrap();
    assert_eq!(
        check.domain_by_name("ha-host_VM1").unwrap().cached().state,
        PowerState::PoweredOff
    );
    let e = dom(&conn, &vm).managed_save_remove().unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
}

#[test]
fn rename_and_description() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = dom(&conn, &vm).rename("renamed VM").unwrap();
    assert_eq!(vm.name, "renamed VM");
    let seen = check.domain_by_name("renamed VM").unwrap().cached();
    assert_eq!(seen.uuid, vm.uuid);
    assert_eq!(
        check.domain_by_name("ha-host_VM0").unwrap_err().code,
        Code::NoDomain
    );
    assert!(
        dom(&check, &seen)
            .domain_xml(DomainXmlFlags::empty())
            .unwrap()
            .contains("<name>renamed VM</name>")
    );
    let e = dom(&conn, &vm).rename("ha-host_VM1").unwrap_err();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
    assert_eq!(
        dom(&conn, &vm).rename("").unwrap_err().code,
        Code::InvalidArg
    );

    // A defined VM keeps its new name in its .vmx too.
    let defined = conn
        .define_xml(&domain_xml("to-rename", "LocalDS_0", 65536))
        .unwrap();
    let defined = dom(&conn, &defined).rename("was-to-rename").unwrap();
    assert!(
        dom(&check, &defined)
            .domain_xml(DomainXmlFlags::empty())
            .unwrap()
            .contains("<name>was-to-rename</name>")
    );

    dom(&conn, &vm)
        .set_description("a <b>note</b> & more")
        .unwrap();
    let oc = check
        .primary()
        .client
        .retrieve_one(&vm.moref, &["config.annotation"])
        .unwrap()
        .unwrap();
    assert_eq!(
        oc.props.text_at("config.annotation"),
        Some("a <b>note</b> & more")
    );
    assert_eq!(
        dom(&check, &vm).description().unwrap(),
        "a <b>note</b> & more"
    );
    assert!(
        dom(&check, &vm)
            .domain_xml(DomainXmlFlags::empty())
            .unwrap()
            .contains("<description>a &lt;b&gt;note&lt;/b&gt; &amp; more</description>")
    );
    dom(&conn, &vm).set_description("").unwrap();
    assert_eq!(dom(&check, &vm).description().unwrap(), "");
}

/// The server's own view of a VM: its name (as vSphere stores it, escaped) and its .vmx file.
fn server_name_and_vmx(
    conn: &virt_esx::driver::Connection,
    vm: &virt_esx::driver::domain::Vm,
) -> (String, String) {
    use common::live::{download, vm_prop};
    let name = vm_prop(conn, &vm.moref, "name").unwrap();
    let path = vm_prop(conn, &vm.moref, "config.files.vmPathName").unwrap();
    let (status, body) = download(conn, &path);
    assert_eq!(status, 200, "{path}");
    (name, String::from_utf8(body).unwrap())
}

#[test]
fn names_with_control_characters_are_refused() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    // A carriage return would come back from the server's parser as a newline, and end a
    // line of the .vmx file.
    for name in ["cr\rname", "inj\rguestinfo.injected = \"PWNED", "tab\tname"] {
        let e = dom(&conn, &vm).rename(name).unwrap_err();
        assert_eq!(e.code, Code::InvalidArg, "{name:?}: {e}");
    }
    let (server_name, vmx) = server_name_and_vmx(&check, &vm);
    assert_eq!(server_name, "ha-host_VM0");
    assert!(!vmx.contains("guestinfo.injected"), "{vmx}");
    let xml = domain_xml("cr\rname", "LocalDS_0", 65536).replace('\r', "&#13;");
    let e = conn.define_xml(&xml).unwrap_err();
    assert_eq!(e.code, Code::XmlError, "{e}");
    assert!(e.message().contains("U+000D"), "{e}");
}

#[test]
fn names_with_percent_slash_and_backslash_read_back_as_set() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let model = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let defined = conn
        .define_xml(&domain_xml("defined", "LocalDS_0", 65536))
        .unwrap();
    for vm in [&model, &defined] {
        // As vSphere stores a name: `%`, `/` and `\` escaped.
        for (name, stored) in [
            ("a%2fb", "a%252fb"),
            ("a/b", "a%2fb"),
            ("50%", "50%25"),
            ("c:\\d", "c:%5cd"),
        ] {
            let renamed = dom(&conn, vm).rename(name).unwrap();
            assert_eq!(renamed.name, name);
            let (server_name, vmx) = server_name_and_vmx(&check, vm);
            assert_eq!(server_name, stored);
            assert!(
                vmx.contains(&format!("displayName = \"{stored}\"\n")),
                "{vmx}"
            );
            assert_eq!(check.domain_by_name(name).unwrap().cached().moref, vm.moref);
            let xml = dom(&check, vm).domain_xml(DomainXmlFlags::empty()).unwrap();
            assert!(xml.contains(&format!("<name>{name}</name>")), "{xml}");
        }
        dom(&conn, vm)
            .rename(&format!("done-{}", vm.moref.value))
            .unwrap();
    }
    // Defined under such a name, the VM is registered under its escaped form.
    let xml = domain_xml("new-vm", "LocalDS_0", 65536)
        .replace(
            "1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71",
            "4b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a74",
        )
        .replace("<name>new-vm</name>", "<name>new%2fvm</name>");
    let vm = conn.define_xml(&xml).unwrap();
    assert_eq!(vm.name, "new%2fvm");
    assert_eq!(server_name_and_vmx(&check, &vm).0, "new%252fvm");
    assert_eq!(
        check.domain_by_name("new%2fvm").unwrap().cached().moref,
        vm.moref
    );
}

#[test]
fn descriptions_read_back_exactly_and_stay_on_one_vmx_line() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let model = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let defined = conn
        .define_xml(&domain_xml("described", "LocalDS_0", 65536))
        .unwrap();
    let text = "a\r\nb\nannotation2 = \"PWNED|\tc";
    for vm in [&model, &defined] {
        dom(&conn, vm).set_description(text).unwrap();
        let annotation = common::live::vm_prop(&check, &vm.moref, "config.annotation");
        assert_eq!(annotation.as_deref(), Some(text));
        assert_eq!(dom(&check, vm).description().unwrap(), text);
        // As a host writes it: one line, |XX escapes.
        let (_, vmx) = server_name_and_vmx(&check, vm);
        assert!(
            vmx.contains("annotation = \"a|0D|0Ab|0Aannotation2 = |22PWNED|7C|09c\"\n"),
            "{vmx}"
        );
        assert!(!vmx.contains("\nannotation2"), "{vmx}");
        let xml = dom(&check, vm).domain_xml(DomainXmlFlags::empty()).unwrap();
        assert!(
            xml.contains("<description>a&#13;\nb\nannotation2 = &quot;PWNED|\tc</description>"),
            "{xml}"
        );
        let def = esx_driver::testing::DomainDef::parse(&xml).unwrap();
        assert_eq!(def.description.as_deref(), Some(text));
    }
}

/// The VM's extraConfig entry for `uri`, as the server holds it.
fn extra_config(
    conn: &virt_esx::driver::Connection,
    vm: &virt_esx::driver::domain::Vm,
    uri: &str,
) -> Option<String> {
    let oc = conn
        .primary()
        .client
        .retrieve_one(&vm.moref, &["config.extraConfig"])
        .unwrap()
        .unwrap();
    let key = esx_driver::testing::metadata_key(uri);
    oc.props
        .path("config")?
        .children_named("extraConfig")
        .find(|e| e.child_text("key") == Some(key.as_str()))
        .and_then(|e| e.child_text("value").map(str::to_string))
}

#[test]
fn element_metadata_round_trips_through_the_domain_xml() {
    use virt_esx::xml::metadata::Metadata;
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let model = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let defined = conn
        .define_xml(&domain_xml("with-metadata", "LocalDS_0", 65536))
        .unwrap();
    let uri = "http://example.org/app/1";
    let stored = "<app:info xmlns:app=\"http://example.org/app/1\" a=\"&quot;|&amp;\">x &lt; y<n>1</n></app:info>";
    for vm in [&model, &defined] {
        let element = Metadata::new(
            "<info a='\"|&amp;'>x &lt; y<n>1</n><!-- gone --></info>",
            "app",
            uri,
        )
        .unwrap();
        dom(&conn, vm)
            .set_element_metadata(uri, Some(&element))
            .unwrap();
        assert_eq!(extra_config(&check, vm, uri).as_deref(), Some(stored));
        assert_eq!(
            dom(&check, vm).element_metadata(uri).unwrap().unwrap().xml,
            stored
        );
        assert_eq!(dom(&check, vm).element_metadata("urn:other").unwrap(), None);
        let xml = dom(&check, vm).domain_xml(DomainXmlFlags::empty()).unwrap();
        assert!(
            xml.contains(&format!("  <metadata>\n    {stored}\n  </metadata>\n")),
            "{xml}"
        );
        // Replaced, not added to.
        let second = Metadata::new("<info/>", "b", uri).unwrap();
        dom(&conn, vm)
            .set_element_metadata(uri, Some(&second))
            .unwrap();
        assert_eq!(
            extra_config(&check, vm, uri).as_deref(),
            Some("<b:info xmlns:b=\"http://example.org/app/1\"/>")
        );
        dom(&conn, vm).set_element_metadata(uri, None).unwrap();
        assert_eq!(extra_config(&check, vm, uri), None);
        assert!(
            !dom(&check, vm)
                .domain_xml(DomainXmlFlags::empty())
                .unwrap()
                .contains("<metadata>")
        );
    }

    // Defined with metadata, the element is in the new VM's configuration.
    let xml = domain_xml("defined-with-metadata", "LocalDS_0", 65536)
        .replace(
            "1b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a71",
            "3b9e4d2a-7c61-4f0e-9d3a-2f6b8c0e5a73",
        )
        .replace(
            "</name>",
            "</name><metadata><q:x xmlns:q='urn:q'>1</q:x></metadata>",
        );
    let vm = conn.define_xml(&xml).unwrap();
    let seen = check
        .domain_by_name("defined-with-metadata")
        .unwrap()
        .cached();
    assert_eq!(
        dom(&check, &seen)
            .element_metadata("urn:q")
            .unwrap()
            .unwrap()
            .xml,
        "<q:x xmlns:q=\"urn:q\">1</q:x>"
    );
    assert!(
        dom(&check, &vm)
            .domain_xml(DomainXmlFlags::empty())
            .unwrap()
            .contains("<q:x xmlns:q=\"urn:q\">1</q:x>")
    );
}

#[test]
fn element_metadata_refuses_reserved_keys_and_bad_uris_and_keeps_values() {
    use virt_esx::xml::metadata::Metadata;
    for (key, uri) in [
        ("xmlns", "urn:k"),
        ("XmlApp", "urn:k"),
        ("a:b", "urn:k"),
        ("k", "urn:a\nb"),
        ("k", "urn:a b"),
        ("k", ""),
    ] {
        let e = Metadata::new("<a/>", key, uri).unwrap_err();
        assert_eq!(e.code, Code::InvalidArg, "{key} {uri:?}: {e}");
    }
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let uri = "urn:values";
    let element = Metadata::new("<a v='1&#10;2&#13;&#9;3'>x&#13;&#10;y</a>", "k", uri).unwrap();
    dom(&conn, &vm)
        .set_element_metadata(uri, Some(&element))
        .unwrap();
    let stored = "<k:a xmlns:k=\"urn:values\" v=\"1&#10;2&#13;&#9;3\">x&#13;\ny</k:a>";
    assert_eq!(extra_config(&check, &vm, uri).as_deref(), Some(stored));
    assert_eq!(
        dom(&check, &vm).element_metadata(uri).unwrap(),
        Some(element)
    );
    let xml = dom(&check, &vm)
        .domain_xml(DomainXmlFlags::empty())
        .unwrap();
    assert!(xml.contains(stored), "{xml}");
}

#[test]
fn memory_parameters_block_info_and_control() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let server = |p: &str| -> Option<String> {
        let oc = check
            .primary()
            .client
            .retrieve_one(&vm.moref, &[p])
            .unwrap()
            .unwrap();
        oc.props.text_at(p).map(str::to_string)
    };
    dom(&conn, &vm)
        .set_memory_params(Some(16 * 1024), Some(Some(24 * 1024 + 1)))
        .unwrap();
    assert_eq!(
        server("config.memoryAllocation.reservation").as_deref(),
        Some("16")
    );
    assert_eq!(
        server("config.memoryAllocation.limit").as_deref(),
        Some("25"),
        "KiB rounded up to whole MB"
    );
    let m = dom(&check, &vm).memory_params().unwrap();
    assert_eq!(
        (m.min_guarantee, m.hard_limit),
        (16 * 1024, Some(25 * 1024))
    );
    dom(&conn, &vm).set_memory_params(None, Some(None)).unwrap();
    assert_eq!(
        server("config.memoryAllocation.limit").as_deref(),
        Some("-1")
    );
    let e = dom(&conn, &vm)
        .set_memory_params(Some(1 << 30), None)
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidArg, "{e}");

    let (capacity, file) = {
        let devices = common::live::vm_devices(&check, &vm.moref);
        let disk = devices
            .iter()
            .find(|d| d.xsi_type.as_deref() == Some("VirtualDisk"))
            .unwrap();
        let kb: u64 = disk.text_at("capacityInKB").unwrap().parse().unwrap();
        (
            kb * 1024,
            disk.text_at("backing.fileName").unwrap().to_string(),
        )
    };
    let before = conn.round_trips();
    let b = dom(&conn, &vm).block_info("sda").unwrap();
    assert_eq!(conn.round_trips() - before, 1);
    assert_eq!(b.capacity, capacity);
    assert!(b.physical >= b.allocation, "{b:?}");
    assert_eq!(
        dom(&conn, &vm).block_info(&file).unwrap(),
        b,
        "by file as by target"
    );
    assert_eq!(
        dom(&conn, &vm).block_info("sdq").unwrap_err().code,
        Code::InvalidArg
    );
    assert!(
        !dom(&conn, &vm).control().unwrap().busy,
        "no task runs on the VM"
    );
}

#[test]
fn screenshot_streams_the_png_and_removes_it() {
    let sim = Sim::esx();
    let conn = open(&sim, "esx", "/");
    let check = open(&sim, "esx", "/");
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    let vm = match vm.state {
        PowerState::PoweredOn => vm,
        _ => dom(&conn, &vm).power(PowerOp::Start).unwrap(),
    };
    // The launcher numbers its screenshots from 1, as a host numbers a VM's.
    let file = "ha-host_VM0/ha-host_VM0-1.png";
    let on_server = || {
        check
            .primary()
            .client
            .download("ha-datacenter", "LocalDS_0", file)
    };
    let mut shot = dom(&conn, &vm).screenshot().unwrap();
    let mut png = Vec::new();
    let mut buf = [0u8; 7];
    loop {
        match shot.recv(&mut buf).unwrap() {
            0 => break,
            n => png.extend_from_slice(&buf[..n]),
        }
    }
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{png:?}");
    assert_eq!(
        on_server().unwrap(),
        png,
        "the server's file, read while the stream is open"
    );
    drop(shot);
    // Removed once the stream ends, by the transfer's thread: the caller does not wait on it.
    let gone = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        on_server().is_err()
    });
    assert!(gone, "removed once the stream ends");

    let off = dom(&conn, &vm).power(PowerOp::Destroy).unwrap();
    let e = dom(&conn, &off).screenshot().err().unwrap();
    assert_eq!(e.code, Code::OperationInvalid, "{e}");
}

#[test]
fn a_failed_screenshot_task_says_why() {
    use common::Creds;
    use common::injector::Injector;

    use virt_esx::driver::Connection;
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let creds = Creds::new(Some("u"), "p");
    let conn = Connection::open(&inj.uri("esx", "/"), Some(&creds), false).unwrap();
    let vm = conn.domain_by_name("ha-host_VM0").unwrap().cached();
    inj.fail_next_task(
        "CreateScreenshot_Task",
        "NotSupported",
        "The operation is not supported on the object.",
    );
    let e = dom(&conn, &vm).screenshot().err().unwrap();
    assert_eq!(e.code, Code::InternalError, "{e}");
    assert!(
        e.message()
            .starts_with("internal error: Could not take a screenshot: "),
        "{e}"
    );
    assert!(e.message().contains("not supported on the object"), "{e}");
}
