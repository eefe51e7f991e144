"""Command line (installed as ``gigsim-analysis``; ``gigsim report`` and ``gigsim export`` run
it too):

    gigsim-analysis report RUN.h5|RUNS_DIR ... -o OUTDIR [--baseline NAME] [--allow-partial]
    gigsim-analysis report SWEEP.h5 -o OUTDIR [--group G] [--variant V]
    gigsim-analysis export RUN.h5|RUNS_DIR ...|SWEEP.h5 -o OUTDIR
    gigsim-analysis sensitivity SWEEP.h5 --metric M [--group G] [--variant V] [--csv F]
    gigsim-analysis sweep-table SWEEP.h5 [-o runs.csv]
    gigsim-analysis calibrate CALIBRATION.json --gigsim PATH/TO/gigsim

Exit status: 0 on success, 2 for bad arguments or an input that is not a supported gigsim run or
sweep, or runs that cannot be compared as given (the message names the files), 1 for other
failures.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

METRICS_HELP = ("metrics: workers, mean_monthly_income, income_cv, dip_months, large_swings,\n"
                "         months_below_poverty, trained_last_12m\n"
                "groups:  all, platform_only, coop_member, platform_coop_member, pooled_worker,\n"
                "         wise_employee")


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="Analyse gigsim run and sweep files (HDF5).")
    sub = parser.add_subparsers(dest="command", required=True)
    raw = argparse.RawDescriptionHelpFormatter

    rep = sub.add_parser(
        "report", help="compare scenarios (run files) or report a sweep: OUTDIR/report.html",
        formatter_class=raw,
        description="Run files: compare scenarios across replications in a self-contained HTML "
                    "report\n(OUTDIR/report.html, figures, CSV tables). Runs are grouped by "
                    "their scenario hash,\nnamed by --label or by the parameters that differ; "
                    "runs stopped early are refused\nunless --allow-partial. A folder written by "
                    "`gigsim run -r R -o DIR` counts as its runs.\n"
                    "A sweep file (alone): response curves over the swept parameters and the "
                    "sensitivity\nanalysis of its design (Morris, Sobol or grid main effects).",
        epilog="examples:\n"
               "  gigsim run scenarios/baseline.yaml -r 5 -o base_runs\n"
               "  gigsim run scenarios/with_umbrella_coop.yaml -r 5 -o coop_runs\n"
               "  gigsim report base_runs coop_runs -o report/   # then open report/report.html\n"
               "  gigsim sweep scenarios/sweeps/coop_fee_grid.yaml -o fee.h5\n"
               "  gigsim report fee.h5 -o fee_report/")
    rep.add_argument("files", nargs="+", metavar="RUN.h5|RUNS_DIR|SWEEP.h5",
                     help="gigsim run files and replication folders, or one sweep file")
    rep.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                     help="output folder (created, or replaced if it holds an earlier report)")
    rep.add_argument("--baseline", default=None, metavar="NAME",
                     help="baseline scenario: its name, label, name: or hash prefix (default: "
                          "the first scenario named baseline, else the first given)")
    rep.add_argument("--allow-partial", action="store_true",
                     help="include runs stopped before their last week (complete = 0), marked")
    rep.add_argument("--group", default="all",
                     help="sweep report: the worker group of the outcomes (default: all)")
    rep.add_argument("--variant", default=None, metavar="NAME|A-B",
                     help="sweep report: variant of the sensitivity analysis (default: the "
                          "paired difference of the last two variants, or the only one)")

    exp = sub.add_parser(
        "export", help="runs or a sweep as tidy CSV tables (one value per row)",
        formatter_class=raw,
        description="Write tidy CSV tables to OUTDIR: for run files and replication folders\n"
                    "runs.csv, workers.csv, series.csv, groups.csv (--panel: panel.csv); for one sweep "
                    "file\nruns.csv, design.csv, series.csv (docs/analysis.md \"Tidy tables\").",
        epilog="example:\n  gigsim export base_runs coop_runs -o tables/")
    exp.add_argument("files", nargs="+", metavar="RUN.h5|RUNS_DIR|SWEEP.h5")
    exp.add_argument("-o", "--output", required=True, metavar="OUTDIR")
    exp.add_argument("--panel", action="store_true",
                     help="also panel.csv: every panel worker's every month (large)")

    sens = sub.add_parser(
        "sensitivity", help="sensitivity of a metric to a sweep's parameters",
        formatter_class=raw,
        description="Global sensitivity analysis of one summary metric of a sweep result file\n"
                    "(gigsim sweep, docs/sweeps.md), chosen by the sweep's design method:\n"
                    "  morris    Morris (1991) elementary effects: mu, mu* (Campolongo,\n"
                    "            Cariboni & Saltelli 2007), sigma; in metric units per whole\n"
                    "            parameter range\n"
                    "  saltelli  first-order (Saltelli et al. 2010) and total (Jansen 1999) Sobol\n"
                    "            indices with 95% bootstrap half-widths\n"
                    "  grid      main effects: level means and the share of variance each\n"
                    "            parameter explains alone (eta squared)\n"
                    "Parameters are listed most influential first. Replications are averaged "
                    "per design\npoint first; failed runs are skipped.",
        epilog="example:\n"
               "  gigsim sweep scenarios/sweeps/morris_screening.yaml -o m.h5\n"
               "  gigsim-analysis sensitivity m.h5 --metric income_cv --group coop_member \\\n"
               "      --variant umbrella_coop --csv morris.csv\n"
               "  # paired effect of the coop (same seeds): --variant umbrella_coop-platforms_only\n"
               "\n" + METRICS_HELP)
    sens.add_argument("file", metavar="SWEEP.h5", help="gigsim sweep result file")
    sens.add_argument("--metric", required=True, help="summary metric, e.g. income_cv")
    sens.add_argument("--group", default="all", help="worker group (default: all)")
    sens.add_argument("--variant", default=None, metavar="NAME",
                      help="variant to analyse (required when the sweep has several), or A-B "
                           "for the paired difference of variants A and B")
    sens.add_argument("--csv", default=None, metavar="OUT.csv", help="also write the table as CSV")
    sens.add_argument("--bootstrap", type=int, default=200, metavar="N",
                      help="Sobol: bootstrap resamples for the intervals (default: 200)")
    sens.add_argument("--seed", type=int, default=0,
                      help="Sobol: seed of the bootstrap resampling (default: 0)")

    tab = sub.add_parser(
        "sweep-table", help="a sweep's runs as one CSV table", formatter_class=raw,
        description="Write the runs of a sweep result file as CSV, one row per run: run, point,\n"
                    "replication, variant, seed, identity, status (0 ok, 1 failed), message, the\n"
                    "value of every design parameter at the run's point (columns named by key\n"
                    "path) and every summary metric per group (columns METRIC.GROUP, e.g.\n"
                    "income_cv.coop_member; empty for failed runs).",
        epilog="example:\n"
               "  gigsim-analysis sweep-table lhs.h5 -o lhs_runs.csv\n"
               "  gigsim-analysis sweep-table lhs.h5 | head   # to stdout")
    tab.add_argument("file", metavar="SWEEP.h5", help="gigsim sweep result file")
    tab.add_argument("-o", "--output", default=None, metavar="runs.csv",
                     help="output CSV file (default: standard output)")

    cal = sub.add_parser(
        "calibrate", formatter_class=raw,
        help="calibrate a scenario to the published figures (simulated method of moments)",
        description="Simulated method of moments over a Latin hypercube design, refined around "
                    "the best point in further stages, with common random numbers across points. "
                    "The targets and tolerances are those of `gigsim validate`; the spec names "
                    "the base scenario, the parameters with their ranges, the targets, the design "
                    "and where to write the calibrated scenario (docs/validation.md).",
        epilog="example:\n"
               "  gigsim-analysis calibrate scenarios/calibrated/calibration.json \\\n"
               "      --gigsim build/release/sim/cli/gigsim")
    cal.add_argument("spec", metavar="CALIBRATION.json", help="calibration spec")
    cal.add_argument("--gigsim", default="gigsim", help="the gigsim program (default: on PATH)")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    # `gigsim report` runs this module; name it so in usage lines when called that way.
    prog = "gigsim" if os.environ.get("GIGSIM_CALLED_AS") == "gigsim" else "gigsim-analysis"
    args = _parser(prog).parse_args(argv)
    handlers = {"report": _report, "export": _export, "sensitivity": _sensitivity,
                "sweep-table": _sweep_table, "calibrate": _calibrate}
    return handlers[args.command](args)


def _error(command: str, e: BaseException) -> int:
    """Every error message, printable: names from files cannot send escapes to the terminal."""
    from .io import printable

    print(printable(f"gigsim {command}: error: {e}"), file=sys.stderr)
    return 2


def _report(args: argparse.Namespace) -> int:
    from .export import is_sweep_file  # imported late: matplotlib is slow to import

    try:
        sweeps = [p for p in args.files if is_sweep_file(p)]
        if sweeps:
            if len(args.files) != 1:
                raise ValueError(f"{sweeps[0]}: a sweep file is reported alone, not together "
                                 f"with other files")
            from .sweep_report import build_sweep_report

            path = build_sweep_report(args.files[0], args.output, group=args.group,
                                      variant=args.variant)
        else:
            from .report import build_report

            path = build_report(args.files, args.output, baseline=args.baseline,
                                allow_partial=args.allow_partial)
    except (ValueError, OSError) as e:
        return _error("report", e)
    print(path)
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import export

    try:
        written = export(args.files, args.output, panel=args.panel)
    except (ValueError, OSError) as e:
        return _error("export", e)
    print("\n".join(written))
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from .calibrate import CalibrationError, main as calibrate_main

    try:
        return calibrate_main(args.spec, args.gigsim)
    except (CalibrationError, OSError) as e:
        return _error("calibrate", e)


def _sensitivity(args: argparse.Namespace) -> int:
    from .sweep import by_importance, load_sweep, point_values, resolve_variant, sensitivity

    if args.bootstrap < 0:
        print("gigsim sensitivity: error: --bootstrap must be >= 0", file=sys.stderr)
        return 2
    from .io import same_file

    if args.csv and same_file(args.csv, args.file):
        _error("sensitivity", f"--csv {args.csv} is the sweep file itself; choose another file")
        return 2
    try:
        sweep = load_sweep(args.file)
        citation, table = sensitivity(sweep, args.metric, args.group, args.variant,
                                      bootstrap=args.bootstrap, seed=args.seed)
        table = by_importance(sweep, table)
        per_point = point_values(sweep, args.metric, args.group, args.variant)
        if args.csv:
            table.to_csv(args.csv)
    except (ValueError, OSError) as e:
        return _error("sensitivity", e)

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
    elif sweep.method == "saltelli":
        details.insert(1, _plural(int(table["n"].max()) if len(table) else 0, "base sample"))
    if failed:
        details.append(f"{_plural(failed, 'failed run')} skipped")
    if empty:
        details.append(f"{_plural(empty, 'point')} without a value")
    print("; ".join(details))
    if sweep.method == "morris":
        print(f"elementary effects in {args.metric} per whole parameter range (unit-cube "
              f"coordinate)")
    print("most influential first")
    print()
    print(_format_table(table.drop(columns=["levels"], errors="ignore")))
    if "levels" in table:
        print()
        for name, levels in table["levels"].items():
            print(f"{name}: {levels}")
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
        return _error("sweep-table", e)
    if args.output:
        print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
