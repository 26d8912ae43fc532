//! Network interfaces ⇄ `ethernetN.*`: connection types, NIC models, vDS ports and the MAC
//! address rules tied to VMware's OUI ranges.

use crate::error::Result;
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::version::{HwVersion, MAX_ETHERNET_INDEX};
use crate::vmx::{vmx_error, vmx_unsupported};
use crate::xml::domain::{Interface, MacType, VdsPort};
use crate::xml::ids::{MacAddr, Uuid};

const MODELS: [&str; 5] = ["vlance", "vmxnet", "vmxnet3", "e1000", "e1000e"];
/// `vmxnet` with these feature bits is the enhanced vmxnet2.
const VMXNET2_FEATURES: i64 = 15;

/// Workstation's and Fusion's fixed vmnets: a bridged or host-only NIC without `vnet` is on
/// these, and a `network` interface naming one is written back as that connection type.
const VMNETS: [(&str, &str); 2] = [("bridged", "vmnet0"), ("hostonly", "vmnet1")];

/// The vmnet a Workstation NIC is on: its `vnet`, else its connection type's fixed one.
fn vmnet(connection_type: &str, vnet: Option<&str>, key: &str) -> Result<String> {
    let fixed = VMNETS
        .iter()
        .find(|(connection, _)| connection.eq_ignore_ascii_case(connection_type))
        .map(|(_, name)| *name);
    match vnet.or(fixed) {
        Some(name) if is_vmnet(name) => Ok(name.to_string()),
        other => Err(vmx_error(format!(
            "Expecting VMX entry '{key}' to name a vmnet (vmnetN or /dev/vmnetN) when there is no networkName, but found '{}'",
            other.unwrap_or_default()
        ))),
    }
}

/// A Workstation or Fusion virtual network: `vmnetN` in any case (Windows writes `VMnet2`),
/// or its device on a Linux host, `/dev/vmnetN`.
fn is_vmnet(name: &str) -> bool {
    let name = name.strip_prefix("/dev/").unwrap_or(name);
    name.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("vmnet"))
        && name.len() > 5
        && name.bytes().skip(5).all(|b| b.is_ascii_digit())
}

const VMWARE_GENERATED_OUI: u32 = 0x000c29;
const VMWARE_STATIC_OUI: u32 = 0x005056;

/// Every N of an `ethernetN…` key, ascending: the NICs to read (an index without keys reads as
/// no NIC, so only the named ones are visited). Both directions hold VMware's limit of 10 NICs
/// (`ethernet0`–`ethernet9`; 4 before virtual hardware 7), so what is read can be written back.
fn ethernet_indexes(vmx: &VmxFile) -> Result<Vec<u32>> {
    let mut indexes = Vec::new();
    for name in vmx.names() {
        let Some(suffix) = name
            .get(..8)
            .filter(|p| p.eq_ignore_ascii_case("ethernet"))
            .and_then(|_| name.get(8..))
        else {
            continue;
        };
        let digits = suffix.bytes().take_while(u8::is_ascii_digit).count();
        let index = suffix
            .get(..digits)
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|_| suffix.as_bytes().get(digits) == Some(&b'.'))
            .filter(|&i| i32::try_from(i).is_ok())
            .ok_or_else(|| {
                vmx_error(format!("failed to parse the index of the VMX key '{name}'"))
            })?;
        let limit = MAX_ETHERNET_INDEX;
        if index > limit {
            return Err(vmx_error(format!(
                "Ethernet controller index {index} of the VMX key '{name}' out of [0..{limit}] range"
            )));
        }
        indexes.push(index);
    }
    indexes.sort_unstable();
    indexes.dedup();
    Ok(indexes)
}

pub(crate) fn parse_ethernets(vmx: &VmxFile) -> Result<Vec<Interface>> {
    let mut nets = Vec::new();
    for index in ethernet_indexes(vmx)? {
        nets.extend(parse_ethernet(vmx, index)?);
    }
    Ok(nets)
}

fn parse_ethernet(vmx: &VmxFile, index: u32) -> Result<Option<Interface>> {
    let key = |field: &str| format!("ethernet{index}.{field}");
    let present = vmx.boolean(&key("present"), false)?;
    vmx.boolean(&key("startConnected"), true)?;
    if !present {
        return Ok(None);
    }
    let connection_type = vmx.get(&key("connectionType"));
    let address_type = vmx.get(&key("addressType"));
    let parse_mac = |field: &str| -> Result<Option<MacAddr>> {
        vmx.get(&key(field))
            .map(|text| {
                MacAddr::parse(text).ok_or_else(|| {
                    vmx_error(format!(
                        "Expecting VMX entry '{}' to be MAC address but found '{text}'",
                        key(field)
                    ))
                })
            })
            .transpose()
    };
    let (mac, mac_type) = match address_type {
        None => (parse_mac("generatedAddress")?, None),
        Some(t) if t.eq_ignore_ascii_case("generated") || t.eq_ignore_ascii_case("vpx") => {
            (parse_mac("generatedAddress")?, Some(MacType::Generated))
        }
        Some(t) if t.eq_ignore_ascii_case("static") => {
            (parse_mac("address")?, Some(MacType::Static))
        }
        Some(other) => {
            return Err(vmx_error(format!(
                "Expecting VMX entry '{}' to be 'generated' or 'static' or 'vpx' but found '{other}'",
                key("addressType")
            )));
        }
    };
    // only the exact lower-case word counts, as in libvirt
    let mac_check = vmx.get(&key("checkMACAddress")).map(|v| v == "true");

    let virtual_dev = vmx.get(&key("virtualDev"));
    let features = vmx.long(&key("features"), 0, true)?;
    let model = match virtual_dev {
        None => None,
        Some(dev) => {
            let dev = dev.to_ascii_lowercase();
            let model = MODELS.iter().find(|m| **m == dev).ok_or_else(|| {
                vmx_error(format!(
                    "Expecting VMX entry '{}' to be 'vlance' or 'vmxnet' or 'vmxnet3' or 'e1000' or 'e1000e' but found '{}'",
                    key("virtualDev"),
                    virtual_dev.unwrap_or_default()
                ))
            })?;
            Some(if *model == "vmxnet" && features == VMXNET2_FEATURES {
                "vmxnet2".to_string()
            } else {
                model.to_string()
            })
        }
    };

    let is_connection = |name: &str| connection_type.is_some_and(|c| c.eq_ignore_ascii_case(name));
    // Workstation and Fusion name no network for their own vmnets: see `vmnet`
    let workstation = is_connection("hostonly")
        || (vmx.get(&key("networkName")).is_none()
            && (is_connection("bridged") || is_connection("custom")));
    let network_name = if !workstation
        && (connection_type.is_none() || is_connection("bridged") || is_connection("custom"))
    {
        vmx.string(&key("networkName"), connection_type.is_none())?
    } else {
        None
    };
    let vnet = if is_connection("custom") || workstation {
        vmx.string(&key("vnet"), !is_connection("custom"))?
    } else {
        None
    };

    let mut net = Interface {
        net_type: String::new(),
        // libvirt leaves an unset address all zero
        mac: mac.unwrap_or(MacAddr([0; 6])),
        mac_type,
        mac_check,
        bridge: None,
        network: None,
        ifname: None,
        model,
        vds: None,
    };
    if let Some(switch_id) = vmx.get(&format!("ethernet{index}.dvs.switchId")) {
        net.net_type = "vds".to_string();
        net.vds = Some(VdsPort {
            switch_id: Uuid::parse(switch_id).ok_or_else(|| {
                vmx_error(format!("Could not parse UUID from string '{switch_id}'"))
            })?,
            portgroup_id: vmx
                .get(&format!("ethernet{index}.dvs.portgroupId"))
                .map(str::to_string),
            port_id: vmx.long(&format!("ethernet{index}.dvs.portId"), 0, true)?,
            connection_id: vmx.long(&format!("ethernet{index}.dvs.connectionId"), 0, true)?,
        });
    } else if workstation {
        net.net_type = "network".to_string();
        net.network = Some(vmnet(
            connection_type.unwrap_or_default(),
            vnet,
            &key("vnet"),
        )?);
    } else if connection_type.is_none() && network_name.is_none() {
        net.net_type = "null".to_string();
    } else if connection_type.is_none() || is_connection("bridged") {
        net.net_type = "bridge".to_string();
        net.bridge = network_name.map(str::to_string);
    } else if is_connection("nat") {
        net.net_type = "user".to_string();
    } else if is_connection("custom") {
        net.net_type = "bridge".to_string();
        net.bridge = network_name.map(str::to_string);
        net.ifname = vnet.map(str::to_string);
    } else {
        return Err(vmx_error(format!(
            "Invalid value '{}' for VMX entry '{}'",
            connection_type.unwrap_or_default(),
            key("connectionType")
        )));
    }
    Ok(Some(net))
}

pub(crate) fn format_ethernet(
    net: &Interface,
    index: u32,
    hw: HwVersion,
    w: &mut VmxWriter,
) -> Result<()> {
    let limit = hw.max_ethernet_index();
    if index > limit {
        return Err(vmx_error(format!(
            "Ethernet controller index {index} out of [0..{limit}] range"
        )));
    }
    let prefix = format!("ethernet{index}");
    w.set(format_args!("{prefix}.present"), "true");
    match net.model.as_deref() {
        None => {}
        Some("vmxnet2") => {
            w.set(format_args!("{prefix}.virtualDev"), "vmxnet");
            w.set(format_args!("{prefix}.features"), VMXNET2_FEATURES);
        }
        Some(model) if MODELS.contains(&model) => w.set(format_args!("{prefix}.virtualDev"), model),
        Some(model) => {
            return Err(vmx_error(format!(
                "Expecting domain XML entry 'devices/interface/model' to be 'vlance' or 'vmxnet' or 'vmxnet2' or 'vmxnet3' or 'e1000' or 'e1000e' but found '{model}'"
            )));
        }
    }
    match net.net_type.as_str() {
        "bridge" => {
            w.set(
                format_args!("{prefix}.networkName"),
                net.bridge.as_deref().unwrap_or_default(),
            );
            match &net.ifname {
                Some(ifname) => {
                    w.set(format_args!("{prefix}.connectionType"), "custom");
                    w.set(format_args!("{prefix}.vnet"), ifname);
                }
                None => w.set(format_args!("{prefix}.connectionType"), "bridged"),
            }
        }
        "network" => {
            let network = net.network.as_deref().unwrap_or_default();
            if !is_vmnet(network) {
                return Err(vmx_unsupported(format!(
                    "Unsupported network '{network}' of net type 'network': in a VMX file only Workstation's and Fusion's vmnets (vmnetN, /dev/vmnetN) are networks; a port group is an interface of type 'bridge'"
                )));
            }
            match VMNETS.iter().find(|(_, name)| *name == network) {
                Some((connection, _)) => w.set(format_args!("{prefix}.connectionType"), connection),
                None => {
                    w.set(format_args!("{prefix}.connectionType"), "custom");
                    w.set(format_args!("{prefix}.vnet"), network);
                }
            }
        }
        "user" => w.set(format_args!("{prefix}.connectionType"), "nat"),
        "null" => {}
        "vds" => {
            let vds = net.vds.clone().unwrap_or_default();
            w.set(
                format_args!("{prefix}.dvs.switchId"),
                vds.switch_id.to_vmx(),
            );
            if vds.port_id != 0 {
                w.set(format_args!("{prefix}.dvs.portId"), vds.port_id);
            }
            if let Some(portgroup) = &vds.portgroup_id {
                w.set(format_args!("{prefix}.dvs.portgroupId"), portgroup);
            }
            if vds.connection_id != 0 {
                w.set(format_args!("{prefix}.dvs.connectionId"), vds.connection_id);
            }
        }
        other => {
            return Err(vmx_unsupported(format!("Unsupported net type '{other}'")));
        }
    }
    format_mac(net, &prefix, w);
    Ok(())
}

/// Which VMware address type a MAC implies: its own generated OUI, the static range of
/// 00:50:56, vCenter's range of it, or a foreign address VMware must not check.
fn format_mac(net: &Interface, prefix: &str, w: &mut VmxWriter) {
    let (prefix_bits, suffix_bits) = (net.mac.prefix(), net.mac.suffix());
    let (mut mac_type, mut check, vpx) = if prefix_bits == VMWARE_GENERATED_OUI {
        (MacType::Generated, None, false)
    } else if prefix_bits == VMWARE_STATIC_OUI && suffix_bits <= 0x3f_ffff {
        (MacType::Static, None, false)
    } else if prefix_bits == VMWARE_STATIC_OUI && (0x80_0000..=0xbf_ffff).contains(&suffix_bits) {
        (MacType::Generated, None, true)
    } else {
        (MacType::Static, Some(false), false)
    };
    if let Some(explicit) = net.mac_type {
        mac_type = explicit;
        if explicit == MacType::Generated {
            check = None;
        }
    }
    if net.mac_check.is_some() {
        check = net.mac_check;
    }
    match mac_type {
        MacType::Generated => {
            w.set(
                format_args!("{prefix}.addressType"),
                if vpx { "vpx" } else { "generated" },
            );
            w.set(format_args!("{prefix}.generatedAddress"), net.mac);
            if !vpx {
                w.set(format_args!("{prefix}.generatedAddressOffset"), "0");
            }
        }
        MacType::Static => {
            w.set(format_args!("{prefix}.addressType"), "static");
            w.set(format_args!("{prefix}.address"), net.mac);
        }
    }
    if let Some(check) = check {
        w.set(format_args!("{prefix}.checkMACAddress"), check);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Found by the vmx_round_trip fuzz target (a timeout): `ethernet555555555.present` made
    /// the reader try every index below it.
    #[test]
    fn a_huge_ethernet_index_reads_only_the_nics_named() {
        let vmx = VmxFile::parse(
            b"ethernet555555555.present = \"true\"\nethernet555555555.networkName = \"n\"\n\
              ethernet0.present = \"false\"\n",
        )
        .unwrap();
        let started = Instant::now();
        // Beyond the limit both directions share: refused at once.
        assert!(parse_ethernets(&vmx).is_err());
        assert!(started.elapsed() < Duration::from_secs(1));
        let named =
            VmxFile::parse(b"ethernet7.present = \"true\"\nethernet2.present = \"false\"\n")
                .unwrap();
        assert_eq!(ethernet_indexes(&named).unwrap(), vec![2, 7]);
    }
}
