#!/bin/sh
# Rebuilds claimcheck-bench in release mode and regenerates results/performance.md and results/performance.csv.
# Extra arguments go to claimcheck-bench (e.g. --runs 9, --no-numpy). Run on a quiet machine: check `uptime` first.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build --product claimcheck-bench
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec .build/release/claimcheck-bench --root "$(pwd)" "$@"
