"""Command line: ``python3 -m gigsim_analysis report RUN.h5 ... -o OUTDIR [--baseline NAME]``.

Exit status: 0 on success, 2 for bad arguments or an input file that is not a supported gigsim
run (the message names the file), 1 for other failures.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    # `gigsim report` runs this module; name it so in usage lines when called that way.
    prog = "gigsim" if os.environ.get("GIGSIM_CALLED_AS") == "gigsim" else "python3 -m gigsim_analysis"
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Analyse gigsim run files (HDF5).")
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
    args = parser.parse_args(argv)

    from .report import build_report  # imported late: matplotlib is slow to import

    try:
        path = build_report(args.files, args.output, baseline=args.baseline)
    except (ValueError, OSError) as e:
        print(f"gigsim_analysis report: error: {e}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
