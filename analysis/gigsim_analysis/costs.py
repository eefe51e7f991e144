"""Who pays what: the money flows of a run's ``/series`` over the metrics' window, per worker and
month, by payer (docs/analysis.md "Costs").

    from gigsim_analysis.costs import run_costs, COST_ITEMS
    per_run = run_costs(runs, names)   # one row per run: scenario, seed, one column per item

Every item is a flow the engine books to the cent (``/series``, EUR in files of format 2), summed
over the last 48 weeks (the 12 four-week months the outcome metrics use), divided by the number of
workers and by 12: EUR per worker and month. Items whose column a run lacks count as 0.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, List, Sequence

import numpy as np
import pandas as pd

from .io import RunFile

WINDOW_WEEKS = 48  # the outcome metrics' 12 months of 4 weeks


@dataclasses.dataclass(frozen=True)
class CostItem:
    key: str  # column of the per-run table
    payer: str  # who bears it: "workers", "workers receive", "cooperative funds", "public",
    #              "employers"
    label: str
    columns: tuple  # /series columns summed (a leading "-" subtracts)


COST_ITEMS: List[CostItem] = [
    CostItem("platform_commission", "workers", "commissions kept by investor-owned platforms",
             ("platform_commission",)),
    CostItem("platform_coop_fees", "workers", "fees kept by platform cooperatives",
             ("platform_coop_fees",)),
    CostItem("coop_fee_retained", "workers", "umbrella cooperative fee kept for operations",
             ("coop_fee_retained",)),
    CostItem("worker_training_spent", "workers", "course fees workers paid themselves",
             ("worker_training_spent",)),
    CostItem("sickness_pool_contributions", "workers", "payments into the sickness pool",
             ("sickness_pool_contributions",)),
    CostItem("ui_contributions", "workers", "unemployment insurance contributions",
             ("ui_contributions",)),
    CostItem("defaults_lost", "workers", "pay lost to clients who never paid (platform only)",
             ("defaults_lost",)),
    CostItem("sickness_pool_benefits", "workers receive", "sickness pool benefits",
             ("sickness_pool_benefits",)),
    CostItem("ui_benefits", "workers receive", "unemployment insurance benefits",
             ("ui_benefits",)),
    CostItem("platform_coop_dividends", "workers receive", "platform cooperative dividends",
             ("platform_coop_dividends",)),
    CostItem("defaults_absorbed", "workers receive",
             "defaulted pay the guarantee fund paid members", ("defaults_absorbed",)),
    CostItem("training_fund_spent", "cooperative funds", "course costs paid by cooperative "
             "training funds", ("training_fund_spent",)),
    CostItem("public_training_spent", "public", "public training subsidy",
             ("public_training_spent",)),
    CostItem("wise_subsidy", "public", "wage subsidy to WISEs", ("wise_subsidy",)),
    CostItem("node_cost", "public", "intermediary node", ("node_cost",)),
    CostItem("ui_deficit", "public", "unemployment insurance benefits beyond contributions "
             "(the state backs the fund)", ("ui_benefits", "-ui_contributions")),
    CostItem("wise_contracts", "public purchases", "public purchases reserved for WISEs (goods "
             "and services bought, not a subsidy)", ("wise_contracts",)),
    CostItem("sharing_charges", "employers", "what employers paid the employee-sharing pool",
             ("sharing_charges",)),
]

PAYER_ORDER = ["workers", "workers receive", "cooperative funds", "public", "public purchases",
               "employers"]
PAYER_LABEL = {"workers": "paid by workers", "workers receive": "received by workers",
               "cooperative funds": "paid by cooperative funds", "public": "paid by the public",
               "public purchases": "bought by the public", "employers": "paid by employers"}

#: Totals per payer, in the per-run table as "total_<payer>" (workers receive: a negative cost).
TOTALS = {"total_workers": "workers", "total_public": "public",
          "total_cooperative_funds": "cooperative funds", "total_employers": "employers",
          "total_workers_receive": "workers receive", "total_public_purchases": "public purchases"}


def _window_sum(run: RunFile, column: str) -> float:
    values = run.series.get(column)
    if values is None or len(values) == 0:
        return 0.0
    return float(np.asarray(values[-WINDOW_WEEKS:], dtype=np.float64).sum())


def run_costs(runs: Sequence[RunFile], names: Dict[str, str]) -> pd.DataFrame:
    """One row per run: file, scenario (``names[path]``), seed, group ("all"), one column per
    cost item and per payer total, in EUR per worker and month over the last 48 weeks."""
    rows = []
    for run in runs:
        workers = max(1, int(run.attrs.get("workers", 1)))
        weeks = min(WINDOW_WEEKS, len(run.series.get("step", [])))
        months = max(1.0, weeks / 4.0)
        row: Dict[str, object] = {"file": run.path, "scenario": names[run.path],
                                  "seed": int(run.attrs.get("seed", -1)), "group": "all"}
        totals = {p: 0.0 for p in PAYER_ORDER}
        for item in COST_ITEMS:
            total = 0.0
            for c in item.columns:
                total += -_window_sum(run, c[1:]) if c.startswith("-") else _window_sum(run, c)
            if item.key == "ui_deficit":
                total = max(0.0, total)
            value = total / workers / months
            row[item.key] = value
            totals[item.payer] += value
        for key, payer in TOTALS.items():
            row[key] = totals[payer]
        rows.append(row)
    return pd.DataFrame(rows)


def active_items(per_run: pd.DataFrame) -> List[CostItem]:
    """The items that are not zero in every run (a scenario without a sickness pool has none)."""
    return [i for i in COST_ITEMS if i.key in per_run and (per_run[i.key].abs() > 1e-9).any()]
