"""Issue-body Markdown becomes inert HTML; untrusted strings lose spoofing characters."""

from __future__ import annotations

import re

from prready.render.sanitize import render_issue_body, safe_http_url, sanitize_html


def html_of(body: str) -> str:
    return render_issue_body(body).html


def test_scripts_and_their_content_are_removed() -> None:
    out = html_of("before <script>alert('x')</script> after")
    assert "<script" not in out and "alert" not in out
    assert "before" in out and "after" in out


def test_event_handlers_and_images_are_removed() -> None:
    out = html_of('<img src=x onerror="alert(1)"> <b onmouseover="alert(2)">bold</b>')
    assert "onerror" not in out and "onmouseover" not in out and "<img" not in out
    assert "alert" not in out


def test_javascript_and_data_urls_lose_their_href() -> None:
    out = html_of(
        "[a](javascript:alert(1)) <a href='data:text/html,x'>b</a> <a href=' JaVaScRiPt:x'>c</a>"
    )
    # The Markdown link stays literal text; the HTML links keep no href at all.
    assert re.findall(r"href=", out) == []
    assert '<a rel="noopener noreferrer">b</a>' in out


def test_external_links_get_noopener_noreferrer() -> None:
    out = html_of("[docs](https://pytorch.org/docs)")
    assert '<a href="https://pytorch.org/docs" rel="noopener noreferrer">docs</a>' in out


def test_relative_links_point_at_github_not_the_local_file() -> None:
    out = html_of("[pr](/pytorch/pytorch/pull/3)")
    assert 'href="https://github.com/pytorch/pytorch/pull/3"' in out


def test_markdown_images_become_links_so_nothing_is_fetched() -> None:
    out = html_of('![a "screenshot"](https://evil.example/pixel.png)')
    assert "<img" not in out
    assert 'href="https://evil.example/pixel.png"' in out
    assert "[image: a &quot;screenshot&quot;]" in out or '[image: a "screenshot"]' in out


def test_gfm_tables_code_and_details_survive() -> None:
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nx = 1 < 2\n```\n\n<details><summary>env</summary>\n\ntext\n</details>"
    out = html_of(body)
    assert out.count("<td>") == 2 and "<th>a</th>" in out
    assert "<pre><code" in out and "x = 1 &lt; 2" in out
    assert "<details><summary>env</summary>" in out


def test_html_comments_from_issue_templates_are_dropped() -> None:
    out = html_of("<!-- Please describe the bug -->\nReal text")
    assert "Please describe" not in out and "Real text" in out


def test_styles_iframes_and_forms_are_removed() -> None:
    out = sanitize_html(
        "<style>body{display:none}</style><iframe src=x></iframe><form><input></form><p style='x'>p</p>"
    )
    assert "<style" not in out and "display:none" not in out and "<iframe" not in out
    assert "<form" not in out and "<input" not in out and "style=" not in out
    assert "<p>p</p>" in out


def test_long_bodies_are_cut_to_an_excerpt_at_a_paragraph_break() -> None:
    body = ("para " * 100 + "\n\n") * 100
    excerpt = render_issue_body(body, limit=2000)
    assert excerpt.truncated and excerpt.total_chars == len(body)
    assert len(excerpt.html) < 2500
    assert excerpt.html.rstrip().endswith("</p>")
    short = render_issue_body("short")
    assert not short.truncated and short.html == "<p>short</p>\n"


def test_bidi_and_zero_width_characters_are_stripped_from_bodies() -> None:
    text = "a\u202eb\u2066c\u2069\u200bd\u200de\ufeff\x07f\x00g\u2028h"
    out = html_of(text)
    assert "\u202e" not in out and "\u200b" not in out and "\x07" not in out


def test_safe_http_url_accepts_only_plain_http_links() -> None:
    ok = "https://github.com/pytorch/pytorch/issues/1"
    assert safe_http_url(ok) == ok
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "https://a b",
        "file:///etc/passwd",
        "https://evil\u202e.com",
        'https://x/"onmouseover=1',
        "//evil.example",
    ):
        assert safe_http_url(bad, "FALLBACK") == "FALLBACK", bad
