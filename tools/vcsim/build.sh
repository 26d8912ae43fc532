#!/usr/bin/env bash
# Builds the simulator launcher, and the scale bench's govmomi lister (benches/scale.rs), against
# Debian's govmomi sources (GOPATH mode, no network); each only when its sources changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$root/target/gocache"
build() { # build SOURCE-DIR OUTPUT
    if [ -x "$2" ] && [ -z "$(find "$1" -name '*.go' -newer "$2")" ]; then return 0; fi
    (cd "$1" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$root/target/gocache" \
        go build -o "$2" .)
}
build "$root/tools/vcsim" "$root/target/vcsim-launcher"
build "$root/tools/govmomi-list" "$root/target/govmomi-list"
