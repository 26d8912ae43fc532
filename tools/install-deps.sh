#!/usr/bin/env bash
# Installs what building and testing libvirt_esx needs on a bare Debian machine: the Go toolchain
# and govmomi's simulator sources, a C compiler, pkg-config, valgrind and Python; libvirt-dev (with
# Debian's libvirt0) and python3-libvirt as the peers the drop-in's tests use, and libvirt-clients
# (Debian's virsh) as the command line's; qemu-utils (qemu-img) for the VMDK images the storage
# tests upload; Debian's packaging tools (dpkg-dev, debhelper, dh-python, lintian) for the
# packages; groff and Chromium for the reference (rendered, then screenshotted). libvirt's header
# and API XML are facts for the tests, never build inputs. Idempotent.
set -euo pipefail
need=()
for pkg in golang-go golang-github-vmware-govmomi-dev gcc g++ libc6-dev pkg-config valgrind python3 python3-venv python3-pip make binutils libvirt-dev python3-libvirt libvirt-clients qemu-utils dpkg-dev debhelper dh-python python3-all lintian groff-base chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "install-deps: installing ${need[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null || { echo "install-deps: cargo (Rust stable) is required" >&2; exit 1; }
