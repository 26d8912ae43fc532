#!/usr/bin/env bash
# Checks include/libvirt_esx.h against src/abi/api.tsv in C: a program redeclaring every function,
# type and callback of the table and asserting every value (tests/header/redeclare.py) compiles
# after the header (C11), links against libvirt_esx.so and against the
# drop-in, and prints the same struct layouts as with libvirt's own header (libvirt-dev, for the
# releases it has). Usage: check.sh LIBDIR (where libvirt_esx.so is); run after tools/dropin.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
out=build/header
mkdir -p "$out"
cflags=(-std=c11 -Wall -Wextra -Werror -Wno-unused -Wno-deprecated-declarations -Wno-cast-function-type)
python3 tests/header/redeclare.py "$ROOT/include/libvirt_esx.h" >"$out/ours.c"
cc "${cflags[@]}" -o "$out/ours" "$out/ours.c" -L"$1" -lvirt_esx
cc "${cflags[@]}" -o "$out/ours-dropin" "$out/ours.c" build/dropin/libvirt.so.0
LD_LIBRARY_PATH="$1" "$out/ours" >"$out/ours.txt"
echo "header: $(tail -1 "$out/ours.txt") referenced; links against libvirt_esx.so and the drop-in"
api=/usr/share/libvirt/api/libvirt-api.xml
if [ -f "$api" ]; then
    release=$(pkg-config --modversion libvirt)
    for h in libvirt "$ROOT/include/libvirt_esx.h"; do
        name=$(basename "$h" .h)
        python3 tests/header/redeclare.py "${h/#libvirt/libvirt/libvirt.h,libvirt/virterror.h}" "$release" >"$out/$name-$release.c"
    done
    cc "${cflags[@]}" -o "$out/libvirt" "$out/libvirt-$release.c" -lvirt
    cc "${cflags[@]}" -o "$out/ours-$release" "$out/libvirt_esx-$release.c" -L"$1" -lvirt_esx
    env -u LD_LIBRARY_PATH "$out/libvirt" >"$out/libvirt.txt"
    LD_LIBRARY_PATH="$1" "$out/ours-$release" >"$out/ours-$release.txt"
    diff -u "$out/libvirt.txt" "$out/ours-$release.txt" || {
        echo "header: layouts or values differ from libvirt $release's" >&2
        exit 1
    }
    echo "header: $(grep -c '^vir' "$out/libvirt.txt") sizes and offsets as libvirt $release's header gives them"
fi
