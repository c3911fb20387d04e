"""Does a docs issue's step card send the reader to the page the real fix changed?

On the documentation issues of `bench/docs_set/` (real issues of ML libraries other than
PyTorch and Keras whose real fix changed only documentation files), each issue is mapped
at its fix's parent commit and described as `prready plan` describes a step
(`steps.describe_step`). Printed per repository and overall: read@1/@3 (a file the fix
changed is among the first k files of the card's "start reading"; the card shows at most
6) and how many of the issues prready calls documentation work (`kinds`).

The baseline, measured in the same run: rank_bm25 (BM25Okapi) over one document per
tracked documentation file (`.md`, `.mdx`, `.rst`, `.ipynb`) = its path words and
its text's words split on `_`/camelCase, queried with the issue's title and body split the
same way: docs retrieval as a textbook would do it.

"without pages" is prready's card without the docs pages (the reading as it was before
them), measured in the same run. `--set ../mapping_set` (the code fixes' set) checks the
other side: only the issues prready calls documentation work are described there (`--all`:
every issue), and the truth is every file the fix changed (mostly library code: a docs
page put first there is a wrong pick).

Labels are kept (a plan reads an open issue's labels); `--no-labels` drops them.

    python bench/bench_docs_reading.py                   # bench/docs_set/issues.jsonl
    python bench/bench_docs_reading.py --set bench/docs_set --file fresh.jsonl
    python bench/bench_docs_reading.py --set bench/mapping_set --misses
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rank_bm25 import BM25Okapi

from bench_mapping import (
    SPARSE,
    Case,
    baseline_words,
    checkout_at,
    commit_date,
    load_cases,
    repositories,
)
from bench_step_tests import describe
from prready.analysis.history import build_history
from prready.analysis.kinds import classify_issue
from prready.app.docs_pages import docs_pages
from prready.app.map import build_code_map
from prready.app.names_in_tests import names_in_tests
from prready.app.retrieval import mapping_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.models import (
    Issue,
)
from prready.paths import resolve_paths
from prready.sources.git_repo import read_history

HERE = Path(__file__).resolve().parent
KS = (1, 3)
# prready, prready with the step's reading as it was before docs pages (the ablation), and
# the baseline.
RANKINGS = ("prready", "without pages", "BM25 baseline")
DOC_SUFFIXES = (".md", ".mdx", ".rst", ".ipynb")
MAX_PAGE_BYTES = 2_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=HERE / "docs_set")
    parser.add_argument("--file", default="", help="one .jsonl file of the set (default: all)")
    parser.add_argument("--repos", default="", help="comma-separated repository names")
    parser.add_argument("--no-labels", action="store_true", help="map the issues without labels")
    parser.add_argument(
        "--all", action="store_true", help="with --set mapping_set: every issue, not only docs work"
    )
    parser.add_argument("--misses", action="store_true", help="print prready's read@3 misses")
    parser.add_argument("--dump", type=Path, help="write each issue's cards (JSON lines)")
    args = parser.parse_args()
    repos = json.loads((HERE / "mapping_set" / "repos.json").read_text())
    cases = load_cases(args.set, args.repos, 0, args.file or "*.jsonl")
    code_fixes = args.set.resolve() == (HERE / "mapping_set").resolve()
    if code_fixes and not args.all:  # only docs work is sent to a docs page first
        cases = [c for c in cases if classify_issue(as_issue(c, args.no_labels)).has("docs")]
    hits: dict[tuple[str, str], list[list[bool]]] = defaultdict(list)
    called_docs: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="prready-bench-docs-"))
    os.environ.setdefault("PRREADY_HOME", str(work / "home"))
    paths = resolve_paths()
    left_out = 0
    dump = args.dump.open("w") if args.dump else None
    sparse = [*SPARSE, "*.ipynb", "*.mdx"]  # (no *.txt: data files the snapshots lack)
    for repo, mirror, checkout, repo_cases in repositories(cases, repos, work, sparse):
        history = build_history(read_history(mirror, merges=True), limit=10**6, repo=repo)
        for case in repo_cases:
            if not checkout_at(checkout, case.parent):
                left_out += 1
                continue
            with Workspace(paths) as ws:
                code_map = build_code_map(ws, repo, checkout=checkout)
                index = mapping_index(ws, code_map, commits=[])
                test_names = names_in_tests(code_map, ws.parse_cache)
                pages = docs_pages(code_map, ws.parse_cache)
            index.history = history
            truth = set(case.changed) & set(code_map.files)
            if not truth:
                left_out += 1
                continue
            issue = as_issue(case, args.no_labels)
            is_docs = classify_issue(issue).has("docs")
            called_docs[repo] += int(is_docs)
            called_docs["all"] += int(is_docs)
            before = commit_date(checkout, case.parent)
            ours = describe(issue, code_map, index, test_names, before, pages).start_reading
            without = describe(issue, code_map, index, test_names, before).start_reading
            theirs = bm25_pages(issue, code_map)
            for name, ranked in zip(RANKINGS, (ours, without, theirs), strict=True):
                row = [bool(truth & set(ranked[:k])) for k in KS]
                hits[(repo, name)].append(row)
                hits[("all", name)].append(row)
                hits[("all: docs work" if is_docs else "all: other work", name)].append(row)
            if dump is not None:
                dump.write(json.dumps({
                    "repo": repo, "number": case.number, "truth": sorted(truth),
                    "docs": is_docs, "ours": ours, "without": without, "bm25": theirs[:6],
                }) + "\n")  # fmt: skip
            if args.misses and not truth & set(ours[:3]):
                print(
                    f"MISS {repo}#{case.number} {case.title[:60]!r}\n  truth {sorted(truth)}\n"
                    f"  got   {ours}\n  bm25  {theirs[:3]}",
                    file=sys.stderr,
                )
    print_table(hits, called_docs)
    print(
        f"\n{left_out} issues left out (no changed file at the parent commit, or the commit "
        f"could not be checked out); {time.perf_counter() - started:.0f} s"
    )
    return 0


def as_issue(case: Case, no_labels: bool) -> Issue:
    return Issue(
        repo=case.repo, number=case.number, title=case.title, body=case.body,
        state="open", labels=[] if no_labels else list(case.labels), assignees=[],
        author="", comments=0, reactions=0, created_at="", updated_at="", closed_at=None,
        url="",
    )  # fmt: skip


_PAGES: dict[tuple[str, str], tuple[list[str], BM25Okapi]] = {}


def bm25_pages(issue: Issue, code_map: CodeMap) -> list[str]:
    """Every tracked documentation file ranked by BM25 against the issue's words."""
    key = (code_map.root, code_map.key or code_map.head)
    if key not in _PAGES:
        _PAGES.clear()
        pages = [p for p in code_map.files if p.lower().endswith(DOC_SUFFIXES)]
        docs = []
        for page in pages:
            try:
                with open(Path(code_map.root, page), "rb") as f:
                    text = f.read(MAX_PAGE_BYTES).decode("utf-8", errors="replace")
            except OSError:
                text = ""
            docs.append(baseline_words(page.replace("/", " ").replace(".", " ") + " " + text))
        _PAGES[key] = (pages, BM25Okapi(docs) if docs else None)  # type: ignore[assignment]
    pages, bm25 = _PAGES[key]
    if not pages:
        return []
    scores = bm25.get_scores(baseline_words(issue.title + "\n" + issue.body))
    order = sorted(range(len(pages)), key=lambda i: (-scores[i], pages[i]))
    return [pages[i] for i in order[:20]]


def print_table(hits: dict[tuple[str, str], list[list[bool]]], docs: dict[str, int]) -> None:
    header = f"{'repository':<34} {'ranking':<14} {'n':>4} {'docs':>5} " + " ".join(
        f"{f'read@{k}':>8}" for k in KS
    )
    print(header)
    print("-" * len(header))
    totals = ("all", "all: docs work", "all: other work")
    repos = [*sorted({r for r, _ in hits if r not in totals}), *totals]
    for repo in repos:
        for name in RANKINGS:
            rows = hits.get((repo, name))
            if not rows:
                continue
            n = len(rows)
            cells = " ".join(f"{100 * sum(r[i] for r in rows) / n:7.1f}%" for i in range(len(KS)))
            called = f"{docs.get(repo, 0):>5}" if name == "prready" and repo in docs else " " * 5
            print(f"{repo:<34} {name:<14} {n:>4} {called} {cells}")


if __name__ == "__main__":
    raise SystemExit(main())
