"""Which difficulty rules follow the real fix's size? Leave-one-repository-out, offline.

Reads the per-issue features `bench_difficulty.py --dump` writes (each issue of
`bench/mapping_set/` rated at its fix's parent, with the real fix's size) and the issues'
text from the set, then, for each repository in turn, picks the rule weights that give the
best mean Spearman rho (files and lines, per repository, weighted by issues) on the OTHER
repositories and reports rho on the held-out one. The grid is small on purpose (a handful
of explainable rules, half-point steps) so the choice cannot fit noise repository by
repository. Runs in seconds; no git, no code map.

    python bench/bench_difficulty.py --dump /tmp/difficulty.jsonl
    python bench/calibrate_difficulty.py /tmp/difficulty.jsonl

Rules (added to the start by kind: docs 1, typing 1.5, code 2.5; rounded half up, 1-5):
  central   the centrality points the dump's rating gave, times 0, 0.5 or 1;
  areas     the areas-spanned points, times 0 or 1;
  past      the former past-fix-size rule (median files <= 2 and lines <= 30: -0.5; >= 5
            files or 150 lines: +0.5, twice that: +1), on or off;
  error     a quoted error counts like a reproduction (-0.5), on or off;
  feature   a feature request (asks_for_feature): +0.5 or +1;
  names     N or more named APIs: +0 or +0.5, and +0.5 more at 2N (N in 3, 4, 5).
Only code changes get the text rules; design, beginner and native rules do not vary here
(the set has no labels, comments or native fixes).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_mapping import HERE
from prready.analysis.difficulty import (
    asks_for_feature,
    has_reproduction,
    named_apis,
    quotes_error,
    rank_correlation,
)
from prready.analysis.issue_templates import as_reported
from prready.models import Issue

GRID: dict[str, list[Any]] = {
    "central": [0.0, 0.5, 1.0],
    "areas": [0.0, 1.0],
    "past": [0, 1],
    "error": [0, 1],
    "feature": [0.5, 1.0],
    "names": [0.0, 0.5],
    "names_at": [3, 4, 5],
    "names_twice": [0.0, 0.5],
}
SHIPPED = {"central": 1.0, "areas": 1.0, "past": 0, "error": 1, "feature": 1.0,
           "names": 0.5, "names_at": 4, "names_twice": 0.5}  # fmt: skip
FORMER = {"central": 1.0, "areas": 1.0, "past": 1, "error": 0, "feature": 0.5,
          "names": 0.0, "names_at": 3, "names_twice": 0.0}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dumps", nargs="+", type=Path, help="bench_difficulty.py --dump files")
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    args = parser.parse_args(argv)
    texts = {}
    for path in sorted(args.set.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                texts[(item["repo"], item["issue"])] = (item["title"], item["body"])
    rows = [
        json.loads(line) for p in args.dumps for line in p.read_text().splitlines() if line.strip()
    ]
    if not rows:
        print("no rows in the dump", file=sys.stderr)
        return 1
    parts = [components(r, *texts[(r["repo"], r["issue"])]) for r in rows]
    combos = [dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values())]
    combos = [w for w in combos if w["names"] or (w["names_at"] == 3 and not w["names_twice"])]
    scores = [[rate(p, w) for p in parts] for w in combos]
    repos = sorted({r["repo"] for r in rows})
    print(f"{len(rows)} issues, {len(combos)} weight sets\n")
    print(
        f"{'held out':32} {'n':>4} {'rho files':>10} {'rho lines':>10}   weights chosen on the others"
    )
    held: list[float] = [0.0] * len(rows)
    for repo in repos:
        train = [i for i, r in enumerate(rows) if r["repo"] != repo]
        test = [i for i, r in enumerate(rows) if r["repo"] == repo]
        best = max(
            range(len(combos)),
            key=lambda k: (round(objective(rows, scores[k], train), 4), -complexity(combos[k])),
        )
        for i in test:
            held[i] = scores[best][i]
        f, lines, n = per_repo(rows, scores[best], test)[repo]
        print(f"{repo:32} {n:>4} {f:>+10.2f} {lines:>+10.2f}   {shown(combos[best])}")
    everything = list(range(len(rows)))
    print(f"{'all, held-out predictions':32} {len(rows):>4} "
          f"{_rho(held, rows, 'fix_files'):>+10.2f} {_rho(held, rows, 'fix_lines'):>+10.2f}")  # fmt: skip
    for name, w in (("shipped rule", SHIPPED), ("former rule", FORMER)):
        s = [rate(p, w) for p in parts]
        print(f"\n{name}: {shown(w)}")
        for repo, (f, lines, n) in sorted(per_repo(rows, s, everything).items()):
            print(f"  {repo:30} {n:>4} {f:>+10.2f} {lines:>+10.2f}")
        print(f"  {'all':30} {len(rows):>4} {_rho(s, rows, 'fix_files'):>+10.2f} "
              f"{_rho(s, rows, 'fix_lines'):>+10.2f}")  # fmt: skip
        by_score: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for score, row in zip(s, rows, strict=True):
            by_score[score].append(row)
        for score, group in sorted(by_score.items()):
            files = sorted(r["fix_files"] for r in group)
            lines_ = sorted(r["fix_lines"] for r in group)
            print(f"  score {score}: {len(group):>3} issues, median fix {files[len(files) // 2]} "
                  f"file(s), {lines_[len(lines_) // 2]} lines")  # fmt: skip
    return 0


def components(row: dict[str, Any], title: str, body: str) -> dict[str, float]:
    """The parts of a rating the grid varies, from the dump and the issue's text."""
    issue = as_reported(
        Issue(
            repo=row["repo"], number=row["issue"], title=title, body=body, state="open",
            labels=[], assignees=[], author="", comments=0, reactions=0, created_at="",
            updated_at="", closed_at=None, url="",
        )
    )  # fmt: skip  (the set's texts carry no template: `assess_issues` reads them so)
    code = row["change"] == "code"
    return {
        "start": {"docs": 1.0, "typing": 1.5}.get(row["change"], 2.5),
        "code": float(code),
        "central": _points(row["reasons"], "imported"),
        "areas": _points(row["reasons"], "spans "),
        "design": _points(row["reasons"], "design decision"),
        "past": _former_past(row) if code else 0.0,
        "repro": float(code and has_reproduction(issue)),
        "error": float(code and not has_reproduction(issue) and quotes_error(issue)),
        "feature": float(code and asks_for_feature(issue)),
        "names": float(len(named_apis(issue))) if code else 0.0,
    }


def rate(p: dict[str, float], w: dict[str, Any]) -> int:
    s = p["start"] + p["design"] + w["central"] * p["central"] + w["areas"] * p["areas"]
    s += w["past"] * p["past"] - 0.5 * p["repro"] - 0.5 * w["error"] * p["error"]
    s += w["feature"] * p["feature"]
    s += w["names"] * (p["names"] >= w["names_at"])
    s += w["names_twice"] * (p["names"] >= 2 * w["names_at"])
    return int(min(5, max(1, math.floor(s + 0.5))))


def per_repo(
    rows: list[dict[str, Any]], scores: list[int], idx: list[int]
) -> dict[str, tuple[float, float, int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        groups[rows[i]["repo"]].append(i)
    out = {}
    for repo, members in groups.items():
        s = [scores[i] for i in members]
        sub = [rows[i] for i in members]
        out[repo] = (_rho(s, sub, "fix_files"), _rho(s, sub, "fix_lines"), len(members))
    return out


def objective(rows: list[dict[str, Any]], scores: list[int], idx: list[int]) -> float:
    per = per_repo(rows, scores, idx)
    return sum((f + lines) / 2 * n for f, lines, n in per.values()) / max(1, len(idx))


def complexity(w: dict[str, Any]) -> float:
    """Ties go to the plainer rule: fewer and smaller points."""
    return (
        w["central"]
        + w["areas"]
        + w["past"]
        + w["error"]
        + w["feature"]
        + w["names"]
        + w["names_twice"]
    )


def shown(w: dict[str, Any]) -> str:
    return " ".join(f"{k}={v:g}" for k, v in w.items())


def _rho(scores: Sequence[float], rows: Sequence[dict[str, Any]], size: str) -> float:
    return rank_correlation(list(scores), [r[size] for r in rows]) or 0.0


def _points(reasons: list[str], marker: str) -> float:
    for reason in reasons:
        if marker in reason and reason.endswith(")"):
            tail = reason.rsplit("(", 1)[-1].rstrip(")")
            try:
                return float(tail)
            except ValueError:
                return 0.0
    return 0.0


def _former_past(row: dict[str, Any]) -> float:
    """The past-fix-size points of the rule before calibration, from the first considered
    match's area with at least three past fixes."""
    for match in row["matches"]:
        sizes = (match.get("area_info") or {}).get("past_fixes") or {}
        if match["considered"] and sizes.get("count", 0) >= 3:
            files, lines = float(sizes.get("files", 0)), sizes.get("lines")
            if files >= 10 or (lines is not None and lines >= 300):
                return 1.0
            if files >= 5 or (lines is not None and lines >= 150):
                return 0.5
            if files <= 2 and (lines is None or lines <= 30) and sizes.get("native", 0) < 0.2:
                return -0.5
            return 0.0
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
