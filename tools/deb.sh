#!/usr/bin/env bash
# Builds the Debian packages into build/deb/ the Debian way (dpkg-buildpackage -b, debhelper, in
# the tree), then has lintian check them: errors fail. PROFILE=debug builds with
# DEB_BUILD_OPTIONS=noopt (cargo's debug profile, as the tests use). The symbols file and the
# changelog's version must match the symbol table and Cargo.toml first.
set -euo pipefail
cd "$(dirname "$0")/.."
# The build sees no build-tree library paths (dpkg-shlibdeps would look there).
unset LD_LIBRARY_PATH PKG_CONFIG_PATH
python3 tools/gen_debian_symbols.py --check
cargo_version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
deb_version=$(dpkg-parsechangelog -S Version)
[ "$cargo_version" = "$deb_version" ] ||
    { echo "debian/changelog is at $deb_version, Cargo.toml at $cargo_version" >&2; exit 1; }
[ "${PROFILE:-release}" = debug ] && export DEB_BUILD_OPTIONS="noopt ${DEB_BUILD_OPTIONS:-}"
rm -rf build/deb && mkdir -p build/deb
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
dpkg-buildpackage -b -us -uc \
    --buildinfo-file="build/deb/libvirt-esx_${deb_version}_$arch.buildinfo" \
    --buildinfo-option=-ubuild/deb \
    --changes-file="build/deb/libvirt-esx_${deb_version}_$arch.changes" \
    --changes-option=-ubuild/deb
lintian --fail-on error build/deb/*.changes | tee build/deb/lintian.txt
