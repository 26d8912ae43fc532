#!/usr/bin/env bash
# Builds the simulator launcher against Debian's govmomi sources (GOPATH mode, no network).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/target/vcsim-launcher"
if [ -x "$out" ] && [ -z "$(find "$root/tools/vcsim" -name '*.go' -newer "$out")" ]; then exit 0; fi
mkdir -p "$root/target/gocache"
cd "$root/tools/vcsim"
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$root/target/gocache" \
    go build -o "$out" .
