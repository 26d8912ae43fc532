#!/usr/bin/env bash
# Proves the reference renders in a real browser: headless Chromium (Debian's, installed by
# install-deps) opens build/docs/index.html and the C API page and screenshots them; each
# screenshot must be a PNG of real content (not a blank page: more than a few KiB). Also fails
# when an export of the header has no reference entry (tools/gen_docs.py --check).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 tools/gen_docs.py --check
for page in index c; do
    png="build/docs/$page.png"
    rm -f "$png"
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$(mktemp -d)" --window-size=1200,1600 --screenshot="$PWD/$png" \
        "file://$PWD/build/docs/$page.html" >/dev/null 2>&1
    [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
        { echo "docs-check: $png is no PNG" >&2; exit 1; }
    size=$(stat -c %s "$png")
    [ "$size" -gt 8000 ] || { echo "docs-check: $png is blank ($size bytes)" >&2; exit 1; }
    echo "docs-check: $page.html rendered ($size bytes of PNG)"
done
