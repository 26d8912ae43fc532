//! virConnectGetDomainCapabilities: the scope's config option for a hardware version (its
//! compute resource's EnvironmentBrowser), as libvirt's domain capabilities document.

use super::Connection;
use super::evc::check_hypervisor;
use crate::driver::domain::devices::NIC_MODELS;
use crate::driver::domain::usage::bus_of;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::data::GuestOsDescriptor;
use crate::vi::methods::{QueryConfigOptionDescriptor, QueryConfigOptionEx};
use crate::vi::specs::EnvironmentBrowserConfigOptionQuerySpec;
use crate::xml::domcaps::{DomainCaps, GuestOs};

/// The architectures vSphere runs guests of.
const ARCHES: [&str; 2] = ["x86_64", "i686"];

impl Connection {
    /// The domain capabilities of the connection's host (or cluster, or the first host of a
    /// wider scope) for `machine` (a hardware version, `vmx-13`; the default when `None`) and
    /// `arch` (x86_64, the default, or i686, whose guests are the 32-bit ones). VMware has no
    /// emulator binary and one domain type, `vmware`. Two round trips (the environment browser
    /// and its config option), three with a machine (its hardware versions, to check it).
    pub fn domain_capabilities(
        &self,
        emulator: Option<&str>,
        arch: Option<&str>,
        machine: Option<&str>,
        virttype: Option<&str>,
    ) -> Result<String> {
        check_hypervisor(emulator, virttype)?;
        let arch = arch.unwrap_or(ARCHES[0]);
        if !ARCHES.contains(&arch) {
            return Err(Error::esx(
                Code::ArgumentUnsupported,
                format!("vSphere runs x86_64 and i686 guests, not {arch}"),
            ));
        }
        let placement = self.primary.hosts()?.first().ok_or_else(|| {
            Error::esx(Code::OperationInvalid, "the connection's scope has no host")
        })?;
        let client = &self.primary.client;
        let browser = client
            .retrieve_one(&placement.compute_resource, &["environmentBrowser"])?
            .and_then(|oc| {
                oc.props
                    .path("environmentBrowser")
                    .and_then(MoRef::from_node)
            })
            .ok_or_else(|| Error::internal("the compute resource has no environment browser"))?;
        if let Some(m) = machine {
            let known = client.invoke(&QueryConfigOptionDescriptor {
                this: browser.clone(),
            })?;
            if !known.iter().any(|d| d.key == m) {
                let keys: Vec<&str> = known.iter().map(|d| d.key.as_str()).collect();
                return Err(Error::invalid_arg(format!(
                    "machine '{m}' is not a hardware version of this host (it has {})",
                    keys.join(", ")
                )));
            }
        }
        let host = self.primary.scope.host().map(|p| p.host.clone());
        let option = client
            .invoke(&QueryConfigOptionEx {
                this: browser,
                spec: Some(EnvironmentBrowserConfigOptionQuerySpec {
                    key: machine.map(String::from),
                    host,
                    guest_id: Vec::new(),
                }),
            })?
            .ok_or_else(|| Error::internal("QueryConfigOptionEx returned no config option"))?;
        let guests: Vec<GuestOs> = option
            .guests
            .iter()
            .filter(|g| arch == ARCHES[0] || !g.id.contains("64"))
            .map(guest)
            .collect();
        let max_vcpus = option
            .num_cpu
            .iter()
            .copied()
            .chain(guests.iter().map(|g| g.max_vcpus as i32))
            .max()
            .unwrap_or(1);
        Ok(DomainCaps {
            machine: option.version,
            arch: arch.to_string(),
            max_vcpus: max_vcpus.max(1) as u32,
            guests,
        }
        .to_xml())
    }
}

/// A guest descriptor in libvirt's terms: KiB, disk buses, NIC models.
fn guest(g: &GuestOsDescriptor) -> GuestOs {
    let mut buses: Vec<String> = Vec::new();
    for (_, bus) in g.disk_controllers.iter().filter_map(|c| bus_of(c)) {
        if !buses.iter().any(|b| b == bus) {
            buses.push(bus.to_string());
        }
    }
    let kib = |mb: i64| (mb.max(0) as u64).saturating_mul(1024);
    GuestOs {
        id: g.id.clone(),
        family: g.family.clone(),
        max_vcpus: g.max_cpus.max(0) as u32,
        min_memory_kib: kib(g.min_mem_mb),
        max_memory_kib: kib(g.max_mem_mb),
        firmware: g.firmware.clone(),
        secure_boot: g.secure_boot.unwrap_or(false),
        buses,
        nic_models: g
            .nics
            .iter()
            .filter_map(|n| NIC_MODELS.iter().find(|(_, kind)| kind == n))
            .map(|(model, _)| model.to_string())
            .collect(),
    }
}
