#!/usr/bin/env bash
# Regenerates the claims table of README.md (between <!-- claims-table --> and <!-- /claims-table -->) from the
# registry and the committed results/, as `claimcheck list --markdown` prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(mktemp)
trap 'rm -f "$table" README.md.tmp' EXIT
swift run -q claimcheck list --markdown > "$table"
awk -v table="$table" '
    /^<!-- claims-table -->$/ { print; while ((getline line < table) > 0) print line; skipping = 1; next }
    /^<!-- \/claims-table -->$/ { skipping = 0 }
    !skipping
' README.md > README.md.tmp
mv README.md.tmp README.md
echo "README.md claims table regenerated ($(grep -c '^| `' "$table") claims)"
