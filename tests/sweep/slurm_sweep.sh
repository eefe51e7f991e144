#!/usr/bin/env bash
# Slurm tier: starts a real single-node Slurm (Debian's slurm-wlm and munge, configured in a
# temporary folder), submits the batch script `gigsim sweep --slurm` writes with sbatch, waits for
# the job, and checks that the joined result is byte for byte the file of the same sweep run
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
"$exe" sweep "$work/sweep.yaml" -o "$work/local.h5" -q
cd "$work"
# As many ranks as the node has CPUs, at most 3 (one hands out runs, the others do them): a job
# asking for more CPUs than the node has would wait forever.
tasks=$(( cpus < 3 ? cpus : 3 ))
"$exe" sweep "$work/sweep.yaml" -o "$work/slurm.h5" --slurm --slurm-tasks "$tasks" \
  --slurm-time 00:10:00 --slurm-mem 300M --slurm-partition debug
# Open MPI inside the job: allowed as root here, and 3 ranks may share 2 cores. sbatch passes the
# environment on to the job.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
if ! timeout 300 sbatch --wait "$work/slurm.h5.sbatch"; then
  echo "slurm_sweep: the job failed or did not finish in 5 minutes; its state and log:" >&2
  squeue -a >&2 || true
  cat "$work"/slurm.h5.slurm-*.log >&2 || true
  tail -n 20 "$work/slurmctld.log" >&2 || true
  exit 1
fi
cat "$work"/slurm.h5.slurm-*.log | grep -v '"event":"run"' || true
cmp "$work/local.h5" "$work/slurm.h5"
echo "slurm_sweep: the Slurm job's result is the local sweep's file byte for byte"
