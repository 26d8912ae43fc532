#!/usr/bin/env bash
# The whole test suite: style and lint gates, the Rust unit and integration tests (simulator in
# ESX and vCenter mode, converter conformance), the C tests under valgrind, and the Python package
# built as a wheel, installed in a fresh venv and tested there.
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

step "cargo fmt --check" cargo fmt --all --check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
step "SendKey's table against libvirt 9.0's keymaps.csv" ./tools/keymap-check.sh
./tools/vcsim/build.sh
step "cargo test" cargo test --workspace
make --no-print-directory uninstalled-pc PROFILE=debug >/dev/null
export PKG_CONFIG_PATH="$ROOT/build" LD_LIBRARY_PATH="$ROOT/target/debug"

header_check() {
    printf '#include <libvirt/libvirt.h>\nint main(void) { return VIR_FROM_ESX == 28 ? 0 : 1; }\n' >build/header.c
    cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only $(pkg-config --cflags libvirt_esx) build/header.c &&
        c++ -x c++ -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libvirt_esx) build/header.c &&
        printf '#define VIR_ENUM_SENTINELS\n#include <libvirt/libvirt.h>\nint main(void) { return VIR_DOMAIN_LAST == 8 && VIR_DOMAIN_EVENT_ID_LAST > VIR_DOMAIN_EVENT_ID_LIFECYCLE ? 0 : 1; }\n' >build/sentinels.c &&
        cc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only $(pkg-config --cflags libvirt_esx) build/sentinels.c
}
step "header compiles as pedantic C99 and as C++, and with VIR_ENUM_SENTINELS" header_check

sim_start vpx && vpx_addr=$SIM_ADDR
sim_start esx -tools # guest_test reads what the launcher's stand-in VMware Tools report
for t in tests/c/*.c; do
    bin="build/$(basename "$t" .c)"
    rm -f "$bin"
    step "cc $t" cc -Wall -Wextra -Werror -std=c11 -o "$bin" "$t" $(pkg-config --cflags --libs libvirt_esx)
    [ -x "$bin" ] || continue
    step "valgrind $bin" valgrind -q --suppressions=tests/c/valgrind.supp --leak-check=full \
        --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
        "$bin" "esx://$SIM_ADDR/?no_verify=1" "$vpx_addr"
done
rust_example() {
    local out
    out=$(ESX_PASSWORD=pw cargo run -q --example list_vms -- "esx://$SIM_ADDR/?no_verify=1") &&
        printf '%s\n' "$out" && grep -q '^ha-host_VM0 *running$' <<<"$out"
}
step "Rust API: cargo run --example list_vms on the simulator" rust_example
dropin() {
    PROFILE=debug ./tools/dropin.sh && tests/dropin/check.sh "$SIM_ADDR"
}
step "drop-in libvirt.so.0: version nodes, a program built for libvirt runs on it" dropin
step "header against src/abi/api.tsv and libvirt's header: declarations, values, layouts" \
    tests/header/check.sh "$ROOT/target/debug"
debian_packages() {
    PROFILE=debug ./tools/deb.sh >build/deb.log 2>&1 || { tail -40 build/deb.log; return 1; }
    cat build/deb/lintian.txt && ./tools/deb-test.sh "$SIM_ADDR"
}
step "Debian packages (noopt): built, lintian, installed, used, purged" debian_packages
step "reference: make docs, every export with its entry, pages rendered in headless Chromium" \
    bash -c 'make --no-print-directory docs PROFILE=debug >build/docs.log 2>&1 && ./tools/docs-check.sh'
sim_stop

# The Python package as a user gets it: `pip wheel python/` (an isolated PEP 517 build), the
# wheel installed in a fresh venv, and pytest run there with no Rust toolchain on PATH.
python_wheel() {
    rm -rf build/py-venv
    ./tools/wheel.sh &&
        python3 -m venv build/py-venv &&
        build/py-venv/bin/pip install -q build/wheels/libvirt_esx-*.whl pytest
}
python_package_tests() {
    local esx
    sim_start esx -tools && esx=$SIM_ADDR && sim_start vpx -dc 2 &&
        (cd build && env -u LIBVIRT_ESX_LIBRARY PATH="$ROOT/build/py-venv/bin:/usr/bin:/bin" \
            VCSIM_ADDR="$esx" VCSIM_VPX_ADDR="$SIM_ADDR" \
            python -m pytest -q -p no:cacheprovider "$ROOT/python/tests")
    local rc=$?
    sim_stop
    return $rc
}
step "C tests under AddressSanitizer" ./tools/asan-test.sh
step "python wheel (pip wheel python/, tagged manylinux by auditwheel, fresh venv)" python_wheel
step "python package tests (pytest, installed wheel)" python_package_tests

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
