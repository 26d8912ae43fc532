#!/usr/bin/env python3
"""Writes a C program that declares again, from src/abi/api.tsv, every function, type and callback
of libvirt's API and asserts every enum value and numeric macro, so that compiling it after a
header proves that header agrees with the table (C rejects a conflicting redeclaration); run, it
prints each struct's size and field offsets and checks the string macros; it references every
function, so that it links only against a library exporting them all. Usage:
redeclare.py HEADER[,HEADER] [UPTO] > prog.c, where UPTO (e.g. 9.0.0) keeps the facts of releases up to it."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def release(text):
    return tuple(int(n) for n in text.split("."))


def decl(ctype, name):
    return f"{ctype}{name}" if ctype.endswith("*") else f"{ctype} {name}"


def field_names(fields):
    """The names of a struct's fields, as declared: `char *s` -> s, `char field[80]` -> field."""
    names = []
    for part in re.sub(r"\{[^}]*\}", "", fields).split(";"):
        if part.strip():
            names.append(re.search(r"(\w+)\s*(\[[^\]]*\])?\s*$", part).group(1))
    return names


def main():
    header = sys.argv[1]
    upto = release(sys.argv[2]) if len(sys.argv) > 2 else None
    rows = [l.split("\t") for l in (ROOT / "src/abi/api.tsv").read_text().splitlines()
            if l and not l.startswith("#")]
    rows = [r for r in rows if upto is None or release(r[-1]) <= upto]
    out = ["#define VIR_ENUM_SENTINELS", *(f'#include "{h}"' for h in header.split(",")), "#include <stddef.h>",
           "#include <stdio.h>", "#include <string.h>", ""]
    checks, layouts, functions = [], [], []
    for r in rows:
        kind, name = r[0], r[1]
        if kind == "function":
            out.append(decl(r[2], f"{name}({r[3]})") + ";")
            functions.append(f"    (void (*)(void)){name},")
        elif kind == "callback":
            out.append("typedef " + decl(r[2], f"(*{name})({r[3]})") + ";")
        elif kind == "typedef":
            out.append("typedef " + decl(r[2], name) + ";")
        elif kind == "variable":
            out.append("extern " + decl(r[2], name) + ";")
        elif kind == "struct":
            out.append(f"typedef {r[2]} {name};")
            names = field_names(r[3]) if r[3] else []
            if names:
                layouts.append(f'    printf("{name} %zu\\n", sizeof({name}));')
                layouts += [f'    printf("{name}.{f} %zu\\n", offsetof({name}, {f}));' for f in names]
        elif kind == "enum":
            out.append(f'_Static_assert((unsigned int)({name}) == (unsigned int){r[3]}LL, "{name}");')
        elif kind == "macro" and not r[2] and not r[3].startswith("_vir") \
                and not (upto and name == "LIBVIR_VERSION_NUMBER"):
            # Object-like macros are values, but for the struct-tag aliases (_virSchedParameter).
            out.append(f'_Static_assert(({name}) == ({r[3]}), "{name}");')
        elif kind == "string":
            checks.append(f'    if (strcmp({name}, "{r[2]}") != 0) {{ puts("{name} differs"); bad = 1; }}')
    # Every function referenced, so that linking needs the library to export each one.
    out += ["", "static void (*const functions[])(void) = {", *functions, "};", "",
            "int main(void)", "{", "    int bad = 0;", *checks, *layouts,
            '    printf("%zu functions\\n", sizeof(functions) / sizeof(functions[0]));',
            "    return bad;", "}"]
    print("\n".join(out))


main()
