"""Analysis of gigsim run and sweep files (docs/output-format.md, docs/analysis.md): reading,
tidy tables, scenario comparisons, costs, sensitivity analysis and the HTML reports."""

from .io import FILE_TYPE, FORMAT_VERSION, RunFile, expand_inputs, open_run

__version__ = "0.2.0"
__all__ = ["FILE_TYPE", "FORMAT_VERSION", "RunFile", "expand_inputs", "open_run"]
