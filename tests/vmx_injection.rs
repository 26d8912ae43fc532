//! No value in domain XML can add, drop or change a VMX key: for any string in any field, the
//! written VMX parses back to exactly the keys the writer meant to write (or is refused).

use esx_driver::testing::VmxFile;
use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::Code;
use virt_esx::vmx::domain_xml_to_vmx;

/// A domain using every field that carries free text into the VMX; `@` marks where the
/// injected string goes.
const FIELDS: &[&str] = &[
    "<name>@</name>",
    "<description>@</description>",
    "<disk type='file' device='disk'><source file='[ds] vm/@.vmdk'/><target dev='sda' bus='scsi'/></disk>",
    "<disk type='file' device='cdrom'><source file='[ds] iso/@.iso'/><target dev='hdc' bus='ide'/></disk>",
    "<interface type='bridge'><source bridge='@'/></interface>",
    "<graphics type='vnc' port='5901' listen='@' passwd='x'/>",
    "<graphics type='vnc' port='5901' passwd='@'/>",
    "<serial type='file'><source path='[ds] vm/@.log'/><target port='0'/></serial>",
    "<serial type='pipe'><source path='@'/><target port='0'/></serial>",
    "<parallel type='file'><source path='[ds] vm/@'/><target port='0'/></parallel>",
    "<filesystem type='mount'><source dir='@'/><target dir='share'/></filesystem>",
    "<filesystem type='mount'><source dir='/tmp'/><target dir='@'/></filesystem>",
];

fn domain(field: &str, value: &str) -> String {
    let device = field.replace('@', &xml_escape(value));
    let (name, description, devices) = match field {
        f if f.starts_with("<name>") => (device.as_str(), "", String::new()),
        f if f.starts_with("<description>") => ("vm", device.as_str(), String::new()),
        _ => ("vm", "", device.clone()),
    };
    let name = if name == "vm" {
        "<name>vm</name>".to_string()
    } else {
        name.to_string()
    };
    format!(
        "<domain type='vmware'>{name}{description}<memory>65536</memory>\
         <os><type arch='x86_64'>hvm</type></os><devices>{devices}</devices></domain>"
    )
}

fn xml_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '\'' => "&apos;".to_string(),
            '"' => "&quot;".to_string(),
            c if (c as u32) < 0x20 => format!("&#{};", c as u32),
            c => c.to_string(),
        })
        .collect()
}

fn keys(vmx: &str) -> Vec<String> {
    let file = VmxFile::parse(vmx.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{vmx}"));
    let mut k: Vec<String> = file.names().map(str::to_string).collect();
    k.sort();
    k
}

/// Strings that end a quoted VMX value or start a line of their own, and plain noise.
fn nasty() -> Vec<String> {
    let mut v: Vec<String> = [
        "\"\nannotation = \"PWNED",
        "a\"b",
        "line\nnext = \"1\"",
        "cr\rlf",
        "tab\there",
        "\u{1}\u{7f}",
        "\u{85}nel",
        "|22|0a",
        "%0a",
        "\"\"\"",
        "x = \"y\"",
        "é漢字",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..200 {
        let len = (seed % 12) as usize;
        let s: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from_u32((seed % 0x80) as u32).unwrap_or('?')
            })
            .collect();
        v.push(s);
    }
    v
}

#[test]
fn no_string_in_any_field_changes_the_keys_written() {
    let ctx = StandInDatastores::default();
    let mut refused = 0;
    for field in FIELDS {
        let baseline = domain_xml_to_vmx(&domain(field, "plain"), &ctx, 13)
            .unwrap_or_else(|e| panic!("{field}: {e}"));
        let expected = keys(&baseline);
        for value in nasty() {
            match domain_xml_to_vmx(&domain(field, &value), &ctx, 13) {
                Ok(vmx) => assert_eq!(keys(&vmx), expected, "{field} with {value:?}:\n{vmx}"),
                // Refusing is always allowed: the property is about what does get written.
                Err(_) => refused += 1,
            }
        }
    }
    assert!(
        refused > 0,
        "some values cannot be written and must be refused"
    );
}

#[test]
fn the_injection_of_the_report_is_refused_naming_the_key() {
    let ctx = StandInDatastores::default();
    let xml = "<domain type='vmware'><name>vm</name><memory>65536</memory>\
               <os><type arch='x86_64'>hvm</type></os><devices><interface type='bridge'>\
               <source bridge='VM Network&quot;&#10;annotation = &quot;PWNED'/></interface>\
               </devices></domain>";
    let e = domain_xml_to_vmx(xml, &ctx, 13).unwrap_err();
    assert_eq!(e.code, Code::ConfigUnsupported, "{e}");
    assert!(e.message().contains("ethernet0.networkName"), "{e}");
    let named = "<domain type='vmware'><name>a\nannotation = \"x</name><memory>65536</memory>\
                 <os><type arch='x86_64'>hvm</type></os></domain>";
    let vmx = domain_xml_to_vmx(named, &ctx, 13).unwrap();
    assert!(
        vmx.contains("displayName = \"a|0aannotation = |22x\""),
        "{vmx}"
    );
    assert!(!vmx.contains("\nannotation"), "{vmx}");
}
