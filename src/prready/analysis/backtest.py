"""Measure the issue-to-module mapping against history: for closed issues that a merged pull
request (or a "Fixes #N" commit) fixed, are the areas that fix changed in the mapping's
top 1 and top 3? Pure: cases in, scores out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from prready.analysis.mapping import MapIndex, build_index, map_issue_to_modules, rank_areas
from prready.code_models import CodeMap
from prready.models import Issue, Label

TOP_K = 3


@dataclass
class BacktestCase:
    """A closed issue and the files its fix changed (the ground truth)."""

    issue: Issue
    changed_files: list[str]
    source: str  # "pull request #12" or "commit 1a2b3c4"


@dataclass
class BacktestRow:
    number: int
    title: str
    source: str
    true_areas: list[str]
    predicted_areas: list[str]
    true_files: list[str]
    predicted_files: list[str]
    top1: bool
    top3: bool
    file_hit: bool  # a changed file among the mapping's first three files
    file_top1: bool = False  # the mapping's first file was changed


@dataclass
class BacktestReport:
    repo: str
    rows: list[BacktestRow] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (issue, why)

    @property
    def cases(self) -> int:
        return len(self.rows)

    @property
    def top1(self) -> int:
        return sum(r.top1 for r in self.rows)

    @property
    def top3(self) -> int:
        return sum(r.top3 for r in self.rows)

    @property
    def file_hits(self) -> int:
        return sum(r.file_hit for r in self.rows)

    @property
    def file_top1(self) -> int:
        return sum(r.file_top1 for r in self.rows)

    def rate(self, hits: int) -> float:
        """Share of scored cases, 0.0 when there are none."""
        return hits / self.cases if self.cases else 0.0


def score_backtest(
    repo: str,
    cases: Sequence[BacktestCase],
    code_map: CodeMap,
    labels: Sequence[Label] = (),
    *,
    index: MapIndex | None = None,
) -> BacktestReport:
    """Top-1/top-3 area hits and top-3 file hits of the mapping, case by case."""
    index = index if index is not None and index.code_map is code_map else build_index(code_map)
    report = BacktestReport(repo=repo)
    for case in sorted(cases, key=lambda c: c.issue.number):
        true_files, true_areas = _ground_truth(case.changed_files, index)
        if not true_areas:
            report.skipped.append((case.issue.number, "its fix changed no file of the code map"))
            continue
        matches = map_issue_to_modules(
            case.issue,
            code_map,
            labels,
            index=index,
            limit=10,
            history_before=case.issue.created_at or "0",
        )
        predicted_areas = [area for area, _ in rank_areas(matches, code_map)]
        predicted_files = [m.path for m in matches if m.name in code_map.modules][:TOP_K]
        report.rows.append(
            BacktestRow(
                number=case.issue.number,
                title=case.issue.title,
                source=case.source,
                true_areas=true_areas,
                predicted_areas=predicted_areas[:TOP_K],
                true_files=true_files,
                predicted_files=predicted_files,
                top1=bool(set(predicted_areas[:1]) & set(true_areas)),
                top3=bool(set(predicted_areas[:TOP_K]) & set(true_areas)),
                file_hit=bool(set(predicted_files) & set(true_files)),
                file_top1=bool(predicted_files[:1]) and predicted_files[0] in true_files,
            )
        )
    return report


def _ground_truth(changed: Sequence[str], index: MapIndex) -> tuple[list[str], list[str]]:
    """Changed files that are in the code map, tests dropped when the fix also changed
    library code (a fix's regression test says where it was tested, not what broke)."""
    modules = index.code_map.modules
    mapped = [p for p in dict.fromkeys(changed) if p in index.path_to_module]
    library = [p for p in mapped if not modules[index.path_to_module[p]].is_test]
    files = library or mapped
    areas = list(dict.fromkeys(a for p in files if (a := modules[index.path_to_module[p]].area)))
    return files, areas
