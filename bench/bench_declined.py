"""Does an open issue's own thread settle it as no work for the repository?

`bench/decline_set/` holds real comment threads of ML libraries' issues (paraphrased; the
clause that decides kept as written), each judged by reading: "declined" when someone
other than the reporter says the behaviour is intended or declines the change, "elsewhere"
when the fix is said to belong to another project, "live" otherwise (bugs confirmed, PRs
welcome, questions asked back, decisions taken back, the same words in other senses).
This bench runs prready's `declined.said_declined` and a keyword baseline, measured in the
same run, and prints precision and recall of "set aside" (declined or elsewhere) and of
each label:
  * baseline: a comment by someone other than the reporter, not a question, holds a word
    of declining (expected, intended, by design, not a bug, won't fix, wontfix, not
    planned, out of scope, upstream) and no later comment says "reopen" or "welcome";
  * prready: `said_declined`.

    python bench/bench_declined.py [--set FILE] [-v]
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from bench_fixed_in_thread import DESCRIPTION, load
from bench_fixed_in_thread import comments_of as thread_comments
from prready.analysis.comment_words import claim_text
from prready.analysis.declined import said_declined
from prready.analysis.kinds import classify_issue, set_aside_reason
from prready.models import Comment, Issue

HERE = Path(__file__).resolve().parent
SET = HERE / "decline_set" / "dev.jsonl"

_DECLINE_WORD = re.compile(
    r"\b(?:expected|intended|by\s+design|not\s+a\s+bug|won'?t\s*fix|not\s+planned|"
    r"out\s+of\s+scope|upstream)\b",
    re.IGNORECASE,
)
_UNDO = re.compile(r"\b(?:reopen\w*|welcome)\b", re.IGNORECASE)
_UPSTREAM = re.compile(r"\bupstream\b", re.IGNORECASE)


def baseline(comments: Sequence[Comment], reporter: str, repo: str) -> str:
    said = "live"
    for comment in comments:
        if comment.author.lower() == reporter.lower():
            continue
        text = claim_text(comment.body)
        if said != "live" and _UNDO.search(text):
            said = "live"
        if _DECLINE_WORD.search(text) and not text.rstrip().endswith("?"):
            said = "elsewhere" if _UPSTREAM.search(text) else "declined"
    return said


def prready(comments: Sequence[Comment], reporter: str, repo: str) -> str:
    found = said_declined(comments, reporter, repo)
    return "live" if found is None else found[0]


def comments_of(thread: dict) -> list[Comment]:
    return thread_comments(thread, with_description=False)


def kinds_set_aside(thread: dict) -> bool:
    """Whether the plan sets the issue aside by its kind already (a question, a tracker)."""
    body = next(
        (c["text"][len(DESCRIPTION) :] for c in thread["comments"]
         if c["text"].startswith(DESCRIPTION)),
        "",
    )  # fmt: skip
    date = thread["created_at"] + "T00:00:00Z"
    issue = Issue(
        repo=thread["repo"], number=thread["number"], title=thread["title"], body=body,
        state="open", labels=[], assignees=[], author=thread["author"], comments=0,
        reactions=0, created_at=date, updated_at=date, closed_at=None, url=thread["url"],
    )  # fmt: skip
    return set_aside_reason(classify_issue(issue)) is not None


Detector = Callable[[Sequence[Comment], str, str], str]


def score(threads: list[dict], detect: Detector) -> dict[str, float]:
    tp = fp = fn = tn = 0
    per: dict[str, list[int]] = {}
    for thread in threads:
        truth = thread["label"]
        said = detect(comments_of(thread), thread["author"], thread["repo"])
        aside, aside_truth = said != "live", truth != "live"
        tp += aside and aside_truth
        fp += aside and not aside_truth
        fn += not aside and aside_truth
        tn += not aside and not aside_truth
        for label in {truth, said} - {"live"}:
            row = per.setdefault(label, [0, 0, 0])  # right, said, truth
            row[0] += said == truth == label
            row[1] += said == label
            row[2] += truth == label
    out = {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
    }  # fmt: skip
    for label, (right, said_n, truth_n) in sorted(per.items()):
        out[f"{label} precision"] = right / said_n if said_n else 0.0
        out[f"{label} recall"] = right / truth_n if truth_n else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=SET)
    parser.add_argument("-v", "--verbose", action="store_true", help="list prready's misses")
    args = parser.parse_args()
    threads = load(args.set)
    counts: dict[str, int] = {}
    for thread in threads:
        counts[thread["label"]] = counts.get(thread["label"], 0) + 1
    repos = len({t["repo"] for t in threads})
    print(f"{len(threads)} threads of {repos} repositories: {dict(sorted(counts.items()))}")
    print("set aside (truth: declined or elsewhere)")
    print(f"{'':10} precision  recall   tp fp fn tn")
    results = {"prready": score(threads, prready), "baseline": score(threads, baseline)}
    for name, r in results.items():
        print(
            f"{name:10} {r['precision']:8.1%} {r['recall']:7.1%}  "
            f"{r['tp']:3.0f} {r['fp']:2.0f} {r['fn']:2.0f} {r['tn']:2.0f}"
        )
    print()
    print(f"{'label':10} {'prready precision / recall':>28} {'baseline precision / recall':>29}")
    for label in ("declined", "elsewhere"):
        p, b = results["prready"], results["baseline"]
        print(
            f"{label:10} {p.get(label + ' precision', 0):17.1%} / {p.get(label + ' recall', 0):6.1%}"
            f" {b.get(label + ' precision', 0):18.1%} / {b.get(label + ' recall', 0):6.1%}"
        )
    settled = [t for t in threads if t["label"] != "live"]
    through = [t for t in settled if not kinds_set_aside(t)]
    for name, detect in (("prready", prready), ("baseline", baseline)):
        caught = sum(detect(comments_of(t), t["author"], t["repo"]) != "live" for t in through)
        print(
            f"{name}: of the {len(through)} settled threads whose issue the plan would not "
            f"set aside by its kind (of {len(settled)}), {caught} are caught"
        )
    if args.verbose:
        print()
        for thread in threads:
            said = prready(comments_of(thread), thread["author"], thread["repo"])
            if said != thread["label"]:
                found = said_declined(comments_of(thread), thread["author"], thread["repo"])
                print(f"{thread['repo']}#{thread['number']} truth={thread['label']} said={said}")
                print(f"   {thread['title'][:90]}")
                if found:
                    print(f"   {found[1][:200]}")
                print(f"   why: {thread.get('why', '')[:200]}")


if __name__ == "__main__":
    main()
