"""Hostile issues (script tags, handlers, javascript: links, evil labels and logins, 1 MB
bodies, 10,000 labels, bidi/zero-width characters, ANSI/OSC escapes) in every output:
HTML, Markdown, terminal and JSON all stay inert, bounded and fast."""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import time

import pytest
from markdown_it import MarkdownIt

from prready.models import Plan
from prready.render.console import make_console
from prready.render.html import render_html
from prready.render.json_out import render_json
from prready.render.markdown import render_markdown
from prready.render.terminal import render_plan_table
from renderfixtures import (
    EVIL_LABEL,
    NOW,
    XSS_FLAG,
    hostile_graph,
    hostile_plan,
    sample_events,
    sample_progress,
)

SPOOF = ("\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\x1b", "\x07", "\x9b", "\x08")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return hostile_plan()


@pytest.fixture(scope="module")
def page(plan: Plan) -> str:
    start = time.perf_counter()
    out = render_html(plan, sample_progress(), sample_events(), hostile_graph(), NOW)
    assert time.perf_counter() - start < 5.0
    return out


def test_html_has_only_our_script_and_no_active_attributes(page: str) -> None:
    assert page.count("<script") == 1 and page.count("</script>") == 1
    assert XSS_FLAG not in page[page.index("<script>") :]  # our script is not theirs
    tags = re.findall(r"<[a-zA-Z][^>]*>", page)
    for tag in tags:
        assert not re.search(r"\son[a-z]+\s*=", tag, re.I), tag
        assert not re.search(r"(?i)(href|src)\s*=\s*[\"']?\s*(javascript|data|vbscript):", tag), tag
    assert not re.search(r"<(img|iframe|object|embed|style)\b", page[page.index("</style>") :])


def test_html_shows_hostile_text_escaped(page: str) -> None:
    assert htmllib.escape(EVIL_LABEL, quote=True) in page or "&#34;&gt;&lt;script&gt;" in page
    assert "&lt;script&gt;window.__prready_pwned=1;alert(1)&lt;/script&gt;" in page
    for ch in SPOOF:
        assert ch not in page, repr(ch)


def test_html_stays_small_with_huge_bodies_and_label_lists(page: str) -> None:
    assert len(page) < 400_000
    assert "+9994 more" in page  # 10,002 labels: 8 shown
    assert "(excerpt)" in page and "Read the whole issue on GitHub" in page


def test_html_links_never_use_hostile_urls(page: str) -> None:
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    # The hostile issue URL (javascript:) is replaced by the issue's real GitHub address.
    assert 'href="https://github.com/pytorch/pytorch/issues/201"' in page


def test_markdown_is_inert_and_pings_nobody(plan: Plan) -> None:
    md = render_markdown(plan, sample_progress(), sample_events())
    for ch in SPOOF:
        assert ch not in md, repr(ch)
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md)
    assert "<script" not in rendered and "<img" not in rendered and "<b " not in rendered
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', rendered))
    assert not re.search(r"(?<![\w&#;])@(?:maintainer|everyone|pytorch)", md)
    assert len(md) < 200_000


def test_terminal_output_has_no_escape_sequences(plan: Plan) -> None:
    buf = io.StringIO()
    start = time.perf_counter()
    render_plan_table(plan, [], make_console(buf))
    assert time.perf_counter() - start < 5.0
    out = buf.getvalue()
    for ch in SPOOF:
        assert ch not in out, repr(ch)
    assert "pwned title" not in out and "#201" in out


def test_json_is_inert_but_exact(plan: Plan) -> None:
    start = time.perf_counter()
    text = render_json(plan, sample_progress(), sample_events())
    assert time.perf_counter() - start < 5.0
    for ch in (*SPOOF, "<", ">"):
        assert ch not in text, repr(ch)
    doc = json.loads(text)
    first = doc["stages"][0]["steps"][0]["issue"]
    assert first["title"] == plan.stages[0].steps[0].issue.title
    assert (
        len(first["labels"]) == 10_002 and first["author"] == plan.stages[0].steps[0].issue.author
    )
