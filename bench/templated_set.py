"""Write a copy of the development set whose texts are filed through each repository's own
issue template, as GitHub stores an issue opened from it, for `bench_mapping.py --set`.

The set's texts are paraphrases: short, with none of the template text a real issue
carries. A reporter who files through a Markdown template often leaves its prompts and
HTML comments in place; an issue form stores each field as `### label` and its value,
`_No response_` for a field left empty and `- [X] option` for its checkboxes. This script
takes the bug-report template in force at each issue's fix's parent commit (the mirror's
history; an issue with no template then keeps its text) and files the paraphrase through it:

- a Markdown template: front matter dropped, the paraphrase put under the first heading
  about the problem (not a setup heading), every prompt and comment left in place;
- an issue form: the paraphrase in the description (or reproduction) field, every other
  field left empty, every checkbox ticked, each dropdown's first option chosen.

Nothing of the templates is committed: the copy is written at run time from the mirrors
that `mapping_set/repos.json` names.

    python bench/templated_set.py /tmp/templated
    python bench/bench_mapping.py --set /tmp/templated
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
_HEADING = re.compile(r"\s{0,3}(?:#{1,6}\s|\*\*[^*]+\*\*\s*:?\s*$)")
_SETUP = re.compile(r"system|environment|version|info", re.IGNORECASE)
_PROBLEM = re.compile(
    r"describe|problem|bug report|^\W*(?:#+\s*)?\W*bug\b|issue|happen|description|summary",
    re.IGNORECASE,
)
_FIELD = re.compile(r"descri|bug|reproduc|problem|happen", re.IGNORECASE)
# DeepSpeed's bug templates for its side projects (chat, compression, inference, CI).
_SIDE = ("ci_failure", "compression", "chat", "inference")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to write the set to")
    parser.add_argument("--set", type=Path, default=HERE / "mapping_set")
    args = parser.parse_args()
    repos = json.loads((args.set / "repos.json").read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "repos.json").write_text(json.dumps(repos, indent=1), encoding="utf-8")
    for repo, info in repos.items():
        rows = [json.loads(line) for line in (args.set / info["file"]).open(encoding="utf-8")]
        filed = 0
        with (args.out / info["file"]).open("w", encoding="utf-8") as out:
            for row in rows:
                text = _template_at(info["mirror"], row["parent_commit"])
                if text is not None:
                    name, body = text
                    row["body"] = (
                        _markdown(body, row["body"])
                        if name.lower().endswith(".md")
                        else _form(body, row["body"])
                    )
                    filed += 1
                out.write(json.dumps(row) + "\n")
        print(f"{repo}: {filed} of {len(rows)} filed through a template", flush=True)
    return 0


def _git(mirror: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", mirror, *args], capture_output=True, text=True, check=False
    ).stdout


def _template_at(mirror: str, commit: str) -> tuple[str, str] | None:
    """(path, text) of the bug-report template at `commit`, or None."""
    names = [
        n
        for n in _git(mirror, "ls-tree", "-r", "--name-only", commit, ".github").splitlines()
        if "issue_template" in n.lower()
        and n.lower().endswith((".md", ".yml", ".yaml"))
        and not n.lower().endswith(("config.yml", "config.yaml"))
    ]

    def side(name: str) -> bool:
        return any(word in name.rsplit("/", 1)[-1].lower() for word in _SIDE)

    bugs = sorted((n for n in names if "bug" in n.lower()), key=lambda n: (side(n), n))
    chosen = (bugs or sorted(names) or [None])[0]
    return None if chosen is None else (chosen, _git(mirror, "show", f"{commit}:{chosen}"))


def _markdown(template: str, text: str) -> str:
    template = re.sub(r"\A---\n.*?\n---\n", "", template, flags=re.DOTALL)
    lines = template.split("\n")
    heads = [i for i, line in enumerate(lines) if _HEADING.match(line)]
    chosen = next(
        (i for i in heads if _PROBLEM.search(lines[i]) and not _SETUP.search(lines[i])), None
    )
    if chosen is None:
        return template.rstrip() + "\n\n" + text + "\n"
    end = next((i for i in heads if i > chosen), len(lines))
    return "\n".join(lines[:end]) + "\n" + text + "\n\n" + "\n".join(lines[end:])


def _form(template: str, text: str) -> str:
    form = yaml.safe_load(template)
    elements: list[dict[str, Any]] = [e for e in form.get("body", []) if isinstance(e, dict)]

    def label(element: dict[str, Any]) -> str:
        return str((element.get("attributes") or {}).get("label", "")).strip()

    areas = [e for e in elements if e.get("type") == "textarea"]
    target = next((e for e in areas if _FIELD.search(label(e))), None) or next(
        (e for e in areas if not _SETUP.search(label(e))), None
    )
    fields = []
    for element in elements:
        kind, attributes = element.get("type"), element.get("attributes") or {}
        if kind == "markdown":
            continue  # (shown on the form, never stored with the issue)
        if element is target:
            value = text
        elif kind == "checkboxes":
            value = "\n".join(f"- [X] {o.get('label', '')}" for o in attributes.get("options", []))
        elif kind == "dropdown":
            value = str((attributes.get("options") or [""])[0])
        else:
            value = "_No response_"
        fields.append(f"### {label(element)}\n\n{value}")
    if target is None:
        fields.insert(0, text)
    return "\n\n".join(fields)


if __name__ == "__main__":
    sys.exit(main())
