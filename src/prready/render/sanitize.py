"""Make untrusted GitHub text safe to show: issue-body Markdown to inert HTML, and
plain strings without characters that can spoof what a reader sees.

Everything from GitHub (titles, bodies, labels, logins) passes through here before any
renderer shows it. Markdown is rendered by markdown-it-py and the result is cleaned by
nh3 (ammonia) with a short allow-list, so no script, event handler or active URL survives.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt

# Characters that reorder or hide text (Trojan Source style spoofing) or are invisible:
# bidi embeddings/overrides/isolates, zero-width space/joiners/marks, word joiner, BOM.
# Bidi and zero-width marks, and letters that render as nothing or as blank space and so
# hide or fake text: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the soft hyphen, the
# combining grapheme joiner, Khmer invisible vowels, the Mongolian vowel separator, the
# Braille blank and the Unicode tag characters.
_SPOOF_CHARS = re.compile(
    "[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029"
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0\U000e0000-\U000e007f]"
)
# Terminal escape sequences: CSI (ESC [ ... final byte), OSC/DCS/SOS/PM/APC strings (ESC ] P X
# ^ _ ... ended by BEL or ST), other two-byte escapes, and the 8-bit C1 forms of CSI and OSC.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# C0 controls except tab and newline, DEL, and C1 controls.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

BODY_EXCERPT_CHARS = 6000  # how much of an issue body the page shows before "read on GitHub"

_ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "em",
    "strong",
    "del",
    "s",
    "code",
    "pre",
    "kbd",
    "sup",
    "sub",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "details",
    "summary",
    "span",
}
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_STRIPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


@dataclass(frozen=True)
class BodyExcerpt:
    """An issue body as safe HTML, and whether it was cut short."""

    html: str
    truncated: bool
    total_chars: int


def strip_spoofing(text: str) -> str:
    """Remove escape sequences and control, bidi-override and zero-width characters."""
    if not text:
        return ""
    return _CONTROL_CHARS.sub("", _SPOOF_CHARS.sub("", _ESCAPES.sub("", text)))


def one_line(text: str, limit: int = 300) -> str:
    """A spoof-free single line of at most `limit` characters (titles, labels, logins)."""
    flat = " ".join(strip_spoofing(text).split())
    if len(flat) > limit:
        return flat[: limit - 1].rstrip() + "…"
    return flat


def render_issue_body(body: str, limit: int = BODY_EXCERPT_CHARS) -> BodyExcerpt:
    """Render the first `limit` characters of an issue body's Markdown as sanitized HTML."""
    text = strip_spoofing(body or "")
    total = len(text)
    excerpt = _cut(text, limit)
    raw_html = _markdown().render(excerpt)
    return BodyExcerpt(
        html=sanitize_html(raw_html), truncated=len(excerpt) < total, total_chars=total
    )


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment to the allow-list: no scripts, handlers, styles or active URLs."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_STRIPPED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        # Relative links in an issue body point into github.com, not at the local file.
        url_relative=("rewrite_with_base", "https://github.com/"),
    )


def safe_http_url(url: str, fallback: str = "") -> str:
    """`url` if it is a plain http(s) URL without spoofing characters, else `fallback`."""
    cleaned = (url or "").strip()
    if cleaned != strip_spoofing(cleaned) or any(c.isspace() for c in cleaned):
        return fallback
    if re.match(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s\"'<>`]*)?$", cleaned):
        return cleaned
    return fallback


# --------------------------------------------------------------------------- helpers
_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    """CommonMark with GitHub's tables and strikethrough; images become plain links."""
    global _MD
    if _MD is None:
        md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        md.add_render_rule("image", _image_as_link)
        _MD = md
    return _MD


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Show an image as a link to it: the page must never fetch anything when opened."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    label = html.escape(f"[image: {alt}]")
    return f'<a href="{html.escape(src, quote=True)}">{label}</a>'


def _cut(text: str, limit: int) -> str:
    """The first `limit` characters, ending at a paragraph or line break when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for sep in ("\n\n", "\n"):
        pos = head.rfind(sep)
        if pos >= limit * 0.6:
            return head[:pos]
    return head
