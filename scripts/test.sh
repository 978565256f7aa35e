#!/usr/bin/env bash
# Runs the whole test suite: set-up (idempotent), release build, all tests.
#   PRESET=debug bash scripts/test.sh   runs the suite under ASan + UBSan instead;
#   PRESET=tsan  bash scripts/test.sh   under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
PRESET="${PRESET:-release}"
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET"
ctest --preset "$PRESET" -j"$(nproc)" --timeout 600
