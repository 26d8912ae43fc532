#!/usr/bin/env python3
"""virsh-esx's man page (roff), generated from the program's own help: its usage, its
grouped command list and each command's synopsis, description and options."""

import subprocess
import sys


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, check=True).stdout


def roff(text):
    """Text as roff reads it literally: backslashes and leading dots escaped."""
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + l if l.startswith((".", "'")) else l) for l in text.split("\n"))


def options(usage):
    """The options part of --help: what follows 'options:', up to the command list."""
    part = usage.split("options:\n", 1)[1].split("commands (non interactive mode):")[0]
    return "\n".join(l[2:] if l.startswith("  ") else l for l in part.rstrip().split("\n"))


def main():
    binary = sys.argv[1]
    version = run(binary, "-v").strip()
    out = [
        f'.TH VIRSH-ESX 1 "" "libvirt_esx {version}" "User Commands"',
        ".SH NAME",
        "virsh-esx \\- virsh's command line for VMware ESX/ESXi, VMware Server and vCenter",
        ".SH SYNOPSIS",
        ".B virsh-esx",
        "[\\fIOPTION\\fR]... [\\fICOMMAND_STRING\\fR]",
        ".br",
        ".B virsh-esx",
        "[\\fIOPTION\\fR]... \\fICOMMAND\\fR [\\fIARG\\fR]...",
        ".SH DESCRIPTION",
        "virsh-esx speaks virsh's command language (commands, options, output and exit status) to",
        "VMware over libvirt_esx; no libvirt is needed. Without a command it reads commands from",
        "an interactive shell. The connection URI comes from \\fB\\-c\\fR, else",
        "\\fBVIRSH_DEFAULT_CONNECT_URI\\fR, else \\fBLIBVIRT_DEFAULT_URI\\fR, else \\fBuri_default\\fR",
        "of libvirt.conf, whose \\fBuri_aliases\\fR name URIs.",
        ".SH OPTIONS",
        ".nf",
        roff(options(run(binary, "--help"))),
        ".fi",
        ".SH COMMANDS",
    ]
    groups = run(binary, "help").split("\n\n")
    for group in groups[1:]:
        lines = [l for l in group.split("\n") if l.strip()]
        if not lines:
            continue
        out += [".SS " + roff(lines[0].strip().rstrip(":"))]
        for line in lines[1:]:
            name = line.split()[0]
            out += [".TP", f"\\fB{roff(name)}\\fR", ".nf", roff(run(binary, "help", name).strip("\n")), ".fi"]
    out += [
        ".SH EXIT STATUS",
        "0 when the (last) command succeeded, 1 otherwise, as virsh.",
        ".SH SEE ALSO",
        "virsh(1)",
    ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
