//! A volume's bytes streamed over the datastore's HTTP interface (`/folder`, with the session
//! cookie) in constant memory: a thread per transfer moves the bytes between the HTTP body and
//! a small bounded pipe the caller reads or fills, so stopping never waits on the server; an
//! upload lands under a temporary name no volume can have and replaces the file once complete.
//!
//! A VMDK volume's bytes are its disk's: the flat extent (`disk-flat.vmdk`), the raw image
//! that `qemu-img convert -f raw` reads and that an upload of a raw image replaces.

pub use super::pipe::Watcher;
use super::pipe::{Pipe, Reader};
use super::pool::PoolFacts;
use super::volumes::{VolumeFacts, VolumeKind};
use crate::driver::Connection;
use crate::driver::connection::inventory::Placement;
use crate::driver::datastores::delete_file;
use crate::driver::datastores::file_manager;
use crate::error::{Code, Error, Result};
use crate::log::log;
use crate::vi::files::folder_path;
use crate::vi::methods::MoveDatastoreFile_Task;
use crate::vi::property::FilterSpec;
use crate::vi::views::vm::{DEVICES, POWER_STATE};
use crate::vmx::DatastorePath;
use std::hash::{BuildHasher, RandomState};
use std::io::{self, Read};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// How often, and how far apart, an aborted upload's partial file is removed before it is left.
const CLEANUP_TRIES: usize = 20;
const CLEANUP_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// The largest piece of data queued at once: with the pipe's depth, a transfer buffers at most
/// a few MiB whatever the caller sends or asks for.
const PIECE: usize = 1 << 20;
/// Why a stopped transfer stopped, when the caller stopped it.
pub(crate) const ABORTED: &str = "the stream was aborted";

/// The file that holds a volume's bytes: a disk's flat extent, or the file itself. An iSCSI
/// LUN is no file the host serves.
fn data_file(vol: &VolumeFacts) -> Result<String> {
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

/// A download in progress: a thread reads the answer into the pipe, the caller takes it.
pub struct Download {
    pipe: Arc<Pipe>,
    reader: Reader,
    /// The datastore path read, for errors.
    target: String,
}

/// A file made only to be downloaded (a screenshot), removed when its download ends however
/// it ends: read to the end, stopped, or its stream freed.
pub(crate) struct MadeFile {
    pub(crate) conn: Arc<Connection>,
    /// `[datastore] dir/file`.
    pub(crate) path: String,
    pub(crate) at: Placement,
}

impl Drop for MadeFile {
    fn drop(&mut self) {
        if let Err(e) = delete_file(&self.conn, &self.path, &self.at.datacenter) {
            log!(Warning, &[], "could not remove {}: {e}", self.path);
        }
    }
}

/// The HTTP range of `length` bytes from `offset` (0: to the end, as is a length reaching
/// past the largest offset a server takes, which is a signed 64-bit number).
fn range(offset: u64, length: u64) -> Option<String> {
    let last = length
        .checked_sub(1)
        .and_then(|n| offset.checked_add(n))
        .filter(|l| i64::try_from(*l).is_ok());
    match (offset, last) {
        (0, None) => None,
        (o, None) => Some(format!("bytes={o}-")),
        (o, Some(last)) => Some(format!("bytes={o}-{last}")),
    }
}

impl Download {
    /// From `offset`, `length` bytes (0: to the end).
    pub fn start(
        conn: &Connection,
        pool: &PoolFacts,
        vol: &VolumeFacts,
        offset: u64,
        length: u64,
    ) -> Result<Download> {
        // libvirt counts a download among the calls a read-only connection may not make.
        conn.check_writable("virStorageVolDownload")?;
        let file = data_file(vol)?;
        let url = folder_path(&pool.datacenter_path, &pool.name, &file);
        let (status, body) = conn
            .primary
            .client
            .transport()
            .get_reader(&url, range(offset, length).as_deref())?;
        match status {
            200 | 206 => Download::pump(body, None, vol.path()),
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
    pub(crate) fn made(made: MadeFile) -> Result<Download> {
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
            200 => {
                let target = made.path.clone();
                Download::pump(body, Some(made), target)
            }
            s => Err(transfer_error(
                &made.path,
                format!("unexpected HTTP response code {s}"),
            )),
        }
    }

    /// Starts the thread that reads `body` into the pipe until its end, a failure, or a stop.
    /// A file made for the download stays while the caller's stream is open and goes, from
    /// this thread, once the caller drops it (the caller never waits on the removal).
    fn pump(
        mut body: ureq::BodyReader<'static>,
        made: Option<MadeFile>,
        target: String,
    ) -> Result<Download> {
        let pipe = Arc::new(Pipe::default());
        let fill = pipe.clone();
        std::thread::Builder::new()
            .name("libvirt-esx-download".into())
            .spawn(move || {
                let made = made;
                let mut got: u64 = 0;
                loop {
                    let mut buf = fill.spare();
                    buf.resize(PIECE, 0);
                    // What one read gives is passed on at once: a slow server's bytes reach
                    // the caller as they come.
                    let n = match read_some(&mut body, &mut buf) {
                        Ok(n) => n,
                        // A server that restarts or drops the connection ends the body early.
                        Err(e) => {
                            return fill.stop(&format!(
                                "the server stopped sending after {got} bytes ({e})"
                            ));
                        }
                    };
                    if n == 0 {
                        fill.close();
                        if made.is_some() {
                            fill.wait_stopped();
                        }
                        return;
                    }
                    got += n as u64;
                    buf.truncate(n);
                    if fill.push(buf).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| Error::internal(format!("Could not start the download: {e}")))?;
        Ok(Download {
            reader: Reader::new(pipe.clone()),
            pipe,
            target,
        })
    }

    /// Tells `w` of each change of what `try_recv` would find.
    pub fn watch(&self, w: Option<Watcher>) {
        self.pipe.watch(w);
    }

    /// What stops this download from any thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.pipe.clone())
    }

    /// `buf` filled (less only at the end of the data); 0 at the end. Filling it whole keeps
    /// the caller's calls few.
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize> {
        let mut at = 0;
        while at < buf.len() {
            match self.reader.read_some(&mut buf[at..]) {
                Ok(0) => break,
                Ok(n) => at += n,
                Err(why) => return Err(transfer_error(&self.target, why)),
            }
        }
        Ok(at)
    }

    /// As `recv` without waiting: what has arrived, up to `buf.len()` bytes (0 at the end);
    /// `None` when nothing has.
    pub fn try_recv(&mut self, buf: &mut [u8]) -> Result<Option<usize>> {
        if !self.reader.ready() {
            return Ok(None);
        }
        let mut at = 0;
        while at < buf.len() && self.reader.ready() {
            match self.reader.read_some(&mut buf[at..]) {
                Ok(0) => break,
                Ok(n) => at += n,
                Err(why) if at == 0 => return Err(transfer_error(&self.target, why)),
                // What was read is the caller's; the error comes with the next call.
                Err(_) => break,
            }
        }
        Ok(Some(at))
    }

    /// Whether `try_recv` has something to say (data, the end, or an error).
    pub fn readable(&self) -> bool {
        self.reader.ready()
    }

    /// Ends the download: an error when it was aborted.
    pub fn finish(self) -> Result<()> {
        match self.pipe.stopped() {
            Some(why) if why == ABORTED => Err(transfer_error(&self.target, why)),
            _ => Ok(()),
        }
    }
}

impl Drop for Download {
    /// A download dropped before its end stops its thread, which ends at once or, stalled on a
    /// quiet server, at the connection's timeout.
    fn drop(&mut self) {
        self.pipe.stop(ABORTED);
    }
}

/// One read into `buf`: what is there, at least a byte, or 0 at the end.
fn read_some(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Stops a transfer from any thread, without waiting for the call that may be using it.
#[derive(Clone)]
pub struct Stopper(Arc<Pipe>);

impl Stopper {
    /// What stops the transfer through `pipe`.
    pub(crate) fn of(pipe: Arc<Pipe>) -> Stopper {
        Stopper(pipe)
    }

    /// Aborts the transfer, as `virStreamAbort` does: the calls on it fail with "the stream
    /// was aborted", now and later.
    pub fn stop(&self) {
        self.0.stop(ABORTED);
    }
}

/// The volumes this process is uploading into (server, datacenter, datastore, file): a
/// second upload of one volume is refused while the first runs.
static UPLOADING: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// One volume's place in `UPLOADING`, given up when the upload goes.
struct Busy(String);

impl Busy {
    fn claim(key: String, target: &str) -> Result<Busy> {
        let mut all = UPLOADING.lock().unwrap_or_else(|p| p.into_inner());
        if all.contains(&key) {
            return Err(Error::esx(
                Code::OperationInvalid,
                format!("an upload into {target} is already in progress"),
            ));
        }
        all.push(key.clone());
        Ok(Busy(key))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut all = UPLOADING.lock().unwrap_or_else(|p| p.into_inner());
        all.retain(|k| *k != self.0);
    }
}

/// A temporary name beside `file` that no volume can have (volumes end in their type's
/// suffix, this in `.part`) and no other upload picks (a random token).
fn temp_name(file: &str) -> String {
    let token = RandomState::new().hash_one((file, std::process::id(), std::time::Instant::now()));
    format!("{file}.{token:016x}.part")
}

/// An upload in progress: a thread PUTs the pipe's pieces to a temporary file, moved over the
/// volume's file on `finish`.
pub struct Upload {
    conn: Arc<Connection>,
    pool: PoolFacts,
    file: String,
    temp: String,
    pipe: Arc<Pipe>,
    put: Option<JoinHandle<Result<u16>>>,
    sent: u64,
    length: Option<u64>,
    _busy: Busy,
}

impl Upload {
    /// `length` bytes into the volume from its start (0: as many as are sent). The datastore's
    /// HTTP interface writes whole files, so `offset` must be 0, and a disk, which an upload
    /// must never shorten or grow, takes exactly its capacity and only while no VM has it open
    /// and no snapshot builds on it.
    pub fn start(
        conn: Arc<Connection>,
        pool: &PoolFacts,
        vol: &VolumeFacts,
        offset: u64,
        length: u64,
    ) -> Result<Upload> {
        conn.check_writable("virStorageVolUpload")?;
        if offset != 0 {
            return Err(Error::esx(
                Code::NoSupport,
                format!(
                    "virStorageVolUpload at an offset is not supported: the datastore's HTTP \
                     interface writes whole files, so an upload into '{}' starts at offset 0",
                    vol.path()
                ),
            ));
        }
        let file = data_file(vol)?;
        let length = match vol.kind {
            VolumeKind::Disk => {
                if length != 0 && length != vol.capacity {
                    return Err(Error::esx(
                        Code::NoSupport,
                        format!(
                            "an upload into disk volume '{}' must write all of its {} bytes: \
                             the datastore's HTTP interface replaces whole files, and a disk's \
                             data must keep its size (use virStorageVolResize to change it)",
                            vol.path(),
                            vol.capacity
                        ),
                    ));
                }
                disk_not_in_use(&conn, pool, vol)?;
                Some(vol.capacity)
            }
            _ => (length > 0).then_some(length),
        };
        let target = format!("[{}] {file}", pool.name);
        let busy = Busy::claim(
            format!(
                "{}\n{}\n{}\n{file}",
                conn.primary.client.transport().base_url(),
                pool.datacenter_path,
                pool.name
            ),
            &target,
        )?;
        let temp = temp_name(&file);
        let pipe = Arc::new(Pipe::default());
        let body = Reader::new(pipe.clone());
        let url = folder_path(&pool.datacenter_path, &pool.name, &temp);
        let (worker, fill) = (conn.clone(), pipe.clone());
        let put = std::thread::Builder::new()
            .name("libvirt-esx-upload".into())
            .spawn(move || {
                let reply = worker
                    .primary
                    .client
                    .transport()
                    .put_reader(&url, body, length);
                // However the PUT ended, it takes nothing more: the caller's sends end.
                fill.stop(match &reply {
                    Ok(_) => "the server ended the upload",
                    Err(_) => "the upload failed",
                });
                Ok(reply?.status)
            })
            .map_err(|e| Error::internal(format!("Could not start the upload: {e}")))?;
        Ok(Upload {
            conn,
            pool: pool.clone(),
            file,
            temp,
            pipe,
            put: Some(put),
            sent: 0,
            length,
            _busy: busy,
        })
    }

    /// What stops this upload from any thread.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.pipe.clone())
    }

    /// Tells `w` of each change of what `try_send` would meet.
    pub fn watch(&self, w: Option<Watcher>) {
        self.pipe.watch(w);
    }

    /// Queues `data` (waiting while the pipe is full); all of it is taken.
    pub fn send(&mut self, data: &[u8]) -> Result<usize> {
        if let Some(n) = self.length
            && self.sent.saturating_add(data.len() as u64) > n
        {
            return Err(Error::invalid_arg(format!(
                "more than the {n} bytes announced were sent to the upload"
            )));
        }
        if self.put.is_none() {
            return Err(Error::internal("Stream is not open"));
        }
        for piece in data.chunks(PIECE) {
            let mut buf = self.pipe.spare();
            buf.extend_from_slice(piece);
            if let Err(why) = self.pipe.push(buf) {
                // The PUT is over unless the caller stopped it: its own error says why.
                if why != ABORTED {
                    self.end()?;
                }
                return Err(transfer_error(&self.target(), why));
            }
        }
        self.sent += data.len() as u64;
        Ok(data.len())
    }

    /// As `send` without waiting: the bytes queued now (at most a piece), `None` while the
    /// pipe is full.
    pub fn try_send(&mut self, data: &[u8]) -> Result<Option<usize>> {
        if !self.pipe.can_fill() {
            return Ok(None);
        }
        // Only the caller fills the pipe, so one piece fits without waiting.
        self.send(&data[..data.len().min(PIECE)]).map(Some)
    }

    /// Whether `try_send` would take data (or say why it cannot).
    pub fn writable(&self) -> bool {
        self.pipe.can_fill()
    }

    fn target(&self) -> String {
        format!("[{}] {}", self.pool.name, self.file)
    }

    /// The temporary file, `[datastore] dir/file.<token>.part`.
    fn temp_path(&self) -> String {
        format!("[{}] {}", self.pool.name, self.temp)
    }

    /// Ends the PUT (the body ends once the pipe is emptied) and reads its status.
    fn end(&mut self) -> Result<()> {
        self.pipe.close();
        let status = match self.put.take() {
            Some(put) => put
                .join()
                .map_err(|_| Error::internal("the upload thread failed"))??,
            None => return Err(Error::internal("Stream is not open")),
        };
        if self.pipe.stopped().as_deref() == Some(ABORTED) {
            return Err(transfer_error(&self.target(), ABORTED));
        }
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
                this: file_manager(&self.conn)?,
                source_name: self.temp_path(),
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

    /// Stops the upload without waiting: the file stays as it was, and the partial data is
    /// removed by a thread of its own once the PUT is over (at once, or for a server that
    /// stopped reading, at the connection's timeout).
    pub fn abort(&mut self) {
        self.pipe.stop(ABORTED);
        if let Some(put) = self.put.take() {
            let (conn, temp, datacenter) = (
                self.conn.clone(),
                self.temp_path(),
                self.pool.datacenter.clone(),
            );
            let cleanup = move || {
                let _ = put.join();
                // The server's side of the PUT may still be creating the file when this side
                // has ended (its handler runs on): the removal is tried again for a while.
                for _ in 0..CLEANUP_TRIES {
                    if delete_file(&conn, &temp, &datacenter).is_ok() {
                        return;
                    }
                    std::thread::sleep(CLEANUP_PAUSE);
                }
            };
            if let Err(e) = std::thread::Builder::new()
                .name("libvirt-esx-upload-end".into())
                .spawn(cleanup)
            {
                log!(Warning, &[], "could not remove the partial upload: {e}");
            }
        }
    }

    fn remove_temp(&self) {
        let _ = delete_file(&self.conn, &self.temp_path(), &self.pool.datacenter);
    }
}

impl Drop for Upload {
    /// An upload dropped before `finish` (its stream freed unfinished) is aborted.
    fn drop(&mut self) {
        self.abort();
    }
}

/// Refuses an upload into a disk that a VM has open (powered on or suspended) or that a
/// snapshot builds on (a delta disk names it as its parent): replacing its data would pull it
/// from under the guest or the snapshot chain. One read of the VMs on its datastore.
fn disk_not_in_use(conn: &Connection, pool: &PoolFacts, vol: &VolumeFacts) -> Result<()> {
    let path = vol.path();
    let spec = FilterSpec::neighbours(
        pool.moref.clone(),
        "Datastore",
        "vm",
        "VirtualMachine",
        &["name", POWER_STATE, "snapshot", DEVICES],
    );
    for oc in conn.primary.client.retrieve(&spec)? {
        let text = |p: &str| oc.props.text_at(p).unwrap_or("").trim().to_string();
        let devices = oc.props.path("config.hardware").into_iter();
        let (mut uses, mut parent) = (false, false);
        for disk in devices.flat_map(|h| h.children_named("device")) {
            // The disk's own file, then the parents its delta disks build on.
            let chain = std::iter::successors(disk.child("backing"), |b| b.child("parent"));
            for (depth, b) in chain.enumerate() {
                match b.text_at("fileName").map(str::trim) == Some(path.as_str()) {
                    true if depth == 0 => uses = true,
                    true => parent = true,
                    false => {}
                }
            }
        }
        let name = text("name");
        let refuse = |why: &str| {
            Err(Error::esx(
                Code::OperationInvalid,
                format!("cannot upload into disk volume '{path}': {why}"),
            ))
        };
        if parent || (uses && oc.props.path("snapshot").is_some()) {
            return refuse(&format!("a snapshot of VM '{name}' builds on it"));
        }
        if uses && text(POWER_STATE) != "poweredOff" {
            return refuse(&format!(
                "VM '{name}' has it open ({}); power the VM off first",
                text(POWER_STATE)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_past_the_largest_offset_reads_to_the_end() {
        assert_eq!(range(0, 0), None);
        assert_eq!(range(0, u64::MAX), None);
        assert_eq!(
            range(0, 1 << 63).as_deref(),
            Some("bytes=0-9223372036854775807")
        );
        assert_eq!(range(1, u64::MAX).as_deref(), Some("bytes=1-"));
        assert_eq!(range(5, 0).as_deref(), Some("bytes=5-"));
        assert_eq!(range(10, 5).as_deref(), Some("bytes=10-14"));
    }

    #[test]
    fn temporary_names_are_never_volumes_and_never_repeat() {
        let (a, b) = (temp_name("d/c.iso"), temp_name("d/c.iso"));
        assert!(
            a.starts_with("d/c.iso.") && a.ends_with(".part") && a != b,
            "{a} {b}"
        );
    }
}
