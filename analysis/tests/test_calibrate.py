"""Calibration by the simulated method of moments (gigsim_analysis.calibrate, docs/validation.md):
the Latin hypercube (scipy.stats.qmc), the YAML rewrite that keeps comments (ruamel.yaml), and a tiny end-to-end calibration with
the real gigsim binary on a shrunk scenario.

    GIGSIM_EXE=build/release/sim/cli/gigsim PYTHONDONTWRITEBYTECODE=1 \
        build/release/analysis-env/bin/python3 -m pytest -q -p no:cacheprovider \
        analysis/tests/test_calibrate.py
"""

import csv
import json
import os
import re
import subprocess

import numpy as np
import pytest

from conftest import SOURCE_DIR, gigsim_exe, run_cli

from gigsim_analysis.calibrate import (CalibrationError, latin_hypercube, load_spec,
                                       set_in_yaml)

YAML = """name: toy  # scenario name
workers:
  count: 100  # workers
  rating_noise: 0.15  # sd; assumption
sectors:
  - name: a  # first
    tasks_per_week: 10  # tasks/week; assumption
  - name: b  # second
    tasks_per_week: 20  # tasks/week; assumption
training:
  skill_gain: 0.1  # share; assumption
"""


def test_latin_hypercube_has_one_point_per_stratum():
    u = latin_hypercube(np.random.default_rng(1), 20, 3)
    assert u.shape == (20, 3)
    for d in range(3):
        strata = np.floor(u[:, d] * 20).astype(int)
        assert sorted(strata) == list(range(20))


def test_set_in_yaml_replaces_the_value_and_keeps_the_comment():
    # ruamel.yaml keeps each comment where it stood: the space before it may change.
    out = set_in_yaml(YAML, "sectors[1].tasks_per_week", "35.5", "calibrated")
    assert re.search(r"\n    tasks_per_week: 35\.5 +# tasks/week; assumption; calibrated\n", out)
    assert "    tasks_per_week: 10  # tasks/week; assumption\n" in out  # sector 0 untouched
    out = set_in_yaml(out, "training.skill_gain", "0.25", "calibrated")
    assert re.search(r"\n  skill_gain: 0\.25 +# share; assumption; calibrated\n", out)
    assert out.count("\n") == YAML.count("\n")
    assert "name: toy  # scenario name\n" in out and "  - name: b  # second\n" in out


def test_set_in_yaml_refuses_keys_it_cannot_place():
    with pytest.raises(CalibrationError, match="sectors\\[5\\]"):
        set_in_yaml(YAML, "sectors[5].tasks_per_week", "1", "x")
    with pytest.raises(CalibrationError, match="not written"):
        set_in_yaml(YAML, "workers.hours_budget_mean", "1", "x")
    with pytest.raises(CalibrationError, match="section 'platforms'"):
        set_in_yaml(YAML, "platforms[0].take_rate", "1", "x")


def test_set_in_yaml_counts_only_the_sections_own_list_items():
    nested = YAML.replace("  - name: b  # second\n",
                          "    tags:\n      - x\n      - y\n  - name: b  # second\n")
    out = set_in_yaml(nested, "sectors[1].tasks_per_week", "7", "c")
    assert re.search(r"\n    tasks_per_week: 7 +# tasks/week; assumption; c\n", out)
    assert "      - x\n      - y\n" in out
    plain = set_in_yaml("training:\n  skill_gain: 0.1\n", "training.skill_gain", "0.2", "c")
    assert plain == "training:\n  skill_gain: 0.2  # c\n"


def test_bad_spec_names_the_file(tmp_path):
    bad = tmp_path / "cal.json"
    bad.write_text(json.dumps({"base": "x.yaml"}))
    with pytest.raises(CalibrationError, match="cal.json"):
        load_spec(str(bad))


def test_end_to_end_calibration_finds_the_training_rate(tmp_path):
    """Two stages on a small market, one parameter: the share of platform workers who trained in
    the last 12 months rises with how often workers weigh a course, so J must fall from the worst
    design point to the chosen one, and the written scenario must load and carry that value."""
    base = tmp_path / "base.yaml"
    with open(os.path.join(SOURCE_DIR, "scenarios", "baseline.yaml"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("  count: 10000  # workers", "  count: 1500  # workers")
    text = text.replace("  weeks: 260  #", "  weeks: 100  #")
    base.write_text(text)
    spec = {
        "base": "base.yaml", "output": "calibrated.yaml", "table": "points.csv", "seed": 7,
        "run_seed": 11,
        "replications": 2, "threads": 2,
        "stages": [{"points": 5, "width": 1.0}, {"points": 3, "width": 0.3}],
        "parameters": [{"key": "training.consider_probability", "low": 0.0, "high": 0.5}],
        "targets": ["training_self_employed"],
    }
    (tmp_path / "cal.json").write_text(json.dumps(spec))
    cmd = ["calibrate", str(tmp_path / "cal.json"), "--gigsim", gigsim_exe()]
    proc = run_cli(cmd, timeout=240)
    assert proc.returncode == 0, proc.stderr
    with open(tmp_path / "points.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 8
    js = [float(r["J"]) for r in rows]
    best = min(range(len(rows)), key=lambda i: js[i])
    assert js[best] < max(js)
    chosen = float(rows[best]["training.consider_probability"])
    out = (tmp_path / "calibrated.yaml").read_text()
    assert out.startswith("# GENERATED")
    assert "name: calibrated_baseline" in out
    line = next(l for l in out.splitlines() if l.strip().startswith("consider_probability:"))
    assert abs(float(line.split(":")[1].split("#")[0]) - chosen) <= 1e-6 * max(1.0, chosen)
    assert "calibrated (SMM" in line
    check = subprocess.run([gigsim_exe(), "scenario", "check", str(tmp_path / "calibrated.yaml")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # The same spec gives the same table: the design seed and common random numbers fix it.
    first = (tmp_path / "points.csv").read_text()
    proc = run_cli(cmd, timeout=240)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "points.csv").read_text() == first
