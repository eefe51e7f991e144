"""One-page HTML report comparing scenarios ("with" vs. "without" a cooperative).

    from gigsim_analysis.report import build_report
    build_report(["base_runs/", "coop_runs/"], "out/report", baseline="baseline")

or ``gigsim report base_runs/ coop_runs/ -o out/report``. Runs are grouped into scenarios by their
scenario hash (identity.group_runs), so a ``--set`` that keeps the ``name:`` is still another
scenario. Writes, atomically (built in a temporary sibling folder, then renamed):

    OUTDIR/report.html        self-contained: CSS inline, PNGs as base64 data: URIs, no external
                              resources (rendered with a Jinja2 template, templates/report.html.j2)
    OUTDIR/*.png              the figures
    OUTDIR/headline.csv       the comparison table (compare.compare), with direction and verdict
    OUTDIR/costs.csv          who pays what, per run (costs.run_costs)
    OUTDIR/costs_comparison.csv  differences of the costs, with intervals
    OUTDIR/run_metrics.csv    per-run group means (tidy.run_metrics)
    OUTDIR/scenarios.csv      one row per scenario: name, hash, label, runs, seeds, differences
"""

from __future__ import annotations

import base64
import math
import os
from typing import Dict, List, Optional, Sequence

import jinja2
import matplotlib.lines as mlines
import numpy as np
import pandas as pd

from . import plotting
from .compare import compare, mean_interval, t_quantile
from .costs import (COST_ITEMS, PAYER_LABEL, PAYER_ORDER, TOTALS, WINDOW_WEEKS, active_items,
                    run_costs)
from .identity import Scenario, choose_baseline, differences, group_runs
from .io import RunFile
from .outdir import atomic_folder
from .plotting import Styles, group_label, ordered_groups, plt
from .tidy import METRIC_INFO, METRICS, load_runs, open_runs, panel_monthly, run_metrics

#: A group smaller than this (workers per run, on average) or than SMALL_SHARE of the population
#: is flagged: its mean rests on few workers and its interval is wide.
SMALL_GROUP = 50
SMALL_SHARE = 0.02
#: Panel bands need this many panel workers in a group and month.
MIN_PANEL_WORKERS = 20


# ----------------------------------------------------------------------------------------------
# Numbers as a reader sees them: shares in percent, differences of shares in percentage points


def is_percent(metric: str) -> bool:
    return bool(METRIC_INFO.get(metric, {}).get("percent"))


def fmt_value(x: float, metric: str, signed: bool = False) -> str:
    """A mean as the reader sees it (shares in %); with ``signed`` a difference (shares in
    percentage points)."""
    if x is None or not np.isfinite(x):
        return "\u2013"
    sign = "+" if signed else ""
    if is_percent(metric):
        return f"{100 * x:{sign}.1f}" + (" pp" if signed else "%")
    if metric == "mean_monthly_income":
        return f"{x:{sign},.0f}"
    return f"{x:{sign}.{3 if metric == 'income_cv' else 2}f}"


def fmt_diff(x: float, metric: str) -> str:
    return fmt_value(x, metric, signed=True)


def fmt_eur(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return f"{x:,.2f}"


def fmt_rel(x: float) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{100 * x:+.1f}%"


def verdict(row: pd.Series, better: str) -> str:
    """better / worse / no clear difference (95% interval includes 0) / no interval."""
    if row["method"] == "missing":
        return "not compared"
    lo, hi, d = row["ci_low"], row["ci_high"], row["difference"]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "no interval (one run)"
    if lo <= 0 <= hi:
        return "no clear difference"
    up = d > 0
    return "better" if up == (better == "higher") else "worse"


# ----------------------------------------------------------------------------------------------
# Figures


def _small_groups(per_run: pd.DataFrame) -> Dict[tuple, float]:
    """(scenario, group) -> mean workers per run, for the groups to flag."""
    out = {}
    totals = per_run[per_run["group"] == "all"].groupby("scenario")["workers"].mean()
    for (scen, group), d in per_run.groupby(["scenario", "group"]):
        n = float(d["workers"].mean())
        if group != "all" and (n < SMALL_GROUP or n < SMALL_SHARE * totals.get(scen, n)):
            out[(scen, group)] = n
    return out


def plot_differences(table: pd.DataFrame, styles: Styles, baseline: str, path: str,
                     small: Dict[tuple, float]) -> None:
    """One panel per metric: scenario − baseline per group, 95% intervals; the better side of 0
    shaded."""
    t = table[np.isfinite(table["difference"])]
    groups = ordered_groups(t["group"])
    scens = [s for s in styles.map if s in set(t["scenario"])]
    rows, cols = plotting.grid(len(METRICS), 3)
    height = max(1.6, 0.32 * len(groups) * max(1, len(scens)) ** 0.5 + 1.0)
    fig, axes = plt.subplots(rows, cols, figsize=(12.5, rows * height + 1.2), squeeze=False)
    step = 0.8 / max(len(scens), 1)
    for ax, metric in zip(axes.flat, METRICS):
        info = METRIC_INFO[metric]
        scale = 100.0 if is_percent(metric) else 1.0
        d = t[t["metric"] == metric]
        for j, scen in enumerate(scens):
            ds = d[d["scenario"] == scen]
            for i, g in enumerate(groups):
                r = ds[ds["group"] == g]
                if r.empty:
                    continue
                r = r.iloc[0]
                y = i - 0.4 + step * (j + 0.5)
                x = r["difference"] * scale
                lo, hi = r["ci_low"] * scale, r["ci_high"] * scale
                err = [[x - lo], [hi - x]] if np.isfinite(lo) else None
                faded = (scen, g) in small or (baseline, g) in small
                ax.errorbar(x, y, xerr=err, fmt=styles.marker(scen), color=styles.colour(scen),
                            ms=5, capsize=2.5, lw=1.2, alpha=0.45 if faded else 1.0,
                            mfc="white" if faded else styles.colour(scen))
        ax.axvline(0, color="#444", lw=0.8)
        lim = ax.get_xlim()
        span = max(abs(lim[0]), abs(lim[1])) or 1.0
        ax.set_xlim(-span * 1.05, span * 1.05)
        better_right = info["better"] == "higher"
        ax.axvspan(0 if better_right else -span * 1.05, span * 1.05 if better_right else 0,
                   color="#2ca02c", alpha=0.06, lw=0)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([group_label(g) for g in groups] if ax in axes[:, 0] else [])
        ax.set_ylim(len(groups) - 0.5, -0.5)
        unit = "pp" if is_percent(metric) else info["unit"]
        arrow = "\u2192 better" if better_right else "\u2190 better"
        ax.set_title(f"{info['label']} ({unit})\n{info['better']} is better  {arrow}", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(METRICS):]:
        ax.set_visible(False)
    handles = [mlines.Line2D([], [], color=styles.colour(s), marker=styles.marker(s), ls="none",
                             ms=6) for s in scens]
    top = plotting.legend_above(fig, handles, [plotting.short(f"{s} \u2212 {baseline}", 60)
                                               for s in scens], title="difference")
    fig.tight_layout(rect=(0, 0, 1, top))
    fig.savefig(path)
    plt.close(fig)


def plot_cv_distribution(workers: pd.DataFrame, scenarios: List[str], styles: Styles, path: str,
                         small: Dict[tuple, float]) -> None:
    """One panel per group: horizontal box plots of per-worker income CV, one per scenario."""
    groups = ordered_groups(["all"] + list(workers["group"].unique()))
    rows, cols = plotting.grid(len(groups), 3)
    height = 0.36 * len(scenarios) + 1.1
    fig, axes = plt.subplots(rows, cols, figsize=(12.5, rows * height + 1.0), squeeze=False,
                             sharex=True)
    for ax, g in zip(axes.flat, groups):
        data, pos, colours = [], [], []
        for j, scen in enumerate(scenarios):
            ws = workers[workers["scenario"] == scen]
            v = ws["income_cv"] if g == "all" else ws.loc[ws["group"] == g, "income_cv"]
            v = v.dropna().to_numpy()
            if v.size:
                data.append(v)
                pos.append(j)
                colours.append(styles.colour(scen))
        if data:
            bp = ax.boxplot(data, positions=pos, vert=False, widths=0.6, patch_artist=True,
                            showfliers=False, whis=(5, 95),
                            medianprops={"color": "white", "linewidth": 1.6})
            for box, c in zip(bp["boxes"], colours):
                box.set_facecolor(c)
                box.set_alpha(0.85)
        ax.set_yticks(range(len(scenarios)))
        ax.set_yticklabels([plotting.short(s, 30) for s in scenarios] if ax in axes[:, 0] else [])
        ax.set_ylim(len(scenarios) - 0.5, -0.5)
        flagged = [s for s in scenarios if (s, g) in small]
        title = group_label(g) + (" (small group)" if flagged else "")
        ax.set_title(title, fontsize=10, color="#a05a00" if flagged else "black")
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    fig.supxlabel("income CV over the last 12 months (sd / mean of monthly net income; lower is "
                  "steadier). Box: quartiles; whiskers: 5th\u201395th percentile; replications "
                  "pooled", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _band_table(monthly: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per (scenario, group, month): mean over runs and a band; across runs when >= 2 runs,
    across panel workers of the single run otherwise; no band where the group has fewer than
    MIN_PANEL_WORKERS panel workers."""
    rows = []
    for (scen, group, month), d in monthly.groupby(["scenario", "group", "month"], sort=True):
        n_workers = float(d["n"].mean())
        if len(d) >= 2:
            m, lo, hi = mean_interval(d["mean"], level)
            kind = "runs"
        else:
            r = d.iloc[0]
            m = r["mean"]
            if r["n"] >= 2 and np.isfinite(r["sd"]):
                half = t_quantile(0.5 + level / 2, r["n"] - 1) * r["sd"] / math.sqrt(r["n"])
                lo, hi = m - half, m + half
            else:
                lo = hi = math.nan
            kind = "workers"
        if n_workers < MIN_PANEL_WORKERS:
            lo = hi = math.nan
        rows.append({"scenario": scen, "group": group, "month": month, "mean": m, "lo": lo,
                     "hi": hi, "band": kind, "runs": len(d), "panel_workers": n_workers})
    return pd.DataFrame(rows)


def plot_income_trajectories(monthly: pd.DataFrame, scenarios: List[str], styles: Styles,
                             path: str) -> str:
    """One panel per group: monthly mean net income of the panel workers, a line per scenario.
    Returns a sentence on what the bands are."""
    bands = _band_table(monthly)
    groups = ordered_groups(bands["group"])
    rows, cols = plotting.grid(len(groups), 3)
    fig, axes = plt.subplots(rows, cols, figsize=(12.5, rows * 2.9 + 1.2), squeeze=False,
                             sharex=True)
    kinds = set()
    for ax, g in zip(axes.flat, groups):
        few = False
        for scen in scenarios:
            d = bands[(bands["scenario"] == scen) & (bands["group"] == g)]
            if d.empty:
                continue
            ax.plot(d["month"], d["mean"], color=styles.colour(scen), ls=styles.line(scen), lw=1.4)
            ok = np.isfinite(d["lo"])
            if ok.any():
                ax.fill_between(d["month"][ok], d["lo"][ok], d["hi"][ok],
                                color=styles.colour(scen), alpha=0.15 if len(scenarios) <= 3
                                else 0.07, lw=0)
                kinds |= set(d["band"])
            few = few or bool((d["panel_workers"] < MIN_PANEL_WORKERS).any())
        ax.set_title(group_label(g) + (f" (under {MIN_PANEL_WORKERS} panel workers: no band)"
                                       if few else ""), fontsize=10,
                     color="#a05a00" if few else "black")
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("EUR / month")
    for ax in axes[-1]:
        ax.set_xlabel("month (4 weeks)")
    handles = [mlines.Line2D([], [], color=styles.colour(s), ls=styles.line(s), lw=2)
               for s in scenarios]
    top = plotting.legend_above(fig, handles, [plotting.short(s, 60) for s in scenarios],
                                title="scenario")
    fig.tight_layout(rect=(0, 0, 1, top))
    fig.savefig(path)
    plt.close(fig)
    if kinds == {"runs"}:
        return "bands are 95% intervals across replications"
    if kinds == {"workers"}:
        return ("with a single run per scenario the bands are 95% intervals across panel "
                "workers, not across replications")
    return ("bands are 95% intervals across replications where a scenario has several runs, "
            "else across panel workers")


def training_share_table(runs: Sequence[RunFile], names: Dict[str, str]) -> pd.DataFrame:
    rows = []
    for r in runs:
        s = r.series
        if "workers_in_training" not in s:
            continue
        n = float(r.attrs.get("workers") or 0)
        if n <= 0:
            continue
        share = s["workers_in_training"].astype(np.float64) / n
        rows.append(pd.DataFrame({"scenario": names[r.path], "file": r.path,
                                  "step": s["step"].astype(np.int64), "share": share}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def plot_training_share(train: pd.DataFrame, scenarios: List[str], styles: Styles,
                        path: str) -> None:
    fig, ax = plt.subplots(figsize=(12.5, 4.2))
    last = int(train["step"].max())
    ax.axvspan(max(0, last - WINDOW_WEEKS + 1), last, color="#999", alpha=0.15, lw=0)
    for scen in scenarios:
        d = train[train["scenario"] == scen].groupby("step")["share"].mean()
        if d.empty:
            continue
        ax.plot(d.index, 100 * d.to_numpy(), color=styles.colour(scen), ls=styles.line(scen),
                lw=1.3)
    ax.set_xlabel("week")
    ax.set_ylabel("% of workers in training")
    ax.grid(alpha=0.3)
    ax.text(last - WINDOW_WEEKS / 2, 1.0, "metrics window\n(last 12 months)", ha="center",
            va="bottom", transform=ax.get_xaxis_transform(), fontsize=9, color="#555")
    handles = [mlines.Line2D([], [], color=styles.colour(s), ls=styles.line(s), lw=2)
               for s in scenarios]
    top = plotting.legend_above(fig, handles, [plotting.short(s, 60) for s in scenarios],
                                title="scenario")
    fig.tight_layout(rect=(0, 0, 1, top - 0.04))
    fig.savefig(path)
    plt.close(fig)


def plot_costs(costs: pd.DataFrame, cost_cmp: pd.DataFrame, scenarios: List[str],
               styles: Styles, path: str) -> None:
    """Per payer, EUR per worker and month: the level in each scenario (left; mean over runs,
    95% interval) and the difference from the baseline (right; 95% interval)."""
    def key(p: str) -> str:
        return f"total_{p.replace(' ', '_')}"

    payers = [p for p in PAYER_ORDER if (costs[key(p)].abs() > 1e-9).any()] or ["workers"]
    others = scenarios[1:]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(12.5, 0.3 * len(payers) * max(2, len(scenarios)) ** 0.7 + 2.2),
        sharey=True, gridspec_kw={"width_ratios": [1, 1] if others else [1, 0.01]})
    step = 0.8 / max(len(scenarios), 1)
    for j, scen in enumerate(scenarios):
        d = costs[costs["scenario"] == scen]
        for i, p in enumerate(payers):
            m, lo, hi = mean_interval(d[key(p)])
            y = i - 0.4 + step * (j + 0.5)
            left.barh(y, m, height=step * 0.9, color=styles.colour(scen), alpha=0.85)
            if np.isfinite(lo):
                left.errorbar(m, y, xerr=[[m - lo], [hi - m]], color="#333", lw=1, capsize=2)
            if scen == scenarios[0] or cost_cmp.empty:
                continue
            c = cost_cmp[(cost_cmp["scenario"] == scen) & (cost_cmp["metric"] == key(p))]
            if c.empty or not np.isfinite(c.iloc[0]["difference"]):
                continue
            c = c.iloc[0]
            err = ([[c["difference"] - c["ci_low"]], [c["ci_high"] - c["difference"]]]
                   if np.isfinite(c["ci_low"]) else None)
            right.errorbar(c["difference"], y, xerr=err, fmt=styles.marker(scen),
                           color=styles.colour(scen), capsize=2.5, ms=5)
    left.set_yticks(range(len(payers)))
    left.set_yticklabels([PAYER_LABEL[p] for p in payers])
    left.set_ylim(len(payers) - 0.5, -0.5)
    left.set_xlabel("EUR per worker and month (last 12 months)")
    left.grid(axis="x", alpha=0.3)
    if others:
        right.axvline(0, color="#444", lw=0.8)
        right.set_xlabel(f"difference from {plotting.short(scenarios[0], 30)} (EUR per worker "
                         "and month)")
        right.grid(axis="x", alpha=0.3)
    else:
        right.set_visible(False)
    handles = [mlines.Line2D([], [], color=styles.colour(s), lw=8) for s in scenarios]
    top = plotting.legend_above(fig, handles, [plotting.short(s, 60) for s in scenarios],
                                title="scenario")
    fig.tight_layout(rect=(0, 0, 1, top))
    fig.savefig(path)
    plt.close(fig)


# ----------------------------------------------------------------------------------------------
# Tables for the page


def _headline_rows(table: pd.DataFrame, small: Dict[tuple, float],
                   partial: Sequence[str]) -> List[Dict[str, object]]:
    rows = []
    for _, r in table.iterrows():
        m = r["metric"]
        info = METRIC_INFO[m]
        v = verdict(r, str(info["better"]))
        n_small = small.get((r["scenario"], r["group"])) or small.get((r["baseline"], r["group"]))
        rows.append({
            "scenario": r["scenario"], "baseline": r["baseline"], "group": group_label(r["group"]),
            "group_key": r["group"], "metric": info["label"],
            "unit": "%" if is_percent(m) else info["unit"], "better": info["better"],
            "baseline_mean": fmt_value(r["baseline_mean"], m),
            "scenario_mean": fmt_value(r["scenario_mean"], m),
            "difference": fmt_diff(r["difference"], m),
            "ci": (f"{fmt_diff(r['ci_low'], m)} to {fmt_diff(r['ci_high'], m)}"
                   if np.isfinite(r["ci_low"]) else "–"),
            "relative": fmt_rel(r["relative_difference"]), "verdict": v,
            "runs": f"{int(r['n_baseline'])} / {int(r['n_scenario'])}", "method": r["method"],
            "note": r["note"], "missing": r["method"] == "missing",
            "small": f"small group: about {n_small:.0f} workers a run" if n_small else "",
            "partial": r["scenario"] in partial or r["baseline"] in partial,
        })
    return rows


def _findings_matrix(table: pd.DataFrame, scenarios: List[str], baseline: str,
                     partial: Sequence[str]) -> Dict[str, object]:
    """All workers, one row per scenario and one column per metric: the baseline's means first,
    then each scenario's difference, interval, relative difference and verdict."""
    t = table[table["group"] == "all"]
    header = [{"label": METRIC_INFO[m]["label"],
               "unit": "%" if is_percent(m) else METRIC_INFO[m]["unit"],
               "better": METRIC_INFO[m]["better"]} for m in METRICS]
    base_cells = []
    for m in METRICS:
        r = t[t["metric"] == m]
        base_cells.append(fmt_value(r.iloc[0]["baseline_mean"], m) if not r.empty else "–")
    rows = []
    for scen in scenarios[1:]:
        cells = []
        for m in METRICS:
            r = t[(t["scenario"] == scen) & (t["metric"] == m)]
            if r.empty:
                cells.append({"value": "–", "difference": "–", "ci": "", "relative": "",
                              "verdict": "not compared"})
                continue
            r = r.iloc[0]
            cells.append({
                "value": fmt_value(r["scenario_mean"], m),
                "difference": fmt_diff(r["difference"], m),
                "ci": (f"[{fmt_diff(r['ci_low'], m)}, {fmt_diff(r['ci_high'], m)}]"
                       if np.isfinite(r["ci_low"]) else "no interval"),
                "relative": fmt_rel(r["relative_difference"]),
                "verdict": verdict(r, str(METRIC_INFO[m]["better"]))})
        n = t[t["scenario"] == scen]
        runs = f"{int(n.iloc[0]['n_baseline'])} / {int(n.iloc[0]['n_scenario'])}" if len(n) else ""
        rows.append({"scenario": scen, "cells": cells, "runs": runs,
                     "partial": scen in partial})
    return {"header": header, "baseline": base_cells, "rows": rows,
            "baseline_partial": baseline in partial}


def _cost_totals(costs: pd.DataFrame, cost_cmp: pd.DataFrame,
                 scenarios: List[str]) -> Dict[str, object]:
    """One row per scenario, one column per payer total: level, and difference from the
    baseline with its interval."""
    payers = [p for p in PAYER_ORDER
              if (costs[next(k for k, q in TOTALS.items() if q == p)].abs() > 1e-9).any()]
    keys = [next(k for k, q in TOTALS.items() if q == p) for p in payers]
    rows = []
    for i, scen in enumerate(scenarios):
        cells = []
        for key in keys:
            m, _, _ = mean_interval(costs.loc[costs["scenario"] == scen, key])
            diff = ""
            if i > 0 and not cost_cmp.empty:
                c = cost_cmp[(cost_cmp["scenario"] == scen) & (cost_cmp["metric"] == key)]
                if not c.empty and np.isfinite(c.iloc[0]["difference"]):
                    c = c.iloc[0]
                    diff = f"{c['difference']:+,.2f}" + (
                        f" [{c['ci_low']:+,.2f}, {c['ci_high']:+,.2f}]"
                        if np.isfinite(c["ci_low"]) else "")
            cells.append({"level": fmt_eur(m), "difference": diff})
        rows.append({"scenario": scen, "cells": cells})
    return {"payers": [PAYER_LABEL[p] for p in payers], "rows": rows}


def _cost_rows(costs: pd.DataFrame, cost_cmp: pd.DataFrame, scenarios: List[str],
               baseline: str) -> List[Dict[str, object]]:
    rows = []
    items = active_items(costs)
    for payer in PAYER_ORDER:
        mine = [i for i in items if i.payer == payer]
        if not mine:
            continue
        total_key = next(k for k, p in TOTALS.items() if p == payer)
        for item in mine + [None]:
            key = item.key if item else total_key
            label = item.label if item else f"total {PAYER_LABEL[payer]}"
            cells = []
            for scen in scenarios:
                m, lo, hi = mean_interval(costs.loc[costs["scenario"] == scen, key])
                cells.append(fmt_eur(m))
            diffs = []
            for scen in scenarios[1:]:
                c = cost_cmp[(cost_cmp["scenario"] == scen) & (cost_cmp["metric"] == key)]
                if c.empty or not np.isfinite(c.iloc[0]["difference"]):
                    diffs.append("–")
                    continue
                c = c.iloc[0]
                ci = (f" [{c['ci_low']:+,.2f}, {c['ci_high']:+,.2f}]"
                      if np.isfinite(c["ci_low"]) else "")
                diffs.append(f"{c['difference']:+,.2f}{ci}")
            rows.append({"payer": PAYER_LABEL[payer], "label": label, "cells": cells,
                         "diffs": diffs, "total": item is None})
    return rows


def _per_outcome(costs: pd.DataFrame, table: pd.DataFrame, runs_by: Dict[str, Scenario],
                 scenarios: List[str], baseline: str) -> List[Dict[str, str]]:
    """What one unit of outcome costs the public (and the workers) where the outcome improved
    clearly: per additional worker trained, per month below the poverty line avoided."""
    out = []
    workers = {s: float(np.mean([int(r.attrs.get("workers", 0)) for r in runs_by[s].runs]))
               for s in scenarios}
    means = {s: {k: float(costs.loc[costs["scenario"] == s, k].mean())
                 for k in ("total_public", "total_workers", "total_workers_receive")}
             for s in scenarios}
    for scen in scenarios[1:]:
        for metric, unit, per in [("trained_last_12m", "additional worker trained a year",
                                   lambda d, n: d * n),
                                  ("months_below_poverty", "month below the poverty line "
                                   "avoided", lambda d, n: -d * n)]:
            r = table[(table["scenario"] == scen) & (table["group"] == "all") &
                      (table["metric"] == metric)]
            if r.empty:
                continue
            r = r.iloc[0]
            v = verdict(r, str(METRIC_INFO[metric]["better"]))
            n = workers[scen]
            gain = per(r["difference"], n)  # outcomes a year, whole population
            public = 12 * n * (means[scen]["total_public"] - means[baseline]["total_public"])
            net_workers = 12 * n * ((means[scen]["total_workers"] -
                                     means[scen]["total_workers_receive"]) -
                                    (means[baseline]["total_workers"] -
                                     means[baseline]["total_workers_receive"]))
            if v != "better" or not gain > 0:
                text = f"no clear gain ({v}): not computed"
                pub = net = "–"
            else:
                text = f"{gain:,.0f} a year"
                pub = f"{public / gain:,.0f}"
                net = f"{net_workers / gain:,.0f}"
            out.append({"scenario": scen, "outcome": unit, "gain": text, "public": pub,
                        "workers": net})
    return out


def _img(path: str) -> str:
    with open(path, "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode("ascii")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("gigsim_analysis", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


# ----------------------------------------------------------------------------------------------
# Entry point


def build_report(paths: Sequence[str], outdir: str, baseline: Optional[str] = None,
                 allow_partial: bool = False) -> str:
    """Builds OUTDIR (see module docstring); returns the path of report.html. Raises ValueError
    (naming the files) for a file that is not a supported gigsim run, for runs that cannot be
    told apart or pooled (identity.group_runs) and for partial runs without ``allow_partial``;
    OUTDIR is then untouched."""
    if not paths:
        raise ValueError("no run files given")
    # OUTDIR is replaced as a whole: no input may live inside it (links resolved).
    out_real = os.path.realpath(outdir)
    for p in paths:
        if os.path.commonpath([out_real, os.path.realpath(p)]) == out_real:
            raise ValueError(f"{p}: is inside {outdir}, which the report replaces; write the "
                             "report to another folder")
    runs = open_runs(paths)  # every file checked before anything is written
    scen_list = group_runs(runs, allow_partial=allow_partial)
    base = choose_baseline(scen_list, baseline)
    ordered = [base] + [s for s in scen_list if s is not base]
    scenarios = [s.name for s in ordered]
    runs_by = {s.name: s for s in ordered}
    names = {r.path: s.name for s in ordered for r in s.runs}
    partial = [s.name for s in ordered if s.partial]

    workers = load_runs(runs)
    per_run = run_metrics(workers)
    table = compare(per_run, baseline=base.name)
    costs = run_costs(runs, names)
    cost_keys = [i.key for i in COST_ITEMS] + list(TOTALS)
    cost_cmp = compare(costs, baseline=base.name, metrics=cost_keys) if len(ordered) > 1 else \
        pd.DataFrame(columns=["scenario", "metric", "difference", "ci_low", "ci_high"])
    small = _small_groups(per_run)
    styles = Styles(scenarios)

    with atomic_folder(outdir, "report.html") as tmp:
        figs: Dict[str, str] = {}
        captions: Dict[str, str] = {}

        def fig(key: str) -> str:
            figs[key] = os.path.join(tmp, f"{key}.png")
            return figs[key]

        if len(ordered) > 1 and np.isfinite(table["difference"]).any():
            plot_differences(table, styles, base.name, fig("differences"), small)
            captions["differences"] = (
                f"Each scenario minus {base.name}, per metric and worker group, with 95% "
                "intervals across replications (no bar: a single replication). The shaded side "
                "of 0 is better. Hollow, faint markers: small groups. Groups absent from the "
                "baseline are not shown: compare them across the other scenarios.")
        plot_costs(costs, cost_cmp, scenarios, styles, fig("costs"))
        captions["costs"] = ("Who pays what, in EUR per worker and month over the last 12 months: "
                             "the level in each scenario (left) and the difference from the "
                             f"baseline (right), 95% intervals across replications. The items "
                             "are in the costs table.")
        plot_cv_distribution(workers, scenarios, styles, fig("income_cv"), small)
        captions["income_cv"] = ("Per-worker income CV over the last 12 months, one panel per "
                                 "group, all replications pooled; lower means steadier income.")
        monthly = panel_monthly(runs)
        if not monthly.empty:
            band = plot_income_trajectories(monthly, scenarios, styles, fig("income"))
            captions["income"] = ("Mean monthly net income of the sampled panel workers, one "
                                  f"panel per group (a worker's group in that month); {band}.")
        train = training_share_table(runs, names)
        if not train.empty:
            plot_training_share(train, scenarios, styles, fig("training"))
            captions["training"] = ("Share of all workers in training each week (from "
                                    "/series/workers_in_training), mean over replications; the "
                                    "shaded weeks are the window the metrics are computed on.")

        headline = table.copy()
        headline["better"] = [METRIC_INFO[m]["better"] for m in headline["metric"]]
        headline["verdict"] = [verdict(r, str(METRIC_INFO[r["metric"]]["better"]))
                               for _, r in headline.iterrows()]
        headline["small_group"] = [bool(small.get((r["scenario"], r["group"])) or
                                        small.get((r["baseline"], r["group"])))
                                   for _, r in headline.iterrows()]
        headline["partial_runs"] = [r["scenario"] in partial or r["baseline"] in partial
                                    for _, r in headline.iterrows()]
        headline.to_csv(os.path.join(tmp, "headline.csv"), index=False)
        per_run.to_csv(os.path.join(tmp, "run_metrics.csv"), index=False)
        costs.to_csv(os.path.join(tmp, "costs.csv"), index=False)
        cost_cmp.to_csv(os.path.join(tmp, "costs_comparison.csv"), index=False)
        scenario_rows = []
        for s in ordered:
            scenario_rows.append({
                "name": s.name, "scenario_hash": s.key, "label": s.label,
                "scenario_name": s.scenario_name, "runs": len(s.runs),
                "seeds": " ".join(str(x) for x in s.seeds),
                "partial_runs": len(s.partial),
                "differences_from_baseline": "; ".join(
                    f"{k}: {a} -> {b}" for k, a, b in differences(base.runs[0], s.runs[0]))})
        pd.DataFrame(scenario_rows).to_csv(os.path.join(tmp, "scenarios.csv"), index=False)

        page = _environment().get_template("report.html.j2").render(
            baseline=base.name, others=scenarios[1:], runs_total=len(runs),
            scenarios=[{
                "name": s.name, "label": s.label, "hash": s.key[:12], "n": len(s.runs),
                "seeds": ", ".join(str(x) for x in s.seeds),
                "workers": ", ".join(sorted({str(r.attrs.get("workers")) for r in s.runs})),
                "weeks": ", ".join(sorted({str(r.attrs.get("weeks")) for r in s.runs})),
                "differences": [f"{k}: {a} \u2192 {b}"
                                for k, a, b in differences(base.runs[0], s.runs[0])][:12],
                "more": max(0, len(differences(base.runs[0], s.runs[0])) - 12),
                "partial": [f"{os.path.basename(r.path)}: {r.attrs.get('incomplete_reason', '')}"
                            for r in s.partial],
                "branched": sorted({str(r.attrs.get("branched_from", "")) for r in s.runs} - {""}),
                "files": ", ".join(sorted({str(r.attrs.get("scenario_file", ""))
                                           for r in s.runs})),
                "commit": ", ".join(sorted({str(r.attrs.get("git_commit", ""))[:12]
                                            for r in s.runs})),
                "poverty": float(np.nanmean([float(r.workers_attrs.get("poverty_line", np.nan))
                                             for r in s.runs])),
            } for s in ordered],
            single=[s.name for s in ordered if len(s.runs) < 2],
            partial=partial,
            small=sorted({f"{group_label(g)} in {sc} (about {n:.0f} workers a run)"
                          for (sc, g), n in small.items()}),
            findings=_findings_matrix(table, scenarios, base.name, partial),
            cost_totals=_cost_totals(costs, cost_cmp, scenarios),
            headline=_headline_rows(table[(table["group"] != "all") &
                                          (table["method"] != "missing")], small, partial),
            not_compared=sorted({f"{group_label(r['group'])} in {r['scenario']} ({r['note']})"
                                 for _, r in table[table["method"] == "missing"].iterrows()}),
            cost_rows=_cost_rows(costs, cost_cmp, scenarios, base.name),
            per_outcome=_per_outcome(costs, table, runs_by, scenarios, base.name),
            metrics=[{"label": METRIC_INFO[m]["label"], "unit": METRIC_INFO[m]["unit"],
                      "better": METRIC_INFO[m]["better"],
                      "definition": METRIC_INFO[m]["definition"],
                      "source": METRIC_INFO[m]["source"]} for m in METRICS],
            methods=sorted(set(table["method"]) - {"missing"}),
            figures=[{"src": _img(figs[k]), "alt": captions[k], "caption": captions[k]}
                     for k in ["differences", "costs", "income_cv", "income", "training"]
                     if k in figs],
            window_weeks=WINDOW_WEEKS)
        with open(os.path.join(tmp, "report.html"), "w", encoding="utf-8") as f:
            f.write(page)
    return os.path.join(os.path.abspath(outdir), "report.html")
