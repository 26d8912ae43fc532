//! A NIC's bandwidth controls (virDomainSet/GetInterfaceParameters) over its vSphere
//! resource allocation (`resourceAllocation`, Mbit/s): the limit, a cap on what the VM sends,
//! is libvirt's `outbound.average`; the reservation its `inbound.floor` (KiB/s). vSphere has
//! no other rate, burst or peak, so those can only be 0.

use super::tune::reconfigure;
use super::{Domain, no_domain};
use crate::error::{Code, Error, Result};
use crate::vi::specs::{
    SharesInfo, SharesLevel, VirtualDevice, VirtualDeviceConfigSpec,
    VirtualDeviceConfigSpecOperation as Op, VirtualEthernetCardResourceAllocation,
    VirtualMachineConfigSpec,
};
use crate::vi::types::FromNode;
use crate::vi::views::vm::DEVICES;

/// vSphere's normal shares of a NIC, given to an allocation the NIC had none of.
const NORMAL_SHARES: i32 = 50;

/// A NIC's bandwidth controls in libvirt's units (KiB/s); `None`: unlimited, no reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NicBandwidth {
    /// libvirt's `outbound.average`: vSphere's limit.
    pub average: Option<u64>,
    /// libvirt's `inbound.floor`: vSphere's reservation.
    pub floor: Option<u64>,
}

/// KiB/s as vSphere's whole Mbit/s, rounded up (a limit or reservation never falls short).
fn mbits(kib: u64) -> i64 {
    i64::try_from((kib as u128 * 8192).div_ceil(1_000_000)).unwrap_or(i64::MAX)
}

/// vSphere's Mbit/s in KiB/s (-1 or absent: none).
fn kib(mbit: Option<i64>) -> Option<u64> {
    let m = u64::try_from(mbit?).ok().filter(|m| *m > 0)?;
    Some(m.saturating_mul(1_000_000) / 8192)
}

/// What libvirt's bandwidth parameters ask of the NIC: (`outbound.average`, `inbound.floor`),
/// each `Some` when it changes (0: none). As libvirt reads them, an `inbound.average` of 0
/// without a floor removes the inbound settings, the reservation among them; a rate vSphere
/// has not (peak, burst, inbound average) can only be 0.
pub fn bandwidth_change<S: AsRef<str>>(params: &[(S, u64)]) -> Result<(Option<u64>, Option<u64>)> {
    let (mut average, mut floor, mut inbound) = (None, None, false);
    for (name, v) in params {
        match name.as_ref() {
            "outbound.average" => average = Some(*v),
            "inbound.floor" => floor = Some(*v),
            "inbound.average" if *v == 0 => inbound = true,
            _ if *v == 0 => {}
            other => return Err(not_a_nic_control(other)),
        }
    }
    if inbound && floor.is_none() {
        floor = Some(0);
    }
    Ok((average, floor))
}

/// The refusal of a bandwidth field vSphere does not have, set to other than 0.
fn not_a_nic_control(field: &str) -> Error {
    Error::esx(
        Code::ArgumentUnsupported,
        format!(
            "vSphere's NIC controls are a limit (outbound.average) and a reservation \
             (inbound.floor): '{field}' can only be 0"
        ),
    )
}

impl Domain {
    /// The bandwidth controls of the NIC with MAC address `mac`: one round trip.
    pub fn nic_bandwidth(&self, mac: &str) -> Result<NicBandwidth> {
        let (_, a) = self.nic_allocation(mac)?;
        Ok(NicBandwidth {
            average: kib(a.limit),
            floor: kib(a.reservation),
        })
    }

    /// Sets what is `Some` of the NIC's controls (0: unlimited, or no reservation), live and
    /// in the configuration at once.
    pub fn set_nic_bandwidth(
        &self,
        mac: &str,
        average: Option<u64>,
        floor: Option<u64>,
    ) -> Result<()> {
        self.conn()
            .check_writable("virDomainSetInterfaceParameters")?;
        let (device, a) = self.nic_allocation(mac)?;
        let set = |v: Option<u64>, now: Option<i64>, none: i64| match v {
            None => now,
            Some(0) => Some(none),
            Some(k) => Some(mbits(k)),
        };
        let allocation = VirtualEthernetCardResourceAllocation {
            limit: set(average, a.limit, -1),
            reservation: set(floor, a.reservation, 0),
            share: a.share.or(Some(SharesInfo {
                shares: NORMAL_SHARES,
                level: SharesLevel::Normal,
            })),
        };
        let device = device
            .with_allocation(allocation)
            .ok_or_else(|| Error::internal("the NIC is no ethernet card"))?;
        let change = VirtualMachineConfigSpec {
            device_change: vec![VirtualDeviceConfigSpec {
                operation: Some(Op::Edit),
                file_operation: None,
                device,
            }],
            ..VirtualMachineConfigSpec::default()
        };
        reconfigure(
            self.conn(),
            &self.cached(),
            change,
            "virDomainSetInterfaceParameters",
        )
    }

    /// The NIC with MAC address `mac` and its allocation (empty when it has none).
    fn nic_allocation(
        &self,
        mac: &str,
    ) -> Result<(VirtualDevice, VirtualEthernetCardResourceAllocation)> {
        let (conn, vm) = (self.conn(), &self.cached());
        let oc = conn
            .primary
            .client
            .retrieve_one(&vm.moref, &[DEVICES])?
            .ok_or_else(|| no_domain(format!("Domain '{}' is gone", vm.name)))?;
        oc.props
            .path("config.hardware")
            .into_iter()
            .flat_map(|h| h.children_named("device"))
            .filter_map(VirtualDevice::from_node)
            .find_map(|d| {
                let (_, card) = d.ethernet()?;
                let same = card.mac_address.as_deref()?.eq_ignore_ascii_case(mac);
                same.then(|| (d.clone(), card.resource_allocation.unwrap_or_default()))
            })
            .ok_or_else(|| Error::invalid_arg(format!("Can't find device {mac}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libvirts_fields_map_onto_the_limit_and_reservation() {
        assert_eq!(
            bandwidth_change(&[("outbound.average", 9), ("outbound.peak", 0)]).unwrap(),
            (Some(9), None)
        );
        assert_eq!(
            bandwidth_change(&[("inbound.average", 0)]).unwrap(),
            (None, Some(0)),
            "inbound cleared"
        );
        assert_eq!(
            bandwidth_change(&[("inbound.average", 0), ("inbound.floor", 7)]).unwrap(),
            (None, Some(7))
        );
        let e = bandwidth_change(&[("outbound.burst", 64)]).unwrap_err();
        assert_eq!(e.code, Code::ArgumentUnsupported);
        assert!(
            e.message().contains("'outbound.burst' can only be 0"),
            "{e}"
        );
    }

    #[test]
    fn rates_round_up_to_whole_megabits() {
        assert_eq!(mbits(12_800), 105);
        assert_eq!(mbits(122), 1);
        assert_eq!(mbits(1), 1);
        assert_eq!(kib(Some(105)), Some(12_817));
        assert_eq!(kib(Some(-1)), None);
        assert_eq!(kib(None), None);
        assert_eq!(mbits(kib(Some(1000)).unwrap()), 1000);
    }
}
