"""Make untrusted GitHub text safe to show in a page: issue-body Markdown to inert HTML,
and URLs that may become links (plain strings go through prready.text.safe_line).

Markdown is rendered by markdown-it-py and the result is cleaned by nh3 (ammonia) with a
short allow-list, so no script, event handler or active URL survives.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt

from prready.text import strip_spoofing

# How much of an issue body the outputs carry: two lengths, on purpose. The page renders
# Markdown for a person, who scrolls and has "read on GitHub" after it; the JSON's
# `body_excerpt` is the raw text for programs, and its length is part of the documented
# schema (docs/plan.schema.json, maxLength), so it cannot grow without a schema change.
BODY_EXCERPT_CHARS = 6000  # the HTML page, rendered
JSON_EXCERPT_CHARS = 4000  # the JSON's body_excerpt, as written

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


def render_issue_body(
    body: str, limit: int = BODY_EXCERPT_CHARS, base: str = "https://github.com/"
) -> BodyExcerpt:
    """Render the first `limit` characters of an issue body's Markdown as sanitized HTML;
    relative links resolve against `base`, the repository's web host."""
    text = strip_spoofing(body or "")
    total = len(text)
    excerpt = _cut(text, limit)
    raw_html = _markdown().render(excerpt)
    return BodyExcerpt(
        html=sanitize_html(raw_html, base), truncated=len(excerpt) < total, total_chars=total
    )


def sanitize_html(fragment: str, base: str = "https://github.com/") -> str:
    """Clean an HTML fragment to the allow-list: no scripts, handlers, styles or active URLs."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_STRIPPED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        # Relative links in an issue body point into the repository's host (github.com or
        # a GitHub Enterprise server), not at the local file.
        url_relative=("rewrite_with_base", base),
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
