"""Figure conventions shared by the run and sweep reports: one style per scenario (colour, marker
and line style together, so no two look alike even beyond ten), facets instead of crowded axes,
legends outside the data."""

from __future__ import annotations

import itertools
import math
from typing import Dict, List, Sequence, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"font.size": 10.5, "axes.titlesize": 11, "axes.labelsize": 10.5,
                     "legend.fontsize": 9.5, "figure.dpi": 100, "axes.spines.top": False,
                     "axes.spines.right": False})

# Okabe & Ito's colour-blind-safe palette (Wong 2011, Nature Methods 8:441), its yellow darkened
# to read on white, then more of matplotlib's tab10.
PALETTE = ["#000000", "#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
           "#B59B00", "#7f7f7f", "#8c564b", "#9467bd", "#17becf"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1))]

GROUP_ORDER = ["all", "platform_only", "coop_member", "platform_coop_member", "pooled_worker",
               "wise_employee"]
GROUP_LABEL = {"all": "all workers", "platform_only": "platform-only workers",
               "coop_member": "umbrella coop members",
               "platform_coop_member": "platform coop members",
               "pooled_worker": "pooled workers", "wise_employee": "WISE employees"}


def ordered_groups(groups) -> List[str]:
    present = list(dict.fromkeys(groups))
    return [g for g in GROUP_ORDER if g in present] + [g for g in present if g not in GROUP_ORDER]


def group_label(g: str) -> str:
    return GROUP_LABEL.get(g, str(g).replace("_", " "))


class Styles:
    """A distinct (colour, marker, line style) per name, in the order given; the first (the
    baseline) is black and solid."""

    def __init__(self, names: Sequence[str]):
        # Colour and line style change together, so that no two of the first 12 x 6 share both
        # (and lines stay apart in greyscale and for colour-blind readers).
        combos = itertools.product(range(len(LINESTYLES)), range(len(PALETTE)))
        self.map: Dict[str, Tuple[str, str, object]] = {}
        for i, (name, (shift, c)) in enumerate(zip(names, combos)):
            self.map[name] = (PALETTE[c], MARKERS[i % len(MARKERS)],
                              LINESTYLES[(c + shift) % len(LINESTYLES)] if i else "-")

    def colour(self, name: str) -> str:
        return self.map[name][0]

    def marker(self, name: str) -> str:
        return self.map[name][1]

    def line(self, name: str):
        return self.map[name][2]


def grid(n: int, max_cols: int = 3) -> Tuple[int, int]:
    cols = min(max_cols, max(1, n))
    return int(math.ceil(n / cols)), cols


def short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def legend_above(fig, handles, labels, title: str = "", top: float = 0.99) -> float:
    """A legend across the top of the figure, outside every axes; returns the fraction of the
    figure height it leaves for the axes."""
    ncol = min(len(labels), 3 if max((len(x) for x in labels), default=0) > 24 else 4)
    rows = int(math.ceil(len(labels) / max(ncol, 1)))
    fig.legend(handles, labels, loc="upper center", ncol=ncol, frameon=False, title=title or None,
               bbox_to_anchor=(0.5, top))
    inches = 0.32 * rows + (0.3 if title else 0.1)
    return max(0.5, 1.0 - inches / fig.get_figheight() - (1.0 - top))
