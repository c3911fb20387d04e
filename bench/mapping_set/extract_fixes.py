#!/usr/bin/env python3
"""Extract candidate issue-fix commits from a git dir (read-only).

Usage: extract_fixes.py GIT_DIR [--max-files 15] > candidates.json

One `git log --no-renames --name-only` pass; for every commit whose message
names an issue ("Fixes #N", "Fix #N", "Closes #N", "Resolves #N", case-insensitive,
also "fixes https://github.com/o/r/issues/N"), emit the sha, first parent, files,
subject, the PR number "(#M)" of a squash-merge, and the linked issue numbers.
"""

import json
import re
import subprocess
import sys

KW = re.compile(
    r"\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?)\b[:\s]+(?:issue\s+)?"
    r"(?:(?:https?://github\.com/[\w.-]+/[\w.-]+/issues/)|#)(\d+)",
    re.I,
)
PR = re.compile(r"\(#(\d+)\)\s*$")
FIXY = re.compile(r"\b(fix|bug|issue|resolve|close|error|crash|broken|regression)", re.I)
REF = re.compile(r"(?<![\w/&])#(\d+)\b")
SUBJ_PR_STRIP = re.compile(r"\(#\d+\)\s*$", re.M)
PRREF = re.compile(r"(?:\bPR #|/pull/|Merging this change closes #)(\d+)", re.I)
NON_SRC = re.compile(
    r"(^|/)(tests?|docs?|examples?|benchmarks?|\.github|\.circleci|scripts?|notebooks?)/|"
    r"(^|/)test_[^/]*$|_test\.py$|\.(md|rst|txt|yml|yaml|toml|cfg|ini|json|ipynb)$|"
    r"^(setup\.py|Makefile|README.*|CHANGELOG.*)$",
    re.I,
)


def main():
    gd = sys.argv[1]
    maxf = 15
    if "--max-files" in sys.argv:
        maxf = int(sys.argv[sys.argv.index("--max-files") + 1])
    SEP = "\x1e"
    out = subprocess.run(
        [
            "git",
            f"--git-dir={gd}",
            "log",
            "--no-renames",
            "--name-only",
            f"--format={SEP}%H %P%n%B%x1f",
        ],
        capture_output=True,
        text=True,
        errors="replace",
        check=True,
    ).stdout
    res = []
    for chunk in out.split(SEP)[1:]:
        head, _, rest = chunk.partition("\n")
        msg, _, files = rest.partition("\x1f")
        shas = head.split()
        if len(shas) < 2:
            continue
        sha, parent = shas[0], shas[1]
        files = [f for f in files.strip().splitlines() if f.strip()]
        subj = msg.strip().splitlines()[0] if msg.strip() else ""
        strong = sorted({int(n) for n in KW.findall(msg)})
        m = PR.search(subj)
        pr = int(m.group(1)) if m else None
        # PR numbers: "(#M)" squash suffix, Copybara "PR #M:" / "pull/M" / "Merging this change closes #M"
        prs = {pr} | {int(n) for n in PRREF.findall(msg)}
        strong = [i for i in strong if i not in prs]
        # weaker: other "#N" in a fix-like message (must be confirmed as an issue elsewhere)
        weak = []
        if FIXY.search(msg):
            body_nums = {int(n) for n in REF.findall(SUBJ_PR_STRIP.sub("", msg))}
            weak = sorted(n for n in body_nums if n not in prs and n not in strong)
        issues = strong + weak
        if not issues or not files or len(files) > maxf:
            continue
        src = [f for f in files if f.endswith(".py") and not NON_SRC.search(f)]
        if not src:
            continue
        res.append(
            {
                "sha": sha,
                "parent": parent,
                "subject": subj,
                "pr": pr,
                "issues": issues,
                "strong": strong,
                "weak": weak,
                "files": files,
                "src_files": src,
            }
        )
    json.dump(res, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
