#!/usr/bin/env bash
# Runs a macro benchmark scenario and reports worker-steps per second and peak resident memory per
# worker. Usage: benchmarks/run_macro.sh [SCENARIO] [THREADS] [REPEATS]
# Needs a release build (cmake --preset release && cmake --build --preset release).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-benchmarks/macro_1m_workers_260_weeks.yaml}
threads=${2:-$(nproc)}
repeats=${3:-3}
exe=${GIGSIM_EXE:-build/release/sim/cli/gigsim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 - "$exe" "$scenario" "$threads" "$repeats" "$out" <<'PY'
import re, resource, statistics, subprocess, sys, time
exe, scenario, threads, repeats, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
text = open(scenario).read()
workers = int(re.search(r"^\s+count:\s*(\d+)", text, re.M).group(1))
weeks = int(re.search(r"^\s+weeks:\s*(\d+)", text, re.M).group(1))
rates = []
for k in range(repeats):
    t0 = time.perf_counter()
    subprocess.run([exe, "run", scenario, "-o", f"{out}/run{k}.h5", "--threads", threads, "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    rates.append(workers * weeks / (time.perf_counter() - t0))
# ru_maxrss of children is the largest peak of any one run, in KiB on Linux.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(f"scenario {scenario}: {workers} workers x {weeks} weeks, {threads} thread(s), {repeats} runs")
print(f"worker-steps/s: median {statistics.median(rates):.3e} (runs: {', '.join(f'{r:.3e}' for r in rates)})")
print(f"peak RSS: {peak / 2**20:.1f} MiB = {peak / workers:.0f} bytes/worker")
PY
