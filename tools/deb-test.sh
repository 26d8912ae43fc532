#!/usr/bin/env bash
# Installs the packages in build/deb/ on this machine (apt-get install ./build/deb/*.deb), builds
# examples/hostinfo.c with pkg-config from the installed files only, runs it and virsh-esx
# against the simulator at $1 (host:port), imports the Python package from the system's python3
# and lists the host's domains with it, then purges the packages and checks that none of their
# files is left (each path dpkg -L listed). Needs root, as apt does.
set -euo pipefail
cd "$(dirname "$0")/.."
addr=$1
uri="esx://root@$addr/?no_verify=1"
packages=(libvirt-esx0 libvirt-esx-dev python3-libvirt-esx virsh-esx)
debs=()
for p in "${packages[@]}"; do debs+=("./build/deb/${p}_"*.deb); done
work=$(mktemp -d)
purge() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >/dev/null 2>&1; }
# A failure part way leaves the machine as it was too.
trap 'purge || true; rm -rf "$work"' EXIT
# Nothing of the build tree: only what the packages installed.
unset LD_LIBRARY_PATH PKG_CONFIG_PATH LIBVIRT_ESX_LIBRARY PYTHONPATH

DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
for p in "${packages[@]}"; do dpkg -L "$p"; done | sort -u >"$work/files"

cc -Wall -Wextra -Werror -std=c11 -o "$work/hostinfo" examples/hostinfo.c \
    $(pkg-config --cflags --libs libvirt_esx)
linked=$(ldd "$work/hostinfo")
grep -Eq "libvirt_esx.so.0 => /(usr/)?lib/" <<<"$linked" ||
    { echo "deb-test: hostinfo does not use the installed library; ldd says:" >&2; echo "$linked" >&2; exit 1; }
ESX_USER=root ESX_PASSWORD=pw "$work/hostinfo" "$uri" | grep '^Host:'
printf '[credentials-sim]\nusername=root\npassword=pw\n[auth-esx-%s]\ncredentials=sim\n' "${addr%%:*}" \
    >"$work/auth.conf"
# Read whole, then searched: grep -q leaving early would cut the pipe under virsh-esx.
listed=$(LIBVIRT_AUTH_FILE="$work/auth.conf" virsh-esx -c "$uri" list --name)
grep -q ha-host_VM0 <<<"$listed"
test -f /usr/share/man/man1/virsh-esx.1.gz && test -f /usr/share/bash-completion/completions/virsh-esx
/usr/bin/python3 - "$uri" "$work/auth.conf" <<'PY'
import os, sys
os.environ["LIBVIRT_AUTH_FILE"] = sys.argv[2]
import libvirt_esx
assert libvirt_esx.__file__.startswith("/usr/lib/python3/dist-packages/"), libvirt_esx.__file__
conn = libvirt_esx.open(sys.argv[1])
print("python3:", sorted(d.name() for d in conn.listAllDomains()))
conn.close()
PY

purge
left=0
while read -r path; do
    if [ -f "$path" ] || [ -L "$path" ]; then echo "deb-test: left behind: $path" >&2; left=1; fi
    if [ -d "$path" ] && [[ "$path" == *libvirt_esx* ]]; then echo "deb-test: left behind: $path/" >&2; left=1; fi
done <"$work/files"
[ "$left" -eq 0 ] && echo "deb-test: installed, used and purged: nothing left"
