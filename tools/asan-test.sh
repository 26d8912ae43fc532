#!/usr/bin/env bash
# The C tests built with AddressSanitizer (and UBSan) against the library, run on an ESX-mode
# simulator (and a vCenter-mode one for migration): a second memory checker beside valgrind, catching what each misses.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. tools/sim.sh
trap sim_stop EXIT
make --no-print-directory uninstalled-pc PROFILE=debug >/dev/null
export PKG_CONFIG_PATH="$ROOT/build" LD_LIBRARY_PATH="$ROOT/target/debug"
# Leaks are valgrind's job here (LeakSanitizer cannot see through the Rust allocator's caches).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
sim_start vpx && vpx_addr=$SIM_ADDR
sim_start esx -tools # guest_test reads the stand-in VMware Tools
rc=0
for t in tests/c/*.c; do
    bin="build/asan-$(basename "$t" .c)"
    cc -std=c11 -g -fsanitize=address,undefined -fno-omit-frame-pointer -o "$bin" "$t" \
        $(pkg-config --cflags --libs libvirt_esx)
    if ! "$bin" "esx://$SIM_ADDR/?no_verify=1" "$vpx_addr" >/dev/null; then
        echo "asan: $t failed"
        rc=1
    fi
done
exit $rc
