"""CODEOWNERS rules, label -> path globs (`.github/labeler.yml`, CODEOWNERS `# label:`
comments), and gitignore-style glob matching for both."""

from __future__ import annotations

import re
from functools import lru_cache

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


def owners_for(path: str, rules: list[tuple[str, list[str]]]) -> list[str]:
    """Owners of a path: the last matching rule wins, as on GitHub."""
    for pattern, owners in reversed(rules):
        if glob_matches(pattern, path):
            return owners
    return []


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


def glob_matches(pattern: str, path: str) -> bool:
    """gitignore-style match: `/x` anchors at the root, `dir/` matches below it, `*` stays
    within a folder, `**` crosses folders; a pattern without a slash matches any part."""
    return _compiled(pattern).search(path) is not None


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if body.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        else:
            out.append(re.escape(ch))
        i += 1
    prefix = "^" if anchored else "(?:^|/)"
    return re.compile(prefix + "".join(out) + "(?:/|$)")


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
