"""The reports end to end, through `gigsim report` (the C++ command finding the installed package):
files, self-containedness, which runs make a scenario and what it is called, partial runs, exit
codes, the sweep report, the tidy export, and one headless-Chromium render of both reports
(screenshot + DOM check that every image decoded and no script failed)."""

import os
import re
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import QUICK, SCENARIOS, SOURCE_DIR, gigsim_exe, run_cli, run_gigsim, run_gigsim_cmd

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def report_dir(rep_folders, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    proc = run_gigsim_cmd(["report", rep_folders["baseline"], rep_folders["with_umbrella_coop"],
                           "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def sweep_report_dir(grid_sweep, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep_report") / "out"
    proc = run_gigsim_cmd(["report", grid_sweep, "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    return out


def test_report_files(report_dir):
    names = set(os.listdir(report_dir))
    assert {"report.html", "headline.csv", "costs.csv", "costs_comparison.csv", "scenarios.csv",
            "run_metrics.csv"} <= names
    pngs = {n for n in names if n.endswith(".png")}
    assert {"differences.png", "costs.png", "income_cv.png", "income.png", "training.png"} <= pngs
    for n in pngs:
        with open(report_dir / n, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(report_dir / "headline.csv")
    assert {"scenario", "group", "metric", "difference", "ci_low", "ci_high", "method", "better",
            "verdict", "small_group", "partial_runs"} <= set(table.columns)
    everyone = table[table["group"] == "all"]
    assert (everyone["method"] == "paired").all()  # the folders share their seeds
    assert set(everyone["verdict"]) <= {"better", "worse", "no clear difference"}
    better = dict(zip(table["metric"], table["better"]))
    assert better["income_cv"] == "lower" and better["trained_last_12m"] == "higher"
    costs = pd.read_csv(report_dir / "costs.csv")
    assert len(costs) == 6 and (costs["coop_fee_retained"][costs["scenario"] == "baseline"] == 0).all()
    assert (costs.loc[costs["scenario"] == "with_umbrella_coop", "coop_fee_retained"] > 0).all()
    assert (costs["platform_commission"] > 0).all()
    scenarios = pd.read_csv(report_dir / "scenarios.csv")
    assert list(scenarios["name"]) == ["baseline", "with_umbrella_coop"]
    assert (scenarios["runs"] == 3).all()
    assert "umbrella_coop.enabled: false -> true" in scenarios.loc[1, "differences_from_baseline"]


def test_report_html_is_self_contained_and_readable(report_dir):
    text = (report_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"https?://", text), "no external http(s) resources or links"
    assert "<link" not in text.lower() and "@import" not in text
    imgs = re.findall(r"<img\b[^>]*>", text)
    assert len(imgs) >= 5
    for tag in imgs:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', tag), tag[:80]
        assert 'alt="' in tag
    for words in ["Like for like: all workers", "Costs: who pays what", "lower is better",
                  "higher is better", "income CV", "dip months", "large swings",
                  "months below poverty line", "umbrella cooperative fee kept for operations",
                  "paired", "not the effect of the cooperative"]:
        assert words in text, words
    # Shares in percent, their differences in percentage points.
    assert re.search(r"\d+\.\d%", text) and re.search(r"[+-]\d+\.\d pp", text)


def test_a_changed_parameter_is_another_scenario_even_with_the_same_name(rep_folders, tmp_path):
    # The README's comparison: the same file with one --set keeps its name: ...
    changed = run_gigsim("baseline", 1, str(tmp_path / "cheap.h5"),
                         extra=["--set", "training.course_cost=300"])
    labelled = run_gigsim("baseline", 2, str(tmp_path / "labelled.h5"),
                          extra=["--set", "training.course_cost=500", "--label", "courses 500"])
    out = tmp_path / "r"
    proc = run_cli(["report", rep_folders["baseline"], changed, labelled, "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    names = list(pd.read_csv(out / "scenarios.csv")["name"])
    # ... and is named by the parameter it changes, or by its label.
    assert names == ["baseline", "baseline [training.course_cost: 300]", "courses 500"], names
    table = pd.read_csv(out / "headline.csv")
    assert set(table["scenario"]) == {"baseline [training.course_cost: 300]", "courses 500"}
    # --baseline by label
    proc = run_cli(["report", rep_folders["baseline"], changed, labelled, "-o", str(out),
                    "--baseline", "courses 500"])
    assert proc.returncode == 0, proc.stderr
    assert set(pd.read_csv(out / "headline.csv")["baseline"]) == {"courses 500"}


def test_runs_that_cannot_be_pooled_are_refused_naming_the_files(rep_folders, tmp_path):
    a = run_gigsim("baseline", 1, str(tmp_path / "a.h5"), extra=["--label", "coop"])
    b = run_gigsim("with_umbrella_coop", 1, str(tmp_path / "b.h5"), extra=["--label", "coop"])
    c = run_gigsim("baseline", 2, str(tmp_path / "c.h5"), extra=["--label", "other"])
    for files, words in [([a, b], ["label 'coop' names 2 different scenarios", "a.h5", "b.h5"]),
                         ([a, c], ["different labels", "a.h5", "c.h5"]),
                         ([a, a], ["given twice"])]:
        proc = run_cli(["report", *files, "-o", str(tmp_path / "never")])
        assert proc.returncode == 2, (files, proc.stderr)
        for w in words:
            assert w in proc.stderr, (w, proc.stderr)
        assert "Traceback" not in proc.stderr
        assert not (tmp_path / "never").exists()
    copy = tmp_path / "copy.h5"
    shutil.copyfile(a, copy)
    proc = run_cli(["report", a, str(copy), "-o", str(tmp_path / "never")])
    assert proc.returncode == 2 and "same seed" in proc.stderr, proc.stderr


def test_partial_runs_are_refused_unless_allowed_and_then_marked(rep_folders, tmp_path):
    partial = tmp_path / "stopped.h5"
    shutil.copyfile(os.path.join(rep_folders["with_umbrella_coop"], "rep002.h5"), partial)
    with h5py.File(partial, "r+") as f:
        f.attrs["complete"] = np.uint8(0)
        f.attrs["incomplete_reason"] = "stopped by signal 2 after week 30"
    files = [rep_folders["baseline"], os.path.join(rep_folders["with_umbrella_coop"], "rep000.h5"),
             os.path.join(rep_folders["with_umbrella_coop"], "rep001.h5"), str(partial)]
    out = tmp_path / "r"
    proc = run_cli(["report", *files, "-o", str(out)])
    assert proc.returncode == 2
    assert "stopped.h5" in proc.stderr and "--allow-partial" in proc.stderr, proc.stderr
    assert not out.exists()
    proc = run_cli(["report", *files, "-o", str(out), "--allow-partial"])
    assert proc.returncode == 0, proc.stderr
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "Partial runs included" in text and "stopped by signal 2 after week 30" in text
    table = pd.read_csv(out / "headline.csv")
    assert table["partial_runs"].all()


def test_report_single_run_says_replications_needed(run_files, tmp_path):
    out = tmp_path / "single"
    proc = run_cli(["report", run_files["baseline"][0], run_files["with_umbrella_coop"][0],
                    "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "Replications needed" in text
    table = pd.read_csv(out / "headline.csv")
    assert table.loc[table["group"] == "all", "ci_low"].isna().all()
    assert (table.loc[table["group"] == "all", "verdict"] == "no interval (one run)").all()


@pytest.mark.parametrize("kind", ["type", "version", "not_hdf5"])
def test_bad_input_exit_2_names_file_and_leaves_no_outdir(all_files, tmp_path, kind):
    bad = tmp_path / f"bad_{kind}.h5"
    if kind == "not_hdf5":
        bad.write_text("not an HDF5 file")
    else:
        shutil.copyfile(all_files[0], bad)
        with h5py.File(bad, "r+") as f:
            if kind == "type":
                f.attrs["file_type"] = "something-else"
            else:
                f.attrs["format_version"] = np.int32(99)
    out = tmp_path / "out"
    proc = run_cli(["report", all_files[0], str(bad), "-o", str(out)])
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert f"bad_{kind}.h5" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".out")], os.listdir(tmp_path)


def test_an_input_inside_outdir_is_refused_not_replaced(all_files, tmp_path):
    # OUTDIR is replaced as a whole; a run file kept in it would be deleted with the old report.
    out = tmp_path / "rep"
    out.mkdir()
    (out / "report.html").write_text("an earlier report")
    inside = out / "run.h5"
    shutil.copyfile(all_files[0], inside)
    proc = run_cli(["report", str(inside), all_files[1], "-o", str(out)])
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "is inside" in proc.stderr and "which the report replaces" in proc.stderr
    assert inside.exists() and (out / "report.html").read_text() == "an earlier report"


def test_fifo_as_input_is_refused_at_once(all_files, tmp_path):
    fifo = tmp_path / "pipe.h5"
    os.mkfifo(fifo)
    proc = run_cli(["report", all_files[0], str(fifo), "-o", str(tmp_path / "o")])
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "pipe.h5: is not a regular file" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_unknown_baseline_exit_2(all_files, tmp_path):
    proc = run_cli(["report", *all_files[:2], "-o", str(tmp_path / "o"), "--baseline", "zzz"])
    assert proc.returncode == 2 and "zzz" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_gigsim_report_runs_the_configured_interpreter_or_says_what_is_missing(all_files,
                                                                              tmp_path):
    env = dict(os.environ, GIGSIM_PYTHON=str(tmp_path / "no-python"))
    proc = subprocess.run([gigsim_exe(), "report", all_files[0], "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "no Python interpreter" in proc.stderr, proc.stderr
    if os.path.exists("/usr/bin/python3") and subprocess.run(
            ["/usr/bin/python3", "-c", "import gigsim_analysis"], capture_output=True,
            env={"PATH": "/usr/bin"}).returncode != 0:
        env = dict(os.environ, GIGSIM_PYTHON="/usr/bin/python3")
        env.pop("PYTHONPATH", None)
        proc = subprocess.run([gigsim_exe(), "report", all_files[0], "-o", str(tmp_path / "o")],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 1 and "cannot import the analysis package" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_sweep_report(sweep_report_dir):
    names = set(os.listdir(sweep_report_dir))
    assert {"report.html", "response.png", "sensitivity.png", "sensitivity.csv",
            "runs.csv"} <= names
    sens = pd.read_csv(sweep_report_dir / "sensitivity.csv")
    assert {"metric", "parameter", "effect", "eta2"} <= set(sens.columns)
    for _, d in sens.groupby("metric", sort=False):
        eta = d["eta2"].to_numpy()
        assert (np.diff(eta[np.isfinite(eta)]) <= 1e-12).all(), "most influential first"
    text = (sweep_report_dir / "report.html").read_text(encoding="utf-8")
    for words in ["grid design", "umbrella_coop-platforms_only", "main effects",
                  "umbrella_coop.fee_rate", "share of invoiced amount"]:
        assert words in text, words


def test_sweep_sensitivity_on_a_grid(grid_sweep):
    proc = run_cli(["sensitivity", grid_sweep, "--metric", "trained_last_12m",
                    "--variant", "umbrella_coop-platforms_only"])
    assert proc.returncode == 0, proc.stderr
    assert "main effects" in proc.stdout and "eta2" in proc.stdout
    assert "umbrella_coop.fee_rate: 0.04: " in proc.stdout


@pytest.mark.parametrize("group,coords", [("metrics", {"run", "group"}),
                                          ("series", {"run", "week"}),
                                          ("runs", {"run"}), ("design", {"point", "parameter"})])
def test_xarray_opens_each_sweep_group_alone_with_its_coordinates(grid_sweep, group, coords):
    import xarray as xr

    with xr.open_dataset(grid_sweep, group=group, engine="h5netcdf", phony_dims="access") as ds:
        assert coords <= set(ds.coords), (group, ds.coords)
        assert not any(d.startswith("phony_dim") for d in ds.dims), ds.dims
        if group == "metrics":
            assert list(ds["group"].values[:2]) == ["all", "platform_only"]
            assert ds["income_cv"].sel(group="all").sizes["run"] == 16
        if group == "design":
            assert list(ds["parameter_units"].values) == ["share of invoiced amount",
                                                          "EUR/course"]
        if group == "series":
            assert ds["worker_net_pay"].attrs["units"] == "EUR"
    with h5py.File(grid_sweep, "r") as f:
        assert h5py.check_enum_dtype(f["runs/variant"].dtype) == {"platforms_only": 0,
                                                                  "umbrella_coop": 1}
        assert h5py.check_enum_dtype(f["runs/status"].dtype) == {"ok": 0, "failed": 1}


def test_export_writes_tidy_tables(rep_folders, grid_sweep, tmp_path):
    out = tmp_path / "tables"
    proc = run_gigsim_cmd(["export", rep_folders["baseline"], rep_folders["with_umbrella_coop"],
                           "-o", str(out), "--panel"])
    assert proc.returncode == 0, proc.stderr
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 6 and set(runs["scenario"]) == {"baseline", "with_umbrella_coop"}
    assert runs["complete"].all() and runs["scenario_hash"].str.len().eq(32).all()
    series = pd.read_csv(out / "series.csv")
    assert {"file", "scenario", "seed", "step", "variable", "value", "units"} <= set(series)
    assert (series.loc[series["variable"] == "client_paid", "units"] == "EUR").all()
    workers = pd.read_csv(out / "workers.csv")
    assert len(workers) == 6 * 1500 and set(workers["group"]) == {"platform_only", "coop_member"}
    panel = pd.read_csv(out / "panel.csv")
    assert {"month", "worker", "variable", "value", "value_name"} <= set(panel)
    assert set(panel.loc[panel["variable"] == "group", "value_name"]) <= {"platform_only",
                                                                          "coop_member"}
    groups = pd.read_csv(out / "groups.csv")
    assert set(groups["group"]) >= {"all", "platform_only"}
    out = tmp_path / "sweep_tables"
    proc = run_cli(["export", grid_sweep, "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    design = pd.read_csv(out / "design.csv")
    assert set(design["parameter"]) == {"umbrella_coop.fee_rate", "training.course_cost"}
    assert set(design["unit"]) == {"share of invoiced amount", "EUR/course"}
    series = pd.read_csv(out / "series.csv")
    assert len(series) == 16 * 60 * series["variable"].nunique()


def _chromium(tmp_path, *args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: the report render test needs Chromium")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
           *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                          env=dict(os.environ, HOME=str(tmp_path)))


def test_chromium_renders_both_reports(report_dir, sweep_report_dir, tmp_path):
    url = (report_dir / "report.html").as_uri()
    shot = tmp_path / "shot.png"
    proc = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", url)
    assert shot.exists(), proc.stderr[-2000:]
    import matplotlib.image as mpimg
    pixels = mpimg.imread(str(shot))
    assert pixels.shape[0] == 2400 and pixels.shape[1] == 1280
    assert float(pixels[..., :3].std()) > 0.05  # not a blank page
    for page in (report_dir / "report.html", sweep_report_dir / "report.html"):
        dom = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
        assert dom.returncode == 0, dom.stderr[-2000:]
        body = re.search(r"<body[^>]*>", dom.stdout)
        assert body, dom.stdout[:500]
        assert 'data-images-ok="yes"' in body.group(0), (page, body.group(0))
        assert "data-script-errors" not in body.group(0), (page, body.group(0))
