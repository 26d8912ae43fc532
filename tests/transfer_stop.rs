//! Transfers whose server stops: a download that sends its headers and goes quiet, an upload
//! whose server stops reading. Through the C exports, as a C program calls them: Abort from
//! another thread returns at once and ends the blocked Recv or Send; with no Abort, the blocked
//! call fails at the connection's `timeout=`; Free returns at once.

mod common;

use common::injector::{Action, Injector};
use common::{Sim, answer_root};
use std::ffi::{CString, c_char, c_int};
use std::ptr;
use std::time::{Duration, Instant};
use virt_esx::ffi::connection::{virConnectClose, virConnectOpenAuth};
use virt_esx::ffi::error::virGetLastErrorMessage;
use virt_esx::ffi::storage::pool::{virStoragePoolFree, virStoragePoolLookupByName};
use virt_esx::ffi::storage::transfer::{
    virStorageVolDownload, virStorageVolUpload, virStreamAbort, virStreamFree, virStreamNew,
    virStreamRecv, virStreamSend,
};
use virt_esx::ffi::storage::volumes::{virStorageVolCreateXML, virStorageVolFree};
use virt_esx::ffi::types::{virConnectAuth, virConnectPtr, virStorageVolPtr, virStreamPtr};

/// Raw pointers moved into the thread that blocks on them.
struct Send<T>(T);
// SAFETY: the library's handles may be used from any thread.
unsafe impl<T> std::marker::Send for Send<T> {}

fn last_error() -> String {
    // SAFETY: the library's own message, or NULL.
    let p = virGetLastErrorMessage();
    if p.is_null() {
        return String::new();
    }
    // SAFETY: NUL-terminated, alive until the next error of this thread.
    unsafe { std::ffi::CStr::from_ptr(p) }
        .to_string_lossy()
        .into_owned()
}

/// A connection through the injector with a 2 s `timeout=`, and an empty ISO volume.
fn setup(inj: &Injector) -> (virConnectPtr, virStorageVolPtr) {
    let uri = CString::new(inj.uri("esx", "/?timeout=2")).unwrap();
    let mut kinds = [
        virt_esx::abi::enums::virConnectCredentialType::VIR_CRED_AUTHNAME as c_int,
        virt_esx::abi::enums::virConnectCredentialType::VIR_CRED_PASSPHRASE as c_int,
    ];
    let mut auth = virConnectAuth {
        credtype: kinds.as_mut_ptr(),
        ncredtype: 2,
        cb: Some(answer_root),
        cbdata: ptr::null_mut(),
    };
    // SAFETY: valid strings and auth for the call.
    unsafe {
        let conn = virConnectOpenAuth(uri.as_ptr(), &mut auth, 0);
        assert!(!conn.is_null(), "{}", last_error());
        let pool = virStoragePoolLookupByName(conn, c"LocalDS_0".as_ptr());
        let xml = c"<volume><name>stall/x.iso</name><capacity>0</capacity></volume>";
        let vol = virStorageVolCreateXML(pool, xml.as_ptr(), 0);
        assert!(!vol.is_null(), "{}", last_error());
        virStoragePoolFree(pool);
        (conn, vol)
    }
}

/// Runs `call` on another thread; its result and how long it took.
fn blocked(
    call: impl FnOnce() -> c_int + std::marker::Send + 'static,
) -> std::thread::JoinHandle<(c_int, Duration, String)> {
    std::thread::spawn(move || {
        let start = Instant::now();
        let rc = call();
        (rc, start.elapsed(), last_error())
    })
}

fn recv_all(stream: virStreamPtr) -> c_int {
    let mut buf = vec![0 as c_char; 65536];
    loop {
        // SAFETY: a live stream and a buffer of the size given.
        let n = unsafe { virStreamRecv(stream, buf.as_mut_ptr(), buf.len()) };
        if n <= 0 {
            return n;
        }
    }
}

fn send_all(stream: virStreamPtr) -> c_int {
    let buf = vec![1 as c_char; 1 << 20];
    loop {
        // SAFETY: a live stream and a buffer of the size given.
        let n = unsafe { virStreamSend(stream, buf.as_ptr(), buf.len()) };
        if n < 0 {
            return n;
        }
    }
}

/// Binds a new stream to the volume, as a download or an upload.
fn stream(conn: virConnectPtr, vol: virStorageVolPtr, upload: bool) -> virStreamPtr {
    // SAFETY: live handles.
    unsafe {
        let s = virStreamNew(conn, 0);
        let rc = match upload {
            true => virStorageVolUpload(vol, s, 0, 0, 0),
            false => virStorageVolDownload(vol, s, 0, 0, 0),
        };
        assert_eq!(rc, 0, "{}", last_error());
        s
    }
}

#[test]
fn a_stalled_transfer_stops_at_once_on_abort_and_by_itself_at_the_timeout() {
    let sim = Sim::start(&["-mode", "esx", "-http"]);
    let inj = Injector::start(&sim.addr);
    let (conn, vol) = setup(&inj);
    for upload in [false, true] {
        let what = if upload { "upload" } else { "download" };
        let line = if upload {
            "PUT /folder/"
        } else {
            "GET /folder/"
        };

        // Abort from another thread: the blocked call ends at once, and so do Abort and Free.
        inj.add(line, 1, Action::Stall(Duration::from_secs(60)));
        let s = stream(conn, vol, upload);
        let p = Send(s);
        let t = blocked(move || {
            let p = p;
            if upload { send_all(p.0) } else { recv_all(p.0) }
        });
        std::thread::sleep(Duration::from_millis(800));
        let start = Instant::now();
        // SAFETY: a live stream, also used by the blocked thread.
        assert_eq!(unsafe { virStreamAbort(s) }, 0);
        let aborted = start.elapsed();
        let (rc, _, msg) = t.join().unwrap();
        let ended = start.elapsed();
        // SAFETY: the test's reference, given up.
        assert_eq!(unsafe { virStreamFree(s) }, 0);
        let freed = start.elapsed();
        assert!(rc < 0 && msg.contains("aborted"), "{what}: {rc} {msg}");
        eprintln!("{what}: abort {aborted:?}, blocked call ended {ended:?}, freed {freed:?}");
        assert!(
            aborted < Duration::from_millis(500)
                && ended < Duration::from_secs(1)
                && freed < Duration::from_secs(1),
            "{what}: abort {aborted:?}, blocked call ended {ended:?}, freed {freed:?}"
        );

        // No Abort: the blocked call fails by itself at the connection's 2 s timeout.
        inj.add(line, 1, Action::Stall(Duration::from_secs(60)));
        let s = stream(conn, vol, upload);
        let p = Send(s);
        let (rc, took, msg) = blocked(move || {
            let p = p;
            if upload { send_all(p.0) } else { recv_all(p.0) }
        })
        .join()
        .unwrap();
        let start = Instant::now();
        // SAFETY: the test's reference, given up.
        assert_eq!(unsafe { virStreamFree(s) }, 0);
        assert!(start.elapsed() < Duration::from_secs(1));
        eprintln!("{what} with no abort failed after {took:?}");
        assert!(rc < 0, "{what}: {rc}");
        assert!(
            took >= Duration::from_millis(1500) && took < Duration::from_secs(20),
            "{what} failed after {took:?}: {msg}"
        );
    }
    // SAFETY: the test's references, given up.
    unsafe {
        virStorageVolFree(vol);
        virConnectClose(conn);
    }
}
