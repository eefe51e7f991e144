"""Sweep result files (``gigsim sweep``, layout in docs/sweeps.md) and sensitivity analysis.

    from gigsim_analysis.sweep import load_sweep, morris, sobol_indices, paired_difference
    sw = load_sweep("sweep.h5")
    sw.runs                 # one row per run: coordinates, seed, status, parameters, METRIC.GROUP
    sw.design               # one row per design point: parameter values, trajectory, block
    sw.series("worker_net_pay")            # xarray.DataArray (run, week)
    morris(sw, "income_cv", "coop_member")         # morris sweeps: mu, mu_star, sigma per parameter
    sobol_indices(sw, "income_cv", "coop_member")  # saltelli sweeps: S1, ST with bootstrap CIs
    paired_difference(sw, "income_cv", "all", "umbrella_coop", "platforms_only")

Every analysis first reduces the runs to one number per design point: the mean over the point's
replications of the run-level metric, skipping failed runs and NaN values (an empty group). With
several variants, pick one (``variant="NAME"``) or the paired difference of two
(``variant="A-B"``: per point and replication A minus B, on the shared seed, then averaged).
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from typing import Any, Dict, List, Optional, Tuple

import h5py
import numpy as np
import pandas as pd

from .io import _text, enum_names, require_regular_file

FILE_TYPE = "gigsim-sweep"
FORMAT_VERSION = 2

#: Metrics in the order docs/sweeps.md lists them; others (newer writers) follow, sorted.
METRIC_ORDER = ["workers", "mean_monthly_income", "income_cv", "dip_months", "large_swings",
                "months_below_poverty", "trained_last_12m"]

#: Columns of ``Sweep.runs`` before the parameters and metrics.
RUN_COLUMNS = ["run", "point", "replication", "variant", "seed", "identity", "status", "message"]
#: Columns of ``Sweep.design`` after the parameters.
DESIGN_COLUMNS = ["trajectory", "step_parameter", "saltelli_block"]

MORRIS_CITATION = ("Morris (1991) elementary effects; mu* = mean |EE| "
                   "(Campolongo, Cariboni & Saltelli 2007)")
SOBOL_CITATION = ("Sobol indices: first order S1 (Saltelli et al. 2010, Table 2 (b)), "
                  "total ST (Jansen 1999)")

# z for a two-sided 95% normal interval (bootstrap half-widths, as SALib reports them)
_Z95 = 1.959963984540054


@dataclasses.dataclass
class Sweep:
    """One sweep result file. Tables are read at once; ``series`` reads one column on demand."""

    path: str
    attrs: Dict[str, Any]
    parameters: List[str]  # design parameter key paths, in the sweep file's order
    design: pd.DataFrame  # one row per point: "point", parameters, trajectory, step_parameter,
    #                       saltelli_block
    unit: pd.DataFrame  # one row per point: unit-cube coordinates of each parameter (NaN if none)
    parameter_units: Dict[str, str]  # parameter -> unit of its values (the scenario schema's)
    variants: List[str]
    groups: List[str]
    metrics: List[str]  # names under /metrics
    series_columns: List[str]  # names under /series
    runs: pd.DataFrame  # one row per run: RUN_COLUMNS, parameters, "METRIC.GROUP"

    @property
    def method(self) -> str:
        """The design method (``design_method`` attribute): grid, lhs, morris, saltelli, ..."""
        return str(self.attrs.get("design_method", ""))

    @property
    def points(self) -> int:
        return len(self.design)

    @property
    def replications(self) -> int:
        return int(self.attrs.get("replications", self.runs["replication"].max() + 1))

    def metric_column(self, metric: str, group: str) -> str:
        """``METRIC.GROUP``, the column of ``runs``; ValueError listing the choices if unknown."""
        if metric not in self.metrics:
            raise ValueError(f"{self.path}: no metric {metric!r} (metrics: "
                             f"{', '.join(self.metrics)})")
        if group not in self.groups:
            raise ValueError(f"{self.path}: no group {group!r} (groups: {', '.join(self.groups)})")
        return f"{metric}.{group}"

    def series(self, column: str):
        """``/series/COLUMN`` as an ``xarray.DataArray`` with dims (run, week).

        Coordinates: run (run index), week (the file's dimension scale, else 0, 1, ...), and
        point, replication, variant (name) along run. NaN past a run's last week and for
        failed runs. Attributes ``units`` and ``long_name`` are kept when the file has them."""
        import xarray as xr  # optional dependency: imported only here

        if column not in self.series_columns:
            raise ValueError(f"{self.path}: no series {column!r} (series: "
                             f"{', '.join(self.series_columns) or 'none'})")
        with h5py.File(self.path, "r") as f:
            ds = f["series"][column]
            data = ds[()].astype(np.float64)
            if data.ndim != 2 or data.shape[0] != len(self.runs):
                raise ValueError(f"{self.path}: /series/{column} has shape {data.shape}, "
                                 f"expected ({len(self.runs)}, weeks)")
            week = _scale_values(ds, 1)
            if week is None or len(week) != data.shape[1]:
                week = np.arange(data.shape[1], dtype=np.int64)
            attrs = {k: _text(ds.attrs[k]) for k in ("units", "long_name") if k in ds.attrs}
        return xr.DataArray(
            data, dims=("run", "week"), name=column, attrs=attrs,
            coords={"run": self.runs["run"].to_numpy(), "week": week,
                    "point": ("run", self.runs["point"].to_numpy()),
                    "replication": ("run", self.runs["replication"].to_numpy()),
                    "variant": ("run", self.runs["variant"].to_numpy())})


# ----------------------------------------------------------------------------------------------
# Reading


def _scale_values(ds: h5py.Dataset, axis: int) -> Optional[np.ndarray]:
    """Values of the first dimension scale attached to ``axis`` of ``ds``, if any."""
    try:
        scales = list(ds.dims[axis].values())
    except (IndexError, RuntimeError, KeyError):
        return None
    if not scales:
        return None
    return np.asarray(scales[0][()])


def _dataset(f: h5py.File, path: str, name: str) -> h5py.Dataset:
    if name not in f or not isinstance(f[name], h5py.Dataset):
        raise ValueError(f"{path}: gigsim sweep file has no dataset /{name}")
    return f[name]


def _strings(f: h5py.File, path: str, name: str) -> List[str]:
    values = _text(_dataset(f, path, name)[()])
    return [values] if isinstance(values, str) else list(values)


def _ints(f: h5py.File, path: str, name: str, n: int, default: int = -1) -> np.ndarray:
    """An integer dataset as int64; ``default`` everywhere if the dataset is absent."""
    if name not in f:
        return np.full(n, default, dtype=np.int64)
    values = _dataset(f, path, name)[()].astype(np.int64)
    if values.shape != (n,):
        raise ValueError(f"{path}: /{name} has shape {values.shape}, expected ({n},)")
    return values


def _names(group: Optional[h5py.Group]) -> List[str]:
    """Datasets of a group that are data, not dimension scales."""
    if group is None:
        return []
    return [k for k, v in group.items()
            if isinstance(v, h5py.Dataset) and not h5py.h5ds.is_scale(v.id)]


def load_sweep(path: str | os.PathLike) -> Sweep:
    """Reads a gigsim sweep result file. Raises ValueError naming the file if it is not a gigsim
    sweep of a supported format version or lacks a dataset, OSError if it cannot be opened."""
    path = os.fspath(path)
    require_regular_file(path, "gigsim sweep file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise OSError(f"{path}: cannot open as HDF5: {e}") from e
    with f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        file_type = attrs.get("file_type")
        if file_type != FILE_TYPE:
            raise ValueError(f"{path}: not a gigsim sweep file (file_type={file_type!r}, "
                             f"expected {FILE_TYPE!r})")
        version = attrs.get("format_version")
        if version != FORMAT_VERSION:
            older = (": it was written by an older gigsim; run the sweep again with this one"
                     if isinstance(version, int) and version < FORMAT_VERSION else "")
            raise ValueError(f"{path}: gigsim sweep file format version {version!r} is not "
                             f"supported (this reader reads version {FORMAT_VERSION}){older}")

        # Design: (point, parameter) matrices plus per-point design bookkeeping.
        parameters = _strings(f, path, "design/parameter")
        k = len(parameters)
        values = _dataset(f, path, "design/values")[()].astype(np.float64)
        if values.ndim != 2 or values.shape[1] != k:
            raise ValueError(f"{path}: /design/values has shape {values.shape}, expected "
                             f"(points, {k}) for {k} parameters")
        n_points = values.shape[0]
        if "design/unit" in f:
            unit = _dataset(f, path, "design/unit")[()].astype(np.float64)
            if unit.shape != values.shape:
                raise ValueError(f"{path}: /design/unit has shape {unit.shape}, expected "
                                 f"{values.shape} like /design/values")
        else:
            unit = np.full(values.shape, np.nan)
        design = pd.DataFrame(values, columns=parameters)
        design.insert(0, "point", np.arange(n_points, dtype=np.int64))
        for col in DESIGN_COLUMNS:
            design[col] = _ints(f, path, f"design/{col}", n_points)
        unit_df = pd.DataFrame(unit, columns=parameters)
        units = (_strings(f, path, "design/parameter_units") if "design/parameter_units" in f
                 else ["1"] * k)
        if len(units) != k:
            raise ValueError(f"{path}: /design/parameter_units has {len(units)} entries for {k} "
                             f"parameters")

        groups = _strings(f, path, "metrics/group")

        # Runs: coordinates, seeds, status.
        point = _dataset(f, path, "runs/point")[()].astype(np.int64)
        n_runs = len(point)
        replication = _ints(f, path, "runs/replication", n_runs, 0)
        variant = _ints(f, path, "runs/variant", n_runs, 0)
        variants = enum_names(_dataset(f, path, "runs/variant")) or list(
            attrs.get("variant_names") or ["base"])
        if n_runs and (point.min() < 0 or point.max() >= n_points):
            raise ValueError(f"{path}: /runs/point refers to points outside 0..{n_points - 1}")
        if n_runs and (variant.min() < 0 or variant.max() >= len(variants)):
            raise ValueError(f"{path}: /runs/variant refers to variants outside "
                             f"0..{len(variants) - 1}")
        seed = _dataset(f, path, "runs/seed")[()].astype(np.uint64)
        identity = _strings(f, path, "runs/identity") if "runs/identity" in f else [""] * n_runs
        status = _ints(f, path, "runs/status", n_runs, 0)
        message = _strings(f, path, "runs/message") if "runs/message" in f else [""] * n_runs

        cols: Dict[str, Any] = {
            "run": np.arange(n_runs, dtype=np.int64),
            "point": point,
            "replication": replication,
            "variant": np.array(variants, dtype=object)[variant],
            # run seeds are below 2^63 (docs/sweeps.md), so int64 holds them exactly
            "seed": seed.astype(np.int64),
            "identity": identity,
            "status": status,
            "message": message,
        }
        for j, name in enumerate(parameters):
            if name in cols:
                raise ValueError(f"{path}: design parameter {name!r} clashes with a run column")
            cols[name] = values[point, j]

        # Metrics: /metrics/NAME is (run, group); one column per (metric, group).
        # coordinates of /metrics (run, group) are not metrics, whether marked as scales or not
        metric_names = [m for m in _names(f.get("metrics")) if m not in ("run", "group")]
        metric_names = ([m for m in METRIC_ORDER if m in metric_names]
                        + sorted(m for m in metric_names if m not in METRIC_ORDER))
        for m in metric_names:
            data = f["metrics"][m][()].astype(np.float64)
            if data.shape != (n_runs, len(groups)):
                raise ValueError(f"{path}: /metrics/{m} has shape {data.shape}, expected "
                                 f"({n_runs}, {len(groups)}) (run, group)")
            for g, group in enumerate(groups):
                name = f"{m}.{group}"
                if name in cols:
                    raise ValueError(f"{path}: metric column {name!r} clashes with a design "
                                     f"parameter or run column")
                cols[name] = data[:, g]
        series_columns = sorted(c for c in _names(f.get("series")) if c not in ("run", "week"))

    runs = pd.DataFrame(cols)
    return Sweep(path=path, attrs=attrs, parameters=parameters, design=design, unit=unit_df,
                 parameter_units=dict(zip(parameters, units)),
                 variants=variants, groups=groups, metrics=metric_names,
                 series_columns=series_columns, runs=runs)


# ----------------------------------------------------------------------------------------------
# One number per design point


def resolve_variant(sweep: Sweep, variant: Optional[str]) -> Tuple[str, Optional[str]]:
    """(A, None) for one variant, (A, B) for the paired difference ``"A-B"``."""
    names = sweep.variants
    listing = ", ".join(repr(v) for v in names)
    if variant is None:
        if len(names) == 1:
            return names[0], None
        raise ValueError(f"{sweep.path}: the sweep has {len(names)} variants ({listing}); choose "
                         f"one, or the paired difference of two as 'A-B'")
    if variant in names:
        return variant, None
    # "A-B": split at a '-' such that both sides are variant names (names may contain '-').
    splits = [(variant[:i], variant[i + 1:]) for i, c in enumerate(variant) if c == "-"]
    splits = [(a, b) for a, b in splits if a in names and b in names]
    if len(splits) == 1:
        if splits[0][0] == splits[0][1]:
            raise ValueError(f"{sweep.path}: {variant!r}: a difference needs two different "
                             f"variants")
        return splits[0]
    if len(splits) > 1:
        raise ValueError(f"{sweep.path}: {variant!r} can be read as several differences of "
                         f"variants ({listing})")
    raise ValueError(f"{sweep.path}: no variant {variant!r} (variants: {listing}; a paired "
                     f"difference is written 'A-B')")


def _run_values(sweep: Sweep, metric: str, group: str) -> pd.Series:
    """The metric per run, NaN for failed runs (whatever the file holds for them)."""
    col = sweep.metric_column(metric, group)
    return sweep.runs[col].where(sweep.runs["status"] == 0)


def paired_difference(sweep: Sweep, metric: str, group: str, a: str, b: str) -> pd.DataFrame:
    """Variant A minus variant B per (point, replication): both ran on the same seed (common
    random numbers), so the difference is paired.

    One row per pair, in point and replication order: point, replication, seed, run_a, run_b,
    value_a, value_b, difference, and the point's parameter values. ``difference`` is NaN when
    either run failed or has no value for the group."""
    for name in (a, b):
        if name not in sweep.variants:
            raise ValueError(f"{sweep.path}: no variant {name!r} (variants: "
                             f"{', '.join(sweep.variants)})")
    if a == b:
        raise ValueError(f"{sweep.path}: a difference needs two different variants")
    runs = sweep.runs.assign(value=_run_values(sweep, metric, group))
    keys = ["point", "replication"]
    side_a = runs[runs["variant"] == a].set_index(keys)
    side_b = runs[runs["variant"] == b].set_index(keys)
    if side_a.index.has_duplicates or side_b.index.has_duplicates:
        raise ValueError(f"{sweep.path}: several runs of one variant share a point and "
                         f"replication")
    pairs = side_a[["seed", "run", "value"]].join(side_b[["seed", "run", "value"]],
                                                  how="inner", lsuffix="_a", rsuffix="_b")
    if not (pairs["seed_a"] == pairs["seed_b"]).all():
        raise ValueError(f"{sweep.path}: variants {a!r} and {b!r} do not share seeds per point "
                         f"and replication; their runs cannot be paired")
    pairs = pairs.sort_index().reset_index()
    out = pd.DataFrame({
        "point": pairs["point"], "replication": pairs["replication"], "seed": pairs["seed_a"],
        "run_a": pairs["run_a"], "run_b": pairs["run_b"],
        "value_a": pairs["value_a"], "value_b": pairs["value_b"],
        "difference": pairs["value_a"] - pairs["value_b"],
    })
    params = sweep.design.set_index("point")[sweep.parameters]
    return out.join(params, on="point")


def point_values(sweep: Sweep, metric: str, group: str,
                 variant: Optional[str] = None) -> pd.DataFrame:
    """Per design point (index 0..points-1): ``value``, the mean over the point's replications
    of METRIC.GROUP, and ``n``, how many replications it averages. Failed runs and NaN values
    are skipped; a point with none left has value NaN and n 0.

    ``variant``: a variant name (needed when the sweep has several) or ``"A-B"``, the mean over
    replications of the paired difference A - B."""
    a, b = resolve_variant(sweep, variant)
    if b is None:
        runs = sweep.runs[sweep.runs["variant"] == a]
        values = _run_values(sweep, metric, group)[runs.index]
        points = runs["point"]
    else:
        pairs = paired_difference(sweep, metric, group, a, b)
        values, points = pairs["difference"], pairs["point"]
    # pandas' mean and count skip NaN: failed runs never turn a point's mean into NaN.
    stats = values.groupby(points.to_numpy()).agg(["mean", "count"])
    stats = stats.reindex(np.arange(sweep.points))
    out = pd.DataFrame({"value": stats["mean"].to_numpy(),
                        "n": stats["count"].fillna(0).astype(np.int64).to_numpy()})
    out.index.name = "point"
    return out


def _require(sweep: Sweep, method: str, purpose: str, instead: str) -> None:
    if sweep.method != method:
        raise ValueError(f"{sweep.path}: {purpose} needs a '{method}' sweep (design: method: "
                         f"{method}); this sweep's design method is {sweep.method!r}"
                         f"{instead}")


def _hint(sweep: Sweep) -> str:
    if sweep.method == "morris":
        return "; use Morris elementary effects (morris) for it"
    if sweep.method == "saltelli":
        return "; use Sobol indices (sobol_indices) for it"
    if sweep.method == "grid":
        return "; use main effects (main_effects) for it"
    return ""


# ----------------------------------------------------------------------------------------------
# Morris elementary effects


def morris(sweep: Sweep, metric: str, group: str, variant: Optional[str] = None) -> pd.DataFrame:
    """Morris (1991) elementary effects of each parameter on METRIC.GROUP (point means over
    replications, see ``point_values``).

    A trajectory is a run of points in which each step changes one parameter i
    (``/design/step_parameter``) by ±Δ in unit-cube coordinates. The step's elementary effect is

        EE = (y_j - y_{j-1}) / (u_j[i] - u_{j-1}[i])

    with the signed difference of the unit coordinates (``/design/unit``), so EE is in metric
    units per whole parameter range (per unit of the quantile for normal parameters). A step
    with a NaN end (all replications of a point failed) is skipped.

    Returns one row per parameter (index: key path, the sweep file's order): ``mu`` = mean EE,
    ``mu_star`` = mean |EE| (Campolongo, Cariboni & Saltelli 2007; robust to effects of
    opposite sign cancelling), ``sigma`` = standard deviation of EE (ddof 1; interactions and
    non-linearity) and ``n`` = effects used."""
    _require(sweep, "morris", "Morris elementary effects", _hint(sweep))
    y = point_values(sweep, metric, group, variant)["value"].to_numpy()
    unit = sweep.unit.to_numpy()
    trajectory = sweep.design["trajectory"].to_numpy()
    step = sweep.design["step_parameter"].to_numpy()
    k = len(sweep.parameters)
    if (trajectory < 0).any():
        raise ValueError(f"{sweep.path}: a morris sweep with points outside any trajectory "
                         f"(/design/trajectory < 0)")

    effects: List[List[float]] = [[] for _ in range(k)]
    for t in np.unique(trajectory):
        pts = np.flatnonzero(trajectory == t)  # the trajectory's points, in point order
        if step[pts[0]] != -1 or (step[pts[1:]] < 0).any() or (step[pts] >= k).any():
            raise ValueError(f"{sweep.path}: trajectory {t}: /design/step_parameter must be -1 at "
                             f"its first point and a parameter index 0..{k - 1} after it")
        for prev, cur in zip(pts[:-1], pts[1:]):
            i = step[cur]
            delta = unit[cur, i] - unit[prev, i]  # signed step in unit coordinates
            others = np.delete(unit[cur] - unit[prev], i)
            if not np.isfinite(delta) or delta == 0.0 or (np.abs(others) > 1e-9).any():
                raise ValueError(f"{sweep.path}: trajectory {t}: point {cur} does not differ from "
                                 f"point {prev} in parameter {sweep.parameters[i]!r} alone "
                                 f"(/design/unit)")
            if np.isfinite(y[cur]) and np.isfinite(y[prev]):
                effects[i].append((y[cur] - y[prev]) / delta)

    rows = []
    for i, name in enumerate(sweep.parameters):
        ee = np.asarray(effects[i], dtype=np.float64)
        rows.append({"parameter": name,
                     "mu": ee.mean() if ee.size else np.nan,
                     "mu_star": np.abs(ee).mean() if ee.size else np.nan,
                     "sigma": ee.std(ddof=1) if ee.size > 1 else np.nan,
                     "n": int(ee.size)})
    return pd.DataFrame(rows).set_index("parameter")


# ----------------------------------------------------------------------------------------------
# Sobol indices from a Saltelli design


def _saltelli_blocks(sweep: Sweep, y: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f(A), f(B) (each N) and f(AB) (N, k) where AB[:, i] is A with column i from B.

    Block of each point: /design/saltelli_block (0 A, 1 B, 2+i AB_i); within a block the points
    are in base-sample order, so the k-th point of every block belongs to base sample k. The
    unit coordinates are checked against that structure where they are known."""
    k = len(sweep.parameters)
    block = sweep.design["saltelli_block"].to_numpy()
    members = [np.flatnonzero(block == b) for b in range(k + 2)]  # point order = sample order
    n = len(members[0])
    if n == 0 or any(len(m) != n for m in members) or (block < 0).any() or (block >= k + 2).any():
        counts = ", ".join(f"{b}: {len(m)}" for b, m in enumerate(members))
        raise ValueError(f"{sweep.path}: /design/saltelli_block must hold blocks 0..{k + 1} with "
                         f"the same number of points each (points per block: {counts})")
    unit = sweep.unit.to_numpy()
    ua, ub = unit[members[0]], unit[members[1]]
    for i in range(k):
        expect = ua.copy()
        expect[:, i] = ub[:, i]
        got = unit[members[2 + i]]
        known = np.isfinite(expect) & np.isfinite(got)
        if (np.abs(got - expect)[known] > 1e-9).any():
            raise ValueError(f"{sweep.path}: Saltelli block {2 + i} is not A with column "
                             f"{sweep.parameters[i]!r} from B, point by point (/design/unit)")
    f_ab = np.stack([y[members[2 + i]] for i in range(k)], axis=1)
    return y[members[0]], y[members[1]], f_ab


def _sobol_estimates(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray):
    """S1 and ST per column of ``fab`` (N, k); NaN entries of ``fab`` are left out per index.

    S1_i = mean(f(B) (f(AB_i) - f(A))) / V       Saltelli et al. (2010), Table 2 (b)
    ST_i = mean((f(A) - f(AB_i))^2) / 2 / V      Jansen (1999)
    V    = variance of f(A) and f(B) together"""
    var = np.concatenate([fa, fb]).var()
    with np.errstate(invalid="ignore", divide="ignore"):
        first = fb[:, None] * (fab - fa[:, None])
        total = (fa[:, None] - fab) ** 2 / 2.0
        ok = np.isfinite(fab)
        n = ok.sum(axis=0)
        s1 = np.where(ok, first, 0.0).sum(axis=0) / n / var
        st = np.where(ok, total, 0.0).sum(axis=0) / n / var
    bad = (n == 0) | ~(var > 0)
    return np.where(bad, np.nan, s1), np.where(bad, np.nan, st)


def sobol_indices(sweep: Sweep, metric: str, group: str, variant: Optional[str] = None,
                  bootstrap: int = 200, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices of each parameter for METRIC.GROUP from a
    ``saltelli`` sweep (point means over replications, see ``point_values``).

    With f(A), f(B) and f(AB_i) the responses of the base samples' A row, B row and A row with
    column i from B:

        S1_i = mean(f(B) (f(AB_i) - f(A))) / V        (Saltelli et al. 2010, Table 2 (b))
        ST_i = mean((f(A) - f(AB_i))^2) / 2 / V       (Jansen 1999)

    with V the variance of f(A) and f(B) together. Base samples whose f(A) or f(B) is NaN are
    dropped; one whose f(AB_i) is NaN is dropped for parameter i only.

    Intervals: ``bootstrap`` resamples of the base samples with replacement (numpy
    ``Generator(PCG64(seed))``); ``*_ci95`` is the half-width 1.96 × the bootstrap standard
    deviation (NaN if bootstrap < 2).

    Returns one row per parameter (index: key path): S1, S1_ci95, ST, ST_ci95, n (base samples
    used)."""
    _require(sweep, "saltelli", "Sobol indices", _hint(sweep))
    y = point_values(sweep, metric, group, variant)["value"].to_numpy()
    fa, fb, fab = _saltelli_blocks(sweep, y)
    keep = np.isfinite(fa) & np.isfinite(fb)
    fa, fb, fab = fa[keep], fb[keep], fab[keep]
    if len(fa) < 2:
        raise ValueError(f"{sweep.path}: fewer than two base samples with values of "
                         f"{metric}.{group} in both A and B")
    s1, st = _sobol_estimates(fa, fb, fab)

    k = fab.shape[1]
    s1_ci = np.full(k, np.nan)
    st_ci = np.full(k, np.nan)
    if bootstrap >= 2:
        rng = np.random.Generator(np.random.PCG64(seed))
        boot_s1 = np.empty((bootstrap, k))
        boot_st = np.empty((bootstrap, k))
        for b in range(bootstrap):
            idx = rng.integers(0, len(fa), size=len(fa))  # base samples, with replacement
            boot_s1[b], boot_st[b] = _sobol_estimates(fa[idx], fb[idx], fab[idx])
        with warnings.catch_warnings():  # an index that is NaN in every resample stays NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            s1_ci = _Z95 * np.nanstd(boot_s1, axis=0, ddof=1)
            st_ci = _Z95 * np.nanstd(boot_st, axis=0, ddof=1)

    out = pd.DataFrame({"parameter": sweep.parameters, "S1": s1, "S1_ci95": s1_ci,
                        "ST": st, "ST_ci95": st_ci,
                        "n": np.isfinite(fab).sum(axis=0).astype(np.int64)})
    return out.set_index("parameter")


# ----------------------------------------------------------------------------------------------
# Main effects of a full factorial (grid) design, and response curves of any design


GRID_CITATION = ("main effects of a full factorial: level means of each parameter and the share "
                 "of the variance of the point means they explain (eta squared, first order)")


def _run_values_of(sweep: Sweep, metric: str, group: str,
                   variant: Optional[str]) -> pd.DataFrame:
    """One row per run (or run pair for "A-B"): point and value (NaN for failed runs)."""
    a, b = resolve_variant(sweep, variant)
    if b is None:
        runs = sweep.runs[sweep.runs["variant"] == a]
        return pd.DataFrame({"point": runs["point"].to_numpy(),
                             "value": _run_values(sweep, metric, group)[runs.index].to_numpy()})
    pairs = paired_difference(sweep, metric, group, a, b)
    return pd.DataFrame({"point": pairs["point"].to_numpy(),
                         "value": pairs["difference"].to_numpy()})


def main_effects(sweep: Sweep, metric: str, group: str,
                 variant: Optional[str] = None) -> pd.DataFrame:
    """For a ``grid`` sweep: per parameter the mean of METRIC.GROUP at each of its levels (over
    the other parameters' levels and the replications), ``effect`` = highest minus lowest level
    mean, and ``eta2`` = the variance of the level means (weighted by points) over the variance
    of all point means: the share of the response's variance the parameter explains alone, which
    in a full factorial is its first-order index. ``levels`` lists "value: mean" pairs.

    Returns one row per parameter (index: key path, the sweep file's order)."""
    _require(sweep, "grid", "main effects", _hint(sweep))
    y = point_values(sweep, metric, group, variant)["value"]
    finite = y.to_numpy()[np.isfinite(y.to_numpy())]
    total_var = float(finite.var()) if finite.size > 1 else np.nan
    rows = []
    for name in sweep.parameters:
        x = sweep.design[name]
        frame = pd.DataFrame({"x": x.to_numpy(), "y": y.to_numpy()}).dropna()
        means = frame.groupby("x")["y"].agg(["mean", "count"])
        if means.empty:
            rows.append({"parameter": name, "effect": np.nan, "eta2": np.nan, "n": 0,
                         "levels": ""})
            continue
        grand = float(frame["y"].mean())
        between = float(((means["mean"] - grand) ** 2 * means["count"]).sum() / means["count"].sum())
        rows.append({"parameter": name, "effect": float(means["mean"].max() - means["mean"].min()),
                     "eta2": between / total_var if total_var > 0 else np.nan,
                     "n": int(means["count"].sum()),
                     "levels": "; ".join(f"{lv:.6g}: {m:.6g}" for lv, m in means["mean"].items())})
    return pd.DataFrame(rows).set_index("parameter")


def response_curve(sweep: Sweep, metric: str, group: str, parameter: str,
                   variant: Optional[str] = None, bins: int = 8) -> pd.DataFrame:
    """METRIC.GROUP against one parameter: per value of the parameter (a grid's levels; for
    sampled designs ``bins`` equal-count bins of the values) the mean over the runs there and a
    95% t-interval across those runs (replications and, in a multi-parameter design, the other
    parameters' values). Columns: x, mean, ci_low, ci_high, runs."""
    from .compare import mean_interval

    if parameter not in sweep.parameters:
        raise ValueError(f"{sweep.path}: no design parameter {parameter!r} (parameters: "
                         f"{', '.join(sweep.parameters)})")
    runs = _run_values_of(sweep, metric, group, variant)
    x = sweep.design.set_index("point")[parameter].reindex(runs["point"]).to_numpy()
    frame = pd.DataFrame({"x": x, "value": runs["value"].to_numpy()}).dropna()
    if frame.empty:
        return pd.DataFrame(columns=["x", "mean", "ci_low", "ci_high", "runs"])
    levels = np.unique(frame["x"])
    if len(levels) > max(bins, 12):
        edges = np.unique(np.quantile(frame["x"], np.linspace(0, 1, bins + 1)))
        which = np.clip(np.searchsorted(edges, frame["x"], side="right") - 1, 0, len(edges) - 2)
        keys = [frame["x"][which == k].mean() for k in range(len(edges) - 1)]
        frame = frame.assign(x=np.asarray(keys)[which])
    rows = []
    for xv, d in frame.groupby("x"):
        m, lo, hi = mean_interval(d["value"])
        rows.append({"x": float(xv), "mean": m, "ci_low": lo, "ci_high": hi, "runs": len(d)})
    return pd.DataFrame(rows)


def sensitivity(sweep: Sweep, metric: str, group: str, variant: Optional[str] = None,
                bootstrap: int = 200, seed: int = 0) -> Tuple[str, pd.DataFrame]:
    """Morris, Sobol or grid main effects, by the sweep's design method: (citation line,
    table)."""
    if sweep.method == "grid":
        return GRID_CITATION, main_effects(sweep, metric, group, variant)
    if sweep.method == "morris":
        return MORRIS_CITATION, morris(sweep, metric, group, variant)
    if sweep.method == "saltelli":
        return (SOBOL_CITATION + f"; 95% bootstrap half-widths, {bootstrap} resamples",
                sobol_indices(sweep, metric, group, variant, bootstrap=bootstrap, seed=seed))
    raise ValueError(f"{sweep.path}: sensitivity analysis needs a 'morris' sweep (Morris "
                     f"elementary effects), a 'saltelli' sweep (Sobol indices) or a 'grid' sweep "
                     f"(main effects); this sweep's design method is {sweep.method!r}, whose "
                     f"parameters vary together: see its response curves in gigsim report")


#: The column that orders parameters by importance in each method's table.
IMPORTANCE = {"morris": "mu_star", "saltelli": "ST", "grid": "eta2"}


def by_importance(sweep: Sweep, table: pd.DataFrame) -> pd.DataFrame:
    """The table with the most influential parameter first (NaN last)."""
    key = IMPORTANCE.get(sweep.method)
    if key is None or key not in table:
        return table
    return table.sort_values(key, ascending=False, na_position="last")
