"""Does prready's difficulty predict how big the real fix was?

On the development set in `bench/mapping_set/` (real issues of ML libraries other than
PyTorch and Keras, each with its real fix), each issue is rated at its fix's parent
commit exactly as `prready plan` rates it (the issue mapped to code, then
`assess_difficulty`), from the issue's title and body only: labels removed, no comments,
and the clone's history ends at the parent, so nothing of the fix is seen. The real size
is read from the fix itself (`git diff --numstat parent fix`): files changed and lines
added + deleted.

Prints the Spearman rank correlation (ties averaged) of each predictor with each size,
per repository and overall, next to baselines computed in the same run:
  * body length: characters in the issue's body (longer reports, bigger fixes?);
  * text kind: the start score of prready's difficulty alone (docs 1, typing 1.5, code
    2.5), i.e. without the code map, history or discussion;
  * prready, no lines: prready's difficulty without the line counts of past fixes (as
    from a blobless clone), files and languages only.

Needs the repositories' snapshots (mapping_set/repos.json lists their git dirs).

    python bench/bench_difficulty.py
    python bench/bench_difficulty.py --repos peft,trl --limit 10
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_mapping import HERE, SPARSE, Case, checkout_at, commit_date, git, load_cases
from prready.analysis.difficulty import (
    BASE,
    DOCS_BASE,
    TYPING_BASE,
    assess_difficulty,
    change_kind,
    rank_correlation,
)
from prready.analysis.mapping import map_issue_to_modules
from prready.app.map import build_code_map
from prready.app.retrieval import mapping_index
from prready.models import Issue
from prready.paths import Paths, resolve_paths

PREDICTORS = ("prready difficulty", "prready, no lines", "body length", "text kind")
SIZES = ("files", "lines")


@dataclass
class Row:
    repo: str
    predicted: dict[str, float]
    size: dict[str, float]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    parser.add_argument("--repos", default="", help="comma-separated repository names")
    parser.add_argument("--limit", type=int, default=0, help="at most N issues per repository")
    args = parser.parse_args(argv)
    repos = json.loads((args.set / "repos.json").read_text())
    fixes = fix_commits(args.set)
    cases = load_cases(args.set, args.repos, args.limit)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="prready-bench-difficulty-"))
    os.environ.setdefault("PRREADY_HOME", str(work / "home"))
    paths = resolve_paths()
    rows: list[Row] = []
    skipped = 0
    for repo in sorted({c.repo for c in cases}):
        mirror = repos[repo]["mirror"]
        if not Path(mirror).exists():
            print(f"{repo}: snapshot {mirror} absent (fetch it first): skipped", file=sys.stderr)
            continue
        checkout = work / repo.replace("/", "+")
        git("clone", "-q", "--shared", "--no-checkout", mirror, str(checkout))
        git("sparse-checkout", "set", "--no-cone", *SPARSE, cwd=checkout)
        for case in sorted((c for c in cases if c.repo == repo), key=lambda c: c.number):
            fix = fixes.get((repo, case.number))
            # HEAD is the parent: the history prready reads (past fix sizes) ends there.
            if fix is None or not checkout_at(checkout, case.parent):
                skipped += 1
                continue
            rows.append(rate(case, fix, checkout, mirror, paths))
    elapsed = time.perf_counter() - started
    print_table(rows)
    print(f"\n{len(rows)} issues rated, {skipped} skipped (no fix commit or no checkout); "
          f"{elapsed:.0f} s")  # fmt: skip
    return 0


def rate(case: Case, fix: str, checkout: Path, mirror: str, paths: Paths) -> Row:
    """One issue: prready's difficulty at the parent, the baselines, the real fix size."""
    code_map = build_code_map(case.repo, paths, checkout=checkout)
    index = mapping_index(code_map, paths.cache_db)
    issue = Issue(
        repo=case.repo, number=case.number, title=case.title, body=case.body, state="open",
        labels=[], assignees=[], author="", comments=0, reactions=0, created_at="",
        updated_at="", closed_at=None, url="",
    )  # fmt: skip
    now = commit_date(checkout, case.parent)
    matches = map_issue_to_modules(issue, code_map, (), index=index, history_before=now)
    difficulty = assess_difficulty(issue, matches, code_map, (), now)
    # The same without line counts of past fixes (what a blobless clone gives).
    for area in code_map.areas.values():
        area.past_fixes = {k: v for k, v in area.past_fixes.items() if k != "lines"}
    no_lines = assess_difficulty(issue, matches, code_map, (), now)
    start = {"docs": DOCS_BASE, "typing": TYPING_BASE}.get(change_kind(issue), BASE)
    files, lines = fix_size(mirror, case.parent, fix)
    return Row(
        case.repo,
        {
            "prready difficulty": float(difficulty.score),
            "prready, no lines": float(no_lines.score),
            "body length": float(len(case.body)),
            "text kind": start,
        },
        {"files": float(files), "lines": float(lines)},
    )


def fix_commits(folder: Path) -> dict[tuple[str, int], str]:
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                out[(item["repo"], item["issue"])] = item["fix_commit"]
    return out


def fix_size(mirror: str, parent: str, fix: str) -> tuple[int, int]:
    """(files changed, lines added + deleted) of the fix; binary files count as files."""
    out = git("--git-dir", mirror, "diff", "--numstat", "--no-renames", parent, fix)
    files = lines = 0
    for row in out.splitlines():
        added, deleted, _path = row.split("\t", 2)
        files += 1
        lines += (int(added) if added.isdigit() else 0) + (int(deleted) if deleted.isdigit() else 0)
    return files, lines


def print_table(rows: list[Row]) -> None:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.repo].append(row)
        groups["all"].append(row)
    head = f"{'repository':32} {'predictor':20} {'n':>4}" + "".join(
        f"  rho({s}){'':>2}" for s in SIZES
    )
    print(head)
    print("-" * len(head))
    for repo in [*sorted(k for k in groups if k != "all"), "all"]:
        group = groups[repo]
        for name in PREDICTORS:
            cells = []
            for size in SIZES:
                rho = rank_correlation([r.predicted[name] for r in group], [r.size[size] for r in group])
                cells.append(f"{'n/a' if rho is None else f'{rho:+.2f}':>12}")
            print(f"{repo:32} {name:20} {len(group):>4}" + "".join(cells))
    if rows:
        scores = defaultdict(int)
        for row in rows:
            scores[int(row.predicted["prready difficulty"])] += 1
        print("\nprready difficulty scores given:", dict(sorted(scores.items())))


if __name__ == "__main__":
    sys.exit(main())
