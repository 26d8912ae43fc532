//! Shared folders (`sharedFolderN.*`, VMware's HGFS) ⇄ `<filesystem type='mount'>`: host
//! directories a guest sees by name, read-only unless write access is granted.

use crate::error::Result;
use crate::vmx::file::{VmxFile, VmxWriter};
use crate::vmx::vmx_unsupported;
use crate::xml::domain::Filesystem;

pub(crate) fn parse_shared_folders(vmx: &VmxFile) -> Result<Vec<Filesystem>> {
    if vmx.boolean("isolation.tools.hgfs.disable", true)? {
        return Ok(Vec::new());
    }
    let max = vmx.long("sharedFolder.maxNum", 0, true)?;
    // only folders that have keys can be present, so an absurd maxNum costs nothing
    let numbers = vmx.numbered("sharedFolder");
    let mut folders = Vec::new();
    for number in numbers.into_iter().filter(|n| i64::from(*n) < max) {
        let key = |field: &str| format!("sharedFolder{number}.{field}");
        let present = vmx.boolean(&key("present"), false)?;
        let enabled = vmx.boolean(&key("enabled"), false)?;
        if !(present && enabled) {
            continue;
        }
        let source = vmx.string(&key("hostPath"), false)?.unwrap_or_default();
        let target = vmx.string(&key("guestName"), false)?.unwrap_or_default();
        let writable = vmx.boolean(&key("writeAccess"), false)?;
        folders.push(Filesystem {
            fs_type: "mount".to_string(),
            access_mode: "passthrough".to_string(),
            source: source.to_string(),
            target: target.to_string(),
            readonly: !writable,
        });
    }
    Ok(folders)
}

pub(crate) fn format_shared_folders(folders: &[Filesystem], w: &mut VmxWriter) -> Result<()> {
    if folders.is_empty() {
        return Ok(());
    }
    w.set("isolation.tools.hgfs.disable", "false");
    w.set("sharedFolder.maxNum", folders.len());
    for (number, fs) in folders.iter().enumerate() {
        if fs.fs_type != "mount" {
            return Err(vmx_unsupported("Only 'mount' filesystem type is supported"));
        }
        let prefix = format!("sharedFolder{number}");
        w.set(format_args!("{prefix}.present"), "true");
        w.set(format_args!("{prefix}.enabled"), "true");
        w.set(format_args!("{prefix}.readAccess"), "true");
        w.set(format_args!("{prefix}.writeAccess"), !fs.readonly);
        w.set(format_args!("{prefix}.hostPath"), &fs.source);
        w.set(format_args!("{prefix}.guestName"), &fs.target);
    }
    Ok(())
}
