"""Command line:

    python3 -m gigsim_analysis report RUN.h5 ... -o OUTDIR [--baseline NAME]
    python3 -m gigsim_analysis sensitivity SWEEP.h5 --metric M [--group G] [--variant V] [--csv F]
    python3 -m gigsim_analysis sweep-table SWEEP.h5 [-o runs.csv]
    python3 -m gigsim_analysis calibrate CALIBRATION.json --gigsim PATH/TO/gigsim

Exit status: 0 on success, 2 for bad arguments or an input file that is not a supported gigsim
run or sweep (the message names the file), 1 for other failures.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional


def _error(command: str, message: object) -> None:
    """Every error message, printable: names from files cannot send escapes to the terminal."""
    from .io import printable

    print(printable(f"gigsim_analysis {command}: error: {message}"), file=sys.stderr)


def main(argv: Optional[List[str]] = None) -> int:
    # `gigsim report` runs this module; name it so in usage lines when called that way.
    prog = "gigsim" if os.environ.get("GIGSIM_CALLED_AS") == "gigsim" else "python3 -m gigsim_analysis"
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Analyse gigsim run and sweep files (HDF5).")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report", help="compare scenarios: writes OUTDIR/report.html, *.png, headline.csv",
        description="Compare scenarios across replications and write a self-contained HTML "
                    "report. Pass every run file (all seeds of every scenario); runs are grouped "
                    "by the scenario name recorded in each file.",
        epilog="example:\n"
               "  for s in 1 2 3; do\n"
               "    gigsim run scenarios/baseline.yaml --seed $s -o base_$s.h5\n"
               "    gigsim run scenarios/with_umbrella_coop.yaml --seed $s -o coop_$s.h5\n"
               "  done\n"
               "  gigsim report base_*.h5 coop_*.h5 -o report/   # then open report/report.html",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("files", nargs="+", metavar="RUN.h5", help="gigsim run files")
    rep.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                     help="output directory (created or replaced atomically)")
    rep.add_argument("--baseline", default=None, metavar="NAME",
                     help='baseline scenario name (default: "baseline" if present, else the '
                          'scenario of the first file)')

    sens = sub.add_parser(
        "sensitivity", help="sensitivity of a metric to a sweep's parameters (Morris or Sobol)",
        description="Global sensitivity analysis of one summary metric of a sweep result file\n"
                    "(gigsim sweep, docs/sweeps.md), chosen by the sweep's design method:\n"
                    "  morris    Morris (1991) elementary effects: mu, mu* (Campolongo,\n"
                    "            Cariboni & Saltelli 2007), sigma; in metric units per whole\n"
                    "            parameter range\n"
                    "  saltelli  first-order (Saltelli et al. 2010) and total (Jansen 1999) Sobol\n"
                    "            indices with 95% bootstrap half-widths\n"
                    "Replications are averaged per design point first; failed runs are skipped.",
        epilog="example:\n"
               "  gigsim sweep morris.yaml -o morris.h5\n"
               "  python3 -m gigsim_analysis sensitivity morris.h5 --metric income_cv \\\n"
               "      --group coop_member --variant umbrella_coop --csv morris.csv\n"
               "  # paired effect of the coop (same seeds):\n"
               "  #   --variant umbrella_coop-platforms_only\n"
               "\n"
               "metrics: workers, mean_monthly_income, income_cv, dip_months, large_swings,\n"
               "         months_below_poverty, trained_last_12m\n"
               "groups:  all, platform_only, coop_member, platform_coop_member, pooled_worker,\n"
               "         wise_employee",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sens.add_argument("file", metavar="SWEEP.h5", help="gigsim sweep result file")
    sens.add_argument("--metric", required=True, help="summary metric, e.g. income_cv")
    sens.add_argument("--group", default="all",
                      help="worker group: all, platform_only, coop_member, platform_coop_member, "
                           "pooled_worker, wise_employee (default: all)")
    sens.add_argument("--variant", default=None, metavar="NAME",
                      help="variant to analyse (required when the sweep has several), or A-B "
                           "for the paired difference of variants A and B")
    sens.add_argument("--csv", default=None, metavar="OUT.csv", help="also write the table as CSV")
    sens.add_argument("--bootstrap", type=int, default=200, metavar="N",
                      help="Sobol: bootstrap resamples for the intervals (default: 200)")
    sens.add_argument("--seed", type=int, default=0,
                      help="Sobol: seed of the bootstrap resampling (default: 0)")

    tab = sub.add_parser(
        "sweep-table", help="a sweep's runs as one tidy CSV table",
        description="Write the runs of a sweep result file as CSV, one row per run: run, point,\n"
                    "replication, variant, seed, identity, status (0 ok, 1 failed), message, the\n"
                    "value of every design parameter at the run's point (columns named by key\n"
                    "path) and every summary metric per group (columns METRIC.GROUP, e.g.\n"
                    "income_cv.coop_member; empty for failed runs).",
        epilog="example:\n"
               "  gigsim sweep lhs.yaml -o lhs.h5\n"
               "  python3 -m gigsim_analysis sweep-table lhs.h5 -o lhs_runs.csv\n"
               "  python3 -m gigsim_analysis sweep-table lhs.h5 | head   # to stdout",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    tab.add_argument("file", metavar="SWEEP.h5", help="gigsim sweep result file")
    tab.add_argument("-o", "--output", default=None, metavar="runs.csv",
                     help="output CSV file (default: standard output)")
    cal = sub.add_parser(
        "calibrate", help="calibrate a scenario to the published figures (simulated method of "
                          "moments)",
        description="Simulated method of moments over a Latin hypercube design, refined around "
                    "the best point in further stages, with common random numbers across points. "
                    "The targets and tolerances are those of `gigsim validate`; the spec names "
                    "the base scenario, the parameters with their ranges, the targets, the design "
                    "and where to write the calibrated scenario (docs/validation.md).",
        epilog="example:\n"
               "  python3 -m gigsim_analysis calibrate scenarios/calibrated/calibration.json \\\n"
               "      --gigsim build/sim/cli/gigsim",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    cal.add_argument("spec", metavar="CALIBRATION.json", help="calibration spec")
    cal.add_argument("--gigsim", default="gigsim", help="the gigsim program (default: on PATH)")
    args = parser.parse_args(argv)

    if args.command == "calibrate":
        from .calibrate import CalibrationError, main as calibrate_main

        try:
            return calibrate_main(args.spec, args.gigsim)
        except (CalibrationError, OSError) as e:
            _error("calibrate", e)
            return 2

    if args.command == "sensitivity":
        return _sensitivity(args)
    if args.command == "sweep-table":
        return _sweep_table(args)

    from .report import build_report  # imported late: matplotlib is slow to import

    try:
        path = build_report(args.files, args.output, baseline=args.baseline)
    except (ValueError, OSError) as e:
        _error("report", e)
        return 2
    print(path)
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from .sweep import load_sweep, point_values, resolve_variant, sensitivity

    if args.bootstrap < 0:
        print("gigsim_analysis sensitivity: error: --bootstrap must be >= 0", file=sys.stderr)
        return 2
    from .io import same_file

    if args.csv and same_file(args.csv, args.file):
        _error("sensitivity", f"--csv {args.csv} is the sweep file itself; choose another file")
        return 2
    try:
        sweep = load_sweep(args.file)
        citation, table = sensitivity(sweep, args.metric, args.group, args.variant,
                                      bootstrap=args.bootstrap, seed=args.seed)
        per_point = point_values(sweep, args.metric, args.group, args.variant)
        if args.csv:
            table.to_csv(args.csv)
    except (ValueError, OSError) as e:
        _error("sensitivity", e)
        return 2

    a, b = resolve_variant(sweep, args.variant)
    variant = a if b is None else f"{a} - {b} (paired on seeds)"
    failed = int(((sweep.runs["status"] != 0) & sweep.runs["variant"].isin([a, b])).sum())
    empty = int((per_point["n"] == 0).sum())
    print(citation)
    print(f"{sweep.path}: {args.metric}.{args.group}, variant {variant}")
    details = [f"{sweep.method} design", _plural(sweep.points, "point"),
               f"{_plural(sweep.replications, 'replication')} averaged per point"]
    if sweep.method == "morris":
        details.insert(1, _plural(sweep.design["trajectory"].nunique(), "trajectory",
                                  "trajectories"))
    else:
        details.insert(1, _plural(int(table["n"].max()) if len(table) else 0, "base sample"))
    if failed:
        details.append(f"{_plural(failed, 'failed run')} skipped")
    if empty:
        details.append(f"{_plural(empty, 'point')} without a value")
    print("; ".join(details))
    if sweep.method == "morris":
        print(f"elementary effects in {args.metric} per whole parameter range (unit-cube "
              f"coordinate)")
    print()
    print(_format_table(table))
    if args.csv:
        print(f"\n{args.csv}")
    return 0


def _plural(n: int, word: str, plural: Optional[str] = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _format_table(table) -> str:
    """Index (parameter names) left-aligned, numbers right-aligned with 4 significant digits."""
    cells = [[str(table.index.name or "")] + [str(c) for c in table.columns]]
    for name, row in table.iterrows():
        cells.append([str(name)] + [f"{v:.4g}" if isinstance(v, float) else str(v)
                                    for v in row.tolist()])
    widths = [max(len(r[j]) for r in cells) for j in range(len(cells[0]))]
    return "\n".join("  ".join([r[0].ljust(widths[0])]
                               + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]).rstrip()
                     for r in cells)


def _sweep_table(args: argparse.Namespace) -> int:
    from .io import same_file
    from .sweep import load_sweep

    if args.output and same_file(args.output, args.file):
        _error("sweep-table", f"-o {args.output} is the sweep file itself; choose another file")
        return 2
    try:
        sweep = load_sweep(args.file)
        if args.output:
            sweep.runs.to_csv(args.output, index=False)
        else:
            sweep.runs.to_csv(sys.stdout, index=False)
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped early (| head): not an error of the file; silence the exit flush
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, OSError) as e:
        _error("sweep-table", e)
        return 2
    if args.output:
        print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
