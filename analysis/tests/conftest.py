"""Shared fixtures: small real run files written by the gigsim binary named by $GIGSIM_EXE.

    GIGSIM_EXE=build/release/sim/cli/gigsim build/release/analysis-env/bin/python3 -m pytest -q \
        -p no:cacheprovider analysis/tests

The tests import gigsim_analysis as installed for the interpreter that runs them (the build's
analysis-env, scripts/install-analysis.sh), not from the source tree. They fail (never skip) when
GIGSIM_EXE is unset or not executable.
"""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))

SCENARIOS = {"baseline": "scenarios/baseline.yaml",
             "with_umbrella_coop": "scenarios/with_umbrella_coop.yaml"}
SEEDS = (1, 2, 3)
QUICK = ["--set", "workers.count=1500", "--set", "run.weeks=60", "--quiet"]


def gigsim_exe() -> str:
    exe = os.environ.get("GIGSIM_EXE")
    if not exe:
        pytest.fail("GIGSIM_EXE is not set: point it at the built gigsim binary, e.g. "
                    "GIGSIM_EXE=build/release/sim/cli/gigsim (ctest sets it)", pytrace=False)
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        pytest.fail(f"GIGSIM_EXE={exe!r} is not an executable file", pytrace=False)
    return exe


def run_gigsim(scenario_key: str, seed: int, out: str, extra=()) -> str:
    cmd = [gigsim_exe(), "run", os.path.join(SOURCE_DIR, SCENARIOS[scenario_key]), "-o", out,
           "--seed", str(seed), *QUICK, *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return out


def run_cli(args, timeout=120):
    """`gigsim-analysis ARGS` (the installed entry point beside this interpreter) in a
    subprocess, as a user runs it."""
    entry = os.path.join(os.path.dirname(sys.executable), "gigsim-analysis")
    if not os.access(entry, os.X_OK):
        pytest.fail(f"{entry} is missing: gigsim_analysis is not installed for {sys.executable} "
                    f"(scripts/install-analysis.sh)", pytrace=False)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    return subprocess.run([entry, *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


def run_gigsim_cmd(args, timeout=120):
    """`gigsim ARGS` (the built binary) in a subprocess."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    return subprocess.run([gigsim_exe(), *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


@pytest.fixture(scope="session")
def run_files(tmp_path_factory):
    """{"baseline": [3 paths], "with_umbrella_coop": [3 paths]} for seeds 1, 2, 3."""
    d = tmp_path_factory.mktemp("runs")
    files = {}
    for key in SCENARIOS:
        files[key] = [run_gigsim(key, s, str(d / f"{key}_s{s}.h5")) for s in SEEDS]
    return files


@pytest.fixture(scope="session")
def all_files(run_files):
    return run_files["baseline"] + run_files["with_umbrella_coop"]


@pytest.fixture(scope="session")
def rep_folders(tmp_path_factory):
    """{"baseline": folder, "with_umbrella_coop": folder}: `gigsim run -r 3 -o DIR` each."""
    d = tmp_path_factory.mktemp("replications")
    folders = {}
    for key, scenario in SCENARIOS.items():
        out = str(d / f"{key}_runs")
        cmd = [gigsim_exe(), "run", os.path.join(SOURCE_DIR, scenario), "-r", "3", "-o", out,
               *QUICK]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}",
                        pytrace=False)
        folders[key] = out
    return folders


@pytest.fixture(scope="session")
def grid_sweep(tmp_path_factory):
    """A small grid sweep with and without the cooperative (gigsim sweep)."""
    d = tmp_path_factory.mktemp("sweep")
    spec = d / "grid.yaml"
    spec.write_text(
        f"base: {SOURCE_DIR}/scenarios/with_umbrella_coop.yaml\n"
        "seed: 3\nreplications: 2\n"
        "set: {run.weeks: 60, workers.count: 1000, output.panel: none}\n"
        "design: {method: grid}\n"
        "parameters:\n"
        "  umbrella_coop.fee_rate: {values: [0.04, 0.1]}\n"
        "  training.course_cost: {values: [200, 600]}\n"
        "variants:\n"
        "  - {name: platforms_only, set: {umbrella_coop.enabled: false}}\n"
        "  - {name: umbrella_coop, set: {umbrella_coop.enabled: true}}\n")
    out = str(d / "grid.h5")
    proc = subprocess.run([gigsim_exe(), "sweep", str(spec), "-o", out, "-q"],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"gigsim sweep failed ({proc.returncode}):\n{proc.stderr}", pytrace=False)
    return out


_CONFIG_TMP = None


def pytest_configure(config):
    """test_io.py's C++-writer test reads $GIGSIM_TEST_RUN_FILE (decided at import): give it a
    real file so that nothing is skipped when GIGSIM_EXE is set."""
    global _CONFIG_TMP
    exe = os.environ.get("GIGSIM_EXE")
    if os.environ.get("GIGSIM_TEST_RUN_FILE") or not exe or not os.access(exe, os.X_OK):
        return
    import tempfile
    _CONFIG_TMP = tempfile.mkdtemp(prefix="gigsim-analysis-")
    out = os.path.join(_CONFIG_TMP, "run.h5")
    cmd = [exe, "run", os.path.join(SOURCE_DIR, SCENARIOS["baseline"]), "-o", out, "--seed", "7",
           *QUICK]
    if subprocess.run(cmd, capture_output=True, timeout=120).returncode == 0:
        os.environ["GIGSIM_TEST_RUN_FILE"] = out


def pytest_unconfigure(config):
    if _CONFIG_TMP:
        import shutil
        shutil.rmtree(_CONFIG_TMP, ignore_errors=True)
        os.environ.pop("GIGSIM_TEST_RUN_FILE", None)
