"""Tidy loading, per-run metrics and scenario comparison on real gigsim run files."""

import math
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr

from gigsim_analysis.compare import compare, t_quantile
from gigsim_analysis.io import open_run
from gigsim_analysis.tidy import METRICS, load_runs, load_series, run_metrics, panel_monthly

N_WORKERS, WEEKS = 1500, 60


def test_load_runs_shape_and_columns(all_files):
    df = load_runs(all_files)
    assert len(df) == len(all_files) * N_WORKERS
    for col in ["file", "scenario", "scenario_hash", "label", "seed", "complete", "worker",
                "group", *METRICS, "training_hours_12m", "training_payer", "training_payer_name"]:
        assert col in df.columns, col
    assert set(df["scenario"]) == {"baseline", "with_umbrella_coop"}
    assert sorted(df["seed"].unique()) == [1, 2, 3]
    assert set(df.loc[df["scenario"] == "baseline", "group"]) == {"platform_only"}
    assert set(df.loc[df["scenario"] == "with_umbrella_coop", "group"]) == {"platform_only",
                                                                           "coop_member"}
    per_file = df.groupby("file")["worker"].agg(["count", "nunique"])
    assert (per_file["count"] == N_WORKERS).all() and (per_file["nunique"] == N_WORKERS).all()


def test_load_series_long_table(all_files):
    s = load_series(all_files)
    assert list(s.columns) == ["file", "scenario", "scenario_hash", "label", "seed", "complete",
                               "step", "variable", "value", "units"]
    nvars = s["variable"].nunique()
    assert nvars >= 10 and "worker_net_pay" in set(s["variable"])
    assert len(s) == len(all_files) * WEEKS * nvars
    assert s.groupby(["file", "variable"])["step"].nunique().eq(WEEKS).all()
    assert (s.loc[s["variable"] == "client_paid", "units"] == "EUR").all()


def test_run_metrics_one_row_per_file_and_group(all_files):
    rm = run_metrics(all_files)
    # baseline: all + platform_only; coop scenario: all + platform_only + coop_member
    assert len(rm) == 3 * 2 + 3 * 3
    assert not rm.duplicated(["file", "group"]).any()
    assert rm.loc[rm["group"] == "all", "workers"].eq(N_WORKERS).all()
    assert rm["trained_last_12m"].between(0, 1).all()
    # agrees with the group table the simulator wrote (/summary/groups)
    for path in all_files:
        run = open_run(path)
        for i, name in enumerate(run.groups["group"]):
            if run.groups["workers"][i] == 0:
                continue
            row = rm[(rm["file"] == path) & (rm["group"] == name)].iloc[0]
            for m in METRICS:
                assert row[m] == pytest.approx(run.groups[m][i], rel=1e-5), (path, name, m)


def test_panel_monthly(all_files):
    pm = panel_monthly(all_files)
    assert {"all", "platform_only"} <= set(pm["group"])
    assert pm.loc[pm["group"] == "all", "n"].gt(0).all()


def test_paired_comparison_has_finite_intervals(all_files):
    table = compare(run_metrics(all_files), baseline="baseline")
    rows = table[table["group"].isin(["all", "platform_only"])]
    assert len(rows) == 2 * len(METRICS)
    assert (rows["method"] == "paired").all()
    assert rows["note"].str.contains("paired").all()
    assert np.isfinite(rows[["difference", "ci_low", "ci_high"]].to_numpy()).all()
    assert (rows["ci_low"] <= rows["difference"]).all() and (rows["difference"] <= rows["ci_high"]).all()
    assert (rows["df"] == 2).all()
    coop = table[table["group"] == "coop_member"]
    assert (coop["method"] == "missing").all() and coop["difference"].isna().all()


def test_difference_with_itself_is_zero(all_files):
    rm = run_metrics(all_files)
    base = rm[rm["scenario"] == "baseline"]
    copy = base.assign(scenario="baseline_again", file=base["file"] + "#copy")
    table = compare(pd.concat([base, copy]), baseline="baseline")
    assert (table["difference"] == 0.0).all()
    assert (table["ci_low"] == 0.0).all() and (table["ci_high"] == 0.0).all()
    assert (table["method"] == "paired").all()


def test_unpaired_and_single_run(all_files):
    rm = run_metrics(all_files)
    shifted = rm.copy()
    shifted.loc[shifted["scenario"] == "with_umbrella_coop", "seed"] += 100
    t = compare(shifted, baseline="baseline")
    assert (t.loc[t["group"] == "all", "method"] == "welch").all()
    assert np.isfinite(t.loc[t["group"] == "all", ["ci_low", "ci_high"]].to_numpy()).all()
    one = rm[rm["seed"] == 1]
    t1 = compare(one, baseline="baseline")
    all_rows = t1[t1["group"] == "all"]
    assert (all_rows["method"] == "single run").all()
    assert all_rows["ci_low"].isna().all() and np.isfinite(all_rows["difference"]).all()
    with pytest.raises(ValueError, match="nope"):
        compare(rm, baseline="nope")


def test_money_is_eur_in_series_and_panel(all_files):
    # The flows balance in EUR as they do in cents in the engine (docs/output-format.md).
    run = open_run(all_files[3])
    s = run.series
    assert run.units["series/client_paid"] == "EUR" and run.units["panel/net_income"] == "EUR"
    cents = np.round(s["client_paid"] * 100)
    assert np.array_equal(cents / 100, s["client_paid"])  # whole cents, exactly recoverable
    inflow = s["client_paid"] + s["sharing_charges"] + s["wise_sales"] + s["wise_contracts"] + \
        s["wise_subsidy"]
    stocks = sum(s[k] for k in ["escrow_balance", "guarantee_fund_balance",
                                "training_fund_balance", "salary_accounts_balance",
                                "platform_coop_balance", "sharing_fund_balance", "wise_capital"])
    outflow = s["worker_net_pay"] + s["platform_commission"] + s["coop_fee_retained"] + \
        s["training_fund_spent"] + s["platform_coop_costs"] + s["sharing_training_spent"] + \
        s["wise_supervision_costs"] + s["wise_training_spent"]
    # from week 1 on: week 0 starts from the initial funds, which the series do not hold
    residual = (inflow - outflow)[1:] - np.diff(stocks)
    assert np.abs(residual).max() < 1e-6 * max(1.0, float(np.abs(inflow).max()))


def test_categories_are_enums_with_names(all_files):
    with h5py.File(all_files[3], "r") as f:
        assert h5py.check_enum_dtype(f["workers/group"].dtype)["coop_member"] == 1
        assert h5py.check_enum_dtype(f["panel/training_payer"].dtype)["public"] == 4
        assert f["workers/group"].attrs["flag_meanings"].split()[:2] == ["platform_only",
                                                                        "coop_member"]
    names = set(load_runs(all_files[3])["training_payer_name"])
    assert names <= {"none", "self", "cooperative", "employer", "public"} and names


def test_t_quantile_matches_tables():
    for df, ref in [(1, 12.7062047), (2, 4.3026527), (4, 2.7764451), (9, 2.2621572),
                    (29, 2.0452296), (120, 1.9799304)]:
        assert t_quantile(0.975, df) == pytest.approx(ref, abs=1e-6)
    assert t_quantile(0.025, 4) == pytest.approx(-2.7764451, abs=1e-6)
    assert t_quantile(0.975, math.inf) == pytest.approx(1.959964, abs=1e-6)
    assert 2.5706 < t_quantile(0.975, 4.5) < 2.7764  # non-integer df (Welch) lies between


def _copy_with(src, dst, **attrs):
    shutil.copyfile(src, dst)
    with h5py.File(dst, "r+") as f:
        for k, v in attrs.items():
            f.attrs[k] = v
    return dst


def test_type_and_version_errors_name_the_file(all_files, tmp_path):
    wrong_type = _copy_with(all_files[0], tmp_path / "wrong_type.h5", file_type="other")
    wrong_version = _copy_with(all_files[0], tmp_path / "wrong_version.h5",
                               format_version=np.int32(3))
    with pytest.raises(ValueError, match="wrong_type.h5: not a gigsim run file"):
        load_runs([all_files[1], str(wrong_type)])
    with pytest.raises(ValueError, match="wrong_version.h5: .*format version 3"):
        run_metrics([str(wrong_version)])
    with pytest.raises(ValueError, match="wrong_version.h5"):
        load_series([all_files[0], str(wrong_version)])


@pytest.mark.parametrize("group,dims", [("series", {"step"}), ("panel", {"month"}),
                                        ("workers", set()), ("summary/groups", {"group"})])
def test_xarray_opens_groups_with_named_dims(all_files, group, dims):
    with xr.open_dataset(all_files[3], engine="h5netcdf", group=group, phony_dims="access") as ds:
        # Hours are plain numbers (units hours/week, hours/month), not decoded as time spans.
        for name, var in ds.data_vars.items():
            assert var.dtype.kind in "iufbO", (name, var.dtype)
        assert len(ds.data_vars) > 0
        assert not any(d.startswith("phony_dim") for d in ds.dims), ds.dims
        assert dims <= set(ds.dims)
        if group == "panel":
            assert ds["net_income"].dims[0] == "month" and ds["net_income"].ndim == 2
        if group == "workers":
            assert ds["income_cv"].sizes[ds["income_cv"].dims[0]] == N_WORKERS
            assert ds.attrs["months_observed"] == 12
        if group == "series":
            assert ds.sizes["step"] == WEEKS
        if group == "summary/groups":
            # The group coordinate is the names, "all" first.
            assert list(ds["group"].values[:2]) == ["all", "platform_only"]
            assert ds["workers"].sel(group="all") == N_WORKERS
