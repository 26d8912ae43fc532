//! libvirt's typed parameters (`virTypedParameter` arrays) of the driver's `TypedValue`s: a
//! builder for answers and a reader for requests, shared by every call that speaks them
//! (scheduler, memory, migration, statistics, jobs, tunable events), plus virTypedParamsClear/Free.

use super::args::Out;
use super::malloc::{MallocArray, MallocStr};
use super::types::{_virTypedParameterValue, virTypedParameter, virTypedParameterPtr};
use crate::abi::{VIR_TYPED_PARAM_FIELD_LENGTH, virTypedParameterType as T};
pub use crate::driver::TypedValue;
pub(crate) use crate::driver::typed::type_name;
use crate::error::{Error, Result};
use std::ffi::{CStr, c_char, c_int};

const FIELD_LEN: usize = VIR_TYPED_PARAM_FIELD_LENGTH as usize;

/// Parameters to hand to C, in order.
#[derive(Default)]
pub struct Builder(Vec<(String, TypedValue)>);

/// Answers a "how many?" call (`*nparams` 0) with `n`, as libvirt does, giving `None`;
/// else the count to fill.
pub fn with_room(nparams: Out<c_int>, n: c_int) -> Option<Out<c_int>> {
    if nparams.get() == 0 {
        nparams.set(n);
        return None;
    }
    Some(nparams)
}

/// Parameters the driver already named and ordered.
impl From<Vec<(String, TypedValue)>> for Builder {
    fn from(params: Vec<(String, TypedValue)>) -> Self {
        Builder(params)
    }
}

impl Builder {
    pub fn add(mut self, field: impl Into<String>, value: TypedValue) -> Self {
        self.0.push((field.into(), value));
        self
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes at most `out.len()` parameters into a caller's array; returns how many.
    /// String values are malloc'd (the caller clears them with virTypedParamsClear).
    /// The parameters in a malloc'd array of their own (the caller hands it over, to be
    /// freed with virTypedParamsFree), and how many there are.
    pub fn into_malloc(self) -> Result<(MallocArray<virTypedParameter>, usize)> {
        let mut arr = MallocArray::zeroed(self.len())?;
        let n = self.fill(arr.as_mut_slice())?;
        Ok((arr, n))
    }

    /// Fills the caller's array (see `fill`) and tells the caller how many, through the count
    /// it passed in: libvirt's getters of the `params, *nparams` shape.
    pub fn give(self, out: &mut [virTypedParameter], count: Out<c_int>) -> Result<c_int> {
        let n = self.fill(out)?;
        count.set(n as c_int);
        Ok(0)
    }

    pub fn fill(self, out: &mut [virTypedParameter]) -> Result<usize> {
        let n = out.len().min(self.0.len());
        let built = self
            .0
            .into_iter()
            .take(n)
            .map(|(f, v)| c_param(&f, v))
            .collect::<Result<Vec<_>>>()?;
        // Nothing can fail past this point, so no string is left behind.
        for (slot, (param, s)) in out.iter_mut().zip(built) {
            *slot = param;
            if let Some(s) = s {
                slot.value.s = s.into_raw();
            }
        }
        Ok(n)
    }
}

/// A field name as libvirt's 80-byte fields hold it: NUL-terminated, cut to fit.
pub fn field_name(field: &str) -> [c_char; FIELD_LEN] {
    let mut name = [0 as c_char; FIELD_LEN];
    for (dst, src) in name.iter_mut().zip(field.bytes().take(FIELD_LEN - 1)) {
        *dst = src as c_char;
    }
    name
}

pub(crate) fn c_param(
    field: &str,
    v: TypedValue,
) -> Result<(virTypedParameter, Option<MallocStr>)> {
    let name = field_name(field);
    let mut s = None;
    let kind = v.type_number();
    let value = match v {
        TypedValue::Int(i) => _virTypedParameterValue { i },
        TypedValue::UInt(ui) => _virTypedParameterValue { ui },
        TypedValue::LLong(l) => _virTypedParameterValue { l },
        TypedValue::ULLong(ul) => _virTypedParameterValue { ul },
        TypedValue::Double(d) => _virTypedParameterValue { d },
        TypedValue::Boolean(b) => _virTypedParameterValue { b: b as c_char },
        TypedValue::String(text) => {
            s = Some(MallocStr::new(&text)?);
            _virTypedParameterValue {
                s: std::ptr::null_mut(),
            }
        }
    };
    let param = virTypedParameter {
        field: name,
        r#type: kind as c_int,
        value,
    };
    Ok((param, s))
}

/// Reads a caller's parameters: each field name with its value, checked for type. A field
/// given twice is refused, as libvirt's virTypedParamsValidate refuses it in the Set* calls
/// (none of ours takes a list of values), rather than the last one silently winning.
pub fn read(params: &[virTypedParameter]) -> Result<Vec<(String, TypedValue)>> {
    let read = params.iter().map(read_one).collect::<Result<Vec<_>>>()?;
    let mut seen = std::collections::HashSet::new();
    if let Some((field, _)) = read.iter().find(|(field, _)| !seen.insert(field.as_str())) {
        return Err(Error::invalid_arg(format!(
            "parameter '{field}' occurs multiple times"
        )));
    }
    Ok(read)
}

fn read_one(p: &virTypedParameter) -> Result<(String, TypedValue)> {
    let bytes: Vec<u8> = p.field.iter().map(|c| *c as u8).collect();
    let field = CStr::from_bytes_until_nul(&bytes)
        .ok()
        .and_then(|f| f.to_str().ok())
        .ok_or_else(|| Error::invalid_arg("a parameter's field name is not terminated"))?
        .to_string();
    // In each arm the parameter's type says which member of the union is set.
    let value = match p.r#type {
        // SAFETY: see above.
        t if t == T::VIR_TYPED_PARAM_INT as c_int => TypedValue::Int(unsafe { p.value.i }),
        // SAFETY: see above.
        t if t == T::VIR_TYPED_PARAM_UINT as c_int => TypedValue::UInt(unsafe { p.value.ui }),
        // SAFETY: see above.
        t if t == T::VIR_TYPED_PARAM_LLONG as c_int => TypedValue::LLong(unsafe { p.value.l }),
        // SAFETY: see above.
        t if t == T::VIR_TYPED_PARAM_ULLONG as c_int => TypedValue::ULLong(unsafe { p.value.ul }),
        // SAFETY: see above.
        t if t == T::VIR_TYPED_PARAM_DOUBLE as c_int => TypedValue::Double(unsafe { p.value.d }),
        t if t == T::VIR_TYPED_PARAM_BOOLEAN as c_int => {
            // SAFETY: see above.
            TypedValue::Boolean(unsafe { p.value.b } != 0)
        }
        t if t == T::VIR_TYPED_PARAM_STRING as c_int => {
            // SAFETY: see above.
            let s = unsafe { p.value.s };
            if s.is_null() {
                return Err(Error::invalid_arg(format!(
                    "parameter '{field}' has a NULL string"
                )));
            }
            // SAFETY: a caller's string parameter is NUL-terminated.
            TypedValue::String(unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
        }
        other => {
            return Err(Error::invalid_arg(format!(
                "parameter '{field}' has unknown type {other}"
            )));
        }
    };
    Ok((field, value))
}

/// The error for a parameter of the wrong type, in libvirt's words.
pub fn wrong_type(field: &str, want: &str, got: &TypedValue) -> Error {
    Error::invalid_arg(format!(
        "parameter '{field}' must be of type {want}, not {}",
        got.type_name()
    ))
}

/// Frees the strings held by typed parameters (not the array).
///
/// # Safety
/// `params` is NULL or holds `nparams` entries whose strings are malloc'd.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsClear(params: virTypedParameterPtr, nparams: c_int) {
    if params.is_null() {
        return;
    }
    // SAFETY: the caller's array of `nparams` entries.
    let all = unsafe { std::slice::from_raw_parts_mut(params, nparams.max(0) as usize) };
    for p in all {
        if p.r#type == T::VIR_TYPED_PARAM_STRING as c_int {
            // SAFETY: the type says the union holds a string.
            let s = unsafe { p.value.s };
            // SAFETY: string parameters hold malloc'd strings (or NULL).
            unsafe { libc::free(s.cast()) };
            p.value.s = std::ptr::null_mut();
        }
    }
}

/// Frees typed parameters' strings and the malloc'd array itself.
///
/// # Safety
/// `params` is NULL or a malloc'd array of `nparams` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn virTypedParamsFree(params: virTypedParameterPtr, nparams: c_int) {
    // SAFETY: forwarded contract.
    unsafe { virTypedParamsClear(params, nparams) };
    // SAFETY: the array itself is malloc'd, per the contract.
    unsafe { libc::free(params.cast()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_parameters_read_back() {
        let b = Builder::default()
            .add("limit", TypedValue::LLong(-1))
            .add("shares", TypedValue::Int(-2))
            .add("name", TypedValue::String("a".into()));
        // SAFETY: zero is valid for the C struct.
        let mut out: Vec<virTypedParameter> = vec![unsafe { std::mem::zeroed() }; 2];
        assert_eq!(b.fill(&mut out).unwrap(), 2);
        let read = read(&out).unwrap();
        assert_eq!(read[0], ("limit".to_string(), TypedValue::LLong(-1)));
        assert_eq!(read[1], ("shares".to_string(), TypedValue::Int(-2)));
    }

    #[test]
    fn a_field_given_twice_is_refused() {
        let b = Builder::default()
            .add("limit", TypedValue::LLong(-1))
            .add("shares", TypedValue::Int(2))
            .add("limit", TypedValue::LLong(5));
        // SAFETY: zero is valid for the C struct.
        let mut out: Vec<virTypedParameter> = vec![unsafe { std::mem::zeroed() }; 3];
        b.fill(&mut out).unwrap();
        let e = read(&out).unwrap_err();
        assert_eq!(e.code, crate::error::Code::InvalidArg);
        assert_eq!(e.detail, "parameter 'limit' occurs multiple times");
        assert_eq!(read(&out[..2]).unwrap().len(), 2);
    }
}
