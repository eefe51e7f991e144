"""Calibration of a gigsim scenario by the simulated method of moments (docs/validation.md).

The published figures and their tolerances are those of `gigsim validate` (one source of truth:
this script reads them from its JSON output). For parameters theta in a box, the distance is

    J(theta) = sum_k ((m_k(theta) - target_k) / tolerance_k)^2

over the chosen targets, where m_k(theta) is the mean of moment k over R replications. Every
design point uses the same R seeds (common random numbers), so differences in J between points
are differences in theta, not in luck. The search is a Latin hypercube over the whole box, then
Latin hypercubes over boxes shrunk around the best point so far (one per further stage). The best
point is written into a copy of the base scenario (comments kept, each calibrated value marked),
and every evaluated point goes to a CSV table beside it.

    gigsim-analysis calibrate scenarios/calibrated/calibration.json --gigsim build/release/sim/cli/gigsim

The result is a function of the spec file and the gigsim version only: the design seed is in the
spec and gigsim is bit-reproducible.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from ruamel.yaml import YAML
from scipy.stats import qmc


class CalibrationError(Exception):
    """A bad calibration spec or a failed gigsim call."""


@dataclass
class Parameter:
    key: str
    low: float
    high: float
    integer: bool = False


@dataclass
class Spec:
    base: str
    output: str
    table: str
    seed: int  # of the design
    run_seed: int  # base seed of the replications: keep it apart from the validation's seed
    replications: int
    stages: List[Tuple[int, float]]  # (points, relative width of the box around the best)
    parameters: List[Parameter]
    targets: List[str]
    threads: int


def load_spec(path: str) -> Spec:
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise CalibrationError(f"{path}: {e}") from e
    here = os.path.dirname(os.path.abspath(path))

    def rel(p: str) -> str:
        return p if os.path.isabs(p) else os.path.normpath(os.path.join(here, p))

    try:
        params = [Parameter(p["key"], float(p["low"]), float(p["high"]), bool(p.get("integer", False)))
                  for p in raw["parameters"]]
        spec = Spec(base=rel(raw["base"]), output=rel(raw["output"]), table=rel(raw["table"]),
                    seed=int(raw["seed"]), run_seed=int(raw["run_seed"]),
                    replications=int(raw["replications"]),
                    stages=[(int(s["points"]), float(s["width"])) for s in raw["stages"]],
                    parameters=params, targets=list(raw["targets"]),
                    threads=int(raw.get("threads", 0)))
    except (KeyError, TypeError, ValueError) as e:
        raise CalibrationError(f"{path}: missing or bad field: {e}") from e
    for p in spec.parameters:
        if not p.low < p.high:
            raise CalibrationError(f"{path}: parameter {p.key}: low must be below high")
    if spec.replications < 1 or not spec.stages or not spec.targets:
        raise CalibrationError(f"{path}: need replications >= 1, a stage and a target")
    return spec


def latin_hypercube(rng: np.random.Generator, points: int, dims: int) -> np.ndarray:
    """points x dims in [0, 1): one point in each of `points` strata per dimension (McKay,
    Beckman & Conover 1979), drawn by scipy.stats.qmc from `rng`."""
    return qmc.LatinHypercube(d=dims, seed=rng).random(points)


def format_value(p: Parameter, x: float) -> str:
    return str(int(round(x))) if p.integer else f"{x:.6g}"


def evaluate(gigsim: str, spec: Spec, theta: Sequence[float]) -> Dict:
    """`gigsim validate` at theta: its JSON report (moments of every target)."""
    cmd = [gigsim, "validate", spec.base, "--format", "json", "--quiet", "--seed",
           str(spec.run_seed), "--replications", str(spec.replications), "--threads",
           str(spec.threads)]
    for p, x in zip(spec.parameters, theta):
        cmd += ["--set", f"{p.key}={format_value(p, x)}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 3):  # 3: some target missed, a normal outcome here
        raise CalibrationError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def distance(report: Dict, targets: Sequence[str]) -> Tuple[float, Dict[str, float]]:
    by_id = {t["id"]: t for t in report["targets"]}
    total = 0.0
    moments: Dict[str, float] = {}
    for tid in targets:
        if tid not in by_id:
            raise CalibrationError(f"unknown target '{tid}' (gigsim validate lists the targets)")
        t = by_id[tid]
        if t["mean"] is None:
            raise CalibrationError(f"target '{tid}' has no simulated value in this scenario")
        moments[tid] = t["mean"]
        total += ((t["mean"] - t["target"]) / t["tolerance"]) ** 2
    return total, moments


def _round_trip() -> YAML:
    yaml = YAML()  # round trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _append_comment(mapping, key: str, note: str) -> None:
    """Adds `note` to the end-of-line comment of `key` (or makes one)."""
    slot = mapping.ca.items.get(key)
    token = slot[2] if slot and len(slot) > 2 else None
    if token is not None and token.value.lstrip().startswith("#"):
        text = token.value.rstrip("\n")
        token.value = f"{text}; {note}" + token.value[len(text):]
    else:
        mapping.yaml_add_eol_comment(note, key)


def set_in_yaml(text: str, key: str, value: str, note: str) -> str:
    """Replaces the value of `key` (a.b or a[i].b, as in --set) in YAML text, keeping every
    comment (ruamel.yaml round trip), and notes the change in the key's comment."""
    m = re.fullmatch(r"([A-Za-z_]+)(?:\[(\d+)\])?\.([A-Za-z_]+)", key)
    if not m:
        raise CalibrationError(f"cannot place key '{key}' in the scenario text")
    section, index, leaf = m.group(1), m.group(2), m.group(3)
    yaml = _round_trip()
    data = yaml.load(text)
    node = data.get(section) if hasattr(data, "get") else None
    if node is None:
        raise CalibrationError(f"section '{section}' not found in the base scenario")
    if index is not None:
        if not isinstance(node, list) or int(index) >= len(node):
            raise CalibrationError(f"{section}[{index}] not found in the base scenario")
        node = node[int(index)]
    if not hasattr(node, "ca") or leaf not in node:
        raise CalibrationError(f"key '{key}' is not written in the base scenario (write its "
                               f"default there first, with its comment)")
    node[leaf] = int(value) if re.fullmatch(r"-?\d+", value) else float(value)
    _append_comment(node, leaf, note)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def rename_scenario(text: str, name: str) -> str:
    """The scenario text with `name:` set to `name`, comments kept."""
    yaml = _round_trip()
    data = yaml.load(text)
    data["name"] = name
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def calibrate(spec: Spec, gigsim: str, log=sys.stderr) -> Tuple[List[float], float, List[Dict]]:
    rng = np.random.default_rng(spec.seed)
    low = np.array([p.low for p in spec.parameters])
    high = np.array([p.high for p in spec.parameters])
    rows: List[Dict] = []
    best_theta: Optional[np.ndarray] = None
    best_j = float("inf")
    for stage, (points, width) in enumerate(spec.stages):
        if best_theta is None:
            box_lo, box_hi = low, high
        else:
            half = width * (high - low) / 2
            box_lo = np.maximum(low, best_theta - half)
            box_hi = np.minimum(high, best_theta + half)
        design = box_lo + latin_hypercube(rng, points, len(spec.parameters)) * (box_hi - box_lo)
        for n, theta in enumerate(design):
            # the values gigsim is given (and the scenario will carry), not the raw draws
            theta = np.array([float(format_value(p, x)) for p, x in zip(spec.parameters, theta)])
            j, moments = distance(evaluate(gigsim, spec, theta), spec.targets)
            row = {"stage": stage, "point": n, "J": j}
            row.update({p.key: float(x) for p, x in zip(spec.parameters, theta)})
            row.update(moments)
            rows.append(row)
            if j < best_j:
                best_j, best_theta = j, theta
            print(f"calibrate: stage {stage + 1}/{len(spec.stages)} point {n + 1}/{points}: "
                  f"J = {j:.3f} (best {best_j:.3f})", file=log, flush=True)
    assert best_theta is not None
    return [float(x) for x in best_theta], best_j, rows


def atomic_write(path: str, text: str) -> None:
    """Writes under a temporary name in the same folder, then renames: never a half file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".calibrate.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these are shared results
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_results(spec: Spec, spec_path: str, theta: List[float], j: float,
                  rows: List[Dict]) -> None:
    with open(spec.base, encoding="utf-8") as f:
        text = f.read()
    note = "calibrated (SMM, docs/validation.md)"
    for p, x in zip(spec.parameters, theta):
        text = set_in_yaml(text, p.key, format_value(p, x), note)
    text = rename_scenario(text, "calibrated_baseline")
    out_dir = os.path.dirname(spec.output)
    header = (
        "# GENERATED by `gigsim-analysis calibrate "
        f"{os.path.relpath(spec_path, out_dir)}`\n"
        f"# from {os.path.relpath(spec.base, out_dir)}: the values marked 'calibrated' were chosen "
        "by the simulated\n"
        f"# method of moments (distance J = {j:.3f}; every evaluated point is in "
        f"{os.path.basename(spec.table)}).\n"
        "# Edit the base scenario or the calibration spec and rerun the calibration, not this "
        "file.\n")
    atomic_write(spec.output, header + text)
    table = io.StringIO()
    w = csv.DictWriter(table, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    atomic_write(spec.table, table.getvalue())


def main(spec_path: str, gigsim: str) -> int:
    spec = load_spec(spec_path)
    if not os.path.exists(spec.base):
        raise CalibrationError(f"{spec_path}: base scenario {spec.base} not found")
    theta, j, rows = calibrate(spec, gigsim)
    write_results(spec, spec_path, theta, j, rows)
    print(f"calibrate: best J = {j:.3f}; wrote {spec.output} and {spec.table}")
    for p, x in zip(spec.parameters, theta):
        print(f"  {p.key} = {format_value(p, x)}")
    return 0
