#!/usr/bin/env python3
"""Writes src/abi/api.tsv: every public declaration of libvirt.h and virterror.h (macros, string
macros, enum values, typedefs, structs, callback types, the global, functions) as facts: names,
values, C types. Read from libvirt-dev's API XML (release 9.0) and src/abi/api-extra.tsv (what
later releases up to the claimed one added, and the macro bodies the XML leaves empty). The build
writes the header's declarations that the Rust sources do not make from this table; tests check
the header against it. Run where libvirt-dev is installed: python3 tools/gen_api_table.py"""
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API = "/usr/share/libvirt/api/libvirt-api.xml"
EXTRA = ROOT / "src/abi/api-extra.tsv"
OUT = ROOT / "src/abi/api.tsv"


def decl(ctype, name):
    """A C declaration of `name` with type `ctype` (arrays carry their name inside the type)."""
    if "[" in ctype:
        return ctype
    return f"{ctype}{name}" if ctype.endswith("*") else f"{ctype} {name}"


def args(node):
    return ", ".join(decl(a.get("type"), a.get("name")) for a in node.findall("arg")) or "void"


def fields(struct):
    out = []
    for f in struct.findall("field"):
        union = f.find("union")
        if union is not None:
            members = " ".join(decl(m.get("type"), m.get("name")) + ";" for m in union.findall("field"))
            out.append(f"union {{ {members} }} {f.get('name')}")
        else:
            out.append(decl(f.get("type"), f.get("name")))
    return "; ".join(out)


def clean(text):
    return " ".join((text or "").split())


def rows_from_xml():
    symbols = ET.parse(API).getroot().find("symbols")
    rows = {}
    for m in symbols.findall("macro"):
        if m.get("string") is not None:
            rows[("string", m.get("name"))] = [m.get("string"), m.get("version")]
        else:
            rows[("macro", m.get("name"))] = [m.get("params", ""), clean(m.get("raw")), m.get("version")]
    for e in symbols.findall("enum"):
        rows[("enum", e.get("name"))] = [e.get("type"), e.get("value"), e.get("version")]
    for t in symbols.findall("typedef"):
        if t.get("type") != "enum":
            rows[("typedef", t.get("name"))] = [t.get("type"), t.get("version")]
    for s in symbols.findall("struct"):
        rows[("struct", s.get("name"))] = [s.get("type"), fields(s), s.get("version")]
    for v in symbols.findall("variable"):
        rows[("variable", v.get("name"))] = [v.get("type"), v.get("version")]
    for kind, tag in (("callback", "functype"), ("function", "function")):
        for f in symbols.findall(tag):
            rows[(kind, f.get("name"))] = [f.find("return").get("type"), args(f), f.get("version")]
    return rows


def main():
    rows = rows_from_xml()
    for line in EXTRA.read_text().splitlines():
        if line and not line.startswith("#"):
            kind, name, *rest = line.split("\t")
            rows[(kind, name)] = rest
    # An enum value libvirt spells by another's name (VIR_DOMAIN_BLKIO_PARAM_INT = VIR_TYPED_PARAM_INT)
    # is kept as the number.
    values = {name: rest[1] for (kind, name), rest in rows.items() if kind == "enum"}
    for (kind, name), rest in rows.items():
        while kind == "enum" and not rest[1].lstrip("-").isdigit():
            rest[1] = values[rest[1]]
    order = ["macro", "string", "enum", "typedef", "struct", "callback", "variable", "function"]
    out = [
        "# libvirt's public declarations, as facts: made by tools/gen_api_table.py from libvirt-dev's",
        "# API XML and src/abi/api-extra.tsv; do not edit. Columns by kind (the last is the release",
        "# that added it): macro NAME PARAMS BODY · string NAME VALUE · enum NAME TYPE VALUE ·",
        "# typedef NAME CTYPE · struct NAME TAG FIELDS · variable NAME CTYPE ·",
        "# callback NAME RETURN ARGS · function NAME RETURN ARGS",
    ]
    for (kind, name), rest in sorted(rows.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        out.append("\t".join([kind, name, *rest]))
    OUT.write_text("\n".join(out) + "\n")
    counts = {k: sum(1 for r in rows if r[0] == k) for k in order}
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


main()
