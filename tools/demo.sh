#!/usr/bin/env bash
# The demo: starts an ESX-mode simulator, builds examples/hostinfo.c with pkg-config against
# the freshly built library and prints the host's facts through libvirt's C API.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. tools/sim.sh
trap sim_stop EXIT
export PKG_CONFIG_PATH="$ROOT/build"
cc -Wall -Wextra -Werror -std=c11 -o build/hostinfo examples/hostinfo.c $(pkg-config --cflags --libs libvirt_esx)
sim_start esx
echo "Simulator (ESX mode) at $SIM_ADDR"
ESX_PASSWORD=demo LD_LIBRARY_PATH="$ROOT/target/release" build/hostinfo "esx://root@$SIM_ADDR/?no_verify=1"
