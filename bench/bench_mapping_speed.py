"""What the mapping's index costs on top of `prready map`, and how fast issues map with it.

    python bench/bench_mapping_speed.py [--repeat N] [--issues 1000] [--keep DIR]

    python bench/bench_mapping_speed.py --baseline /path/to/other/checkout/src
    python bench/bench_mapping_speed.py --checkout /path/to/pytorch-1.13.1   # its layout

On the installed torch tree (turned into a git repository at run time, as bench_map.py
does): a cold map alone vs a cold map followed by building the mapping index (empty
parse cache each time), the same two warm (nothing changed), and the time to map
`--issues` issues with the warm index (the dev set's issue texts from
bench/mapping_set/, never PyTorch's, repeated to the count). The map+index runs take
the path `plan`, `issues` and `backtest` take: `build_code_map(ws, slug, on_sources=
prefetch_index(...))`, then `mapping_index`. Each run is a fresh child process timing
itself; each row is the best of N runs (other work on a shared machine only ever slows
a run down), map-alone and map+index runs alternating. CPU times (the process's and its
children's: the map's workers, an older tree's background scan) are printed too, each the
least of the runs': load on a shared machine disturbs them less than wall times. The
index's CPU is the map+index run's less the map-alone run's: the map's workers extract the
index's fields in the same pass (`retrieval.prefetch_index`; an older tree scanned them in a
background process), so part of it is spent during the map.
`--baseline SRC` runs the code under SRC (another checkout's `src`, e.g. main's) the same way, each of its runs right
after the same run of this tree's code, and prints both tables.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench_map import _git, _settle_index, child_json

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"  # this tree's code, whatever the interpreter has installed

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from prready.app.map import build_code_map
from prready.paths import resolve_paths
mode, slug, repo = sys.argv[1:4]
def build(slug, paths, **kw):  # a tree before build_code_map took the workspace: (slug, paths)
    import inspect
    if "ws" not in inspect.signature(build_code_map).parameters:
        return build_code_map(slug, paths, **kw)
    from prready.app.workspace import Workspace
    with Workspace(paths) as ws:
        return build_code_map(ws, slug, **kw)
def cpu():  # this process's CPU time and its ended children's (pool workers, the prefetch)
    return sum(
        u.ru_utime + u.ru_stime
        for u in (resource.getrusage(resource.RUSAGE_SELF),
                  resource.getrusage(resource.RUSAGE_CHILDREN))
    )
paths = resolve_paths()
code = 0.0
if mode != "map":  # the code that maps issues, which `plan`, `issues` and `backtest` import
    # as they start, whether or not they then build or load the index: timed on its own
    code = time.perf_counter()
    from prready.app import retrieval
    import prready.analysis.mapping
    code = time.perf_counter() - code
start, cpu_start = time.perf_counter(), cpu()
hook = {}
if mode != "map":  # as `plan`, `issues` and `backtest` do (a tree without the hook: none)
    if hasattr(retrieval, "prefetch_index"):
        hook = {"on_sources": retrieval.prefetch_index(paths.cache_db)}
cm = build(slug, paths, checkout=Path(repo), **hook)
map_s, map_cpu = time.perf_counter() - start, cpu()
out = {"map": map_s, "index": 0.0, "issues": 0.0, "n": 0, "map_cpu": map_cpu - cpu_start,
       "code": code}
if mode != "map":
    import inspect
    from prready.app.retrieval import mapping_index
    taken = inspect.signature(mapping_index).parameters
    if "ws" in taken:  # the index takes the workspace, which holds the handle as a command's
        from prready.app.workspace import Workspace
        with Workspace(paths) as ws:
            if hook:
                ws.hold(hook["on_sources"])
            index = mapping_index(ws, cm)
    else:  # an older tree: (code_map, cache_db), given the handle if it takes one
        passed = {}  # (older ones still looked it up themselves)
        if hook and "prefetch" in taken:
            passed = {"prefetch": hook["on_sources"]}
        index = mapping_index(cm, paths.cache_db, **passed)
    out["index"] = time.perf_counter() - start - map_s
if mode != "map":  # (an older tree's background scan ended, joined: its CPU is counted)
    out["index_cpu"] = cpu() - map_cpu
    out["cpu"] = cpu() - cpu_start
if mode == "issues":
    from prready.analysis.mapping import map_issue_to_modules
    from prready.models import Issue
    rows = [json.loads(line) for line in Path(sys.argv[4]).read_text().splitlines()]
    issues = [
        Issue(repo=slug, number=i + 1, title=r["title"], body=r["body"], state="open",
              labels=[], assignees=[], author="", comments=0, reactions=0, created_at="",
              updated_at="", closed_at=None, url="")
        for i, r in enumerate(rows)
    ]
    start, cpu_start = time.perf_counter(), time.process_time()
    for issue in issues:
        map_issue_to_modules(issue, cm, (), index=index)
    out["issues"] = time.perf_counter() - start
    out["issues_cpu"] = time.process_time() - cpu_start
    out["n"] = len(issues)
out["wall"] = out["map"] + out["index"]
out.setdefault("cpu", out["map_cpu"])
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the fastest counts")
    parser.add_argument("--issues", type=int, default=1000, help="issues to map (warm)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--baseline", type=Path, help="also run the prready package under this src folder"
    )
    parser.add_argument(
        "--checkout",
        type=Path,
        help="measure this git repository instead of the torch tree (e.g. PyTorch's own "
        "sources: Debian's pytorch source package made a repository)",
    )
    args = parser.parse_args()
    if args.repeat < 1 or args.issues < 1:
        parser.error("--repeat and --issues must be at least 1")
    if args.baseline is not None and not (args.baseline / "prready" / "__init__.py").is_file():
        parser.error(f"--baseline: no prready package under {args.baseline}")
    if args.checkout is not None and not (args.checkout / ".git").exists():
        parser.error(f"--checkout: {args.checkout} is not a git repository")
    spec = importlib.util.find_spec("torch")
    if args.checkout is None and (spec is None or not spec.submodule_search_locations):
        print("torch is not installed: nothing to measure")
        return 1
    work = args.keep or Path(tempfile.mkdtemp(prefix="prready-bench-mapspeed-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.checkout is not None:
            repo = args.checkout.resolve()
        else:
            assert spec is not None and spec.submodule_search_locations
            repo = torch_repo(Path(next(iter(spec.submodule_search_locations))), work)
        issue_file = work / "issues.jsonl"
        write_issues(issue_file, args.issues)
        trees = {"this tree": SRC}
        if args.baseline is not None:
            trees["baseline"] = args.baseline.resolve()
        tables = measure(repo, work, issue_file, args.repeat, trees)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for name, rows in tables.items():
        if len(tables) > 1:
            print(f"{name} ({trees[name]}):")
        print_table(rows)
    return 0


def torch_repo(source: Path, work: Path) -> Path:
    repo = work / "torch-repo"
    if not repo.exists():
        print(f"copying {source} into a git repository ...", flush=True)
        shutil.copytree(
            source,
            repo / "torch",
            ignore=shutil.ignore_patterns("*.so", "*.so.*", "*.a", "__pycache__"),
        )
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "torch sources")
        _settle_index(repo)
    return repo


def write_issues(path: Path, count: int) -> None:
    """`count` issue texts from the dev set (never PyTorch's), repeated in order."""
    texts = []
    for file in sorted((HERE / "mapping_set").glob("*.jsonl")):
        for line in file.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                texts.append({"title": item["title"], "body": item["body"]})
    rows = [texts[i % len(texts)] for i in range(count)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def measure(
    repo: Path, work: Path, issue_file: Path, repeat: int, trees: dict[str, Path]
) -> dict[str, dict[str, dict]]:
    """tree -> row -> the best run; the trees' runs interleaved, each in its own home."""
    slug = "bench/torch"
    argv = [slug, str(repo), str(issue_file)]
    names = ("cold map", "cold map+index", "warm map", "warm map+index", "issues")
    runs: dict[str, dict[str, list[dict]]] = {t: {k: [] for k in names} for t in trees}
    homes = {t: work / f"home-{i}" for i, t in enumerate(trees)}

    def run(tree: str, mode: str, name: str, *, cold: bool) -> None:
        if cold:
            shutil.rmtree(homes[tree], ignore_errors=True)
        runs[tree][name].append(child_json(_CHILD, [mode, *argv], homes[tree], str(trees[tree])))

    for _ in range(repeat):
        for mode, name in (("map", "cold map"), ("index", "cold map+index")):
            for tree in trees:
                run(tree, mode, name, cold=True)
    for _ in range(repeat):
        for mode, name in (("map", "warm map"), ("index", "warm map+index"), ("issues", "issues")):
            for tree in trees:
                run(tree, mode, name, cold=False)
    return {
        tree: {name: _best(rs, name) for name, rs in rows.items()} for tree, rows in runs.items()
    }


def _best(rs: list[dict], name: str) -> dict:
    """The fastest run (by wall time), with each CPU time the least of the runs'."""
    best = dict(min(rs, key=lambda r: r["wall"] if name != "issues" else r["issues"]))
    for key in ("cpu", "map_cpu", "index_cpu", "issues_cpu", "code"):
        if all(key in r for r in rs):
            best[key] = min(r[key] for r in rs)
    return best


def print_table(rows: dict[str, dict]) -> None:
    for cold in ("cold", "warm"):
        alone, both = rows[f"{cold} map"], rows[f"{cold} map+index"]
        extra = both["wall"] - alone["wall"]
        print(
            f"{cold:5} map alone {alone['wall']:6.2f} s   map+index {both['wall']:6.2f} s "
            f"(map {both['map']:.2f} + index {both['index']:.2f})   index adds "
            f"{extra:+.2f} s ({100 * extra / alone['wall']:+.0f}%)"
        )
        if both.get("code"):
            print(
                f"      (before it, map+index imports the code that maps issues: {both['code']:.2f} s, "
                "as plan, issues and backtest do whether or not they load the index)"
            )
        if "index_cpu" in both:  # CPU: this process and its children (workers, prefetch)
            cpu_extra = both["cpu"] - alone["cpu"]
            print(
                f"      CPU: map alone {alone['cpu']:6.2f} s   map+index {both['cpu']:6.2f} s "
                f"(after the map {both['index_cpu']:.2f})   index adds {cpu_extra:+.2f} s "
                f"({100 * cpu_extra / alone['cpu']:+.0f}%)"
            )
    issues = rows["issues"]
    cpu = f", CPU {issues['issues_cpu']:.2f} s" if "issues_cpu" in issues else ""
    print(
        f"mapping {issues['n']} issues with the warm index: {issues['issues']:.2f} s "
        f"({1000 * issues['issues'] / issues['n']:.2f} ms per issue{cpu})"
    )


if __name__ == "__main__":
    sys.exit(main())
