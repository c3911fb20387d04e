"""What any text or number from outside (GitHub, a file, an export) must satisfy before it
is stored or shown: pure functions shared by sources and store, so every way in applies the
same rules."""

from __future__ import annotations

import re
from typing import Any

from prready.text import INVISIBLE_CHARS

MAX_ISSUE_NUMBER = 2**31 - 1  # GitHub's numbers are 32-bit; SQLite and plans assume it
MAX_DEPTH = 64  # GitHub's payloads nest about 6 deep; anything far deeper is hostile
_SURROGATE = re.compile("[\ud800-\udfff]")
# Controls (line breaks too: a name is one line), the invisible characters a terminal must
# never show (`text.INVISIBLE_CHARS`: bidi, zero-width, blank letters, tags) and the
# deprecated format characters U+206A-U+206F.
_NAME_JUNK = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE_CHARS}\u206a-\u206f]")


def valid_issue_number(value: Any) -> int | None:
    """`value` if it is an issue number GitHub could have issued (1..2^31-1), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ISSUE_NUMBER:
        return value
    return None


def clean_text(value: str) -> str:
    """Valid Unicode: lone surrogates (which SQLite and UTF-8 cannot hold) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", value)


def clean_name(value: str, limit: int = 100) -> str:
    """A name from the server (label, login, repository) shown like user input: no control,
    bidi or invisible characters, bounded."""
    return _NAME_JUNK.sub("", clean_text(value))[:limit]


def too_deep(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists/objects nest deeper than `limit` (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False
