#!/usr/bin/env python3
"""Runs every shipped scenario (and the shipped sweeps, cut short) with two gigsim binaries and
compares every dataset of their outputs value for value, NaN equal to NaN.

A refactor that must not change results is checked with it:
    /usr/bin/python3 scripts/compare_outputs.py OLD_GIGSIM NEW_GIGSIM [--threads N] [--only NAME]
Datasets present in only one file are listed; attributes are not compared (they carry versions,
commits and times). Series columns are compared by name, whatever their order. Exit 0: identical.
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent


def datasets(path):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = obj[()]

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        # 2-D series matrices with a column-name attribute are split into named columns, so a
        # changed column order is not reported as a difference.
        for name in list(out):
            ds = f[name]
            cols = ds.attrs.get("columns")
            if cols is not None and np.ndim(out[name]) == 2:
                cols = [c.decode() if isinstance(c, bytes) else str(c) for c in cols]
                if len(cols) == out[name].shape[0]:
                    data = out.pop(name)
                    for k, c in enumerate(cols):
                        out[f"{name}[{c}]"] = data[k]
    return out


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.kind == "f":
        return bool(np.array_equal(a, b, equal_nan=True))
    if a.dtype.names:
        return a.tobytes() == b.tobytes()
    return bool(np.array_equal(a, b))


# Datasets that identify the program rather than the results: a sweep's run identities hash the
# resolved scenario with the program's version and commit, so every build has its own.
PROGRAM_IDENTITY = {"runs/identity"}


def compare(old, new):
    da, db = datasets(old), datasets(new)
    problems = []
    for name in sorted((set(da) | set(db)) - PROGRAM_IDENTITY):
        if name not in db:
            problems.append(f"only in old: {name}")
        elif name not in da:
            problems.append(f"only in new: {name}")
        elif not same(da[name], db[name]):
            problems.append(f"differs: {name}")
    return problems, len(da)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", action="append", help="scenario or sweep file stem to run")
    ap.add_argument("--no-sweeps", action="store_true")
    ap.add_argument("--old-cache", type=pathlib.Path,
                    help="folder keeping the old binary's outputs between calls (reused if there)")
    args = ap.parse_args()
    runs = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "scenarios/calibrated/baseline.yaml"]
    sweeps = [] if args.no_sweeps else sorted((ROOT / "scenarios/sweeps").glob("*.yaml"))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for path in runs + sweeps:
            stem = path.stem if path.parent.name != "calibrated" else "calibrated_" + path.stem
            if args.only and stem not in args.only:
                continue
            outs = []
            for tag, exe in (("old", args.old), ("new", args.new)):
                out = tmp / f"{stem}.{tag}.h5"
                if tag == "old" and args.old_cache:
                    args.old_cache.mkdir(parents=True, exist_ok=True)
                    out = args.old_cache / f"{stem}.t{args.threads}.h5"
                    if out.exists():
                        outs.append(out)
                        continue
                if path in sweeps:
                    cmd = [exe, "sweep", str(path), "-o", str(out), "--threads", str(args.threads),
                           "--quiet"]
                else:
                    cmd = [exe, "run", str(path), "-o", str(out), "--threads", str(args.threads),
                           "--quiet"]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{stem}: {tag} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
                    failed = True
                    break
                outs.append(out)
            if len(outs) != 2:
                continue
            problems, n = compare(*outs)
            print(f"{stem}: {n} datasets, " + ("identical" if not problems else
                                                 f"{len(problems)} differ"))
            for p in problems[:20]:
                print("   ", p)
            failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
