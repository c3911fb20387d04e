"""Untrusted text made safe to show: the one place that knows which characters can move a
terminal's cursor, rewrite its title, plant a hyperlink, reorder or hide text.

Every layer may import this module (it imports nothing of prready): sources and store
quote server and file data in error messages, app and cli print it, renderers show it.
"""

from __future__ import annotations

import re
import unicodedata

# Terminal escape sequences: CSI (ESC [ ... final byte), OSC/DCS/SOS/PM/APC strings (ESC ] P X
# ^ _ ... ended by BEL or ST), other two-byte escapes, and the 8-bit C1 forms of CSI and OSC.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Characters that reorder or hide text (Trojan Source style spoofing) or are invisible: bidi
# marks, embeddings, overrides and isolates; zero-width space, joiners and marks; word
# joiner and invisible operators; BOM; line/paragraph separators; and letters that render
# as nothing or as blank space and so hide or fake text: Hangul fillers (U+115F, U+1160,
# U+3164, U+FFA0), the soft hyphen, the combining grapheme joiner, Khmer invisible vowels,
# the Mongolian vowel separator, the Braille blank and the Unicode tag characters.
INVISIBLE_CHARS = (
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029"
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0\U000e0000-\U000e007f"
)
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
# What a JSON document keeps but writes as an escape: DEL and C1 controls (json.dumps
# escapes only C0), lone surrogates and the invisible characters above.
_JSON_ESCAPED = re.compile(f"[\x7f-\x9f\ud800-\udfff{INVISIBLE_CHARS}]")
# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What else a terminal cannot show as a character: controls (tab, newline, CR...), format
# characters, lone surrogates (not even encodable as UTF-8), line and other separators.
# Unassigned code points stay: an emoji newer than this Python's Unicode tables is fine.
_NOT_SHOWN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Zs"})


def safe_line(text: object, limit: int = 200) -> str:
    """`text` as one line of at most `limit` characters that a terminal shows literally:
    escape sequences and invisible characters removed, controls and line breaks turned
    into single spaces, cut with "…". Use it for everything from GitHub, a repository or
    a file before it is printed (titles, labels, logins, file names, server messages)."""
    raw = text if isinstance(text, str) else str(text)
    flat = _ESCAPES.sub("", raw)
    flat = _INVISIBLE.sub("", flat)
    flat = "".join(
        ch if ch.isprintable() or unicodedata.category(ch) not in _NOT_SHOWN else " " for ch in flat
    )
    flat = " ".join(flat.split())
    if len(flat) > limit:
        return flat[: max(0, limit - 1)].rstrip() + "…"
    return flat


def inert_json(document: str) -> str:
    """A JSON document (from json.dumps with ensure_ascii=False) with every character a
    terminal could act on, or that hides text, written as a \\uXXXX escape: the same data,
    safe to print."""
    return _JSON_ESCAPED.sub(_json_escape, document)


def strip_spoofing(text: str) -> str:
    """Multi-line text (an issue body) without escape sequences, controls other than tab
    and newline, or invisible characters; lone surrogates become U+FFFD."""
    if not text:
        return ""
    kept = _CONTROLS.sub("", _INVISIBLE.sub("", _ESCAPES.sub("", text)))
    return re.sub("[\ud800-\udfff]", "\ufffd", kept)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a UTF-16 surrogate pair, as JSON spells characters past the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"
