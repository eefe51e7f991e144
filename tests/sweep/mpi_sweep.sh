#!/usr/bin/env bash
# MPI tier: the same sweep under `mpirun -np 1, 2 and 3` (one rank hands out runs, the others do
# them) and with more threads per rank gives byte for byte the file of a local sweep; a sweep
# whose worker ranks are killed mid-way finishes with the same file when started again.
# Usage: mpi_sweep.sh GIGSIM_EXE SOURCE_DIR
set -euo pipefail
exe=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Open MPI refuses root without these (CI containers run as root), and 3 ranks need more slots
# than a 2-core machine has.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
cat > "$work/sweep.yaml" <<YAML
base: $src/scenarios/with_umbrella_coop.yaml
seed: 3
replications: 2
set: {run.weeks: 60, workers.count: 1500, output.panel: none}
design: {method: sobol, points: 5}
parameters:
  umbrella_coop.fee_rate: {min: 0.03, max: 0.12}
  platforms[1].take_rate: {min: 0.1, max: 0.3}
variants:
  - {name: off, set: {umbrella_coop.enabled: false}}
  - {name: on, set: {umbrella_coop.enabled: true}}
YAML
"$exe" sweep "$work/sweep.yaml" -o "$work/local.h5" -q
for np in 1 2 3; do
  mpirun -np "$np" "$exe" sweep "$work/sweep.yaml" -o "$work/np$np.h5" -q
  cmp "$work/local.h5" "$work/np$np.h5"
  echo "mpi_sweep: -np $np gives the local file byte for byte"
done
mpirun --bind-to none -np 2 "$exe" sweep "$work/sweep.yaml" -o "$work/np2t2.h5" -q --threads 2
cmp "$work/local.h5" "$work/np2t2.h5"
echo "mpi_sweep: -np 2 with 2 threads per run gives the local file byte for byte"

# Kill the whole MPI job once some runs are recorded, then start the same command again.
out="$work/killed.h5"
mpirun -np 3 "$exe" sweep "$work/sweep.yaml" -o "$out" -q --threads 1 &
job=$!
for _ in $(seq 1 2000); do
  n=$( (find "$out.runs" -name '*.run' 2>/dev/null || true) | wc -l)
  [ "$n" -ge 4 ] && break
  sleep 0.01
done
# SIGKILL the ranks (children of mpirun) first, as a lost node would, then mpirun itself.
pkill -KILL -P "$job" 2>/dev/null || true
kill -KILL "$job" 2>/dev/null || true
wait "$job" 2>/dev/null || true
n=$(find "$out.runs" -name '*.run' | wc -l)
echo "mpi_sweep: killed with $n of 20 runs recorded"
[ ! -e "$out" ] || { echo "mpi_sweep: a killed sweep left a result file" >&2; exit 1; }
mpirun -np 3 "$exe" sweep "$work/sweep.yaml" -o "$out" -q
cmp "$work/local.h5" "$out"
echo "mpi_sweep: the resumed sweep gives the local file byte for byte"
