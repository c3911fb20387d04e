"""How often does prready's issue -> code mapping name the files a real fix changed?

Runs prready's ranking and a BM25 baseline on the development set in
`bench/mapping_set/` (real issues of ML libraries other than PyTorch and Keras, each with
the files its real fix changed) and prints, per repository and overall:
file@1/@3/@5 (a library file the fix changed is ranked in the top k) and area@1/@3.
Each issue is mapped at its fix's parent commit, with labels removed (as reported).

The baseline, implemented here: rank_bm25 (BM25Okapi) over one document per library
module = path words + defined names split on `_`/camelCase + docstrings (read with `ast`),
score divided by the best, +0.25 per issue word equal to a package or module name below
the top package, -0.03 per path level.

Needs the repositories' snapshots (their git dirs are listed in mapping_set/repos.json;
the search tool's `fetch` brings them) and `pip install rank_bm25`.

    python bench/bench_mapping.py                   # every repository
    python bench/bench_mapping.py --repos peft,datasets --ablation
    python bench/bench_mapping.py --repos jax --shard 0/2 --dump jax0.jsonl   # half of jax,
        # each issue's top matches, areas and truth written out for offline analysis
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from rank_bm25 import BM25Okapi

from prready.analysis.history import build_history
from prready.analysis.mapping import (
    DEFAULT_SIGNALS,
    MapIndex,
    Signals,
    area_of_node,
    map_issue_to_modules,
    rank_areas,
)
from prready.app.map import build_code_map
from prready.app.retrieval import mapping_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.models import Issue
from prready.paths import resolve_paths
from prready.sources.git_repo import read_history

HERE = Path(__file__).resolve().parent
MIRRORS = Path("/work/.mirror")  # where the `fetch` tool puts repository snapshots
SPARSE = [
    "*.py",
    "*.pyi",
    "*.pyx",
    "*.c",
    "*.cc",
    "*.cpp",
    "*.h",
    "*.hpp",
    "*.cu",
    "*.cuh",
    "*.md",
    "*.rst",
    "*.toml",
    "*.cfg",
    "*.yml",
    "*.yaml",
    "CODEOWNERS",
]
KS_FILE = (1, 3, 5)
KS_AREA = (1, 3)
ABLATIONS: dict[str, Signals] = {
    "no exact evidence": replace(DEFAULT_SIGNALS, exact=False),
    "no lexical": replace(DEFAULT_SIGNALS, lexical=0.0),
    "no history": replace(DEFAULT_SIGNALS, history=0.0),
    "no graph": replace(DEFAULT_SIGNALS, graph=0.0),
    "no labels": replace(DEFAULT_SIGNALS, labels=0.0),
    "no named changes": replace(DEFAULT_SIGNALS, named=0.0),
    "lexical only": Signals(
        exact=False, lexical=0.66, history=0.0, named=0.0, graph=0.0, labels=0.0
    ),
    "history only": Signals(
        exact=False, lexical=0.0, history=0.45, named=0.0, graph=0.0, labels=0.0
    ),
}


GRID: dict[str, Signals] = {
    f"grid lex{lex} pow{power} hist{hist} graph{graph} damp{damp}": Signals(
        lexical=lex, lexical_power=power, history=hist, graph=graph, exact_damping=damp
    )
    for lex in (0.45, 0.65)
    for power in (1.0, 2.0)
    for hist in (0.3, 0.6)
    for graph in (0.0, 0.15)
    for damp in (0.2, 0.5)
}


@dataclass
class Case:
    repo: str
    number: int
    title: str
    body: str
    labels: list[str]
    parent: str
    changed: list[str]


@dataclass
class Tally:
    cases: int = 0
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, hit: bool) -> None:
        self.hits[name] += int(hit)

    def pct(self, name: str) -> float:
        return 100.0 * self.hits[name] / self.cases if self.cases else 0.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    parser.add_argument("--repos", default="", help="comma-separated repository names")
    parser.add_argument("--limit", type=int, default=0, help="at most N issues per repository")
    parser.add_argument(
        "--shard", default="0/1", help="K/N: only every N-th issue from the K-th (parallel runs)"
    )
    parser.add_argument("--ablation", action="store_true", help="also score without each signal")
    parser.add_argument("--misses", action="store_true", help="print prready's file@5 misses")
    parser.add_argument(
        "--grid", action="store_true", help="also score a grid of signal weights (tuning)"
    )
    parser.add_argument(
        "--dump", type=Path, help="write each issue's prready matches and truth as JSON lines"
    )
    args = parser.parse_args(argv)
    repos = json.loads((args.set / "repos.json").read_text())
    cases = load_cases(args.set, args.repos, args.limit)
    shard, shards = (int(x) for x in args.shard.split("/"))
    cases = cases[shard::shards]
    variants: dict[str, Signals] = {"prready": DEFAULT_SIGNALS}
    if args.ablation:
        variants.update(ABLATIONS)
    if args.grid:
        variants.update(GRID)
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="prready-bench-map-"))
    os.environ.setdefault("PRREADY_HOME", str(work / "home"))
    paths = resolve_paths()
    skipped = 0
    dump = args.dump.open("w") if args.dump else None
    for repo, mirror, checkout, repo_cases in repositories(cases, repos, work):
        # One history index per repository; each issue sees only commits dated before
        # its fix's parent (what a user would have had), as the product's --history does.
        history = build_history(read_history(mirror, merges=True), limit=10**6, repo=repo)
        for case in repo_cases:
            if not checkout_at(checkout, case.parent):
                skipped += 1
                continue
            with Workspace(paths) as ws:
                code_map = build_code_map(ws, repo, checkout=checkout)
                index = mapping_index(ws, code_map, commits=[])
            index.history = history
            before = commit_date(checkout, case.parent)
            truth = [p for p in case.changed if p in index.path_to_module]
            truth = [p for p in truth if index.path_to_module[p] in index.library]
            if not truth:
                skipped += 1
                continue
            issue = Issue(
                repo=repo,
                number=case.number,
                title=case.title,
                body=case.body,
                state="open",
                labels=[],
                assignees=[],
                author="",
                comments=0,
                reactions=0,
                created_at="",
                updated_at="",
                closed_at=None,
                url="",
            )
            rankings = {
                name: prready_ranking(issue, code_map, index, signals, before)
                for name, signals in variants.items()
            }
            rankings["BM25 baseline"] = baseline_ranking(issue, code_map, index)
            if dump is not None:
                dump_case(dump, issue, code_map, index, truth, rankings["BM25 baseline"], before)
            for name, (files, areas) in rankings.items():
                score(tallies, (repo, name), truth, files, areas, code_map, index)
                score(tallies, ("all", name), truth, files, areas, code_map, index)
                if args.misses and name == "prready" and not set(files[:5]) & set(truth):
                    print(
                        f"MISS {repo}#{case.number} {case.title[:60]!r}\n  truth {truth}\n"
                        f"  got   {files[:5]}",
                        file=sys.stderr,
                    )
    elapsed = time.perf_counter() - started
    print_table(tallies, variants)
    print(
        f"\n{skipped} issues skipped (no library file of the fix in the map at its parent "
        f"commit, or the commit could not be checked out); {elapsed:.0f} s"
    )
    return 0


def repositories(
    cases: list[Case],
    repos: dict[str, dict[str, str]],
    work: Path,
    sparse: Sequence[str] = SPARSE,
) -> Iterator[tuple[str, Path, Path, list[Case]]]:
    """Per repository of `cases` whose snapshot is present (a message for the others):
    (name, its mirror, a clone of it under `work` sharing the mirror's objects, its cases
    by issue number). The clone checks out code and text only: snapshots lack blobs of 4
    MiB and more (data files)."""
    for repo in sorted({c.repo for c in cases}):
        mirror = mirror_path(repo, repos)
        if not mirror.exists():
            print(f"{repo}: snapshot {mirror} absent (fetch it first): skipped", file=sys.stderr)
            continue
        checkout = work / repo.replace("/", "+")
        git("clone", "-q", "--shared", "--no-checkout", str(mirror), str(checkout))
        git("sparse-checkout", "set", "--no-cone", *sparse, cwd=checkout)
        by_number = sorted((c for c in cases if c.repo == repo), key=lambda c: c.number)
        yield repo, mirror, checkout, by_number


def mirror_path(repo: str, repos: dict[str, dict[str, str]]) -> Path:
    """A repository's snapshot: as `repos.json` lists it, else where `fetch` puts one (a
    repository of no mapping-set item)."""
    known = repos.get(repo, {}).get("mirror")
    return Path(known) if known else MIRRORS / repo.replace("/", "+") / "repo"


def load_cases(folder: Path, only: str, limit: int, pattern: str = "*.jsonl") -> list[Case]:
    wanted = {r.strip() for r in only.split(",") if r.strip()}
    out: list[Case] = []
    for path in sorted(folder.glob(pattern)):
        items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        items = [i for i in items if not wanted or i["repo"].split("/")[1] in wanted]
        for item in items[: limit or None]:
            out.append(
                Case(
                    repo=item["repo"],
                    number=item["issue"],
                    title=item["title"],
                    body=item["body"],
                    labels=item.get("labels", []),
                    parent=item["parent_commit"],
                    changed=item["changed_files"],
                )
            )
    return out


def git(*args: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout


def checkout_at(checkout: Path, sha: str) -> bool:
    try:
        git(
            "-c", "advice.detachedHead=false", "checkout", "-q", "-f", "--detach", sha, cwd=checkout
        )
        git("clean", "-qfdx", cwd=checkout)
        return True
    except RuntimeError as exc:
        print(f"cannot check out {sha[:9]}: {exc}", file=sys.stderr)
        return False


def commit_date(checkout: Path, sha: str) -> str:
    """The author date of a commit in the form CommitRecord.date uses."""
    stamp = int(git("log", "-1", "--format=%at", sha, cwd=checkout).strip())
    return datetime.fromtimestamp(stamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def prready_ranking(
    issue: Issue,
    code_map: CodeMap,
    index: MapIndex,
    signals: Signals,
    before: str,
) -> tuple[list[str], list[str]]:
    matches = map_issue_to_modules(
        issue, code_map, (), index=index, limit=20, signals=signals, history_before=before
    )
    files = [m.path for m in matches if m.name in code_map.modules]
    areas = [a for a, _ in rank_areas(matches, code_map)]
    return files, areas


def dump_case(
    out: IO[str],
    issue: Issue,
    code_map: CodeMap,
    index: MapIndex,
    truth: list[str],
    baseline: tuple[list[str], list[str]],
    before: str,
) -> None:
    """One JSON line: prready's top 100 matches with their areas (and whether each is a
    library unit), the truth, the baseline."""
    matches = map_issue_to_modules(
        issue, code_map, (), index=index, limit=100, history_before=before
    )
    sizes: dict[str, int] = defaultdict(int)
    for unit in index.library:
        sizes[code_map.area_of(unit)] += 1
    row = {
        "repo": issue.repo,
        "number": issue.number,
        "title": issue.title,
        "truth": truth,
        "true_areas": sorted({code_map.area_of(index.path_to_module[p]) for p in truth} - {""}),
        "matches": [
            [m.name, m.path, m.score, area_of_node(m.name, code_map), m.evidence] for m in matches
        ],
        "library": [m.name in index.library for m in matches],
        "area_sizes": sizes,
        "baseline_files": baseline[0],
        "baseline_areas": baseline[1],
    }
    out.write(json.dumps(row) + "\n")
    out.flush()


# --------------------------------------------------------------------------- baseline
_BASELINE_CACHE: dict[tuple[str, str], tuple[list[str], BM25Okapi, set[str]]] = {}


def baseline_ranking(
    issue: Issue, code_map: CodeMap, index: MapIndex
) -> tuple[list[str], list[str]]:
    key = (code_map.repo, code_map.head)
    if key not in _BASELINE_CACHE:
        _BASELINE_CACHE.clear()
        names = sorted(index.library)
        docs = [baseline_doc(code_map, n) for n in names]
        module_words = {
            part.lower()
            for n in names
            if code_map.modules[n].language == "python"
            for part in n.split(".")[1:]
        }
        _BASELINE_CACHE[key] = (names, BM25Okapi(docs), module_words)
    names, bm25, module_words = _BASELINE_CACHE[key]
    words = baseline_words(issue.title + "\n" + issue.body)
    raw = bm25.get_scores(words)
    best = max(raw) if len(raw) and max(raw) > 0 else 1.0
    issue_words = set(words)
    scored = []
    for name, value in zip(names, raw, strict=True):
        path = code_map.modules[name].path
        bonus = 0.25 * len(issue_words & {p.lower() for p in name.split(".")[1:]} & module_words)
        scored.append((value / best + bonus - 0.03 * path.count("/"), name))
    scored.sort(key=lambda item: (-item[0], item[1]))
    files = [code_map.modules[n].path for _, n in scored[:20]]
    areas = list(dict.fromkeys(a for _, n in scored[:20] if (a := code_map.area_of(n))))
    return files, areas


_DOC_CACHE: dict[str, list[str]] = {}  # content digest -> names and docstrings


def baseline_doc(code_map: CodeMap, name: str) -> list[str]:
    info = code_map.modules[name]
    words = baseline_words(info.path.replace("/", " ").replace(".", " "))
    if info.language != "python":
        return words
    try:
        data = Path(code_map.root, info.path).read_bytes()
    except OSError:
        return words
    digest = hashlib.sha1(data).hexdigest()
    if digest not in _DOC_CACHE:
        text: list[str] = []
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError):
            tree = None
        if tree is not None:
            text.append(ast.get_docstring(tree) or "")
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    text.append(node.name)
                    text.append(ast.get_docstring(node) or "")
        _DOC_CACHE[digest] = baseline_words(" ".join(text))
    return words + _DOC_CACHE[digest]


def baseline_words(text: str, *, digits: bool = True) -> list[str]:
    """Identifiers split on `_` and camelCase, lower-cased, with the whole identifier when
    it has parts; `digits=False` leaves out the parts that are numbers (the tests bench's
    baseline)."""
    words: list[str] = []
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text):
        parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", token)
        if not digits:
            parts = [p for p in parts if not p.isdigit()]
        words.extend(p.lower() for p in parts)
        if len(parts) > 1:
            words.append(token.lower().replace("_", ""))
    return words


# --------------------------------------------------------------------------- scoring
def score(
    tallies: dict[tuple[str, str], Tally],
    key: tuple[str, str],
    truth: list[str],
    files: list[str],
    areas: list[str],
    code_map: CodeMap,
    index: MapIndex,
) -> None:
    tally = tallies[key]
    tally.cases += 1
    true_areas = {code_map.area_of(index.path_to_module[p]) for p in truth} - {""}
    for k in KS_FILE:
        tally.add(f"file@{k}", bool(set(files[:k]) & set(truth)))
    for k in KS_AREA:
        tally.add(f"area@{k}", bool(set(areas[:k]) & true_areas))


def print_table(tallies: dict[tuple[str, str], Tally], variants: dict[str, Signals]) -> None:
    metrics = [f"file@{k}" for k in KS_FILE] + [f"area@{k}" for k in KS_AREA]
    order = ["prready", "BM25 baseline"]
    order += [v for v in variants if v != "prready"]
    repos = [*sorted({r for r, _ in tallies if r != "all"}), "all"]
    header = f"{'repository':<34} {'ranking':<20} {'n':>4} " + " ".join(f"{m:>8}" for m in metrics)
    wide = max(len(n) for n in order)
    print(header)
    print("-" * len(header))
    for repo in repos:
        for name in order:
            tally = tallies.get((repo, name))
            if tally is None or (name.startswith("grid") and repo != "all"):
                continue
            cells = " ".join(f"{tally.pct(m):7.1f}%" for m in metrics)
            print(f"{repo:<34} {name:<{max(20, wide)}} {tally.cases:>4} {cells}")


if __name__ == "__main__":
    sys.exit(main())
