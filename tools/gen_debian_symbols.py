#!/usr/bin/env python3
"""Writes debian/libvirt-esx0.symbols: every function libvirt_esx.so.0 exports (libvirt's symbol
table src/abi/symbols.tsv, and the library's own virEsx* calls its header declares), each with
the package version that first had it. A symbol already listed keeps its version; a new one gets
Cargo.toml's. dpkg-gensymbols checks the built library against it (debian/rules sets check
level 4), so a symbol added or gone fails the package build until this is run again.
Usage: python3 tools/gen_debian_symbols.py [--check]"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "debian" / "libvirt-esx0.symbols"
HEADER = ["libvirt_esx.so.0 libvirt-esx0 #MINVER#", "* Build-Depends-Package: libvirt-esx-dev"]


def version():
    m = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M)
    return m.group(1)


def exported():
    names = set()
    for line in (ROOT / "src" / "abi" / "symbols.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            names.add(line.split("\t")[1])
    header = (ROOT / "include" / "libvirt_esx.h").read_text()
    names.update(re.findall(r"\b(virEsx\w+)\(", header))
    return names


def known():
    if not OUT.exists():
        return {}
    found = {}
    for line in OUT.read_text().splitlines():
        m = re.match(r"\s+(\S+)@Base (\S+)", line)
        if m:
            found[m.group(1)] = m.group(2)
    return found


def main():
    since = known()
    current = version()
    lines = HEADER + [" %s@Base %s" % (n, since.get(n, current)) for n in sorted(exported())]
    text = "\n".join(lines) + "\n"
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text() != text:
            sys.exit("debian/libvirt-esx0.symbols is stale: run python3 tools/gen_debian_symbols.py")
        return
    OUT.write_text(text)
    print("%d symbols" % (len(lines) - len(HEADER)))


main()
