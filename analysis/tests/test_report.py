"""The report command end to end: files, self-containedness, exit codes, and a headless
Chromium render (screenshot + DOM check that every image decoded and no script failed)."""

import os
import re
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import run_cli

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def report_dir(all_files, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    proc = run_cli(["report", *all_files, "-o", str(out), "--baseline", "baseline"])
    assert proc.returncode == 0, proc.stderr
    return out


def test_report_files(report_dir):
    names = set(os.listdir(report_dir))
    assert {"report.html", "headline.csv"} <= names
    pngs = [n for n in names if n.endswith(".png")]
    assert {"differences.png", "income_cv.png", "income.png", "training.png"} <= set(pngs)
    for n in pngs:
        with open(report_dir / n, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(report_dir / "headline.csv")
    assert {"scenario", "group", "metric", "difference", "ci_low", "ci_high", "method"} <= set(
        table.columns)
    assert (table.loc[table["group"] == "all", "method"] == "paired").all()


def test_report_html_is_self_contained(report_dir):
    text = (report_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"https?://", text), "no external http(s) resources or links"
    assert "<link" not in text.lower() and "@import" not in text
    imgs = re.findall(r"<img\b[^>]*>", text)
    assert len(imgs) >= 4
    for tag in imgs:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]+"', tag), tag[:80]
        assert 'alt="' in tag
    for word in ["baseline", "with_umbrella_coop", "replication", "income CV", "dip months",
                 "large swings", "poverty", "paired"]:
        assert word in text, word


def test_report_single_run_says_replications_needed(run_files, tmp_path):
    out = tmp_path / "single"
    proc = run_cli(["report", run_files["baseline"][0], run_files["with_umbrella_coop"][0],
                    "-o", str(out)])
    assert proc.returncode == 0, proc.stderr
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "Replications needed" in text
    table = pd.read_csv(out / "headline.csv")
    assert table.loc[table["group"] == "all", "ci_low"].isna().all()


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


def _chromium(tmp_path, *args):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: the report render test needs Chromium")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                          env=dict(os.environ, HOME=str(tmp_path)))


def test_chromium_renders_report(report_dir, tmp_path):
    url = (report_dir / "report.html").as_uri()
    shot = tmp_path / "shot.png"
    proc = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", url)
    assert shot.exists(), proc.stderr[-2000:]
    assert shot.stat().st_size > 50_000
    import matplotlib.image as mpimg
    pixels = mpimg.imread(str(shot))
    assert pixels.shape[0] == 2400 and pixels.shape[1] == 1280
    assert float(pixels[..., :3].std()) > 0.05  # not a blank page

    dom = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    body = re.search(r"<body[^>]*>", dom.stdout)
    assert body, dom.stdout[:500]
    assert 'data-images-ok="yes"' in body.group(0), body.group(0)
    assert "data-script-errors" not in body.group(0), body.group(0)
