//! Arguments of exports: C strings in, output pointers written only on success, caller-sized
//! buffers, and flag words checked against their typed set; each error names its export.

use super::export::null_arg;
use crate::error::{Code, Domain, Error, Result};
use std::ffi::{CStr, c_char};
use std::ptr::NonNull;

/// An output pointer the caller gave, written once on success.
pub struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// # Safety
    /// `p` is NULL or valid for writing a `T` for the duration of the export.
    pub unsafe fn required(p: *mut T, what: &str, api: &str) -> Result<Out<T>> {
        NonNull::new(p).map(Out).ok_or_else(|| null_arg(what, api))
    }

    /// An output the caller may leave out.
    ///
    /// # Safety
    /// As `required`.
    pub unsafe fn optional(p: *mut T) -> Option<Out<T>> {
        NonNull::new(p).map(Out)
    }

    pub fn set(self, value: T) {
        // SAFETY: writable per the constructor's contract.
        unsafe { self.0.as_ptr().write(value) }
    }

    /// The value the caller put there (for in/out counts such as `nparams`).
    pub fn get(&self) -> T
    where
        T: Copy,
    {
        // SAFETY: valid per the constructor's contract, and initialised by the caller.
        unsafe { self.0.as_ptr().read() }
    }
}

/// A C string argument that may be NULL.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string that outlives the export.
pub unsafe fn opt_str<'a>(p: *const c_char, what: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: NUL-terminated per the contract.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map(Some).map_err(|_| {
        Error::new(
            Code::InvalidArg,
            Domain::None,
            format!("{what} is not UTF-8"),
        )
    })
}

/// A C string argument that must be given.
///
/// # Safety
/// As `opt_str`.
pub unsafe fn req_str<'a>(p: *const c_char, what: &str, api: &str) -> Result<&'a str> {
    // SAFETY: as opt_str.
    unsafe { opt_str(p, what) }?.ok_or_else(|| null_arg(what, api))
}

/// A C string argument that must be given, as its bytes: text whose charset it declares itself
/// (a VMX file's `.encoding`) need not be UTF-8.
///
/// # Safety
/// As `opt_str`.
pub unsafe fn req_bytes<'a>(p: *const c_char, what: &str, api: &str) -> Result<&'a [u8]> {
    if p.is_null() {
        return Err(null_arg(what, api));
    }
    // SAFETY: NUL-terminated per the contract.
    Ok(unsafe { CStr::from_ptr(p) }.to_bytes())
}

/// A caller's buffer of `len` elements, to fill.
///
/// # Safety
/// `p` is NULL or valid for writing `len` elements for the duration of the export.
pub unsafe fn buffer_mut<'a, T>(
    p: *mut T,
    len: usize,
    what: &str,
    api: &str,
) -> Result<&'a mut [T]> {
    if p.is_null() {
        return Err(null_arg(what, api));
    }
    // SAFETY: per the contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(p, len) })
}

/// A caller's array of `len` elements, to read.
///
/// # Safety
/// `p` is NULL or valid for reading `len` elements for the duration of the export.
pub unsafe fn buffer<'a, T>(p: *const T, len: usize, what: &str, api: &str) -> Result<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(null_arg(what, api));
    }
    // SAFETY: per the contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// `in_str!(xml)`: the required string argument `xml`, named by itself in errors.
macro_rules! in_str {
    ($p:ident) => {
        // SAFETY: every export documents its string arguments as NULL or NUL-terminated.
        unsafe { $crate::ffi::args::req_str($p, stringify!($p), $crate::ffi::export::api_name!()) }
    };
}
pub(crate) use in_str;

/// `in_bytes!(config)`: the required string argument `config` as bytes, of any charset.
macro_rules! in_bytes {
    ($p:ident) => {
        // SAFETY: every export documents its string arguments as NULL or NUL-terminated.
        unsafe {
            $crate::ffi::args::req_bytes($p, stringify!($p), $crate::ffi::export::api_name!())
        }
    };
}
pub(crate) use in_bytes;

/// `in_opt_str!(type)`: a string argument that may be NULL.
macro_rules! in_opt_str {
    ($p:ident) => {
        // SAFETY: every export documents its string arguments as NULL or NUL-terminated.
        unsafe { $crate::ffi::args::opt_str($p, stringify!($p)) }
    };
}
pub(crate) use in_opt_str;

/// `out!(info)`: the required output pointer `info`; `out!(reason?)` one that may be NULL.
macro_rules! out {
    ($p:ident ?) => {
        // SAFETY: every export documents its output pointers as NULL or writable.
        unsafe { $crate::ffi::args::Out::optional($p) }
    };
    ($p:ident) => {
        // SAFETY: every export documents its output pointers as NULL or writable.
        unsafe {
            $crate::ffi::args::Out::required($p, stringify!($p), $crate::ffi::export::api_name!())
        }
    };
}
pub(crate) use out;

/// `out_slice!(ids, n)`: the caller's buffer `ids` of `n` elements.
macro_rules! out_slice {
    ($p:ident, $n:expr) => {
        // SAFETY: every export documents its buffers as NULL or holding the given count.
        unsafe {
            $crate::ffi::args::buffer_mut($p, $n, stringify!($p), $crate::ffi::export::api_name!())
        }
    };
}
pub(crate) use out_slice;

/// `in_slice!(params, n)`: the caller's array `params` of `n` elements.
macro_rules! in_slice {
    ($p:ident, $n:expr) => {
        // SAFETY: every export documents its arrays as NULL or holding the given count.
        unsafe {
            $crate::ffi::args::buffer($p, $n, stringify!($p), $crate::ffi::export::api_name!())
        }
    };
}
pub(crate) use in_slice;

/// `flags!(flags as VcpuFlags)`: the typed flag set, refusing unknown bits for this export.
macro_rules! flags {
    ($f:ident as $set:ty) => {
        <$set as $crate::abi::flags::CheckedFlags>::checked($f, $crate::ffi::export::api_name!())
    };
}
pub(crate) use flags;

/// A UUID's text, NUL-padded, into the caller's VIR_UUID_STRING_BUFLEN bytes.
pub fn put_uuid_string(buf: &mut [c_char], uuid: &crate::xml::ids::Uuid) {
    let text = uuid.to_string();
    for (slot, b) in buf.iter_mut().zip(text.bytes().chain(std::iter::repeat(0))) {
        *slot = b as c_char;
    }
}

/// A count argument that must not be negative.
pub fn count(n: std::ffi::c_int, what: &str, api: &str) -> Result<usize> {
    usize::try_from(n)
        .map_err(|_| Error::invalid_arg(format!("{what} in {api} must not be negative")))
}

/// Up to `room` names into the caller's array of C strings (malloc'd; the caller frees each),
/// with libvirt's checks and words: `room` (named `len.1`) not negative, and a NULL array only
/// when no room is asked for. Returns how many were written.
///
/// # Safety
/// `names` is NULL or holds `len.0` writable pointers.
pub unsafe fn write_names(
    names: *mut *mut c_char,
    len: (std::ffi::c_int, &str),
    all: &[&str],
    api: &str,
) -> Result<std::ffi::c_int> {
    let room = usize::try_from(len.0)
        .map_err(|_| Error::invalid_arg(format!("{} in {api} must be zero or greater", len.1)))?;
    if names.is_null() && room > 0 {
        return Err(null_arg("names", api));
    }
    let n = all.len().min(room);
    let copies = all[..n]
        .iter()
        .map(|name| super::malloc::MallocStr::new(name))
        .collect::<Result<Vec<_>>>()?;
    if n > 0 {
        // SAFETY: `names` holds `room` >= `n` pointers, per the contract.
        let out = unsafe { buffer_mut(names, n, "names", api) }?;
        for (slot, name) in out.iter_mut().zip(copies) {
            *slot = name.into_raw();
        }
    }
    Ok(n as std::ffi::c_int)
}

/// `names_out!(names, (maxnames, "maxnames"), &all)`: `write_names` for this export.
macro_rules! names_out {
    ($p:ident, $len:expr, $all:expr) => {
        // SAFETY: every export documents its name arrays as NULL or holding the given count.
        unsafe { $crate::ffi::args::write_names($p, $len, $all, $crate::ffi::export::api_name!()) }
    };
}
pub(crate) use names_out;
