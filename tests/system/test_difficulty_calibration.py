"""Does predicted difficulty follow the real size of fixes? On the mapping development set
(the sample's closed issues whose "Fixes #N" commits give the files really changed), the
rank correlation between the difficulty prready predicts for an issue and the size of its
fix (files, lines) is measured and printed (`pytest -s`), and pinned."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prready.analysis.difficulty import rank_correlation
from prready.analysis.planner import assess_issues
from prready.app.backtest import fixes_from_commits
from prready.app.demo import build_sample_origin, load_sample_issues
from prready.app.map import build_code_map
from prready.app.workspace import Workspace
from prready.demo import SAMPLE_NOW, SAMPLE_SLUG
from prready.paths import resolve_paths
from prready.sources.git_repo import read_history
from prready.store import issues_store


def test_rank_correlation() -> None:
    assert rank_correlation([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert rank_correlation([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # Ties share their average rank: ranks (1.5, 1.5, 3) against (1, 2, 3).
    assert rank_correlation([1, 1, 2], [1, 2, 3]) == pytest.approx(0.8660254)
    assert rank_correlation([1, 1, 1], [1, 2, 3]) is None
    assert rank_correlation([1, 2], [1, 2]) is None


def test_difficulty_follows_fix_size_on_the_development_set() -> None:
    paths = resolve_paths()
    origin = build_sample_origin(paths)
    with Workspace(paths) as ws:
        load_sample_issues(ws)
    with Workspace(paths, offline=True) as ws:
        code_map = build_code_map(ws, SAMPLE_SLUG, checkout=origin)
    fixes = fixes_from_commits(read_history(origin), SAMPLE_SLUG)
    conn = issues_store.open_cache(paths)
    try:
        closed = [
            i
            for i in issues_store.load_issues(conn, SAMPLE_SLUG, "closed")
            if i.number in fixes and i.state_reason != "not_planned"
        ]
        labels = issues_store.load_labels(conn, SAMPLE_SLUG)
    finally:
        conn.close()
    assessed = assess_issues(closed, code_map, labels, {}, now=SAMPLE_NOW)
    predicted = [a.difficulty.score for a in assessed]
    files = [len(fixes[a.issue.number][1]) for a in assessed]
    lines = [_lines_changed(origin, fixes[a.issue.number][0]) for a in assessed]
    rho_files = rank_correlation(predicted, files)
    rho_lines = rank_correlation(predicted, lines)
    print(f"\ndifficulty vs fix size over {len(assessed)} fixes: "
          f"rho(files) = {rho_files}, rho(lines) = {rho_lines}")  # fmt: skip
    for a, n, k in zip(assessed, files, lines, strict=True):
        print(f"  #{a.issue.number} difficulty {a.difficulty.score}, {n} file(s), {k} lines: {a.issue.title}")
    assert len(assessed) >= 8
    # Measured, not a target: the sample's fixes are all small (1-2 files, 1-13 lines),
    # and its hardest issues (a C++ segfault, a CUDA overflow) were fixed in one or two
    # lines, so on this set the correlation is negative (rho(files) -0.37, rho(lines)
    # -0.33 when written; -0.40 and -0.40 since areas are ranked by vote, API clues weigh
    # less and the focus starts at 0.65 of the best match; -0.35 and -0.31 since past fix
    # sizes are quoted, not scored, and a quoted error counts like a reproduction, the
    # calibration on 278 real fixes in bench/bench_difficulty.py). Fix size is not
    # difficulty when a one-line native fix needs a build and a GPU; the calibration is
    # bench_difficulty's, this sample only pins the figures. This fails if they move, so
    # a change that moves them is seen and re-reported.
    assert rho_files == pytest.approx(-0.3473, abs=0.01)
    assert rho_lines == pytest.approx(-0.3093, abs=0.01)


def _lines_changed(repo: Path, source: str) -> int:
    """Lines added plus deleted by the fixing commit ("commit 1a2b3c4")."""
    sha = source.split()[-1]
    out = subprocess.run(
        ["git", "show", "--numstat", "--format=", sha],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return sum(int(a) + int(d) for a, d, _ in (line.split("\t", 2) for line in out.splitlines()) if a.isdigit() and d.isdigit())
