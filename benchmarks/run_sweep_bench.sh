#!/usr/bin/env bash
# Sweep throughput and overhead. Runs the eight replications of
# benchmarks/sweep_10k_workers_260_weeks.yaml three ways, REPEATS times each, interleaved:
#   one-by-one  `gigsim run` per replication, one after another, all cores inside each run
#   sweep-1job  `gigsim sweep --jobs 1 --threads <cores>`: the same execution, plus the machinery
#               (planning, identities, records, the join)
#   sweep-auto  `gigsim sweep` with its automatic choice (small runs: one per core)
# and prints the medians, runs per hour and the overhead of sweep-1job over one-by-one.
# Usage: benchmarks/run_sweep_bench.sh [REPEATS]   (needs a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
exe=${GIGSIM_EXE:-build/release/sim/cli/gigsim}
sweep=benchmarks/sweep_10k_workers_260_weeks.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$exe" "$sweep" "$repeats" "$work" <<'PY'
import os, statistics, subprocess, sys, time
exe, sweep, repeats, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cores = str(os.cpu_count())
# The seeds the sweep gives its replications, from the sweep's own run list.
listing = subprocess.run([exe, "sweep", sweep, "-o", f"{work}/list.h5", "--list"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
seeds = [line.split("\t")[4] for line in listing[1:]]
base = os.path.join(os.path.dirname(sweep), "../scenarios/with_umbrella_coop.yaml")
def one_by_one(k):
    for i, seed in enumerate(seeds):
        subprocess.run([exe, "run", base, "-o", f"{work}/r{k}_{i}.h5", "--seed", seed, "--set",
                        "output.panel=none", "--set", "umbrella_coop.fee_rate=0.065",
                        "--threads", cores, "--quiet"], check=True, stdout=subprocess.DEVNULL)
def sweep_run(k, extra):
    subprocess.run([exe, "sweep", sweep, "-o", f"{work}/s{k}_{extra[1] if extra else 'auto'}.h5",
                    "-q", *extra], check=True, stdout=subprocess.DEVNULL)
times = {"one-by-one": [], "sweep-1job": [], "sweep-auto": []}
for k in range(repeats):
    for name, f in (("one-by-one", lambda: one_by_one(k)),
                    ("sweep-1job", lambda: sweep_run(k, ["--jobs", "1", "--threads", cores])),
                    ("sweep-auto", lambda: sweep_run(k, []))):
        t0 = time.perf_counter()
        f()
        times[name].append(time.perf_counter() - t0)
n = len(seeds)
print(f"{n} runs of 10,000 workers x 260 weeks, {cores} cores, {repeats} repeats (median)")
for name, ts in times.items():
    m = statistics.median(ts)
    print(f"{name:11s} {m:7.2f} s  {m / n:6.3f} s/run  {3600 * n / m:7.0f} runs/hour  "
          f"(all: {', '.join(f'{t:.2f}' for t in ts)})")
ratios = [s / o for s, o in zip(times["sweep-1job"], times["one-by-one"])]
print(f"overhead of the sweep machinery (sweep-1job / one-by-one - 1, median of paired repeats): "
      f"{100 * (statistics.median(ratios) - 1):+.1f}%")
PY
