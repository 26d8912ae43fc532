//! virTypedParamsAdd* and virTypedParamsGet*: the helpers C programs build parameter arrays
//! with (for virDomainMigrate3 and the Set* calls) and read the arrays the library hands out.
//!
//! Their behaviour is libvirt's, checked against Debian's libvirt0 by the drop-in test: an
//! array grows to the larger of what it needs and half as much again; Add* takes a name more
//! than once (string lists are that); Get* finds the first, says 1, 0 when there is none, and
//! refuses a parameter of another type.

use super::args::{Out, in_str, out};
use super::export::export;
use super::typed_params::{TypedValue, c_param, type_name};
use super::types::{virTypedParameter, virTypedParameterPtr};
use crate::abi::{VIR_TYPED_PARAM_FIELD_LENGTH, virTypedParameterType as T};
use crate::error::{Error, Result};
use std::ffi::{CStr, c_char, c_double, c_int, c_longlong, c_uint, c_ulonglong};

/// Appends the parameter `name` = `value` to the caller's malloc'd array, growing it.
///
/// # Safety
/// The pointers are NULL or valid; `*params` is NULL or a malloc'd array of `*maxparams`
/// entries, the first `*nparams` of them set.
unsafe fn add(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: &str,
    value: TypedValue,
) -> Result<c_int> {
    if name.len() >= VIR_TYPED_PARAM_FIELD_LENGTH as usize {
        return Err(Error::internal(format!("Field name '{name}' too long")));
    }
    let (array, count, max) = (out!(params)?, out!(nparams)?, out!(maxparams)?);
    let n = usize::try_from(count.get()).unwrap_or(0);
    let have = usize::try_from(max.get()).unwrap_or(0);
    let mut base = array.get();
    if have < n + 1 {
        let grown = (n + 1).max(have + have / 2);
        let bytes = grown
            .checked_mul(size_of::<virTypedParameter>())
            .ok_or_else(|| Error::internal("too many typed parameters"))?;
        // SAFETY: `base` is NULL or the caller's malloc'd array, per the contract.
        let p = unsafe { libc::realloc(base.cast(), bytes) }.cast::<virTypedParameter>();
        if p.is_null() {
            return Err(Error::internal("cannot allocate the typed parameters"));
        }
        // SAFETY: the new tail starts inside the allocation just made.
        let tail = unsafe { p.add(have) };
        // SAFETY: it holds `grown - have` entries; all-zero bytes are a valid parameter.
        unsafe { std::ptr::write_bytes(tail, 0, grown - have) };
        base = p;
        array.set(base);
        max.set(c_int::try_from(grown).unwrap_or(c_int::MAX));
    }
    let (mut param, s) = c_param(name, value)?;
    if let Some(s) = s {
        param.value.s = s.into_raw();
    }
    // SAFETY: slot `n` lies inside the array, which holds at least `n + 1` entries now.
    let slot = unsafe { base.add(n) };
    // SAFETY: as above; the slot holds no string of its own (zeroed or past the used count).
    unsafe { slot.write(param) };
    count.set(c_int::try_from(n + 1).unwrap_or(c_int::MAX));
    Ok(0)
}

/// The first parameter called `name`, if any.
///
/// # Safety
/// `params` is NULL or holds `nparams` entries; `name` is NULL or NUL-terminated.
unsafe fn find<'a>(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
) -> Option<&'a mut virTypedParameter> {
    if params.is_null() || name.is_null() {
        return None;
    }
    // SAFETY: NUL-terminated, per the contract.
    let name = unsafe { CStr::from_ptr(name) }.to_bytes();
    // SAFETY: the caller's array of `nparams` entries.
    let all = unsafe { std::slice::from_raw_parts_mut(params, nparams.max(0) as usize) };
    all.iter_mut().find(|p| {
        let field = p.field.iter().take_while(|c| **c != 0).map(|c| *c as u8);
        field.eq(name.iter().copied())
    })
}

/// The first parameter called `name`, checked to be of type `want`: `Ok(None)` when there is
/// none, libvirt's error when it has another type.
///
/// # Safety
/// As `find`.
unsafe fn get<'a>(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    want: T,
) -> Result<Option<&'a virTypedParameter>> {
    // SAFETY: per the contract.
    let Some(p) = (unsafe { find(params, nparams, name) }) else {
        return Ok(None);
    };
    if p.r#type != want as c_int {
        // SAFETY: `find` found it by this NUL-terminated name.
        let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
        return Err(Error::invalid_arg(format!(
            "Invalid type '{}' requested for parameter '{name}', actual type is '{}'",
            type_name(want as c_int),
            type_name(p.r#type)
        )));
    }
    Ok(Some(p))
}

/// Writes the value of the first parameter called `name` through `value` (when given) if it
/// has type `want`: 1, or 0 when there is none.
///
/// # Safety
/// As `find`.
unsafe fn get_into<V>(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    want: T,
    value: Option<Out<V>>,
    read: impl FnOnce(&virTypedParameter) -> V,
) -> Result<c_int> {
    // SAFETY: per the contract.
    let Some(p) = (unsafe { get(params, nparams, name, want) })? else {
        return Ok(0);
    };
    if let Some(out) = value {
        out.set(read(p));
    }
    Ok(1)
}

/// Appends a parameter of type int, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::Int(value)) }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type int, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_INT;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `i`.
        let read = |p: &virTypedParameter| unsafe { p.value.i };
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a parameter of type uint, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddUInt(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_uint,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::UInt(value)) }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type uint, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetUInt(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_uint,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_UINT;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `ui`.
        let read = |p: &virTypedParameter| unsafe { p.value.ui };
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a parameter of type llong, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddLLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_longlong,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::LLong(value)) }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type llong, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetLLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_longlong,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_LLONG;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `l`.
        let read = |p: &virTypedParameter| unsafe { p.value.l };
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a parameter of type ullong, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddULLong(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_ulonglong,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::ULLong(value)) }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type ullong, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetULLong(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_ulonglong,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_ULLONG;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `ul`.
        let read = |p: &virTypedParameter| unsafe { p.value.ul };
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a parameter of type double, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddDouble(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_double,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::Double(value)) }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type double, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetDouble(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_double,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_DOUBLE;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `d`.
        let read = |p: &virTypedParameter| unsafe { p.value.d };
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a parameter of type boolean, growing the array as libvirt does.
///
/// # Safety
/// The pointers are NULL or valid; `*params` NULL or a malloc'd array of `*maxparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddBoolean(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: c_int,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        // SAFETY: per this export's contract.
        unsafe {
            add(
                params,
                nparams,
                maxparams,
                name,
                TypedValue::Boolean(value != 0),
            )
        }
    })
}

/// 1 and the value of the first parameter called `name` when it is of type boolean, 0 when
/// there is none; `value` may be NULL to ask only whether there is one.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated; `value` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetBoolean(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut c_int,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_BOOLEAN;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `b`.
        let read = |p: &virTypedParameter| c_int::from(unsafe { p.value.b } != 0);
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// Appends a string parameter (a copy of `value`; NULL is the empty string, as in libvirt).
///
/// # Safety
/// As virTypedParamsAddInt; `value` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    value: *const c_char,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        let value = string(value);
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, TypedValue::String(value)) }
    })
}

/// A caller's string, NULL as empty; bytes that are not UTF-8 are replaced.
fn string(p: *const c_char) -> String {
    match p.is_null() {
        true => String::new(),
        // SAFETY: NUL-terminated, per the calling export's contract.
        false => unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned(),
    }
}

/// Appends one string parameter called `name` for each of the NULL-terminated `values`.
///
/// # Safety
/// As virTypedParamsAddString; `values` NULL or a NULL-terminated array of strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddStringList(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    values: *mut *const c_char,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        let mut at = values;
        // SAFETY: NULL or a NULL-terminated array, per the contract; read up to its end.
        while !at.is_null() && !unsafe { *at }.is_null() {
            // SAFETY: as above.
            let value = string(unsafe { *at });
            // SAFETY: per this export's contract.
            unsafe { add(params, nparams, maxparams, name, TypedValue::String(value)) }?;
            // SAFETY: the next entry, which exists since this one was not the terminator.
            at = unsafe { at.add(1) };
        }
        Ok(0)
    })
}

/// A value of type `kind` read from text, with libvirt's errors.
fn parse(name: &str, kind: c_int, text: &str) -> Result<TypedValue> {
    let t = text.trim_start();
    let bad = |what: &str| {
        Error::invalid_arg(format!("Invalid value for field '{name}': expected {what}"))
    };
    // Negative numbers wrap for the unsigned types, as strtoul's do.
    let wrapped = |max: u64| {
        t.parse::<u64>().ok().or_else(|| {
            let n = t.parse::<i64>().ok().filter(|n| *n < 0)?;
            (n.unsigned_abs() <= max).then(|| max.wrapping_sub(n.unsigned_abs()).wrapping_add(1))
        })
    };
    Ok(match kind {
        k if k == T::VIR_TYPED_PARAM_INT as c_int => {
            TypedValue::Int(t.parse().map_err(|_| bad("int"))?)
        }
        k if k == T::VIR_TYPED_PARAM_UINT as c_int => TypedValue::UInt(
            wrapped(u64::from(u32::MAX))
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| bad("unsigned int"))?,
        ),
        k if k == T::VIR_TYPED_PARAM_LLONG as c_int => {
            TypedValue::LLong(t.parse().map_err(|_| bad("long long"))?)
        }
        k if k == T::VIR_TYPED_PARAM_ULLONG as c_int => {
            TypedValue::ULLong(wrapped(u64::MAX).ok_or_else(|| bad("unsigned long long"))?)
        }
        k if k == T::VIR_TYPED_PARAM_DOUBLE as c_int => {
            TypedValue::Double(t.parse().map_err(|_| bad("double"))?)
        }
        k if k == T::VIR_TYPED_PARAM_BOOLEAN as c_int => match text.to_ascii_lowercase().as_str() {
            "1" | "true" => TypedValue::Boolean(true),
            "0" | "false" => TypedValue::Boolean(false),
            _ => {
                return Err(Error::invalid_arg(format!(
                    "Invalid boolean value for field '{name}'"
                )));
            }
        },
        k if k == T::VIR_TYPED_PARAM_STRING as c_int => TypedValue::String(text.to_string()),
        other => {
            return Err(Error::internal(format!(
                "unexpected type {other} for field {name}"
            )));
        }
    })
}

/// Appends a parameter of type `type` whose value is read from `value`.
///
/// # Safety
/// As virTypedParamsAddString.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsAddFromString(
    params: *mut virTypedParameterPtr,
    nparams: *mut c_int,
    maxparams: *mut c_int,
    name: *const c_char,
    r#type: c_int,
    value: *const c_char,
) -> c_int {
    export!(-1, || {
        let name = in_str!(name)?;
        let value = parse(name, r#type, &string(value))?;
        // SAFETY: per this export's contract.
        unsafe { add(params, nparams, maxparams, name, value) }
    })
}

/// 1 and the first string parameter called `name` (the array's own copy, not to be freed),
/// 0 when there is none.
///
/// # Safety
/// As virTypedParamsGetInt.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGetString(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
    value: *mut *const c_char,
) -> c_int {
    let want = T::VIR_TYPED_PARAM_STRING;
    export!(-1, || {
        let value = out!(value?);
        // SAFETY: `get` checked the parameter's type, so the union holds `s`.
        let read = |p: &virTypedParameter| unsafe { p.value.s }.cast_const();
        // SAFETY: per this export's contract.
        unsafe { get_into(params, nparams, name, want, value, read) }
    })
}

/// The first parameter called `name`, or NULL.
///
/// # Safety
/// `params` NULL or `nparams` entries; `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsGet(
    params: virTypedParameterPtr,
    nparams: c_int,
    name: *const c_char,
) -> virTypedParameterPtr {
    export!(std::ptr::null_mut(), || {
        // SAFETY: per this export's contract.
        Ok(unsafe { find(params, nparams, name) }.map_or(std::ptr::null_mut(), |p| p as *mut _))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_reads_as_libvirt_reads_it() {
        let int = T::VIR_TYPED_PARAM_INT as c_int;
        let uint = T::VIR_TYPED_PARAM_UINT as c_int;
        assert_eq!(parse("a", int, " 5").unwrap(), TypedValue::Int(5));
        assert_eq!(parse("a", uint, "-1").unwrap(), TypedValue::UInt(u32::MAX));
        assert_eq!(
            parse("g", int, "abc").unwrap_err().message(),
            "invalid argument: Invalid value for field 'g': expected int"
        );
        let llong = T::VIR_TYPED_PARAM_LLONG as c_int;
        assert!(parse("l", llong, "9223372036854775808").is_err());
        let boolean = T::VIR_TYPED_PARAM_BOOLEAN as c_int;
        assert_eq!(
            parse("b", boolean, "TRUE").unwrap(),
            TypedValue::Boolean(true)
        );
        assert!(parse("b", boolean, "yes").is_err());
        assert!(
            parse("x", 99, "1")
                .unwrap_err()
                .message()
                .contains("unexpected type 99")
        );
        assert_eq!(type_name(99), "unknown");
    }
}
