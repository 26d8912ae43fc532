//! The converter's `DatastorePaths` on a live connection: VMX file names ⇄ `[datastore] path`
//! from one read of the host's datastores, and SCSI models from the datastore browser.

use super::connection::Connection;
use super::connection::inventory::Placement;
use crate::error::{Code, Error, Result};
use crate::vi::MoRef;
use crate::vi::data::VmDiskFileInfo;
use crate::vi::methods::DeleteDatastoreFile_Task;
use crate::vi::methods::SearchDatastore_Task;
use crate::vi::property::FilterSpec;
use crate::vi::specs::{
    FileQuery, FileQueryFlags, HostDatastoreBrowserSearchSpec, VmDiskFileQuery,
    VmDiskFileQueryFlags,
};
use crate::vi::types::FromNode;
use crate::vi::views::datastore::DatastoreFacts;
use crate::vmx::Dialect;
use crate::vmx::{DatastorePath, DatastorePaths};
use crate::xml::domain::{Disk, DiskBus, DiskDevice};

const VOLUMES: &str = "/vmfs/volumes/";

/// libvirt's stand-in directory for relative file names of a VMX file whose location is
/// unknown (virConnectDomainXMLFromNative).
const UNKNOWN_DIR: &str = "[?] ?";

/// One datastore the host sees, with every absolute form its files may be named by.
#[derive(Debug, Clone)]
struct KnownDatastore {
    name: String,
    /// The last component of its URL: the VMFS UUID (`/vmfs/volumes/<uuid>`) on ESX.
    volume_id: String,
    /// Host mount paths and the URL's path, without trailing separators.
    prefixes: Vec<String>,
    browser: Option<MoRef>,
}

impl KnownDatastore {
    fn from_facts(f: DatastoreFacts) -> KnownDatastore {
        let url_path = f.url.strip_prefix("ds://").unwrap_or(&f.url);
        let url_path = url_path.trim_end_matches(['/', '\\']);
        let volume_id = url_path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string();
        let mut prefixes: Vec<String> = f
            .mounts
            .iter()
            .map(|m| m.path.trim_end_matches(['/', '\\']).to_string())
            .chain(std::iter::once(url_path.to_string()))
            .filter(|p| p.starts_with('/') || p.contains('\\'))
            .collect();
        prefixes.sort();
        prefixes.dedup();
        KnownDatastore {
            name: f.name,
            volume_id,
            prefixes,
            browser: f.browser,
        }
    }

    /// The rest of `file_name` below one of the datastore's mount paths, `/`-separated.
    fn relative(&self, file_name: &str) -> Option<String> {
        self.prefixes.iter().find_map(|prefix| {
            let rest = file_name.strip_prefix(prefix.as_str())?;
            if !rest.is_empty() && !rest.starts_with(['/', '\\']) {
                return None; // `/vmfs/volumes/ds1` is no prefix of `/vmfs/volumes/ds10/x`
            }
            Some(rest.trim_start_matches(['/', '\\']).replace('\\', "/"))
        })
    }
}

/// The host's datastores as the converter needs them, read once per conversion.
pub struct LiveDatastores<'c> {
    conn: &'c Connection,
    host_name: String,
    datastores: Vec<KnownDatastore>,
    /// `[ds] dir` of the VMX file being read, for its relative file names.
    vmx_dir: Option<String>,
    datacenter_path: Option<String>,
    moref: Option<String>,
}

impl<'c> LiveDatastores<'c> {
    /// Reads the datastores of `hosts` (one round trip): the VM's host, the host a new VM is
    /// placed on, or every host of the scope for a free-standing conversion. `vmx_dir` is
    /// the `[datastore] directory` of the VMX file being converted, `moref` the VM it belongs
    /// to; a free-standing VMX (XMLFromNative) has neither, and its domain XML then carries
    /// no `<vmware:datacenterpath>`/`<vmware:moref>`, as in libvirt.
    pub fn read(
        conn: &'c Connection,
        hosts: &[&Placement],
        vmx_dir: Option<&str>,
        moref: Option<&str>,
    ) -> Result<LiveDatastores<'c>> {
        let ep = &conn.primary;
        let refs: Vec<MoRef> = hosts.iter().map(|p| p.host.clone()).collect();
        let (Some(first), Some(spec)) = (
            hosts.first(),
            FilterSpec::neighbours_of(
                &refs,
                "HostSystem",
                "datastore",
                "Datastore",
                DatastoreFacts::PATHS,
            ),
        ) else {
            return Err(Error::esx(
                Code::OperationInvalid,
                "this connection's scope has no host to read datastores from",
            ));
        };
        let datastores = ep
            .client
            .retrieve(&spec)?
            .iter()
            .filter_map(|oc| DatastoreFacts::from_node(&oc.props))
            .map(KnownDatastore::from_facts)
            .collect();
        Ok(LiveDatastores {
            conn,
            host_name: match hosts {
                [one] => format!("host '{}'", one.host_name),
                _ => "any host of this scope".to_string(),
            },
            datastores,
            vmx_dir: vmx_dir.map(str::to_string),
            datacenter_path: moref.map(|_| first.datacenter_path.clone()),
            moref: moref.map(str::to_string),
        })
    }

    fn by_name(&self, name: &str) -> Result<&KnownDatastore> {
        let mut named = self.datastores.iter().filter(|d| d.name == name);
        let found = named.next();
        if found.is_some() && named.next().is_some() {
            return Err(Error::invalid_arg(format!(
                "Datastore name '{name}' stands for more than one datastore in this scope; \
                 connect to one datacenter"
            )));
        }
        found.ok_or_else(|| {
            let known: Vec<&str> = self.datastores.iter().map(|d| d.name.as_str()).collect();
            Error::internal(format!(
                "Could not find datastore with name '{name}' on {} (it has: {})",
                self.host_name,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// `/vmfs/volumes/<name or uuid>/<path>`; `Ok(None)` for a datastore the host lacks.
    fn parse_volume_path(&self, file_name: &str, rest: &str) -> Result<Option<String>> {
        let Some((volume, path)) = rest.split_once('/').filter(|(v, _)| !v.is_empty()) else {
            return Err(Error::internal(format!(
                "File name '{file_name}' doesn't have expected format '/vmfs/volumes/<datastore>/<path>'"
            )));
        };
        crate::vmx::datastore::check_inside(file_name, volume, path)?;
        Ok(self
            .datastores
            .iter()
            .find(|d| d.name == volume || d.volume_id == volume)
            .map(|d| format!("[{}] {path}", d.name)))
    }

    fn parse_relative(&self, file_name: &str) -> String {
        match self.vmx_dir.as_deref() {
            // The VMX sits at the top of its datastore.
            Some(dir) if dir.ends_with(']') => format!("{dir} {file_name}"),
            Some(dir) => format!("{dir}/{file_name}"),
            None => format!("{UNKNOWN_DIR}/{file_name}"),
        }
    }

    /// The controller type the datastore browser reports for a disk: SearchDatastore_Task
    /// on the disk's directory with a VmDiskFileQuery, as libvirt's FILEINFO lookup.
    fn disk_controller_type(&self, source: &str) -> Result<String> {
        let path = DatastorePath::parse(source)?;
        let ds = self.by_name(&path.datastore)?;
        let browser = ds
            .browser
            .as_ref()
            .ok_or_else(|| Error::internal(format!("Datastore '{}' has no browser", ds.name)))?;
        let file = path
            .directory_and_file
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let folder = if path.directory == path.directory_and_file {
            format!("[{}]", ds.name)
        } else {
            format!("[{}] {}", ds.name, path.directory)
        };
        let search = SearchDatastore_Task {
            this: browser.clone(),
            datastore_path: folder,
            search_spec: Some(HostDatastoreBrowserSearchSpec {
                query: vec![FileQuery::VmDisk(VmDiskFileQuery {
                    details: Some(VmDiskFileQueryFlags {
                        controller_type: Some(true),
                        ..VmDiskFileQueryFlags::default()
                    }),
                })],
                details: Some(FileQueryFlags {
                    file_type: true,
                    ..FileQueryFlags::default()
                }),
                match_pattern: vec![file.to_string()],
                ..HostDatastoreBrowserSearchSpec::default()
            }),
        };
        let result = self.conn.run_task(&self.conn.primary, &search, None)?;
        let info = result
            .as_ref()
            .and_then(|r| {
                r.children_named("file")
                    .filter_map(VmDiskFileInfo::from_node)
                    .find(|f| f.path == file)
            })
            .ok_or_else(|| {
                Error::internal(format!("File '{source}' does not exist on the datastore"))
            })?;
        if info.controller_type.is_empty() {
            return Err(Error::internal(format!(
                "Could not lookup controller model for '{source}'"
            )));
        }
        Ok(info.controller_type)
    }
}

impl DatastorePaths for LiveDatastores<'_> {
    /// libvirt's esxParseVMXFileName, also knowing the `/vmfs/volumes/<name>` form.
    fn parse_file_name(&self, file_name: &str, allow_missing: bool) -> Result<Option<String>> {
        if !file_name.contains(['/', '\\']) {
            return Ok(Some(self.parse_relative(file_name)));
        }
        if let Some(found) = self.datastores.iter().find_map(|d| {
            d.relative(file_name)
                .map(|rest| format!("[{}] {rest}", d.name))
        }) {
            return Ok(Some(found));
        }
        if let Some(rest) = file_name.strip_prefix(VOLUMES) {
            return match self.parse_volume_path(file_name, rest)? {
                Some(source) => Ok(Some(source)),
                None if allow_missing => Ok(None),
                None => {
                    let volume = rest.split('/').next().unwrap_or_default();
                    Err(Error::internal(format!(
                        "File name '{file_name}' refers to non-existing datastore '{volume}'"
                    )))
                }
            };
        }
        if file_name.starts_with('/') {
            return Ok(Some(file_name.to_string()));
        }
        Err(Error::internal(format!(
            "Could not handle file name '{file_name}': it is neither absolute nor a plain file \
             name beside the VMX file"
        )))
    }

    /// libvirt's esxFormatVMXFileName, naming the datastore by its `/vmfs/volumes/<name>`
    /// link rather than by its UUID, so the VMX stays readable.
    fn format_file_name(&self, source: &str) -> Result<String> {
        if let Some(rest) = source.strip_prefix(UNKNOWN_DIR) {
            // What parse_file_name made of a relative name goes back unchanged.
            return match rest.strip_prefix('/') {
                Some(file) if !file.is_empty() && !file.contains('/') => Ok(file.to_string()),
                _ => Err(Error::internal(format!(
                    "File name '{source}' names no datastore; use '[<datastore>] <path>'"
                ))),
            };
        }
        if source.starts_with('[') {
            let path = DatastorePath::parse(source)?;
            let ds = self.by_name(&path.datastore)?;
            return Ok(format!("{VOLUMES}{}/{}", ds.name, path.directory_and_file));
        }
        if source.starts_with('/') {
            return Ok(source.to_string());
        }
        Err(Error::internal(format!(
            "Could not handle file name '{source}': expecting '[<datastore>] <path>' or an \
             absolute path"
        )))
    }

    /// libvirt's esxAutodetectSCSIControllerModel: only file-backed SCSI disks on a datastore
    /// are asked about; anything else leaves the model undetermined.
    fn autodetect_scsi_controller_model(&self, disk: &Disk) -> Result<Option<String>> {
        let source = match &disk.source {
            Some(s)
                if disk.device == DiskDevice::Disk
                    && disk.bus == DiskBus::Scsi
                    && disk.disk_type == "file"
                    && s.starts_with('[') =>
            {
                s
            }
            _ => return Ok(None),
        };
        let controller = self.disk_controller_type(source)?;
        let model = match controller.as_str() {
            "VirtualBusLogicController" => "buslogic",
            "VirtualLsiLogicController" => "lsilogic",
            "VirtualLsiLogicSASController" => "lsisas1068",
            "ParaVirtualSCSIController" => "vmpvscsi",
            other => {
                return Err(Error::internal(format!(
                    "Found unexpected controller model '{other}' for disk '{source}'"
                )));
            }
        };
        Ok(Some(model.to_string()))
    }

    fn datacenter_path(&self) -> Option<&str> {
        self.datacenter_path.as_deref()
    }

    fn moref(&self) -> Option<&str> {
        self.moref.as_deref()
    }

    fn dialect(&self) -> Dialect {
        self.conn.spec.dialect
    }
}

/// The session's FileManager, which makes, moves and deletes datastore files.
pub(crate) fn file_manager(conn: &Connection) -> Result<MoRef> {
    conn.primary
        .client
        .content()
        .file_manager
        .clone()
        .ok_or_else(|| Error::internal("The server has no file manager"))
}

/// Deletes a datastore file or directory (`[ds] path`) of `datacenter`.
pub(crate) fn delete_file(conn: &Connection, ds_path: &str, datacenter: &MoRef) -> Result<()> {
    let delete = DeleteDatastoreFile_Task {
        this: file_manager(conn)?,
        name: ds_path.to_string(),
        datacenter: Some(datacenter.clone()),
    };
    conn.run_task(&conn.primary, &delete, None).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vi::data::DatastoreHostMount;

    fn known(name: &str, url: &str, mounts: &[&str]) -> KnownDatastore {
        KnownDatastore::from_facts(DatastoreFacts {
            name: name.into(),
            url: url.into(),
            mounts: mounts
                .iter()
                .map(|p| DatastoreHostMount {
                    host: None,
                    path: p.to_string(),
                })
                .collect(),
            browser: None,
        })
    }

    #[test]
    fn volume_id_and_prefixes_come_from_url_and_mounts() {
        let d = known(
            "ds1",
            "ds:///vmfs/volumes/5e1c-77/",
            &["/vmfs/volumes/5e1c-77"],
        );
        assert_eq!(d.volume_id, "5e1c-77");
        assert_eq!(d.prefixes, vec!["/vmfs/volumes/5e1c-77".to_string()]);
        assert_eq!(
            d.relative("/vmfs/volumes/5e1c-77/vm/a.vmdk").as_deref(),
            Some("vm/a.vmdk")
        );
        assert_eq!(d.relative("/vmfs/volumes/5e1c-770/vm/a.vmdk"), None);
    }

    #[test]
    fn windows_mount_paths_become_slashes() {
        let d = known("gsx", "", &["C:\\Virtual Machines\\"]);
        assert_eq!(
            d.relative("C:\\Virtual Machines\\vm\\a.vmdk").as_deref(),
            Some("vm/a.vmdk")
        );
    }
}
