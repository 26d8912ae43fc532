//! Datastore file transfer over HTTP (`/folder/<path>?dcPath=…&dsName=…`) with the session
//! cookie: download and upload of small files such as VMX configurations.

use super::Client;
use super::error::{Error, ErrorKind, Result};

/// Percent-encodes everything but RFC 3986's unreserved characters (and `/` when asked).
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `/folder` URL path and query of `path` on datastore `datastore` of a datacenter.
pub fn folder_path(datacenter_path: &str, datastore: &str, path: &str) -> String {
    format!(
        "/folder/{}?dcPath={}&dsName={}",
        encode(path.trim_start_matches('/'), true),
        encode(datacenter_path, false),
        encode(datastore, false)
    )
}

/// A read of a datastore file answered: the data, or why not.
fn read_status(status: u16, datastore: &str, path: &str) -> Result<()> {
    match status {
        200 | 206 => Ok(()),
        404 => Err(Error::new(
            ErrorKind::FileNotFound,
            format!("[{datastore}] {path} does not exist on the datastore"),
        )),
        s => Err(Error::new(
            ErrorKind::Http(s),
            format!("{s} (HTTP response code {s} when reading [{datastore}] {path})"),
        )),
    }
}

impl Client {
    /// Reads a datastore file; a missing one is `FileNotFound`.
    pub fn download(&self, datacenter_path: &str, datastore: &str, path: &str) -> Result<Vec<u8>> {
        let url = folder_path(datacenter_path, datastore, path);
        let reply = self.transport().get(&url)?;
        read_status(reply.status, datastore, path)?;
        Ok(reply.body)
    }

    /// The first `max` bytes (at most) of a datastore file: a disk's descriptor, which is small
    /// unless the file is a hosted disk with its data, of which no more than that is read.
    pub fn read_head(
        &self,
        datacenter_path: &str,
        datastore: &str,
        path: &str,
        max: u64,
    ) -> Result<Vec<u8>> {
        let url = folder_path(datacenter_path, datastore, path);
        let range = format!("bytes=0-{}", max.saturating_sub(1));
        let (status, body) = self.transport().get_reader(&url, Some(&range))?;
        read_status(status, datastore, path)?;
        let mut head = Vec::new();
        std::io::Read::read_to_end(&mut std::io::Read::take(body, max), &mut head).map_err(
            |e| {
                Error::new(
                    ErrorKind::Transport,
                    format!("reading [{datastore}] {path}: {e}"),
                )
            },
        )?;
        Ok(head)
    }

    /// Writes a datastore file, replacing it if present.
    pub fn upload(
        &self,
        datacenter_path: &str,
        datastore: &str,
        path: &str,
        body: &[u8],
    ) -> Result<()> {
        let url = folder_path(datacenter_path, datastore, path);
        let reply = self.transport().put(&url, body)?;
        match reply.status {
            200 | 201 | 204 => Ok(()),
            s => Err(Error::new(
                ErrorKind::Http(s),
                format!("{s} (HTTP response code {s} when writing [{datastore}] {path})"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_urls_encode_like_vsphere_expects() {
        assert_eq!(
            folder_path("Folder 1/DC0", "Local DS", "vm 1/vm+1.vmx"),
            "/folder/vm%201/vm%2B1.vmx?dcPath=Folder%201%2FDC0&dsName=Local%20DS"
        );
    }
}
