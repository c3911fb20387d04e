"""CODEOWNERS rules, label -> path globs (`.github/labeler.yml`, CODEOWNERS `# label:`
comments), and the one glob matching for both (gitignore semantics, by `pathspec`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pathspec import GitIgnoreSpec

_OWNER = re.compile(r"^(?:@[\w.-]+(?:/[\w.-]+)?|[^@\s]+@[^@\s]+)$")
_LABEL_COMMENT = re.compile(r"^#\s*labels?\s*:\s*(.+?)\s*$", re.IGNORECASE)


def parse_codeowners(text: str) -> tuple[list[tuple[str, list[str]]], dict[str, list[str]]]:
    """(rules in file order, label -> patterns from `# label: NAME` comments).

    A `# label:` comment applies to the rules below it until a blank line or the next one.
    Owners that are neither @user, @org/team nor an e-mail address are dropped (the file
    comes from the repository and is untrusted)."""
    rules: list[tuple[str, list[str]]] = []
    labels: dict[str, list[str]] = {}
    current: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            current = []
            continue
        if line.startswith("#"):
            m = _LABEL_COMMENT.match(line)
            if m:
                current = [s.strip() for s in m.group(1).split(",") if s.strip()]
            continue
        parts = line.split("#", 1)[0].split()
        if not parts or parts[0].startswith("!") or len(parts[0]) > 500:
            continue
        owners = [p for p in parts[1:] if _OWNER.match(p)]
        rules.append((parts[0], owners))
        for label in current:
            labels.setdefault(label, []).append(parts[0])
    return rules, labels


def parse_labeler(text: str) -> dict[str, list[str]]:
    """label -> globs from `.github/labeler.yml`, both the v4 (`label: [globs]`) and the v5
    (`label: - changed-files: - any-glob-to-any-file: [...]`) shapes, read line by line
    (no YAML dependency; anchors and flow maps beyond lists are not needed in practice)."""
    out: dict[str, list[str]] = {}
    label: str | None = None
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            if line[0] in "'\"" and line.find(line[0], 1) > 0:
                close = line.find(line[0], 1)  # a quoted label may hold ':' ("module: nn")
                key, rest = line[: close + 1], line[close + 1 :].lstrip()
                sep, rest = rest[:1], rest[1:]
            else:
                key, sep, rest = line.partition(":")
            if sep != ":":
                label = None
                continue
            label = _unquote(key.strip())
            out.setdefault(label, [])
            _add_globs(out[label], rest)
            continue
        if label is None:
            continue
        body = line.strip().lstrip("-").strip()
        if ":" in body and not body.startswith(("'", '"')):
            body = body.split(":", 1)[1]  # "any-glob-to-any-file: [..]" / "- changed-files:"
        _add_globs(out[label], body)
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class Glob:
    """One gitignore-style pattern, compiled by `pathspec`: the semantics of CODEOWNERS
    and of label path rules. `/x` or a slash inside anchors at the root, `dir/` matches
    what is below it, `*` stays within a folder, `**` crosses folders, a pattern without
    a slash matches at any depth, and a match on a folder covers everything below it."""

    pattern: str
    regex: re.Pattern[str] | None  # None: it matches nothing (blank, negated or invalid)

    def matches(self, path: str) -> bool:
        """Whether `path` (repository-relative, forward slashes) is covered."""
        return self.regex is not None and self.regex.match(path) is not None


def compile_glob(pattern: str) -> Glob:
    """The compiled pattern; one that cannot be read matches nothing (the text comes
    from the repository and is untrusted). Compiling costs ~0.2 ms: compile a rule set
    once and match many paths against it."""
    try:
        compiled = GitIgnoreSpec.from_lines([pattern]).patterns
    except (ValueError, TypeError, re.error):
        return Glob(pattern, None)
    if len(compiled) != 1 or not compiled[0].include:
        return Glob(pattern, None)  # a comment, a blank or a negation ("!x") includes nothing
    regex = compiled[0].regex
    return Glob(pattern, regex if isinstance(regex, re.Pattern) else None)


def compile_globs(patterns: Iterable[str]) -> list[Glob]:
    return [compile_glob(p) for p in patterns]


def any_matches(globs: Iterable[Glob], path: str) -> bool:
    return any(g.matches(path) for g in globs)


class CodeOwners:
    """CODEOWNERS rules compiled once: owners of a path, the last matching rule winning,
    as on GitHub."""

    def __init__(self, rules: Iterable[tuple[str, list[str]]]) -> None:
        self._last_first = [(compile_glob(p), owners) for p, owners in reversed(list(rules))]

    def owners_for(self, path: str) -> list[str]:
        for glob, owners in self._last_first:
            if glob.matches(path):
                return owners
        return []


def _add_globs(into: list[str], text: str) -> None:
    text = text.strip().strip("[]")
    for item in text.split(","):
        glob = _unquote(item.strip())
        if glob and not glob.endswith(":") and ("/" in glob or "*" in glob or "." in glob):
            into.append(glob)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text
