"""A comment's own words: its text without what it quotes or pastes, cut into sentences.
What the detectors of claims, fixes and declines read (`taken`, `declined`)."""

from __future__ import annotations

import re

QUOTE_CHARS = 100  # a sentence quoted as evidence is cut to this
_FENCE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
# (A full-width stop ends a sentence with or without a space: Chinese and Japanese put none.)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+|(?<=[。！？；])\s*|\n+")


def without_code_blocks(text: str) -> str:
    """`text` with its fenced code blocks (``` or ~~~, an unclosed one to the end) blanked."""
    return _FENCE.sub(" ", text) if "```" in text or "~~~" in text else text


def claim_text(body: str, *, keep_inline_code: bool = False) -> str:
    """A comment's own words: without quoted lines (`>`), fenced code (and inline code
    unless kept), with straight apostrophes."""
    body = body.replace("\u2019", "'").replace("\r\n", "\n")
    body = without_code_blocks(body)
    if not keep_inline_code:
        body = _INLINE_CODE.sub(" ", body)
    lines = [line for line in body.split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines)


def sentences(text: str) -> list[str]:
    """`text` cut into sentences (at a stop, a closing quote after one, a full-width stop,
    or a line break)."""
    return [s for s in _SENTENCE_END.split(text) if s and s.strip()]
