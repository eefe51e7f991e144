#!/usr/bin/env bash
# Sweep planning cost: how long `gigsim sweep` takes before it can start, list or resume, for
# sweeps of 10^4, 10^5 and 10^6 runs (the documented maximum). Each sweep is a Sobol design over
# two parameters of the shipped cooperative scenario, with two replications and two variants
# (so points = runs / 4). `--slurm` plans every run (scenario, seed, identity, memory estimate)
# and writes a batch script without running anything; `--list` also prints every run.
# Usage: benchmarks/run_plan_bench.sh [REPEATS] [RUNS...]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-1}
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
exe=${GIGSIM_EXE:-build/release/sim/cli/gigsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| runs | plan (--slurm) | plan and list (--list) | peak RSS |\n|---|---|---|---|\n'
for runs in "${sizes[@]}"; do
  cat > "$work/s.yaml" <<YAML
base: $PWD/scenarios/with_umbrella_coop.yaml
seed: 7
replications: 2
set: {run.weeks: 104}
design: {method: sobol, points: $((runs / 4))}
parameters:
  umbrella_coop.fee_rate: {min: 0.02, max: 0.12}
  umbrella_coop.initial_member_share: {min: 0.1, max: 0.4}
variants:
  - {name: platforms_only, set: {umbrella_coop.enabled: false}}
  - {name: umbrella_coop, set: {umbrella_coop.enabled: true}}
YAML
  plan=() list=() rss=0
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$exe" sweep "$work/s.yaml" -o "$work/o.h5" --slurm \
      --slurm-script "$work/o.sbatch" >/dev/null
    read -r seconds kib < "$work/t"
    plan+=("$seconds")
    rss=$kib
    /usr/bin/time -f "%e %M" -o "$work/t" "$exe" sweep "$work/s.yaml" -o "$work/o.h5" --list \
      >/dev/null
    read -r seconds kib < "$work/t"
    list+=("$seconds")
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf '| %s | %s s | %s s | %s MiB |\n' "$runs" "$(median "${plan[@]}")" \
    "$(median "${list[@]}")" "$((rss / 1024))"
done
