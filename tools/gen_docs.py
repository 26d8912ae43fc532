#!/usr/bin/env python3
"""Writes the C API reference, build/docs/c.html: every function the header declares, grouped by
family, with its doc comment (the Rust docs cbindgen copied, or the generated reason of a
NO_SUPPORT export) and its declaration; and build/docs/index.html linking it beside the Rust
crate's docs (rust/) and the Python package's (python/), which `make docs` writes, and virsh-esx(1) rendered by groff. Prints how
many functions have an entry; --check fails when one lacks it.
Usage: python3 tools/gen_docs.py [--check]"""
import html
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "include" / "libvirt_esx.h"
OUT = ROOT / "build" / "docs"

# Families by name prefix, the longest prefix that matches deciding.
FAMILIES = [
    ("virConnectDomainEvent", "Events"), ("virConnectNetworkEvent", "Events"),
    ("virConnectStoragePoolEvent", "Events"), ("virConnectNodeDeviceEvent", "Events"),
    ("virConnectSecretEvent", "Events"), ("virEvent", "Event loop"),
    ("virDomainSnapshot", "Snapshots"), ("virDomainCheckpoint", "Checkpoints"),
    ("virDomain", "Domains"), ("virStoragePool", "Storage pools"),
    ("virStorageVol", "Storage volumes"), ("virStream", "Streams"),
    ("virNetworkPort", "Network ports"), ("virNetwork", "Networks"),
    ("virInterface", "Interfaces"), ("virNodeDevice", "Node devices"),
    ("virNodeNumOfDevices", "Node devices"), ("virNodeListDevices", "Node devices"),
    ("virNode", "Host"), ("virSecret", "Secrets"), ("virNWFilter", "Network filters"),
    ("virTypedParam", "Typed parameters"), ("virConnGetLastError", "Errors"),
    ("virConnResetLastError", "Errors"), ("virConnCopyLastError", "Errors"),
    ("virConnSetErrorFunc", "Errors"), ("virGetLastError", "Errors"),
    ("virResetLastError", "Errors"), ("virCopyLastError", "Errors"),
    ("virSaveLastError", "Errors"), ("virFreeError", "Errors"), ("virResetError", "Errors"),
    ("virSetErrorFunc", "Errors"), ("virDefaultErrorFunc", "Errors"),
    ("virConnect", "Connections"), ("virEsx", "libvirt_esx's own"),
]


def family(name):
    best = max((p for p, _ in FAMILIES if name.startswith(p)), key=len, default=None)
    return dict(FAMILIES)[best] if best else "Library"


def entries(header):
    """(name, declaration, comment) for each function the header declares."""
    out, comment = [], None
    lines = header.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("/*"):
            block = [line]
            while not lines[i].rstrip().endswith("*/"):
                i += 1
                block.append(lines[i])
            comment = "\n".join(block)
            i += 1
            continue
        m = re.match(r"^[A-Za-z][^;(]*?\b(vir\w+)\(", line)
        if m and not line.startswith("typedef"):
            decl = [line]
            while not decl[-1].rstrip().endswith(";"):
                i += 1
                decl.append(lines[i])
            out.append((m.group(1), "\n".join(decl), comment))
        if line.strip() and not line.startswith("/*"):
            comment = None
        i += 1
    return out


def text_of(comment):
    """The comment's words, its `# Safety` section apart."""
    if not comment:
        return "", ""
    body = re.sub(r"^/\*+|\*/$", "", comment.strip()).strip("\n")
    body = "\n".join(l[1:] if l.startswith(" ") else l for l in body.split("\n"))
    about, _, safety = body.partition("# Safety")
    return about.strip(), safety.strip()


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }}
code, pre {{ background: #f4f4f4; }} pre {{ padding: .5em; overflow-x: auto; }}
.fn {{ border-top: 1px solid #ddd; padding: .5em 0; }}
.nosupport {{ color: #a33; font-weight: bold; }}
nav a {{ margin-right: 1em; }}
</style></head><body>
{body}
</body></html>
"""


def main():
    items = entries(HEADER.read_text())
    missing = [n for n, _, c in items if not text_of(c)[0]]
    documented = len(items) - len(missing)
    if "--check" in sys.argv:
        if missing:
            sys.exit("%d of %d exports have no reference entry: %s"
                     % (len(missing), len(items), ", ".join(missing)))
        print("%d exports, each with its reference entry" % len(items))
        return
    groups = {}
    for name, decl, comment in items:
        groups.setdefault(family(name), []).append((name, decl, comment))
    # Families in the order a reader meets them: FAMILIES' order, then the rest.
    known = list(dict.fromkeys(["Connections", "Errors", "Host", "Domains", "Snapshots", "Events",
                                "Event loop", "Typed parameters", "Storage pools",
                                "Storage volumes", "Streams", "Networks", "Interfaces",
                                "Node devices", "libvirt_esx's own", "Library"] +
                               [f for _, f in FAMILIES]))
    order = sorted(groups, key=known.index)
    parts = ["<h1>libvirt_esx: the C API</h1>",
             "<p>%d functions, %d with their reference entry; libvirt's names and signatures "
             "(<code>#include &lt;libvirt/libvirt.h&gt;</code> from "
             "<code>pkg-config --cflags libvirt_esx</code>).</p>" % (len(items), documented),
             "<nav>" + "".join('<a href="#%s">%s</a>' % (html.escape(f.replace(" ", "-")),
                                                         html.escape(f)) for f in order) + "</nav>"]
    for f in order:
        parts.append('<h2 id="%s">%s</h2>' % (html.escape(f.replace(" ", "-")), html.escape(f)))
        for name, decl, comment in sorted(groups[f]):
            about, safety = text_of(comment)
            badge = ' <span class="nosupport">NO_SUPPORT</span>' if "VIR_ERR_NO_SUPPORT" in about \
                and "not supported" in about.lower() else ""
            parts.append('<div class="fn" id="%s"><h3><code>%s</code>%s</h3><pre>%s</pre>'
                         % (name, name, badge, html.escape(decl)))
            if about:
                parts.append("<p>%s</p>" % html.escape(about).replace("\n\n", "</p><p>"))
            if safety:
                parts.append("<p><em>Safety:</em> %s</p>" % html.escape(safety))
            parts.append("</div>")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "c.html").write_text(PAGE.format(title="libvirt_esx C API", body="\n".join(parts)))
    index = ["<h1>libvirt_esx reference</h1>", "<ul>",
             '<li><a href="c.html">The C API</a>: %d functions by family</li>' % len(items),
             '<li><a href="rust/esx_driver/index.html">The Rust crate <code>esx_driver</code></a></li>',
             '<li><a href="python/libvirt_esx.html">The Python package <code>libvirt_esx</code></a></li>',
             '<li><a href="virsh-esx.1.html">virsh-esx(1)</a></li>', "</ul>"]
    (OUT / "index.html").write_text(PAGE.format(title="libvirt_esx reference",
                                                body="\n".join(index)))
    man = ROOT / "build" / "virsh-esx.1"
    if man.exists():
        text = subprocess.run(["groff", "-man", "-Tutf8", "-P", "-cbou", str(man)],
                              capture_output=True, text=True, check=True).stdout
        (OUT / "virsh-esx.1.html").write_text(PAGE.format(
            title="virsh-esx(1)", body="<pre>%s</pre>" % html.escape(text)))
    print("docs: %d functions, %d with their reference entry, %d without" %
          (len(items), documented, len(missing)))


main()
