#!/usr/bin/env bash
# The whole test suite: style and lint gates, the Rust unit and integration tests (simulator in
# ESX and vCenter mode, converter conformance), the C tests under valgrind and the Python tests.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. tools/sim.sh
trap sim_stop EXIT
passed=0; failed=0
step() { # name, command...
    local name=$1; shift
    echo "== $name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

step "cargo fmt --check" cargo fmt --check
step "cargo clippy" cargo clippy --all-targets -- -D warnings
./tools/vcsim/build.sh
step "cargo test" cargo test
make --no-print-directory uninstalled-pc PROFILE=debug >/dev/null
export PKG_CONFIG_PATH="$ROOT/build" LD_LIBRARY_PATH="$ROOT/target/debug"

header_check() {
    printf '#include <libvirt/libvirt.h>\nint main(void) { return VIR_FROM_ESX == 28 ? 0 : 1; }\n' >build/header.c
    cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only $(pkg-config --cflags libvirt_esx) build/header.c &&
        c++ -x c++ -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libvirt_esx) build/header.c
}
step "header compiles as pedantic C99 and as C++" header_check

sim_start esx
for t in tests/c/*.c; do
    bin="build/$(basename "$t" .c)"
    rm -f "$bin"
    step "cc $t" cc -Wall -Wextra -Werror -std=c11 -o "$bin" "$t" $(pkg-config --cflags --libs libvirt_esx)
    [ -x "$bin" ] || continue
    step "valgrind $bin" valgrind -q --suppressions=tests/c/valgrind.supp --leak-check=full \
        --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
        "$bin" "esx://$SIM_ADDR/?no_verify=1"
done
step "python ctypes tests" env LIBVIRT_ESX_LIB="$ROOT/target/debug/libvirt_esx.so" VCSIM_ADDR="$SIM_ADDR" \
    python3 -m unittest discover -s tests/python -p 'test_*.py'
sim_stop

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
