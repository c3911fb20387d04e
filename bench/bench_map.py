"""Benchmark `prready map` against grimp's `build_graph` on the installed torch and
transformers source trees, each turned into a local git repository at run time.

    /work/venv/bin/python bench/bench_map.py [--packages torch transformers pytorch-src]
        [--keep DIR] [--repeat N] [--baseline OTHER/src]

For each package: a cold map (empty parse cache), a warm map (nothing changed) and a map
after 20 files changed (committed), next to grimp cold (empty cache_dir), grimp cached,
and grimp after the same 20 changes. Each is measured two ways:

- in-process: a fresh child process times `build_code_map` / `grimp.build_graph` itself
  and reports its peak RSS (its own and its worker processes');
- whole process: the wall time, CPU time (user + system, with the worker processes and
  git's) and peak RSS of `python -m prready map OWNER/REPO --checkout DIR` and of
  `python -c "import grimp; grimp.build_graph(...)"`, start-up and imports included, as a
  user waits for them. Children may write bytecode (an installed
  package has it): PYTHONDONTWRITEBYTECODE is dropped and every module is imported once
  before the first measurement.
Each measurement is the best of N runs (default 3), ours and grimp's alternating, every
run starting from the same cache state: on a shared machine other work only ever slows
a run down, so the fastest run is the one closest to the tool's own cost.
Shared libraries (*.so) are not copied: they are not source and only slow `git add`.
With --baseline, another prready source tree (e.g. the main branch's src/) is measured in
the same runs, alternating with this one and grimp, with its own cache folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CHANGED_FILES = 20
PYTORCH_SRC = "pytorch-src"  # --packages name of PyTorch 1.13.1's source tree (tests/pytorch_tree.py)

_CHILD_OURS = r"""
import json, resource, sys, time
from pathlib import Path
from prready.app.map import ScanStats, build_code_map
from prready.paths import resolve_paths
def build(slug, paths, **kw):  # a tree before build_code_map took the workspace: (slug, paths)
    import inspect
    if "ws" not in inspect.signature(build_code_map).parameters:
        return build_code_map(slug, paths, **kw)
    from prready.app.workspace import Workspace
    with Workspace(paths) as ws:
        return build_code_map(ws, slug, **kw)
start = time.perf_counter()
stats = ScanStats()
cm = build(sys.argv[1], resolve_paths(), checkout=Path(sys.argv[2]), stats=stats)
wall = time.perf_counter() - start
py = sum(1 for m in cm.modules.values() if m.language == "python")
edges = sum(1 for _, _, k in cm.graph.edges(data="kind") if k == "import")
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_mb": max(self_kb, kids_kb) / 1024, "scanned": stats.scanned,
                  "cached": stats.cached, "py_modules": py, "py_edges": edges,
                  "nodes": cm.graph.number_of_nodes(), "all_edges": cm.graph.number_of_edges(),
                  "areas": len(cm.areas), "symbols": len(cm.symbols)}))
"""

_WHOLE_GRIMP = "import sys; sys.path.insert(0, sys.argv[2]); import grimp; grimp.build_graph(sys.argv[1], cache_dir=sys.argv[3])"
_COMPILE_ALL = "import grimp, prready.__main__, prready.cli, prready.app.map, prready.cli.map_cmd"

_CHILD_GRIMP = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
import grimp
start = time.perf_counter()
g = grimp.build_graph(sys.argv[1], cache_dir=sys.argv[3])
wall = time.perf_counter() - start
edges = sum(len(g.find_modules_directly_imported_by(m)) for m in g.modules)
print(json.dumps({"wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "py_modules": len(g.modules), "py_edges": edges}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", nargs="+", default=["torch", "transformers"])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per measurement; the fastest counts (other work on the machine only "
        "ever slows a run down), peak memory is the largest seen",
    )
    parser.add_argument(
        "--baseline", type=Path, help="another prready src/ measured in the same runs"
    )
    args = parser.parse_args()
    baseline = str(args.baseline.resolve()) if args.baseline else None
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    work = args.keep or Path(tempfile.mkdtemp(prefix="prready-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    load_before = _load_average()
    try:
        for package in args.packages:
            if package == PYTORCH_SRC:
                rows.extend(bench_pytorch_source(work, args.repeat, baseline))
                continue
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                print(f"{package}: not installed, skipped")
                continue
            rows.extend(
                bench_package(
                    package,
                    Path(next(iter(spec.submodule_search_locations))),
                    work,
                    args.repeat,
                    baseline=baseline,
                )
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    print()
    print_whole_table(rows)
    print()
    # Other work on the machine only slows runs down: say how busy it was.
    print(f"load average (1, 5, 15 min): {load_before} before, {_load_average()} after")
    return 0


def _load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not available on this platform
        return "unknown"


def bench_pytorch_source(
    work: Path, repeat: int = 1, baseline: str | None = None
) -> list[dict[str, object]]:
    """The same rows on PyTorch 1.13.1's full source tree (aten/, c10/, test/...: what a
    clone of pytorch/pytorch holds), from tests/pytorch_tree.py's cached repository,
    cloned so the 20 changes never touch the cache."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from pytorch_tree import PyTorchTreeUnavailable, pytorch_repo

    try:
        cached = pytorch_repo()
    except PyTorchTreeUnavailable as exc:
        print(f"{PYTORCH_SRC}: {exc}, skipped")
        return []
    repo = work / f"{PYTORCH_SRC}-repo"
    if not repo.exists():
        subprocess.run(
            ["git", "-c", f"safe.directory={cached}", "clone", "-q", "--no-hardlinks",
             str(cached), str(repo)],
            check=True,
        )  # fmt: skip
        _settle_index(repo)
    return bench_package(
        "torch", repo, work, repeat, label=PYTORCH_SRC, prebuilt=True, baseline=baseline
    )


def bench_package(
    package: str,
    source: Path,
    work: Path,
    repeat: int = 1,
    *,
    label: str = "",
    prebuilt: bool = False,
    baseline: str | None = None,
) -> list[dict[str, object]]:
    """Cold, warm and 20-changed rows for one package (best of `repeat` runs each).
    With `prebuilt`, `source` is already a git repository holding the package."""
    label = label or package
    repo = source if prebuilt else work / f"{package}-repo"
    if not repo.exists():
        print(f"{package}: copying {source} into a git repository ...", flush=True)
        shutil.copytree(
            source,
            repo / package,
            ignore=shutil.ignore_patterns("*.so", "*.so.*", "*.a", "__pycache__"),
        )
        _git(repo, "init", "-q")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"{package} sources")
        _settle_index(repo)
    home = work / f"{label}-home"
    base_home = work / f"{label}-home-baseline"
    grimp_cache = work / f"{label}-grimp-cache"
    slug = f"bench/{label}"

    ours_cmd = ["-m", "prready", "map", slug, "--checkout", str(repo)]
    grimp_cmd = ["-c", _WHOLE_GRIMP, package, str(repo), str(grimp_cache)]

    def measure(run: str, reset: Callable[[], None]) -> dict[str, object]:
        """Best of `repeat` runs of each tool, alternating, each from the same state:
        in-process figures first, then the whole processes."""
        ours_runs, grimp_runs, ours_whole, grimp_whole = [], [], [], []
        base_runs, base_whole = [], []
        for _ in range(repeat):
            reset()
            ours_runs.append(child_json(_CHILD_OURS, [slug, str(repo)], home))
            if baseline:
                base_runs.append(child_json(_CHILD_OURS, [slug, str(repo)], base_home, baseline))
            grimp_runs.append(child_json(_CHILD_GRIMP, [package, str(repo), str(grimp_cache)], home))
            reset()
            ours_whole.append(_whole_process(ours_cmd, home))
            if baseline:
                base_whole.append(_whole_process(ours_cmd, base_home, baseline))
            grimp_whole.append(_whole_process(grimp_cmd, home))
        row = _row(label, run, _best(ours_runs), _best(grimp_runs))
        if baseline:
            best_base, best_base_whole = _best(base_runs), _best(base_whole)
            row.update(
                base=best_base["wall"],
                base_ratio=best_base["wall"] / row["grimp"],  # type: ignore[operator]
                whole_base=best_base_whole["wall"],
                whole_base_mb=best_base_whole["rss_mb"],
                cpu_base=best_base_whole["cpu"],
            )
        best_ours, best_grimp = _best(ours_whole), _best(grimp_whole)
        row.update(
            whole_ours=best_ours["wall"],
            whole_grimp=best_grimp["wall"],
            whole_ratio=best_ours["wall"] / best_grimp["wall"],
            whole_ours_mb=best_ours["rss_mb"],
            whole_grimp_mb=best_grimp["rss_mb"],
            cpu_ours=best_ours["cpu"],
            cpu_grimp=best_grimp["cpu"],
        )
        if baseline:
            row["whole_base_ratio"] = row["whole_base"] / best_grimp["wall"]
        return row

    def empty_caches() -> None:
        for live in (home, base_home, grimp_cache):
            shutil.rmtree(live, ignore_errors=True)
        os.sync()

    def nothing() -> None:
        pass

    saved = [
        (work / f"{label}-home-before-change", home),
        (work / f"{label}-grimp-cache-before-change", grimp_cache),
    ]
    if baseline:
        saved.append((work / f"{label}-home-baseline-before-change", base_home))

    def caches_before_change() -> None:
        for kept, live in saved:
            shutil.rmtree(live, ignore_errors=True)
            shutil.copytree(kept, live)
        os.sync()  # the copies' writes are flushed now, not during a measurement

    _child_run(["-c", _COMPILE_ALL], home)  # bytecode written before anything is timed
    if baseline:
        _child_run(["-c", _COMPILE_ALL], base_home, baseline)
    rows = [measure("cold", empty_caches), measure("warm", nothing)]
    for kept, live in saved:
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(live, kept)
    _change_files(repo, package)
    rows.append(measure(f"{CHANGED_FILES} changed", caches_before_change))
    return rows


def print_table(rows: list[dict[str, object]]) -> None:
    print("in-process (build_code_map / grimp.build_graph, timed inside a fresh child):")
    head = f"{'package':13} {'run':11} {'ours s':>7} {'grimp s':>7} {'ratio':>6} {'ours MB':>8} {'grimp MB':>8} {'scanned':>7} {'py mods':>8} {'grimp mods':>10} {'py edges':>8} {'grimp edges':>11} {'all nodes':>9} {'all edges':>9}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['package']:13} {r['run']:11} {r['ours']:7.2f} {r['grimp']:7.2f} {r['ratio']:6.2f} "
            f"{r['ours_mb']:8.0f} {r['grimp_mb']:8.0f} {r['scanned']:7} {r['py_modules']:8} "
            f"{r['grimp_modules']:10} {r['py_edges']:8} {r['grimp_edges']:11} {r['nodes']:9} {r['all_edges']:9}"
        )


def print_whole_table(rows: list[dict[str, object]]) -> None:
    head = f"{'package':13} {'run':11} {'ours s':>7} {'grimp s':>7} {'ratio':>6} {'ours MB':>8} {'grimp MB':>8} {'ours cpu':>8} {'grimp cpu':>9} {'ratio':>6}"
    print("whole process (python -m prready map / python -c 'import grimp; ...'; cpu: user + system")
    print("seconds of the process and the children it waited for, least of the runs):")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['package']:13} {r['run']:11} {r['whole_ours']:7.2f} {r['whole_grimp']:7.2f} "
            f"{r['whole_ratio']:6.2f} {r['whole_ours_mb']:8.0f} {r['whole_grimp_mb']:8.0f} "
            f"{r['cpu_ours']:8.2f} {r['cpu_grimp']:9.2f} {r['cpu_ours'] / r['cpu_grimp']:6.2f}"  # type: ignore[operator]
        )
    if rows and "whole_base" in rows[0]:
        print()
        print("baseline (--baseline src, same runs), in-process and whole process:")
        head = f"{'package':13} {'run':11} {'base s':>7} {'ratio':>6} {'whole s':>7} {'ratio':>6} {'MB':>6} {'cpu':>6} {'ratio':>6}"
        print(head)
        print("-" * len(head))
        for r in rows:
            print(
                f"{r['package']:13} {r['run']:11} {r['base']:7.2f} {r['base_ratio']:6.2f} "
                f"{r['whole_base']:7.2f} {r['whole_base_ratio']:6.2f} {r['whole_base_mb']:6.0f} "
                f"{r['cpu_base']:6.2f} {r['cpu_base'] / r['cpu_grimp']:6.2f}"  # type: ignore[operator]
            )


def _row(package: str, run: str, ours: dict, theirs: dict) -> dict[str, object]:
    return {
        "package": package,
        "run": run,
        "ours": ours["wall"],
        "grimp": theirs["wall"],
        "ratio": ours["wall"] / theirs["wall"] if theirs["wall"] else float("nan"),
        "ours_mb": ours["rss_mb"],
        "grimp_mb": theirs["rss_mb"],
        "scanned": ours["scanned"],
        "py_modules": ours["py_modules"],
        "grimp_modules": theirs["py_modules"],
        "py_edges": ours["py_edges"],
        "grimp_edges": theirs["py_edges"],
        "nodes": ours["nodes"],
        "all_edges": ours["all_edges"],
    }


def _best(runs: list[dict]) -> dict:
    """The fastest run, with the largest peak memory of all runs and (whole processes)
    the least CPU time of all runs."""
    best = dict(min(runs, key=lambda r: r["wall"]))
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    if all("cpu" in r for r in runs):
        best["cpu"] = min(r["cpu"] for r in runs)
    return best


def _change_files(repo: Path, package: str) -> None:
    """Append a new function (and a new import) to 20 Python files and commit."""
    files = sorted((repo / package).rglob("*.py"))
    step = max(1, len(files) // CHANGED_FILES)
    for path in files[::step][:CHANGED_FILES]:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(
                f"\n\ndef _prready_bench_probe():\n    import {package}\n    return {package}\n"
            )
    _git(repo, "commit", "-q", "-am", "touch 20 files")
    _settle_index(repo)


def _settle_index(repo: Path) -> None:
    """Files written in the same second as git's index are "racily clean": git re-reads
    all of them on the next status. A real clone is long settled, so wait a second and
    let git refresh the index once, outside the measurement. Likewise the disk writes of
    the fresh copy are flushed first, so neither tool pays for them. And its objects are
    packed now, as a clone's are: left to themselves, the thousands of loose objects a
    commit wrote start git's automatic gc in the background, which took a core from the
    first runs measured (a cold map alone 3.2 s instead of 1.9 s)."""
    _git(repo, "gc", "--quiet")
    time.sleep(1.1)
    _git(repo, "update-index", "-q", "--refresh")
    os.sync()  # flush the copy's dirty pages now, not during the first measurement


def child_json(code: str, argv: list[str], home: Path, src: str | None = None) -> dict:
    """One fresh `python -c CODE ARGV...` (importing prready from `src`, else as installed,
    with PRREADY_HOME at `home`): the JSON of its last line of output."""
    out = _child_run(["-c", code, *argv], home, src)
    return json.loads(out.strip().splitlines()[-1])


def _child_run(args: list[str], home: Path, src: str | None = None) -> str:
    out = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=_child_env(home, src),
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr}")
    return out.stdout


def _whole_process(args: list[str], home: Path, src: str | None = None) -> dict[str, float]:
    """Wall time from spawn to exit and peak RSS (the process's or its largest waited-for
    worker's, as wait4 reports it) of `python ARGS`; its output is discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_child_env(home, src),
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{err.decode(errors='replace')}")
    # CPU time of the process and of the children it waited for (worker processes, git):
    # less sensitive than wall time to other work on a shared machine.
    cpu = usage.ru_utime + usage.ru_stime
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "cpu": cpu}


def _child_env(home: Path, src: str | None = None) -> dict[str, str]:
    """The children's environment; `src`: import prready from there (a baseline)."""
    env = dict(os.environ, PRREADY_HOME=str(home))
    if src:
        env["PYTHONPATH"] = src
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode
    return env


def _git(repo: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.com",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        # No automatic gc in the background: `_settle_index` packs in the foreground.
        GIT_CONFIG_COUNT="1",
        GIT_CONFIG_KEY_0="gc.auto",
        GIT_CONFIG_VALUE_0="0",
    )
    subprocess.run(["git", *args], cwd=repo, env=env, check=True)


if __name__ == "__main__":
    raise SystemExit(main())
