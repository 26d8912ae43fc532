//! How VMX file names map to libvirt disk sources: the `DatastorePaths` trait a caller
//! implements (libvirt's virVMXContext) and the `[datastore] path` syntax.

use super::Dialect;
use crate::error::{Error, Result};
use crate::xml::domain::Disk;

/// What the converter needs from its surroundings, mirroring libvirt's virVMXContext: a
/// live driver answers with the host's real datastores, tests with a fixed stand-in.
pub trait DatastorePaths {
    /// Maps a VMX `fileName` to an XML disk source such as `[datastore] dir/file.vmdk`.
    /// `Ok(None)` means the file or its datastore is missing and `allow_missing` was set
    /// (a CD-ROM image then becomes an empty drive).
    fn parse_file_name(&self, file_name: &str, allow_missing: bool) -> Result<Option<String>>;

    /// Maps an XML disk source back to the file name written into the VMX file.
    fn format_file_name(&self, source: &str) -> Result<String>;

    /// The SCSI controller model a disk was created for, consulted for controllers whose
    /// model is `auto`. `None` leaves the model undetermined, which libvirt reports as an
    /// error.
    fn autodetect_scsi_controller_model(&self, _disk: &Disk) -> Result<Option<String>> {
        Ok(None)
    }

    /// The inventory path of the datacenter, shown as `<vmware:datacenterpath>`.
    fn datacenter_path(&self) -> Option<&str> {
        None
    }

    /// The managed object reference of the VM, shown as `<vmware:moref>`.
    fn moref(&self) -> Option<&str> {
        None
    }

    /// The domain XML to read VMX files into.
    fn dialect(&self) -> Dialect {
        Dialect::Full
    }
}

/// Whether a VMX file name is a Windows host's path, as Workstation on Windows writes them
/// (`C:\VMs\disk.vmdk`, `\\server\share\disk.vmdk`, `disks\a.vmdk`): no datastore holds it,
/// so both directions keep it verbatim (libvirt refuses it: "Could not handle file name").
pub(crate) fn is_host_path(name: &str) -> bool {
    let drive = matches!(name.as_bytes(), [d, b':', b'\\' | b'/', ..] if d.is_ascii_alphabetic());
    drive || (name.contains('\\') && !name.starts_with(['/', '[']))
}

/// A VMX file name as a disk or port source: a host path verbatim, anything else mapped by
/// the caller's datastores.
pub(crate) fn read_file_name(
    ctx: &dyn DatastorePaths,
    name: &str,
    allow_missing: bool,
) -> Result<Option<String>> {
    if is_host_path(name) {
        return Ok(Some(name.to_string()));
    }
    ctx.parse_file_name(name, allow_missing)
}

/// A disk or port source as the VMX file name, the reverse of `read_file_name`.
pub(crate) fn write_file_name(ctx: &dyn DatastorePaths, source: &str) -> Result<String> {
    if is_host_path(source) {
        return Ok(source.to_string());
    }
    ctx.format_file_name(source)
}

/// The parts of a `[datastore] directory/file` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatastorePath {
    /// The datastore's name, between the brackets.
    pub datastore: String,
    /// Everything before the last `/` of the path (all of it when there is no `/`).
    pub(crate) directory: String,
    /// The path inside the datastore, after `] `.
    pub directory_and_file: String,
}

impl DatastorePath {
    /// Splits a datastore path as libvirt's ESX driver does: the closing `]` may be left out
    /// and blanks after it are skipped.
    pub fn parse(path: &str) -> Result<DatastorePath> {
        let bad = || {
            Error::invalid_arg(format!(
                "Datastore path '{path}' doesn't have expected format '[<datastore>] <path>'"
            ))
        };
        let rest = path.strip_prefix('[').ok_or_else(bad)?;
        let (datastore, after) = rest.split_once(']').unwrap_or((rest, ""));
        if datastore.is_empty() {
            return Err(bad());
        }
        let directory_and_file = after.trim_start_matches(' ');
        check_inside(path, datastore, directory_and_file)?;
        let directory = directory_and_file
            .rsplit_once('/')
            .map_or(directory_and_file, |(dir, _)| dir);
        Ok(DatastorePath {
            datastore: datastore.to_string(),
            directory: directory.to_string(),
            directory_and_file: directory_and_file.to_string(),
        })
    }
}

/// Whether a datastore's name is one name, never a path: ESX mounts a datastore at
/// `/vmfs/volumes/<name>`, which `/`, `.` or `..` would leave.
pub(crate) fn one_name(name: &str) -> bool {
    // A `]` would end the name early in `[<datastore>] <path>`, which then reads otherwise.
    !name.contains(['/', ']']) && !matches!(name.trim(), "." | "..")
}

/// Refuses a path inside datastore `datastore` that leaves it: a `..` may only undo a directory
/// the path itself went into (`dir/../file` stays, `../x` and `a/../../x` leave), and a datastore
/// name is one name, never a path (nor one a datastore path cannot bracket). Every path a caller or a server gives reaches the datastore
/// through this check (`DatastorePath::parse`, volume lookups, `/vmfs/volumes/…` names).
pub(crate) fn check_inside(path: &str, datastore: &str, relative: &str) -> Result<()> {
    let mut depth = 0usize;
    let climbs = relative.split('/').any(|part| match part {
        "" | "." => false,
        ".." => match depth.checked_sub(1) {
            Some(d) => {
                depth = d;
                false
            }
            None => true,
        },
        _ => {
            depth += 1;
            false
        }
    });
    if climbs || !one_name(datastore) {
        return Err(Error::invalid_arg(format!(
            "Datastore path '{}' leaves its datastore: '..' may not climb above the datastore's \
             top, and a datastore is named by one name, without '/' or ']'",
            crate::error::shorten(path, 256)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ParseDatastorePath vectors of libvirt's esxutilstest.
    #[test]
    fn datastore_path_vectors() {
        let ok = [
            (
                "[datastore] directory/file",
                "datastore",
                "directory",
                "directory/file",
            ),
            (
                "[datastore] directory1/directory2/file",
                "datastore",
                "directory1/directory2",
                "directory1/directory2/file",
            ),
            ("[datastore] file", "datastore", "file", "file"),
            (
                "[datastore] directory/",
                "datastore",
                "directory",
                "directory/",
            ),
            ("[datastore]", "datastore", "", ""),
        ];
        for (input, ds, dir, dir_file) in ok {
            let p = DatastorePath::parse(input).unwrap();
            assert_eq!(
                (
                    p.datastore.as_str(),
                    p.directory.as_str(),
                    p.directory_and_file.as_str()
                ),
                (ds, dir, dir_file)
            );
        }
        for bad in ["[] directory/file", "directory/file"] {
            assert!(DatastorePath::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_host_paths_are_told_from_datastore_paths() {
        for host in [
            "C:\\VMs\\a.vmdk",
            "d:/x.iso",
            "\\\\srv\\share\\a.iso",
            "disks\\a.vmdk",
        ] {
            assert!(is_host_path(host), "{host}");
        }
        for other in [
            "a.vmdk",
            "/vmfs/volumes/ds/a.vmdk",
            "[ds] a\\b.vmdk",
            "/tmp/a\\b",
            "C:",
        ] {
            assert!(!is_host_path(other), "{other}");
        }
    }

    #[test]
    fn paths_that_leave_the_datastore_are_refused() {
        for inside in [
            "[ds] a/../b.iso",
            "[ds] a/b/../../c",
            "[ds] ./x",
            "[ds] a/./b/..",
            "[ds] ..x/y..",
            "[ds] /abs/x",
        ] {
            assert!(DatastorePath::parse(inside).is_ok(), "{inside}");
        }
        for leaving in [
            "[LocalDS_0] ../../tmp/x.iso",
            "[ds] ..",
            "[ds] a/../../etc/passwd",
            "[ds] a/./../..",
            "[ds]../x",
            "[ds/..] x",
            "[..] x",
            "[a/b] c",
        ] {
            let e = DatastorePath::parse(leaving).unwrap_err();
            assert!(
                e.message().contains("leaves its datastore"),
                "{leaving}: {e}"
            );
        }
    }
}
