"""Is the mapping's index this tree builds the one another tree's code builds?

    python bench/check_index_equal.py --baseline /path/to/main/src [--torch] REPO_DIR...

For each REPO_DIR (a git checkout) and, with `--torch`, the installed torch tree turned
into a git repository (as bench_mapping_speed.py does), each tree's code builds the code
map and the mapping index cold, in a fresh PRREADY_HOME, both ways a command can: with
the map's workers extracting the lexical fields (`retrieval.prefetch_index`, as `plan`
does) and without (as bench_mapping.py does: the index scans the files itself). Printed
per repository and way: a digest of every library file's stored fields, of the lexical
index and of the history index, and whether they equal the baseline's. Exit status 1
when any differs. A speed change to the lexical extraction or the index must leave all
of them equal.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

from bench_map import child_json
from bench_mapping_speed import torch_repo

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"

_CHILD = r"""
import hashlib, json, sys
from pathlib import Path
from prready.app import retrieval
from prready.app.map import build_code_map
from prready.app.workspace import Workspace
from prready.paths import resolve_paths
from prready.store.parse_cache import ParseCache
way, slug, repo = sys.argv[1:4]
paths = resolve_paths()
def digest(value):
    return hashlib.sha256(repr(value).encode("utf-8", "surrogateescape")).hexdigest()[:16]
with Workspace(paths) as ws:
    hook = retrieval.prefetch_index(paths.cache_db) if way == "prefetch" else None
    cm = build_code_map(ws, slug, checkout=Path(repo), **({"on_sources": hook} if hook else {}))
    if hook is not None:
        ws.hold(hook)
    index = retrieval.mapping_index(ws, cm)
library = sorted(index.lexical.names) if index.lexical is not None else []
blobs = retrieval.library_blobs(cm, set(library))
with ParseCache(paths.cache_db) as cache:
    rows = cache.load(retrieval.LEX_SCANNER, sorted(set(blobs.values())))
fields = [(p, rows.get(b)) for p, b in sorted(blobs.items())]
print(json.dumps({
    "files": len(fields),
    "fields": digest(fields),
    "lexical": digest(index.lexical.to_plain() if index.lexical is not None else None),
    "history": digest(retrieval._history_to_plain(index.history)),
    "library": digest(sorted(index.library)),
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", type=Path, help="git checkouts to index")
    parser.add_argument("--baseline", type=Path, required=True, help="the other tree's src")
    parser.add_argument("--torch", action="store_true", help="also the installed torch tree")
    args = parser.parse_args()
    if not (args.baseline / "prready" / "__init__.py").is_file():
        parser.error(f"--baseline: no prready package under {args.baseline}")
    work = Path(tempfile.mkdtemp(prefix="prready-check-index-"))
    try:
        repos = [r.resolve() for r in args.repos]
        if args.torch:
            spec = importlib.util.find_spec("torch")
            if spec is None or not spec.submodule_search_locations:
                parser.error("--torch: torch is not installed")
            repos.append(torch_repo(Path(next(iter(spec.submodule_search_locations))), work))
        differ = 0
        for repo in repos:
            for way in ("prefetch", "scan"):
                got = {
                    name: _child(src, [way, f"check/{repo.name}", str(repo)], work / name)
                    for name, src in (("this tree", SRC), ("baseline", args.baseline.resolve()))
                }
                same = got["this tree"] == got["baseline"]
                differ += not same
                print(
                    f"{repo.name:24} {way:8} {'equal' if same else 'DIFFERENT'}  {got['this tree']}"
                )
                if not same:
                    print(f"{'':24} baseline {got['baseline']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if differ else 0


def _child(src: Path, argv: list[str], home: Path) -> dict:
    shutil.rmtree(home, ignore_errors=True)  # cold: an empty parse cache
    return child_json(_CHILD, argv, home, str(src))


if __name__ == "__main__":
    sys.exit(main())
