"""Benchmark `prready sync` against the loopback GitHub server.

A synthetic repository of 20,000 open issues and 300 labels; prints the requests, 304s,
rate-limit budget spent and wall time of a cold sync, a re-sync with nothing changed, and
a re-sync after 50 issues changed (cpu = this process: client and server thread, since
wall time depends on the machine's load), then checks the budget figures of issue 4:
cold <= ceil(N/100) list requests per label query plus a small constant, unchanged = every
request a 304 (no budget), 50 changes = a few requests per query.

Run: /work/venv/bin/python bench/bench_sync.py [--issues 20000] [--labels 300]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from ghserver import Dataset, GitHubServer
from prready.app.sync import SyncScope, sync_repo
from prready.app.workspace import Workspace
from prready.config import Secret
from prready.paths import Paths
from prready.sources.github_api import GitHubClient

REPO = "bench/torchlike"
# Per query, on top of ceil(N/100) pages: the probe page that keeps the query's ETag, one
# partial last page, and the keyset cursor re-reading the last item of each page (pages
# hold 99 new issues, so +1 page per 9,900 issues): the price of never skipping an issue
# that changes or closes while the walk runs.
CONST = 2


def cold_bound(n: int) -> int:
    return math.ceil(n / 100) + CONST + math.ceil(n / 9900)


def build_dataset(n_issues: int, n_labels: int) -> tuple[Dataset, Counter[str], list[int]]:
    """Issues spread over beginner, bug and module labels; one minute apart."""
    ds = Dataset()
    ds.add_repo(REPO)
    fixed = ["good first issue", "bug", "triaged", "high priority", "enhancement"]
    modules = [f"module: m{i}" for i in range(n_labels - len(fixed))]
    for name in fixed + modules:
        ds.add_label(REPO, name)
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    matching: Counter[str] = Counter()
    in_scope: list[int] = []  # issues a default sync fetches (beginner or bug label)
    for i in range(n_issues):
        labels = [modules[i % len(modules)]]
        if i % 10 == 0:
            labels.append("good first issue")
        if i % 4 == 0:
            labels.append("bug")
        if i % 3 == 0:
            labels.append("triaged")
        for name in labels:
            matching[name] += 1
        when = start + timedelta(minutes=i)
        number = ds.add_issue(REPO, f"issue {i}", body="x" * 200, labels=labels, created_at=when)
        if "bug" in labels or "good first issue" in labels:
            in_scope.append(number)
    return ds, matching, in_scope


def run(server: GitHubServer, paths: Paths, what: str, all_open: bool) -> dict[str, float]:
    server.reset_log()
    client = GitHubClient(server.url, Secret("bench-token"), sleep=lambda s: None)
    started, cpu = time.perf_counter(), time.process_time()
    with Workspace(paths, client_factory=lambda *_a, **_k: client) as ws:
        report = sync_repo(ws, REPO, SyncScope(all_open=all_open))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    lists = [r for r in server.requests if r.path.endswith("/issues")]
    per_query = Counter(r.query.get("labels", "") for r in lists)
    budget = sum(1 for r in server.requests if r.status != 304)
    print(
        f"{what:<22} requests={report.requests:>4} (issue lists {len(lists):>4}; "
        f"per query {dict(per_query)}) 304s={report.not_modified:>4} budget={budget:>4} "
        f"new={report.issues_new:>5} updated={report.issues_updated:>3} "
        f"closed={report.issues_closed:>2} wall={wall:6.2f}s cpu={cpu:6.2f}s"
    )
    return {
        "requests": report.requests,
        "budget": budget,
        "max_per_query": max(per_query.values()) if per_query else 0,
        **{f"q:{k}": v for k, v in per_query.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=20_000)
    parser.add_argument("--labels", type=int, default=300)
    parser.add_argument("--all-open", action="store_true", help="one query for every open issue")
    args = parser.parse_args()
    t0 = time.perf_counter()
    ds, matching, in_scope = build_dataset(args.issues, args.labels)
    print(f"dataset: {args.issues} issues, {args.labels} labels ({time.perf_counter() - t0:.1f}s)")
    print(f"matching: good first issue={matching['good first issue']}, bug={matching['bug']}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp, GitHubServer(ds) as server:
        root = Path(tmp)
        paths = Paths(cache=root / "cache", data=root / "data", config=root / "config")
        cold = run(server, paths, "cold sync", args.all_open)
        matching[""] = args.issues
        for label in ("",) if args.all_open else ("good first issue", "bug"):
            bound = cold_bound(matching[label])
            got = cold[f"q:{label}"]
            ok &= _check(got <= bound, f"cold {label!r}: {got} list requests <= {bound}")
        same = run(server, paths, "re-sync, unchanged", args.all_open)
        ok &= _check(same["budget"] == 0, f"unchanged: {same['budget']} requests cost budget")
        changed = [in_scope[i * len(in_scope) // 50] for i in range(50)]
        for number in changed:
            ds.update_issue(REPO, number, body="edited")
        after = run(server, paths, "re-sync, 50 changed", args.all_open)
        ok &= _check(
            after["max_per_query"] <= 3, f"50 changes: {after['max_per_query']} per query <= 3"
        )
    print("budget checks:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def _check(passed: bool, text: str) -> bool:
    print(f"  [{'ok' if passed else 'FAIL'}] {text}")
    return passed


if __name__ == "__main__":
    raise SystemExit(main())
