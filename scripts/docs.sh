#!/usr/bin/env bash
# DocC for the framework's public API (ClaimCore: claims, checks and their roles, fits, numerics).
# Symbol graphs come from `swift build` (the swift-docc-plugin package does not resolve here), then `docc convert`
# renders them with the catalog docs/ClaimCore.docc into .build/docs/ClaimCore.doccarchive.
# Fails if the build fails, if ClaimCore's symbol graph is missing, or if DocC reports a warning (broken links).
set -euo pipefail
cd "$(dirname "$0")/.."
# A build folder of its own: the symbol-graph flags would otherwise invalidate the main .build.
scratch=.build/docc-build
graphs=.build/symbol-graphs
selected=.build/symbol-graphs-ClaimCore
out=.build/docs/ClaimCore.doccarchive
rm -rf "$graphs" "$selected" "$out"
mkdir -p "$graphs" "$selected" "$(dirname "$out")"
swift build --scratch-path "$scratch" --target ClaimCore \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" \
    -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public
cp "$graphs"/ClaimCore*.symbols.json "$selected"/
docc convert docs/ClaimCore.docc \
    --additional-symbol-graph-dir "$selected" \
    --fallback-display-name ClaimCore --fallback-bundle-identifier org.claimcheck.ClaimCore \
    --output-path "$out" --warnings-as-errors
echo "DocC archive: $out ($(find "$out/data/documentation" -name '*.json' | wc -l) pages)"
