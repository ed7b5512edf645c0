#!/usr/bin/env bash
# Builds and tests the worked outside package docs/examples/gradient-descent against this checkout (it depends on
# claimcheck by path), then runs its own command line: its claim must hold and its control must be violated.
set -euo pipefail
cd "$(dirname "$0")/../docs/examples/gradient-descent"
swift build --build-tests
swift test
swift run gd-claimcheck verify --controls --strict
