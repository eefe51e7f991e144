#!/usr/bin/env bash
# Command two: install what is missing, build, and run the whole test suite:
#   1. the Release build with every ctest label (unit, regression, slow, python),
#   2. the unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
# Set GIGSIM_SKIP_SANITIZERS=1 to skip tier 2 during local iteration.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

echo "== tier 1: release build, full suite"
cmake --preset release -DGIGSIM_WERROR=ON
cmake --build --preset release
ctest --preset release -j "$jobs"

if [ "${GIGSIM_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== tier 2: address + undefined-behaviour sanitizers, unit tests"
  cmake --preset asan -DGIGSIM_WERROR=ON
  cmake --build --preset asan
  ctest --preset asan -j "$jobs"
fi
