//! `send-key` as virsh has it: keys named (`KEY_A`, `VK_RETURN`) or numbered in any of
//! libvirt's keycode sets, pressed together on the console (vSphere's PutUsbScanCodes).

use super::{DOMAIN, domain};
use crate::grammar::{Args, Cmd, Opt};
use crate::session::Session;
use crate::{Failure, Outcome};
use esx_driver::abi::{VIR_DOMAIN_SEND_KEY_MAX_KEYS, virKeycodeSet};

/// A key number as virsh reads one (decimal, `0x` hex or `0` octal, at most 0xffff).
fn key_number(text: &str) -> Option<u32> {
    let n = if let Some(hex) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if text.len() > 1 && text.starts_with('0') {
        u32::from_str_radix(&text[1..], 8).ok()?
    } else {
        text.parse().ok()?
    };
    (n <= 0xffff).then_some(n)
}

pub const SEND_KEY: Cmd = Cmd {
    name: "send-key",
    group: "domain",
    summary: "press keys on the domain's console",
    description: "Presses the keys together on the running domain's console (vSphere's USB scan codes), by number or name in the codeset (linux by default; xt, atset1, atset2, atset3, os_x, xt_kbd, usb, win32, qnum or rfb), then waits --holdtime ms.",
    opts: &[
        DOMAIN,
        Opt::string("codeset", "the keycode set (linux by default)"),
        Opt::string("holdtime", "milliseconds to wait after the keys"),
        Opt::argv("keycode", "a key's number or name"),
    ],
    run: |s: &mut Session, a: &Args| -> Outcome {
        let says = |t: String| Failure::lines(vec![t]);
        let dom = domain(s, a)?;
        let name = a.get("codeset").unwrap_or("linux");
        let set = virKeycodeSet::from_name(name)
            .ok_or_else(|| says(format!("unknown codeset: '{name}'")))?;
        let hold = match a.get("holdtime") {
            None => 0,
            Some(t) => t.parse::<u32>().map_err(|_| {
                says(format!(
                    "Numeric value '{t}' for <holdtime> option is malformed or out of range"
                ))
            })?,
        };
        let mut codes = Vec::new();
        for key in a.all("keycode") {
            if codes.len() == VIR_DOMAIN_SEND_KEY_MAX_KEYS as usize {
                return Err(says("too many keycodes".into()));
            }
            let code = key_number(key)
                .or_else(|| set.code_of(key))
                .ok_or_else(|| says(format!("invalid keycode: '{key}'")))?;
            codes.push(code);
        }
        dom.send_keys(set, hold, &codes)?;
        Ok(())
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_virsh_reads_them() {
        assert_eq!(key_number("30"), Some(30));
        assert_eq!(key_number("0x1e"), Some(30));
        assert_eq!(key_number("036"), Some(30));
        assert_eq!(key_number("0"), Some(0));
        assert_eq!(key_number("0x10000"), None);
        assert_eq!(key_number("KEY_A"), None);
    }
}
