"""Hostile issue content through every output of `prready plan` (HTML, Markdown, JSON,
the terminal table) and `prready issues`: no script, handler, active URL, template
evaluation, terminal escape or bidi trick gets through; a 1 MB body and 10,000 labels
stay within generous time and memory bounds."""

from __future__ import annotations

import json
import resource
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gitfixtures import make_history_repo
from rhelpers import REPO, assert_ok, fast_client, invoke, plan_args, run_prready

TOKEN = "ghp_hostileIssuesToken00000000000000000000"
ESCAPES = ("\x1b", "\x07", "\u202e", "\u2066", "\u200b", "\x00", "\x9b")
HOSTILE_TITLES = [
    '<script>alert("title")</script> crash in relu',
    "\x1b[2J\x1b]0;pwned\x07 clears your screen",
    "\u202eevil\u202c reversed \u2066text\u2069 and zero\u200bwidth",
    "[click me](javascript:alert(1)) and {{ 7*191 }} and {% raw %}",
    "line one\n# injected heading\n| a | b |\n---",
    '"><img src=x onerror=alert(1)> </textarea><!--',
    "\x9b31m C1 escape and \x00 NUL",
    "normal looking title " + "A" * 5000,
]
HOSTILE_BODY = """
<script>alert('body')</script>
<img src=x onerror="alert('img')">
<iframe src="https://evil.example"></iframe>
<svg onload=alert(1)><circle/></svg>
<a href="javascript:alert('a')">click</a>
<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
<style>body { display: none }</style>
<form action="https://evil.example"><input name=x></form>
<details open ontoggle=alert(1)>x</details>
[md link](javascript:alert('md'))
![tracking pixel](https://evil.example/pixel.png)
{{ 7*191 }} {% for x in range(3) %}loop{% endfor %}
\x1b[31mred\x1b[0m \u202e
Traceback (most recent call last):
  File "minitorch/nn/functional.py", line 2, in relu
"""


@pytest.fixture
def hostile_plan_env(github_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A loopback repository whose issues are all hostile, and a checkout to map."""
    fast_client(monkeypatch, per_page=100)
    ds = github_server.dataset
    ds.add_repo(REPO)
    ds.add_label(REPO, "good first issue")
    ds.add_label(REPO, "bug")
    ds.add_label(REPO, "<b>bold</b>\x1b[31m", "ededed", "<script>alert('label')</script>")
    for k, title in enumerate(HOSTILE_TITLES):
        ds.add_issue(
            REPO,
            title,
            body=HOSTILE_BODY,
            labels=["good first issue" if k % 2 else "bug", "<b>bold</b>\x1b[31m"],
            user="evil-user",
            created_at=f"2026-10-{k + 1:02d}T00:00:00Z",
        )
    return make_history_repo(tmp_path)


def plan(server: Any, checkout: Path, fmt: str, out: Path) -> Any:
    result = invoke(
        *plan_args(checkout, server.url, TOKEN, "--format", fmt, "--output", str(out)),
    )
    assert_ok(result)
    return result


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


def assert_no_escapes(text: str) -> None:
    for ch in ESCAPES:
        assert ch not in text, repr(ch)


def test_html_plan_has_no_active_hostile_content(
    github_server: Any, hostile_plan_env: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.html"
    plan(github_server, hostile_plan_env, "html", out)
    html = out.read_text(encoding="utf-8")
    parser = TagCollector()
    parser.feed(html)
    # The page's own candidate filters (a form of selects with no action) are not content.
    names = {
        tag for tag, attrs in parser.tags if not (tag == "form" and ("class", "filters") in attrs)
    }
    assert not names & {"iframe", "img", "form", "input", "object", "embed"}
    for tag, attrs in parser.tags:  # and that form sends nothing anywhere
        if tag == "form":
            assert not {name for name, _ in attrs} & {"action", "method", "target"}
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "xlink:href"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), value
    assert "alert(" not in "".join(parser.script_text)
    assert "1337" not in html  # {{ 7*191 }} was never evaluated as a template
    assert "evil-user" in html or "crash in relu" in html  # the content is shown, as text
    assert_no_escapes(html)
    csp = [
        a for t, a in parser.tags if t == "meta" and ("http-equiv", "Content-Security-Policy") in a
    ]
    assert csp, "the page declares a Content-Security-Policy"


def test_markdown_plan_has_no_raw_html_or_active_links(
    github_server: Any, hostile_plan_env: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.md"
    plan(github_server, hostile_plan_env, "md", out)
    md = out.read_text(encoding="utf-8")
    low = md.lower()
    for bad in ("<script", "<img", "<iframe", "<svg", "<style", "<!--"):
        assert bad not in low, bad
    # Every link a Markdown viewer would make is plain http(s); no raw HTML gets through.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    for token in tokens:
        for child in [token, *(token.children or [])]:
            if child.type in ("link_open", "image"):
                href = str(child.attrGet("href") or child.attrGet("src") or "")
                assert href.startswith(("https://", "http://", "#")), href
            assert child.type not in ("html_inline", "html_block"), child.content
    assert "\n# injected heading" not in md  # a title cannot start a block of its own
    assert "1337" not in md
    assert_no_escapes(md)


def test_json_plan_is_valid_and_keeps_text_as_inert_data(
    github_server: Any, hostile_plan_env: Path, tmp_path: Path
) -> None:
    out = tmp_path / "plan.json"
    plan(github_server, hostile_plan_env, "json", out)
    raw = out.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert isinstance(data, dict)
    assert "\x1b" not in raw and "\x00" not in raw  # control characters are \u-escaped or gone
    assert "1337" not in raw


def test_terminal_output_of_plan_and_issues_has_no_escapes(
    github_server: Any, hostile_plan_env: Path, tmp_path: Path
) -> None:
    result = plan(github_server, hostile_plan_env, "html", tmp_path / "p.html")
    assert_no_escapes(result.stdout)
    assert_no_escapes(result.stderr)
    table = invoke("issues", REPO, "--checkout", str(hostile_plan_env), "--offline")
    assert_ok(table)
    assert_no_escapes(table.stdout)
    labels = invoke("issues", REPO, "--labels")
    assert_ok(labels)
    assert_no_escapes(labels.stdout)
    status = invoke("status", REPO)
    assert_ok(status)
    assert_no_escapes(status.stdout)


def test_issues_json_output_is_valid(github_server: Any, hostile_plan_env: Path) -> None:
    assert_ok(invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN))
    result = invoke(
        "issues", REPO, "--format", "json", "--checkout", str(hostile_plan_env), "--offline"
    )
    assert_ok(result)
    data = json.loads(result.stdout)
    assert len(data) == len(HOSTILE_TITLES)


# ---------------------------------------------------------------------- size bounds
def test_huge_body_and_ten_thousand_labels_stay_bounded(github_server: Any, tmp_path: Path) -> None:
    ds = github_server.dataset
    ds.add_repo(REPO)
    ds.add_label(REPO, "good first issue")
    ds.add_label(REPO, "bug")
    huge = ("torch.nn.functional.relu(x) fails " * 40_000)[: 1 << 20]  # 1 MB
    many = ["good first issue"] + [f"label-{k:05d}" for k in range(10_000)]
    ds.add_issue(
        REPO, "huge body", body=huge, labels=["good first issue"], created_at="2026-10-01T00:00:00Z"
    )
    ds.add_issue(REPO, "many labels", body="x", labels=many, created_at="2026-10-02T00:00:00Z")
    for k in range(4):
        ds.add_issue(REPO, f"normal {k}", labels=["bug"], created_at=f"2026-10-0{3 + k}T00:00:00Z")
    checkout = make_history_repo(tmp_path)
    out = tmp_path / "plan.html"
    start = time.monotonic()
    proc = run_prready(
        [
            *plan_args(checkout, github_server.url, TOKEN, "--output", str(out)),
        ],
        {},
        timeout=300,
    )
    took = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert took < 120, took
    assert peak_mb < 600, peak_mb
    size = out.stat().st_size
    assert size < 5 * 1024 * 1024, size  # the body is cut to an excerpt, not pasted whole
