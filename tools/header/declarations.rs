//! The header's declarations that the Rust sources do not make: read from src/abi/api.tsv (libvirt's
//! public declarations as facts) and written in libvirt's C for every name cbindgen left undeclared.

use std::collections::{BTreeMap, HashSet};

/// One row of the table: its kind, its name and the kind's columns (the release that added it last).
struct Row<'a> {
    kind: &'a str,
    name: &'a str,
    cols: Vec<&'a str>,
}

/// Every identifier cbindgen's output declares or uses, comments left out: a table row whose name
/// is among them is already in the header.
fn identifiers(header: &str) -> HashSet<String> {
    let mut code = String::with_capacity(header.len());
    let mut rest = header;
    while let Some(at) = rest.find("/*") {
        code.push_str(&rest[..at]);
        rest = rest[at..]
            .find("*/")
            .map_or("", |end| &rest[at + end + 2..]);
    }
    code.push_str(rest);
    code.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .flat_map(|l| l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `ctype` declaring `name`, in C's spelling (`char *s`, `int x`).
fn decl(ctype: &str, name: &str) -> String {
    if ctype.ends_with('*') {
        format!("{ctype}{name}")
    } else {
        format!("{ctype} {name}")
    }
}

/// An enum value as the `int` a C enum holds (libvirt's `1U << 31` is -2147483648).
fn enum_value(text: &str) -> i64 {
    let v: i64 = text
        .parse()
        .unwrap_or_else(|_| panic!("enum value {text:?}"));
    if v > i64::from(i32::MAX) {
        v - (1 << 32)
    } else {
        v
    }
}

/// The doc comment of each export of `rust` (the generated NO_SUPPORT exports' source): the
/// `///` lines before its `#[unsafe(no_mangle)]`, by name.
pub fn export_docs(rust: &str) -> BTreeMap<String, String> {
    let mut docs = BTreeMap::new();
    let mut doc: Vec<&str> = Vec::new();
    for line in rust.lines() {
        if let Some(text) = line.trim_start().strip_prefix("///") {
            doc.push(text.trim());
        } else if let Some(rest) = line.split("extern \"C\" fn ").nth(1) {
            let name = rest.split('(').next().unwrap_or_default();
            if !doc.is_empty() {
                docs.insert(name.to_owned(), doc.join("\n "));
            }
            doc.clear();
        } else if !line.trim_start().starts_with("#[") {
            doc.clear();
        }
    }
    docs
}

/// The C declarations of every row of `table` that `header` lacks, in an order C accepts:
/// macros, enums, type names, callback types, struct bodies, the global, then the prototypes,
/// each prototype after its doc comment from `docs`.
pub fn missing(table: &str, header: &str, docs: &BTreeMap<String, String>) -> String {
    let known = identifiers(header);
    let rows: Vec<Row> = table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut f = l.split('\t');
            let (kind, name) = (f.next().unwrap(), f.next().unwrap());
            Row {
                kind,
                name,
                cols: f.collect(),
            }
        })
        .filter(|r| !known.contains(r.name))
        .collect();
    let of = |kind: &'static str| rows.iter().filter(move |r| r.kind == kind);
    let mut out = String::from(
        "\n/* libvirt's declarations the library makes no Rust type for (src/abi/api.tsv). */\n",
    );
    for r in of("macro") {
        match r.cols[0] {
            "" => out += &format!("#define {} {}\n", r.name, r.cols[1]),
            params => out += &format!("#define {}({params}) {}\n", r.name, r.cols[1]),
        }
    }
    for r in of("string") {
        out += &format!("#define {} \"{}\"\n", r.name, r.cols[0]);
    }
    let mut enums: BTreeMap<&str, Vec<(i64, &str)>> = BTreeMap::new();
    for r in of("enum") {
        if !known.contains(r.cols[0]) {
            enums
                .entry(r.cols[0])
                .or_default()
                .push((enum_value(r.cols[1]), r.name));
        } else if r.name.ends_with("_LAST") {
            // A sentinel equal to another value of its Rust enum, which Rust cannot spell twice.
            let value = enum_value(r.cols[1]);
            out += &format!(
                "#if defined(VIR_ENUM_SENTINELS)\n#define {} {value}\n#endif\n",
                r.name
            );
        }
    }
    for (ty, mut values) in enums {
        values.sort();
        out += &format!("\ntypedef enum {ty} {{\n");
        for (value, name) in values {
            if name.ends_with("_LAST") {
                out += &format!("#if defined(VIR_ENUM_SENTINELS)\n    {name} = {value},\n#endif\n");
            } else {
                out += &format!("    {name} = {value},\n");
            }
        }
        out += &format!("}} {ty};\n");
    }
    // Type names: the opaque structs', then the structs with bodies in an order where each
    // follows those its fields name, each with its pointer type, then the callbacks.
    out += "\n";
    let (opaque, mut bodies): (Vec<&Row>, Vec<&Row>) =
        of("struct").partition(|r| r.cols[1].is_empty());
    for r in opaque {
        out += &format!("typedef {} {};\n", r.cols[0], r.name);
    }
    let mut typedefs: Vec<&Row> = of("typedef").collect();
    let mut emit_typedefs = |out: &mut String, ready: &dyn Fn(&str) -> bool| {
        typedefs.retain(|t| {
            let target = t.cols[0].trim_end_matches(['*', ' ']);
            let emit = ready(target);
            if emit {
                *out += &format!("typedef {};\n", decl(t.cols[0], t.name));
            }
            !emit
        });
    };
    let structs: HashSet<&str> = bodies.iter().map(|r| r.name).collect();
    emit_typedefs(&mut out, &|target| !structs.contains(target));
    while !bodies.is_empty() {
        let waiting: Vec<&str> = bodies.iter().map(|r| r.name).collect();
        let next = bodies
            .iter()
            .position(|r| {
                let named = |w: &&str| {
                    r.cols[1].contains(&format!("{w}Ptr ")) || r.cols[1].contains(&format!("{w} "))
                };
                !waiting.iter().filter(|w| **w != r.name).any(named)
            })
            .expect("structs whose fields name each other");
        let r = bodies.remove(next);
        let tag = r.cols[0].trim_start_matches("struct ");
        if header.contains(&format!("struct {tag} {{")) || out.contains(&format!("struct {tag} {{"))
        {
            out += &format!("typedef {} {};\n", r.cols[0], r.name);
        } else {
            let fields = r.cols[1].replace("; ", ";\n    ");
            out += &format!("typedef struct {tag} {{\n    {fields};\n}} {};\n", r.name);
        }
        emit_typedefs(&mut out, &|target| target == r.name);
    }
    for r in of("callback") {
        out += &format!(
            "typedef {};\n",
            decl(r.cols[0], &format!("(*{})({})", r.name, r.cols[1]))
        );
    }
    out += "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
    for r in of("variable") {
        out += &format!("extern {};\n", decl(r.cols[0], r.name));
    }
    for r in of("function") {
        if let Some(doc) = docs.get(r.name) {
            out += &format!("/*\n {doc}\n */\n");
        }
        out += &format!(
            "{};\n",
            decl(r.cols[0], &format!("{}({})", r.name, r.cols[1]))
        );
    }
    out + "\n#ifdef __cplusplus\n}  /* extern \"C\" */\n#endif\n"
}
