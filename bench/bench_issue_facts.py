"""Does an issue template change what prready reads of an issue?

An issue's difficulty, required skills and plan features come from its text: a
reproduction, the code names it uses, the error it quotes, the words that name a skill
("CUDA"). A template's prompts ("**To Reproduce**", "CUDA/cuDNN version:") and a form's
checkbox options are in every issue filed through it, whatever the bug; read as the
reporter's, they make every issue of the repository "reproducible" or "a CUDA issue".

For each issue of the development set (`bench/mapping_set/`), this bench works out those
facts on the set's own text and on the same text filed through the repository's
template (a copy written by `bench/templated_set.py`), with the templates prready reads at
the fix's parent commit, and counts the issues whose facts the template changed, two
ways in the same run:
  * as filed (the baseline: what prready read before 2026-12-06): the whole text;
  * as reported (prready): `issue_templates.as_reported`, the reporter's own words, with
    a reproduction also counted when the reporter wrote in the template's reproduction
    section.
Kinds read the text as filed in both (a template's headings say which template was used):
their changes are listed for what they are (a bug template makes an issue a bug).

    python bench/templated_set.py /tmp/templated
    python bench/bench_issue_facts.py --templated /tmp/templated [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from prready.analysis.difficulty import (
    MANY_NAMES,
    change_kind,
    has_reproduction,
    named_apis,
    needs_design,
    pinpoints_the_fault,
    quotes_error,
)
from prready.analysis.issue_templates import (
    NO_TEMPLATE,
    TemplateText,
    as_reported,
    template_paths,
    template_text,
)
from prready.analysis.kinds import classify_issue
from prready.analysis.skills import skills_for_issue
from prready.code_models import CodeMap
from prready.models import Issue

HERE = Path(__file__).resolve().parent
_HEAD = re.compile(r"\s{0,3}(?:#{1,6}\s|\*\*[^*]+\*\*\s*:?\s*$)|.*:\s*$")
# Skills from the issue's words alone: a map with no modules.
_NO_CODE = CodeMap(
    repo="x/y", root=".", head="", graph=nx.DiGraph(), modules={}, areas={}, symbols={}
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    parser.add_argument("--templated", type=Path, required=True, help="templated_set.py's copy")
    parser.add_argument("-v", action="store_true", help="print every changed fact")
    args = parser.parse_args()
    repos = json.loads((args.set / "repos.json").read_text(encoding="utf-8"))
    templates: dict[tuple[str, str], TemplateText] = {}
    changed: dict[str, Counter[str]] = {"as filed": Counter(), "as reported": Counter()}
    in_section = 0
    filed = total = 0
    for repo, info in repos.items():
        plain = _rows(args.set / info["file"])
        copied = _rows(args.templated / info["file"])
        for a, b in zip(plain, copied, strict=True):
            total += 1
            if a["body"] == b["body"]:
                continue
            filed += 1
            key = (info["mirror"], a["parent_commit"])
            if key not in templates:
                templates[key] = _templates_at(*key)
            template = templates[key]
            under = _under_reproduction(a["body"], b["body"])
            in_section += under
            for way, facts in (("as filed", _as_filed), ("as reported", _as_reported)):
                before, after = facts(_issue(a), template), facts(_issue(b), template)
                for name in before:
                    if before[name] != after[name]:
                        changed[way][name] += 1
                        if name == "reproduction" and not under:
                            changed[way]["reproduction, elsewhere"] += 1
                        if args.v:
                            print(f"{way}: {repo}#{a['issue']} {name}: {before[name]} -> {after[name]}")
    print(f"{total} issues, {filed} filed through a template ({len(repos)} repositories)")
    print(f"{'fact':<24}{'changed, as filed':>20}{'as reported':>14}")
    names = sorted(set(changed["as filed"]) | set(changed["as reported"]))
    for name in names:
        print(f"{name:<24}{changed['as filed'][name]:>20}{changed['as reported'][name]:>14}")
    print(
        f"(reproduction, elsewhere: the set's text is not under a heading or label asking for "
        f"a reproduction, as it is in {in_section} of the {filed}: there, the reporter wrote one)"
    )
    return 0


def _under_reproduction(text: str, filed: str) -> bool:
    """Whether templated_set.py put `text` right under a heading or label (a line of its
    own ending in a colon) that asks for a reproduction."""
    at = filed.find(text[:60])
    above = [line for line in filed[: max(at, 0)].split("\n") if _HEAD.match(line)]
    return bool(above) and "reproduc" in above[-1].lower()


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _issue(row: dict[str, Any]) -> Issue:
    return Issue(
        repo=row["repo"], number=row["issue"], title=row["title"], body=row["body"],
        state="open", labels=[], assignees=[], author="", comments=0, reactions=0,
        created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z",
        closed_at=None, url="",
    )  # fmt: skip


def _templates_at(mirror: str, commit: str) -> TemplateText:
    """The templates prready reads (`template_paths`) at `commit` of the mirror."""
    listed = _git(mirror, "ls-tree", "-r", "--name-only", commit).splitlines()
    texts = {path: _git(mirror, "show", f"{commit}:{path}") for path in template_paths(listed)}
    return TemplateText.from_plain(template_text(texts)) if texts else NO_TEMPLATE


def _git(mirror: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", mirror, *args], capture_output=True, text=True, check=True
    ).stdout


def _facts(issue: Issue, reproduction: Callable[[Issue], bool]) -> dict[str, object]:
    return {
        "reproduction": reproduction(issue),
        "skills": tuple(skills_for_issue(issue, [], _NO_CODE)),
        "many names": len(named_apis(issue)) >= MANY_NAMES,
        "quotes error": quotes_error(issue),
        "pinpointed": bool(pinpoints_the_fault(issue)),
        "change kind": change_kind(issue),
        "design": needs_design(issue, []),
    }


def _as_filed(issue: Issue, template: TemplateText) -> dict[str, object]:
    kinds = classify_issue(issue)
    return _facts(issue, has_reproduction) | {
        "kinds": tuple(kinds.kinds),
        "hardware": tuple(kinds.hardware),
    }


def _as_reported(issue: Issue, template: TemplateText) -> dict[str, object]:
    kinds = classify_issue(issue)
    reported = as_reported(issue, template)
    facts = _facts(reported, lambda mine: has_reproduction(mine, issue.body, template))
    return facts | {"kinds": tuple(kinds.kinds), "hardware": tuple(kinds.hardware)}


if __name__ == "__main__":
    sys.exit(main())
