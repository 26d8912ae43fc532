//! Property-style robustness: arbitrary bytes and mutated conformance inputs through the VMX
//! reader, the XML parser and both conversions must end in a value or an error, never a panic.

use std::fs;
use std::path::{Path, PathBuf};

use esx_driver::testing::DomainDef;
use esx_driver::vmx::test_support::StandInDatastores;
use virt_esx::vmx::{domain_xml_to_vmx, vmx_to_domain_xml};

/// xorshift64*: deterministic, so a failure reproduces from the printed seed and round.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that steer mutations towards the converter's interesting branches.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "=",
    "\n",
    "#",
    "|",
    "%",
    ":",
    ".",
    "-1",
    "99999999999999999999",
    "true",
    "TRUE",
    "scsi0:7.",
    "scsi3:63.",
    "sata0:29.",
    "nvme0:0.",
    "ide1:1.",
    "floppy1.",
    "ethernet9.",
    ".present = \"true\"\n",
    ".fileName = \"x.vmdk\"\n",
    ".deviceType = \"cdrom-raw\"\n",
    "virtualHW.version = \"13\"\n",
    ".encoding = \"windows-1252\"\n",
    "<",
    ">",
    "&amp;",
    "&#0;",
    "<disk type='file' device='cdrom'>",
    "<target dev='sdzz' bus='scsi'/>",
    "</devices>",
    "<vcpu cpuset='0-4095'>4096</vcpu>",
    "unit='EiB'",
    "<serial type='tcp'>",
    "\u{0}",
    "\u{fffd}",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..=rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let end = (at + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                data.splice(at..at, token.iter().copied());
            }
            3 if !data.is_empty() => {
                // duplicate a slice somewhere else
                let start = rng.below(data.len());
                let end = (start + rng.below(64)).min(data.len());
                let piece = data[start..end].to_vec();
                data.splice(at..at, piece);
            }
            4 => data.insert(at, rng.next() as u8),
            _ => {
                let digit = b'0' + rng.below(10) as u8;
                if let Some(b) = data.iter_mut().skip(at).find(|b| b.is_ascii_digit()) {
                    *b = digit;
                }
            }
        }
    }
    data
}

fn corpus(kind: &str, extension: &str) -> Vec<Vec<u8>> {
    let dir: PathBuf = std::env::var_os("LIBVIRT_ESX_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"))
        .join(kind);
    let mut files: Vec<Vec<u8>> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == extension))
                .filter_map(|p| fs::read(p).ok())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        // keep the test meaningful without the data folder
        files.push(match extension {
            "vmx" => b"config.version = \"8\"\nvirtualHW.version = \"4\"\nscsi0.present = \"true\"\nscsi0:0.present = \"true\"\nscsi0:0.fileName = \"a.vmdk\"\n".to_vec(),
            _ => b"<domain type='vmware'><name>a</name><memory>4096</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><source file='[ds] a.vmdk'/><target dev='sda' bus='scsi'/></disk></devices></domain>".to_vec(),
        });
    }
    files
}

/// Whatever the VMX side produced must survive the way back.
fn round_trip_xml(xml: &str, version: i32) {
    if let Ok(def) = DomainDef::parse(xml) {
        let _ = def.format();
        let _ = domain_xml_to_vmx(xml, &StandInDatastores::default(), version);
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let ctx = StandInDatastores::default();
    for _ in 0..20_000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let _ = vmx_to_domain_xml(&bytes, &ctx);
        let text = String::from_utf8_lossy(&bytes);
        let _ = DomainDef::parse(&text);
        let _ = domain_xml_to_vmx(&text, &ctx, 4);
    }
}

#[test]
fn mutated_vmx_files_never_panic() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let inputs = corpus("vmx2xml", "vmx");
    let ctx = StandInDatastores {
        datacenter_path: Some("dc".to_string()),
        ..StandInDatastores::default()
    };
    for round in 0..12_000 {
        let input = &inputs[round % inputs.len()];
        let mutated = mutate(&mut rng, input);
        if let Ok(xml) = vmx_to_domain_xml(&mutated, &ctx) {
            round_trip_xml(&xml, 4 + rng.below(18) as i32);
        }
    }
}

#[test]
fn mutated_domain_xml_never_panics() {
    let mut rng = Rng(0xfeed_face_cafe_beef);
    let inputs = corpus("xml2vmx", "xml");
    let ctx = StandInDatastores::default();
    for round in 0..12_000 {
        let input = &inputs[round % inputs.len()];
        let mutated = String::from_utf8_lossy(&mutate(&mut rng, input)).into_owned();
        let version = rng.below(24) as i32;
        if let Ok(vmx) = domain_xml_to_vmx(&mutated, &ctx, version) {
            // and the VMX we wrote must read back
            let _ = vmx_to_domain_xml(vmx.as_bytes(), &ctx);
        }
        round_trip_xml(&mutated, 13);
    }
}
