"""Property tests for every parser of outside text: any input gives a result or a clean
PrreadyError (one line), never a crash. Inputs mix random text with fragments that look
like the real thing (tracebacks, imports, URLs, claims), so the interesting paths run."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from prready.analysis.comment_words import claim_text
from prready.analysis.evidence import IssueEvidence, extract_evidence
from prready.analysis.labels import (
    classify_label,
    classify_labels,
    normalize_label,
    validate_overrides,
)
from prready.analysis.native import scan_native_bytes
from prready.analysis.obsolete import CheckoutNames, gone_code
from prready.analysis.pyscan import scan_python, scan_python_bytes
from prready.analysis.taken import active_claims, detect_taken, find_claim
from prready.config import load_config
from prready.errors import NetworkError, PrreadyError, UsageError
from prready.models import Comment, CrossReference, Issue, LabelKind
from prready.render.sanitize import render_issue_body, safe_http_url
from prready.slug import parse_issue_ref, parse_slug
from prready.sources.github_payloads import issue_from_json
from prready.sources.issue_file import read_issue_file
from prready.text import safe_line, strip_spoofing

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Parsers that read a file: each example writes one, so fewer examples keep the suite fast.
FILE_SETTINGS = settings(SETTINGS, max_examples=80)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)

# Fragments that steer random text into the parsers' interesting branches.
FRAGMENTS = [
    "Traceback (most recent call last):\n",
    '  File "/usr/lib/python3/site-packages/torch/nn/functional.py", line 42, in relu\n',
    "torch/nn/modules/conv.py:120",
    "import torch.nn.functional as F\n",
    "from torch import nn\n",
    "```python\n",
    "```\n",
    ">>> import numpy as np\n",
    "F.relu(x)",
    "torch.Tensor.add_",
    "https://github.com/pytorch/pytorch/issues/1",
    "/assign @bob",
    "I'd like to work on this",
    "can I take this?",
    "I'm no longer working on this",
    "> quoted claim: I'll take it",
    "`inline code`",
    "\u202e",
    "\u200b",
    "\x1b[31m",
    "\r\n",
    "\0",
    "..",
    "/",
    "#",
    "module: ",
    "good first issue",
    '"""',
    "'''",
    "\\",
    "#include <ATen/ATen.h>\n",
    '#include "ops.h"\n',
    "PYBIND11_MODULE(_C, m)",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![img](http://evil/x.png)",
]
messy_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)), max_size=25).map(
    "".join
)


def assert_clean_error(exc: PrreadyError) -> None:
    """A clean error is one line of text, without a traceback or a repr of an object."""
    message = str(exc)
    assert message and "\n" not in message and not message.startswith("Traceback")


# ---------------------------------------------------------------------- slug
@SETTINGS
@given(st.one_of(st.text(max_size=120), messy_text))
def test_slug_parser_gives_owner_name_or_usage_error(text: str) -> None:
    try:
        slug = parse_slug(text)
    except UsageError as exc:
        assert_clean_error(exc)
        return
    owner, name = slug.split("/")
    assert re.fullmatch(r"[A-Za-z0-9-]{1,39}", owner)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,100}", name) and name not in (".", "..")
    assert parse_slug(slug) == slug  # idempotent


owners = st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,10}", fullmatch=True)
names = st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}", fullmatch=True).filter(
    lambda n: n not in (".", "..") and not n.endswith(".git")
)


@SETTINGS
@given(
    owners,
    names,
    st.sampled_from(
        [
            "{s}",
            "https://github.com/{s}",
            "https://github.com/{s}.git",
            "git@github.com:{s}.git",
            "ssh://git@github.com/{s}",
            "  {s}  ",
            "http://www.github.com/{s}/",
        ]
    ),
)
def test_slug_url_forms_normalise_to_owner_name(owner: str, name: str, form: str) -> None:
    assert parse_slug(form.format(s=f"{owner}/{name}")) == f"{owner}/{name}"


@SETTINGS
@given(st.one_of(st.text(max_size=80), messy_text, st.integers().map(lambda n: f"o/r#{n}")))
def test_issue_ref_parser_gives_positive_number_or_usage_error(text: str) -> None:
    try:
        slug, number = parse_issue_ref(text)
    except UsageError as exc:
        assert_clean_error(exc)
        return
    assert number > 0 and parse_slug(slug) == slug


# ---------------------------------------------------------------------- evidence
@SETTINGS
@given(messy_text, messy_text, st.sampled_from(["", "torch", "transformers", "x"]))
def test_evidence_extractor_never_crashes(title: str, body: str, package: str) -> None:
    found = extract_evidence(title, body, package=package)
    assert isinstance(found, IssueEvidence)
    assert all(isinstance(p, str) and (ln is None or ln >= 0) for p, ln in found.paths)
    assert all(isinstance(a, str) and a for a in found.apis)
    assert found.called <= set(found.apis) | set(found.called)


_GONE_CHECKOUT = CheckoutNames.of(
    ["torch/__init__.py", "torch/nn/functional.py", "torch/optim/adam.py"], ["torch"], ["relu"]
)


@SETTINGS
@given(messy_text, messy_text)
def test_gone_code_never_crashes_and_names_only_paths(title: str, body: str) -> None:
    gone = gone_code(title, body, _GONE_CHECKOUT)
    assert all(re.fullmatch(r"[\w./:-]+\.py", path) for path in gone)
    assert not any(_GONE_CHECKOUT.has(path) for path in gone)


def test_evidence_extractor_is_bounded_on_a_huge_body() -> None:
    body = ("torch.nn.functional.relu(x) " * 40_000) + FRAGMENTS[1] * 5_000
    found = extract_evidence("t", body, package="torch")
    assert "torch.nn.functional.relu" in found.apis


# ---------------------------------------------------------------------- labels
@SETTINGS
@given(messy_text, st.dictionaries(messy_text, messy_text, max_size=3))
def test_label_classifier_gives_a_kind_or_usage_error(name: str, overrides: dict[str, str]) -> None:
    assert isinstance(normalize_label(name), str)
    try:
        validate_overrides(overrides)
    except UsageError as exc:
        assert_clean_error(exc)
        overrides = {}
    kind, value = classify_label(name, overrides)
    assert isinstance(kind, LabelKind)
    assert value is None or isinstance(value, str)
    labels = classify_labels(
        [name, {"name": name, "color": None, "description": 3}, {"nope": 1}], overrides
    )
    assert all(isinstance(x.kind, LabelKind) for x in labels)


# ---------------------------------------------------------------------- taken
timestamps = st.one_of(
    st.sampled_from(
        [
            "2026-11-01T00:00:00Z",
            "2020-01-01T00:00:00Z",
            "",
            "not a date",
            "2026-13-45T99:99:99Z",
            "2026-11-01T00:00:00+05:00",
        ]
    ),
    st.text(max_size=25),
)


@SETTINGS
@given(
    st.lists(st.tuples(messy_text, messy_text, timestamps), max_size=6),
    st.lists(
        st.tuples(
            st.integers(1, 10**6),
            st.sampled_from(["open", "closed"]),
            st.booleans(),
            st.text(max_size=10),
            timestamps,
        ),
        max_size=3,
    ),
    st.lists(st.text(max_size=12), max_size=3),
    st.one_of(st.none(), st.text(max_size=10)),
)
def test_taken_detection_never_crashes(
    comments: list[tuple[str, str, str]],
    refs: list[tuple[int, str, bool, str, str]],
    assignees: list[str],
    me: str | None,
) -> None:
    issue = Issue(
        "o/r",
        1,
        "t",
        "b",
        "open",
        [],
        assignees,
        "x",
        len(comments),
        0,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        None,
        "",
    )
    notes = [Comment(1, author, body, when) for author, body, when in comments]
    cross = [
        CrossReference(1, n, "", st_, merged, who, when, "o/r")
        for n, st_, merged, who, when in refs
    ]
    for c in notes:
        assert isinstance(claim_text(c.body), str)
        found = find_claim(claim_text(c.body))
        assert found is None or len(found) <= 80
    assert isinstance(active_claims(notes), list)
    status = detect_taken(issue, notes, cross, NOW, claim_days=30, user_login=me)
    assert status.state in {"fresh", "taken", "stale-claim", "done"}
    assert all(isinstance(line, str) for line in status.evidence)


# ---------------------------------------------------------------------- JSON ingest
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
issue_like = st.fixed_dictionaries(
    {"number": st.one_of(st.integers(-5, 10**6), json_values)},
    optional={
        "title": json_values,
        "body": json_values,
        "state": st.one_of(st.sampled_from(["OPEN", "CLOSED", "MERGED"]), json_values),
        "labels": json_values,
        "assignees": json_values,
        "author": json_values,
        "comments": json_values,
        "url": st.one_of(
            st.sampled_from(
                [
                    "https://github.com/o/r/issues/1",
                    "https://github.com/x/y/pull/2",
                    "javascript:alert(1)",
                ]
            ),
            json_values,
        ),
        "createdAt": json_values,
        "updatedAt": json_values,
        "reactionGroups": json_values,
        "stateReason": json_values,
        "html_url": json_values,
        "user": json_values,
        "created_at": json_values,
        "pull_request": json_values,
        "closed_at": json_values,
    },
)


@FILE_SETTINGS
@given(
    st.one_of(
        json_values,
        st.lists(issue_like, max_size=5),
        st.fixed_dictionaries({"items": st.lists(issue_like, max_size=3)}),
    )
)
def test_issue_file_ingest_gives_issues_or_usage_error(tmp_path: Path, data: object) -> None:
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        parsed = read_issue_file(path, "o/r")
    except UsageError as exc:
        assert_clean_error(exc)
        return
    for issue in parsed.issues:
        assert isinstance(issue.number, int) and issue.repo == "o/r"
        assert isinstance(issue.title, str) and isinstance(issue.body, str)
        assert issue.state in ("open", "closed")
        assert all(isinstance(x, str) for x in issue.labels + issue.assignees)


@FILE_SETTINGS
@given(st.binary(max_size=300))
def test_issue_file_ingest_of_random_bytes_is_a_usage_error_or_issues(
    tmp_path: Path, raw: bytes
) -> None:
    path = tmp_path / "issues.json"
    path.write_bytes(raw)
    try:
        parsed = read_issue_file(path, "o/r")
    except UsageError as exc:
        assert_clean_error(exc)
        return
    assert isinstance(parsed.issues, list)


def test_issue_file_nested_too_deep_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(UsageError, match=r"nested too deeply|not valid JSON"):
        read_issue_file(path, "o/r")


@SETTINGS
@given(st.one_of(json_values, issue_like))
def test_rest_issue_json_gives_issue_or_network_error(data: object) -> None:
    try:
        issue = issue_from_json("o/r", data)
    except NetworkError as exc:
        assert_clean_error(exc)
        return
    assert isinstance(issue.number, int) and isinstance(issue.title, str)
    assert all(isinstance(x, str) for x in issue.labels)


# ---------------------------------------------------------------------- code scanners
@SETTINGS
@given(
    st.one_of(st.binary(max_size=400), messy_text.map(lambda s: s.encode("utf-8", "surrogatepass")))
)
def test_python_scanner_never_crashes(data: bytes) -> None:
    scan = scan_python_bytes(data)
    assert scan.lines >= 0 and scan.error in ("", "not-utf8", "syntax-error")
    assert all(imp.level >= 0 and isinstance(imp.module, str) for imp in scan.imports)


@SETTINGS
@given(messy_text)
def test_python_scanner_text_never_crashes(text: str) -> None:
    scan = scan_python(text)
    assert scan.error in ("", "syntax-error")


@SETTINGS
@given(
    st.one_of(st.binary(max_size=400), messy_text.map(lambda s: s.encode("utf-8", "surrogatepass")))
)
def test_native_scanner_never_crashes(data: bytes) -> None:
    scan = scan_native_bytes(data)
    assert scan.lines >= 0
    assert all(isinstance(target, str) and target for _line, target, _angled in scan.includes)


# ---------------------------------------------------------------------- text cleaning
@SETTINGS
@given(messy_text)
def test_text_cleaning_removes_control_and_bidi_characters(text: str) -> None:
    for cleaned in (strip_spoofing(text), safe_line(text, 50)):
        assert not any(ch in cleaned for ch in "\x1b\u202e\u200b\0")
    assert len(safe_line(text, 50)) <= 50 and "\n" not in safe_line(text, 50)


@SETTINGS
@given(messy_text)
def test_issue_body_html_has_no_active_content(body: str) -> None:
    html = render_issue_body(body, limit=2000).html
    tags = _tags(html)
    assert not {t for t, _ in tags} & {"script", "img", "iframe", "style", "svg", "form"}
    for _tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", name
            if name in ("href", "src"):
                assert (value or "").lower().startswith(("http://", "https://", "mailto:")), value


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collect().feed(html)
    return found


@SETTINGS
@given(
    st.one_of(
        messy_text,
        st.sampled_from(
            ["javascript:alert(1)", "https://ok.example/x", "http://a b", "data:text/html,x"]
        ),
    )
)
def test_safe_url_only_passes_plain_http_urls(url: str) -> None:
    out = safe_http_url(url, "")
    assert out == "" or re.match(r"^https?://", out)


@SETTINGS
@given(messy_text)
def test_terminal_safe_line_has_no_escape_or_spoofing_left(text: str) -> None:
    out = safe_line(text)
    assert "\x1b" not in out and "\u202e" not in out and "\0" not in out and "\r" not in out
    out.encode("utf-8")


# ---------------------------------------------------------------------- config
toml_fragments = st.sampled_from(
    [
        "[labels]\n",
        '"bug" = "bug"\n',
        "x = 1\n",
        "[profile]\n",
        "skills = ['python']\n",
        "skills = 3\n",
        "[plan]\n",
        "area_depth = 2\n",
        "area_depth = -1\n",
        "area_depth = true\n",
        "claim_days = 'x'\n",
        "exclude_labels = [1]\n",
        "profile = 1\n",
        "[[plan]]\n",
        "= =\n",
        "\0",
    ]
)


@FILE_SETTINGS
@given(st.lists(st.one_of(toml_fragments, st.text(max_size=10)), max_size=8).map("".join))
def test_config_loader_gives_config_or_usage_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    assume(path.exists())
    try:
        cfg = load_config(path)
    except UsageError as exc:
        assert_clean_error(exc)
        return
    assert all(isinstance(s, str) for s in cfg.skills)
    assert cfg.area_depth is None or cfg.area_depth >= 1
    assert cfg.claim_days >= 1
