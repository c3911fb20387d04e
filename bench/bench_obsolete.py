"""Does a plan notice that an open issue is about code the repository has since deleted?

Positives: `bench/obsolete_set/issues.jsonl`, real open issues whose description names a
library file the repository deleted while the issue stayed open (gensim's `sklearn_api`,
nni's Retiarii, diffusers' Flax pipelines), each checked at a commit after the deletion
(`check_commit`: should be called obsolete) and at the deletion's parent (`before_commit`:
the code is there, should not be). Near misses (`kind` "moved"): real open issues whose named file was moved or renamed,
the code still there under another path, checked after the move (should not be called
obsolete). Negatives: the real issues of
`bench/mapping_set/` at their fix's parent commit, where the code they report on is there
(the fix changed it), so none should be called obsolete.

Each commit's files come from `git ls-tree` of the repository's snapshot; the library's
packages are its top-level folders (or under src/, python/, lib/) holding an __init__.py,
and the names the code defines are its `class`/`def` statements at a line's start (what
prready's map lists as public symbols, approximately). Two detectors, in the same run:
  * baseline: some library path the issue names is missing from the checkout;
  * prready: `obsolete.gone_code` (every named library path missing, no file of the same
    name left, no code name of the title still defined).

    python bench/bench_obsolete.py [-v]
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench_mapping import mirror_path
from prready.analysis.evidence import extract_evidence
from prready.analysis.layout import is_library_path
from prready.analysis.obsolete import CheckoutNames, gone_code

HERE = Path(__file__).resolve().parent
_ROOTS = ("src", "python", "python-package", "lib")


def git(mirror: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(mirror), *args], capture_output=True, text=True, check=False
    ).stdout


def checkout_names(mirror: Path, commit: str, with_defined: bool) -> CheckoutNames:
    files = [f for f in git(mirror, "ls-tree", "-r", "--name-only", commit).splitlines() if f]
    packages = set()
    for path in files:
        parts = path.split("/")
        if parts[-1] != "__init__.py" or not is_library_path(path):
            continue
        if len(parts) == 2:
            packages.add(parts[0])
        elif len(parts) == 3 and parts[0] in _ROOTS:
            packages.add(parts[1])
    defined: list[str] = []
    if with_defined:
        found = git(
            mirror, "grep", "-h", "-o", "-E", r"^(class|def) [A-Za-z_]\w*", commit, "--", "*.py"
        )
        defined = [line.split()[1] for line in found.splitlines() if " " in line]
    return CheckoutNames.of(files, packages, defined)


def prready(title: str, body: str, names: Callable[[bool], CheckoutNames]) -> bool:
    # (The defined names are read only when the files alone say the code is gone.)
    return bool(gone_code(title, body, names(False))) and bool(gone_code(title, body, names(True)))


def baseline(title: str, body: str, names: Callable[[bool], CheckoutNames]) -> bool:
    checkout = names(False)
    found = extract_evidence(title, body)
    for written in [p for p, _ in found.paths] + [f.path for f in found.frames]:
        parts = written.replace("\\", "/").split("/")
        if not parts[-1].endswith(".py"):
            continue
        for at, part in enumerate(parts[:-1]):
            if part in checkout.packages:
                path = "/".join(parts[at:])
                if is_library_path(path) and not any(
                    root + path in checkout.files for root in ("", *(r + "/" for r in _ROOTS))
                ):
                    return True
                break
    return False


DETECTORS = {"baseline": baseline, "prready": prready}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each call made")
    args = parser.parse_args()
    repos = json.loads((HERE / "mapping_set" / "repos.json").read_text())
    rows: list[
        tuple[str, str, str, str, str, str]
    ] = []  # (group, repo, number, commit, title, body)
    for line in (HERE / "obsolete_set" / "issues.jsonl").read_text().splitlines():
        item = json.loads(line)
        after = "moved" if item.get("kind") == "moved" else "gone"
        for group, key in ((after, "check_commit"), ("before", "before_commit")):
            rows.append(
                (group, item["repo"], item["issue"], item[key], item["title"], item["body"])
            )
    for path in sorted((HERE / "mapping_set").glob("*.jsonl")):
        for line in path.read_text().splitlines():
            item = json.loads(line)
            rows.append(
                (
                    "code fix",
                    item["repo"],
                    item["issue"],
                    item["parent_commit"],
                    item["title"],
                    item["body"],
                )
            )
    flagged: dict[tuple[str, str], int] = {}
    totals: dict[str, int] = {}
    for group, repo, number, commit, title, body in rows:
        mirror = mirror_path(repo, repos)
        if not mirror.exists():
            print(f"{repo}: snapshot {mirror} absent: skipped", file=sys.stderr)
            continue
        names = functools.lru_cache(maxsize=2)(functools.partial(checkout_names, mirror, commit))

        totals[group] = totals.get(group, 0) + 1
        for name, detect in DETECTORS.items():
            if detect(title, body, names):
                flagged[(group, name)] = flagged.get((group, name), 0) + 1
                if args.verbose:
                    print(f"{name:8} calls {repo}#{number} ({group}) obsolete: {title[:60]!r}")
    print(
        f"{'detector':<10} {'gone (want all)':>18} {'moved (want 0)':>18} "
        f"{'before (want 0)':>18} {'code fixes (want 0)':>22}"
    )
    for name in DETECTORS:
        cells = [
            f"{flagged.get((g, name), 0)} of {totals.get(g, 0)}"
            for g in ("gone", "moved", "before", "code fix")
        ]
        print(f"{name:<10} {cells[0]:>18} {cells[1]:>18} {cells[2]:>18} {cells[3]:>22}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
