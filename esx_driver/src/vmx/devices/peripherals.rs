//! USB controllers, the sound card and the virtual TPM ⇄ `usb`/`ehci`/`usb_xhci`, `sound.*` and
//! `vtpm.present`: what libvirt's converter drops, read in the full dialect, written always.

use crate::error::Result;
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::{vmx_error, vmx_unsupported};
use crate::xml::domain::{ControllerType, Devices, Sound, Tpm};

/// VMware's USB controllers: the `.present` key, the libvirt model read for it, and every
/// libvirt model written as it (VMware's UHCI is a PIIX4 one, its EHCI and xHCI its own).
const USB_CONTROLLERS: [(&str, &str, &[&str]); 3] = [
    ("usb", "piix4-uhci", &["piix4-uhci", "piix3-uhci"]),
    ("ehci", "ehci", &["ehci", "ich9-ehci1"]),
    ("usb_xhci", "nec-xhci", &["nec-xhci", "qemu-xhci"]),
];

/// `sound.virtualDev` values and their libvirt models: the Ensoniq 1371 (libvirt knows its
/// sibling, the 1370), the Sound Blaster 16, and Intel HD Audio.
const SOUND_MODELS: [(&str, &str); 3] =
    [("es1371", "es1370"), ("sb16", "sb16"), ("hdaudio", "ich6")];

/// VMware's vTPM: a TPM 2.0 on the CRB interface, its state kept by the host.
const TPM_MODEL: &str = "tpm-crb";

pub(crate) fn parse(vmx: &VmxFile, devices: &mut Devices) -> Result<()> {
    let mut index = 0;
    for (key, model, _) in USB_CONTROLLERS {
        if vmx.boolean(&format!("{key}.present"), false)? {
            devices.add_controller(ControllerType::Usb, index, Some(model.to_string()));
            index += 1;
        }
    }
    if vmx.boolean("sound.present", false)? {
        let model = match vmx.get("sound.virtualDev") {
            // VMware's default card
            None => "es1370",
            Some(dev) => SOUND_MODELS
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(dev))
                .map(|(_, model)| *model)
                .ok_or_else(|| {
                    vmx_error(format!(
                        "Expecting VMX entry 'sound.virtualDev' to be 'es1371' or 'sb16' or 'hdaudio' but found '{dev}'"
                    ))
                })?,
        };
        devices.sounds.push(Sound {
            model: model.to_string(),
        });
    }
    if vmx.boolean("vtpm.present", false)? {
        devices.tpms.push(Tpm {
            model: TPM_MODEL.to_string(),
            backend: "emulator".to_string(),
            version: Some("2.0".to_string()),
        });
    }
    Ok(())
}

pub(crate) fn format(devices: &Devices, efi: bool, w: &mut VmxWriter) -> Result<()> {
    let mut present = [false; USB_CONTROLLERS.len()];
    for controller in devices
        .controllers
        .iter()
        .filter(|c| c.controller_type == ControllerType::Usb)
    {
        let model = controller.model.as_deref().unwrap_or("piix4-uhci");
        if model == "none" {
            continue;
        }
        let slot = USB_CONTROLLERS
            .iter()
            .position(|(_, _, models)| models.contains(&model))
            .ok_or_else(|| {
                vmx_unsupported(format!(
                    "Unsupported USB controller model '{model}': VMware has UHCI (piix4-uhci), EHCI (ehci) and xHCI (nec-xhci)"
                ))
            })?;
        if let Some(seen) = present.get_mut(slot) {
            *seen = true;
        }
    }
    for ((key, _, _), on) in USB_CONTROLLERS.iter().zip(present) {
        if on {
            w.set(format_args!("{key}.present"), "true");
        }
    }
    match devices.sounds.as_slice() {
        [] => {}
        [sound] => {
            let dev = SOUND_MODELS
                .iter()
                .find(|(_, model)| *model == sound.model)
                .map(|(dev, _)| *dev)
                .ok_or_else(|| {
                    vmx_unsupported(format!(
                        "Unsupported sound model '{}': VMware has es1370 (its Ensoniq 1371), sb16 and ich6 (HD Audio)",
                        sound.model
                    ))
                })?;
            w.set("sound.present", "true");
            w.set("sound.virtualDev", dev);
        }
        _ => return Err(vmx_unsupported("VMware has one sound card per VM")),
    }
    match devices.tpms.as_slice() {
        [] => {}
        [tpm] => {
            let emulated_2 =
                tpm.backend == "emulator" && tpm.version.as_deref().is_none_or(|v| v == "2.0");
            if tpm.model != TPM_MODEL || !emulated_2 {
                return Err(vmx_unsupported(format!(
                    "Unsupported TPM '{}' with backend '{}': VMware's vTPM is a TPM 2.0 ({TPM_MODEL}, backend 'emulator')",
                    tpm.model, tpm.backend
                )));
            }
            if !efi {
                return Err(vmx_unsupported(
                    "A vTPM needs EFI firmware: set <os firmware='efi'>",
                ));
            }
            w.set("vtpm.present", "true");
        }
        _ => return Err(vmx_unsupported("VMware has one vTPM per VM")),
    }
    Ok(())
}
