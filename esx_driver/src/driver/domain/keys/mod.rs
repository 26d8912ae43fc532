//! virDomainSendKey: keys of any of libvirt's keycode sets translated to USB HID usages through
//! keycodemapdb's table (libvirt's own, `table.rs`) and typed with PutUsbScanCodes.

mod table;

use super::{Domain, invalid_state};
use crate::abi::{VIR_DOMAIN_SEND_KEY_MAX_KEYS, virKeycodeSet};
use crate::error::{Error, Result};
use crate::vi::methods::PutUsbScanCodes;
use crate::vi::specs::{UsbScanCodeSpec, UsbScanCodeSpecKeyEvent, UsbScanCodeSpecModifierType};
use std::time::Duration;

/// libvirt's limit on the keys of one call.
const MAX_KEYS: usize = VIR_DOMAIN_SEND_KEY_MAX_KEYS as usize;

/// The sets' names, as virsh reads `--codeset` (by virKeycodeSet's numbers).
const SET_NAMES: [&str; 10] = [
    "linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb", "win32", "qnum",
];
/// The column of the USB HID usage in the table (virKeycodeSet's USB).
const USB: usize = virKeycodeSet::VIR_KEYCODE_SET_USB as usize;

impl virKeycodeSet {
    /// The set virsh names so (`rfb`, qnum's old name, too).
    pub fn from_name(name: &str) -> Option<virKeycodeSet> {
        let name = if name == "rfb" { "qnum" } else { name };
        let i = SET_NAMES.iter().position(|n| *n == name)?;
        virKeycodeSet::from_raw(i as i64)
    }

    /// virsh's name of the set.
    pub fn name(self) -> &'static str {
        SET_NAMES[self as usize]
    }

    /// The code of the key named `name` in this set (`KEY_A` in linux, `ANSI_A` in os_x,
    /// `VK_A` in win32); the other sets have no names.
    pub fn code_of(self, name: &str) -> Option<u32> {
        let column = match self {
            virKeycodeSet::VIR_KEYCODE_SET_LINUX => 0,
            virKeycodeSet::VIR_KEYCODE_SET_OSX => 1,
            virKeycodeSet::VIR_KEYCODE_SET_WIN32 => 2,
            _ => return None,
        };
        let row = table::NAMES.iter().position(|n| n[column] == name)?;
        Some(u32::from(table::CODES[row][self as usize]))
    }

    /// The USB HID usage (page 7) of the key with this code, as libvirt translates between
    /// sets: the first key with the code; `None` when it has no USB usage.
    pub fn to_usb(self, code: u32) -> Option<u16> {
        let row = table::CODES
            .iter()
            .find(|r| u32::from(r[self as usize]) == code)?;
        Some(row[USB]).filter(|u| *u != 0)
    }
}

/// USB's modifier keys (usages 0xE0–0xE7), held by a key event rather than typed.
fn modifier(usage: u16, m: &mut UsbScanCodeSpecModifierType) -> bool {
    let flag = match usage {
        0xE0 => &mut m.left_control,
        0xE1 => &mut m.left_shift,
        0xE2 => &mut m.left_alt,
        0xE3 => &mut m.left_gui,
        0xE4 => &mut m.right_control,
        0xE5 => &mut m.right_shift,
        0xE6 => &mut m.right_alt,
        0xE7 => &mut m.right_gui,
        _ => return false,
    };
    *flag = Some(true);
    true
}

/// The key events for keys pressed together: each key that is not a modifier typed with every
/// modifier given held; modifiers alone are typed themselves.
pub(crate) fn key_events(usages: &[u16]) -> Vec<UsbScanCodeSpecKeyEvent> {
    let mut held = UsbScanCodeSpecModifierType::default();
    let keys: Vec<u16> = usages
        .iter()
        .copied()
        .filter(|u| !modifier(*u, &mut held))
        .collect();
    let event = |usage: u16, modifiers| UsbScanCodeSpecKeyEvent {
        usb_hid_code: (i32::from(usage) << 16) | 7,
        modifiers,
    };
    if keys.is_empty() {
        return usages.iter().map(|u| event(*u, None)).collect();
    }
    let mods = (held != UsbScanCodeSpecModifierType::default()).then_some(held);
    keys.into_iter().map(|u| event(u, mods.clone())).collect()
}

impl Domain {
    /// Presses the keys (codes of `set`) together on the running VM's console: each is
    /// translated to its USB HID usage and typed with PutUsbScanCodes, modifiers held for the
    /// others. vSphere presses and releases each key event at once, so the call then waits
    /// `hold_ms` before returning, keeping a caller's key strokes that far apart.
    pub fn send_keys(&self, set: virKeycodeSet, hold_ms: u32, codes: &[u32]) -> Result<()> {
        let (conn, vm) = (self.conn(), &self.cached());
        conn.check_writable("virDomainSendKey")?;
        if codes.is_empty() || codes.len() > MAX_KEYS {
            return Err(Error::invalid_arg(format!(
                "nkeycodes must be between 1 and {MAX_KEYS}, not {}",
                codes.len()
            )));
        }
        let usages = codes
            .iter()
            .map(|c| {
                set.to_usb(*c).ok_or_else(|| {
                    Error::internal(format!(
                        "cannot translate keycode {c} of {} codeset to a USB HID usage",
                        set.name()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let call = PutUsbScanCodes {
            this: vm.moref.clone(),
            spec: UsbScanCodeSpec {
                key_events: key_events(&usages),
            },
        };
        conn.primary.client.invoke(&call).map_err(|e| {
            if e.is_fault(&crate::vi::error::Fault::InvalidPowerState) {
                invalid_state("domain is not running")
            } else {
                e.into()
            }
        })?;
        std::thread::sleep(Duration::from_millis(u64::from(hold_ms)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use virKeycodeSet as S;

    #[test]
    fn each_set_reaches_the_same_usb_usage() {
        // The A key and the right Control key, in each set (codes from keymaps.csv).
        for (set, a, rctrl) in [
            (S::VIR_KEYCODE_SET_LINUX, 30, 97),
            (S::VIR_KEYCODE_SET_XT, 0x1e, 0xe01d),
            (S::VIR_KEYCODE_SET_ATSET1, 0x1e, 0xe01d),
            (S::VIR_KEYCODE_SET_ATSET2, 0x1c, 0xe014),
            (S::VIR_KEYCODE_SET_ATSET3, 0x1c, 0x58),
            (S::VIR_KEYCODE_SET_OSX, 0x00, 0x3e),
            (S::VIR_KEYCODE_SET_XT_KBD, 0x1e, 0x11d),
            (S::VIR_KEYCODE_SET_USB, 0x04, 0xe4),
            (S::VIR_KEYCODE_SET_WIN32, 0x41, 0xa3),
            (S::VIR_KEYCODE_SET_QNUM, 0x1e, 0x9d),
        ] {
            assert_eq!(set.to_usb(a), Some(0x04), "{}", set.name());
            assert_eq!(set.to_usb(rctrl), Some(0xe4), "{}", set.name());
        }
        assert_eq!(S::VIR_KEYCODE_SET_LINUX.to_usb(0), None, "KEY_RESERVED");
        assert_eq!(S::VIR_KEYCODE_SET_LINUX.to_usb(0xfff0), None);
    }

    #[test]
    fn sets_and_keys_are_found_by_virshs_names() {
        assert_eq!(S::from_name("rfb"), Some(S::VIR_KEYCODE_SET_QNUM));
        assert_eq!(S::from_name("os_x"), Some(S::VIR_KEYCODE_SET_OSX));
        assert_eq!(S::from_name("xt_kbd").map(S::name), Some("xt_kbd"));
        assert_eq!(S::from_name("qwerty"), None);
        assert_eq!(S::VIR_KEYCODE_SET_LINUX.code_of("KEY_LEFTCTRL"), Some(29));
        assert_eq!(S::VIR_KEYCODE_SET_WIN32.code_of("VK_RETURN"), Some(0x0d));
        assert_eq!(S::VIR_KEYCODE_SET_OSX.code_of("ANSI_A"), Some(0));
        assert_eq!(
            S::VIR_KEYCODE_SET_USB.code_of("KEY_A"),
            None,
            "usb has no names"
        );
    }

    #[test]
    fn modifiers_are_held_for_the_other_keys() {
        // Ctrl+Alt+Delete: one event, Delete with both modifiers.
        let ev = key_events(&[0xe0, 0xe2, 0x4c]);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].usb_hid_code, (0x4c << 16) | 7);
        let m = ev[0].modifiers.clone().unwrap();
        assert_eq!(
            (m.left_control, m.left_alt, m.left_shift),
            (Some(true), Some(true), None)
        );
        // Keys without modifiers; a modifier alone is typed itself.
        let ev = key_events(&[0x04, 0x05]);
        assert!(ev.iter().all(|e| e.modifiers.is_none()) && ev.len() == 2);
        let ev = key_events(&[0xe1]);
        assert_eq!(
            (ev[0].usb_hid_code, ev[0].modifiers.is_none()),
            ((0xe1 << 16) | 7, true)
        );
    }
}
