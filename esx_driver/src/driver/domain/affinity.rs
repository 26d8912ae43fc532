//! The VM's CPU affinity (`config.cpuAffinity`): vSphere keeps one set of host CPUs for all of a
//! VM's vCPUs and its other threads, read and set as libvirt's vCPU and emulator pinning.

use super::tune::reconfigure;
use super::{Domain, no_domain};
use crate::error::{Code, Error, Result};
use crate::vi::property::{FilterSpec, Hop};
use crate::vi::specs::{VirtualMachineAffinityInfo, VirtualMachineConfigSpec};

/// The VM's affinity with what gives it meaning: its host's logical CPUs and its vCPUs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affinity {
    /// The host's logical CPUs (`hardware.cpuInfo.numCpuThreads`), the width of the maps.
    pub host_cpus: u32,
    /// The VM's vCPUs.
    pub vcpus: u32,
    /// The host CPUs the VM may run on, in order; empty for all of them.
    pub set: Vec<u32>,
}

impl Affinity {
    /// The host CPUs the VM may run on, every one when no affinity is set.
    pub fn cpus(&self) -> Vec<u32> {
        match self.set.is_empty() {
            true => (0..self.host_cpus).collect(),
            false => self.set.clone(),
        }
    }

    /// The CPUs as a libvirt CPU map of `maplen` bytes (bit n of byte n / 8: CPU n).
    pub fn map(&self, maplen: usize) -> Vec<u8> {
        let mut map = vec![0u8; maplen];
        for cpu in self.cpus() {
            if let Some(b) = map.get_mut(cpu as usize / 8) {
                *b |= 1 << (cpu % 8);
            }
        }
        map
    }
}

/// The CPUs a libvirt CPU map names.
pub fn cpus_of_map(map: &[u8]) -> Vec<u32> {
    (0..map.len() * 8)
        .filter(|cpu| map[cpu / 8] & (1 << (cpu % 8)) != 0)
        .map(|cpu| cpu as u32)
        .collect()
}

impl Domain {
    /// The VM's affinity, its vCPUs and its host's CPUs: one read (the VM and its host).
    pub fn cpu_affinity(&self) -> Result<Affinity> {
        let (conn, vm) = (self.conn(), &self.cached());
        let spec = FilterSpec {
            props: vec![
                (
                    "VirtualMachine".into(),
                    vec!["config.cpuAffinity".into(), "config.hardware.numCPU".into()],
                ),
                (
                    "HostSystem".into(),
                    vec!["hardware.cpuInfo.numCpuThreads".into()],
                ),
            ],
            skip_start: false,
            hops: vec![Hop {
                name: "host",
                kind: "VirtualMachine",
                path: "runtime.host",
                then: &[],
            }],
            ..FilterSpec::object(vm.moref.clone(), &[])
        };
        let found = conn.primary.client.retrieve(&spec)?;
        let of = |kind: &str| found.iter().find(|oc| oc.obj.kind == kind);
        let v = of("VirtualMachine")
            .ok_or_else(|| no_domain(format!("Domain '{}' is gone", vm.name)))?;
        let number = |n: Option<&str>| n.and_then(|t| t.parse::<u32>().ok());
        let set = v
            .props
            .path("config.cpuAffinity")
            .into_iter()
            .flat_map(|a| a.children_named("affinitySet"))
            .filter_map(|n| number(Some(n.text.as_str())))
            .collect();
        Ok(Affinity {
            host_cpus: of("HostSystem")
                .and_then(|h| number(h.props.text_at("hardware.cpuInfo.numCpuThreads")))
                .unwrap_or(0),
            vcpus: number(v.props.text_at("config.hardware.numCPU")).unwrap_or(0),
            set,
        })
    }

    /// Sets the VM's affinity to `cpus` (all of the host's: none set). libvirt's
    /// virDomainPinEmulator: on vSphere the VM's threads and vCPUs share the one set.
    pub fn set_cpu_affinity(&self, cpus: &[u32]) -> Result<()> {
        self.conn().check_writable("virDomainPinEmulator")?;
        let now = self.cpu_affinity()?;
        self.apply(&now, cpus, "virDomainPinEmulator")
    }

    /// Pins vCPU `vcpu` to `cpus`: accepted when every vCPU ends up with the same set, as
    /// vSphere has one (a VM of one vCPU, or the set it has now), else refused with that
    /// reason.
    pub fn pin_vcpu(&self, vcpu: u32, cpus: &[u32]) -> Result<()> {
        self.conn().check_writable("virDomainPinVcpu")?;
        let now = self.cpu_affinity()?;
        if vcpu >= now.vcpus {
            return Err(Error::invalid_arg(format!(
                "requested vcpu '{vcpu}' is not present in the domain"
            )));
        }
        if now.vcpus > 1 && normal(cpus) != now.cpus() {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                format!(
                    "vSphere has one CPU affinity for all of a VM's vCPUs: vCPU {vcpu} cannot \
                     be pinned apart from the other {}; pin the whole VM with \
                     virDomainPinEmulator (virsh emulatorpin)",
                    now.vcpus - 1
                ),
            ));
        }
        self.apply(&now, cpus, "virDomainPinVcpu")
    }

    fn apply(&self, now: &Affinity, cpus: &[u32], api: &str) -> Result<()> {
        if cpus.is_empty() {
            return Err(Error::invalid_arg("the CPU map names no CPU"));
        }
        if let Some(cpu) = cpus.iter().find(|c| **c >= now.host_cpus) {
            return Err(Error::invalid_arg(format!(
                "CPU {cpu} does not exist on the domain's host, which has {} CPUs",
                now.host_cpus
            )));
        }
        let wanted = normal(cpus);
        // Every host CPU is no affinity at all, as vSphere keeps it.
        let set = match wanted.len() as u32 == now.host_cpus {
            true => Vec::new(),
            false => wanted.iter().map(|c| *c as i32).collect(),
        };
        let change = VirtualMachineConfigSpec {
            cpu_affinity: Some(VirtualMachineAffinityInfo { affinity_set: set }),
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(self.conn(), &self.cached(), change, api)
    }
}

/// `cpus` sorted, each once.
fn normal(cpus: &[u32]) -> Vec<u32> {
    let mut v = cpus.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}
