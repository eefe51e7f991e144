#!/usr/bin/env bash
# Installs the analysis package (analysis/) into a virtual environment built on Debian's Python,
# whose site packages (h5py, pandas, matplotlib, scipy, jinja2, ruamel.yaml) it sees: nothing is
# downloaded, no registry is asked. Idempotent; installs a fresh copy of the package each time.
#   scripts/install-analysis.sh ENV_DIR [BASE_PYTHON]     (BASE_PYTHON default: /usr/bin/python3)
# Then: ENV_DIR/bin/gigsim-analysis ..., or ENV_DIR/bin/python3 -c 'import gigsim_analysis'.
set -euo pipefail
env_dir=${1:?usage: install-analysis.sh ENV_DIR [BASE_PYTHON]}
base=${2:-/usr/bin/python3}
src=$(cd "$(dirname "$0")/../analysis" && pwd)

if [ ! -x "$env_dir/bin/python3" ]; then
  "$base" -m venv --system-site-packages "$env_dir"
fi
# Build from a copy: setuptools writes build/ and *.egg-info beside the sources it builds.
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
cp -r "$src/pyproject.toml" "$src/README.md" "$src/gigsim_analysis" "$copy/"
find "$copy" -name __pycache__ -prune -exec rm -rf {} +
PIP_DISABLE_PIP_VERSION_CHECK=1 "$env_dir/bin/python3" -m pip install --quiet --no-build-isolation \
  --no-deps --no-index --no-cache-dir --root-user-action=ignore "$copy"
# Fails here, naming the missing Debian package, rather than at the first report.
"$env_dir/bin/python3" - <<'PY'
import importlib, sys
missing = []
for module, package in [("h5py", "python3-h5py"), ("numpy", "python3-numpy"),
                        ("pandas", "python3-pandas"), ("matplotlib", "python3-matplotlib"),
                        ("scipy", "python3-scipy"), ("jinja2", "python3-jinja2"),
                        ("ruamel.yaml", "python3-ruamel.yaml"), ("gigsim_analysis", None)]:
    try:
        importlib.import_module(module)
    except ImportError:
        missing.append(package or module)
if missing:
    sys.exit("install-analysis: missing: " + " ".join(missing) +
             " (scripts/install-deps.sh installs the Debian packages)")
PY
echo "install-analysis: gigsim_analysis installed in $env_dir"
