"""The loopback GitHub server behaves like api.github.com where clients notice, driven by
real PyGithub and by raw requests."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import github
import pytest
import requests

from ghserver import Dataset, DatasetError, GitHubServer

REPO = "acme/widgets"


def _client(server: GitHubServer, token: str | None = "secret-token") -> github.Github:
    auth = github.Auth.Token(token) if token else None
    return github.Github(
        base_url=server.url, auth=auth, seconds_between_requests=0, retry=None, timeout=5
    )


def _get(server: GitHubServer, path: str, token: str | None = "secret-token", **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["Authorization"] = f"token {token}"
    return requests.get(server.url + path, headers=headers, timeout=5, **kwargs)


@pytest.fixture
def ds(github_server: GitHubServer) -> Dataset:
    data = github_server.dataset
    data.add_repo(REPO, description="Widgets")
    data.add_label(REPO, "bug", "d73a4a", "Something is broken")
    data.add_label(REPO, "good first issue", "7057ff", "Good for newcomers")
    return data


def _add_many(ds: Dataset, count: int) -> None:
    for i in range(count):
        ds.add_issue(
            REPO, f"issue {i + 1}", created_at=f"2024-01-01T00:{i // 60:02d}:{i % 60:02d}Z"
        )


# -- pagination -----------------------------------------------------------------


def test_link_header_pages_through_everything_with_absolute_urls(github_server, ds):
    _add_many(ds, 75)
    first = _get(github_server, f"/repos/{REPO}/issues", params={"per_page": 30, "state": "all"})
    assert first.status_code == 200
    assert len(first.json()) == 30
    assert set(first.links) == {"next", "last"}
    assert first.links["next"]["url"].startswith(github_server.url + f"/repos/{REPO}/issues?")
    assert "state=all" in first.links["last"]["url"] and "page=3" in first.links["last"]["url"]
    seen = [i["number"] for i in first.json()]
    response = first
    while "next" in response.links:
        response = _get(
            github_server, response.links["next"]["url"].removeprefix(github_server.url)
        )
        seen += [i["number"] for i in response.json()]
    assert sorted(seen) == list(range(1, 76))
    assert set(response.links) == {"first", "prev"}
    assert "page=2" in response.links["prev"]["url"]


def test_per_page_is_capped_at_100_and_defaults_to_30(github_server, ds):
    _add_many(ds, 130)
    assert len(_get(github_server, f"/repos/{REPO}/issues", params={"per_page": 500}).json()) == 100
    assert len(_get(github_server, f"/repos/{REPO}/issues").json()) == 30


def test_pygithub_paginates_issues_through_link_headers(github_server, ds):
    _add_many(ds, 75)
    issues = list(_client(github_server).get_repo(REPO).get_issues(state="all"))
    assert sorted(i.number for i in issues) == list(range(1, 76))
    pages = [r for r in github_server.requests if r.path == f"/repos/{REPO}/issues"]
    assert len(pages) == 3 and pages[-1].query.get("page") == "3"


# -- filters ---------------------------------------------------------------------


def test_labels_filter_means_all_of_the_labels(github_server, ds):
    both = ds.add_issue(REPO, "both", labels=["bug", "good first issue"])
    ds.add_issue(REPO, "bug only", labels=["bug"])
    ds.add_issue(REPO, "gfi only", labels=["good first issue"])
    got = _get(
        github_server, f"/repos/{REPO}/issues", params={"labels": "bug,good first issue"}
    ).json()
    assert [i["number"] for i in got] == [both]
    assert len(_get(github_server, f"/repos/{REPO}/issues", params={"labels": "bug"}).json()) == 2


def test_state_since_and_sort_filters(github_server, ds):
    old = ds.add_issue(REPO, "old", created_at="2023-01-01T00:00:00Z")
    new = ds.add_issue(REPO, "new", created_at="2024-06-01T00:00:00Z")
    shut = ds.add_issue(
        REPO,
        "shut",
        state="closed",
        created_at="2024-03-01T00:00:00Z",
        closed_at="2024-03-02T00:00:00Z",
    )
    ds.add_comment(REPO, old, "carol", "ping", "2024-07-01T00:00:00Z")
    ds.add_comment(REPO, old, "dave", "pong", "2024-07-02T00:00:00Z")

    def numbers(**params):
        return [
            i["number"] for i in _get(github_server, f"/repos/{REPO}/issues", params=params).json()
        ]

    assert numbers() == [new, old]  # open by default, newest created first
    assert numbers(state="closed") == [shut]
    assert numbers(state="all", direction="asc") == [old, shut, new]
    assert numbers(state="all", sort="updated") == [old, new, shut]  # comments bumped `old`
    assert numbers(sort="comments") == [old, new]
    assert numbers(state="all", since="2024-05-01T00:00:00Z") == [new, old]
    assert numbers(state="all", since="2024-06-15T00:00:00Z") == [old]
    bad = _get(github_server, f"/repos/{REPO}/issues", params={"state": "bogus"})
    assert bad.status_code == 422 and bad.json()["message"] == "Validation Failed"


def test_pygithub_filters_reach_the_server(github_server, ds):
    ds.add_issue(REPO, "a", labels=["bug"], created_at="2024-01-01T00:00:00Z")
    match = ds.add_issue(
        REPO, "b", labels=["bug", "good first issue"], created_at="2024-02-01T00:00:00Z"
    )
    repo = _client(github_server).get_repo(REPO)
    labels = [repo.get_label("bug"), repo.get_label("good first issue")]
    assert [i.number for i in repo.get_issues(labels=labels)] == [match]
    assert github_server.requests[-1].query["labels"] == "bug,good first issue"


def test_issues_list_includes_pulls_carrying_pull_request(github_server, ds):
    issue = ds.add_issue(REPO, "bug")
    pull = ds.add_pull(REPO, "fix", references=[issue], merged=True, files=[{"filename": "w.py"}])
    assert pull == issue + 1  # shared numbering
    items = {
        i["number"]: i
        for i in _get(github_server, f"/repos/{REPO}/issues", params={"state": "all"}).json()
    }
    assert "pull_request" not in items[issue]
    assert items[pull]["pull_request"]["merged_at"] is not None
    assert [
        p["number"]
        for p in _get(github_server, f"/repos/{REPO}/pulls", params={"state": "all"}).json()
    ] == [pull]


# -- single objects via PyGithub -------------------------------------------------


def test_pygithub_reads_issue_comments_timeline_pull_and_files(github_server, ds):
    issue = ds.add_issue(REPO, "Crash on empty input", body="Steps...", labels=["bug"], user="erin")
    ds.add_comment(REPO, issue, "frank", "I can take this", "2024-01-02T00:00:00Z")
    pull = ds.add_pull(
        REPO,
        "Handle empty input",
        body=f"Fixes #{issue}",
        user="frank",
        merged=True,
        merged_at="2024-01-05T00:00:00Z",
        files=[
            {"filename": "src/w.py", "additions": 3, "deletions": 1},
            {"filename": "tests/test_w.py", "status": "added", "additions": 9},
        ],
        references=[issue],
        created_at="2024-01-03T00:00:00Z",
    )
    repo = _client(github_server).get_repo(REPO)
    got = repo.get_issue(issue)
    assert (got.title, got.user.login, [lab.name for lab in got.labels]) == (
        "Crash on empty input",
        "erin",
        ["bug"],
    )
    assert [c.user.login for c in got.get_comments()] == ["frank"]
    events = list(got.get_timeline())
    assert [e.event for e in events] == ["commented", "cross-referenced"]
    assert events[1].source.issue.number == pull
    pr = repo.get_pull(pull)
    assert pr.merged and pr.additions == 12 and pr.changed_files == 2
    assert [(f.filename, f.status) for f in pr.get_files()] == [
        ("src/w.py", "modified"),
        ("tests/test_w.py", "added"),
    ]
    raw = _get(github_server, f"/repos/{REPO}/issues/{issue}/timeline").json()
    assert raw[1]["source"]["issue"]["pull_request"]["merged_at"] == "2024-01-05T00:00:00Z"


def test_search_issues_qualifiers(github_server, ds):
    a = ds.add_issue(
        REPO, "Segfault in conv2d", body="crash when stride is 0", labels=["bug"], user="erin"
    )
    b = ds.add_issue(
        REPO,
        "Docs typo",
        body="small fix",
        labels=["good first issue"],
        user="gina",
        state="closed",
    )
    p = ds.add_pull(REPO, "Fix conv2d segfault", user="erin", references=[a])
    ds.add_repo("other/repo")
    ds.add_issue("other/repo", "Segfault elsewhere", labels=["bug"])
    gh = _client(github_server)

    def found(q, **kw):
        return sorted(i.number for i in gh.search_issues(q, **kw))

    assert found(f"repo:{REPO} is:issue") == [a, b]
    assert found(f"repo:{REPO} is:pr") == [p]
    assert found(f"repo:{REPO} is:open author:erin") == [a, p]
    assert found(f'repo:{REPO} label:"good first issue"') == [b]
    assert found(f"repo:{REPO} segfault") == [a, p]
    assert found(f"repo:{REPO} stride in:body") == [a]
    assert found(f"repo:{REPO} stride in:title") == []
    assert found(f"repo:{REPO} -label:bug is:issue") == [b]
    assert found("segfault label:bug") == [a, 1]
    result = _get(
        github_server, "/search/issues", params={"q": f"repo:{REPO} is:issue", "per_page": 1}
    ).json()
    assert (
        result["total_count"] == 2
        and result["incomplete_results"] is False
        and len(result["items"]) == 1
    )
    assert github_server.requests[-1].path == "/search/issues"


def test_commits_and_contents_through_pygithub(github_server, ds):
    ds.add_commit(
        REPO,
        "Initial",
        author="erin",
        files=["README.md", "src/nn/conv.py"],
        date="2024-01-01T00:00:00Z",
    )
    fix = ds.add_commit(
        REPO, "Fix conv", author="frank", files=["src/nn/conv.py"], date="2024-02-01T00:00:00Z"
    )
    ds.add_commit(REPO, "Docs", author="erin", files=["README.md"], date="2024-03-01T00:00:00Z")
    ds.add_file(REPO, "src/nn/conv.py", "def conv():\n    pass\n" * 20)
    repo = _client(github_server).get_repo(REPO)
    assert [c.commit.message for c in repo.get_commits()] == ["Docs", "Fix conv", "Initial"]
    assert [c.sha for c in repo.get_commits(path="src/nn", author="frank")] == [fix]
    assert [
        c.commit.message for c in repo.get_commits(since=datetime(2024, 1, 15, tzinfo=timezone.utc))
    ] == ["Docs", "Fix conv"]
    assert (
        repo.get_contents("src/nn/conv.py").decoded_content.decode()
        == "def conv():\n    pass\n" * 20
    )
    assert [c.path for c in repo.get_contents("src")] == ["src/nn"]
    assert _get(github_server, f"/repos/{REPO}/contents/missing.py").status_code == 404


def test_closed_issue_timeline_has_a_closed_event(github_server, ds):
    n = ds.add_issue(
        REPO,
        "done",
        state="closed",
        closed_at="2024-05-01T00:00:00Z",
        closed_by="gina",
        state_reason="completed",
    )
    events = _get(github_server, f"/repos/{REPO}/issues/{n}/timeline").json()
    assert [(e["event"], e["actor"]["login"], e["created_at"]) for e in events] == [
        ("closed", "gina", "2024-05-01T00:00:00Z")
    ]


# -- ETag / 304 -----------------------------------------------------------------


def test_etag_304_costs_no_budget_and_changes_with_the_data(github_server, ds):
    n = ds.add_issue(REPO, "x")
    first = _get(github_server, f"/repos/{REPO}/issues/{n}")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    remaining = int(first.headers["X-RateLimit-Remaining"])
    again = _get(github_server, f"/repos/{REPO}/issues/{n}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert int(again.headers["X-RateLimit-Remaining"]) == remaining
    assert github_server.requests[-1].if_none_match is True
    ds.update_issue(REPO, n, title="y")
    changed = _get(github_server, f"/repos/{REPO}/issues/{n}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["title"] == "y"
    assert changed.headers["ETag"] != etag
    assert int(changed.headers["X-RateLimit-Remaining"]) == remaining - 1


@pytest.mark.parametrize(
    "path",
    [
        "/repos/{repo}/issues/{n}/comments",
        "/repos/{repo}/issues/{n}/timeline",
        "/repos/{repo}/pulls/{pr}",
        "/search/issues?q=is:pr+repo:{repo}",
        "/user",
    ],
)
def test_every_endpoint_a_plan_asks_again_answers_304_until_it_changes(github_server, ds, path):
    """The plan's conditional requests (issue 15): comments, timeline, pull, search, /user."""
    ds.set_authenticated_user("octo")
    n = ds.add_issue(REPO, "x")
    ds.add_comment(REPO, n, "octo", "first")
    pr = ds.add_pull(REPO, "fix", body=f"Fixes #{n}", user="octo", references=[n])
    url = path.format(repo=REPO, n=n, pr=pr)
    first = _get(github_server, url)
    assert first.status_code == 200
    again = _get(github_server, url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    if path == "/user":
        ds.add_user("octo", name="Octo Cat")
    else:
        ds.add_comment(REPO, n, "octo", "second")
        ds.update_issue(REPO, pr, title="fix, take two")
    changed = _get(github_server, url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_pygithub_conditional_update_gets_304(github_server, ds):
    repo = _client(github_server).get_repo(REPO)
    assert repo.update() is False  # unchanged: 304
    assert github_server.count(status=304) == 1
    assert github_server.requests[-1].if_none_match


# -- rate limits -----------------------------------------------------------------


def test_budgets_differ_for_token_and_anonymous_and_rate_limit_is_free(github_server, ds):
    authed = _get(github_server, f"/repos/{REPO}")
    anon = _get(github_server, f"/repos/{REPO}", token=None)
    assert (
        authed.headers["X-RateLimit-Limit"] == "5000" and anon.headers["X-RateLimit-Limit"] == "60"
    )
    assert authed.headers["X-RateLimit-Resource"] == "core"
    assert anon.headers["X-RateLimit-Used"] == "1"
    before = _get(github_server, "/rate_limit").json()["resources"]["core"]["remaining"]
    after = _get(github_server, "/rate_limit").json()["resources"]["core"]["remaining"]
    assert before == after == 4999
    search = _get(github_server, "/search/issues", params={"q": "x"})
    assert (
        search.headers["X-RateLimit-Resource"] == "search"
        and search.headers["X-RateLimit-Limit"] == "30"
    )
    assert [r.authenticated for r in github_server.requests[:2]] == [True, False]


def test_exhausted_budget_gives_github_403_and_pygithub_raises(github_server, ds):
    github_server.set_rate_limit(limit=3, remaining=1, reset_in=600)
    assert _get(github_server, f"/repos/{REPO}").status_code == 200
    blocked = _get(github_server, f"/repos/{REPO}")
    assert blocked.status_code == 403
    assert blocked.json()["message"].startswith("API rate limit exceeded for ")
    assert "documentation_url" in blocked.json()
    assert (
        blocked.headers["X-RateLimit-Remaining"] == "0"
        and blocked.headers["X-RateLimit-Limit"] == "3"
    )
    assert int(blocked.headers["X-RateLimit-Reset"]) > time.time() + 500
    with pytest.raises(github.RateLimitExceededException):
        _client(github_server).get_repo(REPO)


def test_budget_refills_after_reset(github_server, ds):
    # (3 s, not 1: on a loaded machine the first request once came after the reset.)
    github_server.set_rate_limit(remaining=0, reset_in=3)
    blocked = _get(github_server, f"/repos/{REPO}")
    assert blocked.status_code == 403
    time.sleep(max(0.0, int(blocked.headers["X-RateLimit-Reset"]) - time.time()) + 0.05)
    fresh = _get(github_server, f"/repos/{REPO}")
    assert fresh.status_code == 200 and fresh.headers["X-RateLimit-Remaining"] == "4999"


# -- auth and errors -------------------------------------------------------------


def test_user_needs_a_token_and_404s_look_like_github(github_server, ds):
    ds.set_authenticated_user("me")
    anon = _get(github_server, "/user", token=None)
    assert anon.status_code == 401
    assert anon.json()["message"] == "Requires authentication" and anon.json()["status"] == "401"
    assert _client(github_server).get_user().login == "me"
    missing = _get(github_server, "/repos/acme/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest",
        "status": "404",
    }
    assert _get(github_server, f"/repos/{REPO}/issues/999").status_code == 404
    with pytest.raises(github.UnknownObjectException):
        _client(github_server).get_repo("acme/nope")


def test_wrong_token_is_bad_credentials_and_token_is_never_kept():
    ds = Dataset()
    ds.add_repo(REPO)
    with GitHubServer(ds, expected_token="right-token") as server:
        bad = _get(server, f"/repos/{REPO}", token="wrong-token")
        assert bad.status_code == 401
        assert bad.json() == {
            "message": "Bad credentials",
            "documentation_url": "https://docs.github.com/rest",
            "status": "401",
        }
        assert _get(server, f"/repos/{REPO}", token="right-token").status_code == 200
        with pytest.raises(github.BadCredentialsException):
            _client(server, token="wrong-token").get_repo(REPO)
        dump = repr(vars(server)) + repr(server.requests)
        assert "right-token" not in dump and "wrong-token" not in dump


def test_bearer_header_counts_as_authenticated(github_server, ds):
    r = requests.get(
        f"{github_server.url}/user", headers={"Authorization": "Bearer abc"}, timeout=5
    )
    assert r.status_code == 200 and github_server.requests[-1].authenticated


# -- renamed repos ---------------------------------------------------------------


def test_renamed_repo_answers_301_and_clients_follow(github_server, ds):
    n = ds.add_issue(REPO, "still here")
    ds.rename_repo(REPO, "acme/gadgets")
    moved = _get(github_server, f"/repos/{REPO}/issues/{n}", allow_redirects=False)
    assert moved.status_code == 301
    assert moved.json()["message"] == "Moved Permanently"
    assert moved.headers["Location"] == moved.json()["url"]
    followed = _get(github_server, f"/repos/{REPO}/issues/{n}")
    assert followed.status_code == 200 and followed.json()["title"] == "still here"
    assert _client(github_server).get_repo(REPO).full_name == "acme/gadgets"


# -- faults ----------------------------------------------------------------------


def test_status_fault_then_recovery(github_server, ds):
    github_server.inject(r"/issues$", "status", code=502)
    failed = _get(github_server, f"/repos/{REPO}/issues")
    assert failed.status_code == 502 and failed.json()["message"] == "Bad Gateway"
    assert _get(github_server, f"/repos/{REPO}/issues").status_code == 200
    assert github_server.count(r"/issues$", status=502) == 1
    assert github_server.requests[0].fault == "status"


def test_status_fault_reaches_pygithub_as_exception(github_server, ds):
    github_server.inject(r"^/repos/acme/widgets$", "status", code=503, times=None)
    with pytest.raises(github.GithubException) as info:
        _client(github_server).get_repo(REPO)
    assert info.value.status == 503
    github_server.clear_faults()
    assert _client(github_server).get_repo(REPO).name == "widgets"


def test_drop_closes_the_connection_mid_body(github_server, ds):
    _add_many(ds, 20)
    github_server.inject(r"/issues$", "drop", fraction=0.3)
    with pytest.raises(requests.exceptions.RequestException):
        _get(github_server, f"/repos/{REPO}/issues").json()
    assert github_server.requests[-1].fault == "drop"
    assert len(_get(github_server, f"/repos/{REPO}/issues").json()) == 20


def test_slow_fault_delays_the_answer(github_server, ds):
    github_server.inject(r"^/repos/", "slow", delay=0.6)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(f"{github_server.url}/repos/{REPO}", timeout=0.2)
    github_server.inject(r"^/repos/", "slow", delay=0.3)
    start = time.monotonic()
    assert _get(github_server, f"/repos/{REPO}").status_code == 200
    assert time.monotonic() - start >= 0.3


def test_malformed_and_unexpected_bodies(github_server, ds):
    github_server.inject(r"/issues$", "malformed")
    bad = _get(github_server, f"/repos/{REPO}/issues")
    assert bad.status_code == 200
    with pytest.raises(ValueError):
        json.loads(bad.text)
    github_server.inject(r"/issues$", "unexpected")
    odd = _get(github_server, f"/repos/{REPO}/issues")
    assert odd.status_code == 200 and isinstance(odd.json(), dict)
    github_server.inject(r"/labels$", "unexpected", body=[1, 2])
    assert _get(github_server, f"/repos/{REPO}/labels").json() == [1, 2]


def test_injected_primary_and_secondary_rate_limits(github_server, ds):
    github_server.inject(r"^/repos/", "rate_limit_primary")
    with pytest.raises(github.RateLimitExceededException):
        _client(github_server).get_repo(REPO)
    github_server.inject(r"^/repos/", "rate_limit_secondary", retry_after=7, code=429)
    second = _get(github_server, f"/repos/{REPO}")
    assert second.status_code == 429 and second.headers["Retry-After"] == "7"
    assert second.json()["message"].startswith("You have exceeded a secondary rate limit")
    github_server.inject(r"^/repos/", "rate_limit_secondary")
    with pytest.raises(github.RateLimitExceededException):
        _client(github_server).get_repo(REPO)
    assert _get(github_server, f"/repos/{REPO}").status_code == 200


def test_unknown_fault_kind_is_rejected(github_server):
    with pytest.raises(ValueError, match="unknown fault kind"):
        github_server.inject(".*", "explode")


# -- dataset ---------------------------------------------------------------------


def test_dataset_rejects_nonsense():
    ds = Dataset()
    with pytest.raises(DatasetError):
        ds.add_issue("no/repo", "x")
    ds.add_repo(REPO)
    with pytest.raises(DatasetError):
        ds.add_issue(REPO, "x", state="merged")
    with pytest.raises(DatasetError):
        ds.add_issue(REPO, "x", created_at="yesterday")
    n = ds.add_issue(REPO, "x")
    with pytest.raises(DatasetError):
        ds.add_issue(REPO, "dup", number=n)
    with pytest.raises(DatasetError):
        ds.update_issue(REPO, n, colour="red")
    with pytest.raises(DatasetError):
        ds.add_issue(REPO, "x", colour="red")


def test_update_issue_closes_and_bumps_updated_at(github_server, ds):
    n = ds.add_issue(REPO, "x", updated_at="2024-01-01T00:00:00Z")
    ds.update_issue(REPO, n, state="closed", state_reason="completed")
    got = _get(github_server, f"/repos/{REPO}/issues/{n}").json()
    assert got["state"] == "closed" and got["state_reason"] == "completed"
    assert got["updated_at"] > "2024-01-01T00:00:00Z" and got["closed_at"] == got["updated_at"]


def test_load_rest_payloads_round_trips_served_bodies(github_server, ds):
    issue = ds.add_issue(
        REPO,
        "Bug",
        body="b",
        labels=["bug"],
        assignees=["hal"],
        reactions=2,
        created_at="2024-01-01T00:00:00Z",
        state="closed",
        closed_at="2024-01-06T00:00:00Z",
    )
    ds.add_comment(REPO, issue, "ivy", "me too", "2024-01-02T00:00:00Z")
    pull = ds.add_pull(
        REPO,
        "Fix",
        user="ivy",
        merged=True,
        merged_at="2024-01-04T00:00:00Z",
        references=[issue],
        created_at="2024-01-03T00:00:00Z",
        files=[{"filename": "a.py"}],
    )
    served = {
        "labels": _get(github_server, f"/repos/{REPO}/labels").json(),
        "issues": _get(github_server, f"/repos/{REPO}/issues", params={"state": "all"}).json(),
        "pulls": _get(github_server, f"/repos/{REPO}/pulls", params={"state": "all"}).json(),
        "comments": _get(github_server, f"/repos/{REPO}/issues/{issue}/comments").json(),
        "files": {pull: _get(github_server, f"/repos/{REPO}/pulls/{pull}/files").json()},
        # Whole timeline: derived events (commented, closed) must not be doubled on load.
        "timeline": {issue: _get(github_server, f"/repos/{REPO}/issues/{issue}/timeline").json()},
    }
    copy = Dataset()
    assert sorted(copy.load_rest_payloads(REPO, served)) == [issue, pull]
    copy.repos[REPO]["fields"] = dict(ds.repos[REPO]["fields"])
    with GitHubServer(copy) as other:
        for path in (
            f"/repos/{REPO}/issues?state=all",
            f"/repos/{REPO}/issues/{issue}/timeline",
            f"/repos/{REPO}/pulls/{pull}",
            f"/repos/{REPO}/labels",
        ):
            mine = _get(github_server, path).text.replace(github_server.url, "BASE")
            theirs = _get(other, path).text.replace(other.url, "BASE")
            assert json.loads(theirs) == json.loads(mine), path


def test_request_log_records_queries_and_counts(github_server, ds):
    _get(github_server, f"/repos/{REPO}/issues", params={"state": "closed"})
    _get(github_server, "/nowhere")
    assert github_server.requests[0].query == {"state": "closed"}
    assert github_server.count(status=404) == 1 and github_server.count(r"^/repos/") == 1
    github_server.reset_log()
    assert github_server.count() == 0


def test_concurrent_clients_are_counted_exactly(github_server, ds):
    _add_many(ds, 40)

    def worker(_: int) -> list[int]:
        with requests.Session() as session:
            session.headers["Authorization"] = "token t"
            return [
                session.get(
                    f"{github_server.url}/repos/{REPO}/issues", params={"per_page": 100}, timeout=10
                ).status_code
                for _ in range(25)
            ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [s for batch in pool.map(worker, range(8)) for s in batch]
    assert statuses == [200] * 200
    assert github_server.count(status=200) == 200
    final = _get(github_server, "/rate_limit").json()["resources"]["core"]
    assert (final["remaining"], final["used"]) == (4800, 200)
