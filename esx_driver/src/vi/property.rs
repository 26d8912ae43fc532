//! PropertyCollector data: filter specs with traversal (declared and a compact builder), and
//! each object's properties folded into one element tree for typed reading; update sets.

use super::node::Node;
use super::soap::MoRef;
use super::types::{FromNode, vim_type};
use super::write::vim_choice;

vim_type!(write PropertySpec {
    kind: String = "type",
    all: Option<bool> = "all",
    path_set: Vec<String> = "pathSet",
});

vim_type!(write SelectionSpec { name: String = "name" });

vim_type!(write TraversalSpec {
    name: String = "name",
    kind: String = "type",
    path: String = "path",
    skip: Option<bool> = "skip",
    select_set: Vec<Selection> = "selectSet",
});

vim_choice!(
    /// A `selectSet` entry: a hop, or the name of one to take.
    Selection { SelectionSpec, TraversalSpec }
);

vim_type!(write ObjectSpec {
    obj: Option<MoRef> = "obj",
    skip: Option<bool> = "skip",
    select_set: Vec<Selection> = "selectSet",
});

vim_type!(write PropertyFilterSpec {
    prop_set: Vec<PropertySpec> = "propSet",
    object_set: Vec<ObjectSpec> = "objectSet",
    report_missing_objects_in_results: Option<bool> = "reportMissingObjectsInResults",
});

vim_type!(write RetrieveOptions { max_objects: Option<i32> = "maxObjects" });

vim_type!(write WaitOptions {
    max_wait_seconds: Option<i32> = "maxWaitSeconds",
    max_object_updates: Option<i32> = "maxObjectUpdates",
});

vim_type!(RetrieveResult {
    token: Option<String> = "token",
    objects: Vec<ObjectContent> = "objects",
});

vim_type!(PropertyChange {
    name: String = "name",
    val: Option<Node> = "val",
});

// `kind`: enter, modify or leave.
vim_type!(ObjectUpdate {
    kind: String = "kind",
    obj: Option<MoRef> = "obj",
    change_set: Vec<PropertyChange> = "changeSet",
});

vim_type!(PropertyFilterUpdate { object_set: Vec<ObjectUpdate> = "objectSet" });

vim_type!(UpdateSet {
    version: String = "version",
    filter_set: Vec<PropertyFilterUpdate> = "filterSet",
    truncated: Option<bool> = "truncated",
});

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
    /// More objects read like `start` (a batch of VMs, say).
    pub more: Vec<MoRef>,
    /// Whether objects the server no longer knows are left out of the answer rather than
    /// failing it: so for batches, whether of one object or many.
    pub report_missing: bool,
}

impl FilterSpec {
    /// `paths` of the objects of `kind`, read at `start` itself.
    fn of(kind: &str, paths: &[&str], start: MoRef) -> FilterSpec {
        FilterSpec {
            props: vec![(
                kind.to_string(),
                paths.iter().map(|p| p.to_string()).collect(),
            )],
            start,
            skip_start: false,
            hops: Vec::new(),
            more: Vec::new(),
            report_missing: false,
        }
    }

    /// Properties of one object, typed by its own MoRef type.
    pub fn object(obj: MoRef, paths: &[&str]) -> FilterSpec {
        FilterSpec::of(&obj.kind.clone(), paths, obj)
    }

    /// Properties of the objects of `kind` that `hops` reach from `start` (not reported).
    pub fn reach(start: MoRef, hops: Vec<Hop>, kind: &str, paths: &[&str]) -> FilterSpec {
        FilterSpec {
            skip_start: true,
            hops,
            ..FilterSpec::of(kind, paths, start)
        }
    }

    /// The same properties of many objects of one type, in one filter.
    pub fn objects(kind: &str, objs: &[MoRef], paths: &[&str]) -> Option<FilterSpec> {
        let (first, rest) = objs.split_first()?;
        Some(FilterSpec {
            more: rest.to_vec(),
            report_missing: true,
            ..FilterSpec::of(kind, paths, first.clone())
        })
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
        let hop = Hop {
            name: "hop",
            kind: start_kind,
            path: hop,
            then: &[],
        };
        FilterSpec::reach(start, vec![hop], kind, paths)
    }

    /// As `neighbours`, from each of `starts` (a batch: those gone are left out).
    pub fn neighbours_of(
        starts: &[MoRef],
        start_kind: &'static str,
        hop: &'static str,
        kind: &str,
        paths: &[&str],
    ) -> Option<FilterSpec> {
        let (first, rest) = starts.split_first()?;
        Some(FilterSpec {
            more: rest.to_vec(),
            report_missing: true,
            ..FilterSpec::neighbours(first.clone(), start_kind, hop, kind, paths)
        })
    }

    /// The declared PropertyFilterSpec this builder stands for.
    pub fn to_spec(&self) -> PropertyFilterSpec {
        PropertyFilterSpec {
            prop_set: self
                .props
                .iter()
                .map(|(kind, paths)| PropertySpec {
                    kind: kind.clone(),
                    all: None,
                    path_set: paths.clone(),
                })
                .collect(),
            object_set: std::iter::once(&self.start)
                .chain(&self.more)
                .map(|obj| ObjectSpec {
                    obj: Some(obj.clone()),
                    skip: Some(self.skip_start),
                    select_set: self.hops.iter().map(Hop::to_spec).collect(),
                })
                .collect(),
            report_missing_objects_in_results: self.report_missing.then_some(true),
        }
    }
}

impl Hop {
    fn to_spec(&self) -> Selection {
        Selection::TraversalSpec(TraversalSpec {
            name: self.name.to_string(),
            kind: self.kind.to_string(),
            path: self.path.to_string(),
            skip: Some(false),
            select_set: self
                .then
                .iter()
                .map(|n| {
                    Selection::SelectionSpec(SelectionSpec {
                        name: n.to_string(),
                    })
                })
                .collect(),
        })
    }
}

/// One object of a retrieve result, its properties merged under one element.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectContent {
    pub obj: MoRef,
    pub props: Node,
}

impl FromNode for ObjectContent {
    fn from_node(n: &Node) -> Option<ObjectContent> {
        ObjectContent::take(n.clone())
    }
}

impl ObjectContent {
    /// Folds `propSet{name="a.b", val}` into `<a><b>val…</b></a>`, so that typed readers use
    /// the same dotted paths they asked for. `ArrayOfX` values become repeated elements. The
    /// values are moved, not copied: answers hold thousands of objects.
    pub fn take(n: Node) -> Option<ObjectContent> {
        ObjectContent::take_asked(n, None)
    }

    /// As `take`, keeping only the properties `asked` names (when given): what a server sends
    /// beyond them is dropped as each object is read, so an answer costs what was asked for.
    pub fn take_asked(n: Node, asked: Option<&[&str]>) -> Option<ObjectContent> {
        let obj = MoRef::from_node(n.child("obj")?)?;
        let mut props = Node {
            name: "obj".into(),
            ..Node::default()
        };
        for ps in n.children.into_iter().filter(|c| c.name == "propSet") {
            let (mut name, mut val) = (None, None);
            for c in ps.children {
                match &*c.name {
                    "name" if name.is_none() => name = Some(c.text),
                    "val" if val.is_none() => val = Some(c),
                    _ => {}
                }
            }
            let (Some(name), Some(val)) = (name, val) else {
                continue;
            };
            let name = name.trim();
            if asked.is_some_and(|a| !a.contains(&name)) {
                continue;
            }
            insert(&mut props, name, val);
        }
        Some(ObjectContent { obj, props })
    }
}

fn insert(root: &mut Node, path: &str, val: Node) {
    let (prefix, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let mut holder = root;
    for part in prefix.into_iter().flat_map(crate::xmltree::segments) {
        let idx = match holder.children.iter().position(|c| c.name == part) {
            Some(i) => i,
            None => {
                holder.children.push(Node {
                    name: crate::xmltree::name(part),
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
        for mut item in val.children {
            item.name = crate::xmltree::name(last);
            holder.children.push(item);
        }
    } else {
        let mut v = val;
        v.name = crate::xmltree::name(last);
        holder.children.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_specs_write_as_declared_property_filter_specs() {
        use crate::vi::soap::Request;
        use crate::vi::write::ToXml;
        let spec = FilterSpec {
            props: vec![("HostSystem".into(), vec!["name".into()])],
            start: MoRef::new("Folder", "root"),
            skip_start: false,
            hops: vec![Hop {
                name: "folder",
                kind: "Folder",
                path: "childEntity",
                then: &["folder"],
            }],
            more: Vec::new(),
            report_missing: false,
        };
        let mut r = Request::new("M", &MoRef::new("PropertyCollector", "pc"));
        spec.to_spec().write(&mut r, "specSet");
        assert!(r.envelope().contains(
            "<specSet xsi:type=\"PropertyFilterSpec\"><propSet xsi:type=\"PropertySpec\">\
             <type>HostSystem</type><pathSet>name</pathSet></propSet><objectSet xsi:type=\"ObjectSpec\">\
             <obj type=\"Folder\">root</obj><skip>false</skip><selectSet xsi:type=\"TraversalSpec\">\
             <name>folder</name><type>Folder</type><path>childEntity</path><skip>false</skip>\
             <selectSet xsi:type=\"SelectionSpec\"><name>folder</name></selectSet></selectSet>\
             </objectSet></specSet>"
        ));
    }

    #[test]
    fn batches_of_any_size_leave_missing_objects_out() {
        let vm = MoRef::new("VirtualMachine", "vm-1");
        let missing = |spec: &FilterSpec| spec.to_spec().report_missing_objects_in_results;
        let one = FilterSpec::objects("VirtualMachine", std::slice::from_ref(&vm), &["name"]);
        assert_eq!(one.as_ref().map(missing), Some(Some(true)));
        let from =
            FilterSpec::neighbours_of(std::slice::from_ref(&vm), "HostSystem", "vm", "X", &[]);
        assert_eq!(from.as_ref().map(missing), Some(Some(true)));
        assert_eq!(missing(&FilterSpec::object(vm, &["name"])), None);
        assert!(FilterSpec::objects("VirtualMachine", &[], &["name"]).is_none());
    }

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
