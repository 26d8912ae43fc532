//! libvirt's disk target names: `sda`, `hdb`, `fdaa`, … ⇄ the zero-based disk index that
//! drive addresses and VMX slots are derived from.

const PREFIXES: [&str; 6] = ["fd", "hd", "vd", "sd", "xvd", "ubd"];

/// The index encoded by a target name's letters (bijective base 26), ignoring a numeric
/// partition suffix; `None` when the name has no known prefix or no letters.
pub(crate) fn disk_name_to_index(name: &str) -> Option<u32> {
    let prefix = PREFIXES.iter().find(|p| name.starts_with(*p))?;
    let rest = name.get(prefix.len()..)?;
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    let (letters, partition) = rest.split_at(letters);
    if letters.is_empty() || !partition.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut index: u32 = 0;
    for (i, b) in letters.bytes().enumerate() {
        let carry = u32::from(i > 0);
        index = index
            .checked_add(carry)?
            .checked_mul(26)?
            .checked_add(u32::from(b - b'a'))?;
    }
    // libvirt keeps the index in an int
    i32::try_from(index).ok()?;
    Some(index)
}

pub(crate) fn index_to_disk_name(index: u32, prefix: &str) -> String {
    let mut letters = Vec::new();
    let mut rest = i64::from(index);
    while rest >= 0 {
        letters.push(b'a' + (rest % 26) as u8);
        rest = rest / 26 - 1;
    }
    letters.reverse();
    format!("{prefix}{}", String::from_utf8_lossy(&letters))
}

/// NVMe targets are named `nvme<controller>n<namespace>`, namespaces counting from 1.
pub(crate) fn nvme_name_to_slot(name: &str) -> Option<(u32, u32)> {
    let (controller, namespace) = name.strip_prefix("nvme")?.split_once('n')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(controller) || !digits(namespace) {
        return None;
    }
    let namespace: u32 = namespace.parse().ok()?;
    Some((controller.parse().ok()?, namespace.checked_sub(1)?))
}

pub(crate) fn nvme_slot_to_name(controller: u32, unit: u32) -> String {
    format!("nvme{controller}n{}", u64::from(unit) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_indexes_round_trip() {
        for (name, index) in [
            ("sda", 0),
            ("sdp", 15),
            ("sdz", 25),
            ("sdaa", 26),
            ("sdat", 45),
            ("hdd", 3),
        ] {
            assert_eq!(disk_name_to_index(name), Some(index), "{name}");
            assert_eq!(index_to_disk_name(index, &name[..2]), name);
        }
        assert_eq!(disk_name_to_index("sda1"), Some(0));
        assert_eq!(nvme_name_to_slot("nvme1n3"), Some((1, 2)));
        assert_eq!(nvme_slot_to_name(1, 2), "nvme1n3");
        for bad in ["nvme1n0", "nvme1", "nvmen1", "nvme1n1x"] {
            assert_eq!(nvme_name_to_slot(bad), None, "{bad}");
        }
        for bad in ["sd", "xda", "sdA", "sda1b", "sdzzzzzzzzzzzz"] {
            assert_eq!(disk_name_to_index(bad), None, "{bad}");
        }
    }
}
