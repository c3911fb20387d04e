"""--from-file ingestion: gh's JSON, the REST list format, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prready.errors import UsageError
from prready.sources.issue_file import read_issue_file

GH_ITEM = {
    "number": 12,
    "title": "Crash in <nn.Linear>",
    "body": "steps",
    "labels": [{"id": "LA_1", "name": "good first issue", "description": "", "color": "7057ff"}],
    "assignees": [{"id": "U_1", "login": "dave", "name": ""}],
    "author": {"id": "U_2", "is_bot": False, "login": "alice", "name": "Alice"},
    "state": "OPEN",
    "url": "https://github.com/pytorch/pytorch/issues/12",
    "createdAt": "2026-01-02T03:04:05Z",
    "updatedAt": "2026-02-03T04:05:06Z",
    "comments": [
        {
            "author": {"login": "bob"},
            "body": "I'd like to work on this",
            "createdAt": "2026-02-01T00:00:00Z",
        }
    ],
}


def write(tmp_path: Path, data: object, name: str = "issues.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_gh_issue_list_format(tmp_path: Path) -> None:
    result = read_issue_file(write(tmp_path, [GH_ITEM]), "pytorch/pytorch")
    (issue,) = result.issues
    assert issue.number == 12 and issue.state == "open" and issue.title == "Crash in <nn.Linear>"
    assert issue.labels == ["good first issue"] and issue.assignees == ["dave"]
    assert issue.author == "alice" and issue.comments == 1
    assert issue.created_at == "2026-01-02T03:04:05Z" and issue.updated_at == "2026-02-03T04:05:06Z"
    assert not issue.is_pull_request and result.shape == "gh"
    assert result.comments[12][0].author == "bob"


def test_gh_comments_as_count_and_closed_state(tmp_path: Path) -> None:
    item = dict(GH_ITEM, comments=5, state="CLOSED", closedAt="2026-03-01T00:00:00Z")
    (issue,) = read_issue_file(write(tmp_path, [item]), "pytorch/pytorch").issues
    assert issue.comments == 5 and issue.state == "closed"
    assert issue.closed_at == "2026-03-01T00:00:00Z"


def test_rest_list_format_with_a_pull_request(tmp_path: Path) -> None:
    rest = [
        {
            "number": 3, "title": "bug", "body": None, "state": "open",
            "labels": [{"name": "bug"}], "assignees": [], "user": {"login": "eve"},
            "comments": 2, "reactions": {"total_count": 4},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-05T00:00:00Z",
            "closed_at": None, "html_url": "https://github.com/pytorch/pytorch/issues/3",
        },
        {
            "number": 4, "title": "fix", "state": "open", "user": {"login": "eve"},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-05T00:00:00Z",
            "html_url": "https://github.com/pytorch/pytorch/pull/4", "pull_request": {"url": "x"},
        },
    ]  # fmt: skip
    result = read_issue_file(write(tmp_path, rest), "pytorch/pytorch")
    assert result.shape == "rest"
    first, second = result.issues
    assert (
        first.body == ""
        and first.reactions == 4
        and first.comments == 2
        and first.labels == ["bug"]
    )
    assert second.is_pull_request and not first.is_pull_request


def test_search_answer_with_items(tmp_path: Path) -> None:
    data = {"total_count": 1, "items": [dict(GH_ITEM, number=1)]}
    assert [i.number for i in read_issue_file(write(tmp_path, data), "pytorch/pytorch").issues] == [1]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"a": 1}', "expected a JSON list of issues"),
        ("[1, 2]", "item 0 is a int"),
        ('[{"title": "x"}]', "no integer 'number'"),
        ('[{"number": 1, "state": "OPEN"}]', "no string 'title'"),
        (
            '[{"number": 1, "title": "x", "state": "open", "html_url": 5, "user": "x", "labels": 3}]',
            None,
        ),
    ],
)
def test_bad_files_are_one_line_usage_errors(
    tmp_path: Path, content: str, expected: str | None
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    if expected is None:  # odd field types are tolerated, not crashes
        (issue,) = read_issue_file(path, "pytorch/pytorch").issues
        assert issue.labels == [] and issue.url == ""
        return
    with pytest.raises(UsageError) as info:
        read_issue_file(path, "pytorch/pytorch")
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert expected.replace("a int", "") in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        read_issue_file(tmp_path / "nope.json", "a/b")
    with pytest.raises(UsageError, match="is a directory"):
        read_issue_file(tmp_path, "a/b")


def test_file_of_another_repository_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="holds issues of pytorch/pytorch, not numpy/numpy"):
        read_issue_file(write(tmp_path, [GH_ITEM]), "numpy/numpy")
