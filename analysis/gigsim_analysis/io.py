"""Read gigsim run files (HDF5, layout in docs/output-format.md) into numpy arrays.

    from gigsim_analysis.io import open_run
    run = open_run("run.h5")
    run.attrs["seed"], run.series["worker_net_pay"], run.panel["net_income"], run.workers["income_cv"]

The whole file is read into memory (run files are small: series are weeks long, the panel is a
sample). Use h5py directly for lazy access to very large panels.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from typing import Any, Dict, List

import h5py
import numpy as np

FILE_TYPE = "gigsim-run"
FORMAT_VERSION = 1


@dataclasses.dataclass
class RunFile:
    """One run: root attributes and each group's datasets as numpy arrays."""

    path: str
    attrs: Dict[str, Any]
    series: Dict[str, np.ndarray]  # per week; money in EUR cents
    panel: Dict[str, np.ndarray]  # [month, worker]; plus "month" and "worker_id"; empty if none
    workers: Dict[str, np.ndarray]  # [worker_all]; all workers, index = worker id
    workers_attrs: Dict[str, Any]  # poverty_line (EUR/month), months_observed
    groups: Dict[str, np.ndarray]  # summary table over groups; "group_names" as a list
    units: Dict[str, str]  # "series/paid_hours" -> "hours/week", for every dataset read

    @property
    def platform_names(self) -> List[str]:
        return list(self.attrs.get("platform_names", []))

    @property
    def sector_names(self) -> List[str]:
        return list(self.attrs.get("sector_names", []))


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


def _read_group(f: h5py.File, name: str, units: Dict[str, str]) -> Dict[str, np.ndarray]:
    out: Dict[str, np.ndarray] = {}
    if name not in f:
        return out
    for key, item in f[name].items():
        if isinstance(item, h5py.Dataset):
            out[key] = item[()]
            if "units" in item.attrs:
                units[f"{name}/{key}"] = _text(item.attrs["units"])
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
            raise ValueError(f"{path}: not a gigsim run file (file_type={file_type!r}, "
                             f"expected {FILE_TYPE!r})")
        version = attrs.get("format_version")
        if version != FORMAT_VERSION:
            raise ValueError(f"{path}: gigsim run file format version {version!r} is not "
                             f"supported (this reader reads version {FORMAT_VERSION})")
        units: Dict[str, str] = {}
        series = _read_group(f, "series", units)
        panel = _read_group(f, "panel", units)
        workers = _read_group(f, "workers", units)
        workers_attrs = {k: _text(v) for k, v in f["workers"].attrs.items()} if "workers" in f else {}
        groups: Dict[str, Any] = _read_group(f, "summary/groups", units)
        if "summary/groups" in f:
            groups["group_names"] = _text(f["summary/groups"].attrs["group_names"])
    return RunFile(path, attrs, series, panel, workers, workers_attrs, groups, units)
