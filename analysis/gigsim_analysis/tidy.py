"""Tidy (long) pandas tables from many gigsim run files.

    from gigsim_analysis.tidy import load_runs, load_series, run_metrics
    workers = load_runs(paths)      # one row per (file, worker)
    series = load_series(paths)     # one row per (file, step, variable)
    per_run = run_metrics(paths)    # one row per (file, group), groups incl. "all"

Every file goes through ``io.open_run``, which refuses anything that is not a gigsim run of a
supported format version with a ``ValueError`` naming the file.
"""

from __future__ import annotations

import os
import re
from typing import Dict, Iterable, List, Sequence, Union

import numpy as np
import pandas as pd

from .io import RunFile, open_run

#: The per-worker outcome metrics summarised per run (BRIEF "Outcome metrics"), in report order.
METRICS: List[str] = [
    "income_cv",
    "dip_months",
    "large_swings",
    "months_below_poverty",
    "trained_last_12m",
    "mean_monthly_income",
]

#: Human-readable label and unit of each metric's run-level mean.
METRIC_INFO: Dict[str, Dict[str, str]] = {
    "income_cv": {"label": "income CV", "unit": "sd/mean, dimensionless",
                  "definition": "coefficient of variation (standard deviation / mean) of a worker's "
                                "monthly net income over the last 12 months (US Financial Diaries); "
                                "workers with mean income <= 0 are excluded"},
    "dip_months": {"label": "dip months", "unit": "months per worker",
                   "definition": "months with income more than 25% below the worker's own 12-month "
                                 "mean (US Financial Diaries)"},
    "large_swings": {"label": "large swings", "unit": "count per worker",
                     "definition": "month-to-month income changes above 30% in the last 12 months "
                                   "(JPMorgan Chase Institute)"},
    "months_below_poverty": {"label": "months below poverty line", "unit": "months per worker",
                             "definition": "months with income below the poverty line, 60% of the "
                                           "median worker's mean monthly income (Eurostat "
                                           "at-risk-of-poverty convention)"},
    "trained_last_12m": {"label": "trained in last 12 months", "unit": "share of workers, 0..1",
                         "definition": "share of workers who took part in job-related training in "
                                       "the last 12 months (Eurostat Adult Education Survey style)"},
    "mean_monthly_income": {"label": "mean monthly income", "unit": "EUR/month",
                            "definition": "mean monthly net income over the last 12 months"},
}

DEFAULT_GROUP_NAMES = ["platform_only", "coop_member", "platform_coop_member", "pooled_worker",
                       "wise_employee"]
PAYER_NAMES = {0: "none", 1: "self", 2: "cooperative", 3: "employer", 4: "public"}

PathsLike = Union[str, os.PathLike, RunFile, Iterable[Union[str, os.PathLike, RunFile]]]


def _runs(paths: PathsLike) -> List[RunFile]:
    """Opens (and checks) every file; RunFile objects pass through."""
    if isinstance(paths, (str, os.PathLike, RunFile)):
        paths = [paths]
    runs = [p if isinstance(p, RunFile) else open_run(p) for p in paths]
    if not runs:
        raise ValueError("no run files given")
    return runs


def scenario_name(run: RunFile) -> str:
    """The scenario's ``name:`` from the resolved YAML text; else the scenario file's stem."""
    text = run.attrs.get("scenario_yaml") or ""
    m = re.search(r"^name:[ \t]*(.*?)[ \t]*(?:#.*)?$", text, flags=re.MULTILINE)
    if m and m.group(1):
        name = m.group(1)
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            name = name[1:-1]
        if name:
            return name
    stem = os.path.splitext(os.path.basename(str(run.attrs.get("scenario_file", ""))))[0]
    return stem or "unnamed"


def group_names(run: RunFile) -> List[str]:
    names = run.groups.get("group_names") if run.groups else None
    return list(names) if names else list(DEFAULT_GROUP_NAMES)


def _group_labels(codes: np.ndarray, names: Sequence[str]) -> np.ndarray:
    lookup = np.array(list(names) + ["unknown"], dtype=object)
    idx = np.where(codes.astype(np.int64) < len(names), codes.astype(np.int64), len(names))
    return lookup[idx]


def _ident(run: RunFile) -> Dict[str, object]:
    return {"file": run.path, "scenario": scenario_name(run), "seed": int(run.attrs.get("seed", -1))}


def load_runs(paths: PathsLike) -> pd.DataFrame:
    """One row per (run file, worker) from ``/workers``.

    Columns: file, scenario, seed, worker, group (name), group_code, every ``/workers`` metric
    (income_cv, dip_months, ..., training_payer as its code) and training_payer_name."""
    frames = []
    for run in _runs(paths):
        w = run.workers
        if "group" not in w:
            raise ValueError(f"{run.path}: no /workers/group dataset")
        n = len(w["group"])
        cols: Dict[str, object] = {k: v for k, v in _ident(run).items()}
        cols["worker"] = w["worker_id"].astype(np.int64) if "worker_id" in w else np.arange(n)
        cols["group"] = _group_labels(w["group"], group_names(run))
        cols["group_code"] = w["group"].astype(np.int64)
        for key in sorted(w):
            if key in ("worker_id", "group"):
                continue
            arr = w[key]
            cols[key] = arr.astype(np.float64) if arr.dtype.kind == "f" else arr.astype(np.int64)
        if "training_payer" in w:
            cols["training_payer_name"] = [PAYER_NAMES.get(int(c), str(int(c)))
                                           for c in w["training_payer"]]
        frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True)


def load_series(paths: PathsLike) -> pd.DataFrame:
    """Long table of ``/series``: file, scenario, seed, step, variable, value, units.

    Values as stored (money in EUR cents, as float64)."""
    frames = []
    for run in _runs(paths):
        s = run.series
        steps = s["step"].astype(np.int64)
        for var in sorted(k for k in s if k != "step"):
            frames.append(pd.DataFrame({
                **_ident(run), "step": steps, "variable": var,
                "value": s[var].astype(np.float64),
                "units": run.units.get(f"series/{var}", ""),
            }))
    return pd.concat(frames, ignore_index=True)


def run_metrics(paths_or_workers: Union[PathsLike, pd.DataFrame]) -> pd.DataFrame:
    """Per-run summary: one row per (file, group), groups "all" plus every group with workers.

    Columns: file, scenario, seed, group, workers, and the group mean of each of ``METRICS``
    (income_cv over workers with a defined CV; trained_last_12m is a share 0..1).
    Accepts run file paths or the DataFrame returned by ``load_runs``."""
    if isinstance(paths_or_workers, pd.DataFrame):
        workers = paths_or_workers
    else:
        workers = load_runs(paths_or_workers)
    rows = []
    for (file, scenario, seed), run_df in workers.groupby(["file", "scenario", "seed"], sort=False):
        parts = [("all", run_df)] + [(g, d) for g, d in run_df.groupby("group", sort=True)]
        for group, d in parts:
            row = {"file": file, "scenario": scenario, "seed": seed, "group": group,
                   "workers": len(d)}
            for m in METRICS:
                # pandas mean skips NaN: income_cv is NaN for workers with mean income <= 0.
                row[m] = float(d[m].astype(np.float64).mean()) if m in d else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


def panel_monthly(paths: PathsLike, variable: str = "net_income") -> pd.DataFrame:
    """Per-run monthly means of a ``/panel`` variable over the sampled workers.

    One row per (file, month, group) with groups "all" plus each group code present in that
    month (a worker's group can change over time). Columns: file, scenario, seed, month, group,
    mean, sd, n. Runs without a panel contribute no rows."""
    rows = []
    for run in _runs(paths):
        p = run.panel
        if variable not in p or p[variable].size == 0:
            continue
        values = p[variable].astype(np.float64)  # [month, worker]
        months = p["month"].astype(np.int64) if "month" in p else np.arange(values.shape[0])
        codes = p.get("group")
        names = group_names(run)
        ident = _ident(run)
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
