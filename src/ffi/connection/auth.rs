//! `virConnectAuth` callbacks as the driver's `Authenticator`, and libvirt's default
//! authenticator (`virConnectAuthPtrDefault`) that asks on the terminal.

use crate::abi::virConnectCredentialType as Cred;
use crate::driver::Connection;
use crate::driver::connection::auth::{Authenticator, CredRequest};
use crate::error::{Code, Domain, Error, Result};
use crate::ffi::types::{
    _virConnectAuth, virConnectAuth, virConnectAuthCallbackPtr, virConnectAuthPtr,
    virConnectCredential, virConnectCredentialPtr,
};
use secrecy::SecretString;
use std::ffi::{CStr, CString, c_int, c_uint, c_void};
use std::io::{BufRead, Write};
use std::sync::Arc;
use zeroize::Zeroize;

/// The credential types the ESX driver asks for, as `virConnectCredential.type` carries them.
const CRED_AUTHNAME: c_int = Cred::VIR_CRED_AUTHNAME as c_int;
const CRED_PASSPHRASE: c_int = Cred::VIR_CRED_PASSPHRASE as c_int;
const CRED_NOECHOPROMPT: c_int = Cred::VIR_CRED_NOECHOPROMPT as c_int;

/// A caller's `virConnectAuth`, valid for the duration of the open call.
pub struct CAuth(pub *const virConnectAuth);

// SAFETY: used only on the calling thread, during virConnectOpenAuth.
unsafe impl Send for CAuth {}
// SAFETY: as Send: never shared beyond the open call.
unsafe impl Sync for CAuth {}

impl CAuth {
    fn auth(&self) -> &virConnectAuth {
        // SAFETY: non-NULL (checked when built) and alive during the open call.
        unsafe { &*self.0 }
    }
}

impl Authenticator for CAuth {
    fn kinds(&self) -> Vec<Cred> {
        let a = self.auth();
        if a.credtype.is_null() {
            return Vec::new();
        }
        // SAFETY: libvirt's contract: `credtype` holds `ncredtype` ints.
        let raw = unsafe { std::slice::from_raw_parts(a.credtype, a.ncredtype as usize) };
        raw.iter().filter_map(|t| Cred::from_raw(*t)).collect()
    }

    fn ask(&self, requests: &mut [CredRequest]) -> Result<()> {
        let cb = self
            .auth()
            .cb
            .ok_or_else(|| Error::new(Code::AuthFailed, Domain::Auth, "no auth callback"))?;
        let texts: Vec<[Option<CString>; 3]> = requests
            .iter()
            .map(|r| {
                [
                    CString::new(r.prompt.clone()).ok(),
                    CString::new(r.challenge.clone()).ok(),
                    r.default.clone().and_then(|d| CString::new(d).ok()),
                ]
            })
            .collect();
        let ptr_of = |c: &Option<CString>| c.as_ref().map_or(std::ptr::null(), |c| c.as_ptr());
        let mut creds: Vec<virConnectCredential> = requests
            .iter()
            .zip(&texts)
            .map(|(r, t)| virConnectCredential {
                r#type: r.kind as c_int,
                prompt: ptr_of(&t[0]),
                challenge: ptr_of(&t[1]),
                defresult: ptr_of(&t[2]),
                result: std::ptr::null_mut(),
                resultlen: 0,
            })
            .collect();
        // SAFETY: an array of `ncred` credentials whose strings outlive the call.
        let rc = unsafe {
            cb(
                creds.as_mut_ptr(),
                creds.len() as c_uint,
                self.auth().cbdata,
            )
        };
        let mut answers = creds.iter_mut().map(take_result).collect::<Vec<_>>();
        if rc != 0 {
            return Err(Error::new(
                Code::AuthFailed,
                Domain::Auth,
                "callback refused",
            ));
        }
        for (r, a) in requests.iter_mut().zip(answers.drain(..)) {
            r.answer = a;
        }
        Ok(())
    }
}

/// Moves a callback's malloc'd answer into a secret, wiping and freeing the C copy.
///
/// As in libvirt, `result` is a NUL-terminated string and `resultlen` is not trusted: a
/// `resultlen` larger than the string must not make us read (or wipe) past its end, and a
/// smaller one (0 included) still takes the whole string.
fn take_result(c: &mut virConnectCredential) -> Option<SecretString> {
    if c.result.is_null() {
        return None;
    }
    // SAFETY: the callback put a malloc'd NUL-terminated string at `result`.
    let len = unsafe { libc::strlen(c.result) };
    // SAFETY: `len` bytes before the NUL belong to that string, which is now ours.
    let bytes = unsafe { std::slice::from_raw_parts_mut(c.result.cast::<u8>(), len) };
    let text = String::from_utf8_lossy(bytes).into_owned();
    bytes.zeroize();
    // SAFETY: malloc'd by the callback per libvirt's contract; freed once, here.
    unsafe { libc::free(c.result.cast()) };
    c.result = std::ptr::null_mut();
    c.resultlen = 0;
    Some(SecretString::from(text))
}

// ---- libvirt's default authenticator: prompts on the terminal ----

static mut DEFAULT_CRED_TYPES: [c_int; 3] = [CRED_AUTHNAME, CRED_PASSPHRASE, CRED_NOECHOPROMPT];

static mut DEFAULT_AUTH: virConnectAuth = _virConnectAuth {
    // SAFETY: a static's address; C only reads through it.
    credtype: &raw mut DEFAULT_CRED_TYPES as *mut c_int,
    ncredtype: 3,
    cb: Some(terminal_callback),
    cbdata: std::ptr::null_mut(),
};

/// libvirt's default authentication: asks for each credential on the terminal.
#[unsafe(no_mangle)]
pub static mut virConnectAuthPtrDefault: virConnectAuthPtr = &raw mut DEFAULT_AUTH;

unsafe extern "C" fn terminal_callback(
    cred: virConnectCredentialPtr,
    ncred: c_uint,
    _cbdata: *mut c_void,
) -> c_int {
    if cred.is_null() {
        return -1;
    }
    // SAFETY: the library passes `ncred` credentials.
    let creds = unsafe { std::slice::from_raw_parts_mut(cred, ncred as usize) };
    for c in creds {
        // SAFETY: our own NUL-terminated prompt.
        let prompt = unsafe { CStr::from_ptr(c.prompt) }.to_string_lossy();
        let secret = c.r#type != CRED_AUTHNAME;
        let Some(mut line) = read_terminal(&prompt, secret) else {
            return -1;
        };
        c.result = crate::ffi::malloc::c_string_or_null(&line);
        c.resultlen = line.len() as c_uint;
        line.zeroize();
        if c.result.is_null() {
            return -1;
        }
    }
    0
}

fn read_terminal(prompt: &str, secret: bool) -> Option<String> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{prompt}: ");
    let _ = err.flush();
    let echo_off = secret && set_echo(false);
    let mut line = String::new();
    let ok = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .is_ok_and(|n| n > 0);
    if echo_off {
        set_echo(true);
        let _ = writeln!(err);
    }
    ok.then(|| line.trim_end_matches(['\r', '\n']).to_string())
}

/// Turns terminal echo on or off for stdin; false when stdin is no terminal.
fn set_echo(on: bool) -> bool {
    // SAFETY: termios is plain data; all-zero is a valid value for tcgetattr to fill.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd 0 and a properly sized struct.
    if unsafe { libc::tcgetattr(0, &mut t) } != 0 {
        return false;
    }
    if on {
        t.c_lflag |= libc::ECHO;
    } else {
        t.c_lflag &= !libc::ECHO;
    }
    // SAFETY: fd 0 and the struct tcgetattr filled.
    unsafe { libc::tcsetattr(0, libc::TCSANOW, &t) == 0 }
}

/// A copy of the caller's `virConnectAuth`, kept with the connection for the connections the
/// library opens on its behalf (the destination of a peer-to-peer migration). The callback
/// and its data stay the caller's, as libvirt-python and C callers keep them for the process.
pub struct SavedAuth {
    credtype: Vec<c_int>,
    cb: virConnectAuthCallbackPtr,
    cbdata: *mut c_void,
}

// SAFETY: the callback is a plain C function; its data is the caller's to make thread-safe,
// as for any libvirt callback.
unsafe impl Send for SavedAuth {}
// SAFETY: as Send: the library only reads the copy.
unsafe impl Sync for SavedAuth {}

impl SavedAuth {
    /// Copies `auth` (NULL: nothing to save).
    ///
    /// # Safety
    /// `auth` is NULL or a `virConnectAuth` valid for this call, as virConnectOpenAuth's.
    pub unsafe fn save(auth: virConnectAuthPtr) -> Option<SavedAuth> {
        if auth.is_null() {
            return None;
        }
        let kinds = CAuth(auth)
            .kinds()
            .into_iter()
            .map(|k| k as c_int)
            .collect();
        // SAFETY: non-NULL, and alive during the open call that saves it.
        let a = unsafe { &*auth };
        Some(SavedAuth {
            credtype: kinds,
            cb: a.cb,
            cbdata: a.cbdata,
        })
    }

    /// Opens `uri` asking this callback for what auth.conf and the URI do not give.
    pub fn open(saved: Option<&SavedAuth>, uri: &str) -> Result<Arc<Connection>> {
        let Some(s) = saved else {
            return Connection::open(uri, None, false);
        };
        let mut credtype = s.credtype.clone();
        let auth = virConnectAuth {
            credtype: credtype.as_mut_ptr(),
            ncredtype: credtype.len() as c_uint,
            cb: s.cb,
            cbdata: s.cbdata,
        };
        Connection::open(uri, Some(&CAuth(&auth)), false)
    }
}
