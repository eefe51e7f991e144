#!/usr/bin/env bash
# Installs every Debian 12 package gigsim needs to build, test and analyse, and nothing else.
# Idempotent: installs only what is missing, and runs `apt-get update` only when it must install.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config
  libboost-dev libboost-program-options-dev libtbb-dev libhdf5-dev hdf5-tools libyaml-cpp-dev
  librandom123-dev libfmt-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  libopenmpi-dev openmpi-bin slurm-wlm munge
  python3 python3-venv python3-pip python3-setuptools python3-wheel
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-scipy python3-jinja2
  python3-ruamel.yaml python3-yaml python3-xarray python3-h5netcdf python3-pytest chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo $0) to install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
