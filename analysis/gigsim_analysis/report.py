"""One-page HTML report comparing scenarios ("with" vs. "without" a cooperative).

    from gigsim_analysis.report import build_report
    build_report(["b1.h5", "b2.h5", "c1.h5", "c2.h5"], "out/report", baseline="baseline")

or ``python3 -m gigsim_analysis report *.h5 -o out/report``. Writes, atomically (built in a
temporary sibling directory, then renamed):

    OUTDIR/report.html   self-contained: CSS inline, PNGs as base64 data: URIs, no external resources
    OUTDIR/*.png         the figures
    OUTDIR/headline.csv  the comparison table (compare.compare)
    OUTDIR/run_metrics.csv  per-run group means (tidy.run_metrics)
"""

from __future__ import annotations

import base64
import html
import math
import os
import shutil
import tempfile
from typing import Dict, List, Optional, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .compare import compare, mean_interval, t_quantile  # noqa: E402
from .io import RunFile, open_run  # noqa: E402
from .tidy import METRIC_INFO, METRICS, load_runs, panel_monthly, run_metrics  # noqa: E402

GROUP_ORDER = ["all", "platform_only", "coop_member", "platform_coop_member", "pooled_worker",
               "wise_employee"]
GROUP_LABEL = {"all": "all workers", "platform_only": "platform-only",
               "coop_member": "umbrella coop members", "platform_coop_member": "platform coop members",
               "pooled_worker": "pooled workers", "wise_employee": "WISE employees"}
COLORS = ["#1f77b4", "#d95f02", "#2ca02c", "#7570b3", "#e7298a", "#66a61e", "#a6761d"]
LINESTYLES = {"all": "-", "platform_only": "--", "coop_member": ":", "platform_coop_member": "-.",
              "pooled_worker": (0, (5, 1, 1, 1, 1, 1)), "wise_employee": (0, (1, 1))}

plt.rcParams.update({"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11,
                     "legend.fontsize": 9.5, "figure.dpi": 100})


def _ordered_groups(groups) -> List[str]:
    present = list(dict.fromkeys(groups))
    return [g for g in GROUP_ORDER if g in present] + [g for g in present if g not in GROUP_ORDER]


def _glabel(g: str) -> str:
    return GROUP_LABEL.get(g, g.replace("_", " "))


class Colors:
    def __init__(self, scenarios: Sequence[str]):
        self.map = {s: COLORS[i % len(COLORS)] for i, s in enumerate(scenarios)}

    def __call__(self, scenario: str) -> str:
        return self.map[scenario]


# ----------------------------------------------------------------------------------------------
# Figures


def plot_cv_distribution(workers: pd.DataFrame, scenarios: List[str], colors: Colors, path: str):
    """Box plots of per-worker income CV by group (x) and scenario (colour), runs pooled."""
    groups = _ordered_groups(["all"] + list(workers["group"].unique()))
    fig, ax = plt.subplots(figsize=(10, 5.2))
    width = 0.8 / max(len(scenarios), 1)
    handles = []
    for j, scen in enumerate(scenarios):
        ws = workers[workers["scenario"] == scen]
        data, pos = [], []
        for i, g in enumerate(groups):
            v = ws["income_cv"] if g == "all" else ws.loc[ws["group"] == g, "income_cv"]
            v = v.dropna().to_numpy()
            if v.size == 0:
                continue
            data.append(v)
            pos.append(i - 0.4 + width * (j + 0.5))
        if not data:
            continue
        bp = ax.boxplot(data, positions=pos, widths=width * 0.85, patch_artist=True,
                        showfliers=True, whis=(5, 95),
                        flierprops={"marker": ".", "markersize": 2, "alpha": 0.3,
                                    "markeredgecolor": colors(scen)},
                        medianprops={"color": "black", "linewidth": 1.5})
        for box in bp["boxes"]:
            box.set_facecolor(colors(scen))
            box.set_alpha(0.75)
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor=colors(scen), alpha=0.75,
                                     label=scen))
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([_glabel(g) for g in groups])
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_xlabel("worker group")
    ax.set_ylabel("income CV over last 12 months\n(sd / mean of monthly net income, dimensionless)")
    ax.set_title("Distribution of income variability per worker "
                 "(box: quartiles, whiskers: 5th-95th percentile)")
    ax.legend(handles=handles, title="scenario", loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _band_table(monthly: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per (scenario, group, month): mean over runs and a band; across runs when >= 2 runs,
    across workers of the single run otherwise."""
    rows = []
    for (scen, group, month), d in monthly.groupby(["scenario", "group", "month"], sort=True):
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
        rows.append({"scenario": scen, "group": group, "month": month, "mean": m, "lo": lo,
                     "hi": hi, "band": kind, "runs": len(d)})
    return pd.DataFrame(rows)


def plot_income_trajectories(monthly: pd.DataFrame, scenarios: List[str], colors: Colors,
                             path: str) -> str:
    """Monthly mean net income of panel workers: left all workers per scenario, right by group.
    Returns a caption fragment describing the bands."""
    bands = _band_table(monthly)
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True)
    kinds = set()
    for ax, which in zip(axes, ["all", "groups"]):
        for scen in scenarios:
            b = bands[bands["scenario"] == scen]
            groups = ["all"] if which == "all" else [g for g in _ordered_groups(b["group"])
                                                      if g != "all"]
            for g in groups:
                d = b[b["group"] == g].sort_values("month")
                if d.empty:
                    continue
                kinds.update(d["band"].unique())
                label = scen if which == "all" else f"{scen}: {_glabel(g)}"
                ax.plot(d["month"], d["mean"], color=colors(scen), linestyle=LINESTYLES.get(g, "-"),
                        linewidth=1.8, label=label)
                ax.fill_between(d["month"], d["lo"], d["hi"], color=colors(scen), alpha=0.2,
                                linewidth=0)
        ax.set_xlabel("month (4-week months since start)")
        ax.set_title("all panel workers" if which == "all" else "panel workers by group")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", title="scenario" if which == "all" else "scenario: group")
    axes[0].set_ylabel("mean net income (EUR/month)")
    if kinds == {"runs"}:
        band = "shaded band: 95% interval across replications"
    elif kinds == {"workers"}:
        band = "shaded band: 95% interval across panel workers, one run per scenario"
    else:
        band = ("shaded band: 95% interval across replications where a scenario has several runs, "
                "across panel workers where it has one")
    fig.suptitle(f"Monthly net income, mean over sampled panel workers ({band})", fontsize=11.5)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return band


def training_share_table(runs: List[RunFile], names: Dict[str, str]) -> pd.DataFrame:
    rows = []
    for run in runs:
        s = run.series
        if "workers_in_training" not in s:
            continue
        n = float(run.attrs.get("workers") or 0)
        if n <= 0:
            continue
        share = s["workers_in_training"].astype(np.float64) / n * 100.0
        rows.append(pd.DataFrame({"file": run.path, "scenario": names[run.path],
                                  "step": s["step"].astype(np.int64), "share": share}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["file", "scenario", "step", "share"])


def plot_training_share(table: pd.DataFrame, scenarios: List[str], colors: Colors, path: str):
    fig, ax = plt.subplots(figsize=(12, 4.6))
    band_kinds = set()
    for scen in scenarios:
        d = table[table["scenario"] == scen]
        if d.empty:
            continue
        agg = []
        for step, ds in d.groupby("step", sort=True):
            m, lo, hi = mean_interval(ds["share"])
            agg.append((step, m, lo, hi))
        a = np.array(agg, dtype=np.float64)
        nruns = d["file"].nunique()
        band_kinds.add(nruns >= 2)
        ax.plot(a[:, 0], a[:, 1], color=colors(scen), linewidth=1.6,
                label=f"{scen} ({nruns} run{'s' if nruns != 1 else ''})")
        if nruns >= 2:
            ax.fill_between(a[:, 0], a[:, 2], a[:, 3], color=colors(scen), alpha=0.2, linewidth=0)
    ax.set_xlabel("week since start")
    ax.set_ylabel("workers in training (% of all workers)")
    title = "Share of workers in training each week"
    if True in band_kinds:
        title += " (band: 95% interval across replications)"
    ax.set_title(title)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title="scenario", loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_differences(table: pd.DataFrame, colors: Colors, baseline: str, path: str):
    """One panel per metric: difference (scenario − baseline) per group with 95% error bars."""
    metrics = [m for m in METRICS if m in set(table["metric"])]
    ncols = 3
    nrows = max(1, math.ceil(len(metrics) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(13, 3.6 * nrows + 0.8), squeeze=False)
    scenarios = list(dict.fromkeys(table["scenario"]))
    groups = _ordered_groups(table.loc[np.isfinite(table["difference"]), "group"])
    handles = {}
    for k, metric in enumerate(metrics):
        ax = axes[k // ncols][k % ncols]
        d = table[table["metric"] == metric]
        nsc = max(len(scenarios), 1)
        for j, scen in enumerate(scenarios):
            for i, g in enumerate(groups):
                r = d[(d["scenario"] == scen) & (d["group"] == g)]
                if r.empty or not np.isfinite(r["difference"].iloc[0]):
                    continue
                r = r.iloc[0]
                y = i + (j - (nsc - 1) / 2) * 0.25
                lo, hi = r["ci_low"], r["ci_high"]
                if np.isfinite(lo) and np.isfinite(hi):
                    xerr = [[r["difference"] - lo], [hi - r["difference"]]]
                else:
                    xerr = None
                h = ax.errorbar(r["difference"], y, xerr=xerr, fmt="o", color=colors(scen),
                                capsize=4, markersize=6, linewidth=1.6)
                handles[scen] = h
        ax.axvline(0.0, color="grey", linewidth=1, linestyle="--")
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([_glabel(g) for g in groups])
        ax.set_ylim(len(groups) - 0.5, -0.5)
        info = METRIC_INFO[metric]
        ax.set_title(info["label"])
        ax.set_xlabel(f"difference ({info['unit']})")
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5, symmetric=False))
    for k in range(len(metrics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.suptitle(f"Difference scenario \u2212 {baseline} in run-level group means "
                 "(error bars: 95% interval across replications; dashed line: no difference)",
                 fontsize=11.5)
    if handles:
        fig.legend([handles[s] for s in scenarios if s in handles],
                   [f"{s} \u2212 {baseline}" for s in scenarios if s in handles],
                   loc="lower center", ncol=min(len(handles), 4), title="comparison",
                   bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.09, 1, 0.96))
    fig.savefig(path)
    plt.close(fig)


# ----------------------------------------------------------------------------------------------
# HTML


def _fmt(x: float, metric: str) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if metric == "mean_monthly_income":
        return f"{x:,.1f}"
    if metric == "income_cv":
        return f"{x:.4f}"
    return f"{x:.3f}"


def _headline_html(table: pd.DataFrame) -> str:
    head = ("<tr><th>comparison</th><th>group</th><th>metric (unit)</th><th>baseline mean</th>"
            "<th>scenario mean</th><th>difference</th><th>95% interval</th><th>runs</th>"
            "<th>method</th></tr>")
    body = []
    for _, r in table[table["method"] != "missing"].iterrows():
        m = r["metric"]
        info = METRIC_INFO.get(m, {"label": m, "unit": ""})
        if np.isfinite(r["ci_low"]):
            ci = f"[{_fmt(r['ci_low'], m)}, {_fmt(r['ci_high'], m)}]"
            if r["ci_low"] > 0 or r["ci_high"] < 0:
                ci = f"<b>{ci}</b>"
        else:
            ci = "–"
        cls = ' class="missing"' if r["method"] == "missing" else ""
        body.append(
            f"<tr{cls}><td>{html.escape(r['scenario'])} − {html.escape(r['baseline'])}</td>"
            f"<td>{html.escape(_glabel(r['group']))}</td>"
            f"<td>{html.escape(info['label'])} ({html.escape(info['unit'])})</td>"
            f"<td class=num>{_fmt(r['baseline_mean'], m)}</td>"
            f"<td class=num>{_fmt(r['scenario_mean'], m)}</td>"
            f"<td class=num>{_fmt(r['difference'], m)}</td><td class=num>{ci}</td>"
            f"<td class=num>{int(r['n_baseline'])} / {int(r['n_scenario'])}</td>"
            f"<td>{html.escape(r['method'])}<br><small>{html.escape(str(r['note']))}</small>"
            f"</td></tr>")
    out = f"<table class=headline>{head}{''.join(body)}</table>"
    missing = table[table["method"] == "missing"].drop_duplicates(["scenario", "group"])
    if not missing.empty:
        notes = "; ".join(html.escape(f"{_glabel(r['group'])} vs. {r['scenario']}: {r['note']}")
                          for _, r in missing.iterrows())
        out += f"<p><small>Not compared (group absent in one scenario): {notes}. Their rows are in " \
               "headline.csv with method \"missing\".</small></p>"
    return out


def _key_findings(table: pd.DataFrame) -> str:
    items = []
    for _, r in table[table["group"] == "all"].iterrows():
        m = r["metric"]
        info = METRIC_INFO[m]
        text = (f"<b>{html.escape(info['label'])}</b> ({html.escape(info['unit'])}), all workers: "
                f"{_fmt(r['baseline_mean'], m)} in {html.escape(r['baseline'])} vs. "
                f"{_fmt(r['scenario_mean'], m)} in {html.escape(r['scenario'])}; difference "
                f"{_fmt(r['difference'], m)}")
        if np.isfinite(r["ci_low"]):
            sig = ("interval excludes 0" if (r["ci_low"] > 0 or r["ci_high"] < 0)
                   else "interval includes 0")
            text += (f" (95% interval {_fmt(r['ci_low'], m)} to {_fmt(r['ci_high'], m)}, "
                     f"{html.escape(r['method'])}, {sig})")
        else:
            text += " (no interval: replications needed)"
        items.append(f"<li>{text}</li>")
    return "<ul>" + "".join(items) + "</ul>"


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto;
       max-width: 1240px; padding: 0 16px; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; vertical-align: top; }
th { background: #f0f0f0; text-align: left; } td.num { text-align: right; white-space: nowrap; }
tr.missing td { color: #888; } .warn { background: #fff4d6; border: 1px solid #e0b84c;
padding: 8px 12px; } figure { margin: 1em 0; } figure img { max-width: 100%; height: auto;
border: 1px solid #eee; } figcaption { font-size: 0.92em; color: #444; } dt { font-weight: bold; }
small { color: #666; } code { background: #f4f4f4; padding: 0 3px; }
"""

SCRIPT = """
window.__errors = [];
window.addEventListener('error', function (e) {
  document.body.dataset.scriptErrors = String((+(document.body.dataset.scriptErrors || 0)) + 1);
}, true);
window.addEventListener('load', function () {
  var imgs = document.images, ok = imgs.length > 0;
  for (var i = 0; i < imgs.length; i++) {
    if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) { ok = false; }
  }
  document.body.dataset.imagesOk = ok ? 'yes' : 'no';
  document.body.dataset.imageCount = String(imgs.length);
});
"""


def _img(path: str, alt: str) -> str:
    with open(path, "rb") as f:
        data = base64.b64encode(f.read()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _write_html(path: str, *, runs: List[RunFile], names: Dict[str, str], scenarios: List[str],
                baseline: str, table: pd.DataFrame, figs: Dict[str, str], captions: Dict[str, str],
                poverty: Dict[str, float]):
    per_scen = {s: [r for r in runs if names[r.path] == s] for s in scenarios}
    nrep = {s: len(v) for s, v in per_scen.items()}
    single = [s for s, n in nrep.items() if n < 2]
    run_rows = "".join(
        f"<tr><td>{html.escape(s)}</td><td class=num>{nrep[s]}</td>"
        f"<td>{html.escape(', '.join(str(r.attrs.get('seed')) for r in per_scen[s]))}</td>"
        f"<td class=num>{html.escape(', '.join(sorted({str(r.attrs.get('workers')) for r in per_scen[s]})))}</td>"
        f"<td class=num>{html.escape(', '.join(sorted({str(r.attrs.get('weeks')) for r in per_scen[s]})))}</td>"
        f"<td>{html.escape(', '.join(sorted({str(r.attrs.get('scenario_file', '')) for r in per_scen[s]})))}</td>"
        f"<td>{html.escape(', '.join(sorted({str(r.attrs.get('git_commit', ''))[:12] for r in per_scen[s]})))}</td>"
        f"<td class=num>{poverty.get(s, float('nan')):,.0f}</td></tr>"
        for s in scenarios)
    methods = sorted(set(table["method"]) - {"missing"})
    warn = ""
    if single:
        warn = (f"<p class=warn><b>Replications needed:</b> scenario(s) "
                f"{html.escape(', '.join(single))} have a single run, so differences have no "
                f"interval. Run each scenario with several seeds (e.g. <code>--seed 1</code> … "
                f"<code>--seed 10</code>) and pass all files.</p>")
    defs = "".join(f"<dt>{html.escape(METRIC_INFO[m]['label'])} ({html.escape(METRIC_INFO[m]['unit'])})"
                   f"</dt><dd>{html.escape(METRIC_INFO[m]['definition'])}</dd>" for m in METRICS)
    others = [s for s in scenarios if s != baseline]
    fig_html = "".join(
        f"<figure>{_img(figs[k], captions[k])}<figcaption>{captions[k]}</figcaption></figure>"
        for k in ["differences", "income_cv", "income", "training"] if k in figs)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gigsim report: {html.escape(', '.join(others) or baseline)} vs. {html.escape(baseline)}</title>
<style>{CSS}</style></head>
<body>
<h1>gigsim scenario comparison</h1>
<p>This report compares <b>{html.escape(', '.join(others) or '(no other scenario)')}</b> with the
baseline <b>{html.escape(baseline)}</b> on income stability and training access of gig workers.
It is built from {len(runs)} run file(s); each run is one replication (one random seed). Metrics are
computed per worker over the last 12 months of each run, averaged per run and group, and
differences are shown with 95% intervals <em>across replications</em>
({html.escape(', '.join(methods) or 'none')}; "paired" means runs with the same seed were
compared seed by seed).</p>
{warn}
<table><tr><th>scenario</th><th>replications</th><th>seeds</th><th>workers</th><th>weeks</th>
<th>scenario file</th><th>git commit</th><th>poverty line (EUR/month, mean over runs)</th></tr>
{run_rows}</table>
<h2>Key findings (all workers)</h2>
{_key_findings(table)}
<h2>Metric definitions</h2>
<dl>{defs}</dl>
<p><small>Groups: <i>platform-only</i> workers rely on investor-owned platforms only;
<i>coop members</i> belong to the umbrella cooperative at the end of the run; <i>all workers</i>
is the whole population. A group with no workers in a scenario (e.g. coop members in a scenario
without a cooperative) has no difference. Note that comparing coop members with platform-only
workers is not a causal effect (members are selected); the causal comparison is the "all workers"
row and the platform-only spill-over.</small></p>
<h2>Headline table</h2>
<p>Difference = scenario mean − baseline mean of the run-level group means. Bold intervals exclude
zero. Also in <code>headline.csv</code>.</p>
{_headline_html(table)}
<h2>Figures</h2>
{fig_html}
<h2>Method</h2>
<p>Each run contributes one value per metric and group (the mean over its workers; income CV over
workers with a positive mean income). When both scenarios have runs with the same set of seeds the
differences are paired by seed and the interval is mean ± t<sub>0.975, n−1</sub>·sd/√n of the
per-seed differences; otherwise a Welch interval with Welch–Satterthwaite degrees of freedom is used.
Student-t quantiles are computed from the regularized incomplete beta function (no SciPy). With one
run per scenario no interval across replications can be formed. See <code>docs/analysis.md</code>.</p>
<script>{SCRIPT}</script>
</body></html>
"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)


# ----------------------------------------------------------------------------------------------
# Entry point


def _choose_baseline(scenarios: List[str], baseline: Optional[str]) -> str:
    if baseline is not None:
        if baseline not in scenarios:
            raise ValueError(f"--baseline {baseline!r} is not a scenario in the given files "
                             f"(scenarios: {', '.join(scenarios)})")
        return baseline
    return "baseline" if "baseline" in scenarios else scenarios[0]


def _prepare_outdir(outdir: str) -> str:
    """Checks OUTDIR can be (re)placed; returns a new empty temporary sibling directory."""
    outdir = os.path.abspath(outdir)
    if os.path.exists(outdir):
        if not os.path.isdir(outdir):
            raise ValueError(f"{outdir}: exists and is not a directory")
        if os.listdir(outdir) and not os.path.exists(os.path.join(outdir, "report.html")):
            raise ValueError(f"{outdir}: exists, is not empty and holds no report.html; "
                             "refusing to replace it")
    parent = os.path.dirname(outdir)
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix="." + os.path.basename(outdir) + ".tmp-", dir=parent)


def build_report(paths: Sequence[str], outdir: str, baseline: Optional[str] = None) -> str:
    """Builds OUTDIR (see module docstring); returns the path of report.html. Raises ValueError
    (naming the file) for a file that is not a supported gigsim run; OUTDIR is then untouched."""
    if not paths:
        raise ValueError("no run files given")
    # OUTDIR is replaced as a whole: no input may live inside it (links resolved).
    out_real = os.path.realpath(outdir)
    for p in paths:
        if os.path.commonpath([out_real, os.path.realpath(p)]) == out_real:
            raise ValueError(f"{p}: is inside {outdir}, which the report replaces; write the "
                             "report to another folder")
    runs = [open_run(p) for p in paths]  # every file checked before anything is written
    workers = load_runs(runs)
    names = dict(zip(workers.drop_duplicates("file")["file"],
                     workers.drop_duplicates("file")["scenario"]))
    scenarios = list(dict.fromkeys(names[r.path] for r in runs))
    if len(names) != len(runs):
        raise ValueError("the same run file was given twice")
    baseline = _choose_baseline(scenarios, baseline)
    scenarios = [baseline] + [s for s in scenarios if s != baseline]
    per_run = run_metrics(workers)
    table = compare(per_run, baseline=baseline)
    poverty = {}
    for s in scenarios:
        vals = [float(r.workers_attrs.get("poverty_line", np.nan)) for r in runs if names[r.path] == s]
        poverty[s] = float(np.nanmean(vals)) if np.isfinite(vals).any() else float("nan")

    tmp = _prepare_outdir(outdir)
    try:
        colors = Colors(scenarios)
        figs = {k: os.path.join(tmp, f"{k}.png") for k in
                ["differences", "income_cv", "income", "training"]}
        captions = {}
        if len(scenarios) > 1 and np.isfinite(table["difference"]).any():
            plot_differences(table, colors, baseline, figs["differences"])
            captions["differences"] = (
                f"Difference with vs. without the cooperative: scenario − {html.escape(baseline)} "
                "per metric and group, with 95% intervals across replications (no bar: a single "
                "replication). Groups absent from the baseline are not shown.")
        else:
            del figs["differences"]
        plot_cv_distribution(workers, scenarios, colors, figs["income_cv"])
        captions["income_cv"] = ("Per-worker income CV over the last 12 months, all replications "
                                 "of a scenario pooled; lower means steadier income.")
        monthly = panel_monthly(runs)
        if not monthly.empty:
            band = plot_income_trajectories(monthly, scenarios, colors, figs["income"])
            captions["income"] = ("Mean monthly net income of the sampled panel workers; "
                                  f"{band}. Groups on the right are each worker's group in that "
                                  "month.")
        else:
            del figs["income"]
        train = training_share_table(runs, names)
        if not train.empty:
            plot_training_share(train, scenarios, colors, figs["training"])
            captions["training"] = ("Share of all workers in training each week (from /series/"
                                    "workers_in_training), mean over replications.")
        else:
            del figs["training"]
        table.to_csv(os.path.join(tmp, "headline.csv"), index=False)
        per_run.to_csv(os.path.join(tmp, "run_metrics.csv"), index=False)
        _write_html(os.path.join(tmp, "report.html"), runs=runs, names=names, scenarios=scenarios,
                    baseline=baseline, table=table, figs=figs, captions=captions, poverty=poverty)
        os.chmod(tmp, 0o755)
        final = os.path.abspath(outdir)
        if os.path.exists(final):
            old = final + ".old-" + os.path.basename(tmp)
            os.rename(final, old)
            os.rename(tmp, final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return os.path.join(os.path.abspath(outdir), "report.html")
