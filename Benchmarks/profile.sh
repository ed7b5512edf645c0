#!/bin/sh
# Instruction-count profile of one workload, Swift way against C way, under callgrind: counts do not depend on the
# machine's load, so they back up (or explain) a Swift/C wall-time ratio measured on a busy machine.
# Usage: Benchmarks/profile.sh LABEL [TOP]   e.g. Benchmarks/profile.sh "psgd RR SGD d = 1;" 25
# (labels: .build/release/claimcheck-bench --only no-such-label lists them). Needs valgrind.
set -eu
cd "$(dirname "$0")/.."
label=$1
top=${2:-20}
if ! swift build -c release --scratch-path .build --product claimcheck-bench >/dev/null 2>&1; then
    swift build -c release --scratch-path .build --product claimcheck-bench
    exit 1
fi
# valgrind 3.19 cannot read the DWARF of Swift 6 binaries; keep the symbol table, drop the debug sections.
binary=$(mktemp /tmp/claimcheck-bench.XXXXXX)
strip --strip-debug -o "$binary" .build/release/claimcheck-bench
for way in swift c; do
    out=$(mktemp /tmp/callgrind.$way.XXXXXX)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$binary" --root "$(pwd)" --profile "$way" --only "$label" --runs 1 2>&1 |
        grep -E "I *refs|median" || true
    echo "== $way: top $top functions by inclusive instruction count (setup of the inputs included)"
    callgrind_annotate --inclusive=yes "$out" 2>/dev/null | sed -n '/file:function/,$p' | sed -n "3,$((top + 2))p" | cut -c1-160
    rm -f "$out"
done
rm -f "$binary"
