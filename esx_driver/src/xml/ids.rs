//! UUIDs and MAC addresses as libvirt reads and writes them, plus the random values libvirt
//! generates when a domain definition leaves them out.

use md5::{Digest, Md5};
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};

/// A domain's, pool's or network's UUID: libvirt's 16 bytes (`VIR_UUID_BUFLEN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The MD5 digest of `key` as a UUID (libvirt's ESX rule for pools, iSCSI targets, LUNs
    /// and networks without one of their own).
    pub fn md5_of(key: &[u8]) -> Uuid {
        Uuid(Md5::digest(key).into())
    }

    /// Accepts libvirt's lenient syntax: hex byte pairs with any `-` or space between pairs,
    /// leading spaces and trailing whitespace.
    pub fn parse(text: &str) -> Option<Uuid> {
        let mut bytes = [0u8; 16];
        let mut chars = text.trim_start_matches(' ').chars().peekable();
        for byte in bytes.iter_mut() {
            while matches!(chars.peek(), Some('-' | ' ')) {
                chars.next();
            }
            let hi = chars.next()?.to_digit(16)?;
            let lo = chars.next()?.to_digit(16)?;
            *byte = (hi * 16 + lo) as u8;
        }
        chars
            .all(|c| c.is_ascii_whitespace())
            .then_some(Uuid(bytes))
    }

    pub(crate) fn random() -> Uuid {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&random_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&random_u64().to_le_bytes());
        // RFC 4122 version 4, as libvirt generates
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid(bytes)
    }

    /// A stable UUID named by `key` (RFC 9562 version 8, "custom"): two FNV-1a halves, so
    /// equal keys give equal UUIDs across runs and machines.
    pub(crate) fn derived(key: &[u8]) -> Uuid {
        let fnv = |seed: u64| {
            key.iter().fold(seed, |h, b| {
                (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        };
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&fnv(0xcbf2_9ce4_8422_2325).to_be_bytes());
        bytes[8..].copy_from_slice(&fnv(0x6c62_272e_07bb_0142).to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x80;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid(bytes)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0 == [0; 16]
    }

    /// VMware's spelling: `xx xx xx xx xx xx xx xx-xx xx xx xx xx xx xx xx`.
    pub(crate) fn to_vmx(self) -> String {
        let hex: Vec<String> = self.0.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{}", hex[..8].join(" "), hex[8..].join(" "))
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// Six colon-separated groups of one or two hex digits.
    pub(crate) fn parse(text: &str) -> Option<MacAddr> {
        let mut bytes = [0u8; 6];
        let mut groups = text.split(':');
        for byte in bytes.iter_mut() {
            let group = groups.next()?;
            if group.is_empty() || group.len() > 2 || !group.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return None;
            }
            *byte = u8::from_str_radix(group, 16).ok()?;
        }
        groups.next().is_none().then_some(MacAddr(bytes))
    }

    /// A random address under libvirt's VMware prefix 00:0c:29.
    pub(crate) fn random_vmware() -> MacAddr {
        let r = random_u64().to_le_bytes();
        MacAddr([0x00, 0x0c, 0x29, r[0], r[1], r[2]])
    }

    pub(crate) fn prefix(&self) -> u32 {
        u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]])
    }

    pub(crate) fn suffix(&self) -> u32 {
        u32::from_be_bytes([0, self.0[3], self.0[4], self.0[5]])
    }

    /// The group bit (lowest bit of the first octet): a broadcast or multicast address,
    /// which no NIC may have as its own.
    pub(crate) fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

/// std's per-process random hasher keys are the only entropy source needed here.
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trips_all_spellings() {
        let u = Uuid::parse("50 11 5e 16 9b dc 49 d7-f1 71 53 c4 d7 f9 17 10").unwrap();
        assert_eq!(u.to_string(), "50115e16-9bdc-49d7-f171-53c4d7f91710");
        assert_eq!(Uuid::parse(&u.to_string()), Some(u));
        assert_eq!(
            u.to_vmx(),
            "50 11 5e 16 9b dc 49 d7-f1 71 53 c4 d7 f9 17 10"
        );
        assert_eq!(Uuid::parse("50115e169bdc49d7f17153c4d7f91710 \n"), Some(u));
        assert!(Uuid::parse("50115e16").is_none());
        assert!(Uuid::parse("50115e169bdc49d7f17153c4d7f91710x").is_none());
        assert_eq!(Uuid::random().0[6] >> 4, 4);
    }

    #[test]
    fn mac_parse_and_ranges() {
        let m = MacAddr::parse("00:50:56:AC:3E:A1").unwrap();
        assert_eq!(m.to_string(), "00:50:56:ac:3e:a1");
        assert_eq!(m.prefix(), 0x005056);
        assert_eq!(m.suffix(), 0xac3ea1);
        assert_eq!(
            MacAddr::parse("0:c:29:1:2:3").unwrap().to_string(),
            "00:0c:29:01:02:03"
        );
        for bad in [
            "",
            "00:50:56:ac:3e",
            "00:50:56:ac:3e:a1:00",
            "00:50:56:ac:3e:xyz",
        ] {
            assert!(MacAddr::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(MacAddr::random_vmware().prefix(), 0x000c29);
        assert!(!MacAddr::random_vmware().is_multicast());
        for (text, multicast) in [
            ("ff:ff:ff:ff:ff:ff", true),
            ("01:00:5e:00:00:01", true),
            ("03:50:56:00:00:01", true),
            ("00:50:56:00:00:01", false),
            ("02:50:56:00:00:01", false),
        ] {
            assert_eq!(
                MacAddr::parse(text).unwrap().is_multicast(),
                multicast,
                "{text}"
            );
        }
    }
}
