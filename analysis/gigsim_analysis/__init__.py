"""Analysis helpers for gigsim run files (docs/output-format.md)."""

from .io import FILE_TYPE, FORMAT_VERSION, RunFile, open_run

__all__ = ["FILE_TYPE", "FORMAT_VERSION", "RunFile", "open_run"]
