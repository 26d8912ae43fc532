//! virDomainGetGuestInfo and virDomainGetFSInfo: what VMware Tools in a running guest report
//! (its OS, host name, file systems with the virtual disks behind them, addresses), one read.

use super::guest::{Interface, interfaces};
use super::usage::disks_and_nics;
use super::{PowerState, invalid_state, no_domain};
use crate::abi::flags::GuestInfoTypes;
use crate::driver::TypedValue;
use crate::driver::domain::Domain;
use crate::error::{Code, Error, Result};
use crate::vi::types::FromNode;
use crate::vi::views::vm::{DEVICES, GUEST, GuestReport as Report, POWER_STATE};

/// The guest's operating system as Tools name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestOs {
    /// vSphere's guest id (`debian12_64Guest`).
    pub guest_id: String,
    /// vSphere's full name (`Debian GNU/Linux 12 (64-bit)`).
    pub full_name: String,
}

impl GuestOs {
    /// libvirt's `os.id`: the guest id's leading letters in lower case (`debian`).
    pub fn id(&self) -> String {
        let letters = self.guest_id.trim_end_matches("Guest");
        letters
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_lowercase()
    }

    /// libvirt's `os.version-id`: the digits that follow the letters (`12`), when any.
    pub fn version_id(&self) -> Option<String> {
        let rest = self
            .guest_id
            .trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        // `64` alone is the word size of ids like `ubuntu64Guest`, not a version.
        (!digits.is_empty() && !rest.starts_with("64G") && rest != "64").then_some(digits)
    }
}

/// A file system of the guest as Tools report it (`guest.disk[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSystem {
    /// Where it is mounted (`/`, `C:\`).
    pub mountpoint: String,
    /// Its type (`ext4`, `NTFS`), empty when not reported.
    pub fstype: String,
    /// Its size in bytes, when reported.
    pub total: Option<u64>,
    /// The bytes in use (size less free space), when both are reported.
    pub used: Option<u64>,
    /// The targets (`sda`) of the virtual disks it lives on, where vSphere maps them.
    pub disks: Vec<String>,
}

/// Everything Tools report of a running guest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestReport {
    /// The operating system, when Tools name it.
    pub os: Option<GuestOs>,
    /// The host name, when reported.
    pub hostname: Option<String>,
    /// The file systems.
    pub filesystems: Vec<FileSystem>,
    /// The connected NICs with their addresses.
    pub interfaces: Vec<Interface>,
}

impl Domain {
    /// What VMware Tools report of the running guest: one round trip. A VM that is not
    /// running is refused (`VIR_ERR_OPERATION_INVALID`), and one whose Tools do not run gets
    /// libvirt's code for a silent guest agent (`VIR_ERR_AGENT_UNRESPONSIVE`).
    pub fn guest_report(&self) -> Result<GuestReport> {
        let (conn, vm) = (self.conn(), &self.cached());
        let oc = conn
            .primary
            .client
            .retrieve_one(&vm.moref, &[POWER_STATE, GUEST, DEVICES])?
            .ok_or_else(|| no_domain(format!("Domain '{}' is gone", vm.name)))?;
        let r = Report::from_node(&oc.props).unwrap_or_default();
        if PowerState::parse(&r.power_state) != PowerState::PoweredOn {
            return Err(invalid_state("domain is not running"));
        }
        if r.tools.as_deref() != Some("guestToolsRunning") {
            return Err(Error::esx(
                Code::AgentUnresponsive,
                format!("VMware Tools are not running in domain '{}'", vm.name),
            ));
        }
        let (disks, _) = disks_and_nics(&oc.props, conn.spec.dialect);
        let filesystems = r
            .disks
            .into_iter()
            .map(|d| {
                let total = d.capacity.and_then(|c| u64::try_from(c).ok());
                let free = d.free.and_then(|f| u64::try_from(f).ok());
                FileSystem {
                    mountpoint: d.path,
                    fstype: d.fs_type,
                    total,
                    used: total.zip(free).map(|(t, f)| t.saturating_sub(f)),
                    disks: d
                        .mappings
                        .iter()
                        .filter_map(|m| disks.iter().find(|u| u.key == m.key))
                        .map(|u| u.target.clone())
                        .collect(),
                }
            })
            .collect();
        let named = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(GuestReport {
            os: named(r.guest_id).map(|guest_id| GuestOs {
                full_name: named(r.full_name).unwrap_or_else(|| guest_id.clone()),
                guest_id,
            }),
            hostname: named(r.host_name),
            filesystems,
            interfaces: interfaces(r.nics),
        })
    }
}

/// The groups Tools never report, with what libvirt calls them.
const NOT_REPORTED: [(GuestInfoTypes, &str); 3] = [
    (GuestInfoTypes::USERS, "the guest's users"),
    (GuestInfoTypes::TIMEZONE, "the guest's time zone"),
    (GuestInfoTypes::LOAD, "the guest's load averages"),
];

impl GuestInfoTypes {
    /// The groups asked for: none named means every group Tools report; naming one they do
    /// not report is refused with its name (`VIR_ERR_ARGUMENT_UNSUPPORTED`).
    pub fn reported(self) -> Result<GuestInfoTypes> {
        for (group, what) in NOT_REPORTED {
            if self.contains(group) {
                return Err(Error::esx(
                    Code::ArgumentUnsupported,
                    format!("VMware Tools do not report {what}"),
                ));
            }
        }
        Ok(if self.is_empty() {
            GuestInfoTypes::all() - NOT_REPORTED.iter().fold(Self::empty(), |a, (g, _)| a | *g)
        } else {
            self
        })
    }
}

impl GuestReport {
    /// The report as virDomainGetGuestInfo's typed parameters for the groups in `types`
    /// (already checked by [`GuestInfoTypes::reported`]), in libvirt's names and types.
    pub fn params(&self, types: GuestInfoTypes) -> Vec<(String, TypedValue)> {
        let mut out = Params::default();
        if types.contains(GuestInfoTypes::OS)
            && let Some(os) = &self.os
        {
            out.text("os.id", os.id());
            out.text("os.name", &os.full_name);
            out.text("os.pretty-name", &os.full_name);
            if let Some(v) = os.version_id() {
                out.text("os.version-id", v);
            }
        }
        if types.contains(GuestInfoTypes::HOSTNAME)
            && let Some(h) = &self.hostname
        {
            out.text("hostname", h);
        }
        if types.contains(GuestInfoTypes::FILESYSTEM) {
            out.count("fs.count", self.filesystems.len());
            for (i, fs) in self.filesystems.iter().enumerate() {
                out.text(format!("fs.{i}.mountpoint"), &fs.mountpoint);
                if !fs.fstype.is_empty() {
                    out.text(format!("fs.{i}.fstype"), &fs.fstype);
                }
                if let Some(t) = fs.total {
                    out.push(format!("fs.{i}.total-bytes"), TypedValue::ULLong(t));
                }
                if let Some(u) = fs.used {
                    out.push(format!("fs.{i}.used-bytes"), TypedValue::ULLong(u));
                }
                out.count(format!("fs.{i}.disk.count"), fs.disks.len());
                for (j, d) in fs.disks.iter().enumerate() {
                    out.text(format!("fs.{i}.disk.{j}.alias"), d);
                }
            }
        }
        if types.contains(GuestInfoTypes::DISKS) {
            let disks = self.disks();
            out.count("disk.count", disks.len());
            for (i, d) in disks.iter().enumerate() {
                out.text(format!("disk.{i}.name"), *d);
                out.push(format!("disk.{i}.partition"), TypedValue::Boolean(false));
                out.text(format!("disk.{i}.alias"), *d);
            }
        }
        if types.contains(GuestInfoTypes::INTERFACES) {
            out.count("if.count", self.interfaces.len());
            for (i, nic) in self.interfaces.iter().enumerate() {
                out.text(format!("if.{i}.name"), &nic.name);
                out.text(format!("if.{i}.hwaddr"), &nic.hwaddr);
                out.count(format!("if.{i}.addr.count"), nic.addrs.len());
                for (j, (v6, addr, prefix)) in nic.addrs.iter().enumerate() {
                    let kind = if *v6 { "ipv6" } else { "ipv4" };
                    out.text(format!("if.{i}.addr.{j}.type"), kind);
                    out.text(format!("if.{i}.addr.{j}.addr"), addr);
                    out.push(format!("if.{i}.addr.{j}.prefix"), TypedValue::UInt(*prefix));
                }
            }
        }
        out.0
    }

    /// The virtual disks the file systems live on (by target, each once, in order met):
    /// vSphere names no guest devices, so a disk is known by its libvirt target.
    pub fn disks(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for d in self.filesystems.iter().flat_map(|f| &f.disks) {
            if !seen.contains(&d.as_str()) {
                seen.push(d);
            }
        }
        seen
    }
}

#[derive(Default)]
struct Params(Vec<(String, TypedValue)>);

impl Params {
    fn push(&mut self, key: impl Into<String>, value: TypedValue) {
        self.0.push((key.into(), value));
    }
    fn text(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.push(key, TypedValue::String(value.into()));
    }
    fn count(&mut self, key: impl Into<String>, n: usize) {
        self.push(key, TypedValue::UInt(u32::try_from(n).unwrap_or(u32::MAX)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(id: &str) -> GuestOs {
        GuestOs {
            guest_id: id.into(),
            full_name: String::new(),
        }
    }

    #[test]
    fn os_id_and_version_come_from_the_guest_id() {
        for (id, want, version) in [
            ("debian12_64Guest", "debian", Some("12")),
            ("rhel9_64Guest", "rhel", Some("9")),
            ("windows2019srv_64Guest", "windows", Some("2019")),
            ("ubuntu64Guest", "ubuntu", None),
            ("otherLinux64Guest", "otherlinux", None),
            ("otherGuest", "other", None),
        ] {
            assert_eq!(os(id).id(), want, "{id}");
            assert_eq!(os(id).version_id().as_deref(), version, "{id}");
        }
    }

    #[test]
    fn groups_tools_do_not_report_are_refused_by_name() {
        assert_eq!(
            GuestInfoTypes::empty().reported().unwrap(),
            GuestInfoTypes::OS
                | GuestInfoTypes::HOSTNAME
                | GuestInfoTypes::FILESYSTEM
                | GuestInfoTypes::DISKS
                | GuestInfoTypes::INTERFACES
        );
        for (t, what) in [
            (GuestInfoTypes::USERS, "users"),
            (GuestInfoTypes::TIMEZONE | GuestInfoTypes::OS, "time zone"),
            (GuestInfoTypes::LOAD, "load averages"),
        ] {
            let e = t.reported().unwrap_err();
            assert_eq!(e.code, Code::ArgumentUnsupported);
            assert!(e.message().contains(what), "{e}");
        }
    }

    #[test]
    fn params_carry_libvirt_names_and_types() {
        let r = GuestReport {
            os: Some(GuestOs {
                guest_id: "debian12_64Guest".into(),
                full_name: "Debian GNU/Linux 12 (64-bit)".into(),
            }),
            hostname: Some("web".into()),
            filesystems: vec![FileSystem {
                mountpoint: "/".into(),
                fstype: "ext4".into(),
                total: Some(100),
                used: Some(25),
                disks: vec!["sda".into()],
            }],
            interfaces: vec![Interface {
                name: "VM Network".into(),
                hwaddr: "00:0c:29:00:00:01".into(),
                addrs: vec![(false, "10.0.0.2".into(), 24)],
            }],
        };
        let p = r.params(GuestInfoTypes::empty().reported().unwrap());
        let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let s = |v: &str| Some(TypedValue::String(v.into()));
        assert_eq!(get("os.id"), s("debian"));
        assert_eq!(get("os.version-id"), s("12"));
        assert_eq!(get("os.pretty-name"), s("Debian GNU/Linux 12 (64-bit)"));
        assert_eq!(get("hostname"), s("web"));
        assert_eq!(get("fs.count"), Some(TypedValue::UInt(1)));
        assert_eq!(get("fs.0.used-bytes"), Some(TypedValue::ULLong(25)));
        assert_eq!(get("fs.0.disk.0.alias"), s("sda"));
        assert_eq!(get("disk.0.partition"), Some(TypedValue::Boolean(false)));
        assert_eq!(get("if.0.addr.0.prefix"), Some(TypedValue::UInt(24)));
        assert_eq!(get("if.0.addr.0.type"), s("ipv4"));
        let only = r.params(GuestInfoTypes::HOSTNAME);
        assert_eq!(only, vec![("hostname".to_string(), s("web").unwrap())]);
    }
}
