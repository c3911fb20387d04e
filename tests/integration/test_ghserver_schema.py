"""Every kind of JSON body the loopback server serves validates against the operation's
response schema in GitHub's OpenAPI description (the shared subset), and the check is
strict enough to reject wrong shapes."""

from __future__ import annotations

import copy
import os
import subprocess

import pytest
import requests

from ghserver import Dataset, GitHubServer
from ghserver.schema import (
    SUBSET_PATHS,
    component_errors,
    errors,
    load_spec,
    operation_paths,
    timeline_event_errors,
)

REPO = "acme/widgets"


@pytest.fixture(scope="module", autouse=True)
def openapi_description() -> None:
    """GitHub's OpenAPI description is not part of this repository: where neither the
    shared copy nor npm (or the registry) is at hand, these tests skip and say why; in CI
    (CI=true) that is a failure instead, as nothing may skip there."""
    try:
        load_spec()
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        reason = f"GitHub's OpenAPI description is unavailable: {str(exc).splitlines()[0]}"
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{reason} (CI=true: nothing may skip)")
        pytest.skip(reason)


ISSUE = "/repos/{owner}/{repo}/issues/{issue_number}"
PULL = "/repos/{owner}/{repo}/pulls/{pull_number}"


@pytest.fixture(scope="module")
def server():
    """One server over a dataset with every case a body can take (nulls, pulls, bots...)."""
    ds = Dataset()
    ds.add_repo(
        REPO, description="Widgets", stargazers_count=12, homepage="https://widgets.example"
    )
    ds.add_repo("other/lib")
    ds.add_label(REPO, "bug", "d73a4a", "Something is broken")
    ds.add_label(REPO, "good first issue", "7057ff")
    ds.add_user("erin", name="Erin", bio="Tensors", company="Acme")
    ds.set_authenticated_user("erin")
    ds.add_issue(
        REPO, "Plain", labels=["bug", "good first issue"], assignees=["erin", "frank"], reactions=4
    )
    ds.add_issue(
        REPO,
        "No body",
        body=None,
        user="dependabot[bot]",
        state="closed",
        state_reason="not_planned",
        closed_by="gina",
    )
    ds.add_comment(REPO, 1, "frank", "I'll take it", "2024-01-02T00:00:00Z")
    ds.add_pull(
        REPO,
        "Fix plain",
        body=None,
        user="frank",
        merged=True,
        references=[1],
        files=[{"filename": "w.py", "additions": 2, "deletions": 1}],
        created_at="2024-01-03T00:00:00Z",
    )
    ds.add_pull(
        REPO,
        "Open draft",
        user="gina",
        labels=["bug"],
        files=[{"filename": "n.py", "status": "renamed", "previous_filename": "o.py"}],
    )
    ds.add_pull(REPO, "Closed unmerged", state="closed")
    ds.add_commit(REPO, "Initial", files=["README.md", "src/w.py"])
    ds.add_commit(REPO, "Fix w", author="frank", files=[{"filename": "src/w.py", "additions": 3}])
    ds.add_file(REPO, "README.md", "# Widgets\n")
    ds.add_file(REPO, "src/w.py", "def w():\n    return 1\n")
    other = ds.add_pull("other/lib", "Cross-repo mention", references=[f"{REPO}#1"])
    assert other == 1
    ds.rename_repo("other/lib", "other/library")
    with GitHubServer(ds) as srv:
        yield srv


def _body(server, path, status=200, token="t", **params):
    headers = {"Authorization": f"token {token}"} if token else {}
    response = requests.get(
        server.url + path, params=params, headers=headers, timeout=5, allow_redirects=False
    )
    assert response.status_code == status, (path, response.status_code, response.text[:200])
    return response.json()


def _assert_valid(template, body, status=200):
    found = errors(template, body, status, strict=status == 200)
    assert not found, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in found[:5]]


SUCCESS_CASES = [
    ("/repos/{owner}/{repo}", f"/repos/{REPO}", {}),
    ("/repos/{owner}/{repo}/labels", f"/repos/{REPO}/labels", {}),
    ("/repos/{owner}/{repo}/issues", f"/repos/{REPO}/issues", {"state": "all"}),
    (ISSUE, f"/repos/{REPO}/issues/1", {}),
    (ISSUE, f"/repos/{REPO}/issues/2", {}),
    (ISSUE, f"/repos/{REPO}/issues/3", {}),
    (
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        f"/repos/{REPO}/issues/1/comments",
        {},
    ),
    (
        "/repos/{owner}/{repo}/issues/{issue_number}/timeline",
        f"/repos/{REPO}/issues/1/timeline",
        {},
    ),
    ("/repos/{owner}/{repo}/pulls", f"/repos/{REPO}/pulls", {"state": "all"}),
    (PULL, f"/repos/{REPO}/pulls/3", {}),
    (PULL, f"/repos/{REPO}/pulls/4", {}),
    (PULL, f"/repos/{REPO}/pulls/5", {}),
    ("/repos/{owner}/{repo}/pulls/{pull_number}/files", f"/repos/{REPO}/pulls/3/files", {}),
    ("/repos/{owner}/{repo}/pulls/{pull_number}/files", f"/repos/{REPO}/pulls/4/files", {}),
    (
        "/repos/{owner}/{repo}/issues/{issue_number}/timeline",
        f"/repos/{REPO}/issues/2/timeline",
        {},
    ),
    ("/repos/{owner}/{repo}/commits", f"/repos/{REPO}/commits", {}),
    ("/repos/{owner}/{repo}/contents/{path}", f"/repos/{REPO}/contents/src/w.py", {}),
    ("/repos/{owner}/{repo}/contents/{path}", f"/repos/{REPO}/contents/src", {}),
    ("/repos/{owner}/{repo}/contents/{path}", f"/repos/{REPO}/contents/", {}),
    ("/search/issues", "/search/issues", {"q": f"repo:{REPO}"}),
    ("/search/issues", "/search/issues", {"q": "is:pr label:bug"}),
    ("/rate_limit", "/rate_limit", {}),
    ("/user", "/user", {}),
    ("/users/{username}", "/users/erin", {}),
    ("/users/{username}", "/users/dependabot[bot]", {}),
]


@pytest.mark.parametrize(
    ("template", "path", "params"), SUCCESS_CASES, ids=[c[1] + str(c[2]) for c in SUCCESS_CASES]
)
def test_success_bodies_validate_strictly(server, template, path, params):
    body = _body(server, path, **params)
    assert body, "an empty body proves nothing"
    _assert_valid(template, body)


def test_every_spec_operation_we_serve_is_covered():
    assert set(operation_paths()) == {c[0] for c in SUCCESS_CASES}


def test_each_timeline_event_fits_the_schema_its_event_names(server):
    events = _body(server, f"/repos/{REPO}/issues/1/timeline")
    assert {e["event"] for e in events} == {"commented", "cross-referenced"}
    for event in events:
        found = timeline_event_errors(event, strict=True)
        assert not found, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in found[:5]]
    sources = [e["source"]["issue"] for e in events if e["event"] == "cross-referenced"]
    assert {s["repository"]["full_name"] for s in sources} == {REPO, "other/library"}


ERROR_CASES = [
    ("/repos/{owner}/{repo}", "/repos/acme/missing", 404, {}),
    (ISSUE, f"/repos/{REPO}/issues/99", 404, {}),
    ("/repos/{owner}/{repo}", "/repos/other/lib", 301, {}),
    ("/repos/{owner}/{repo}/issues", f"/repos/{REPO}/issues", 422, {"state": "nope"}),
    ("/search/issues", "/search/issues", 422, {"q": ""}),
]


@pytest.mark.parametrize(
    ("template", "path", "status", "params"),
    ERROR_CASES,
    ids=[f"{c[1]}-{c[2]}" for c in ERROR_CASES],
)
def test_error_bodies_validate(server, template, path, status, params):
    _assert_valid(template, _body(server, path, status, **params), status)


def test_auth_and_rate_limit_and_server_error_bodies_validate():
    ds = Dataset()
    ds.add_repo(REPO)
    ds.add_pull(REPO, "p")
    with GitHubServer(ds) as srv:
        _assert_valid("/user", _body(srv, "/user", 401, token=None), 401)
        srv.inject("/pulls/1$", "status", code=503)
        _assert_valid(PULL, _body(srv, f"/repos/{REPO}/pulls/1", 503), 503)
        srv.inject("/pulls/1$", "status", code=500)
        _assert_valid(PULL, _body(srv, f"/repos/{REPO}/pulls/1", 500), 500)
        srv.inject(f"^/repos/{REPO}$", "rate_limit_secondary")
        _assert_valid("/repos/{owner}/{repo}", _body(srv, f"/repos/{REPO}", 403), 403)
        srv.set_rate_limit(remaining=0)
        _assert_valid("/repos/{owner}/{repo}", _body(srv, f"/repos/{REPO}", 403), 403)


# -- the check itself must bite ----------------------------------------------------


def test_broken_bodies_fail_validation(server):
    issue = _body(server, f"/repos/{REPO}/issues/1")
    assert not errors(ISSUE, issue, strict=True)
    breakages = {
        "missing required": lambda b: b.pop("number"),
        "wrong type": lambda b: b.update(number="1"),
        "null where not nullable": lambda b: b.update(title=None),
        "bad nested user": lambda b: b["user"].pop("login"),
        "bad timestamp": lambda b: b.update(created_at="yesterday"),
        "bad uri": lambda b: b.update(html_url="not a url"),
        "bad enum": lambda b: b.update(state_reason="because"),
        "label as number": lambda b: b.update(labels=[5]),
    }
    for name, breakage in breakages.items():
        broken = copy.deepcopy(issue)
        breakage(broken)
        assert errors(ISSUE, broken), name
    assert errors("/repos/{owner}/{repo}/issues", issue), "an object where a list belongs"
    extra = copy.deepcopy(issue)
    extra["titel"] = "typo"
    assert not errors(ISSUE, extra) and errors(ISSUE, extra, strict=True), (
        "strict catches unknown keys"
    )


def test_nullable_accepts_null_only_where_the_spec_says(server):
    closed = _body(server, f"/repos/{REPO}/issues/2")
    assert closed["body"] is None and closed["milestone"] is None
    assert not errors(ISSUE, closed, strict=True)
    assert (
        component_errors(
            "label", {**_body(server, f"/repos/{REPO}/labels")[0], "description": None}
        )
        == []
    )
    assert component_errors("label", {**_body(server, f"/repos/{REPO}/labels")[0], "name": None})


def test_closed_event_fits_the_state_change_schema(server):
    events = _body(server, f"/repos/{REPO}/issues/2/timeline")
    assert [e["event"] for e in events] == ["closed"]
    assert events[0]["actor"]["login"] == "gina" and events[0]["state_reason"] == "not_planned"
    assert not timeline_event_errors(events[0], strict=True)


def test_broken_timeline_event_fails_its_own_schema(server):
    event = next(
        e
        for e in _body(server, f"/repos/{REPO}/issues/1/timeline")
        if e["event"] == "cross-referenced"
    )
    event["source"]["issue"].pop("number")
    assert timeline_event_errors(event)


def test_spec_in_use_has_every_subset_operation():
    """Whichever description is in use (shared subset or the full npm one), it holds the
    GET operations the server serves: none silently missing from the checks above."""
    assert set(operation_paths()) == set(SUBSET_PATHS)
