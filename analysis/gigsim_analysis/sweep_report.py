"""The HTML report of a sweep result file (``gigsim report SWEEP.h5 -o OUTDIR``).

    from gigsim_analysis.sweep_report import build_sweep_report
    build_sweep_report("fee.h5", "out/fee_report")

Writes, atomically (a temporary sibling folder renamed into place):

    OUTDIR/report.html      self-contained (templates/sweep_report.html.j2)
    OUTDIR/response.png     each outcome against each swept parameter, a line per variant (and
                            the paired difference of two variants), 95% intervals across runs
    OUTDIR/sensitivity.png  Morris mu*-sigma (morris), Sobol S1 and ST bars (saltelli) or main
                            effects (grid), parameters sorted by importance
    OUTDIR/sensitivity.csv  the sensitivity table of every outcome shown
    OUTDIR/runs.csv         one row per run (Sweep.runs)
"""

from __future__ import annotations

import base64
import math
import os
from typing import Dict, List, Optional, Tuple

import jinja2
import matplotlib.lines as mlines
import numpy as np
import pandas as pd

from . import plotting
from .outdir import atomic_folder
from .plotting import Styles, group_label, plt
from .sweep import IMPORTANCE, Sweep, by_importance, load_sweep, response_curve, sensitivity
from .tidy import METRIC_INFO

#: Outcomes the report shows, each for all workers.
OUTCOMES = ["income_cv", "months_below_poverty", "trained_last_12m", "mean_monthly_income"]


def _scale(metric: str) -> float:
    return 100.0 if METRIC_INFO.get(metric, {}).get("percent") else 1.0


def _unit(metric: str) -> str:
    info = METRIC_INFO.get(metric, {})
    return "%" if info.get("percent") else str(info.get("unit", ""))


def _series_names(sweep: Sweep) -> List[Tuple[str, str]]:
    """(label, variant argument): every variant, then the paired difference of the last two
    when there are two or more (typically "with - without")."""
    out = [(v, v) for v in sweep.variants]
    if len(sweep.variants) >= 2:
        a, b = sweep.variants[-1], sweep.variants[-2]
        out.append((f"{a} \u2212 {b} (paired)", f"{a}-{b}"))
    return out


def plot_responses(sweep: Sweep, outcomes: List[str], group: str, path: str) -> int:
    """A panel per (outcome, parameter); returns the number of panels."""
    params = sweep.parameters
    series = _series_names(sweep)
    styles = Styles([label for label, _ in series])
    rows, cols = len(outcomes), max(1, len(params))
    fig, axes = plt.subplots(rows, cols, figsize=(min(16, 3.6 * cols + 1.5), 2.7 * rows + 1.2),
                             squeeze=False)
    for i, metric in enumerate(outcomes):
        scale = _scale(metric)
        for j, p in enumerate(params):
            ax = axes[i, j]
            twin = None
            for label, variant in series:
                diff = "-" in variant and variant not in sweep.variants
                c = response_curve(sweep, metric, group, p, variant)
                if c.empty:
                    continue
                # The paired difference has its own scale, on the right.
                target = ax
                if diff:
                    twin = twin or ax.twinx()
                    target = twin
                    twin.axhline(0, color=styles.colour(label), lw=0.6, alpha=0.5)
                    twin.tick_params(axis="y", colors=styles.colour(label), labelsize=8)
                    twin.spines["right"].set_visible(True)
                    twin.spines["right"].set_color(styles.colour(label))
                target.plot(c["x"], scale * c["mean"], color=styles.colour(label),
                            ls=styles.line(label), marker=styles.marker(label), ms=4, lw=1.3)
                ok = np.isfinite(c["ci_low"])
                if ok.any():
                    target.fill_between(c["x"][ok], scale * c["ci_low"][ok],
                                        scale * c["ci_high"][ok], color=styles.colour(label),
                                        alpha=0.15, lw=0)
            info = METRIC_INFO.get(metric, {"label": metric, "better": ""})
            if j == 0:
                ax.set_ylabel(f"{info['label']}\n({_unit(metric)}; {info['better']} is better)",
                              fontsize=9)
            if i == rows - 1:
                unit = sweep.parameter_units.get(p, "")
                ax.set_xlabel(f"{p}" + (f" ({unit})" if unit and unit != "1" else ""),
                              fontsize=9)
            ax.grid(alpha=0.3)
    handles = [mlines.Line2D([], [], color=styles.colour(lab), ls=styles.line(lab),
                             marker=styles.marker(lab), lw=2) for lab, _ in series]
    labels = [plotting.short(lab, 60) + (" (right axis)" if "paired" in lab else "")
              for lab, _ in series]
    top = plotting.legend_above(fig, handles, labels, title=f"variant ({group_label(group)})")
    fig.tight_layout(rect=(0, 0, 1, top))
    fig.savefig(path)
    plt.close(fig)
    return rows * cols


def plot_sensitivity(sweep: Sweep, tables: Dict[str, pd.DataFrame], path: str) -> None:
    """One panel per outcome, parameters sorted by importance (most influential on top)."""
    outcomes = list(tables)
    k = len(sweep.parameters)
    rows, cols = plotting.grid(len(outcomes), 2)
    height = max(3.2, 0.34 * k + 1.6)
    fig, axes = plt.subplots(rows, cols, figsize=(13.5, rows * height + 0.6), squeeze=False)
    if sweep.method == "morris":
        fig.subplots_adjust(wspace=0.9)
    for ax, metric in zip(axes.flat, outcomes):
        t = by_importance(sweep, tables[metric])
        info = METRIC_INFO.get(metric, {"label": metric})
        names = [plotting.short(p, 34) for p in t.index]
        if sweep.method == "morris":
            # Points numbered by rank; the ranked names beside the axes (labels on the points
            # would overlap where unimportant parameters crowd the origin).
            scale = _scale(metric)
            x, y = scale * t["mu_star"].to_numpy(), scale * t["sigma"].to_numpy()
            ax.scatter(x, y, color="#0072B2", zorder=3, s=22)
            for rank, (xi, yi) in enumerate(zip(x, y), start=1):
                if np.isfinite(xi) and np.isfinite(yi):
                    ax.annotate(str(rank), (xi, yi), textcoords="offset points", xytext=(4, 3),
                                fontsize=8.5, color="#0072B2")
            lim = np.nanmax(np.concatenate([x, y, [1e-12]]))
            ax.plot([0, lim], [0, lim], color="#bbb", lw=0.8, ls="--")
            unit = "pp" if _unit(metric) == "%" else _unit(metric)
            ax.set_xlabel(f"\u03bc* ({unit} per whole range)")
            ax.set_ylabel("\u03c3 (interactions, non-linearity)")
            ax.set_xlim(left=0)
            ax.set_ylim(bottom=0)
            ax.text(1.03, 1.0, "\n".join(f"{i}  {n}" for i, n in enumerate(names, start=1)),
                    transform=ax.transAxes, va="top", ha="left", fontsize=8.5)
            ax.set_title(info["label"], fontsize=10)
        else:
            ypos = np.arange(len(t))
            if sweep.method == "saltelli":
                ax.barh(ypos - 0.2, t["ST"], height=0.4, xerr=t["ST_ci95"], color="#D55E00",
                        label="total ST", capsize=2)
                ax.barh(ypos + 0.2, t["S1"], height=0.4, xerr=t["S1_ci95"], color="#0072B2",
                        label="first order S1", capsize=2)
                ax.set_xlabel("Sobol index (share of variance)")
                ax.legend(loc="lower right", fontsize=8, frameon=False)
            else:
                ax.barh(ypos, t["eta2"], height=0.6, color="#0072B2")
                ax.set_xlabel("share of variance explained alone (\u03b7\u00b2)")
            ax.set_yticks(ypos)
            ax.set_yticklabels(names)
            ax.set_ylim(len(t) - 0.5, -0.5)
            ax.set_title(info["label"], fontsize=10)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    if sweep.method == "morris":
        fig.subplots_adjust(left=0.07, right=0.8, top=0.95, bottom=0.08, wspace=0.95, hspace=0.4)
    else:
        fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _img(path: str) -> str:
    with open(path, "rb") as f:
        return "data:image/png;base64," + base64.b64encode(f.read()).decode("ascii")


def build_sweep_report(path: str, outdir: str, group: str = "all",
                       variant: Optional[str] = None) -> str:
    """Builds OUTDIR (see module docstring); returns the path of report.html. ValueError naming
    the file for anything that is not a gigsim sweep file of a supported version."""
    sweep = load_sweep(path)
    if group not in sweep.groups:
        raise ValueError(f"{path}: no group {group!r} (groups: {', '.join(sweep.groups)})")
    outcomes = [m for m in OUTCOMES if m in sweep.metrics]
    series = _series_names(sweep)
    sens_variant = variant or series[-1][1]
    tables: Dict[str, pd.DataFrame] = {}
    citation = ""
    sens_note = ""
    if sweep.method in IMPORTANCE:
        for m in outcomes:
            citation, tables[m] = sensitivity(sweep, m, group, sens_variant)
    else:
        sens_note = (f"The {sweep.method} design varies the parameters together (no one-at-a-"
                     "time steps, no Saltelli blocks, not a full factorial), so it gives no "
                     "sensitivity indices; the response curves show each outcome against each "
                     "parameter, the other parameters varying too.")
    failed = int((sweep.runs["status"] != 0).sum())
    with atomic_folder(outdir, "report.html") as tmp:
        figs = []
        resp = os.path.join(tmp, "response.png")
        plot_responses(sweep, outcomes, group, resp)
        figs.append({"src": _img(resp), "caption":
                     f"Each outcome ({group_label(group)}) against each swept parameter: mean "
                     "over the runs at that value with a 95% interval across them (replications "
                     "and, with several parameters, the other parameters' values). "
                     + ("The last line is the paired difference of the last two variants (same "
                        "seeds). " if len(sweep.variants) >= 2 else "")
                     + ("Sampled designs are binned into equal-count bins of the parameter."
                        if sweep.method not in ("grid", "zip", "table") else "")})
        rows = []
        if tables:
            sens = os.path.join(tmp, "sensitivity.png")
            plot_sensitivity(sweep, tables, sens)
            figs.append({"src": _img(sens), "caption": {
                "morris": "Morris screening: \u03bc* against \u03c3 per parameter (above the "
                          "dashed line: interactions or non-linearity dominate); titles name the "
                          "most influential.",
                "saltelli": "Sobol indices with 95% bootstrap intervals, parameters sorted by "
                            "total index: ST \u2212 S1 is the part through interactions.",
                "grid": "Main effects: the share of the variance of the point means each "
                        "parameter explains alone, sorted."}[sweep.method]
                + f" Variant: {sens_variant}."})
            frames = []
            for m, t in tables.items():
                t = by_importance(sweep, t)
                frames.append(t.assign(metric=m).reset_index())
                key = IMPORTANCE[sweep.method]
                for name, r in t.iterrows():
                    rows.append({"metric": METRIC_INFO.get(m, {}).get("label", m),
                                 "parameter": name,
                                 "cells": [f"{r[c]:.4g}" if isinstance(r[c], float) else str(r[c])
                                           for c in t.columns if c != "levels"],
                                 "main": key})
            pd.concat(frames).to_csv(os.path.join(tmp, "sensitivity.csv"), index=False)
            columns = [c for c in next(iter(tables.values())).columns if c != "levels"]
        else:
            columns = []
        sweep.runs.to_csv(os.path.join(tmp, "runs.csv"), index=False)
        env = jinja2.Environment(loader=jinja2.PackageLoader("gigsim_analysis", "templates"),
                                 autoescape=jinja2.select_autoescape(["html", "j2"]),
                                 undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True)
        page = env.get_template("sweep_report.html.j2").render(
            name=os.path.basename(path), method=sweep.method, points=sweep.points,
            replications=sweep.replications, variants=sweep.variants, runs=len(sweep.runs),
            failed=failed, group=group_label(group),
            parameters=[{"name": p, "unit": sweep.parameter_units.get(p, ""),
                         "low": f"{sweep.design[p].min():.6g}",
                         "high": f"{sweep.design[p].max():.6g}",
                         "distinct": int(sweep.design[p].nunique())} for p in sweep.parameters],
            citation=citation, sens_note=sens_note, columns=columns, rows=rows,
            figures=figs, sens_variant=sens_variant,
            commit=str(sweep.attrs.get("git_commit", ""))[:12])
        with open(os.path.join(tmp, "report.html"), "w", encoding="utf-8") as f:
            f.write(page)
    return os.path.join(os.path.abspath(outdir), "report.html")
