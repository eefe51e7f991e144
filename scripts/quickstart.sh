#!/usr/bin/env bash
# Command one: install what is missing, build a Release build (which also installs the Python
# analysis package into build/release/analysis-env, scripts/install-analysis.sh), run the default
# scenario and print its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
# The build installed it; check that the interpreter gigsim report uses imports it.
build/release/analysis-env/bin/python3 -c 'import gigsim_analysis' || {
  echo "quickstart: the analysis package is not importable; run scripts/install-analysis.sh build/release/analysis-env" >&2
  exit 1
}
mkdir -p out
./build/release/sim/cli/gigsim run scenarios/with_umbrella_coop.yaml -o out/with_umbrella_coop.h5
echo
echo "quickstart: done. Put gigsim and gigsim-analysis on your PATH with:"
echo "  export PATH=\"$PWD/build/release/sim/cli:$PWD/build/release/analysis-env/bin:\$PATH\""
