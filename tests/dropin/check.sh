#!/usr/bin/env bash
# Checks the drop-in (build/dropin/libvirt.so.0, from tools/dropin.sh): its soname; each symbol
# it exports under the version node src/abi/symbols.tsv gives it (ours under LIBVIRT_ESX_0.1.0);
# its companions libvirt-qemu.so.0 and libvirt-lxc.so.0 likewise (src/abi/companions.tsv);
# the table against libvirt-dev's API XML; a program built against the system's libvirt header
# and libvirt.so.0 running a listing on it; the typed-parameter helpers' transcript on Debian's
# libvirt0 and on it; and Debian's python3-libvirt, unmodified, opening,
# listing, changing a domain, receiving its events and calling the QEMU and LXC modules through
# it. Usage: check.sh ESX_ADDR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
lib=build/dropin/libvirt.so.0
table=src/abi/symbols.tsv
fail() { echo "dropin: $*" >&2; exit 1; }

# grep reads all of objdump's output: with -q it could stop early and pipefail see SIGPIPE.
objdump -p "$lib" | grep 'SONAME *libvirt.so.0$' >/dev/null || fail "soname is not libvirt.so.0"
objdump -T "$lib" | awk '$2 == "g" && $NF ~ /^vir/ {print $(NF-1), $NF}' | sort -k2 >build/dropin/exported.txt
bad=$(awk -v table="$table" '
    BEGIN { while ((getline l < table) > 0) if (l !~ /^#/) { split(l, f, "\t"); node[f[2]] = f[1] } }
    { want = ($2 in node) ? node[$2] : "LIBVIRT_ESX_0.1.0"; if ($1 != want) print $2 " is " $1 ", not " want }
' build/dropin/exported.txt)
[ -z "$bad" ] || fail "$bad"
api=/usr/share/libvirt/api/libvirt-api.xml
if [ -f "$api" ]; then
    missing=$(grep -o '<function name=.[a-zA-Z0-9_]*' "$api" | sed 's/.*=.//' | sort -u |
        comm -23 - <(grep -v '^#' "$table" | cut -f2 | sort -u))
    [ -z "$missing" ] || fail "functions of $api missing from $table: $missing"
fi
# The companions: soname, libvirt.so.0 needed, each function under Debian's node for it.
for name in qemu lxc; do
    so=build/dropin/libvirt-$name.so.0
    objdump -p "$so" | grep "SONAME *libvirt-$name.so.0$" >/dev/null || fail "$so: wrong soname"
    objdump -p "$so" | grep "NEEDED *libvirt.so.0$" >/dev/null || fail "$so: not linked to libvirt.so.0"
    got=$(objdump -T "$so" | awk '$2 == "g" && $NF ~ /^vir/ {print $(NF-1) "\t" $NF}' | sort)
    want=$(awk -F'\t' -v lib="$name" '$1 == lib {print $2 "\t" $3}' src/abi/companions.tsv | sort)
    [ "$got" = "$want" ] || fail "$so exports $got, not $want"
done
echo "dropin: libvirt-qemu.so.0 and libvirt-lxc.so.0 export libvirt's functions under its nodes"
total=$(grep -vc '^#' "$table")
ours=$(awk 'NR == FNR { if ($0 !~ /^#/) { split($0, f, "\t"); t[f[2]] = 1 }; next } $2 in t' "$table" build/dropin/exported.txt | wc -l)
echo "dropin: $ours of libvirt's $total public symbols exported, each under libvirt's version node"

cc -Wall -Wextra -Werror -std=c11 -o build/dropin/list_domains tests/dropin/list_domains.c \
    $(pkg-config --cflags libvirt) "$lib" -ldl
LD_LIBRARY_PATH="$ROOT/build/dropin" build/dropin/list_domains "esx://$1/?no_verify=1"
# The typed-parameter helpers: one transcript on Debian's libvirt0, the same on the drop-in
# (under valgrind).
cc -Wall -Wextra -Werror -std=c11 -o build/dropin/typed_params tests/dropin/typed_params.c \
    $(pkg-config --cflags libvirt) "$lib"
env -u LD_LIBRARY_PATH build/dropin/typed_params >build/dropin/typed_params.libvirt
LD_LIBRARY_PATH="$ROOT/build/dropin" valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
    --error-exitcode=3 build/dropin/typed_params >build/dropin/typed_params.ours
diff -u build/dropin/typed_params.libvirt build/dropin/typed_params.ours ||
    fail "the typed-parameter helpers differ from libvirt's"
echo "dropin: typed-parameter helpers as libvirt's ($(wc -l <build/dropin/typed_params.ours) lines)"

# Debian's python3-libvirt lives in the system Python's dist-packages.
LD_LIBRARY_PATH="$ROOT/build/dropin" /usr/bin/python3 tests/dropin/python_libvirt.py "$1"
