//! libvirt's error API: the thread-local last error as a C `virError` with malloc'd strings,
//! the per-connection copy, error handlers, and copy/save/free/reset of error objects.

use super::export::{api_name, export};
use super::handles::{ArcHandle, ConnectHandle};
use super::malloc::c_string_or_null;
use super::types::{virConnectPtr, virError, virErrorFunc, virErrorPtr};
use crate::abi::{virErrorLevel, virErrorNumber};
use crate::error::{Domain, Error};
use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::Mutex;

/// An owned `virError` whose strings are malloc'd (C may copy or free them as libvirt's).
pub struct CError(virError);

// SAFETY: the struct owns its strings; the handle pointers in it are always NULL.
unsafe impl Send for CError {}

impl CError {
    pub const fn empty() -> CError {
        CError(blank())
    }

    fn from_error(e: &Error) -> CError {
        let mut c = CError::empty();
        c.0.code = e.code as c_int;
        c.0.domain = e.domain as c_int;
        c.0.level = virErrorLevel::VIR_ERR_ERROR as c_int;
        c.0.message = c_string_or_null(&e.message());
        c.0.str1 = c_string_or_null(e.template());
        c.0.str2 = c_string_or_null(&e.detail);
        c.0.int1 = -1;
        c.0.int2 = -1;
        c
    }

    pub fn is_set(&self) -> bool {
        self.0.code != virErrorNumber::VIR_ERR_OK as c_int
    }

    pub fn as_ptr(&mut self) -> virErrorPtr {
        &mut self.0
    }

    /// Deep copy into a caller's struct, which the caller resets with virResetError.
    ///
    /// # Safety
    /// `to` must point to a writable `virError`.
    unsafe fn copy_into(&self, to: virErrorPtr) {
        // SAFETY: the caller gave a writable struct.
        let to = unsafe { &mut *to };
        *to = virError {
            message: dup(self.0.message),
            str1: dup(self.0.str1),
            str2: dup(self.0.str2),
            str3: dup(self.0.str3),
            ..self.0
        };
    }
}

impl Drop for CError {
    fn drop(&mut self) {
        // SAFETY: our own struct, strings from malloc.
        unsafe { reset(&mut self.0) };
    }
}

const fn blank() -> virError {
    virError {
        code: 0,
        domain: 0,
        message: ptr::null_mut(),
        level: 0,
        conn: ptr::null_mut(),
        dom: ptr::null_mut(),
        str1: ptr::null_mut(),
        str2: ptr::null_mut(),
        str3: ptr::null_mut(),
        int1: 0,
        int2: 0,
        net: ptr::null_mut(),
    }
}

fn dup(s: *const c_char) -> *mut c_char {
    if s.is_null() {
        return ptr::null_mut();
    }
    // SAFETY: our strings are NUL-terminated malloc'd copies.
    unsafe { libc::strdup(s) }
}

/// Frees a `virError`'s strings and zeroes it.
///
/// # Safety
/// Its strings are NULL or malloc'd.
unsafe fn reset(e: &mut virError) {
    for s in [e.message, e.str1, e.str2, e.str3] {
        // SAFETY: NULL or malloc'd, per the contract.
        unsafe { libc::free(s.cast()) };
    }
    *e = blank();
}

thread_local! {
    static LAST: RefCell<CError> = const { RefCell::new(CError::empty()) };
}

struct Handler {
    func: virErrorFunc,
    user_data: *mut c_void,
}
// SAFETY: the user data is only handed back to the handler that came with it.
unsafe impl Send for Handler {}

static HANDLER: Mutex<Handler> = Mutex::new(Handler {
    func: None,
    user_data: ptr::null_mut(),
});

pub fn reset_last_error() {
    LAST.with(|l| *l.borrow_mut() = CError::empty());
}

/// Records an error as the thread's last error (and the connection's), then reports it to the
/// connection's handler, else the global one, else prints it as libvirt's default does.
///
/// The handler may call back into the library (libvirt's handlers read the last error, or
/// make further calls that reset it): no borrow or lock is held while it runs, and it is given
/// a copy that lives until it returns, whatever it does to the thread's last error.
pub fn set_last_error(e: &Error, conn: Option<&ConnectHandle>) {
    LAST.with(|l| *l.borrow_mut() = CError::from_error(e));
    let mut conn_handler = None;
    if let Some(c) = conn {
        let mut errs = c.errors.lock().unwrap_or_else(|p| p.into_inner());
        errs.last = CError::from_error(e);
        if errs.handler.is_some() {
            conn_handler = Some((errs.handler, errs.user_data));
        }
    }
    let (func, data) = conn_handler.unwrap_or_else(|| {
        let h = HANDLER.lock().unwrap_or_else(|p| p.into_inner());
        (h.func, h.user_data)
    });
    let mut reported = CError::from_error(e);
    match func {
        // SAFETY: a handler the caller registered, given an error that outlives the call.
        Some(f) => unsafe { f(data, reported.as_ptr()) },
        None => print_error(&reported.0),
    }
}

fn print_error(e: &virError) {
    if e.message.is_null() {
        return;
    }
    // SAFETY: our own NUL-terminated message.
    let msg = unsafe { CStr::from_ptr(e.message) }.to_string_lossy();
    let origin = domain_name(e.domain);
    eprintln!("libvirt: {origin}error : {msg}");
}

/// libvirt's names of the error domains this library reports, as its default handler prints.
fn domain_name(domain: c_int) -> &'static str {
    [
        (Domain::Esx, "ESX Driver "),
        (Domain::Conf, "Config File "),
        (Domain::Domain, "Domain Config "),
        (Domain::Uri, "URI Utils "),
        (Domain::Auth, "Authentication Utils "),
    ]
    .into_iter()
    .find(|(d, _)| *d as c_int == domain)
    .map_or("", |(_, name)| name)
}

// ---- the exported error API ----

/// The calling thread's last error, or NULL. Owned by the library until the next API call.
#[unsafe(no_mangle)]
pub extern "C" fn virGetLastError() -> virErrorPtr {
    LAST.with(|l| {
        let mut l = l.borrow_mut();
        if l.is_set() {
            l.as_ptr()
        } else {
            ptr::null_mut()
        }
    })
}

/// The last error's message, or "no error"; valid until the next API call on this thread.
#[unsafe(no_mangle)]
pub extern "C" fn virGetLastErrorMessage() -> *const c_char {
    LAST.with(|l| {
        let l = l.borrow();
        if l.is_set() && !l.0.message.is_null() {
            l.0.message.cast_const()
        } else {
            c"no error".as_ptr()
        }
    })
}

/// The calling thread's last error number (VIR_ERR_OK when none), as libvirt.
#[unsafe(no_mangle)]
pub extern "C" fn virGetLastErrorCode() -> c_int {
    LAST.with(|l| l.borrow().0.code)
}

/// The calling thread's last error domain (VIR_FROM_NONE when none), as libvirt.
#[unsafe(no_mangle)]
pub extern "C" fn virGetLastErrorDomain() -> c_int {
    LAST.with(|l| l.borrow().0.domain)
}

/// Clears the calling thread's last error, as libvirt.
#[unsafe(no_mangle)]
pub extern "C" fn virResetLastError() {
    reset_last_error();
}

/// Copies the last error into `to` (reset it later with virResetError); returns its code.
///
/// # Safety
/// `to` is NULL or points to a writable `virError`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virCopyLastError(to: virErrorPtr) -> c_int {
    if to.is_null() {
        return -1;
    }
    LAST.with(|l| {
        let l = l.borrow();
        // SAFETY: `to` is writable per the contract.
        unsafe { l.copy_into(to) };
        l.0.code
    })
}

/// A malloc'd copy of the last error (code VIR_ERR_OK when there is none); free with virFreeError.
#[unsafe(no_mangle)]
pub extern "C" fn virSaveLastError() -> virErrorPtr {
    // SAFETY: calloc'd memory sized for a virError, zero being a valid empty error.
    let to = unsafe { libc::calloc(1, std::mem::size_of::<virError>()) }.cast::<virError>();
    if !to.is_null() {
        // SAFETY: freshly allocated and writable.
        unsafe { virCopyLastError(to) };
    }
    to
}

/// Frees the strings of an error object and zeroes it.
///
/// # Safety
/// `err` is NULL or a `virError` filled by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virResetError(err: virErrorPtr) {
    if !err.is_null() {
        // SAFETY: a writable virError filled by us, so its strings are malloc'd.
        let err = unsafe { &mut *err };
        // SAFETY: as above.
        unsafe { reset(err) };
    }
}

/// Frees an error object from virSaveLastError.
///
/// # Safety
/// `err` is NULL or a pointer returned by virSaveLastError.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virFreeError(err: virErrorPtr) {
    if !err.is_null() {
        // SAFETY: from virSaveLastError, so a live virError.
        let e = unsafe { &mut *err };
        // SAFETY: its strings are malloc'd copies.
        unsafe { reset(e) };
        // SAFETY: the struct itself was calloc'd by virSaveLastError.
        unsafe { libc::free(err.cast()) };
    }
}

/// Sets the process-wide error handler; NULL restores printing to stderr.
#[unsafe(no_mangle)]
pub extern "C" fn virSetErrorFunc(userData: *mut c_void, handler: virErrorFunc) {
    *HANDLER.lock().unwrap_or_else(|p| p.into_inner()) = Handler {
        func: handler,
        user_data: userData,
    };
}

/// libvirt's default handler: prints the error to stderr.
///
/// # Safety
/// `err` is NULL or a valid `virError`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virDefaultErrorFunc(err: virErrorPtr) {
    if !err.is_null() {
        // SAFETY: valid per the contract.
        print_error(unsafe { &*err });
    }
}

/// The connection's last error, or NULL (deprecated in libvirt: not thread safe).
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnGetLastError(conn: virConnectPtr) -> virErrorPtr {
    // SAFETY: NULL or a connection from this library, per the contract.
    match unsafe { ConnectHandle::borrow(conn, api_name!()) } {
        Ok(c) => {
            let mut errs = c.errors.lock().unwrap_or_else(|p| p.into_inner());
            if errs.last.is_set() {
                errs.last.as_ptr()
            } else {
                ptr::null_mut()
            }
        }
        Err(_) => ptr::null_mut(),
    }
}

/// Clears the connection's last error, as libvirt.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnResetLastError(conn: virConnectPtr) {
    // SAFETY: NULL or a connection from this library, per the contract.
    if let Ok(c) = unsafe { ConnectHandle::borrow(conn, api_name!()) } {
        c.errors.lock().unwrap_or_else(|p| p.into_inner()).last = CError::empty();
    }
}

/// Copies the connection's last error into `to`, as libvirt; its code (0 when none).
///
/// # Safety
/// `conn` is NULL or a connection from this library; `to` NULL or a writable `virError`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnCopyLastError(conn: virConnectPtr, to: virErrorPtr) -> c_int {
    if to.is_null() {
        return -1;
    }
    // SAFETY: NULL or a connection from this library, per the contract.
    match unsafe { ConnectHandle::borrow(conn, api_name!()) } {
        Ok(c) => {
            let errs = c.errors.lock().unwrap_or_else(|p| p.into_inner());
            // SAFETY: `to` is writable per the contract.
            unsafe { errs.last.copy_into(to) };
            errs.last.0.code
        }
        Err(_) => -1,
    }
}

/// Sets the connection's error handler (NULL restores the default), as libvirt.
///
/// # Safety
/// `conn` is NULL or a connection from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virConnSetErrorFunc(
    conn: virConnectPtr,
    userData: *mut c_void,
    handler: virErrorFunc,
) {
    export!(conn conn, (), |c| {
        let mut errs = c.errors.lock().unwrap_or_else(|p| p.into_inner());
        errs.handler = handler;
        errs.user_data = userData;
        Ok(())
    })
}
