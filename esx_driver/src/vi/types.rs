//! vim25 data objects declared as one table per type (`vim_type!`): read from the element tree
//! by property path (absent or unknown data never fails) and, in the `write` form, written too.

use super::node::Node;
use super::soap::MoRef;

/// A value read from one element.
pub trait FromNode: Sized {
    fn from_node(n: &Node) -> Option<Self>;

    /// As `from_node`, from an element that is dropped afterwards: what can be moved out of
    /// it is (a string's text), so a huge value is held once, not twice.
    fn take_node(n: &mut Node) -> Option<Self> {
        Self::from_node(n)
    }
}

/// A struct field read from its parent by a (dotted) path.
pub trait Field: Sized {
    fn read(parent: &Node, path: &str) -> Self;

    /// As `read`, moving out of `parent` what can be moved (see `FromNode::take_node`).
    fn take(parent: &mut Node, path: &str) -> Self {
        Self::read(parent, path)
    }
}

impl FromNode for String {
    fn from_node(n: &Node) -> Option<Self> {
        Some(n.text.clone())
    }

    fn take_node(n: &mut Node) -> Option<Self> {
        Some(std::mem::take(&mut n.text))
    }
}

/// A string where the schema has `xsd:anyType` (an OptionValue's value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XsdString(pub String);

impl FromNode for XsdString {
    fn from_node(n: &Node) -> Option<Self> {
        Some(XsdString(n.text.clone()))
    }
}

impl FromNode for bool {
    fn from_node(n: &Node) -> Option<Self> {
        match n.text.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

macro_rules! numeric_from_node {
    ($($t:ty),*) => {$(
        impl FromNode for $t {
            fn from_node(n: &Node) -> Option<Self> {
                n.text.trim().parse().ok()
            }
        }
    )*};
}
numeric_from_node!(i16, i32, i64, u16, u32, u64, f64);

/// Raw XML, for values read further by hand (a task's result, a property change's value).
impl FromNode for Node {
    fn from_node(n: &Node) -> Option<Self> {
        Some(n.clone())
    }
}

impl FromNode for MoRef {
    fn from_node(n: &Node) -> Option<Self> {
        MoRef::from_node(n)
    }
}

/// A value that reads as its default when absent: a required field of a data object.
macro_rules! defaulted_value {
    ($name:ty) => {
        impl $crate::vi::types::Field for $name {
            fn read(parent: &$crate::vi::node::Node, path: &str) -> Self {
                parent
                    .path(path)
                    .and_then(<$name as $crate::vi::types::FromNode>::from_node)
                    .unwrap_or_default()
            }

            fn take(parent: &mut $crate::vi::node::Node, path: &str) -> Self {
                parent
                    .path_mut(path)
                    .and_then(<$name as $crate::vi::types::FromNode>::take_node)
                    .unwrap_or_default()
            }
        }
    };
}
pub(crate) use defaulted_value;

/// Plain values default when absent, as the WSDL's optional scalars do.
macro_rules! defaulted_fields {
    ($($t:ty),*) => {$(defaulted_value!($t);)*};
}
defaulted_fields!(String, XsdString, bool, i16, i32, i64, u16, u32, u64, f64);

impl<T: FromNode> Field for Option<T> {
    fn read(parent: &Node, path: &str) -> Self {
        parent.path(path).and_then(T::from_node)
    }

    fn take(parent: &mut Node, path: &str) -> Self {
        parent.path_mut(path).and_then(T::take_node)
    }
}

/// Repeated elements: the last path segment names the items.
impl<T: FromNode> Field for Vec<T> {
    fn read(parent: &Node, path: &str) -> Self {
        let (holder, item) = match path.rsplit_once('.') {
            Some((prefix, last)) => (parent.path(prefix), last),
            None => (Some(parent), path),
        };
        holder
            .map(|h| h.children_named(item).filter_map(T::from_node).collect())
            .unwrap_or_default()
    }
}

/// Declares a data object: `vim_type!(Name { field: Type = "path.in.xml", ... })`.
/// `Name::PATHS` lists the paths, which double as PropertyCollector `pathSet`s.
///
/// `vim_type!(write Name { field: Type = "element", ... })` also writes it as a request's data
/// object: `xsi:type="Name"` (so the name is the WSDL type's), one element per field in
/// declaration order, which must be the WSDL's (base type's fields first).
macro_rules! vim_type {
    ($(#[$meta:meta])* write $name:ident { $($field:ident : $ty:ty = $path:literal),* $(,)? }) => {
        $crate::vi::types::vim_type!($(#[$meta])* $name { $($field: $ty = $path),* });

        impl $crate::vi::write::ToXml for $name {
            fn write(&self, req: &mut $crate::vi::soap::Request, name: &str) {
                req.open(name, Some(stringify!($name)));
                $($crate::vi::write::ToXml::write(&self.$field, req, $path);)*
                req.close(name);
            }
        }
    };
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty = $path:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $(pub $field: $ty,)*
        }

        impl $name {
            #[allow(dead_code)]
            pub const PATHS: &'static [&'static str] = &[$($path),*];
        }

        impl $crate::vi::types::FromNode for $name {
            fn from_node(n: &$crate::vi::node::Node) -> Option<Self> {
                Some($name {
                    $($field: <$ty as $crate::vi::types::Field>::read(n, $path),)*
                })
            }

            fn take_node(n: &mut $crate::vi::node::Node) -> Option<Self> {
                Some($name {
                    $($field: <$ty as $crate::vi::types::Field>::take(n, $path),)*
                })
            }
        }

        $crate::vi::types::defaulted_value!($name);

        impl $crate::vi::methods::FromReturn for $name {
            fn from_return(method: &str, resp: &$crate::vi::node::Node) -> $crate::vi::Result<Self> {
                $crate::vi::methods::required(method, resp)
            }
        }
    };
}
pub(crate) use vim_type;

vim_type!(AboutInfo {
    name: String = "name",
    full_name: String = "fullName",
    vendor: String = "vendor",
    version: String = "version",
    build: String = "build",
    os_type: String = "osType",
    product_line_id: String = "productLineId",
    api_type: String = "apiType",
    api_version: String = "apiVersion",
    instance_uuid: String = "instanceUuid",
});

vim_type!(ServiceContent {
    root_folder: Option<MoRef> = "rootFolder",
    property_collector: Option<MoRef> = "propertyCollector",
    view_manager: Option<MoRef> = "viewManager",
    about: AboutInfo = "about",
    session_manager: Option<MoRef> = "sessionManager",
    search_index: Option<MoRef> = "searchIndex",
    file_manager: Option<MoRef> = "fileManager",
    virtual_disk_manager: Option<MoRef> = "virtualDiskManager",
    perf_manager: Option<MoRef> = "perfManager",
    event_manager: Option<MoRef> = "eventManager",
});

vim_type!(UserSession {
    key: String = "key",
    user_name: String = "userName",
    full_name: String = "fullName",
});

#[cfg(test)]
mod tests {
    use super::*;

    vim_type!(Sample {
        name: String = "name",
        size: i64 = "summary.capacity",
        hosts: Vec<MoRef> = "host",
        missing: Option<i32> = "nothing.here",
        flag: bool = "flag",
    });

    #[test]
    fn table_reads_paths_and_ignores_the_rest() {
        let n = crate::vi::node::parse(
            "<o><name>ds</name><junk><x/></junk><summary><capacity>42</capacity></summary>\
             <host type='HostSystem'>h1</host><host type='HostSystem'>h2</host><flag>bogus</flag></o>",
        )
        .unwrap();
        let s = Sample::from_node(&n).unwrap();
        assert_eq!(s.name, "ds");
        assert_eq!(s.size, 42);
        assert_eq!(s.hosts.len(), 2);
        assert_eq!(s.hosts[1].value, "h2");
        assert_eq!(s.missing, None);
        assert!(!s.flag);
        assert_eq!(Sample::PATHS.len(), 5);
    }

    #[test]
    fn a_table_taken_moves_its_strings_and_reads_as_read() {
        let xml = "<o><name>ds</name><summary><capacity>42</capacity></summary>\
                   <host type='HostSystem'>h1</host></o>";
        let mut n = crate::vi::node::parse(xml).unwrap();
        let read = Sample::from_node(&n).unwrap();
        let taken = Sample::take_node(&mut n).unwrap();
        assert_eq!(taken, read);
        assert_eq!(
            n.text_at("name"),
            Some(""),
            "the text moved out, not copied"
        );
    }
}
