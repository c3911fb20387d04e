"""Does an issue's text say what kind of work it is?

`bench/kinds_set/issues.jsonl` holds real issues of ML libraries whose maintainers gave
them a label naming one kind (tracking, question, rfc, feature, docs, bug), with the
title as written and the description paraphrased (identifiers, errors, paths, checklist
and template shape kept). A plan must never hand a newcomer a tracking issue, a question
or a design discussion as work, and must not set aside real work as one. This bench reads
each issue WITHOUT its labels, as prready meets most issues (PyTorch files few kind
labels), and scores two classifiers in the same run:
  * baseline: title keywords (a tracker's, a question's "?" or opening word, "RFC",
    "docs", a request's verb; anything else a bug);
  * prready: `kinds.classify_issue`, where an issue is set aside when
    `kinds.set_aside_reason` gives a reason (tracking, question, rfc, needs-repro).

Printed: for "set aside" (truth: tracking, question or rfc) precision and recall, and the
work wrongly set aside (truth bug, feature or docs); then per kind, how often the truth
kind is among the kinds found (recall) and how often a kind found is the truth
(precision).

    python bench/bench_kinds.py [-v] [--kind question]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from prready.analysis.kinds import classify_issue, set_aside_reason
from prready.models import Issue

HERE = Path(__file__).resolve().parent
SET = HERE / "kinds_set" / "issues.jsonl"
KINDS = ("tracking", "question", "rfc", "feature", "docs", "bug")
ASIDE = frozenset({"tracking", "question", "rfc"})

_B_TRACKING = re.compile(r"\b(?:track\w*|roadmap|meta|umbrella|todo|checklist|epic)\b", re.I)
_B_QUESTION = re.compile(r"\?\s*$|^\W*(?:how|what|why|is|are|can|could|does|do|should|which|where)\b", re.I)
_B_RFC = re.compile(r"\b(?:rfc|proposal|propose|discussion|discuss|design)\b", re.I)
_B_DOCS = re.compile(r"\b(?:docs?|documentation|typo|readme|docstring|tutorial)\b", re.I)
_B_FEATURE = re.compile(
    r"\b(?:add|adding|support|feature|request|allow|implement|enable|new|option)\b", re.I
)


def baseline(issue: Issue) -> set[str]:
    title = issue.title
    for kind, pattern in (
        ("tracking", _B_TRACKING),
        ("rfc", _B_RFC),
        ("question", _B_QUESTION),
        ("docs", _B_DOCS),
        ("feature", _B_FEATURE),
    ):
        if pattern.search(title):
            return {kind}
    return {"bug"}


def prready(issue: Issue) -> set[str]:
    kinds = classify_issue(issue)
    found = set(kinds.kinds)
    reason = set_aside_reason(kinds)
    if reason is not None:
        found.add("aside:" + reason[0])
    return found


def as_issue(row: dict) -> Issue:
    return Issue(
        repo=row["repo"], number=row["number"], title=row["title"], body=row["body"],
        state="open", labels=[], assignees=[], author="reporter", comments=0, reactions=0,
        created_at=row["created_at"] + "T00:00:00Z", updated_at=row["created_at"] + "T00:00:00Z",
        closed_at=None, url=row["url"],
    )  # fmt: skip


def set_aside(found: set[str], name: str) -> bool:
    if name == "prready":
        return any(k.startswith("aside:") for k in found)
    return bool(found & ASIDE)


def score(rows: list[dict], name: str, judge: Callable[[Issue], set[str]]) -> dict:
    found_by = [judge(as_issue(r)) for r in rows]
    aside = Counter()
    per_kind: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for row, found in zip(rows, found_by, strict=True):
        truth = row["kind"]
        is_aside = set_aside(found, name)
        aside[("t" if is_aside == (truth in ASIDE) else "f") + ("p" if is_aside else "n")] += 1
        per_kind[truth]["n"] += 1
        if truth in found:
            per_kind[truth]["hit"] += 1
        for kind in KINDS:
            if kind in found:
                per_kind[kind]["said"] += 1
                per_kind[kind]["said_right"] += kind == truth
    return {"aside": aside, "per_kind": per_kind, "found": found_by}


def pct(a: int, b: int) -> str:
    return f"{a / b:6.1%}" if b else "     -"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=SET)
    parser.add_argument("-v", "--verbose", action="store_true", help="list prready's misses")
    parser.add_argument("--kind", help="with -v: only issues of this true kind")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.set.read_text("utf-8").splitlines() if line.strip()]
    truth = Counter(r["kind"] for r in rows)
    print(f"{len(rows)} issues of {len({r['repo'] for r in rows})} repositories: "
          + ", ".join(f"{k} {truth[k]}" for k in KINDS))  # fmt: skip
    results = {name: score(rows, name, judge) for name, judge in (("prready", prready), ("baseline", baseline))}  # fmt: skip
    print("\nset aside (truth: tracking, question or rfc)")
    print(f"{'':10} {'precision':>9} {'recall':>7}   work set aside (of {sum(truth[k] for k in KINDS if k not in ASIDE)})")
    for name, r in results.items():
        a = r["aside"]
        print(f"{name:10} {pct(a['tp'], a['tp'] + a['fp']):>9} {pct(a['tp'], a['tp'] + a['fn']):>7}   {a['fp']}")
    print(f"\n{'kind':9} {'issues':>6}   {'prready recall / precision':>26}   {'baseline recall / precision':>27}")
    for kind in KINDS:
        cells = []
        for name in ("prready", "baseline"):
            c = results[name]["per_kind"][kind]
            cells.append(f"{pct(c['hit'], c['n'])} / {pct(c['said_right'], c['said'])}")
        print(f"{kind:9} {truth[kind]:6}   {cells[0]:>26}   {cells[1]:>27}")
    if args.verbose:
        print("\nprready's misses (truth not found, or set aside wrongly / not set aside):")
        for row, found in zip(rows, results["prready"]["found"], strict=True):
            if args.kind and row["kind"] != args.kind:
                continue
            wrong_aside = set_aside(found, "prready") != (row["kind"] in ASIDE)
            if row["kind"] in found and not wrong_aside:
                continue
            print(f"- {row['repo']}#{row['number']} [{row['kind']}] {row['title'][:90]!r} -> {sorted(found)}")


if __name__ == "__main__":
    main()
