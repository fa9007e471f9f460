#!/usr/bin/env bash
# Runs the whole test suite (unit, interop with stock age/minisign, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
swift build --build-tests
swift test --skip-build
