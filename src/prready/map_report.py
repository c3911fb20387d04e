"""What `prready map` hands its renderer: the counts of a code map and its biggest areas.

A report like those in `prready.reports` (app fills it, render shows it), kept in a module
of its own: mapping code loads this, not every command's result types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AreaSummary:
    """One area in the `prready map` summary."""

    name: str
    modules: int
    lines: int
    dependents: int
    dependents_transitive: int
    dependencies: int
    centrality: float
    churn: int
    tests: int
    owners: list[str]


@dataclass(frozen=True)
class MapSummary:
    """`prready map`: counts of a code map, its biggest areas, and what the build cost."""

    repo: str
    head: str
    files_by_language: dict[str, int]
    modules: int
    edges: int
    edges_by_kind: dict[str, int]
    conditional_edges: int
    areas: int
    symbols: int
    top_areas: list[AreaSummary]
    skipped: dict[str, int]  # reason -> files
    cache: dict[str, Any] | None  # the build's ScanStats as a dict, when known
