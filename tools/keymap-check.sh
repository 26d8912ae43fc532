#!/usr/bin/env bash
# Checks the SendKey table (esx_driver/src/driver/domain/keys/table.rs) against the published
# keymaps: keycodemapdb's keymaps.csv as Debian's libvirt 9.0 source ships it (the release whose
# virsh the tests compare with), fetched once from Debian's archive, checked against its
# checksum, and kept under target/. LIBVIRT_ESX_KEYMAPS_CSV names a copy to use instead.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
csv=${LIBVIRT_ESX_KEYMAPS_CSV:-}
if [ -z "$csv" ]; then
    dir="$ROOT/target/keymaps"
    csv="$dir/keymaps.csv"
    if [ ! -s "$csv" ]; then
        mkdir -p "$dir"
        url=https://deb.debian.org/debian/pool/main/libv/libvirt/libvirt_9.0.0.orig.tar.xz
        sum=deca5cff1b7baac297bca9663907c61f71a47183371dc7ac019c107806d5435a
        python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' \
            "$url" "$dir/libvirt.tar.xz"
        echo "$sum  $dir/libvirt.tar.xz" | sha256sum -c --quiet
        tar -xJf "$dir/libvirt.tar.xz" -C "$dir" --strip-components=4 \
            libvirt-9.0.0/src/keycodemapdb/data/keymaps.csv
        rm "$dir/libvirt.tar.xz"
    fi
fi
python3 "$ROOT/tools/gen_keymap.py" "$csv" --check
