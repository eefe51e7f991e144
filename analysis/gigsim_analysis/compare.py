"""Scenario comparisons with uncertainty across replications.

    from gigsim_analysis.tidy import run_metrics
    from gigsim_analysis.compare import compare
    table = compare(run_metrics(paths), baseline="baseline")

The unit of replication is the run (one seed). For each metric, each run contributes one number
(the run's group mean, from ``run_metrics``); intervals are t-intervals over those numbers:

* paired: both scenarios have runs with exactly the same set of seeds (each seed once). The
  difference is taken per seed (common random numbers) and the interval is
  ``mean(d) ± t(0.975, n-1) · sd(d)/√n``.
* welch: otherwise, ``mean(s) - mean(b) ± t(0.975, ν) · √(var_s/n_s + var_b/n_b)`` with the
  Welch–Satterthwaite degrees of freedom ν.
* single run: a scenario has fewer than two runs; the difference is reported, the interval is
  NaN (replications are needed).

Student-t quantiles come from SciPy (``scipy.stats.t.ppf``); non-integer degrees of freedom
(Welch) work.
"""

from __future__ import annotations

import math
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
from scipy import stats

from .tidy import METRICS


def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t (e.g. ``t_quantile(0.975, 4) = 2.776``); df may be non-integer,
    df = inf gives the normal quantile, df <= 0 NaN."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be in (0, 1), got {p}")
    if not df > 0:
        return math.nan
    return float(stats.t.ppf(p, df))


# ----------------------------------------------------------------------------------------------
# Comparison


def _interval(diff: float, se: float, df: float, level: float):
    if not np.isfinite(se) or not np.isfinite(df):
        return math.nan, math.nan
    if se == 0.0:
        return diff, diff
    q = t_quantile(0.5 + level / 2.0, df)
    return diff - q * se, diff + q * se


def _compare_one(b: pd.DataFrame, s: pd.DataFrame, metric: str, level: float) -> Dict[str, object]:
    """b, s: run-level rows (one per file) of one group; returns the statistics columns."""
    bv = b[["seed", metric]].dropna()
    sv = s[["seed", metric]].dropna()
    nb, ns = len(bv), len(sv)
    out: Dict[str, object] = {
        "baseline_mean": float(bv[metric].mean()) if nb else math.nan,
        "scenario_mean": float(sv[metric].mean()) if ns else math.nan,
        "n_baseline": nb, "n_scenario": ns,
    }
    if nb == 0 or ns == 0:
        out.update(difference=math.nan, ci_low=math.nan, ci_high=math.nan, df=math.nan,
                   method="missing", note="no runs with this group/metric in one scenario")
        return out
    seeds_b, seeds_s = bv["seed"].tolist(), sv["seed"].tolist()
    paired = (sorted(seeds_b) == sorted(seeds_s) and len(set(seeds_b)) == nb)
    if paired:
        d = (sv.set_index("seed")[metric] - bv.set_index("seed")[metric]).to_numpy(np.float64)
        n = len(d)
        diff = float(d.mean())
        if n >= 2:
            se = float(d.std(ddof=1)) / math.sqrt(n)
            lo, hi = _interval(diff, se, n - 1, level)
            out.update(difference=diff, ci_low=lo, ci_high=hi, df=float(n - 1), method="paired",
                       note=f"paired by seed ({n} seeds)")
            return out
    diff = out["scenario_mean"] - out["baseline_mean"]
    if nb < 2 or ns < 2:
        out.update(difference=diff, ci_low=math.nan, ci_high=math.nan, df=math.nan,
                   method="single run",
                   note="only one replication in a scenario: run more seeds for an interval")
        return out
    vb = float(bv[metric].var(ddof=1)) / nb
    vs = float(sv[metric].var(ddof=1)) / ns
    se = math.sqrt(vb + vs)
    if se > 0:
        df = (vb + vs) ** 2 / ((vb ** 2) / (nb - 1) + (vs ** 2) / (ns - 1))
    else:
        df = float(nb + ns - 2)
    lo, hi = _interval(diff, se, df, level)
    out.update(difference=diff, ci_low=lo, ci_high=hi, df=df, method="welch",
               note=f"unpaired Welch interval ({nb} vs {ns} runs)")
    return out


COMPARE_COLUMNS = ["scenario", "baseline", "group", "metric", "baseline_mean", "scenario_mean",
                   "difference", "ci_low", "ci_high", "relative_difference", "n_baseline",
                   "n_scenario", "df", "method", "note"]


def compare(df_run_metrics: pd.DataFrame, baseline: str = "baseline", level: float = 0.95,
            metrics: Optional[List[str]] = None) -> pd.DataFrame:
    """Difference (scenario − baseline) of each metric's run-level mean, per other scenario and
    group, with a ``level`` interval across replications (see module docstring).

    ``df_run_metrics`` is the output of ``tidy.run_metrics``. Returns one row per (scenario,
    group, metric) with columns ``COMPARE_COLUMNS``; method is "paired", "welch", "single run"
    (interval NaN) or "missing" (the group has no workers in one of the two scenarios)."""
    metrics = metrics or [m for m in METRICS if m in df_run_metrics.columns]
    scenarios = list(dict.fromkeys(df_run_metrics["scenario"]))
    if baseline not in scenarios:
        raise ValueError(f"baseline scenario {baseline!r} not among the runs "
                         f"(scenarios: {', '.join(scenarios)})")
    groups = list(dict.fromkeys(df_run_metrics["group"]))
    groups = ["all"] + [g for g in groups if g != "all"] if "all" in groups else groups
    base = df_run_metrics[df_run_metrics["scenario"] == baseline]
    rows = []
    for scen in scenarios:
        if scen == baseline:
            continue
        other = df_run_metrics[df_run_metrics["scenario"] == scen]
        for group in groups:
            b = base[base["group"] == group]
            s = other[other["group"] == group]
            if b.empty and s.empty:
                continue
            for metric in metrics:
                r = _compare_one(b, s, metric, level)
                if r["method"] == "missing":
                    missing = baseline if b.empty else scen
                    r["note"] = f"no {group} workers in {missing}"
                bm = r["baseline_mean"]
                rel = r["difference"] / bm if np.isfinite(bm) and bm != 0 else math.nan
                rows.append({"scenario": scen, "baseline": baseline, "group": group,
                             "metric": metric, "relative_difference": rel, **r})
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def mean_interval(values, level: float = 0.95):
    """(mean, low, high) t-interval of the mean of finite ``values``; NaN bounds if n < 2."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, math.nan, math.nan
    m = float(v.mean())
    if v.size < 2:
        return m, math.nan, math.nan
    lo, hi = _interval(m, float(v.std(ddof=1)) / math.sqrt(v.size), v.size - 1, level)
    return m, lo, hi
