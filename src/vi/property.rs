//! PropertyCollector requests: filter specs with traversal, RetrievePropertiesEx followed to the
//! last page, and each object's properties folded into one element tree for typed reading.

use super::node::Node;
use super::soap::{MoRef, Request};

/// One hop of a traversal (`TraversalSpec`), naming the hops to take from where it lands.
#[derive(Debug, Clone)]
pub struct Hop {
    pub name: &'static str,
    pub kind: &'static str,
    pub path: &'static str,
    pub then: &'static [&'static str],
}

/// What to read: properties of types, starting at an object and following hops.
#[derive(Debug, Clone)]
pub struct FilterSpec {
    pub props: Vec<(String, Vec<String>)>,
    pub start: MoRef,
    /// Whether the start object itself is reported.
    pub skip_start: bool,
    pub hops: Vec<Hop>,
}

impl FilterSpec {
    /// Properties of one object, typed by its own MoRef type.
    pub fn object(obj: MoRef, paths: &[&str]) -> FilterSpec {
        FilterSpec {
            props: vec![(
                obj.kind.clone(),
                paths.iter().map(|p| p.to_string()).collect(),
            )],
            start: obj,
            skip_start: false,
            hops: Vec::new(),
        }
    }

    /// Properties of the objects one hop away from `start` (of type `start_kind`): a host's
    /// `vm` or `datastore` list, say; `start` itself is not reported.
    pub fn neighbours(
        start: MoRef,
        start_kind: &'static str,
        hop: &'static str,
        kind: &str,
        paths: &[&str],
    ) -> FilterSpec {
        FilterSpec {
            props: vec![(
                kind.to_string(),
                paths.iter().map(|p| p.to_string()).collect(),
            )],
            hops: vec![Hop {
                name: "hop",
                kind: start_kind,
                path: hop,
                then: &[],
            }],
            start,
            skip_start: true,
        }
    }

    pub fn write(&self, req: &mut Request, element: &str) {
        req.open(element, None);
        for (kind, paths) in &self.props {
            req.open("propSet", None).text("type", kind);
            for p in paths {
                req.text("pathSet", p);
            }
            req.close("propSet");
        }
        req.open("objectSet", None)
            .moref("obj", &self.start)
            .text("skip", if self.skip_start { "true" } else { "false" });
        for hop in &self.hops {
            req.open("selectSet", Some("TraversalSpec"))
                .text("name", hop.name)
                .text("type", hop.kind)
                .text("path", hop.path)
                .text("skip", "false");
            for next in hop.then {
                req.open("selectSet", None)
                    .text("name", next)
                    .close("selectSet");
            }
            req.close("selectSet");
        }
        req.close("objectSet").close(element);
    }
}

/// One object of a retrieve result, its properties merged under one element.
#[derive(Debug, Clone)]
pub struct ObjectContent {
    pub obj: MoRef,
    pub props: Node,
}

impl ObjectContent {
    /// Folds `propSet{name="a.b", val}` into `<a><b>val…</b></a>`, so that typed readers use
    /// the same dotted paths they asked for. `ArrayOfX` values become repeated elements.
    pub fn from_node(n: &Node) -> Option<ObjectContent> {
        let obj = MoRef::from_node(n.child("obj")?)?;
        let mut props = Node {
            name: "obj".into(),
            ..Node::default()
        };
        for ps in n.children_named("propSet") {
            let Some(name) = ps.text_at("name") else {
                continue;
            };
            let Some(val) = ps.child("val") else {
                continue;
            };
            insert(&mut props, name.trim(), val);
        }
        Some(ObjectContent { obj, props })
    }
}

fn insert(root: &mut Node, path: &str, val: &Node) {
    let (prefix, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let mut holder = root;
    for part in prefix.into_iter().flat_map(|p| p.split('.')) {
        let idx = match holder.children.iter().position(|c| c.name == part) {
            Some(i) => i,
            None => {
                holder.children.push(Node {
                    name: part.to_string(),
                    ..Node::default()
                });
                holder.children.len() - 1
            }
        };
        holder = &mut holder.children[idx];
    }
    let is_array = val
        .xsi_type
        .as_deref()
        .is_some_and(|t| t.starts_with("ArrayOf"));
    if is_array {
        for item in &val.children {
            let mut item = item.clone();
            item.name = last.to_string();
            holder.children.push(item);
        }
    } else {
        let mut v = val.clone();
        v.name = last.to_string();
        holder.children.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_fold_into_paths_and_arrays_repeat() {
        let n = crate::vi::node::parse(
            r#"<objects xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><obj type="HostSystem">h1</obj>
            <propSet><name>summary.hardware.memorySize</name><val xsi:type="xsd:long">1024</val></propSet>
            <propSet><name>vm</name><val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="VirtualMachine">1</ManagedObjectReference><ManagedObjectReference type="VirtualMachine">2</ManagedObjectReference></val></propSet>
            <propSet><name>name</name><val xsi:type="xsd:string">esx</val></propSet></objects>"#,
        )
        .unwrap();
        let oc = ObjectContent::from_node(&n).unwrap();
        assert_eq!(oc.obj.value, "h1");
        assert_eq!(
            oc.props.text_at("summary.hardware.memorySize"),
            Some("1024")
        );
        assert_eq!(oc.props.children_named("vm").count(), 2);
        assert_eq!(oc.props.text_at("name"), Some("esx"));
    }
}
