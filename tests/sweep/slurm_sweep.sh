#!/usr/bin/env bash
# Slurm tier: starts a real single-node Slurm (Debian's slurm-wlm and munge, configured in a
# temporary folder) and submits what `gigsim sweep --slurm` writes: the job array with its
# dependent join, a task signalled as before its time limit (it checkpoints and requeues itself),
# and the single MPI job. Each result must be byte for byte the file of the same sweep run
# locally. Needs root (the daemons run as root here). Usage: slurm_sweep.sh GIGSIM_EXE SOURCE_DIR
set -euo pipefail
exe=$(readlink -f "$1")
src=$(readlink -f "$2")
work=$(mktemp -d /tmp/gigsim-slurm.XXXXXX)
chmod 755 "$work"

started_munge=0
stop_all() {
  # By pid file, never by name: other Slurm or munge daemons on this machine are left alone.
  for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid"; do
    [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ "$started_munge" = 1 ] && [ -s /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
  fi
  sleep 1
  rm -rf "$work"
}
trap stop_all EXIT

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm_sweep: needs root to run slurmctld and slurmd" >&2
  exit 1
fi
for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" > /dev/null || { echo "slurm_sweep: $tool missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done

# munge: the authentication Slurm uses between its daemons and commands.
mkdir -p /run/munge
chown munge:munge /run/munge 2>/dev/null || true
[ -s /etc/munge/munge.key ] || mungekey -c
if ! munge -n 2>/dev/null | unmunge > /dev/null 2>&1; then
  munged --force
  started_munge=1
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge > /dev/null 2>&1 && break; sleep 0.1; done
fi

cpus=$(nproc)
mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
mkdir -p "$work/spool" "$work/state"
cat > "$work/slurm.conf" <<CONF
ClusterName=gigsimtest
SlurmctldHost=localhost
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
ReturnToService=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
MpiDefault=none
NodeName=localhost CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld
slurmd -N localhost
state=""
for _ in $(seq 1 120); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  echo "slurm_sweep: the node did not become idle (state '$state')" >&2
  tail -n 20 "$work/slurmctld.log" "$work/slurmd.log" >&2 || true
  exit 1
fi
echo "slurm_sweep: single-node Slurm is up ($cpus CPUs)"

cat > "$work/sweep.yaml" <<YAML
base: $src/scenarios/with_umbrella_coop.yaml
seed: 5
replications: 2
set: {run.weeks: 56, workers.count: 1200, output.panel: none}
design: {method: grid}
parameters:
  umbrella_coop.fee_rate: {values: [0.04, 0.08]}
variants:
  - {name: off, set: {umbrella_coop.enabled: false}}
  - {name: on, set: {umbrella_coop.enabled: true}}
YAML
# Longer runs, so that a task can be signalled while it is in the middle of one.
cat > "$work/long.yaml" <<YAML
base: $src/scenarios/with_umbrella_coop.yaml
seed: 7
replications: 3
set: {run.weeks: 156, workers.count: 6000, output.panel: none}
design: {method: grid}
parameters:
  umbrella_coop.fee_rate: {values: [0.04, 0.08]}
YAML
"$exe" sweep "$work/sweep.yaml" -o "$work/local.h5" -q
"$exe" sweep "$work/long.yaml" -o "$work/long_local.h5" -q
cd "$work"
# Open MPI inside the jobs: allowed as root here, and 3 ranks may share 2 cores. sbatch passes
# the environment on to the job.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
fail() {
  echo "slurm_sweep: $1; the queue and the logs:" >&2
  squeue -a >&2 || true
  cat "$work"/*.slurm-*.log >&2 || true
  tail -n 20 "$work/slurmctld.log" >&2 || true
  exit 1
}

# 1. The job array (3 tasks, one chunk each) and the join as a job depending on it.
"$exe" sweep "$work/sweep.yaml" -o "$work/array.h5" --slurm --slurm-array 3 \
  --slurm-time 00:10:00 --slurm-mem 300M --slurm-partition debug
grep -q -- '--array=0-2' "$work/array.h5.sbatch" || fail "no job array in the script"
timeout 300 bash "$work/array.h5.submit.sh" --wait || fail "the array or its join failed"
cmp "$work/local.h5" "$work/array.h5"
echo "slurm_sweep: the job array and its join give the local sweep's file byte for byte"

# 2. A task told to stop (the signal Slurm sends before the time limit) checkpoints its runs,
# requeues itself and finishes later with the same result.
"$exe" sweep "$work/long.yaml" -o "$work/long.h5" --slurm --slurm-array 1 \
  --slurm-time 00:10:00 --slurm-mem 600M --slurm-partition debug
array=$(sbatch --parsable "$work/long.h5.sbatch")
array=${array%%;*}
for _ in $(seq 1 600); do
  [ -n "$(find "$work/long.h5.runs" -name '*.run' 2>/dev/null | head -n 1)" ] && break
  sleep 0.05
done
scancel --signal=USR1 --batch "${array}_0" || fail "could not signal the array task"
timeout 300 sbatch --wait --dependency=afterany:"$array" "$work/long.h5.join.sbatch" \
  || fail "the requeued task or the join failed"
grep -q "requeueing" "$work"/long.h5.slurm-*.log || fail "the signalled task did not requeue itself"
cmp "$work/long_local.h5" "$work/long.h5"
echo "slurm_sweep: a signalled task checkpointed, requeued itself and gave the same file"

# 3. The single MPI job (--slurm-mpi), for users who prefer it.
# As many ranks as the node has CPUs, at most 3 (one hands out runs, the others do them): a job
# asking for more CPUs than the node has would wait forever.
tasks=$(( cpus < 3 ? cpus : 3 ))
"$exe" sweep "$work/sweep.yaml" -o "$work/mpi.h5" --slurm --slurm-mpi --slurm-tasks "$tasks" \
  --slurm-time 00:10:00 --slurm-mem 300M --slurm-partition debug
timeout 300 sbatch --wait "$work/mpi.h5.sbatch" || fail "the MPI job failed"
cmp "$work/local.h5" "$work/mpi.h5"
echo "slurm_sweep: the MPI job gives the local sweep's file byte for byte"
