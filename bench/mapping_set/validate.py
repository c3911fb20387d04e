#!/usr/bin/env python3
"""Check the development set against the repositories' snapshots (read-only).

Every line parses and has every field; no issue twice; both shas exist; the parent is the
fix's first parent and its tree is readable; every changed file exists at the fix or its
parent; some changed file is library source; at most 15 files; bodies are short
paraphrases (at most 600 characters); the counts match repos.json.

    python bench/mapping_set/validate.py
    python bench/mapping_set/validate.py --set bench/traceback_set --max-body 3000
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = (
    "repo",
    "issue",
    "title",
    "body",
    "labels",
    "fix_commit",
    "parent_commit",
    "changed_files",
    "link",
)
NON_SOURCE = re.compile(
    r"(^|/)(tests?|docs?|examples?|benchmarks?|\.github|\.circleci|scripts?|notebooks?)/"
    r"|(^|/)test_[^/]*$|_test\.py$|\.(md|rst|txt|yml|yaml|toml|cfg|ini|json|ipynb)$"
    r"|^(setup\.py|Makefile|README.*|CHANGELOG.*)$",
    re.IGNORECASE,
)


def has_object(git_dir: str, spec: str) -> bool:
    command = ["git", f"--git-dir={git_dir}", "cat-file", "-e", spec]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def first_parent(git_dir: str, sha: str) -> str:
    command = ["git", f"--git-dir={git_dir}", "rev-parse", f"{sha}^1"]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()


def check_item(item: dict, repo: str, git_dir: str, max_body: int = 600) -> list[str]:
    problems = [f"missing field {k}" for k in FIELDS if k not in item]
    if problems:
        return problems
    if item["repo"] != repo:
        problems.append("repository mismatch")
    for sha in (item["fix_commit"], item["parent_commit"]):
        if not re.fullmatch(r"[0-9a-f]{40}", sha) or not has_object(git_dir, sha + "^{commit}"):
            problems.append(f"unknown commit {sha}")
    if first_parent(git_dir, item["fix_commit"]) != item["parent_commit"]:
        problems.append("parent is not the fix's first parent")
    if not has_object(git_dir, item["parent_commit"] + "^{tree}"):
        problems.append("parent tree unreadable")
    for path in item["changed_files"]:
        at_fix = has_object(git_dir, f"{item['fix_commit']}:{path}")
        if not (at_fix or has_object(git_dir, f"{item['parent_commit']}:{path}")):
            problems.append(f"file missing: {path}")
    if all(NON_SOURCE.search(p) for p in item["changed_files"]):
        problems.append("no library source file")
    if len(item["changed_files"]) > 15:
        problems.append("too many files")
    if len(item["body"]) > max_body:
        problems.append(f"long body ({len(item['body'])} characters)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set", type=Path, default=HERE, help="folder with repos.json (default: this one)"
    )
    parser.add_argument(
        "--max-body", type=int, default=600, help="longest allowed body (default: 600)"
    )
    args = parser.parse_args()
    here = args.set
    repos = json.loads((here / "repos.json").read_text())
    counts: dict[str, int] = {}
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    for repo, info in repos.items():
        if not has_object(info["mirror"], info["head"]):
            errors.append(f"{repo}: snapshot head missing")
        lines = (here / info["file"]).read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{info['file']}:{number}: {exc}")
                continue
            key = (repo, item.get("issue", -1))
            if key in seen:
                errors.append(f"{repo}#{key[1]}: duplicate")
            seen.add(key)
            problems = check_item(item, repo, info["mirror"], args.max_body)
            errors += [f"{repo}#{key[1]}: {p}" for p in problems]
        counts[repo] = len(lines)
        if counts[repo] != info["count"]:
            errors.append(f"{repo}: {counts[repo]} lines, repos.json says {info['count']}")
    print("counts", counts, "total", sum(counts.values()))
    print("errors", len(errors))
    for error in errors[:50]:
        print(" ", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
