"""Tidy CSV tables of runs or of a sweep, one value per row, for spreadsheets, R, and users of
NetLogo's BehaviorSpace tables (``gigsim export ... -o OUTDIR``).

Run files (and replication folders):

    runs.csv     one row per run: file, scenario, scenario_hash, label, seed, complete, workers,
                 weeks, scenario_name, scenario_file, branched_from, git_commit
    workers.csv  one row per (run, worker): group, the per-worker outcomes
    series.csv   one row per (run, week, variable): value, units (money in EUR)
    panel.csv    with --panel: one row per (run, month, panel worker, variable): value, units,
                 value_name
    groups.csv   one row per (run, group, statistic): the run's /summary/groups table

A sweep file:

    runs.csv     one row per run: coordinates, seed, status, parameters, METRIC.GROUP columns
    design.csv   one row per (point, parameter): value, unit, unit-cube coordinate
    series.csv   one row per (run, week, variable): value, units

The folder is written under a temporary name and renamed into place (outdir.atomic_folder).
"""

from __future__ import annotations

import os
from typing import List, Sequence

import h5py
import numpy as np
import pandas as pd

from .io import _text
from .outdir import atomic_folder
from .sweep import FILE_TYPE as SWEEP_TYPE
from .sweep import load_sweep
from .tidy import load_panel, load_runs, load_series, open_runs, runs_table, scenarios_of


def is_sweep_file(path: str) -> bool:
    """True for an HDF5 file whose file_type is a gigsim sweep's (any version). Only a regular
    file is opened: HDF5 would block forever on a FIFO (open_run then names what it is)."""
    if not os.path.isfile(path):
        return False
    try:
        with h5py.File(path, "r") as f:
            return _text(f.attrs.get("file_type")) == SWEEP_TYPE
    except OSError:
        return False


def _groups_table(paths: Sequence[str]) -> pd.DataFrame:
    runs, scenarios = scenarios_of(paths)
    name = {r.path: s.name for s in scenarios for r in s.runs}
    rows = []
    for r in runs:
        g = r.groups
        groups = g.get("group") or []
        for key, values in g.items():
            if key == "group" or not isinstance(values, np.ndarray) or len(values) != len(groups):
                continue
            for i, group in enumerate(groups):
                rows.append({"file": r.path, "scenario": name[r.path], "seed": r.attrs.get("seed"),
                             "group": group, "statistic": key, "value": float(values[i]),
                             "units": r.units.get(f"summary/groups/{key}", "")})
    return pd.DataFrame(rows)


def export_runs(paths: Sequence[str], outdir: str, panel: bool = False) -> List[str]:
    with atomic_folder(outdir, "runs.csv") as tmp:
        tables = {"runs.csv": runs_table(paths), "workers.csv": load_runs(paths),
                  "series.csv": load_series(paths), "groups.csv": _groups_table(paths)}
        if panel:  # months x panel workers x variables rows a run: large, so on request
            tables["panel.csv"] = load_panel(paths)
        for name, table in tables.items():
            table.to_csv(os.path.join(tmp, name), index=False)
    return [os.path.join(os.path.abspath(outdir), n) for n in tables]


def export_sweep(path: str, outdir: str) -> List[str]:
    sweep = load_sweep(path)
    design = sweep.design.melt(id_vars=["point"], value_vars=sweep.parameters,
                               var_name="parameter", value_name="value")
    unit = sweep.unit.assign(point=sweep.design["point"]).melt(
        id_vars=["point"], var_name="parameter", value_name="unit_coordinate")
    design = design.merge(unit, on=["point", "parameter"])
    design["unit"] = design["parameter"].map(sweep.parameter_units)
    frames = []
    for column in sweep.series_columns:
        da = sweep.series(column)
        data = da.to_numpy()
        weeks = da["week"].to_numpy()
        frame = pd.DataFrame({
            "run": np.repeat(sweep.runs["run"].to_numpy(), len(weeks)),
            "point": np.repeat(sweep.runs["point"].to_numpy(), len(weeks)),
            "replication": np.repeat(sweep.runs["replication"].to_numpy(), len(weeks)),
            "variant": np.repeat(sweep.runs["variant"].to_numpy(), len(weeks)),
            "week": np.tile(weeks, len(sweep.runs)), "variable": column,
            "value": data.reshape(-1), "units": da.attrs.get("units", "")})
        frames.append(frame[np.isfinite(frame["value"])])
    with atomic_folder(outdir, "runs.csv") as tmp:
        sweep.runs.to_csv(os.path.join(tmp, "runs.csv"), index=False)
        design.to_csv(os.path.join(tmp, "design.csv"), index=False)
        (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()).to_csv(
            os.path.join(tmp, "series.csv"), index=False)
    return [os.path.join(os.path.abspath(outdir), n) for n in ("runs.csv", "design.csv",
                                                               "series.csv")]


def export(paths: Sequence[str], outdir: str, panel: bool = False) -> List[str]:
    """Runs (files and replication folders) or one sweep file as tidy CSV tables; the runs'
    panel.csv only with ``panel``."""
    paths = list(paths)
    sweeps = [p for p in paths if is_sweep_file(p)]
    if sweeps:
        if len(paths) != 1:
            raise ValueError(f"{sweeps[0]}: a sweep file is exported alone, not with other "
                             f"files")
        return export_sweep(paths[0], outdir)
    open_runs(paths)  # every file checked before anything is written
    return export_runs(paths, outdir, panel=panel)
