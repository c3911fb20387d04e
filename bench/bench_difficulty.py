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
    2.5), i.e. without the code map, history or discussion.

Needs the repositories' snapshots (mapping_set/repos.json lists their git dirs).
`--dump FILE` also writes each issue's features (what difficulty sees, the mapped files
with their past changes, the real fix's size) for offline calibration
(bench/calibrate_difficulty.py); `--table FILE...` prints the table from such dumps
(runs split by repository, one table).

    python bench/bench_difficulty.py
    python bench/bench_difficulty.py --repos peft,trl --limit 10 --dump /tmp/d.jsonl
    python bench/bench_difficulty.py --table /tmp/d1.jsonl /tmp/d2.jsonl
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import IO, Any

from bench_mapping import HERE, Case, checkout_at, commit_date, git, load_cases, repositories
from prready.analysis.difficulty import (
    BASE,
    DOCS_BASE,
    TYPING_BASE,
    assess_difficulty,
    change_kind,
    has_reproduction,
    is_feature_request,
    needs_design,
    rank_correlation,
)
from prready.analysis.issue_templates import as_reported
from prready.analysis.mapping import area_of_node, focus_matches, map_issue_to_modules
from prready.app.map import _recent_history, build_code_map
from prready.app.retrieval import mapping_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap, CommitRecord
from prready.models import Issue, ModuleMatch
from prready.paths import Paths, resolve_paths

PREDICTORS = ("prready difficulty", "body length", "text kind")
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
    parser.add_argument(
        "--dump", type=Path, help="write each issue's features and real fix size here (JSONL)"
    )
    parser.add_argument("--table", type=Path, nargs="+", help="print the table from these dumps")
    args = parser.parse_args(argv)
    if args.table:
        print_table(
            [
                row_of(json.loads(line))
                for p in args.table
                for line in p.read_text().splitlines()
                if line.strip()
            ]
        )
        return 0
    repos = json.loads((args.set / "repos.json").read_text())
    fixes = fix_commits(args.set)
    cases = load_cases(args.set, args.repos, args.limit)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="prready-bench-difficulty-"))
    os.environ.setdefault("PRREADY_HOME", str(work / "home"))
    paths = resolve_paths()
    rows: list[Row] = []
    skipped = 0
    dump = args.dump.open("w") if args.dump else None
    for repo, mirror, checkout, repo_cases in repositories(cases, repos, work):
        for case in repo_cases:
            fix = fixes.get((repo, case.number))
            # HEAD is the parent: the history prready reads (past fix sizes) ends there.
            if fix is None or not checkout_at(checkout, case.parent):
                skipped += 1
                continue
            rows.append(rate(case, fix, checkout, str(mirror), paths, dump))
    if dump:
        dump.close()
    elapsed = time.perf_counter() - started
    print_table(rows)
    print(f"\n{len(rows)} issues rated, {skipped} skipped (no fix commit or no checkout); "
          f"{elapsed:.0f} s")  # fmt: skip
    return 0


def rate(
    case: Case, fix: str, checkout: Path, mirror: str, paths: Paths, dump: IO[str] | None = None
) -> Row:
    """One issue: prready's difficulty at the parent, the baselines, the real fix size."""
    with Workspace(paths) as ws:
        code_map = build_code_map(ws, case.repo, checkout=checkout)
        index = mapping_index(ws, code_map)
    issue = Issue(
        repo=case.repo, number=case.number, title=case.title, body=case.body, state="open",
        labels=[], assignees=[], author="", comments=0, reactions=0, created_at="",
        updated_at="", closed_at=None, url="",
    )  # fmt: skip
    now = commit_date(checkout, case.parent)
    matches = map_issue_to_modules(issue, code_map, (), index=index, history_before=now)
    # As `assess_issues` rates it: the reporter's words, not the template's or a setup report.
    filed, issue = issue, as_reported(issue, index.issue_template)
    repro = has_reproduction(issue, filed.body, index.issue_template)
    difficulty = assess_difficulty(issue, matches, code_map, (), now, reproduction=repro)
    files, lines = fix_size(mirror, case.parent, fix)
    if dump is not None:
        record = features(issue, matches, code_map, checkout, paths, now)
        record["repro"] = repro
        record.update(
            repo=case.repo, issue=case.number, score=difficulty.score,
            reasons=difficulty.reasons, fix_files=files, fix_lines=lines,
        )  # fmt: skip
        dump.write(json.dumps(record, sort_keys=True) + "\n")
        dump.flush()
    start = {"docs": DOCS_BASE, "typing": TYPING_BASE}.get(change_kind(issue), BASE)
    return Row(
        case.repo,
        {
            "prready difficulty": float(difficulty.score),
            "body length": float(len(case.body)),
            "text kind": start,
        },
        {"files": float(files), "lines": float(lines)},
    )


_API_NAME = re.compile(r"`([A-Za-z_][\w.]*(?:\(\))?)`|\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\b")
_FEATURE_WORDS = re.compile(
    r"\b(add(?:ing)? support|support for|feature|implement\w*|new (?:option|argument|api|method)|"
    r"would be (?:nice|great|useful)|allow\w*|enable)\b",
    re.IGNORECASE,
)
_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^\s*File \"[^\"]+\", line \d+|\w+Error:", re.M
)


def features(
    issue: Issue,
    matches: Sequence[ModuleMatch],
    code_map: CodeMap,
    checkout: Path,
    paths: Paths,
    now: str,
) -> dict[str, Any]:
    """Everything difficulty sees (and some it does not), as plain data for offline
    calibration: the issue's text signals, the mapped modules with their size, importers
    and the past changes to each mapped file (from the same year of history the code map
    reads), and the area's past fix sizes."""
    body = issue.body or ""
    text = f"{issue.title}\n{body}"
    names = {a or b for a, b in _API_NAME.findall(text)}
    history = _recent_history(checkout, code_map.head, paths.cache_db)
    focus = focus_matches(matches, 3)
    considered = [m for m in focus if m.score >= 0.2] or list(matches[:1])
    mapped = []
    for rank, match in enumerate(matches[:10]):
        info = code_map.modules.get(match.name)
        area = area_of_node(match.name, code_map)
        item: dict[str, Any] = {
            "rank": rank, "name": match.name, "path": match.path, "score": round(match.score, 4),
            "module": info is not None, "area": area,
            "considered": match in considered,
        }  # fmt: skip
        if info is not None:
            ranks = sorted(
                m.dependents for m in code_map.modules.values()
                if m.language == info.language and not m.is_test
            )  # fmt: skip
            item.update(
                language=info.language, lines=info.lines, dependents=info.dependents,
                dependents_share=round(bisect.bisect_left(ranks, info.dependents) / max(1, len(ranks)), 4),
                is_test=info.is_test, past=_file_history(history, info.path),
            )  # fmt: skip
        if area in code_map.areas:
            a = code_map.areas[area]
            item["area_info"] = {
                "files": len(a.modules), "lines": a.lines, "churn": a.churn,
                "past_fixes": a.past_fixes, "languages": a.languages,
                "centrality": a.centrality, "dependents": a.dependents,
            }  # fmt: skip
        mapped.append(item)
    return {
        "title": issue.title,
        "change": change_kind(issue),
        "feature": is_feature_request(issue),
        "design": needs_design(issue, ()),
        "repro": has_reproduction(issue),
        "traceback": bool(_TRACEBACK.search(body)),
        "body_chars": len(body),
        "title_chars": len(issue.title),
        "code_blocks": body.count("```") // 2,
        "api_names": len(names),
        "feature_words": len(_FEATURE_WORDS.findall(text)),
        "repo_modules": sum(1 for m in code_map.modules.values() if not m.is_test),
        "repo_commits_year": len(history),
        "repo_median_files": _median([len(c.files) for c in history]),
        "repo_median_lines": _median([c.lines for c in history if c.lines is not None]),
        "matches": mapped,
    }


def _file_history(history: Sequence[CommitRecord], path: str) -> dict[str, Any]:
    """Commits of the year that touched this file: how many, and the median files and
    lines of them (all, and those whose message says fix)."""
    touched = [c for c in history if path in c.files and len(c.files) <= 100]
    fixes = [c for c in touched if _FIX.search(c.message)]
    return {
        "count": len(touched),
        "files": _median([len(c.files) for c in touched]),
        "lines": _median([c.lines for c in touched if c.lines is not None]),
        "fix_count": len(fixes),
        "fix_files": _median([len(c.files) for c in fixes]),
        "fix_lines": _median([c.lines for c in fixes if c.lines is not None]),
    }


_FIX = re.compile(r"\bfix(?:e[sd]|ing)?\b|\bbugs?\b|\bregression\b", re.IGNORECASE)


def _median(values: Sequence[int]) -> float | None:
    return float(median(values)) if values else None


def row_of(record: dict[str, Any]) -> Row:
    """A table row from a dumped record (the same predictors as `rate`)."""
    start = {"docs": DOCS_BASE, "typing": TYPING_BASE}.get(record["change"], BASE)
    return Row(
        record["repo"],
        {
            "prready difficulty": float(record["score"]),
            "body length": float(record["body_chars"]),
            "text kind": start,
        },
        {"files": float(record["fix_files"]), "lines": float(record["fix_lines"])},
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
                rho = rank_correlation(
                    [r.predicted[name] for r in group], [r.size[size] for r in group]
                )
                cells.append(f"{'n/a' if rho is None else f'{rho:+.2f}':>12}")
            print(f"{repo:32} {name:20} {len(group):>4}" + "".join(cells))
    if rows:
        scores = defaultdict(int)
        for row in rows:
            scores[int(row.predicted["prready difficulty"])] += 1
        print("\nprready difficulty scores given:", dict(sorted(scores.items())))


if __name__ == "__main__":
    sys.exit(main())
