#!/usr/bin/env python3
"""Generates python/libvirt_esx/_abi.py from include/libvirt_esx.h: every VIR_* constant, the
structs and unions with their exact layouts, the callback types and every function's ctypes
prototype. The header is the one source; `--check` fails when the committed file has drifted."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "include" / "libvirt_esx.h"
OUTPUT = ROOT / "python" / "libvirt_esx" / "_abi.py"

SCALARS = {
    "void": "None", "char": "c_char", "int": "c_int", "unsigned int": "c_uint",
    "long": "c_long", "unsigned long": "c_ulong", "long long": "c_longlong",
    "unsigned long long": "c_ulonglong", "unsigned char": "c_ubyte", "short": "c_short",
    "unsigned short": "c_ushort", "double": "c_double", "size_t": "c_size_t",
    "int32_t": "c_int32", "uint32_t": "c_uint32",
}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    # The *_LAST sentinels libvirt keeps behind VIR_ENUM_SENTINELS, which libvirt-python leaves out.
    return re.sub(r"#if defined\(VIR_ENUM_SENTINELS\).*?#endif", "", text, flags=re.S)


class Header:
    def __init__(self, text):
        self.text = strip_comments(text)
        self.constants = []     # (name, value)
        self.items = []         # in the header's order, which is C's dependency order
        self.functions = []     # (name, restype, [argtypes])
        self.opaque = set()
        self.known = set()
        self.parse()

    def parse(self):
        t = self.text
        for m in re.finditer(r"#define\s+(VIR_\w+|LIBVIR_\w+)\s+(.+)", t):
            self.constants.append((m.group(1), m.group(2).strip()))
        for m in re.finditer(r"typedef\s+enum\s+\w+\s*\{(.*?)\}\s*(\w+)\s*;", t, re.S):
            for item in m.group(1).split(","):
                if "=" in item:
                    name, value = (s.strip() for s in item.split("=", 1))
                    self.constants.append((name, value))
        for stmt in re.finditer(r"typedef\s+([^;{]*?(\{.*?\})?[^;{]*?);", t, re.S):
            self.typedef(stmt.group(1))
        for m in re.finditer(r"^(?!typedef|extern|#)([A-Za-z_][\w\s\*]*?)\b(vir\w+)\s*\(([^)]*)\)\s*;",
                             t, re.M):
            ret, name, args = m.group(1), m.group(2), m.group(3)
            self.functions.append((name, self.ctype(ret, True), self.args(args)))

    def values(self):
        """Each constant's value: C's integer suffixes dropped, a name (VIR_KEYCODE_SET_RFB is
        VIR_KEYCODE_SET_QNUM) resolved, whatever order the header defines them in."""
        known, pending = {}, list(self.constants)
        while pending:
            left = []
            for name, text in pending:
                try:
                    known[name] = eval(re.sub(r"\b(\d+)(?:U|L|UL|LL|ULL)\b", r"\1", text), {}, dict(known))
                    if known[name] == -2147483648:
                        # libvirt's `1U << 31`, which C enums hold as int but libvirt-python as is.
                        known[name] = 2147483648
                except NameError:
                    left.append((name, text))
            if len(left) == len(pending):
                raise SystemExit("unresolved constants: %s" % left)
            pending = left
        return [(name, known[name]) for name, _ in self.constants]

    def typedef(self, body):
        body = " ".join(body.split())
        enum = re.match(r"enum \w+ \{.*\} (\w+)$", body)
        if enum:
            self.items.append(("alias", enum.group(1), "c_int"))
            self.known.add(enum.group(1))
            return
        rec = re.match(r"(struct|union) (\w+) \{(.*)\} (\w+)$", body)
        if rec:
            kind, tag, fields, name = rec.groups()
            parsed = []
            for f in filter(None, (x.strip() for x in fields.split(";"))):
                arr = re.match(r"(.*?)(\w+)\[(\w+)\]$", f)
                if arr:
                    parsed.append((arr.group(2), "%s * %s" % (self.ctype(arr.group(1), False), arr.group(3))))
                else:
                    fm = re.match(r"(.*?)(\w+)$", f)
                    parsed.append((fm.group(2), self.ctype(fm.group(1), False)))
            self.items.append(("record", tag, (kind, parsed)))
            self.known.add(tag)
            if name != tag:
                self.items.append(("alias", name, tag))
            return
        fp = re.match(r"(.*?)\(\*(\w+)\)\((.*)\)$", body)
        if fp:
            ret, name, args = fp.groups()
            self.items.append(("callback", name, [self.ctype(ret, False)] + self.args(args)))
            self.known.add(name)
            return
        scalar = re.match(r"(%s) (\w+)$" % "|".join(sorted(SCALARS, key=len, reverse=True)), body)
        if scalar:
            self.items.append(("alias", scalar.group(2), SCALARS[scalar.group(1)]))
            self.known.add(scalar.group(2))
            return
        m = re.match(r"(?:(struct|union) )?(\w+)\s*(\*?)\s*(\w+)$", body)
        if not m:
            raise SystemExit("unparsed typedef: " + body)
        _, target, star, name = m.groups()
        if star:
            self.items.append(("alias", name, self.pointer_to(target)))
        elif target in self.opaque or (target not in self.known and target not in SCALARS):
            self.opaque.update((name, target))
            return
        else:
            self.items.append(("alias", name, SCALARS.get(target, target)))
        self.known.add(name)

    def pointer_to(self, target):
        if target in self.opaque:
            return "c_void_p"
        return "POINTER(%s)" % SCALARS.get(target, target)

    def args(self, text):
        text = " ".join(text.split())
        if text in ("", "void"):
            return []
        out = []
        for a in text.split(","):
            m = re.match(r"(.*?)(\w+)$", a.strip())
            out.append(self.ctype(m.group(1), False))
        return out

    def ctype(self, decl, is_return):
        decl = " ".join(decl.replace("*", " * ").split())
        const = decl.startswith("const ")
        base = re.sub(r"\bconst\b", "", decl).replace("*", "").strip()
        stars = decl.count("*")
        base = base.replace("union ", "").replace("struct ", "")
        if stars == 0:
            if base in SCALARS:
                return SCALARS[base]
            if base in self.opaque:
                return "c_void_p"
            return base
        if base in ("char", "unsigned char") and stars == 1:
            # A string the caller must free comes back as an address; others convert to bytes.
            return "c_void_p" if is_return and not const else "c_char_p"
        if base in self.opaque or base in ("char", "void"):
            # The innermost pointer to opaque data, to void or to text is a plain address.
            inner, stars = "c_void_p", stars - 1
        else:
            inner = SCALARS.get(base, base)
        for _ in range(stars):
            inner = "POINTER(%s)" % inner
        return inner

    def render(self):
        out = [
            '"""libvirt\'s C ABI as ctypes sees it. Generated by tools/gen_python_abi.py from',
            'include/libvirt_esx.h: do not edit; `make python-abi` regenerates it."""',
            "# flake8: noqa",
            "from ctypes import (CFUNCTYPE, POINTER, Structure, Union, c_char, c_char_p, c_double,",
            "                    c_int, c_int32, c_long, c_longlong, c_short, c_size_t, c_ubyte, c_uint,",
            "                    c_uint32, c_ulong, c_ulonglong, c_ushort, c_void_p)",
            "",
        ]
        for name, value in self.values():
            out.append("%s = %r" % (name, value))
        out.append("")
        out.append("# What `from ._abi import *` gives the package: libvirt's constants only.")
        out.append("__all__ = [")
        for name, _ in self.constants:
            out.append("    %r," % name)
        out.append("]")
        out.append("")
        for kind, name, what in self.items:
            if kind == "record":
                record, fields = what
                out.append("")
                out.append("class %s(%s):" % (name, "Structure" if record == "struct" else "Union"))
                out.append("    _fields_ = [")
                for fname, ftype in fields:
                    out.append("        (%r, %s)," % (fname, ftype))
                out.append("    ]")
                out.append("")
            elif kind == "callback":
                out.append("%s = CFUNCTYPE(%s)" % (name, ", ".join(what)))
            else:
                out.append("%s = %s" % (name, what))
        out.append("")
        out.append("# name: (restype, argtypes), in the header's order.")
        out.append("FUNCTIONS = {")
        for name, ret, args in self.functions:
            out.append("    %r: (%s, [%s])," % (name, ret, ", ".join(args)))
        out.append("}")
        return "\n".join(out) + "\n"


def main():
    text = Header(HEADER.read_text()).render()
    if "--check" in sys.argv:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            sys.exit("%s is stale: run tools/gen_python_abi.py and commit it" % OUTPUT.relative_to(ROOT))
        return
    OUTPUT.write_text(text)


if __name__ == "__main__":
    main()
