"""Read gigsim run files (HDF5, layout in docs/output-format.md) into numpy arrays.

    from gigsim_analysis.io import open_run, expand_inputs
    run = open_run("run.h5")
    run.attrs["seed"], run.series["worker_net_pay"], run.panel["net_income"], run.workers["income_cv"]
    run.complete, run.scenario_hash, run.label
    paths = expand_inputs(["base_runs/", "coop.h5"])   # a folder of `gigsim run -r R` opens to its files

The whole file is read into memory (run files are small: series are weeks long, the panel is a
sample). Use h5py directly for lazy access to very large panels. Money is EUR everywhere (format
version 2); categories (group, training_payer) are HDF5 enumerations, read here as their codes
with the names in ``run.categories``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from typing import Any, Dict, List, Sequence, Union

import h5py
import numpy as np

FILE_TYPE = "gigsim-run"
FORMAT_VERSION = 2
#: ``gigsim run -r R`` writes R run files and this manifest into one folder.
REPLICATIONS_TYPE = "gigsim-replications"
REPLICATIONS_VERSION = 1
MANIFEST = "manifest.json"


@dataclasses.dataclass
class RunFile:
    """One run: root attributes and each group's datasets as numpy arrays."""

    path: str
    attrs: Dict[str, Any]
    series: Dict[str, np.ndarray]  # per week; money in EUR
    panel: Dict[str, np.ndarray]  # [month, worker]; plus "month" and "worker_id"; empty if none
    workers: Dict[str, np.ndarray]  # [worker_all]; all workers, index = worker id
    workers_attrs: Dict[str, Any]  # poverty_line (EUR/month), months_observed
    groups: Dict[str, Any]  # summary table over groups; "group" = names ("all" first)
    units: Dict[str, str]  # "series/paid_hours" -> "hours/week", for every dataset read
    categories: Dict[str, List[str]]  # "workers/group" -> names by code, for enumerations

    @property
    def platform_names(self) -> List[str]:
        return list(self.attrs.get("platform_names", []))

    @property
    def sector_names(self) -> List[str]:
        return list(self.attrs.get("sector_names", []))

    @property
    def complete(self) -> bool:
        """False for a run stopped before its last week (SIGINT/SIGTERM): ``complete = 0``."""
        return int(self.attrs.get("complete", 1)) == 1

    @property
    def scenario_hash(self) -> str:
        """The scenario apart from its seed: replications of one scenario share it."""
        return str(self.attrs.get("scenario_hash", ""))

    @property
    def label(self) -> str:
        """``--label`` given to the run, or ""."""
        return str(self.attrs.get("label", ""))


def _text(value: Any) -> Any:
    """Strings as str, string arrays as lists of str, scalars as Python numbers."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.dtype.kind in ("O", "S", "U"):
            return [_text(v) for v in value.tolist()]
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def enum_names(dataset: h5py.Dataset) -> List[str] | None:
    """The names of an HDF5 enumeration's values 0, 1, ... (None if it is not one)."""
    mapping = h5py.check_enum_dtype(dataset.dtype)
    if mapping is None:
        return None
    names = [""] * (max(mapping.values()) + 1 if mapping else 0)
    for name, code in mapping.items():
        names[int(code)] = name
    return names


def _read_group(f: h5py.File, name: str, units: Dict[str, str],
                categories: Dict[str, List[str]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if name not in f:
        return out
    for key, item in f[name].items():
        if isinstance(item, h5py.Dataset):
            data = item[()]
            out[key] = _text(data) if data.dtype.kind in ("O", "S") else data
            if "units" in item.attrs:
                units[f"{name}/{key}"] = _text(item.attrs["units"])
            names = enum_names(item)
            if names is not None:
                categories[f"{name}/{key}"] = names
    return out


def require_regular_file(path: str, kind: str) -> None:
    """Raises ValueError naming `path` unless it is a regular file (symlinks followed): HDF5 would
    block forever on a FIFO and read a device without end."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        raise OSError(f"{path}: cannot open: {e.strerror}") from e
    if stat.S_ISDIR(mode):
        raise ValueError(f"{path}: is a directory, not a {kind}")
    if not stat.S_ISREG(mode):
        raise ValueError(f"{path}: is not a regular file (a FIFO, a device or a socket); "
                         f"a {kind} is read only from a regular file")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters but newline and tab (C0, DEL, C1)
    as \\xNN, as gigsim prints its own messages (a file name could hold ESC sequences)."""
    return "".join(f"\\x{ord(c):02X}" if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F
                   else c for c in text)


def same_file(a: str, b: str) -> bool:
    """Whether `a` and `b` are the same existing file (device and inode, links followed)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def open_run(path: str | os.PathLike) -> RunFile:
    """Reads a gigsim run file. Raises ValueError naming the file if it is not a gigsim run
    of a supported format version (or not a regular file), OSError if it cannot be opened."""
    path = os.fspath(path)
    require_regular_file(path, "gigsim run file")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise OSError(f"{path}: cannot open as HDF5: {e}") from e
    with f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        file_type = attrs.get("file_type")
        if file_type != FILE_TYPE:
            hint = (" (a sweep result: gigsim report and export read it as such, alone)"
                    if file_type == "gigsim-sweep" else "")
            raise ValueError(f"{path}: not a gigsim run file (file_type={file_type!r}, "
                             f"expected {FILE_TYPE!r}){hint}")
        version = attrs.get("format_version")
        if version != FORMAT_VERSION:
            older = (" it was written by an older gigsim (money in cents, categories as codes);"
                     " run it again with this gigsim" if isinstance(version, int)
                     and version < FORMAT_VERSION else "")
            raise ValueError(f"{path}: gigsim run file format version {version!r} is not "
                             f"supported (this reader reads version {FORMAT_VERSION});{older}"
                             .rstrip(";"))
        units: Dict[str, str] = {}
        categories: Dict[str, List[str]] = {}
        series = _read_group(f, "series", units, categories)
        panel = _read_group(f, "panel", units, categories)
        workers = _read_group(f, "workers", units, categories)
        workers_attrs = {k: _text(v) for k, v in f["workers"].attrs.items()} if "workers" in f else {}
        groups = _read_group(f, "summary/groups", units, categories)
    return RunFile(path, attrs, series, panel, workers, workers_attrs, groups, units, categories)


def read_manifest(folder: str | os.PathLike) -> Dict[str, Any]:
    """The manifest of a replication folder (``gigsim run -r R -o FOLDER``); ValueError naming
    the folder if there is none or it is not one this reader knows."""
    folder = os.fspath(folder)
    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except FileNotFoundError:
        raise ValueError(f"{folder}: a folder without {MANIFEST}: not a replication folder of "
                         f"gigsim run -r (pass the run files themselves)") from None
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: cannot read the manifest: {e}") from e
    if manifest.get("file_type") != REPLICATIONS_TYPE or \
            manifest.get("format_version") != REPLICATIONS_VERSION:
        raise ValueError(f"{path}: not a gigsim replication manifest of version "
                         f"{REPLICATIONS_VERSION} (file_type={manifest.get('file_type')!r})")
    return manifest


PathsLike = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]


def expand_inputs(paths: PathsLike) -> List[str]:
    """The run files named by ``paths``: files as given, a replication folder as the files its
    manifest lists (each must exist). ValueError naming the path otherwise."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: List[str] = []
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            manifest = read_manifest(p)
            for run in manifest.get("runs", []):
                f = os.path.join(p, str(run.get("file", "")))
                if not os.path.isfile(f):
                    raise ValueError(f"{p}: {MANIFEST} lists {run.get('file')!r}, which is "
                                     f"missing")
                files.append(f)
        else:
            files.append(p)
    return files
