"""What a repository's issue templates put into an issue's text, so that the mapping and a
step's tests read the reporter's words only.

An issue opened from a template keeps the template's own text unless the reporter deletes
it: the headings and prompts of a Markdown template ("**To Reproduce** Steps to reproduce
the behavior:"), its HTML comments (hidden on the page, present in the text), an issue
form's field labels (`### Reproduction`), the checkbox options it lists, `_No response_`
for a field left empty, and the title's prefix (`[Bug]: `). Those words are the same in
every issue of the repository, whatever the bug; read as the issue's, a prompt such as
"screenshots" or "minimal example" points at whatever code happens to use the word.

`template_text` reads the templates (Markdown ones and issue forms, both line by line)
into plain lists stored with the code map; `reporter_text` gives an issue's title and body
without them, without HTML comments, the setup report a template asks for and the noise of
links (a screenshot's markup, a notebook's address);
`answered` tells whether the reporter wrote anything under one of the template's sections
(its heading is gone from the reporter's text). Pure: the caller reads the files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from itertools import repeat
from typing import TYPE_CHECKING

from prready.analysis.evidence import without_setup
from prready.analysis.markup import without_markup

if TYPE_CHECKING:  # (a cold map reads the templates and loads no issue model)
    from prready.models import Issue

# Where GitHub looks for issue templates (matched case-insensitively), and the forms'
# chooser config, which holds no text an issue gets.
TEMPLATE_DIR = ".github/issue_template/"
TEMPLATE_FILES = (".github/issue_template.md", "issue_template.md", "docs/issue_template.md")
MAX_TEMPLATES = 20
_MAX_LINES = 5_000  # template lines kept in all (a real repository's: some hundreds)
_MAX_LINE = 300  # characters: a longer line is no prompt anyone leaves as it is

# A line's Markdown marks (quote, heading, list item, checkbox) and emphasis, which a
# template and an issue may write differently around the same words.
_MARKS = re.compile(
    r"^(?:[ \t]*(?:>|#{1,6}(?=[ \t]|$)|[-*+](?=[ \t])|\d{1,3}[.)](?=[ \t]|$)|\[[ xX]?\]))+",
    re.MULTILINE,
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_TITLE_KEY = re.compile(r"^title[ \t]*:(?P<value>.*)$", re.MULTILINE)  # (greedy: linear)
# A form's key whose text reaches an issue (`label: ...`, `- label: ...` for a checkbox
# option; `value: ...`) and the title; an element's type; a block scalar's header (`|`,
# `>-`, `|2+`).
_FORM_KEY = re.compile(
    r"^(?P<indent>[ ]*)(?P<item>-[ ]+)?(?P<key>label|value|title)"
    r"[ ]*:(?P<value>(?:[ ].*)?)$"  # (greedy, stripped after: linear on any line)
)
_FORM_TYPE = re.compile(r"^[ ]*(?:-[ ]+)?type[ ]*:[ ]*['\"]?(?P<type>\w+)")
_BLOCK_HEADER = re.compile(r"[|>][-+]?[1-9]?[-+]?(?:[ ]+#.*)?")
_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)", re.MULTILINE)
# Two fences with only blank lines between: an empty block, or one block's end and the
# next one's start (`_code_blocks` tells which).
_MAYBE_EMPTY_BLOCK = re.compile(
    r"^[ \t]{0,3}(?:```|~~~)[^\n]*\n(?:[ \t]*\n)*[ \t]{0,3}(?:```|~~~)", re.MULTILINE
)
# A line that opens a section: a Markdown heading (a form's field label is one) or a line
# that is all bold ("**To Reproduce**").
_SECTION = re.compile(r"[ \t]{0,3}(?:#{1,6}[ \t]|\*\*[^*]+\*\*[ \t:]*$)")
_ENDS = " \t\r\f\v:"  # (a label's colon: "Steps to reproduce:" is the heading's words)
_LABEL_WORDS = 8  # a label longer than this is a sentence asking for something, no field
# What an issue form writes for a field left empty, as written and as `normalized_lines`
# gives it.
_NO_RESPONSE_AS_WRITTEN = "_No response_"
_NO_RESPONSE = "_no response_"


def template_paths(files: Iterable[str]) -> list[str]:
    """The issue templates among a repository's tracked `files`, sorted; the forms'
    `config.yml` is none."""
    found = []
    for path in files:
        lower = path.lower()
        if lower in TEMPLATE_FILES or (
            lower.startswith(TEMPLATE_DIR)
            and "/" not in lower[len(TEMPLATE_DIR) :]
            and lower.endswith((".md", ".yml", ".yaml"))
            and lower.rsplit("/", 1)[-1] not in ("config.yml", "config.yaml")
        ):
            found.append(path)
    return sorted(found)[:MAX_TEMPLATES]


def template_text(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """The templates' text as plain data for the code map: `lines` (each line a template
    puts into an issue, as `normalized_lines` gives it), `labels` (those that end in a
    colon: a field the reporter answers on the same line, `Operating System: Ubuntu`),
    `titles` (the title prefixes the templates set, lower-cased) and `blocks` (their code
    blocks, an example to replace: `_block_key`). {} without templates."""
    lines: set[str] = set()
    labels: set[str] = set()
    titles: set[str] = set()
    blocks: set[str] = set()
    for path in sorted(texts):
        text = texts[path]
        if path.lower().endswith(".md"):
            raw, title = _markdown_template(text)
        else:
            raw, title = _form_template(text)
        if title:
            titles.add(title)
        raw = [line for line in raw if len(line) <= _MAX_LINE and "\n" not in line]
        if not raw:
            continue
        norms = normalized_lines("\n".join(raw))
        for line, norm in zip(raw, norms, strict=True):
            if any(map(str.isalpha, norm)):
                lines.add(norm)
                if line.rstrip().endswith(":"):
                    labels.add(norm)
        blocks.update(filter(None, (_block_key(norms, b) for b in _code_blocks("\n".join(raw)))))
    if not lines and not titles:
        return {}
    return {
        "lines": sorted(lines)[:_MAX_LINES],
        "labels": sorted(labels)[:_MAX_LINES],
        "titles": sorted(titles),
        "blocks": sorted(blocks)[:_MAX_LINES],
    }


def normalized_lines(text: str) -> list[str]:
    """Each line of `text` (split at "\\n") as a template and an issue both may write it:
    without Markdown marks, emphasis, case, and spaces and colons at either end. The whole
    text at once, in C: a body's lines cost no Python step each."""
    text = _MARKS.sub("", text).replace("*", "").replace("`", "").replace("__", "").lower()
    return list(map(str.strip, text.split("\n"), repeat(_ENDS)))


def normalize(line: str) -> str:
    """One line as `normalized_lines` gives it."""
    return normalized_lines(line.replace("\n", " "))[0]


@dataclass(frozen=True)
class TemplateText:
    """`template_text`'s lists as sets, for `without_template`."""

    lines: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    titles: tuple[str, ...] = ()
    blocks: frozenset[str] = frozenset()  # code blocks, as `_block_key` gives them

    @classmethod
    def from_plain(cls, plain: Mapping[str, list[str]]) -> TemplateText:
        return cls(
            frozenset(plain.get("lines", ())),
            frozenset(plain.get("labels", ())),
            tuple(sorted(plain.get("titles", ()), key=len, reverse=True)),
            frozenset(plain.get("blocks", ())),
        )


NO_TEMPLATE = TemplateText()


def reporter_text(title: str, body: str, template: TemplateText = NO_TEMPLATE) -> tuple[str, str]:
    """(title, body) as the reporter wrote them: without HTML comments, the setup report
    the template asks for (`evidence.without_setup`) and the template's own text
    (`without_template`), in that order (a comment may hold what looks like a heading; the
    setup section is found by the heading the template gave it); last without markup
    (`markup.without_markup`: layout tags, a screenshot's markup, a notebook's address, a
    link's ids), which a template's own lines may hold."""
    body = body.replace("\r\n", "\n")  # (GitHub keeps a browser's line ends)
    title, body = without_template(title, without_setup(without_comments(body)), template)
    return without_markup(title), without_markup(body)


def as_reported(issue: Issue, template: TemplateText = NO_TEMPLATE) -> Issue:
    """`issue` with its body as `reporter_text` gives it (the same object when nothing is
    left out): what an issue's difficulty, skills and features read, so that a template's
    prompts ("To Reproduce", "CUDA/cuDNN version:") and a pasted environment ("Is CUDA
    available: False") count for no issue. The title stays as filed: a template's prefix
    ("[Docs]", "[Feature]") says what kind of change the issue asks for."""
    body = reporter_text("", issue.body or "", template)[1]
    return issue if body == issue.body else replace(issue, body=body)


def without_template(
    title: str, body: str, template: TemplateText = NO_TEMPLATE
) -> tuple[str, str]:
    """(title, body) without what the repository's issue templates wrote into them: the
    title's template prefix; `_No response_`; every line outside code blocks that is a
    template's line; a template field's label before its answer on the same line (the
    answer stays); a code block equal to one of the template's (its example, left in
    place), and an empty one. Other code blocks are the reporter's, whatever they hold.
    HTML comments are `without_comments`' (taken out first: a comment may hold what looks
    like a heading)."""
    lowered = title.lower()
    for prefix in template.titles:
        if lowered.startswith(prefix):
            rest = title[len(prefix) :].lstrip(" \t:-")
            if any(map(str.isalnum, rest)):  # (a title that is only the prefix stays)
                title = rest
            break
    if (
        not template.lines
        and _NO_RESPONSE_AS_WRITTEN not in body
        and not _maybe_empty_block(body)
    ):
        return title, body
    norms = normalized_lines(body)
    gone, labels = template.lines, template.labels
    # The lines to leave out and those to keep the answer of: a Python step per line, but
    # only a lookup (the normalizing was done for the whole body at once).
    drop = [i for i, norm in enumerate(norms) if norm in gone or norm == _NO_RESPONSE]
    labelled = []
    if labels:
        for i, norm in enumerate(norms):
            if ":" in norm:
                head, _, answer = norm.partition(":")
                if head.rstrip() in labels and answer.strip(_ENDS):
                    labelled.append(i)
    if not drop and not labelled and not _maybe_empty_block(body):
        return title, body
    fenced, template_code = _code_lines(body, norms, template)
    if not drop and not labelled and not template_code:
        return title, body
    raw = body.split("\n")
    for i in labelled:
        if i not in fenced:
            raw[i] = raw[i].partition(":")[2]
    left_out = template_code.union(i for i in drop if i not in fenced)
    return title, "\n".join(line for i, line in enumerate(raw) if i not in left_out)


def answered(body: str, template: TemplateText, section: re.Pattern[str]) -> bool:
    """True when the reporter wrote something of their own in a section of the template
    whose heading or field label `section` finds (searched in the line as
    `normalized_lines` gives it): a line that is not the template's, not empty and not
    `_No response_`, before the template's next heading or label. A prompt in running
    text ("Provide a complete example of how to reproduce the bug, wrapped in triple
    backticks like this:") opens no section: in a template without headings every line
    would be under it."""
    if not template.lines:
        return False
    body = without_comments(body.replace("\r\n", "\n"))
    norms = normalized_lines(body)
    raw = body.split("\n")
    fenced, template_code = _code_lines(body, norms, template)
    inside = False
    for i, norm in enumerate(norms):
        if i in fenced:
            if inside and norm and i not in template_code:
                return True
            continue
        if norm in template.lines:
            if _SECTION.match(raw[i]) or (
                norm in template.labels and len(norm.split()) <= _LABEL_WORDS
            ):
                inside = bool(section.search(norm))
            continue
        head, colon, answer = norm.partition(":")
        if colon and head.rstrip() in template.labels and answer.strip(_ENDS):
            # A field answered on its label's line ("Steps to reproduce: call `f` twice").
            if section.search(head):
                return True
            continue
        if inside and norm and norm != _NO_RESPONSE:
            return True
    return False


def _code_lines(body: str, norms: list[str], template: TemplateText) -> tuple[set[int], set[int]]:
    """The numbers of the lines in `body`'s code blocks, and of those in blocks that are
    no reporter's: equal to one of the template's (its example, left in place) or empty
    (a template's "paste it between these lines")."""
    fenced: set[int] = set()
    template_code: set[int] = set()
    for first, last in _code_blocks(body):
        block = range(first, last + 1)
        fenced.update(block)
        key = _block_key(norms, (first, last))
        if not key or key in template.blocks:
            template_code.update(block)
    return fenced, template_code


def _maybe_empty_block(body: str) -> bool:
    """Whether `body` may hold an empty code block (`_MAYBE_EMPTY_BLOCK`)."""
    return ("```" in body or "~~~" in body) and _MAYBE_EMPTY_BLOCK.search(body) is not None


def _block_key(norms: list[str], block: tuple[int, int]) -> str:
    """A code block's non-empty lines inside its fences, normalized, as one string ("" for
    an empty block)."""
    first, last = block
    return "\n".join(filter(None, norms[first + 1 : last]))


def _code_blocks(body: str) -> list[tuple[int, int]]:
    """(first, last) line numbers of each fenced code block of `body`, fences included (an
    unclosed block runs to the end), found by one regex pass."""
    blocks = []
    opened = -1
    line, at = 0, 0
    for fence in _FENCE.finditer(body):
        line += body.count("\n", at, fence.start())
        at = fence.start()
        if opened < 0:
            opened = line
        else:
            blocks.append((opened, line))
            opened = -1
    if opened >= 0:  # (its last line is text: one past it, where the fence would be)
        blocks.append((opened, line + body.count("\n", at) + 1))
    return blocks


def without_comments(text: str) -> str:
    """`text` without HTML comments (`<!-- ... -->`: not shown on the issue's page, so
    never the reporter's words); an unclosed one is left as it is. Linear: one search
    for each mark."""
    start = text.find("<!--")
    if start < 0:
        return text
    parts, at = [], 0
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[at:start])
        at = end + 3
        start = text.find("<!--", at)
    parts.append(text[at:])
    return "".join(parts)


def _markdown_template(text: str) -> tuple[list[str], str]:
    """A Markdown template's lines (its front matter left out) and the title it sets."""
    title = ""
    if (front := _FRONT_MATTER.match(text)) is not None:
        if (key := _TITLE_KEY.search(front.group("meta"))) is not None:
            title = _scalar(key.group("value"))
        text = text[front.end() :]
    return text.splitlines(), title.lower().strip()


def _form_template(text: str) -> tuple[list[str], str]:
    """An issue form's text that reaches an issue: each field's label (its heading there),
    its default value (left in place by some reporters) and the checkbox options (written
    `- [X] label`); and the form's title. A field's description and placeholder are shown
    on the form only, as is a `markdown` element; a dropdown's options are the reporter's
    choice (plain list items, never read). Read line by line, as `ownership.parse_labeler`
    reads YAML (no YAML library: a cold map of a repository with forms would import one for
    a few keys): a key's plain, quoted or block (`|`, `>`: its lines as they are) value."""
    lines: list[str] = []
    title = ""
    rows = text.splitlines()
    kind = ""
    at = 0
    while at < len(rows) and len(lines) <= _MAX_LINES:
        row = rows[at]
        at += 1
        if (element := _FORM_TYPE.match(row)) is not None:
            kind = element.group("type")
            continue
        found = _FORM_KEY.match(row)
        if found is None:
            continue
        key, value = found.group("key"), found.group("value").strip(" ")
        column = len(found.group("indent")) + len(found.group("item") or "")
        values = [_scalar(value)]
        if value[:1] in "|>" and _BLOCK_HEADER.fullmatch(value):
            block = []
            while at < len(rows) and (
                not rows[at].strip() or len(rows[at]) - len(rows[at].lstrip(" ")) > column
            ):
                block.append(rows[at])
                at += 1
            margin = min((len(r) - len(r.lstrip(" ")) for r in block if r.strip()), default=0)
            values = [r[margin:] for r in block]
        if key == "title":
            if column == 0:
                title = " ".join(values).lower().strip()
        elif column and kind != "markdown":
            lines.extend(values)
    return lines, title


def _scalar(value: str) -> str:
    """A YAML flow scalar's text: quotes taken off (`''` in single quotes, `\\"` and
    `\\\\` in double ones), a plain one's trailing comment dropped."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value.split(" #", 1)[0].rstrip()
