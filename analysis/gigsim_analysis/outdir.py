"""Report folders are built under a temporary name beside their destination and renamed into
place: a failure leaves no partial folder and an existing report untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from typing import Iterator


def _check(outdir: str, marker: str) -> None:
    if os.path.exists(outdir):
        if not os.path.isdir(outdir):
            raise ValueError(f"{outdir}: exists and is not a directory")
        if os.listdir(outdir) and not os.path.exists(os.path.join(outdir, marker)):
            raise ValueError(f"{outdir}: exists, is not empty and holds no {marker}; refusing to "
                             "replace it")


@contextmanager
def atomic_folder(outdir: str, marker: str) -> Iterator[str]:
    """Yields an empty temporary folder; on success it replaces ``outdir`` (which must be
    missing, empty or hold ``marker``, i.e. be an earlier result of the same command)."""
    outdir = os.path.abspath(outdir)
    _check(outdir, marker)
    parent = os.path.dirname(outdir)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(outdir) + ".tmp-", dir=parent)
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if os.path.exists(outdir):
            old = outdir + ".old-" + os.path.basename(tmp)
            os.rename(outdir, old)
            os.rename(tmp, outdir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
