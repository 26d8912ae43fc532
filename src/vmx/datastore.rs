//! How VMX file names map to libvirt disk sources: the `DatastorePaths` trait a caller
//! implements (libvirt's virVMXContext) and the `[datastore] path` syntax.

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
}

/// The parts of a `[datastore] directory/file` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatastorePath {
    pub datastore: String,
    /// Everything before the last `/` of the path (all of it when there is no `/`).
    pub directory: String,
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
}
