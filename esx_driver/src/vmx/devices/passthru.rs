//! PCI passthrough (`pciPassthruN.*`, VMware's DirectPath I/O) ⇄ `<hostdev mode='subsystem'
//! type='pci'>`: what libvirt's converter drops, read in the full dialect, written always.

use crate::error::Result;
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::vmx_error;
use crate::xml::domain::{Hostdev, PciAddress};

/// The host function a `pciPassthruN.id` names. ESXi 6.7 and later write every field in
/// decimal (`00000:011:00.0`); earlier hosts the Linux form in hexadecimal (`0000:0b:00.0`),
/// and the first ones bus, slot and function alone (`0b:00.0`).
pub(crate) fn parse_id(id: &str) -> Option<PciAddress> {
    let parts: Vec<&str> = id.trim().split(':').collect();
    let (domain, bus, rest, radix) = match parts.as_slice() {
        [domain, bus, rest] if domain.len() == 4 => (*domain, *bus, *rest, 16),
        [domain, bus, rest] => (*domain, *bus, *rest, 10),
        [bus, rest] => ("0", *bus, *rest, 16),
        _ => return None,
    };
    let (slot, function) = rest.split_once('.')?;
    let n = |s: &str, max: u32| {
        let digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
        u32::from_str_radix(s, radix)
            .ok()
            .filter(|v| digits && *v <= max)
    };
    Some(PciAddress {
        domain: n(domain, 0xffff)?,
        bus: n(bus, 0xff)? as u8,
        slot: n(slot, 0x1f)? as u8,
        function: n(function, 7)? as u8,
    })
}

/// The id as ESXi 6.7 and later write it.
pub(crate) fn format_id(a: &PciAddress) -> String {
    format!("{:05}:{:03}:{:02}.{}", a.domain, a.bus, a.slot, a.function)
}

pub(crate) fn parse_passthru(vmx: &VmxFile) -> Result<Vec<Hostdev>> {
    let mut hostdevs = Vec::new();
    for number in vmx.numbered("pciPassthru") {
        let key = |field: &str| format!("pciPassthru{number}.{field}");
        if !vmx.boolean(&key("present"), false)? {
            continue;
        }
        let id = vmx.string(&key("id"), false)?.unwrap_or_default();
        let address = parse_id(id).ok_or_else(|| {
            vmx_error(format!(
                "Invalid PCI address '{}' in entry '{}'",
                crate::error::shorten(id, 32),
                key("id")
            ))
        })?;
        hostdevs.push(Hostdev {
            address,
            managed: false,
        });
    }
    Ok(hostdevs)
}

pub(crate) fn format_passthru(hostdevs: &[Hostdev], w: &mut VmxWriter) {
    for (number, h) in hostdevs.iter().enumerate() {
        w.set(format_args!("pciPassthru{number}.present"), "TRUE");
        w.set(
            format_args!("pciPassthru{number}.id"),
            format_id(&h.address),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_every_esx_generation_are_read() {
        let a = |domain, bus, slot, function| PciAddress {
            domain,
            bus,
            slot,
            function,
        };
        assert_eq!(parse_id("00000:011:00.0"), Some(a(0, 11, 0, 0)));
        assert_eq!(parse_id("0:66:0.0"), Some(a(0, 66, 0, 0)));
        assert_eq!(parse_id("0000:0b:1f.7"), Some(a(0, 0xb, 0x1f, 7)));
        assert_eq!(parse_id("03:00.1"), Some(a(0, 3, 0, 1)));
        for bad in [
            "",
            "0000:0b",
            "00000:256:00.0",
            "0000:0b:20.0",
            "0000:0b:00.8",
            "+1:2.3",
            "a:b:c:d",
        ] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
        assert_eq!(format_id(&a(0, 11, 0, 0)), "00000:011:00.0");
        assert_eq!(
            parse_id(&format_id(&a(1, 255, 31, 7))),
            Some(a(1, 255, 31, 7))
        );
    }
}
