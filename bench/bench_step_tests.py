"""How often does a step card's "tests to run" name a test file the real fix changed?

On the development set of `bench/mapping_set/` (real issues of ML libraries other than
PyTorch and Keras, each with the files its real fix changed), each issue is mapped at its
fix's parent commit, as `bench_mapping.py` does, and described as `prready plan` describes a
step (`steps.describe_step`, with the names each test file uses). The truth is the test
files the fix changed that already existed at the parent commit (a regression test added
to the suite the step should have pointed at); issues whose fix added tests only, or none,
are left out. Printed per repository and overall: test@1/@3/@6 (a test file the fix
changed is among the first k of the card's tests; the card shows at most 6). `--dump`
writes each issue's card, the tiers' order, the words' order and the baseline's.

The baseline, measured in the same run: rank_bm25 (BM25Okapi) over one document per
runnable test file = its path words + the identifiers it uses split on `_`/camelCase,
queried with the issue's title and body split the same way: test retrieval as a textbook
would do it, with no mapping.

    python bench/bench_step_tests.py                    # every repository
    python bench/bench_step_tests.py --repos peft,jax --misses
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

from bench_mapping import baseline_words, checkout_at, commit_date, load_cases, repositories
from prready.analysis import steps
from prready.analysis.docs_pages import DocsPages
from prready.analysis.history import build_history
from prready.analysis.lexicon import query_terms
from prready.analysis.mapping import MapIndex, map_issue_to_modules
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.step_tests import runnable_tests
from prready.analysis.steps import describe_step, map_facts
from prready.app.map import build_code_map
from prready.app.names_in_tests import names_in_tests
from prready.app.retrieval import mapping_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.models import (
    ContributingSummary,
    Difficulty,
    Issue,
    IssueAssessment,
    PlanStep,
    SkillFit,
    TakenStatus,
)
from prready.paths import resolve_paths
from prready.sources.git_repo import read_history

HERE = Path(__file__).resolve().parent
KS = (1, 3, 6)
MAX_TEST_BYTES = 1_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    parser.add_argument("--repos", default="", help="comma-separated repository names")
    parser.add_argument("--limit", type=int, default=0, help="at most N issues per repository")
    parser.add_argument("--misses", action="store_true", help="print prready's test@6 misses")
    parser.add_argument("--dump", type=Path, help="write each issue's rankings (JSON lines)")
    args = parser.parse_args()
    repos = json.loads((args.set / "repos.json").read_text())
    cases = load_cases(args.set, args.repos, args.limit)
    hits: dict[tuple[str, str], list[list[bool]]] = defaultdict(list)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="prready-bench-tests-"))
    os.environ.setdefault("PRREADY_HOME", str(work / "home"))
    paths = resolve_paths()
    left_out = 0
    dump = args.dump.open("w") if args.dump else None
    for repo, mirror, checkout, repo_cases in repositories(cases, repos, work):
        history = build_history(read_history(mirror, merges=True), limit=10**6, repo=repo)
        for case in repo_cases:
            if not checkout_at(checkout, case.parent):
                left_out += 1
                continue
            with Workspace(paths) as ws:
                code_map = build_code_map(ws, repo, checkout=checkout)
                index = mapping_index(ws, code_map, commits=[])
                test_names = names_in_tests(code_map, ws.parse_cache)
            index.history = history
            runnable = runnable_tests(code_map)
            truth = set(case.changed) & {path for path, _, _ in runnable}
            if not truth:  # the fix changed no test that existed before it
                left_out += 1
                continue
            issue = Issue(
                repo=repo, number=case.number, title=case.title, body=case.body,
                state="open", labels=[], assignees=[], author="", comments=0, reactions=0,
                created_at="", updated_at="", closed_at=None, url="",
            )  # fmt: skip
            before = commit_date(checkout, case.parent)
            ours = step_tests(issue, code_map, index, test_names, before)
            theirs = bm25_tests(issue, checkout, [path for path, _, _ in runnable])
            for name, ranked in (("prready", ours), ("BM25 baseline", theirs)):
                row = [bool(truth & set(ranked[:k])) for k in KS]
                hits[(repo, name)].append(row)
                hits[("all", name)].append(row)
            if dump is not None:
                dump.write(json.dumps({
                    "repo": repo, "number": case.number, "truth": sorted(truth),
                    "ours": ours, "bm25": theirs, "ranked": _LAST_RANKED[:50],
                    "by_words": test_names.by_words(query_terms(case.title, case.body), 50),
                }) + "\n")  # fmt: skip
            if args.misses and not truth & set(ours):
                print(
                    f"MISS {repo}#{case.number} {case.title[:60]!r}\n  truth {sorted(truth)}\n"
                    f"  got   {ours}\n  bm25  {theirs[:6]}",
                    file=sys.stderr,
                )
    print_table(hits)
    print(
        f"\n{left_out} issues left out (the fix changed no test file that existed at its "
        f"parent commit, or the commit could not be checked out); "
        f"{time.perf_counter() - started:.0f} s"
    )
    return 0


# `--dump` writes the tiers' own order too (before `fuse_tests`): `rank_tests` is wrapped
# to keep the last one it gave (the bench maps one issue at a time).
_LAST_RANKED: list[tuple[str, int]] = []


def _keep_ranked(*args, **kwargs):  # type: ignore[no-untyped-def]
    ranked = _rank_tests(*args, **kwargs)
    _LAST_RANKED[:] = ranked
    return ranked


_rank_tests = steps.rank_tests
steps.rank_tests = _keep_ranked


def step_tests(
    issue: Issue, code_map: CodeMap, index: MapIndex, test_names: NamesInTests, before: str
) -> list[str]:
    """The tests a plan's step card lists for the issue, as `prready plan` works them out."""
    return describe(issue, code_map, index, test_names, before).tests


def describe(
    issue: Issue,
    code_map: CodeMap,
    index: MapIndex,
    test_names: NamesInTests,
    before: str,
    docs: DocsPages | None = None,
) -> PlanStep:
    """The issue mapped and described as `prready plan` describes a step (`docs`: the
    repository's documentation pages, as a plan reads them)."""
    matches = map_issue_to_modules(issue, code_map, (), index=index, history_before=before)
    assessment = IssueAssessment(
        issue=issue,
        modules=matches,
        difficulty=Difficulty(3, []),
        skills=[],
        taken=TakenStatus("fresh"),
    )
    return describe_step(
        2,
        assessment,
        SkillFit([], [], []),
        code_map,
        ContributingSummary("", [], [], [], []),
        test_names=test_names,
        facts=map_facts(code_map),
        docs=docs,
    )


def words(text: str) -> list[str]:
    """The baseline's words: `bench_mapping.baseline_words` without number parts."""
    return baseline_words(text, digits=False)


def bm25_tests(issue: Issue, checkout: Path, tests: list[str]) -> list[str]:
    """The runnable test files ranked by BM25 against the issue's text."""
    if not tests:
        return []
    docs = []
    for path in tests:
        try:
            with open(checkout / path, "rb") as f:
                text = f.read(MAX_TEST_BYTES).decode("utf-8", "replace")
        except OSError:
            text = ""
        docs.append(words(path.replace("/", " ").replace(".py", "")) + words(text))
    scores = BM25Okapi(docs).get_scores(words(f"{issue.title}\n{issue.body}"))
    order = sorted(range(len(tests)), key=lambda i: (-scores[i], tests[i]))
    return [tests[i] for i in order if scores[i] > 0][: max(KS)]


def print_table(hits: dict[tuple[str, str], list[list[bool]]]) -> None:
    header = f"{'repository':34} {'ranking':15} {'n':>4} " + " ".join(
        f"{f'test@{k}':>8}" for k in KS
    )
    print(header)
    print("-" * len(header))
    for (repo, name), rows in sorted(hits.items(), key=lambda kv: (kv[0][0] == "all", kv[0])):
        rates = [100 * sum(r[i] for r in rows) / len(rows) for i in range(len(KS))]
        print(f"{repo:34} {name:15} {len(rows):>4} " + " ".join(f"{r:7.1f}%" for r in rates))


if __name__ == "__main__":
    sys.exit(main())
