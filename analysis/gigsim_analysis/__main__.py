"""Command line: ``python3 -m gigsim_analysis report RUN.h5 ... -o OUTDIR [--baseline NAME]``.

Exit status: 0 on success, 2 for bad arguments or an input file that is not a supported gigsim
run (the message names the file), 1 for other failures.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m gigsim_analysis",
        description="Analyse gigsim run files (HDF5).")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser(
        "report", help="compare scenarios: writes OUTDIR/report.html, *.png, headline.csv",
        description="Compare scenarios across replications and write a self-contained HTML "
                    "report. Pass every run file (all seeds of every scenario); runs are grouped "
                    "by the scenario name recorded in each file.")
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
