#!/usr/bin/env bash
# Builds build/dropin/libvirt.so.0, the binary drop-in: the library's own code (its static
# archive) linked by the C toolchain with soname libvirt.so.0 and libvirt's version nodes from
# src/abi/symbols.tsv, so that programs and bindings built against libvirt load it unchanged.
# rustc writes a version script of its own for a cdylib, hence the archive. Beside it, its
# companions libvirt-qemu.so.0 and libvirt-lxc.so.0 (companions/, nodes from
# src/abi/companions.tsv), linked against it. PROFILE=debug|release.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PROFILE=${PROFILE:-release}
flags=(); [ "$PROFILE" = release ] && flags=(--release)
out=build/dropin
mkdir -p "$out"
cargo rustc "${flags[@]}" --lib --crate-type staticlib -- --print native-static-libs 2>"$out/rustc.log" ||
    { cat "$out/rustc.log" >&2; exit 1; }
archive=target/$PROFILE/libvirt_esx.a
native=$(sed -n 's/.*native-static-libs: //p' "$out/rustc.log" | tail -1)

# The symbols the archive defines, each under the table's node; ours under a node of their own.
nm --defined-only -g "$archive" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ && $3 ~ /^vir/ {print $3}' |
    sort -u >"$out/defined.txt"
awk -v defined="$out/defined.txt" '
    BEGIN { while ((getline s < defined) > 0) have[s] = 1 }
    /^#/ { next }
    { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      if ($2 in have) { list[$1] = list[$1] "        " $2 ";\n"; done[$2] = 1 } }
    END {
        for (i = 1; i <= n; i++) {
            printf "%s {\n", order[i]
            if (list[order[i]] != "") printf "    global:\n%s", list[order[i]]
            if (i == 1) printf "    local:\n        *;\n"
            printf "}%s;\n\n", (i > 1 ? " " order[i - 1] : "")
        }
        close(defined)
        while ((getline s < defined) > 0) if (!(s in done)) ours = ours "        " s ";\n"
        printf "LIBVIRT_ESX_0.1.0 {\n    global:\n%s} %s;\n", ours, order[n]
    }' src/abi/symbols.tsv >"$out/libvirt.map"

# shellcheck disable=SC2086 # the native libraries are words
# Full RELRO, as Debian's hardening (and the Rust library itself) links.
hardening=(-Wl,-z,relro -Wl,-z,now)
cc -shared -o "$out/libvirt.so.0" -Wl,-soname,libvirt.so.0 -Wl,--version-script="$out/libvirt.map" \
    "${hardening[@]}" -Wl,--whole-archive "$archive" -Wl,--no-whole-archive $native
echo "dropin: $out/libvirt.so.0 ($(grep -c . "$out/defined.txt") symbols)"

cargo build "${flags[@]}" -q -p libvirt_esx_companions
for lib in qemu lxc; do
    awk -v lib="$lib" -F'\t' '
        $1 == lib { if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 }; list[$2] = list[$2] "        " $3 ";\n" }
        END {
            for (i = 1; i <= n; i++) {
                printf "%s {\n    global:\n%s", order[i], list[order[i]]
                if (i == 1) printf "    local:\n        *;\n"
                printf "}%s;\n\n", (i > 1 ? " " order[i - 1] : "")
            }
        }' src/abi/companions.tsv >"$out/libvirt-$lib.map"
    # shellcheck disable=SC2086 # the native libraries are words
    cc -shared -o "$out/libvirt-$lib.so.0" -Wl,-soname,"libvirt-$lib.so.0" \
        -Wl,--version-script="$out/libvirt-$lib.map" -Wl,--gc-sections "${hardening[@]}" \
        -Wl,--whole-archive "target/$PROFILE/liblibvirt_esx_companions.a" -Wl,--no-whole-archive \
        "$out/libvirt.so.0" $native
    echo "dropin: $out/libvirt-$lib.so.0 ($(grep -c "^$lib" src/abi/companions.tsv) functions)"
done
