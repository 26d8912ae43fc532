//! libvirt's typed parameter values (`virTypedParameter`'s union, tagged by its type): the one
//! value type of domain statistics, job statistics, tunable events and the C layer's parameters.

use crate::abi::virTypedParameterType as T;

/// One typed parameter's value, as libvirt types it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypedValue {
    /// `VIR_TYPED_PARAM_INT` (`state.state`).
    Int(i32),
    /// `VIR_TYPED_PARAM_UINT` (`vcpu.current`).
    UInt(u32),
    /// `VIR_TYPED_PARAM_LLONG` (a CPU limit, -1 for none).
    LLong(i64),
    /// `VIR_TYPED_PARAM_ULLONG` (`balloon.current`, in KiB).
    ULLong(u64),
    /// `VIR_TYPED_PARAM_DOUBLE`.
    Double(f64),
    /// `VIR_TYPED_PARAM_BOOLEAN`.
    Boolean(bool),
    /// `VIR_TYPED_PARAM_STRING` (`net.0.name`).
    String(String),
}

impl TypedValue {
    /// Its `virTypedParameterType`.
    pub fn type_number(&self) -> T {
        match self {
            TypedValue::Int(_) => T::VIR_TYPED_PARAM_INT,
            TypedValue::UInt(_) => T::VIR_TYPED_PARAM_UINT,
            TypedValue::LLong(_) => T::VIR_TYPED_PARAM_LLONG,
            TypedValue::ULLong(_) => T::VIR_TYPED_PARAM_ULLONG,
            TypedValue::Double(_) => T::VIR_TYPED_PARAM_DOUBLE,
            TypedValue::Boolean(_) => T::VIR_TYPED_PARAM_BOOLEAN,
            TypedValue::String(_) => T::VIR_TYPED_PARAM_STRING,
        }
    }

    /// libvirt's name of its type (`ullong`), as libvirt's messages use it.
    pub fn type_name(&self) -> &'static str {
        type_name(self.type_number() as i32)
    }
}

/// libvirt's names of the parameter types, by number from 1.
const TYPE_NAMES: [&str; 7] = [
    "int", "uint", "llong", "ullong", "double", "boolean", "string",
];

/// libvirt's name of parameter type number `t` (`unknown` for one it does not define).
pub fn type_name(t: i32) -> &'static str {
    usize::try_from(t - 1)
        .ok()
        .and_then(|i| TYPE_NAMES.get(i))
        .copied()
        .unwrap_or("unknown")
}
