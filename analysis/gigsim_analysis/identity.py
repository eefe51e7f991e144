"""Which runs are replications of the same scenario, and what each scenario is called.

Runs are grouped by the ``scenario_hash`` every run file carries (the resolved scenario apart from
its seed): a ``--set`` that changes one parameter makes another scenario even when the ``name:``
stays. A scenario is named by its runs' ``--label``, else by its ``name:``; scenarios that would
share a name get the parameters in which they differ from the first of them appended, e.g.
``baseline [sickness_pool.enabled: false]``.

Refused with a ValueError that names the files (the command line exits 2):

* the same run file, or the same (scenario, seed), given twice;
* one label on runs of different scenarios (it would pool them under one name), or runs of one
  scenario carrying different labels;
* runs stopped before their last week (``complete = 0``), unless ``allow_partial``: they are then
  kept and marked.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ruamel.yaml import YAML

from .io import RunFile

#: Differences shown in a scenario's name at most; the rest are in the report's scenario table.
NAME_DIFFERENCES = 3


@dataclasses.dataclass
class Scenario:
    """The runs of one scenario (one ``scenario_hash``), each a replication with its own seed."""

    key: str  # scenario_hash
    name: str  # unique among the scenarios compared
    label: str
    scenario_name: str  # the scenario file's ``name:``
    runs: List[RunFile]
    differences: List[Tuple[str, str, str]] = dataclasses.field(default_factory=list)
    #: (key path, value in the reference scenario, value here) against the first scenario

    @property
    def seeds(self) -> List[int]:
        return [int(r.attrs.get("seed", -1)) for r in self.runs]

    @property
    def partial(self) -> List[RunFile]:
        return [r for r in self.runs if not r.complete]


def scenario_name(run: RunFile) -> str:
    """The scenario's ``name:`` from the resolved YAML text; else the scenario file's stem."""
    tree = _yaml_tree(run)
    name = tree.get("name") if isinstance(tree, dict) else None
    if isinstance(name, str) and name:
        return name
    stem = os.path.splitext(os.path.basename(str(run.attrs.get("scenario_file", ""))))[0]
    return stem or "unnamed"


_TREES: Dict[str, Any] = {}


def _yaml_tree(run: RunFile) -> Any:
    text = run.attrs.get("scenario_yaml") or ""
    if text not in _TREES:
        try:
            _TREES[text] = YAML(typ="safe", pure=True).load(text) or {}
        except Exception:  # an unreadable scenario text has no parameters to compare
            _TREES[text] = {}
    return _TREES[text]


def flatten(tree: Any, prefix: str = "") -> Dict[str, str]:
    """{"platforms[0].take_rate": "0.25", ...} from a YAML tree, values as text."""
    out: Dict[str, str] = {}
    if isinstance(tree, dict):
        for k, v in tree.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = "true" if tree is True else "false" if tree is False else str(tree)
    return out


def differences(reference: RunFile, other: RunFile) -> List[Tuple[str, str, str]]:
    """Parameters whose values differ between the two runs' scenarios, apart from the seed and
    the name and description."""
    a, b = flatten(_yaml_tree(reference)), flatten(_yaml_tree(other))
    skip = {"run.seed", "name", "description"}
    keys = [k for k in list(a) + [k for k in b if k not in a] if k not in skip]
    return [(k, a.get(k, "-"), b.get(k, "-")) for k in keys if a.get(k) != b.get(k)]


def _files(runs: Sequence[RunFile]) -> str:
    shown = ", ".join(r.path for r in runs[:6])
    return shown + (f" and {len(runs) - 6} more" if len(runs) > 6 else "")


def group_runs(runs: Sequence[RunFile], allow_partial: bool = False) -> List[Scenario]:
    """The scenarios of ``runs``, in the order their first run was given (see module doc)."""
    seen_paths: Dict[str, RunFile] = {}
    for r in runs:
        real = os.path.realpath(r.path)
        if real in seen_paths:
            raise ValueError(f"{r.path}: the same run file was given twice")
        seen_paths[real] = r
    partial = [r for r in runs if not r.complete]
    if partial and not allow_partial:
        details = "; ".join(
            f"{r.path} ({r.attrs.get('incomplete_reason', 'stopped before its last week')})"
            for r in partial[:6])
        raise ValueError(f"{len(partial)} run(s) stopped before their last week (complete = 0): "
                         f"{details}. Finish them with gigsim run --resume, leave them out, or "
                         f"pass --allow-partial to include them (marked as partial)")

    by_key: Dict[str, List[RunFile]] = {}
    for r in runs:
        key = r.scenario_hash
        if not key:
            raise ValueError(f"{r.path}: no scenario_hash attribute: not written by gigsim run")
        by_key.setdefault(key, []).append(r)

    scenarios: List[Scenario] = []
    for key, members in by_key.items():
        seeds: Dict[int, RunFile] = {}
        for r in members:
            seed = int(r.attrs.get("seed", -1))
            if seed in seeds:
                raise ValueError(f"{seeds[seed].path} and {r.path} are the same scenario with the "
                                 f"same seed {seed}: one run given twice (a copy?) would count "
                                 f"as two replications")
            seeds[seed] = r
        labels = sorted({r.label for r in members})
        if len(labels) > 1:
            raise ValueError(f"runs of one scenario carry different labels "
                             f"({', '.join(repr(x) for x in labels)}): {_files(members)}; give "
                             f"them one label, or none")
        scenarios.append(Scenario(key=key, name="", label=labels[0],
                                  scenario_name=scenario_name(members[0]), runs=members))

    by_label: Dict[str, List[Scenario]] = {}
    for s in scenarios:
        if s.label:
            by_label.setdefault(s.label, []).append(s)
    for label, group in by_label.items():
        if len(group) > 1:
            diff = differences(group[0].runs[0], group[1].runs[0])
            shown = "; ".join(f"{k}: {a} vs {b}" for k, a, b in diff[:4]) or "seedless text"
            raise ValueError(f"label {label!r} names {len(group)} different scenarios "
                             f"(they differ in {shown}); their runs cannot be pooled under one "
                             f"name: {'; '.join(_files(s.runs) for s in group)}")

    reference = scenarios[0].runs[0]
    for s in scenarios:
        s.differences = differences(reference, s.runs[0])
        s.name = s.label or s.scenario_name
    _disambiguate(scenarios)
    return scenarios


def _describe(diff: List[Tuple[str, str, str]]) -> str:
    parts = [f"{k}: {b}" for k, _, b in diff[:NAME_DIFFERENCES]]
    if len(diff) > NAME_DIFFERENCES:
        parts.append(f"+{len(diff) - NAME_DIFFERENCES} more")
    return ", ".join(parts)


def _disambiguate(scenarios: List[Scenario]) -> None:
    """Unique names: unlabelled scenarios that share a name get their differences appended,
    measured against the first of them."""
    by_name: Dict[str, List[Scenario]] = {}
    for s in scenarios:
        by_name.setdefault(s.name, []).append(s)
    for name, group in by_name.items():
        if len(group) < 2:
            continue
        first = group[0].runs[0]
        for s in group[1:]:
            if s.label:
                continue
            diff = differences(first, s.runs[0])
            s.name = f"{name} [{_describe(diff)}]" if diff else f"{name} [{s.key[:8]}]"
    names = [s.name for s in scenarios]
    for s in scenarios:
        if names.count(s.name) > 1:
            s.name = f"{s.name} [{s.key[:8]}]"


def choose_baseline(scenarios: Sequence[Scenario], baseline: Optional[str]) -> Scenario:
    """``baseline`` names a scenario by its name, label, ``name:`` or a prefix of its hash; by
    default the first scenario whose ``name:`` is baseline, else the first given."""
    if baseline is not None:
        exact = [s for s in scenarios if baseline in (s.name, s.label)]
        if len(exact) == 1:
            return exact[0]
        by_file_name = [s for s in scenarios if s.scenario_name == baseline]
        by_hash = [s for s in scenarios if len(baseline) >= 6 and s.key.startswith(baseline)]
        found = exact or by_file_name or by_hash
        if len(found) == 1:
            return found[0]
        listing = "; ".join(f"{s.name!r} (hash {s.key[:8]})" for s in scenarios)
        if not found:
            raise ValueError(f"--baseline {baseline!r} is not a scenario in the given files "
                             f"(scenarios: {listing})")
        raise ValueError(f"--baseline {baseline!r} names {len(found)} different scenarios "
                         f"({'; '.join(repr(s.name) for s in found)}); name one of them, or its "
                         f"hash prefix (scenarios: {listing})")
    named = [s for s in scenarios if s.scenario_name == "baseline"]
    return named[0] if named else scenarios[0]
