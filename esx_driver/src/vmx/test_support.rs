//! A fixed `DatastorePaths` for tests and benchmarks: the mapping libvirt's own converter
//! tests assume, standing in for lookups against a host's real datastores.

use super::datastore::{DatastorePath, DatastorePaths};
use super::{Dialect, vmx_error};
use crate::error::Result;
use crate::xml::domain::Disk;

const VOLUMES: &str = "/vmfs/volumes/";

/// Maps `/vmfs/volumes/<ds>/<path>` ⇄ `[<ds>] <path>`, bare names into
/// `[datastore] directory`, keeps other absolute paths, and treats a datastore called
/// `missing` or a file starting with `missing` as absent. SCSI models autodetect as
/// `lsilogic`.
#[derive(Debug, Clone, Default)]
pub struct StandInDatastores {
    /// The datacenter the paths are under (`dcPath` of the file URLs), if any.
    pub datacenter_path: Option<String>,
    /// The VMX dialect the files are written in.
    pub dialect: Dialect,
}

impl DatastorePaths for StandInDatastores {
    fn parse_file_name(&self, file_name: &str, allow_missing: bool) -> Result<Option<String>> {
        if let Some(rest) = file_name.strip_prefix(VOLUMES) {
            let Some((datastore, path)) = rest.split_once('/') else {
                return Err(vmx_error(format!(
                    "File name '{file_name}' doesn't have expected format '/vmfs/volumes/<datastore>/<path>'"
                )));
            };
            if datastore.is_empty() {
                return Err(vmx_error(format!(
                    "File name '{file_name}' doesn't have expected format '/vmfs/volumes/<datastore>/<path>'"
                )));
            }
            super::datastore::check_inside(file_name, datastore, path)?;
            if datastore == "missing" || path.starts_with("missing") {
                if allow_missing {
                    return Ok(None);
                }
                return Err(vmx_error(format!("Referenced missing file '{file_name}'")));
            }
            return Ok(Some(format!("[{datastore}] {path}")));
        }
        if file_name.starts_with('/') {
            return Ok(Some(file_name.to_string()));
        }
        if file_name.contains('/') {
            return Err(vmx_error(format!(
                "Could not handle file name '{file_name}'"
            )));
        }
        Ok(Some(format!("[datastore] directory/{file_name}")))
    }

    fn format_file_name(&self, source: &str) -> Result<String> {
        if source.starts_with('[') {
            let path = DatastorePath::parse(source)?;
            // `[ds` without `]` or a file: no file a live host could map either
            if path.directory_and_file.is_empty() {
                return Err(vmx_error(format!("Could not handle file name '{source}'")));
            }
            return Ok(format!(
                "{VOLUMES}{}/{}",
                path.datastore, path.directory_and_file
            ));
        }
        if source.starts_with('/') {
            return Ok(source.to_string());
        }
        Err(vmx_error(format!("Could not handle file name '{source}'")))
    }

    fn autodetect_scsi_controller_model(&self, _disk: &Disk) -> Result<Option<String>> {
        Ok(Some("lsilogic".to_string()))
    }

    fn datacenter_path(&self) -> Option<&str> {
        self.datacenter_path.as_deref()
    }

    fn dialect(&self) -> Dialect {
        self.dialect
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the xml_round_trip fuzz target: `[ds` without `]` became
    /// `/vmfs/volumes/ds/`, which the VMX reader refuses as a hard disk file.
    #[test]
    fn datastore_path_without_a_file_is_an_error() {
        let ctx = StandInDatastores::default();
        assert!(ctx.format_file_name("[datastore a/b.vmdk").is_err());
        assert!(ctx.format_file_name("[datastore] ").is_err());
        // and `/vmfs/volumes//x` names no datastore (vmx_round_trip: it read as `[] x`)
        assert!(ctx.parse_file_name("/vmfs/volumes//x.vmdk", true).is_err());
        assert_eq!(
            ctx.format_file_name("[ds] a/b.vmdk").unwrap(),
            "/vmfs/volumes/ds/a/b.vmdk"
        );
    }
}
