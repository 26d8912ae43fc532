//! A volume's bytes streamed over the datastore's HTTP interface (`/folder`, with the session
//! cookie) in constant memory: downloads read the answer as the caller asks, uploads feed a
//! PUT through a small bounded queue and land under a temporary name until they succeed.
//!
//! A VMDK volume's bytes are its disk's: the flat extent (`disk-flat.vmdk`), the raw image
//! that `qemu-img convert -f raw` reads and that an upload of a raw image replaces.

use super::pools::Pool;
use super::volumes::{Volume, VolumeKind};
use crate::driver::Connection;
use crate::driver::connection::inventory::Placement;
use crate::error::{Code, Error, Result};
use crate::log::log;
use crate::vi::files::folder_path;
use crate::vi::methods::MoveDatastoreFile_Task;
use crate::vmx::DatastorePath;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// The largest piece of data queued at once, and how many pieces the queue holds: an upload
/// buffers at most 4 MiB whatever the caller sends.
const PIECE: usize = 1 << 20;
const QUEUED: usize = 4;

/// The file that holds a volume's bytes: a disk's flat extent, or the file itself. An iSCSI
/// LUN is no file the host serves.
fn data_file(vol: &Volume) -> Result<String> {
    Ok(match vol.kind {
        VolumeKind::Lun { .. } => {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "Streaming iSCSI LUN '{}' is not supported: the host serves datastore files only",
                    vol.name
                ),
            ));
        }
        VolumeKind::Disk => match vol.name.rsplit_once('.') {
            Some((stem, _)) => format!("{stem}-flat.vmdk"),
            None => format!("{}-flat.vmdk", vol.name),
        },
        _ => vol.name.clone(),
    })
}

fn transfer_error(what: &str, detail: impl std::fmt::Display) -> Error {
    Error::internal(format!("Could not complete transfer: {what}: {detail}"))
}

/// A download in progress.
pub struct Download {
    body: ureq::BodyReader<'static>,
    _made: Option<MadeFile>,
}

/// A file made only to be downloaded (a screenshot), removed when its download ends however
/// it ends: read to the end, stopped, or its stream freed.
pub struct MadeFile {
    pub conn: Arc<Connection>,
    /// `[datastore] dir/file`.
    pub path: String,
    pub at: Placement,
}

impl Drop for MadeFile {
    fn drop(&mut self) {
        if let Err(e) = self.conn.delete_file(&self.path, &self.at.datacenter) {
            log!(Warning, &[], "could not remove {}: {e}", self.path);
        }
    }
}

impl Download {
    /// From `offset`, `length` bytes (0: to the end).
    pub fn start(
        conn: &Connection,
        pool: &Pool,
        vol: &Volume,
        offset: u64,
        length: u64,
    ) -> Result<Download> {
        let file = data_file(vol)?;
        let url = folder_path(&pool.datacenter_path, &pool.name, &file);
        let range = match (offset, length) {
            (0, 0) => None,
            (o, 0) => Some(format!("bytes={o}-")),
            (o, n) => Some(format!("bytes={o}-{}", o.saturating_add(n - 1))),
        };
        let (status, body) = conn
            .primary
            .client
            .transport()
            .get_reader(&url, range.as_deref())?;
        match status {
            200 | 206 => Ok(Download { body, _made: None }),
            404 => Err(Error::esx(
                Code::NoStorageVol,
                format!("[{}] {file} is not on the datastore", pool.name),
            )),
            416 => Err(Error::invalid_arg(format!(
                "offset {offset} is beyond the end of volume '{}'",
                vol.path()
            ))),
            s => Err(transfer_error(
                &vol.path(),
                format!("unexpected HTTP response code {s}"),
            )),
        }
    }

    /// All of a file made for the caller, which goes when the download ends.
    pub fn made(made: MadeFile) -> Result<Download> {
        let p = DatastorePath::parse(&made.path)?;
        let url = folder_path(
            &made.at.datacenter_path,
            &p.datastore,
            &p.directory_and_file,
        );
        let (status, body) = made
            .conn
            .primary
            .client
            .transport()
            .get_reader(&url, None)?;
        match status {
            200 => Ok(Download {
                body,
                _made: Some(made),
            }),
            s => Err(transfer_error(
                &made.path,
                format!("unexpected HTTP response code {s}"),
            )),
        }
    }

    /// `buf` filled (less only at the end of the data); 0 at the end. Filling it whole keeps
    /// the caller's calls few: the HTTP reader hands over at most its own buffer at a time.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        let mut at = 0;
        while at < buf.len() {
            match self.body.read(&mut buf[at..]) {
                Ok(0) => break,
                Ok(n) => at += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(transfer_error("download", e)),
            }
        }
        Ok(at)
    }
}

/// The PUT's body: the queued pieces in order, ending when the sender is dropped, failing
/// when the sender gives up (an abort must not complete the file). Spent pieces go back to
/// the sender to be filled again: fresh buffers of this size would be new pages each time.
struct Pieces {
    rx: Receiver<Option<Vec<u8>>>,
    spent: SyncSender<Vec<u8>>,
    piece: Vec<u8>,
    at: usize,
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.piece.len() {
            match self.rx.recv() {
                Ok(Some(p)) => {
                    let done = std::mem::replace(&mut self.piece, p);
                    let _ = self.spent.try_send(done);
                    self.at = 0;
                }
                Ok(None) => return Err(io::Error::other("the upload was aborted")),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.piece.len() - self.at);
        buf[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// An upload in progress: written to `<file>.part`, moved over the file on `finish`.
pub struct Upload {
    conn: Arc<Connection>,
    pool: Pool,
    file: String,
    temp: String,
    tx: Option<SyncSender<Option<Vec<u8>>>>,
    spent: Receiver<Vec<u8>>,
    put: Option<JoinHandle<Result<u16>>>,
    sent: u64,
    length: Option<u64>,
}

impl Upload {
    /// The whole volume, `length` bytes (0: as many as are sent). The datastore's HTTP
    /// interface writes whole files, so `offset` must be 0.
    pub fn start(
        conn: Arc<Connection>,
        pool: &Pool,
        vol: &Volume,
        offset: u64,
        length: u64,
    ) -> Result<Upload> {
        if offset != 0 {
            return Err(Error::esx(
                Code::NoSupport,
                "virStorageVolUpload at an offset is not supported: the datastore's HTTP \
                 interface writes whole files",
            ));
        }
        let file = data_file(vol)?;
        let temp = format!("{file}.part");
        let (tx, rx) = sync_channel(QUEUED);
        let (spent_tx, spent) = sync_channel(QUEUED + 2);
        let body = Pieces {
            rx,
            spent: spent_tx,
            piece: Vec::new(),
            at: 0,
        };
        let url = folder_path(&pool.datacenter_path, &pool.name, &temp);
        let length = (length > 0).then_some(length);
        let worker = conn.clone();
        let put = std::thread::Builder::new()
            .name("libvirt-esx-upload".into())
            .spawn(move || {
                let reply = worker
                    .primary
                    .client
                    .transport()
                    .put_reader(&url, body, length)?;
                Ok(reply.status)
            })
            .map_err(|e| Error::internal(format!("Could not start the upload: {e}")))?;
        Ok(Upload {
            conn,
            pool: pool.clone(),
            file,
            temp,
            tx: Some(tx),
            spent,
            put: Some(put),
            sent: 0,
            length,
        })
    }

    /// Queues `data` (blocking while the queue is full); all of it is taken.
    pub fn send(&mut self, data: &[u8]) -> Result<usize> {
        if let Some(n) = self.length
            && self.sent + data.len() as u64 > n
        {
            return Err(Error::invalid_arg(format!(
                "more than the {n} bytes announced were sent to the upload"
            )));
        }
        let tx = self
            .tx
            .as_ref()
            .ok_or_else(|| Error::internal("Stream is not open"))?;
        for piece in data.chunks(PIECE) {
            let mut buf = self.spent.try_recv().unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(piece);
            if tx.send(Some(buf)).is_err() {
                // The PUT ended early: its own error says why.
                return Err(self.end().err().unwrap_or_else(|| {
                    transfer_error(&self.target(), "the server stopped reading")
                }));
            }
        }
        self.sent += data.len() as u64;
        Ok(data.len())
    }

    fn target(&self) -> String {
        format!("[{}] {}", self.pool.name, self.file)
    }

    /// Ends the PUT (the body ends when the queue's sender goes) and reads its status.
    fn end(&mut self) -> Result<()> {
        self.tx = None;
        let status = match self.put.take() {
            Some(put) => put
                .join()
                .map_err(|_| Error::internal("the upload thread failed"))??,
            None => return Err(Error::internal("Stream is not open")),
        };
        match status {
            200 | 201 | 204 => Ok(()),
            s => Err(transfer_error(
                &self.target(),
                format!("unexpected HTTP response code {s}"),
            )),
        }
    }

    /// Completes the upload: the data in place of the file, once all announced bytes came.
    pub fn finish(mut self) -> Result<()> {
        if let Some(n) = self.length
            && self.sent != n
        {
            let e = Error::invalid_arg(format!(
                "the upload ended after {} of the {n} bytes announced",
                self.sent
            ));
            self.abort();
            return Err(e);
        }
        if let Err(e) = self.end() {
            self.remove_temp();
            return Err(e);
        }
        let moved = self.conn.run_task(
            &self.conn.primary,
            &MoveDatastoreFile_Task {
                this: self.conn.file_manager()?,
                source_name: format!("[{}] {}", self.pool.name, self.temp),
                source_datacenter: Some(self.pool.datacenter.clone()),
                destination_name: self.target(),
                destination_datacenter: Some(self.pool.datacenter.clone()),
                force: Some(true),
            },
            None,
        );
        if let Err(e) = moved {
            self.remove_temp();
            return Err(transfer_error(&self.target(), e.detail));
        }
        Ok(())
    }

    /// Stops the upload; the file stays as it was and the partial data is removed.
    pub fn abort(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.try_send(None);
        }
        if let Some(put) = self.put.take() {
            let _ = put.join();
            self.remove_temp();
        }
    }

    fn remove_temp(&self) {
        let temp = format!("[{}] {}", self.pool.name, self.temp);
        let _ = self.conn.delete_file(&temp, &self.pool.datacenter);
    }
}

impl Drop for Upload {
    /// An upload dropped before `finish` (its stream freed unfinished) is aborted.
    fn drop(&mut self) {
        self.abort();
    }
}
