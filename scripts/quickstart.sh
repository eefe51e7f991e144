#!/usr/bin/env bash
# Command one: install what is missing, build a Release build, run the default scenario and print
# its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
mkdir -p out
./build/release/sim/cli/gigsim run scenarios/with_umbrella_coop.yaml -o out/with_umbrella_coop.h5
