"""Sweep result files and sensitivity analysis (gigsim_analysis.sweep, the `sensitivity` and
`sweep-table` commands) on synthetic sweep files written here with h5py in the layout of
docs/sweeps.md ("The result file"): the responses are known functions of the design, so Morris
effects and Sobol indices have known values.

    build/release/analysis-env/bin/python3 -m pytest -q -p no:cacheprovider \
        analysis/tests/test_sweep.py
"""

import math
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli

from gigsim_analysis.sweep import (by_importance, load_sweep, main_effects, morris,
                                   paired_difference, point_values, response_curve,
                                   sensitivity, sobol_indices)

GROUPS = ["all", "platform_only", "coop_member"]
PARAMS = ["umbrella_coop.fee_rate", "training.course_cost", "platforms[0].take_rate"]
LOW = np.array([10.0, 0.0, -1.0])
HIGH = np.array([20.0, 1.0, 1.0])  # value ranges 10, 1, 2


# ----------------------------------------------------------------------------------------------
# Synthetic sweep files


def _strings(values):
    return np.array(list(values), dtype=h5py.string_dtype())


def write_synthetic_sweep(path, *, method, unit, values=None, parameters=PARAMS, trajectory=None,
                          step_parameter=None, saltelli_block=None, response=None,
                          replications=1, variants=("base",), failed=(), weeks=6,
                          file_type="gigsim-sweep", format_version=2, sweep_seed=1):
    """Writes a sweep result file in the layout of docs/sweeps.md.

    unit: (point, parameter) unit-cube coordinates; values default to LOW + unit * (HIGH - LOW).
    response(x, point, replication, variant_index) -> the run's income_cv for coop_member, with
    x the point's values; income_cv.all is half of it, income_cv.platform_only its negative,
    mean_monthly_income 1000 + it, workers the point index. failed: run indices recorded as
    failed (status 1, NaN metrics and series). Run index r = (point * replications +
    replication) * variants + variant; every variant of a (point, replication) gets the same
    seed. Categories (variant, status) are HDF5 enumerations and every group has its own
    coordinates, as the C++ writer (format 2) writes them. Returns path."""
    unit = np.asarray(unit, dtype=np.float64)
    n_points, k = unit.shape
    if values is None:
        values = LOW[:k] + unit * (HIGH[:k] - LOW[:k])
    if response is None:
        def response(x, point, rep, var):
            return float(x.sum())
    none = np.full(n_points, -1, dtype=np.int32)
    n_var = len(variants)
    n_runs = n_points * replications * n_var
    failed = set(failed)

    point = np.empty(n_runs, dtype=np.uint32)
    rep = np.empty(n_runs, dtype=np.uint32)
    var = np.empty(n_runs, dtype=np.uint32)
    seed = np.empty(n_runs, dtype=np.uint64)
    y = np.empty(n_runs)
    for p in range(n_points):
        for j in range(replications):
            for v in range(n_var):
                r = (p * replications + j) * n_var + v
                point[r], rep[r], var[r] = p, j, v
                seed[r] = (sweep_seed * 1_000_003 + p * 7919 + j * 104_729) % (1 << 63)
                y[r] = np.nan if r in failed else response(values[p], p, j, v)
    status = np.array([1 if r in failed else 0 for r in range(n_runs)], dtype=np.uint8)

    with h5py.File(path, "w") as f:
        # fixed-length byte strings here, variable-length strings elsewhere: both must decode
        f.attrs["file_type"] = np.bytes_(file_type)
        f.attrs["format_version"] = np.int32(format_version)
        f.attrs["gigsim_version"] = "0.0.0-test"
        f.attrs["git_commit"] = "0" * 40
        f.attrs["sweep_seed"] = np.uint64(sweep_seed)
        f.attrs["design_method"] = method
        f.attrs["points"] = np.uint32(n_points)
        f.attrs["replications"] = np.uint32(replications)
        f.attrs["variants"] = np.uint32(n_var)
        f.attrs["runs"] = np.uint32(n_runs)
        f.attrs["failed_runs"] = np.uint32(len(failed))
        f.attrs["sweep_yaml"] = "base: base.yaml\n"
        f.attrs["base_scenario"] = "name: base\n"

        d = f.create_group("design")
        d["parameter"] = _strings(parameters)
        d["parameter_units"] = _strings(["share", "EUR/course", "share"][:len(parameters)] +
                                        ["1"] * max(0, len(parameters) - 3))
        d["values"] = np.asarray(values, dtype=np.float64)
        d["unit"] = unit
        d["trajectory"] = none if trajectory is None else np.asarray(trajectory, np.int32)
        d["step_parameter"] = none if step_parameter is None else np.asarray(step_parameter,
                                                                             np.int32)
        d["saltelli_block"] = none if saltelli_block is None else np.asarray(saltelli_block,
                                                                             np.int32)
        f.attrs["variant_names"] = list(variants)
        g = f.create_group("runs")
        g["point"], g["replication"], g["seed"] = point, rep, seed
        g.create_dataset("variant", data=var,
                         dtype=h5py.enum_dtype({v: i for i, v in enumerate(variants)},
                                               basetype="u4"))
        g["identity"] = np.array([f"{r:032x}".encode() for r in range(n_runs)], dtype="S32")
        g.create_dataset("status", data=status,
                         dtype=h5py.enum_dtype({"ok": 0, "failed": 1}, basetype="u1"))
        g["message"] = _strings("scenario rejected: fee_rate > 1" if r in failed else ""
                                for r in range(n_runs))

        m = f.create_group("metrics")
        m["group"] = _strings(GROUPS)
        m["group"].make_scale("group")
        m["income_cv"] = np.stack([0.5 * y, -y, y], axis=1)
        m["mean_monthly_income"] = np.stack([1000 + y] * 3, axis=1)
        m["workers"] = np.where(np.isnan(y), np.nan, point.astype(np.float64))[:, None] * [1, 1, 1]

        s = f.create_group("series")
        run = s.create_dataset("run", data=np.arange(n_runs, dtype=np.uint64))
        run.make_scale("run")
        week = s.create_dataset("week", data=np.arange(weeks, dtype=np.uint32))
        week.make_scale("week")
        pay = np.arange(n_runs)[:, None] * 10.0 + np.arange(weeks)[None, :]
        pay[status == 1] = np.nan
        s["worker_net_pay"] = pay
        s["worker_net_pay"].attrs["units"] = "EUR"
        s["worker_net_pay"].dims[0].attach_scale(run)
        s["worker_net_pay"].dims[1].attach_scale(week)
        s["worker_net_pay"].attrs["long_name"] = "net pay to workers"
    return path


def morris_design(r=6, k=3, p=4, seed=11):
    """r trajectories of k one-at-a-time steps of Δ = p / (2 (p - 1)) on the p-level grid, each
    from a random base point, in a random parameter order; a coordinate at a low level steps up,
    one at a high level steps down (so both signs occur)."""
    rng = np.random.default_rng(seed)
    delta = p / (2 * (p - 1))
    levels = np.arange(p) / (p - 1)
    unit, traj, step = [], [], []
    for t in range(r):
        x = rng.choice(levels, size=k)
        unit.append(x.copy())
        traj.append(t)
        step.append(-1)
        for i in rng.permutation(k):
            x[i] = x[i] + delta if x[i] + delta <= 1 + 1e-12 else x[i] - delta
            unit.append(x.copy())
            traj.append(t)
            step.append(i)
    return np.array(unit), np.array(traj), np.array(step)


def saltelli_design(n, k, seed=5, interleave=True):
    """Unit coordinates and blocks of a Saltelli design from random A and B (n base samples).
    interleave: points ordered per base sample (A_k, AB_0k, ..., B_k), as SALib does; else
    block after block (A, B, AB_0, ...). Within each block, base-sample order either way."""
    rng = np.random.default_rng(seed)
    a, b = rng.random((n, k)), rng.random((n, k))
    blocks = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    if interleave:
        order = [0] + list(range(2, k + 2)) + [1]
        unit = np.stack([blocks[j] for j in order], axis=1).reshape(-1, k)
        block = np.tile(order, n)
    else:
        unit = np.concatenate(blocks)
        block = np.repeat(np.arange(k + 2), n)
    return unit, block


def linear(x, point, rep, var):
    return 2 * x[0] + 0 * x[1] + 5 * x[2]


@pytest.fixture
def morris_file(tmp_path):
    unit, traj, step = morris_design()
    return write_synthetic_sweep(tmp_path / "morris.h5", method="morris", unit=unit,
                                 trajectory=traj, step_parameter=step, response=linear)


# ----------------------------------------------------------------------------------------------
# Reading


def test_load_sweep_tables(tmp_path):
    unit, traj, step = morris_design()
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, replications=2,
                                 variants=("platforms_only", "umbrella_coop"), failed={5})
    sw = load_sweep(path)
    assert sw.method == "morris"
    assert sw.parameters == PARAMS
    assert sw.variants == ["platforms_only", "umbrella_coop"]
    assert sw.groups == GROUPS
    assert sw.metrics == ["workers", "mean_monthly_income", "income_cv"]
    n_points = len(unit)
    assert sw.points == n_points and sw.replications == 2
    assert list(sw.design.columns) == ["point", *PARAMS, "trajectory", "step_parameter",
                                       "saltelli_block"]
    np.testing.assert_array_equal(sw.design["step_parameter"], step)
    np.testing.assert_array_equal(sw.unit.to_numpy(), unit)

    runs = sw.runs
    assert len(runs) == n_points * 2 * 2
    assert list(runs.columns[:8]) == ["run", "point", "replication", "variant", "seed",
                                      "identity", "status", "message"]
    for name in PARAMS:
        assert name in runs.columns
    for m in sw.metrics:
        for g in GROUPS:
            assert f"{m}.{g}" in runs.columns
    # r = (point * replications + replication) * variants + variant
    r = 13
    row = runs.iloc[r]
    assert (row["point"], row["replication"], row["variant"]) == (3, 0, "umbrella_coop")
    assert row["identity"] == f"{r:032x}" and isinstance(row["identity"], str)
    np.testing.assert_allclose(row[PARAMS].to_numpy(dtype=float),
                               LOW + unit[3] * (HIGH - LOW))
    assert row["income_cv.coop_member"] == pytest.approx(sum(LOW + unit[3] * (HIGH - LOW)))
    assert row["income_cv.platform_only"] == pytest.approx(-row["income_cv.coop_member"])
    # variants of one (point, replication) share the seed
    assert runs.iloc[12]["seed"] == runs.iloc[13]["seed"] != runs.iloc[14]["seed"]
    failed = runs.iloc[5]
    assert failed["status"] == 1 and "rejected" in failed["message"]
    assert math.isnan(failed["income_cv.coop_member"])
    assert runs.iloc[4]["message"] == ""


def test_series_dims_and_coords(tmp_path):
    unit, traj, step = morris_design(r=2)
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, replications=2, failed={3}, weeks=7)
    sw = load_sweep(path)
    assert sw.series_columns == ["worker_net_pay"]
    da = sw.series("worker_net_pay")
    assert da.dims == ("run", "week")
    assert da.shape == (len(sw.runs), 7)
    np.testing.assert_array_equal(da["week"], np.arange(7))
    np.testing.assert_array_equal(da["run"], np.arange(len(sw.runs)))
    np.testing.assert_array_equal(da["point"], sw.runs["point"])
    assert da.attrs == {"units": "EUR", "long_name": "net pay to workers"}
    assert float(da.sel(run=4, week=2)) == 42.0
    assert np.isnan(da.sel(run=3)).all()
    with pytest.raises(ValueError, match="no series 'nope'"):
        sw.series("nope")


def test_parameter_units(tmp_path):
    unit, traj, step = morris_design(r=1)
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step)
    sw = load_sweep(path)
    assert sw.parameter_units == dict(zip(PARAMS, ["share", "EUR/course", "share"]))


def test_wrong_file_type_names_file(tmp_path):
    unit, traj, step = morris_design(r=1)
    bad = write_synthetic_sweep(tmp_path / "not_a_sweep.h5", method="morris", unit=unit,
                                trajectory=traj, step_parameter=step, file_type="gigsim-run")
    with pytest.raises(ValueError, match=r"not_a_sweep\.h5: not a gigsim sweep file "
                                         r"\(file_type='gigsim-run'"):
        load_sweep(bad)
    newer = write_synthetic_sweep(tmp_path / "v3.h5", method="morris", unit=unit,
                                  trajectory=traj, step_parameter=step, format_version=3)
    with pytest.raises(ValueError, match=r"v3\.h5: .*format version 3"):
        load_sweep(newer)
    with pytest.raises(OSError, match="plain.txt"):
        (tmp_path / "plain.txt").write_text("not hdf5")
        load_sweep(tmp_path / "plain.txt")


# ----------------------------------------------------------------------------------------------
# Morris


def test_morris_linear_exact(morris_file):
    sw = load_sweep(morris_file)
    unit, step = sw.unit.to_numpy(), sw.design["step_parameter"].to_numpy()
    deltas = [unit[j, step[j]] - unit[j - 1, step[j]] for j in range(len(step)) if step[j] >= 0]
    assert np.allclose(np.abs(deltas), 2 / 3)
    assert min(deltas) < 0 < max(deltas), "the design must have steps in both directions"

    table = morris(sw, "income_cv", "coop_member")
    assert list(table.index) == PARAMS
    # y = 2 x1 + 0 x2 + 5 x3: per unit coordinate, coefficient x value range
    expect = np.array([2, 0, 5]) * (HIGH - LOW)
    np.testing.assert_allclose(table["mu_star"], expect, rtol=1e-12, atol=1e-9)
    # signed Δ: a step down gives the same effect as a step up (mu == mu* for a linear model)
    np.testing.assert_allclose(table["mu"], expect, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(table["sigma"], 0, atol=1e-9)
    assert list(table["n"]) == [6, 6, 6]
    # another group of the same file: income_cv.platform_only is -y
    neg = morris(sw, "income_cv", "platform_only")
    np.testing.assert_allclose(neg["mu"], -expect, atol=1e-9)
    np.testing.assert_allclose(neg["mu_star"], expect, atol=1e-9)


def test_morris_interaction_hand_computed(tmp_path):
    # One trajectory, y = u1 * u2 (values = unit coordinates): effects by hand.
    unit = np.array([[0.0, 1.0], [2 / 3, 1.0], [2 / 3, 1 / 3]])
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, values=unit,
                                 parameters=["a", "b"], trajectory=[0, 0, 0],
                                 step_parameter=[-1, 0, 1],
                                 response=lambda x, p, r, v: x[0] * x[1])
    table = morris(load_sweep(path), "income_cv", "coop_member")
    # step 1: a 0 -> 2/3 at b = 1: (2/3 - 0) / (2/3) = 1
    # step 2: b 1 -> 1/3 at a = 2/3: (2/9 - 2/3) / (-2/3) = 2/3
    np.testing.assert_allclose(table["mu"], [1.0, 2 / 3], rtol=1e-12)
    assert table["sigma"].isna().all()  # one effect each: no standard deviation


def test_replications_are_averaged(tmp_path):
    unit, traj, step = morris_design()
    noise = {0: 0.25, 1: -0.25, 2: 0.125}

    def noisy(x, point, rep, var):
        return linear(x, point, rep, var) + noise[rep] - 0.125 / 3

    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, response=noisy, replications=3)
    sw = load_sweep(path)
    pv = point_values(sw, "income_cv", "coop_member")
    runs = sw.runs
    by_hand = runs.groupby("point")["income_cv.coop_member"].mean()
    np.testing.assert_allclose(pv["value"], by_hand, rtol=1e-12)
    assert (pv["n"] == 3).all()
    exact = [linear(x, 0, 0, 0) for x in sw.design[PARAMS].to_numpy()]
    np.testing.assert_allclose(pv["value"], exact, rtol=1e-12, atol=1e-12)
    table = morris(sw, "income_cv", "coop_member")
    np.testing.assert_allclose(table["mu_star"], np.array([2, 0, 5]) * (HIGH - LOW), atol=1e-9)


def test_failed_runs_are_skipped_not_propagated(tmp_path):
    unit, traj, step = morris_design()
    reps = 2
    # point 3: one replication failed; point 9: both failed (its steps are skipped)
    failed = {3 * reps + 1, 9 * reps, 9 * reps + 1}
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, response=linear, replications=reps,
                                 failed=failed)
    sw = load_sweep(path)
    pv = point_values(sw, "income_cv", "coop_member")
    assert pv.loc[3, "n"] == 1 and np.isfinite(pv.loc[3, "value"])
    assert pv.loc[9, "n"] == 0 and np.isnan(pv.loc[9, "value"])
    assert pv["value"].drop(index=9).notna().all()

    table = morris(sw, "income_cv", "coop_member")
    np.testing.assert_allclose(table["mu_star"], np.array([2, 0, 5]) * (HIGH - LOW), atol=1e-9)
    # point 9 is inside trajectory 2 (points 8..11: k + 1 = 4 per trajectory): steps 8 -> 9 and
    # 9 -> 10 are skipped, and only those
    assert (traj[8:12] == 2).all() and step[8] == -1
    expect_n = [6, 6, 6]
    expect_n[step[9]] -= 1
    expect_n[step[10]] -= 1
    assert list(table["n"]) == expect_n


def test_morris_on_wrong_method_says_which(tmp_path):
    unit, block = saltelli_design(8, 3)
    path = write_synthetic_sweep(tmp_path / "s.h5", method="saltelli", unit=unit,
                                 saltelli_block=block)
    with pytest.raises(ValueError, match=r"s\.h5: Morris .*needs a 'morris' sweep.*'saltelli'"):
        morris(load_sweep(path), "income_cv", "all")


def test_variants_must_be_chosen_and_pair_on_seeds(tmp_path):
    unit, traj, step = morris_design()

    def resp(x, point, rep, var):
        common = np.sin(point * 12.9898 + rep * 78.233) * 3  # per (point, replication) noise
        return 2 * x[0] + common + var * (0.5 * x[2])  # the coop adds 0.5 x3

    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, response=resp, replications=2,
                                 variants=("platforms_only", "umbrella_coop"))
    sw = load_sweep(path)
    with pytest.raises(ValueError, match="platforms_only.*umbrella_coop"):
        morris(sw, "income_cv", "coop_member")
    with pytest.raises(ValueError, match="no variant 'coop'"):
        morris(sw, "income_cv", "coop_member", variant="coop")

    pairs = paired_difference(sw, "income_cv", "coop_member", "umbrella_coop", "platforms_only")
    assert len(pairs) == len(unit) * 2
    assert (sw.runs.loc[pairs["run_a"], "seed"].to_numpy() == pairs["seed"].to_numpy()).all()
    np.testing.assert_allclose(pairs["difference"], 0.5 * pairs[PARAMS[2]], atol=1e-12)

    diff = morris(sw, "income_cv", "coop_member", variant="umbrella_coop-platforms_only")
    np.testing.assert_allclose(diff["mu_star"], [0, 0, 0.5 * (HIGH - LOW)[2]], atol=1e-9)
    one = morris(sw, "income_cv", "coop_member", variant="platforms_only")
    assert one.loc[PARAMS[0], "mu_star"] > 0 and one.loc[PARAMS[1], "mu_star"] > 0  # noise


# ----------------------------------------------------------------------------------------------
# Sobol


def ishigami(x, point, rep, var, a=7.0, b=0.1):
    return math.sin(x[0]) + a * math.sin(x[1]) ** 2 + b * x[2] ** 4 * math.sin(x[0])


def test_sobol_ishigami(tmp_path):
    unit, block = saltelli_design(20000, 3, interleave=True)
    values = -math.pi + 2 * math.pi * unit
    path = write_synthetic_sweep(tmp_path / "ishigami.h5", method="saltelli", unit=unit,
                                 values=values, saltelli_block=block, response=ishigami)
    table = sobol_indices(load_sweep(path), "income_cv", "coop_member", bootstrap=100)
    assert list(table.index) == PARAMS
    # analytic values (Ishigami & Homma 1990; a = 7, b = 0.1)
    np.testing.assert_allclose(table["S1"], [0.314, 0.442, 0.0], atol=0.03)
    np.testing.assert_allclose(table["ST"], [0.558, 0.442, 0.244], atol=0.03)
    assert (table["S1_ci95"] > 0).all() and (table["S1_ci95"] < 0.1).all()
    assert (table["ST_ci95"] > 0).all() and (table["ST_ci95"] < 0.1).all()
    assert (table["n"] == 20000).all()


def test_sobol_additive_first_equals_total(tmp_path):
    unit, block = saltelli_design(5000, 3, interleave=False)
    path = write_synthetic_sweep(tmp_path / "add.h5", method="saltelli", unit=unit,
                                 values=unit, saltelli_block=block, replications=2,
                                 response=lambda x, p, r, v: x[0] + 2 * x[1] + 3 * x[2])
    sw = load_sweep(path)
    table = sobol_indices(sw, "income_cv", "coop_member", bootstrap=50, seed=3)
    np.testing.assert_allclose(table["S1"], table["ST"], atol=0.03)
    np.testing.assert_allclose(table["ST"], np.array([1, 4, 9]) / 14, atol=0.03)
    # reproducible intervals for a given seed, different for another
    again = sobol_indices(sw, "income_cv", "coop_member", bootstrap=50, seed=3)
    pd.testing.assert_frame_equal(table, again)
    other = sobol_indices(sw, "income_cv", "coop_member", bootstrap=50, seed=4)
    assert not np.allclose(table["S1_ci95"], other["S1_ci95"], rtol=1e-12, atol=0)
    with pytest.raises(ValueError, match=r"Sobol .*needs a 'saltelli' sweep.*'morris'"):
        unit_m, traj, step = morris_design(r=1)
        sobol_indices(load_sweep(write_synthetic_sweep(
            tmp_path / "m.h5", method="morris", unit=unit_m, trajectory=traj,
            step_parameter=step)), "income_cv", "all")


def test_sobol_skips_failed_runs_and_checks_blocks(tmp_path):
    n, k = 2000, 3
    unit, block = saltelli_design(n, k, interleave=True)
    failed = {0, 7, 23, 401}  # one run per point: these points have no value
    path = write_synthetic_sweep(tmp_path / "s.h5", method="saltelli", unit=unit, values=unit,
                                 saltelli_block=block, failed=failed,
                                 response=lambda x, p, r, v: x[0] + 2 * x[1] + 3 * x[2])
    table = sobol_indices(load_sweep(path), "income_cv", "coop_member", bootstrap=20)
    assert table[["S1", "ST", "S1_ci95", "ST_ci95"]].notna().all().all()
    assert (table["n"] <= n).all() and (table["n"] >= n - len(failed)).all()
    np.testing.assert_allclose(table["ST"], np.array([1, 4, 9]) / 14, atol=0.06)

    # blocks whose unit coordinates do not match A / B / AB_i are refused
    shuffled = block.copy()
    shuffled[[2, 3]] = shuffled[[3, 2]]
    bad = write_synthetic_sweep(tmp_path / "bad.h5", method="saltelli", unit=unit,
                                saltelli_block=shuffled)
    with pytest.raises(ValueError, match=r"bad\.h5: Saltelli block"):
        sobol_indices(load_sweep(bad), "income_cv", "all")


# ----------------------------------------------------------------------------------------------
# Grid designs: main effects and response curves


def grid_design(levels_a=(0.0, 0.5, 1.0), levels_b=(0.0, 1.0)):
    """Full factorial, the first parameter varying slowest, as the C++ grid design does."""
    values = np.array([[a, b, 0.0] for a in levels_a for b in levels_b])
    return values


def test_main_effects_of_an_additive_grid(tmp_path):
    values = grid_design()
    path = write_synthetic_sweep(tmp_path / "g.h5", method="grid",
                                 unit=np.full(values.shape, np.nan), values=values,
                                 replications=2,
                                 response=lambda x, p, r, v: 2 * x[0] + 3 * x[1])
    sw = load_sweep(path)
    table = main_effects(sw, "income_cv", "coop_member")
    assert list(table.index) == PARAMS
    # level means: a in {0, 0.5, 1} -> 2a + 1.5; b in {0, 1} -> 3b + 1
    assert table.loc[PARAMS[0], "effect"] == pytest.approx(2.0)
    assert table.loc[PARAMS[1], "effect"] == pytest.approx(3.0)
    assert table.loc[PARAMS[2], "effect"] == pytest.approx(0.0)
    # additive and balanced: the shares of variance add up to 1 (var 2a = 2/3, var 3b = 9/4)
    total = 4 * np.var([0, 0.5, 1]) + 9 * np.var([0, 1])
    assert table.loc[PARAMS[0], "eta2"] == pytest.approx(4 * np.var([0, 0.5, 1]) / total)
    assert table.loc[PARAMS[1], "eta2"] == pytest.approx(9 * np.var([0, 1]) / total)
    assert table["eta2"].sum() == pytest.approx(1.0)
    assert "0.5: 2.5" in table.loc[PARAMS[0], "levels"]
    # most influential first: b, then a
    assert list(by_importance(sw, table).index[:2]) == [PARAMS[1], PARAMS[0]]
    citation, same = sensitivity(sw, "income_cv", "coop_member")
    assert "main effects" in citation
    pd.testing.assert_frame_equal(table, same)

    curve = response_curve(sw, "income_cv", "coop_member", PARAMS[0])
    assert list(curve["x"]) == [0.0, 0.5, 1.0]
    np.testing.assert_allclose(curve["mean"], [1.5, 2.5, 3.5])
    assert (curve["runs"] == 4).all()  # 2 levels of b x 2 replications
    assert (curve["ci_low"] < curve["mean"]).all() and (curve["mean"] < curve["ci_high"]).all()
    with pytest.raises(ValueError, match="main effects needs a 'grid' sweep"):
        unit_m, traj, step = morris_design(r=1)
        main_effects(load_sweep(write_synthetic_sweep(
            tmp_path / "m.h5", method="morris", unit=unit_m, trajectory=traj,
            step_parameter=step)), "income_cv", "all")


def test_sensitivity_refuses_designs_without_indices(tmp_path):
    values = grid_design()
    path = write_synthetic_sweep(tmp_path / "lhs.h5", method="lhs",
                                 unit=np.full(values.shape, 0.5), values=values)
    with pytest.raises(ValueError, match="'lhs'.*response curves"):
        sensitivity(load_sweep(path), "income_cv", "all")


# ----------------------------------------------------------------------------------------------
# Command line


def test_cli_sensitivity_morris_table(morris_file, tmp_path):
    out_csv = tmp_path / "morris.csv"
    proc = run_cli(["sensitivity", str(morris_file), "--metric", "income_cv", "--group",
                    "coop_member", "--csv", str(out_csv)])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "Morris (1991)" in lines[0] and "Campolongo" in lines[0]
    for name in PARAMS:
        assert name in proc.stdout
    for col in ("mu", "mu_star", "sigma"):
        assert col in proc.stdout
    table = pd.read_csv(out_csv, index_col="parameter")
    # most influential first: mu* = 5 x 2, 2 x 10, 0
    assert list(table.index) == [PARAMS[0], PARAMS[2], PARAMS[1]]
    np.testing.assert_allclose(table["mu_star"], [20, 10, 0], atol=1e-9)
    assert "most influential first" in proc.stdout


def test_cli_sensitivity_sobol_table(tmp_path):
    unit, block = saltelli_design(300, 3)
    path = write_synthetic_sweep(tmp_path / "s.h5", method="saltelli", unit=unit,
                                 saltelli_block=block, variants=("a", "b"))
    proc = run_cli(["sensitivity", str(path), "--metric", "income_cv", "--group", "all",
                    "--variant", "b", "--bootstrap", "20"])
    assert proc.returncode == 0, proc.stderr
    assert "Saltelli et al. 2010" in proc.stdout and "Jansen 1999" in proc.stdout
    for word in PARAMS + ["S1", "S1_ci95", "ST", "ST_ci95"]:
        assert word in proc.stdout


def test_cli_bad_inputs_exit_2(morris_file, tmp_path):
    unit, traj, step = morris_design(r=1)
    bad = write_synthetic_sweep(tmp_path / "wrong_type.h5", method="morris", unit=unit,
                                trajectory=traj, step_parameter=step, file_type="gigsim-run")
    for cmd in (["sensitivity", str(bad), "--metric", "income_cv"], ["sweep-table", str(bad)]):
        proc = run_cli(cmd)
        assert proc.returncode == 2, (proc.returncode, proc.stderr)
        assert "wrong_type.h5" in proc.stderr and "not a gigsim sweep file" in proc.stderr
    proc = run_cli(["sensitivity", str(morris_file), "--metric", "income_cvv"])
    assert proc.returncode == 2 and "income_cvv" in proc.stderr
    assert "mean_monthly_income" in proc.stderr  # the message lists the metrics
    proc = run_cli(["sensitivity", str(morris_file), "--metric", "income_cv", "--group", "x"])
    assert proc.returncode == 2 and "coop_member" in proc.stderr
    proc = run_cli(["sensitivity", str(tmp_path / "missing.h5"), "--metric", "income_cv"])
    assert proc.returncode == 2 and "missing.h5" in proc.stderr
    proc = run_cli(["sensitivity", str(morris_file)])  # --metric is required
    assert proc.returncode == 2


def test_cli_sweep_table(tmp_path):
    unit, traj, step = morris_design(r=2)
    path = write_synthetic_sweep(tmp_path / "s.h5", method="morris", unit=unit, trajectory=traj,
                                 step_parameter=step, replications=2, failed={1},
                                 variants=("platforms_only", "umbrella_coop"))
    out = tmp_path / "runs.csv"
    proc = run_cli(["sweep-table", str(path), "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out)
    assert len(table) == len(unit) * 2 * 2
    assert {"run", "point", "replication", "variant", "seed", "identity", "status",
            "message", *PARAMS, "income_cv.coop_member", "workers.all"} <= set(table.columns)
    assert set(table["variant"]) == {"platforms_only", "umbrella_coop"}
    assert table.loc[1, "status"] == 1 and np.isnan(table.loc[1, "income_cv.all"])
    stdout = run_cli(["sweep-table", str(path)])
    assert stdout.returncode == 0 and stdout.stdout.startswith("run,point,replication,variant,")


def test_real_gigsim_morris_sweep_end_to_end(tmp_path):
    """gigsim sweep writes a Morris sweep that load_sweep, morris() and the CLI read."""
    from conftest import SOURCE_DIR, gigsim_exe

    sweep_yaml = tmp_path / "morris.yaml"
    sweep_yaml.write_text(
        f"base: {SOURCE_DIR}/scenarios/with_umbrella_coop.yaml\n"
        "seed: 2\n"
        "set: {run.weeks: 56, workers.count: 800, output.panel: none}\n"
        "design: {method: morris, trajectories: 3, levels: 4}\n"
        "parameters:\n"
        "  umbrella_coop.fee_rate: {min: 0.03, max: 0.12}\n"
        "  workers.hours_budget_mean: {min: 15, max: 40}\n")
    out = tmp_path / "morris.h5"
    proc = subprocess.run([gigsim_exe(), "sweep", str(sweep_yaml), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    sw = load_sweep(str(out))
    assert sw.method == "morris"
    assert len(sw.runs) == 3 * 3 and (sw.runs["status"] == 0).all()
    table = morris(sw, "mean_monthly_income", "all")
    assert list(table.index) == ["umbrella_coop.fee_rate", "workers.hours_budget_mean"]
    # More hours to sell raise income far more than the cooperative's fee changes it.
    assert table.loc["workers.hours_budget_mean", "mu_star"] > \
        table.loc["umbrella_coop.fee_rate", "mu_star"]
    assert sw.series("worker_net_pay").dims == ("run", "week")
    cli = run_cli(["sensitivity", str(out), "--metric", "income_cv", "--group", "coop_member"])
    assert cli.returncode == 0, cli.stderr
    assert "workers.hours_budget_mean" in cli.stdout and "Morris" in cli.stdout
