//! Facts about the connection's host: node info, free memory, hostname, version, maximum
//! vCPUs, and the capabilities and sysinfo XML documents. Each costs at most one round trip.

use crate::driver::connection::Connection;
use crate::driver::connection::inventory::Placement;
use crate::driver::perf::Counter;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::property::FilterSpec;
use crate::vi::types::FromNode;
use crate::vi::views::host::{
    HostConnection, HostDns, HostFacts, HostIdentity, HostLimits, HostMemory, HostSysinfo,
};
use crate::xml::capabilities::{Capabilities, Guest, Host};
use crate::xml::ids::Uuid;
use crate::xml::sysinfo::{Section, Sysinfo};

impl HostMemory {
    /// Memory not in use, in bytes: the size less the quick stats' MiB in use, saturating
    /// where a server's numbers would overflow (negative when it reports more used than there is).
    pub(crate) fn free_bytes(&self) -> i64 {
        self.memory_size
            .saturating_sub(self.usage_mib.saturating_mul(1 << 20))
    }
}

/// Non-negative server numbers summed over the scope's hosts, saturating rather than wrapping.
fn saturating_total<T>(values: impl Iterator<Item = T>) -> u64
where
    u64: TryFrom<T>,
{
    values
        .map(|v| u64::try_from(v).unwrap_or(0))
        .fold(0, u64::saturating_add)
}

/// libvirt's `virNodeInfo`, in plain Rust.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeInfo {
    /// The CPU model, tidied as libvirt does (at most 31 bytes).
    pub model: String,
    /// Total memory in KiB, the hosts' `hardware.memorySize` summed.
    pub memory_kib: u64,
    /// Active CPUs: the physical cores summed over the hosts.
    pub cpus: u32,
    /// CPU clock in MHz, the slowest host's.
    pub mhz: u32,
    /// NUMA nodes, summed over the hosts.
    pub nodes: u32,
    /// CPU sockets (packages), summed over the hosts.
    pub sockets: u32,
    /// Cores per socket.
    pub cores: u32,
    /// Threads per core.
    pub threads: u32,
}

impl Connection {
    /// Properties of one host.
    fn read_host<T: FromNode + Default>(&self, host: &Placement, paths: &[&str]) -> Result<T> {
        let mut oc = self
            .primary
            .client
            .retrieve_one(&host.host, paths)?
            .ok_or_else(|| {
                Error::internal(format!(
                    "Host '{}' is no longer in the inventory",
                    host.host_name
                ))
            })?;
        Ok(T::take_node(&mut oc.props).unwrap_or_default())
    }

    /// Properties of every host the scope describes, in one round trip: the one host of a
    /// host scope (whatever its state), else the scope's connected hosts.
    pub(crate) fn scope_props<T: FromNode + Default>(&self, paths: &[&str]) -> Result<Vec<T>> {
        let ep = &self.primary;
        if let Some(host) = ep.scope.host() {
            return Ok(vec![self.read_host(host, paths)?]);
        }
        let hosts = ep.host_refs()?;
        let mut all = paths.to_vec();
        all.extend(HostConnection::PATHS);
        let found: Vec<T> = match FilterSpec::objects("HostSystem", &hosts, &all) {
            Some(spec) => ep
                .client
                .retrieve(&spec)?
                .iter()
                .filter(|oc| {
                    HostConnection::from_node(&oc.props).is_some_and(|c| c.state == "connected")
                })
                .map(|oc| T::from_node(&oc.props).unwrap_or_default())
                .collect(),
            None => Vec::new(),
        };
        if found.is_empty() {
            return Err(Error::esx(
                Code::OperationInvalid,
                "this connection's scope has no connected host",
            ));
        }
        Ok(found)
    }

    /// The scope as one hypervisor: one host's facts, or the sum over the connected hosts
    /// of CPUs, sockets, NUMA nodes and memory, with the slowest host's clock and the first
    /// host's model (as OpenStack's driver presents a cluster).
    pub fn node_info(&self) -> Result<NodeInfo> {
        let all: Vec<HostFacts> = self.scope_props(HostFacts::PATHS)?;
        let sum = |f: fn(&HostFacts) -> i32| {
            all.iter()
                .map(|h| f(h).max(1) as u32)
                .fold(0, u32::saturating_add)
        };
        let packages = sum(|h| h.cpu_packages);
        let cores = sum(|h| h.cpu_cores);
        let threads = sum(|h| h.cpu_threads);
        Ok(NodeInfo {
            model: cpu_model_name(&all[0].cpu_model),
            memory_kib: saturating_total(all.iter().map(|h| h.memory_size)) / 1024,
            cpus: cores,
            mhz: all
                .iter()
                .map(|h| u32::try_from(h.cpu_hz.max(0) / 1_000_000).unwrap_or(u32::MAX))
                .min()
                .unwrap_or(0),
            nodes: sum(|h| h.numa_nodes),
            sockets: packages,
            cores: (cores / packages).max(1),
            threads: (threads / cores).max(1),
        })
    }

    /// Free memory in bytes: each host's memory less what its quick stats say is used,
    /// summed over the scope.
    pub fn free_memory(&self) -> Result<u64> {
        Ok(self.scope_memory()?.1)
    }

    /// virNodeGetMemoryStats' total and free memory in KiB, summed over the scope.
    pub fn node_memory_stats(&self) -> Result<(u64, u64)> {
        let (total, free) = self.scope_memory()?;
        Ok((total / 1024, free / 1024))
    }

    /// The scope's memory and free memory in bytes: one read.
    fn scope_memory(&self) -> Result<(u64, u64)> {
        let all: Vec<HostMemory> = self.scope_props(HostMemory::PATHS)?;
        let total = saturating_total(all.iter().map(|m| m.memory_size));
        let free = saturating_total(all.iter().map(HostMemory::free_bytes));
        Ok((total, free))
    }

    /// virNodeGetCPUStats' CPU time used and idle in nanoseconds, cumulative (see
    /// `driver::perf`): of all CPUs (`None`, summed over the scope's hosts) or of one
    /// logical CPU of a host scope's host. One QueryPerf (and the counter lookup once).
    pub fn node_cpu_stats(&self, cpu: Option<u32>) -> Result<(u64, u64)> {
        let scope = &self.primary.scope;
        let hosts: Vec<MoRef> = match (scope.host(), cpu) {
            (Some(h), _) => vec![h.host.clone()],
            (None, None) => self.primary.host_refs()?,
            (None, Some(_)) => {
                return Err(Error::esx(
                    Code::NoSupport,
                    "per-CPU statistics need a connection to one host: CPU numbers repeat \
                     across the hosts of this scope",
                ));
            }
        };
        let instance = cpu.map(|c| c.to_string()).unwrap_or_default();
        let series = vec![
            (Counter::CpuUsed, instance.clone()),
            (Counter::CpuIdle, instance.clone()),
        ];
        let asks: Vec<_> = hosts.into_iter().map(|h| (h, series.clone())).collect();
        let counted = self.perf.counted(&self.primary.client, &asks)?;
        let sum = |c: Counter| {
            counted
                .values()
                .filter_map(|t| t.get(&(c, instance.clone())))
                .copied()
                .reduce(u64::saturating_add)
        };
        match (sum(Counter::CpuUsed), sum(Counter::CpuIdle)) {
            (Some(used), Some(idle)) => Ok((used, idle)),
            _ => Err(Error::invalid_arg(match cpu {
                Some(c) => format!("Invalid cpuNum {c}: the host has no statistics for it"),
                None => "the host has no CPU statistics".to_string(),
            })),
        }
    }

    /// The host's DNS name; above one host, the vCenter's name as the URI gave it.
    pub fn hostname(&self) -> Result<String> {
        let Some(host) = self.primary.scope.host() else {
            return Ok(self.spec.host.clone());
        };
        let mut d: HostDns = self.read_host(host, HostDns::PATHS)?;
        match (d.host_name.trim(), d.domain_name.trim()) {
            ("", _) => Err(Error::internal("Missing or empty 'hostName' property")),
            // The name as read, not a copy of it: it is as long as the server made it.
            (h, "") if h.len() == d.host_name.len() => Ok(std::mem::take(&mut d.host_name)),
            (h, "") => Ok(h.to_string()),
            (h, dn) => Ok(format!("{h}.{dn}")),
        }
    }

    /// The server's version as major·1,000,000 + minor·1,000 + micro.
    pub fn version(&self) -> Result<u64> {
        let v = &self.primary.client.content().about.version;
        parse_version(v)
            .ok_or_else(|| Error::internal(format!("Could not parse version number from '{v}'")))
    }

    /// The most vCPUs a VM may have on every host of the scope.
    pub fn max_vcpus(&self) -> Result<u32> {
        let all: Vec<HostLimits> = self.scope_props(HostLimits::PATHS)?;
        match all.iter().map(|l| l.max_vcpus).min() {
            Some(n) if n > 0 => Ok(n as u32),
            _ => Err(Error::internal(
                "Missing or empty 'capability.maxSupportedVcpus' property",
            )),
        }
    }

    /// Capabilities of the host, or of the scope as one hypervisor: x86_64 when every
    /// connected host has long mode, and a UUID of the scope's own (see `scope_uuid`).
    pub fn capabilities_xml(&self) -> Result<String> {
        let all: Vec<HostIdentity> = self.scope_props(HostIdentity::PATHS)?;
        let long_mode = all.iter().all(|id| {
            id.cpu_features
                .iter()
                .find(|f| f.level == 0x8000_0001_u32 as i32)
                .is_some_and(|f| cpuid_bit(&f.edx, 29))
        });
        let uuid = match self.primary.scope.host() {
            Some(_) => all[0].uuid.clone(),
            None => self.scope_uuid().to_string(),
        };
        Ok(capabilities(&uuid, long_mode))
    }

    /// A scope above one host has no hardware UUID; its own is derived from the vCenter's
    /// instance UUID and the scope's managed object, so it is stable and differs per scope.
    fn scope_uuid(&self) -> Uuid {
        let ep = &self.primary;
        let key = format!(
            "{}/{}:{}",
            ep.client.content().about.instance_uuid,
            ep.scope.object.kind,
            ep.scope.object.value
        );
        Uuid::derived(key.as_bytes())
    }

    /// libvirt's `virConnectGetSysinfo`: the host's BIOS and system SMBIOS facts as sysinfo
    /// XML (one round trip); refused for a scope above one host.
    pub fn sysinfo_xml(&self) -> Result<String> {
        let host = self.primary.single_host("virConnectGetSysinfo")?;
        let s: HostSysinfo = self.read_host(host, HostSysinfo::PATHS)?;
        let doc = Sysinfo {
            sections: vec![
                Section {
                    name: "bios",
                    entries: vec![
                        ("vendor", s.bios_vendor),
                        ("version", s.bios_version),
                        ("date", smbios_date(&s.bios_date)),
                    ],
                },
                Section {
                    name: "system",
                    entries: vec![
                        ("manufacturer", s.vendor),
                        ("product", s.model),
                        ("serial", s.serial),
                        ("uuid", s.uuid),
                    ],
                },
            ],
        };
        Ok(doc.to_xml())
    }
}

/// libvirt's tidy CPU model: trademarks dropped, spaces collapsed, at most 31 bytes.
fn cpu_model_name(raw: &str) -> String {
    let cleaned = raw
        .replace("(R)", "")
        .replace("(C)", "")
        .replace("(TM)", "");
    let mut words = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    while words.len() > 31 {
        words.pop();
    }
    words
}

fn parse_version(v: &str) -> Option<u64> {
    let mut parts = v.trim().split('.').map(|p| p.parse::<u64>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let micro = parts.next().unwrap_or(Ok(0)).ok()?;
    (minor < 1000 && micro < 1000).then_some(major * 1_000_000 + minor * 1_000 + micro)
}

/// A CPUID register as vSphere writes it: 32 of `0`/`1`/`-`, bit 31 first, `:` every four.
fn cpuid_bit(register: &str, bit: usize) -> bool {
    let bits: Vec<char> = register.chars().filter(|c| *c != ':').collect();
    bits.len() == 32 && bits.get(31 - bit) == Some(&'1')
}

/// `2015-09-21T00:00:00Z` → SMBIOS `09/21/2015`.
pub(crate) fn smbios_date(xsd: &str) -> String {
    let d = xsd.trim();
    match (d.get(0..4), d.get(5..7), d.get(8..10)) {
        (Some(y), Some(m), Some(dd)) if d.as_bytes().get(4) == Some(&b'-') => {
            format!("{m}/{dd}/{y}")
        }
        _ => d.to_string(),
    }
}

fn capabilities(uuid: &str, long_mode: bool) -> String {
    let word_sizes: &[(&str, u32)] = if long_mode {
        &[("i686", 32), ("x86_64", 64)]
    } else {
        &[("i686", 32)]
    };
    Capabilities {
        host: Host {
            // libvirt zeroes a host UUID it cannot parse.
            uuid: Uuid::parse(uuid).unwrap_or_default(),
            arch: if long_mode { "x86_64" } else { "i686" }.to_string(),
            // As libvirt's ESX driver: vMotion moves running VMs, over its `vpxmigr` transport.
            live_migration: true,
            migration_transports: vec!["vpxmigr".to_string()],
        },
        guests: word_sizes
            .iter()
            .map(|(arch, wordsize)| Guest {
                os_type: "hvm".to_string(),
                arch: arch.to_string(),
                wordsize: *wordsize,
                domain_type: "vmware".to_string(),
            })
            .collect(),
    }
    .to_xml()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server's numbers past 64 bits saturate instead of wrapping (or panicking in debug).
    #[test]
    fn host_memory_sums_saturate() {
        let m = |memory_size, usage_mib| HostMemory {
            memory_size,
            usage_mib,
        };
        assert_eq!(m(4 << 30, 1024).free_bytes(), 3 << 30);
        assert_eq!(m(1 << 30, 2048).free_bytes(), -(1 << 30));
        assert_eq!(m(0, i64::MAX).free_bytes(), i64::MIN + 1);
        assert_eq!(saturating_total([1i64, -7, 2].into_iter()), 3);
        assert_eq!(saturating_total([i64::MAX; 3].into_iter()), u64::MAX);
    }

    #[test]
    fn model_names_are_tidied() {
        assert_eq!(
            cpu_model_name("Intel(R) Xeon(R)  CPU E5-1620 0 @ 3.60GHz"),
            "Intel Xeon CPU E5-1620 0 @ 3.60"
        );
    }

    #[test]
    fn versions_pack_like_libvirt() {
        assert_eq!(parse_version("6.5.0"), Some(6_005_000));
        assert_eq!(parse_version("8.0.3"), Some(8_000_003));
        assert_eq!(parse_version("7"), Some(7_000_000));
        assert_eq!(parse_version("x.1"), None);
    }

    #[test]
    fn long_mode_bit_is_read_from_cpuid() {
        assert!(cpuid_bit("0010:1000:0001:0000:0000:1000:0000:0000", 29));
        assert!(!cpuid_bit("0000:1000:0001:0000:0000:1000:0000:0000", 29));
        assert!(!cpuid_bit("short", 29));
    }

    #[test]
    fn dates_become_smbios_dates() {
        assert_eq!(smbios_date("2015-09-21T00:00:00Z"), "09/21/2015");
        assert_eq!(smbios_date("whenever"), "whenever");
    }

    #[test]
    fn capabilities_list_guests_by_long_mode() {
        let c = capabilities("e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70", true);
        assert!(c.contains("<uuid>e88d4d56-9f1e-3ea1-71fa-13a8e1a7fd70</uuid>"));
        assert!(c.contains("<arch name='x86_64'>"));
        assert!(!capabilities("bogus", false).contains("x86_64"));
        assert_eq!(
            capabilities("bogus", false),
            "<capabilities>\n\n  <host>\n    <uuid>00000000-0000-0000-0000-000000000000</uuid>\n    \
             <cpu>\n      <arch>i686</arch>\n    </cpu>\n    <power_management/>\n    \
             <iommu support='no'/>\n    <migration_features>\n      <live/>\n      <uri_transports>\n        \
             <uri_transport>vpxmigr</uri_transport>\n      </uri_transports>\n    \
             </migration_features>\n  </host>\n\n  <guest>\n    <os_type>hvm</os_type>\n    \
             <arch name='i686'>\n      <wordsize>32</wordsize>\n      <domain type='vmware'/>\n    \
             </arch>\n  </guest>\n\n</capabilities>\n"
        );
    }
}
