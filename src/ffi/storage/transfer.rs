//! virStream* exports and virStorageVolUpload/Download: streams whose data flows between the
//! caller and the datastore's HTTP interface piece by piece (see `driver::storage::transfer`);
//! a non-blocking one answers -2 where a blocking one would wait (its events: `stream_events`).

use crate::driver::storage::transfer::{Download, Upload};
use crate::error::{Code, Error, Result};
use crate::ffi::args::flags;
use crate::ffi::export::{api_name, export, null_arg};
use crate::ffi::handles::{ArcHandle, ConnectHandle, StreamHandle, Transfer};
use crate::ffi::types::{
    virConnectPtr, virStorageVolPtr, virStreamPtr, virStreamSinkFunc, virStreamSourceFunc,
};
use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void};
use std::ptr;
use std::sync::{Arc, MutexGuard, TryLockError};

/// The piece `SendAll`/`RecvAll` move at a time (libvirt's 262120-byte message payload).
const ALL_PIECE: usize = 262_120;

/// The caller's buffer as bytes.
fn as_bytes(buf: &mut [c_char]) -> &mut [u8] {
    // SAFETY: the same memory, as bytes (c_char and u8 have one size and alignment).
    unsafe { std::slice::from_raw_parts_mut(buf.as_mut_ptr().cast::<u8>(), buf.len()) }
}

fn transfer(s: &StreamHandle) -> MutexGuard<'_, Transfer> {
    s.transfer.lock().unwrap_or_else(|p| p.into_inner())
}

fn not_bound() -> Error {
    Error::esx(
        Code::NoSupport,
        "the stream carries no transfer yet; bind it with virStorageVolUpload, \
         virStorageVolDownload, virDomainScreenshot or virDomainOpenConsole",
    )
}

fn closed() -> Error {
    Error::internal("Stream is not open")
}

/// libvirt's answer of a non-blocking call that would wait.
const WOULD_BLOCK: c_int = -2;

/// Why the stream cannot move data the way asked (`other`: what it carries instead).
fn unusable(t: &Transfer, other: &str) -> Error {
    match t {
        Transfer::Idle => not_bound(),
        Transfer::Closed => closed(),
        _ => Error::invalid_arg(other.to_string()),
    }
}

/// What virStreamSend answers: the bytes taken, or -2 where a non-blocking stream would wait.
fn send(s: &StreamHandle, data: &[u8]) -> Result<c_int> {
    let data = &data[..data.len().min(c_int::MAX as usize)];
    let t = &mut *transfer(s);
    let n = match t {
        Transfer::Up(up) if s.nonblocking => up.try_send(data)?,
        Transfer::Up(up) => Some(up.send(data)?),
        Transfer::Socket(sock) => Some(sock.send(data)?),
        t => return Err(unusable(t, "Not an upload stream")),
    };
    Ok(n.map_or(WOULD_BLOCK, |n| n as c_int))
}

/// What virStreamRecv answers: the bytes read (0 at the end), or -2 where a non-blocking
/// stream would wait.
fn recv(s: &StreamHandle, buf: &mut [u8]) -> Result<c_int> {
    let t = &mut *transfer(s);
    let n = match t {
        Transfer::Down(down) if s.nonblocking => down.try_recv(buf)?,
        Transfer::Down(down) => Some(down.recv(buf)?),
        Transfer::Socket(sock) if s.nonblocking => sock.try_recv(buf)?,
        Transfer::Socket(sock) => Some(sock.recv(buf)?),
        t => return Err(unusable(t, "Not a download stream")),
    };
    Ok(n.map_or(WOULD_BLOCK, |n| n as c_int))
}

/// Tells `w` of each change of the stream's transfer (a non-blocking stream's events).
pub(crate) fn watch(s: &StreamHandle, w: Option<crate::driver::storage::transfer::Watcher>) {
    transfer(s).watch(w);
}

/// SendAll and RecvAll loop until the end, which a non-blocking stream cannot.
fn blocking_only(s: &StreamHandle, what: &str) -> Result<()> {
    if s.nonblocking {
        return Err(Error::esx(
            Code::OperationInvalid,
            format!("{what} cannot be used for non-blocking streams"),
        ));
    }
    Ok(())
}

/// Ends the transfer: an upload completed (or an error), a download stopped.
fn finish(t: &mut Transfer) -> Result<()> {
    match std::mem::replace(t, Transfer::Closed) {
        Transfer::Up(up) => up.finish(),
        Transfer::Down(down) => down.finish(),
        Transfer::Socket(sock) => sock.finish(),
        Transfer::Idle => {
            *t = Transfer::Idle;
            Err(not_bound())
        }
        Transfer::Closed => Err(closed()),
    }
}

/// Stops the transfer; an upload leaves the volume as it was.
fn abort(t: &mut Transfer) {
    if let Transfer::Up(mut up) = std::mem::replace(t, Transfer::Closed) {
        up.abort();
    }
}

/// A stream, blocking or (`VIR_STREAM_NONBLOCK`) not.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamNew(conn: virConnectPtr, flags: c_uint) -> virStreamPtr {
    export!(conn conn, ptr::null_mut(), |c| {
        let flags = flags!(flags as crate::abi::flags::StreamFlags)?;
        let nonblocking = flags.contains(crate::abi::flags::StreamFlags::NONBLOCK);
        Ok(StreamHandle::into_c(c.stream(nonblocking)))
    })
}

/// Sends `nbytes` of `data`; blocks while the transfer's small queue is full (a non-blocking
/// stream answers -2 instead).
///
/// # Safety
/// `stream` is NULL or a stream from this library; `data` NULL or `nbytes` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamSend(
    stream: virStreamPtr,
    data: *const c_char,
    nbytes: usize,
) -> c_int {
    export!(stream stream, -1, |s| {
        let data = crate::ffi::args::in_slice!(data, nbytes)?;
        // SAFETY: the same memory, as bytes (c_char and u8 have one size and alignment).
        let bytes = unsafe { std::slice::from_raw_parts(data.as_ptr().cast::<u8>(), data.len()) };
        send(s, bytes)
    })
}

/// Receives up to `nbytes` into `data`; 0 at the end of the data (a non-blocking stream
/// answers -2 while nothing has arrived).
///
/// # Safety
/// `stream` is NULL or a stream from this library; `data` NULL or `nbytes` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamRecv(
    stream: virStreamPtr,
    data: *mut c_char,
    nbytes: usize,
) -> c_int {
    export!(stream stream, -1, |s| {
        let buf = crate::ffi::args::out_slice!(data, nbytes.min(c_int::MAX as usize))?;
        recv(s, as_bytes(buf))
    })
}

/// As virStreamRecv; no flag is known (holes need sparse streams, which ESX has not).
///
/// # Safety
/// `stream` is NULL or a stream from this library; `data` NULL or `nbytes` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamRecvFlags(
    stream: virStreamPtr,
    data: *mut c_char,
    nbytes: usize,
    flags: c_uint,
) -> c_int {
    export!(stream stream, -1, |s| {
        flags!(flags as crate::abi::flags::NoFlags)?;
        let buf = crate::ffi::args::out_slice!(data, nbytes.min(c_int::MAX as usize))?;
        recv(s, as_bytes(buf))
    })
}

/// Sends everything `handler` produces until it returns 0; a negative return aborts.
///
/// # Safety
/// `stream` is NULL or a stream from this library; `handler` a valid callback or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamSendAll(
    stream: virStreamPtr,
    handler: virStreamSourceFunc,
    opaque: *mut c_void,
) -> c_int {
    export!(stream stream, -1, |s| {
        let handler = handler.ok_or_else(|| null_arg("handler", api_name!()))?;
        blocking_only(s, "data sources")?;
        let mut buf = vec![0u8; ALL_PIECE];
        loop {
            // SAFETY: the caller's callback, given a buffer of the size it is told.
            let got = unsafe { handler(stream, buf.as_mut_ptr().cast(), buf.len(), opaque) };
            if got < 0 {
                abort(&mut transfer(s));
                return Err(Error::esx(
                    Code::InternalError,
                    "the data source of virStreamSendAll failed; the stream was aborted",
                ));
            }
            if got == 0 {
                return Ok(0);
            }
            let n = (got as usize).min(buf.len());
            send(s, &buf[..n])?;
        }
    })
}

/// Hands everything received to `handler` until the end of the data; a negative return aborts.
///
/// # Safety
/// `stream` is NULL or a stream from this library; `handler` a valid callback or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamRecvAll(
    stream: virStreamPtr,
    handler: virStreamSinkFunc,
    opaque: *mut c_void,
) -> c_int {
    export!(stream stream, -1, |s| {
        let handler = handler.ok_or_else(|| null_arg("handler", api_name!()))?;
        blocking_only(s, "data sinks")?;
        let mut buf = vec![0u8; ALL_PIECE];
        loop {
            let n = recv(s, &mut buf)? as usize;
            if n == 0 {
                return Ok(0);
            }
            let mut at = 0;
            while at < n {
                // SAFETY: the caller's callback, given `n - at` readable bytes.
                let took = unsafe { handler(stream, buf[at..].as_ptr().cast(), n - at, opaque) };
                if took <= 0 {
                    abort(&mut transfer(s));
                    return Err(Error::esx(
                        Code::InternalError,
                        "the data sink of virStreamRecvAll failed; the stream was aborted",
                    ));
                }
                at += (took as usize).min(n - at);
            }
        }
    })
}

/// Completes the transfer: an upload is in place only once this succeeds.
///
/// # Safety
/// `stream` is NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamFinish(stream: virStreamPtr) -> c_int {
    export!(stream stream, -1, |s| finish(&mut transfer(s)).map(|()| 0))
}

/// Stops the transfer at once, from any thread; an upload leaves the volume as it was.
///
/// # Safety
/// `stream` is NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamAbort(stream: virStreamPtr) -> c_int {
    export!(stream stream, -1, |s| {
        let stopper = s.stopper.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(stop) = stopper {
            stop.stop();
        }
        // A call waiting on another thread holds the transfer: the stop ends it at once, with
        // an error, and the transfer goes with the stream.
        match s.transfer.try_lock() {
            Ok(mut t) => abort(&mut t),
            Err(TryLockError::Poisoned(p)) => abort(&mut p.into_inner()),
            Err(TryLockError::WouldBlock) => {}
        }
        Ok(0)
    })
}

/// Takes another reference on the stream; no round trip.
///
/// # Safety
/// `stream` is NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamRef(stream: virStreamPtr) -> c_int {
    export!(stream stream, -1, |s| {
        s.add_ref();
        Ok(0)
    })
}

/// Drops a reference; the last one frees the stream, aborting an unfinished upload.
///
/// # Safety
/// `stream` is NULL or a stream from this library, not used after its last reference.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStreamFree(stream: virStreamPtr) -> c_int {
    export!(-1, || {
        // SAFETY: per this export's contract.
        unsafe { StreamHandle::borrow(stream, api_name!()) }?;
        // SAFETY: borrowed above; the caller's reference, given up here.
        unsafe { StreamHandle::release(stream) };
        Ok(0)
    })
}

/// Binds `stream` to `vol`'s bytes, and checks the pair as libvirt does.
/// Binds a new transfer to an idle stream of `conn`, the connection of `owner` (named in
/// errors); `start` makes the transfer once the stream is known to fit.
pub(crate) fn bind(
    conn: &Arc<ConnectHandle>,
    owner: &str,
    stream: virStreamPtr,
    api: &str,
    start: impl FnOnce() -> Result<Transfer>,
) -> Result<c_int> {
    // SAFETY: per the calling export's contract.
    let s = unsafe { StreamHandle::borrow(stream, api) }?;
    if !Arc::ptr_eq(&s.conn, conn) {
        return Err(Error::invalid_arg(format!(
            "stream in {api} must match connection of {owner}"
        )));
    }
    let mut t = transfer(s);
    if !matches!(*t, Transfer::Idle) {
        return Err(Error::esx(
            Code::OperationInvalid,
            "the stream already carries a transfer; use a new stream",
        ));
    }
    *t = start()?;
    *s.stopper.lock().unwrap_or_else(|p| p.into_inner()) = t.stopper();
    // An event callback registered before the transfer was bound watches it from now on.
    if let Some(ev) = &*s.events.lock().unwrap_or_else(|p| p.into_inner()) {
        t.watch(Some(ev.rearm.clone()));
        (ev.rearm)();
    }
    Ok(0)
}

/// Streams `length` bytes (0: all) from `offset` of the volume: a disk's flat extent (its raw
/// image), any other file as it is.
///
/// # Safety
/// `vol` is NULL or a volume from this library; `stream` NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolDownload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    export!(vol vol, write, -1, |v| {
        flags!(flags as crate::abi::flags::NoFlags)?;
        bind(&v.conn, &format!("volume '{}'", v.vol.facts().name), stream, api_name!(), || {
            Download::start(v.vol.conn(), v.vol.pool(), v.vol.facts(), offset, length).map(|d| Transfer::Down(Box::new(d)))
        })
    })
}

/// Replaces the volume's bytes with what the stream sends (a disk's: its flat extent), in
/// place once virStreamFinish succeeds; `length` 0 means as much as is sent.
///
/// # Safety
/// `vol` is NULL or a volume from this library; `stream` NULL or a stream from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virStorageVolUpload(
    vol: virStorageVolPtr,
    stream: virStreamPtr,
    offset: c_ulonglong,
    length: c_ulonglong,
    flags: c_uint,
) -> c_int {
    export!(vol vol, write, -1, |v| {
        flags!(flags as crate::abi::flags::NoFlags)?;
        bind(&v.conn, &format!("volume '{}'", v.vol.facts().name), stream, api_name!(), || {
            Upload::start(v.vol.conn().clone(), v.vol.pool(), v.vol.facts(), offset, length).map(|up| Transfer::Up(Box::new(up)))
        })
    })
}
