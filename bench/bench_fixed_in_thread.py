"""Does an open issue's own thread say it is fixed?

`bench/thread_set/threads.jsonl` holds real comment threads of ML libraries' issues
(paraphrased; the clause that states or questions a fix kept as written), each judged by
reading: "fixed-said" when a comment says the reported problem is fixed and no later one
disputes it, "not-fixed" otherwise (questions, denials, plans, workarounds, partial
fixes, disputed claims, threads that only talk about fixing). This bench runs prready's
`taken.said_fixed` and a keyword baseline, measured in the same run, and prints precision
and recall per kind of thread:
  * baseline: some comment, not a question, has a word of fixing (fixed, resolved,
    solved) and no later comment has "still";
  * prready: `said_fixed`.

    python bench/bench_fixed_in_thread.py [-v]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from prready.analysis.comment_words import claim_text
from prready.analysis.taken import said_fixed
from prready.models import Comment

HERE = Path(__file__).resolve().parent
SET = HERE / "thread_set" / "threads.jsonl"

_FIX_WORD = re.compile(r"\b(?:fixed|resolved|solved)\b", re.IGNORECASE)
_STILL = re.compile(r"\bstill\b", re.IGNORECASE)


def baseline(comments: Sequence[Comment]) -> bool:
    said = False
    for comment in comments:
        text = claim_text(comment.body)
        if said and _STILL.search(text):
            said = False
        if _FIX_WORD.search(text) and not text.rstrip().endswith("?"):
            said = True
    return said


def prready(comments: Sequence[Comment]) -> bool:
    return said_fixed(comments) is not None


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


DESCRIPTION = "(description)"  # a thread's first entry, when it is the issue's own text


def comments_of(thread: dict, *, with_description: bool = True) -> list[Comment]:
    """A set's thread as comments (the description's entry too, unless left out)."""
    return [
        Comment(thread["number"], c["author"], c["text"], c["date"] + "T00:00:00Z")
        for c in thread["comments"]
        if with_description or not c["text"].startswith(DESCRIPTION)
    ]


def score(threads: list[dict], judge: Callable[[Sequence[Comment]], bool]) -> dict:
    counts: Counter[str] = Counter()
    wrong: list[dict] = []
    per_kind: Counter[tuple[str, bool]] = Counter()
    for thread in threads:
        said = judge(comments_of(thread))
        truth = thread["label"] == "fixed-said"
        counts[("t" if said == truth else "f") + ("p" if said else "n")] += 1
        per_kind[(thread["kind"], said == truth)] += 1
        if said != truth:
            wrong.append(thread)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "accuracy": (tp + counts["tn"]) / len(threads),
        "counts": counts,
        "per_kind": per_kind,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=SET)
    parser.add_argument("-v", "--verbose", action="store_true", help="list prready's misses")
    args = parser.parse_args()
    threads = load(args.set)
    labels = Counter(t["label"] for t in threads)
    repos = len({t["repo"] for t in threads})
    print(f"{len(threads)} threads of {repos} repositories: {dict(sorted(labels.items()))}")
    results = {
        name: score(threads, judge)
        for name, judge in (("prready", prready), ("baseline", baseline))
    }
    print(f"{'':10} {'precision':>9} {'recall':>7} {'accuracy':>8}   tp fp fn tn")
    for name, r in results.items():
        c = r["counts"]
        print(
            f"{name:10} {r['precision']:9.1%} {r['recall']:7.1%} {r['accuracy']:8.1%}"
            f"   {c['tp']:2} {c['fp']:2} {c['fn']:2} {c['tn']:2}"
        )
    kinds = sorted({t["kind"] for t in threads})
    print(f"\n{'kind':14} {'threads':>7} {'prready right':>13} {'baseline right':>14}")
    for kind in kinds:
        n = sum(1 for t in threads if t["kind"] == kind)
        ours = results["prready"]["per_kind"][(kind, True)]
        theirs = results["baseline"]["per_kind"][(kind, True)]
        print(f"{kind:14} {n:7} {ours:13} {theirs:14}")
    if args.verbose:
        print("\nprready's misses:")
        for thread in results["prready"]["wrong"]:
            evidence = said_fixed(comments_of(thread))
            print(
                f"- {thread['repo']}#{thread['number']} ({thread['label']}, {thread['kind']}): {thread['why']}"
            )
            print(f"    prready: {evidence}")


if __name__ == "__main__":
    main()
