#!/usr/bin/env python3
"""Writes src/abi/symbols.tsv: libvirt's public symbols and their version nodes, as the system's
libvirt.so.0 exports them (objdump -T), checked against libvirt-dev's API XML, with the functions
of later releases that src/abi/api-extra.tsv adds. Facts only: the
table the drop-in's version script and the symbol test read. Run where libvirt0 and
libvirt-dev are installed: python3 tools/gen_symbols.py"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIB = "/usr/lib/x86_64-linux-gnu/libvirt.so.0"
API = "/usr/share/libvirt/api/libvirt-api.xml"


def node_key(node):
    return tuple(int(n) for n in re.findall(r"\d+", node))


def main():
    dump = subprocess.run(["objdump", "-T", LIB], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in dump.splitlines():
        f = line.split()
        if len(f) >= 7 and f[1] == "g" and f[-1].startswith("vir") and f[-2].startswith("LIBVIRT_") \
                and "PRIVATE" not in f[-2]:
            syms[f[-1]] = f[-2]
    functions = {f.get("name") for f in ET.parse(API).getroot().iter("function")}
    missing = functions - set(syms)
    if missing:
        sys.exit(f"functions of the API XML that {LIB} does not export: {sorted(missing)}")
    # Functions of later releases up to the claimed one: libvirt names each release's node for it.
    for line in (ROOT / "src/abi/api-extra.tsv").read_text().splitlines():
        f = line.split("\t")
        if f[0] == "function":
            syms[f[1]] = "LIBVIRT_" + f[-1]
    release = ET.parse(API).getroot().get("name", "libvirt")
    version = subprocess.run(["pkg-config", "--modversion", "libvirt"], capture_output=True,
                             text=True).stdout.strip()
    rows = sorted(syms.items(), key=lambda kv: (node_key(kv[1]), kv[0]))
    out = [f"# libvirt's public symbols and their version nodes, as {release} {version}'s libvirt.so.0",
           "# exports them (objdump -T), every function of its API XML among them, and the functions",
           "# of later releases in api-extra.tsv; made by tools/gen_symbols.py. Columns: version node, symbol."]
    out += [f"{node}\t{name}" for name, node in rows]
    (ROOT / "src/abi/symbols.tsv").write_text("\n".join(out) + "\n")
    print(f"{len(rows)} symbols in {len({n for n in syms.values()})} version nodes")


main()
