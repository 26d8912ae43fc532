#!/usr/bin/env bash
# Builds every fuzz target (stable toolchain, cargo-fuzz with `-s none`), lays out the seed
# corpora and runs each target for FUZZ_SECONDS, one at a time; a crash fails the whole run.
#
#   fuzz/run.sh [TARGET...]     FUZZ_SECONDS (default 20), LIBVIRT_ESX_CONFORMANCE_DIR
#   FUZZ_RUNS=N fuzz/run.sh     the long run: each target until N inputs, however long it takes
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-}
if [ -n "$runs" ]; then limit=(-runs="$runs"); what="$runs inputs"; else limit=(-max_total_time="$seconds"); what="${seconds}s"; fi
conformance=${LIBVIRT_ESX_CONFORMANCE_DIR:-$root/../shared/conformance}
all=(uri authconf vmx_to_xml xml_to_vmx vmx_round_trip xml_round_trip soap_tree soap_response soap_fault network_xml device_xml metadata_xml escape_writer datastore_path)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")

# -s none: no sanitizer, so no -Z flag and no nightly; -a: debug assertions and overflow checks.
fuzz_flags=(-s none -a)
unset RUSTC_BOOTSTRAP
# Errors only: the library's warnings (an unknown URI parameter, say) would cost time and disk per input.
export LIBVIRT_DEBUG=${LIBVIRT_DEBUG:-4}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz@0.13.2

# Seeds: the converter's conformance inputs (libvirt's read from shared/, not copied into git,
# and the project's own under tests/converter), SOAP answers and the URI and auth.conf seeds.
# Converter inputs with a hardware-version first byte get it from cases.tsv (byte = version - 4).
seed() { # seed TARGET FILE [PREFIX-BYTE]
    local dir="$here/corpus/$1" name; name=$(basename "$2")
    mkdir -p "$dir"
    if [ $# -gt 2 ]; then
        { printf "\\$(printf '%03o' "$3")"; cat "$2"; } > "$dir/$name.v$3"
    else
        cp "$2" "$dir/$name"
    fi
}
hw_byte() { # hw_byte DATA-DIR FILE: the version byte for DATA-DIR/xml2vmx/xml2vmx-NAME.xml
    local name; name=$(basename "$2" .xml); name=${name#xml2vmx-}
    local v; v=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$1/xml2vmx/cases.tsv")
    echo $(( ${v:-4} - 4 ))
}
seed_converter() { # seed_converter DATA-DIR: libvirt's cases, then the project's own
    local f b
    for f in "$1"/vmx2xml/*.vmx "$1"/xml2vmx/*.vmx; do
        seed vmx_to_xml "$f"; seed vmx_round_trip "$f"
    done
    for f in "$1"/xml2vmx/*.xml; do
        b=$(hw_byte "$1" "$f"); seed xml_to_vmx "$f" "$b"; seed xml_round_trip "$f" "$b"
    done
    for f in "$1"/vmx2xml/*.xml; do
        seed xml_to_vmx "$f" 0; seed xml_round_trip "$f" 9
    done
}
if [ -d "$conformance" ]; then
    seed_converter "$conformance"
else
    echo "note: $conformance is absent; the converter targets start from libvirt-less corpora" >&2
fi
seed_converter "$root/tests/converter"
for f in "$here"/seeds/uri/*; do seed uri "$f"; done
for f in "$here"/seeds/authconf/*; do seed authconf "$f"; done
for f in "$here"/seeds/network/*; do seed network_xml "$f"; done
for f in "$here"/seeds/device/*; do seed device_xml "$f"; done
for f in "$here"/seeds/metadata/*; do seed metadata_xml "$f"; done
for f in "$here"/seeds/escape/*; do seed escape_writer "$f"; done
for f in "$here"/seeds/path/*; do seed datastore_path "$f"; done
for f in "$here"/seeds/soap/*; do
    seed soap_tree "$f"; seed soap_response "$f"; seed soap_fault "$f"
done

cd "$here"
cargo fuzz build "${fuzz_flags[@]}"
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "== $t ($what)"
    start=$(date +%s)
    # -timeout: an input taking 10 s is a hang, reported like a crash.
    cargo fuzz run "${fuzz_flags[@]}" "$t" "corpus/$t" -- \
        "${limit[@]}" -timeout=10 -print_final_stats=1 >"artifacts/$t.log" 2>&1 || {
        grep -a -A12 -m1 -E "panicked|ERROR: libFuzzer" "artifacts/$t.log" | cut -c1-300 >&2
        grep -a -m1 -o "artifacts/$t/[a-z]*-[0-9a-f]*" "artifacts/$t.log" >&2
        echo "FUZZ FAILURE in $t: see fuzz/artifacts/$t/ and fuzz/artifacts/$t.log" >&2
        exit 1
    }
    count=$(sed -n 's/^stat::number_of_executed_units: *//p' "artifacts/$t.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "artifacts/$t.log")
    echo "   $t: ${count:-?} inputs, ${rate:-?} exec/s, $(( $(date +%s) - start ))s"
done
