//! CPU models on vSphere are its EVC modes (the service's `capability.supportedEVCMode`, each
//! vendor's in rising tiers; each host's highest in `summary.maxEVCModeKey`): listed, compared
//! with the scope's hosts, and taken as a baseline, as libvirt's CPU model calls.

use super::Connection;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::data::EVCMode;
use crate::vi::types::FromNode;
use crate::vi::views::host::HostEvc;
use crate::xmltree::Element;
use crate::xmltree::Names;

/// The architectures whose CPUs EVC modes describe.
const ARCHES: [&str; 2] = ["x86_64", "i686"];

/// How a CPU compares with the scope's hosts (libvirt's virCPUCompareResult).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CpuComparison {
    /// Some host cannot run it.
    Incompatible,
    /// Its mode is the highest every host runs.
    Identical,
    /// Every host runs more than it.
    Superset,
}

/// What the hypervisor arguments of libvirt's CPU and capability calls may say on vSphere:
/// no emulator binary, and the one domain type, `vmware`.
pub fn check_hypervisor(emulator: Option<&str>, virttype: Option<&str>) -> Result<()> {
    if let Some(e) = emulator {
        return Err(Error::esx(
            Code::ArgumentUnsupported,
            format!("VMware has no emulator binary, so '{e}' names none: leave it out"),
        ));
    }
    match virttype {
        Some(v) if v != "vmware" => Err(Error::invalid_arg(format!(
            "virttype '{v}' is not this driver's: its domains are 'vmware'"
        ))),
        _ => Ok(()),
    }
}

/// The error of a comparison asked to fail when the CPU is incompatible.
pub fn incompatible() -> Error {
    Error::esx(
        Code::CpuIncompatible,
        "the model is above the EVC mode every host of the connection runs",
    )
}

/// The refusal of a baseline with its features listed.
pub fn no_feature_lists() -> Error {
    Error::esx(
        Code::ArgumentUnsupported,
        "VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES: an EVC mode is named, not listed as CPU \
         features",
    )
}

fn check_arch(arch: Option<&str>) -> Result<()> {
    match arch {
        Some(a) if !ARCHES.contains(&a) => Err(Error::esx(
            Code::ArgumentUnsupported,
            format!("vSphere's CPU models (EVC modes) are x86's, not {a}'s"),
        )),
        _ => Ok(()),
    }
}

/// The model a libvirt CPU definition names (`<cpu><model>…</model></cpu>`).
fn model_of(xml: &str) -> Result<String> {
    let bad = |why: &str| Error::esx(Code::XmlError, format!("CPU definition: {why}"));
    let root = Element::parse(xml, Names::Local).map_err(|e| bad(&e))?;
    let cpu = match &*root.name {
        "cpu" => &root,
        _ => root.child("cpu").ok_or_else(|| bad("no <cpu> element"))?,
    };
    cpu.child_text("model")
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .ok_or_else(|| bad("no <model>"))
}

impl Connection {
    /// The EVC modes the server knows, in its order: one round trip.
    fn evc_modes(&self) -> Result<Vec<EVCMode>> {
        let si = MoRef::new("ServiceInstance", "ServiceInstance");
        let oc = self.primary.client.retrieve_one(&si, &["capability"])?;
        Ok(oc
            .iter()
            .flat_map(|oc| oc.props.path("capability"))
            .flat_map(|c| c.children_named("supportedEVCMode"))
            .filter_map(EVCMode::from_node)
            .collect())
    }

    /// virConnectGetCPUModelNames: the names of the EVC modes the server knows.
    pub fn cpu_model_names(&self, arch: &str) -> Result<Vec<String>> {
        check_arch(Some(arch))?;
        Ok(self.evc_modes()?.into_iter().map(|m| m.key).collect())
    }

    /// The highest mode every host of the scope runs, of those `modes` lists.
    fn scope_ceiling<'m>(&self, modes: &'m [EVCMode]) -> Result<&'m EVCMode> {
        let hosts: Vec<HostEvc> = self.scope_props(HostEvc::PATHS)?;
        let mut ceiling: Option<&EVCMode> = None;
        for h in &hosts {
            let key = h.max_mode.as_deref().unwrap_or("");
            let m = modes.iter().find(|m| m.key == key).ok_or_else(|| {
                Error::esx(
                    Code::OperationInvalid,
                    "a host of the connection names no EVC mode it supports",
                )
            })?;
            ceiling = match ceiling {
                Some(c) if c.vendor != m.vendor => {
                    return Err(Error::esx(
                        Code::OperationInvalid,
                        "the connection's hosts have CPUs of different vendors: no EVC mode \
                         runs on all of them",
                    ));
                }
                Some(c) if c.tier <= m.tier => Some(c),
                _ => Some(m),
            };
        }
        ceiling.ok_or_else(|| Error::esx(Code::OperationInvalid, "the connection has no host"))
    }

    /// virConnectCompareHypervisorCPU: how the CPU (an EVC mode as `<model>`) compares with
    /// what every host of the scope runs. Two round trips.
    pub fn compare_cpu(&self, arch: Option<&str>, xml: &str) -> Result<CpuComparison> {
        check_arch(arch)?;
        let model = model_of(xml)?;
        let modes = self.evc_modes()?;
        let mode = find(&modes, &model)?;
        let ceiling = self.scope_ceiling(&modes)?;
        Ok(
            if mode.vendor != ceiling.vendor || mode.tier > ceiling.tier {
                CpuComparison::Incompatible
            } else if mode.tier == ceiling.tier {
                CpuComparison::Identical
            } else {
                CpuComparison::Superset
            },
        )
    }

    /// virConnectBaselineHypervisorCPU: the highest EVC mode that the CPUs given (EVC modes as
    /// `<model>`) and every host of the scope run, as a CPU definition. Two round trips.
    pub fn baseline_cpu(&self, arch: Option<&str>, xmls: &[&str]) -> Result<String> {
        check_arch(arch)?;
        if xmls.is_empty() {
            return Err(Error::invalid_arg("no CPU definitions given"));
        }
        let models = xmls
            .iter()
            .map(|x| model_of(x))
            .collect::<Result<Vec<_>>>()?;
        let modes = self.evc_modes()?;
        let mut base = self.scope_ceiling(&modes)?;
        for model in &models {
            let m = find(&modes, model)?;
            if m.vendor != base.vendor {
                return Err(Error::esx(
                    Code::OperationFailed,
                    format!(
                        "CPU vendors differ: {} is {}'s, the hosts run {}'s",
                        m.key, m.vendor, base.vendor
                    ),
                ));
            }
            if m.tier < base.tier {
                base = m;
            }
        }
        let vendor = match base.vendor.as_str() {
            "intel" => "Intel",
            "amd" => "AMD",
            v => v,
        };
        Ok(format!(
            "<cpu mode='custom' match='exact'>\n  <model fallback='forbid'>{}</model>\n  \
             <vendor>{}</vendor>\n</cpu>\n",
            crate::xml::escape_text(&base.key),
            crate::xml::escape_text(vendor)
        ))
    }
}

fn find<'m>(modes: &'m [EVCMode], model: &str) -> Result<&'m EVCMode> {
    modes.iter().find(|m| m.key == model).ok_or_else(|| {
        Error::invalid_arg(format!(
            "unknown CPU model '{model}': vSphere's models are its EVC modes"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_read_from_a_cpu_definition() {
        assert_eq!(
            model_of("<cpu mode='custom'><model>intel-haswell</model></cpu>").unwrap(),
            "intel-haswell"
        );
        assert_eq!(
            model_of("<host><cpu><model> amd-zen </model></cpu></host>").unwrap(),
            "amd-zen"
        );
        assert_eq!(model_of("<cpu/>").unwrap_err().code, Code::XmlError);
        assert_eq!(model_of("<cpu").unwrap_err().code, Code::XmlError);
    }
}
