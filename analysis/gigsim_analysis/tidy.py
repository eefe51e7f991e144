"""Tidy (long) pandas tables from many gigsim run files.

    from gigsim_analysis.tidy import load_runs, load_series, run_metrics, runs_table
    workers = load_runs(paths)      # one row per (file, worker)
    series = load_series(paths)     # one row per (file, step, variable); money in EUR
    per_run = run_metrics(paths)    # one row per (file, group), groups incl. "all"
    runs = runs_table(paths)        # one row per file: scenario, hash, label, seed, complete

``paths`` may name replication folders (``gigsim run -r R -o DIR``) as well as files. Every file
goes through ``io.open_run``, which refuses anything that is not a gigsim run of a supported
format version with a ``ValueError`` naming the file. The ``scenario`` column is the scenario's
name among the files given (identity.group_runs: runs are grouped by their scenario hash, not by
the ``name:`` alone); partial runs are kept, with ``complete`` False.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from .identity import Scenario, group_runs
from .io import RunFile, expand_inputs, open_run

#: The per-worker outcome metrics summarised per run (docs/analysis.md "Metrics"), report order.
METRICS: List[str] = [
    "income_cv",
    "dip_months",
    "large_swings",
    "months_below_poverty",
    "trained_last_12m",
    "mean_monthly_income",
]

#: Label, unit, direction ("lower" or "higher" is better), definition and source of each metric's
#: run-level mean. Shares (``percent``) are shown in percent everywhere in the reports.
METRIC_INFO: Dict[str, Dict[str, object]] = {
    "income_cv": {"label": "income CV", "unit": "sd/mean", "better": "lower", "percent": False,
                  "definition": "coefficient of variation (standard deviation / mean) of a "
                                "worker's monthly net income over the last 12 months; workers "
                                "with mean income <= 0 are excluded",
                  "source": "US Financial Diaries (Hannagan & Morduch 2015)"},
    "dip_months": {"label": "dip months", "unit": "months per worker", "better": "lower",
                   "percent": False,
                   "definition": "months with income more than 25% below the worker's own "
                                 "12-month mean",
                   "source": "US Financial Diaries (Hannagan & Morduch 2015)"},
    "large_swings": {"label": "large swings", "unit": "per worker and year", "better": "lower",
                     "percent": False,
                     "definition": "month-to-month income changes above 30% in the last 12 "
                                   "months",
                     "source": "JPMorgan Chase Institute (Farrell & Greig 2016)"},
    "months_below_poverty": {"label": "months below poverty line", "unit": "months per worker",
                             "better": "lower", "percent": False,
                             "definition": "months with income below the poverty line, 60% of "
                                           "the median worker's mean monthly income in that run",
                             "source": "Eurostat at-risk-of-poverty convention"},
    "trained_last_12m": {"label": "trained in last 12 months", "unit": "% of workers",
                         "better": "higher", "percent": True,
                         "definition": "share of workers who took part in job-related training "
                                       "in the last 12 months",
                         "source": "Eurostat Adult Education Survey style"},
    "mean_monthly_income": {"label": "mean monthly income", "unit": "EUR/month",
                            "better": "higher", "percent": False,
                            "definition": "mean monthly net income over the last 12 months",
                            "source": "gigsim"},
}

DEFAULT_GROUP_NAMES = ["platform_only", "coop_member", "platform_coop_member", "pooled_worker",
                       "wise_employee"]
PAYER_NAMES = ["none", "self", "cooperative", "employer", "public"]

PathsLike = Union[str, os.PathLike, RunFile, Iterable[Union[str, os.PathLike, RunFile]]]


def open_runs(paths: PathsLike) -> List[RunFile]:
    """Opens (and checks) every file, folders expanded; RunFile objects pass through."""
    if isinstance(paths, (str, os.PathLike, RunFile)):
        paths = [paths]
    runs: List[RunFile] = []
    for p in paths:
        if isinstance(p, RunFile):
            runs.append(p)
        else:
            runs.extend(open_run(f) for f in expand_inputs(p))
    if not runs:
        raise ValueError("no run files given")
    return runs


def scenarios_of(paths: PathsLike, allow_partial: bool = True) -> Tuple[List[RunFile],
                                                                       List[Scenario]]:
    """The runs and the scenarios they make (identity.group_runs)."""
    runs = open_runs(paths)
    return runs, group_runs(runs, allow_partial=allow_partial)


def _names_by_path(scenarios: Sequence[Scenario]) -> Dict[str, Scenario]:
    return {r.path: s for s in scenarios for r in s.runs}


def group_names(run: RunFile) -> List[str]:
    return list(run.categories.get("workers/group") or DEFAULT_GROUP_NAMES)


def _labels(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    lookup = np.array(list(names) + ["unknown"], dtype=object)
    idx = np.where(codes.astype(np.int64) < len(names), codes.astype(np.int64), len(names))
    return lookup[idx]


def _ident(run: RunFile, scenario: Scenario) -> Dict[str, object]:
    return {"file": run.path, "scenario": scenario.name, "scenario_hash": scenario.key,
            "label": run.label, "seed": int(run.attrs.get("seed", -1)),
            "complete": run.complete}


def runs_table(paths: PathsLike) -> pd.DataFrame:
    """One row per run file: file, scenario, scenario_hash, label, seed, complete, workers,
    weeks, scenario_name, scenario_file, branched_from, git_commit."""
    runs, scenarios = scenarios_of(paths)
    by_path = _names_by_path(scenarios)
    rows = []
    for r in runs:
        s = by_path[r.path]
        rows.append({**_ident(r, s), "workers": int(r.attrs.get("workers", 0)),
                     "weeks": int(r.attrs.get("weeks", 0)), "scenario_name": s.scenario_name,
                     "scenario_file": r.attrs.get("scenario_file", ""),
                     "branched_from": r.attrs.get("branched_from", ""),
                     "git_commit": r.attrs.get("git_commit", "")})
    return pd.DataFrame(rows)


def load_runs(paths: PathsLike) -> pd.DataFrame:
    """One row per (run file, worker) from ``/workers``.

    Columns: file, scenario, scenario_hash, label, seed, complete, worker, group (name),
    group_code, every ``/workers`` metric (income_cv, dip_months, ..., training_payer as its
    code) and training_payer_name."""
    runs, scenarios = scenarios_of(paths)
    by_path = _names_by_path(scenarios)
    frames = []
    for run in runs:
        w = run.workers
        if "group" not in w:
            raise ValueError(f"{run.path}: no /workers/group dataset")
        n = len(w["group"])
        cols: Dict[str, object] = dict(_ident(run, by_path[run.path]))
        cols["worker"] = w["worker_id"].astype(np.int64) if "worker_id" in w else np.arange(n)
        cols["group"] = _labels(w["group"], group_names(run))
        cols["group_code"] = w["group"].astype(np.int64)
        for key in sorted(w):
            if key in ("worker_id", "group"):
                continue
            arr = w[key]
            cols[key] = arr.astype(np.float64) if arr.dtype.kind == "f" else arr.astype(np.int64)
        if "training_payer" in w:
            payers = run.categories.get("workers/training_payer") or PAYER_NAMES
            cols["training_payer_name"] = _labels(w["training_payer"], payers)
        frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True)


def load_series(paths: PathsLike) -> pd.DataFrame:
    """Long table of ``/series``: file, scenario, scenario_hash, label, seed, complete, step,
    variable, value, units. Money in EUR."""
    runs, scenarios = scenarios_of(paths)
    by_path = _names_by_path(scenarios)
    frames = []
    for run in runs:
        s = run.series
        steps = s["step"].astype(np.int64)
        ident = _ident(run, by_path[run.path])
        for var in sorted(k for k in s if k != "step"):
            frames.append(pd.DataFrame({
                **ident, "step": steps, "variable": var,
                "value": s[var].astype(np.float64),
                "units": run.units.get(f"series/{var}", ""),
            }))
    return pd.concat(frames, ignore_index=True)


def run_metrics(paths_or_workers: Union[PathsLike, pd.DataFrame]) -> pd.DataFrame:
    """Per-run summary: one row per (file, group), groups "all" plus every group with workers.

    Columns: file, scenario, seed, complete, group, workers, and the group mean of each of
    ``METRICS`` (income_cv over workers with a defined CV; trained_last_12m is a share 0..1).
    Accepts run file paths or the DataFrame returned by ``load_runs``."""
    if isinstance(paths_or_workers, pd.DataFrame):
        workers = paths_or_workers
    else:
        workers = load_runs(paths_or_workers)
    rows = []
    for (file, scenario, seed, complete), run_df in workers.groupby(
            ["file", "scenario", "seed", "complete"], sort=False):
        parts = [("all", run_df)] + [(g, d) for g, d in run_df.groupby("group", sort=True)]
        for group, d in parts:
            row = {"file": file, "scenario": scenario, "seed": seed, "complete": complete,
                   "group": group, "workers": len(d)}
            for m in METRICS:
                # pandas mean skips NaN: income_cv is NaN for workers with mean income <= 0.
                row[m] = float(d[m].astype(np.float64).mean()) if m in d else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def panel_monthly(paths: PathsLike, variable: str = "net_income") -> pd.DataFrame:
    """Per-run monthly means of a ``/panel`` variable over the sampled workers.

    One row per (file, month, group) with groups "all" plus each group present in that month (a
    worker's group can change over time). Columns: file, scenario, seed, month, group, mean, sd,
    n. Runs without a panel contribute no rows."""
    runs, scenarios = scenarios_of(paths)
    by_path = _names_by_path(scenarios)
    rows = []
    for run in runs:
        p = run.panel
        if variable not in p or p[variable].size == 0:
            continue
        values = p[variable].astype(np.float64)  # [month, worker]
        months = p["month"].astype(np.int64) if "month" in p else np.arange(values.shape[0])
        codes = p.get("group")
        names = run.categories.get("panel/group") or DEFAULT_GROUP_NAMES
        s = by_path[run.path]
        ident = {"file": run.path, "scenario": s.name, "seed": int(run.attrs.get("seed", -1))}
        for i, month in enumerate(months):
            row_vals = values[i]
            subsets = [("all", np.ones(row_vals.shape, dtype=bool))]
            if codes is not None:
                for c in np.unique(codes[i]):
                    label = names[int(c)] if int(c) < len(names) else str(int(c))
                    subsets.append((label, codes[i] == c))
            for label, mask in subsets:
                v = row_vals[mask]
                v = v[np.isfinite(v)]
                rows.append({**ident, "month": int(month), "group": label,
                             "mean": float(v.mean()) if v.size else np.nan,
                             "sd": float(v.std(ddof=1)) if v.size > 1 else np.nan,
                             "n": int(v.size)})
    return pd.DataFrame(rows, columns=["file", "scenario", "seed", "month", "group", "mean", "sd",
                                       "n"])


def load_panel(paths: PathsLike) -> pd.DataFrame:
    """Long table of ``/panel``: one row per (file, month, worker, variable) with value and
    units; group and training_payer also as their names in ``value_name`` (empty for the
    others)."""
    runs, scenarios = scenarios_of(paths)
    by_path = _names_by_path(scenarios)
    frames = []
    for run in runs:
        p = run.panel
        if "month" not in p or "worker_id" not in p:
            continue
        months, ids = p["month"].astype(np.int64), p["worker_id"].astype(np.int64)
        ident = _ident(run, by_path[run.path])
        month_col = np.repeat(months, len(ids))
        worker_col = np.tile(ids, len(months))
        for var in sorted(k for k in p if k not in ("month", "worker_id")):
            data = np.asarray(p[var])
            if data.ndim != 2:
                continue
            frame = pd.DataFrame({**ident, "month": month_col, "worker": worker_col,
                                  "variable": var, "value": data.reshape(-1).astype(np.float64),
                                  "units": run.units.get(f"panel/{var}", "")})
            names = run.categories.get(f"panel/{var}")
            frame["value_name"] = _labels(data.reshape(-1), names) if names else ""
            frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["file", "scenario", "scenario_hash", "label", "seed",
                                     "complete", "month", "worker", "variable", "value", "units"])
    return pd.concat(frames, ignore_index=True)
