//! The write side of vim25 values: each value writes itself as one element of a request body,
//! all text through the request's one escaping writer; enums and polymorphic choices declared.

use super::soap::{MoRef, Request};
use super::types::XsdString;
use secrecy::{ExposeSecret, SecretString};

/// A value written as the element `name` (nothing at all for an absent optional).
pub trait ToXml {
    fn write(&self, req: &mut Request, name: &str);
}

macro_rules! text_to_xml {
    ($($t:ty),*) => {$(
        impl ToXml for $t {
            fn write(&self, req: &mut Request, name: &str) {
                req.text(name, &self.to_string());
            }
        }
    )*};
}
text_to_xml!(bool, i16, i32, i64, u16, u32, u64, f64);

impl ToXml for String {
    fn write(&self, req: &mut Request, name: &str) {
        req.text(name, self);
    }
}

impl ToXml for &str {
    fn write(&self, req: &mut Request, name: &str) {
        req.text(name, self);
    }
}

/// Written straight into the request, whose buffer is zeroized when it is dropped.
impl ToXml for SecretString {
    fn write(&self, req: &mut Request, name: &str) {
        req.text(name, self.expose_secret());
    }
}

/// Typed on the wire, as `xsd:anyType` needs.
impl ToXml for XsdString {
    fn write(&self, req: &mut Request, name: &str) {
        req.open(name, Some("xsd:string"));
        req.content(&self.0);
        req.close(name);
    }
}

impl ToXml for MoRef {
    fn write(&self, req: &mut Request, name: &str) {
        req.moref(name, self);
    }
}

impl<T: ToXml> ToXml for Option<T> {
    fn write(&self, req: &mut Request, name: &str) {
        if let Some(v) = self {
            v.write(req, name);
        }
    }
}

/// Arrays are the element repeated, as the WSDL's `maxOccurs="unbounded"` has it.
impl<T: ToXml> ToXml for Vec<T> {
    fn write(&self, req: &mut Request, name: &str) {
        for v in self {
            v.write(req, name);
        }
    }
}

impl<T: ToXml> ToXml for Box<T> {
    fn write(&self, req: &mut Request, name: &str) {
        (**self).write(req, name);
    }
}

/// Declares a vim25 enum, written and read as its WSDL string; the first value is the default.
/// An unknown string reads as absent.
macro_rules! vim_enum {
    ($(#[$meta:meta])* $name:ident { $first:ident = $first_s:literal $(, $v:ident = $s:literal)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub enum $name {
            #[default]
            $first,
            $($v,)*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $name::$first => $first_s,
                    $($name::$v => $s,)*
                }
            }
        }

        impl $crate::vi::write::ToXml for $name {
            fn write(&self, req: &mut $crate::vi::soap::Request, name: &str) {
                req.text(name, self.as_str());
            }
        }

        impl $crate::vi::types::FromNode for $name {
            fn from_node(n: &$crate::vi::node::Node) -> Option<Self> {
                match n.text.trim() {
                    $first_s => Some($name::$first),
                    $($s => Some($name::$v),)*
                    _ => None,
                }
            }
        }

        $crate::vi::types::defaulted_value!($name);
    };
}
pub(crate) use vim_enum;

/// Declares a polymorphic slot (an abstract WSDL type): one variant per concrete `vim_type!`
/// of the same name, each writing its own `xsi:type`, read back by `xsi:type`.
macro_rules! vim_choice {
    (@from $name:ident $($v:ident)*) => {$(
        impl From<$v> for $name {
            fn from(v: $v) -> Self {
                $name::$v(v)
            }
        }
    )*};
    ($(#[$meta:meta])* $name:ident { $first:ident $(, $v:ident)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        // The variants are named after vSphere's types, which often share a suffix.
        #[allow(clippy::enum_variant_names)]
        pub enum $name {
            $first($first),
            $($v($v),)*
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$first($first::default())
            }
        }

        $crate::vi::write::vim_choice!(@from $name $first $($v)*);

        impl $crate::vi::write::ToXml for $name {
            fn write(&self, req: &mut $crate::vi::soap::Request, name: &str) {
                match self {
                    $name::$first(v) => v.write(req, name),
                    $($name::$v(v) => v.write(req, name),)*
                }
            }
        }

        impl $crate::vi::types::FromNode for $name {
            fn from_node(n: &$crate::vi::node::Node) -> Option<Self> {
                use $crate::vi::types::FromNode as F;
                match n.xsi_type.as_deref().unwrap_or(stringify!($first)) {
                    stringify!($first) => <$first as F>::from_node(n).map($name::$first),
                    $(stringify!($v) => <$v as F>::from_node(n).map($name::$v),)*
                    _ => None,
                }
            }
        }

        $crate::vi::types::defaulted_value!($name);
    };
}
pub(crate) use vim_choice;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_options_and_lists() {
        let mut r = Request::new("X", &MoRef::new("T", "t"));
        Some(3i32).write(&mut r, "a");
        None::<i32>.write(&mut r, "b");
        vec!["x<".to_string(), "y".to_string()].write(&mut r, "c");
        true.write(&mut r, "d");
        let env = r.envelope();
        assert!(
            env.contains("<a>3</a><c>x&lt;</c><c>y</c><d>true</d></X>"),
            "{env}"
        );
    }
}
