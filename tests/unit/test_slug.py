from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prready.errors import UsageError
from prready.slug import (
    looks_like_pull_url,
    mentioned_issues,
    parse_issue_ref,
    parse_slug,
    repo_of_pull_url,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pytorch/pytorch", "pytorch/pytorch"),
        ("  huggingface/transformers ", "huggingface/transformers"),
        ("https://github.com/pytorch/pytorch", "pytorch/pytorch"),
        ("https://github.com/pytorch/pytorch/", "pytorch/pytorch"),
        ("http://www.github.com/o/r.git", "o/r"),
        ("github.com/o/r", "o/r"),
        ("git@github.com:o/r.git", "o/r"),
        ("ssh://git@github.com/o/my.repo.git", "o/my.repo"),
    ],
)
def test_accepted_forms_are_normalised(text: str, expected: str) -> None:
    assert parse_slug(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "pytorch", "a/b/c", "../..", "../x", "o/..", "o/.", "/etc/passwd", "o//r",
     "-bad/r", "o/r r", "o/\x1b[2J", "https://gitlab.com/o/r", "o/" + "x" * 101],
)
def test_rejected_forms_raise_one_line_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_slug(text)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    assert "OWNER/REPO" in message or "not a valid" in message


def test_issue_refs() -> None:
    assert parse_issue_ref("pytorch/pytorch#123") == ("pytorch/pytorch", 123)
    assert parse_issue_ref("https://github.com/o/r/issues/7") == ("o/r", 7)
    assert parse_issue_ref("https://github.com/o/r/pull/9") == ("o/r", 9)
    for bad in ("o/r", "o/r#", "o/r#x", "o/r#0", "#5"):
        with pytest.raises(UsageError):
            parse_issue_ref(bad)


@given(st.text(max_size=200))
def test_slug_parser_never_crashes(text: str) -> None:
    try:
        slug = parse_slug(text)
    except UsageError as exc:
        assert "\n" not in str(exc)
    else:
        owner, name = slug.split("/")
        assert owner and name and name != ".." and "/" not in name


def test_mentioned_issues_of_own_repository_only() -> None:
    text = "Fixes #12, see o/r#13 and https://github.com/O/R/issues/14; not &#15; nor x/y#16 or a#17"
    assert mentioned_issues("o/r", text) == {12, 13, 14}


def test_pull_request_urls() -> None:
    assert repo_of_pull_url("https://ghe.example.com:8443/o/r/pull/3") == "o/r"
    assert repo_of_pull_url("https://github.com/o/r/issues/3") is None
    assert looks_like_pull_url(" github.com/o/r/pull/3/ ") and not looks_like_pull_url("o/r#3")
    assert not looks_like_pull_url(None)
