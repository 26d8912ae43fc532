//! Memory handed to C: malloc'd strings and arrays that free themselves unless handed over
//! with `into_raw`, so a failure half-way through building an answer leaks nothing.

use crate::error::{Code, Domain, Error, Result};
use std::ffi::c_char;
use std::ptr::NonNull;

fn no_memory(what: &str) -> Error {
    Error::new(Code::NoMemory, Domain::None, what.to_string())
}

/// A malloc'd NUL-terminated copy of a string, for C to `free()`.
pub struct MallocStr(NonNull<c_char>);

impl MallocStr {
    /// Copies `s`; an interior NUL ends the C string.
    pub fn new(s: &str) -> Result<MallocStr> {
        let bytes = s.as_bytes();
        let len = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
        let mut arr = MallocArray::<u8>::zeroed(len + 1)?;
        arr.as_mut_slice()[..len].copy_from_slice(&bytes[..len]);
        Ok(MallocStr(arr.into_non_null().cast()))
    }

    pub fn into_raw(self) -> *mut c_char {
        let p = self.0.as_ptr();
        std::mem::forget(self);
        p
    }
}

impl Drop for MallocStr {
    fn drop(&mut self) {
        // SAFETY: malloc'd by `new` and not handed over.
        unsafe { libc::free(self.0.as_ptr().cast()) }
    }
}

/// A malloc'd copy, or NULL when out of memory: for places that must not fail themselves
/// (an error report, an answer handed to a C callback's caller).
pub fn c_string_or_null(s: &str) -> *mut c_char {
    MallocStr::new(s).map_or(std::ptr::null_mut(), MallocStr::into_raw)
}

/// A string result C frees with `free()`.
pub fn owned_c_string(s: &str) -> Result<*mut c_char> {
    MallocStr::new(s).map(MallocStr::into_raw)
}

/// Element types for which all-zero bytes are a valid value, so a calloc'd array is initialised.
///
/// # Safety
/// Only for integers, raw pointers and C structs made of those.
pub unsafe trait ZeroValid: Copy {}
// SAFETY: integers and raw pointers are valid when zero.
unsafe impl ZeroValid for u8 {}
// SAFETY: as above.
unsafe impl ZeroValid for std::ffi::c_int {}
// SAFETY: as above.
unsafe impl<T> ZeroValid for *mut T {}
// SAFETY: C structs of integers, pointers and a union of those.
unsafe impl ZeroValid for super::types::virTypedParameter {}
// SAFETY: as above.
unsafe impl ZeroValid for super::types::virDomainInterface {}
// SAFETY: as above.
unsafe impl ZeroValid for super::types::virDomainIPAddress {}
// SAFETY: pointers and a count, all valid as zero.
unsafe impl ZeroValid for super::types::virDomainFSInfo {}
// SAFETY: as above.
unsafe impl ZeroValid for super::types::virDomainStatsRecord {}

/// A malloc'd, zero-filled array of `len` elements (at least one is allocated, so the
/// pointer is never NULL), for C to `free()`.
pub struct MallocArray<T: ZeroValid> {
    ptr: NonNull<T>,
    len: usize,
}

impl<T: ZeroValid> MallocArray<T> {
    pub fn zeroed(len: usize) -> Result<MallocArray<T>> {
        // SAFETY: calloc checks the size product for overflow.
        let p = unsafe { libc::calloc(len.max(1), std::mem::size_of::<T>()) }.cast::<T>();
        let ptr = NonNull::new(p).ok_or_else(|| no_memory("array"))?;
        Ok(MallocArray { ptr, len })
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: `len` elements are ours, initialised because zero is valid for `T`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    fn into_non_null(self) -> NonNull<T> {
        let p = self.ptr;
        std::mem::forget(self);
        p
    }

    pub fn into_raw(self) -> *mut T {
        self.into_non_null().as_ptr()
    }
}

/// A ListAll-style answer: the count, and with `out` given, a NULL-terminated malloc'd array of
/// the handles `make` makes of `items` (the array is allocated before any handle exists, so a
/// failure leaves nothing behind).
pub fn handle_array<T, H>(
    out: Option<super::args::Out<*mut *mut H>>,
    items: Vec<T>,
    make: impl FnMut(T) -> *mut H,
) -> Result<std::ffi::c_int> {
    let n = items.len() as std::ffi::c_int;
    if let Some(out) = out {
        let mut arr = MallocArray::<*mut H>::zeroed(items.len() + 1)?;
        for (slot, handle) in arr
            .as_mut_slice()
            .iter_mut()
            .zip(items.into_iter().map(make))
        {
            *slot = handle;
        }
        out.set(arr.into_raw());
    }
    Ok(n)
}

impl<T: ZeroValid> Drop for MallocArray<T> {
    fn drop(&mut self) {
        // SAFETY: calloc'd by `zeroed` and not handed over; elements are plain data.
        unsafe { libc::free(self.ptr.as_ptr().cast()) }
    }
}
