"""GitHub REST GET routes over a Dataset: routing, filters, sorting and Link pagination.
HTTP plumbing (ETag, rate limits, faults) lives in server.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from . import git_objects
from . import objects as obj
from .dataset import Dataset, DatasetError, iso
from .search import search_issues

DOCS = "https://docs.github.com/rest"


@dataclass
class ApiResponse:
    """A JSON answer before HTTP concerns: status, body, extra headers, rate-limit resource."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    resource: str = "core"


@dataclass
class ApiRequest:
    """What a route needs from the HTTP request."""

    path: str
    query: dict[str, str]
    base_url: str
    authenticated: bool


def not_found() -> ApiResponse:
    """GitHub's 404 body."""
    return ApiResponse(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})


def validation_failed(resource: str, field_name: str) -> ApiResponse:
    """GitHub's 422 body for an invalid query parameter."""
    return ApiResponse(
        422,
        {
            "message": "Validation Failed",
            "errors": [{"resource": resource, "field": field_name, "code": "invalid"}],
            "documentation_url": DOCS,
            "status": "422",
        },
    )


def handle(ds: Dataset, req: ApiRequest) -> ApiResponse:
    """Answer one GET request from the dataset."""
    path = req.path.rstrip("/") or "/"
    with ds.lock:
        moved = _follow_repository_id(ds, path)
        if moved is not None:
            path = moved
        for pattern, route in _ROUTES:
            match = pattern.fullmatch(path)
            if match:
                groups = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                repo = groups.pop("repo", None)
                if repo is not None and repo not in ds.repos:
                    return _moved_or_missing(ds, repo, req)
                try:
                    return (
                        route(ds, req, repo, **groups)
                        if repo is not None
                        else route(ds, req, **groups)
                    )
                except DatasetError:
                    return not_found()
        return not_found()


# -- routes -------------------------------------------------------------------


def _repo(ds: Dataset, req: ApiRequest, repo: str) -> ApiResponse:
    record = ds.repo(repo)
    fields = dict(record["fields"])
    fields.setdefault("id", record["id"])
    open_count = sum(1 for r in record["issues"].values() if r["state"] == "open")
    fields.setdefault("open_issues_count", open_count)
    fields.setdefault("open_issues", open_count)
    return ApiResponse(200, obj.repo_object(repo, fields, _urls(req)))


def _labels(ds: Dataset, req: ApiRequest, repo: str) -> ApiResponse:
    labels = [obj.label_object(repo, lab, _urls(req)) for lab in ds.repo(repo)["labels"].values()]
    return paginate(req, labels)


def _label(ds: Dataset, req: ApiRequest, repo: str, name: str) -> ApiResponse:
    label = ds.repo(repo)["labels"].get(name)
    return ApiResponse(200, obj.label_object(repo, label, _urls(req))) if label else not_found()


def _issues(ds: Dataset, req: ApiRequest, repo: str) -> ApiResponse:
    q = req.query
    state = q.get("state", "open")
    sort = q.get("sort", "created")
    direction = q.get("direction", "desc")
    if state not in ("open", "closed", "all"):
        return validation_failed("Issue", "state")
    if sort not in ("created", "updated", "comments"):
        return validation_failed("Issue", "sort")
    if direction not in ("asc", "desc"):
        return validation_failed("Issue", "direction")
    since = None
    if q.get("since"):
        try:
            since = iso(q["since"])
        except DatasetError:
            return validation_failed("Issue", "since")
    wanted = [name.strip() for name in q.get("labels", "").split(",") if name.strip()]
    recs = [
        r
        for r in ds.repo(repo)["issues"].values()
        if (state == "all" or r["state"] == state)
        and (since is None or r["updated_at"] >= since)
        and all(name in r["labels"] for name in wanted)
        and _matches_person(q.get("creator"), [r["user"]])
        and _matches_person(q.get("assignee"), r["assignees"])
    ]
    recs = sort_records(recs, sort, direction)
    urls = _urls(req)
    return paginate(req, recs, lambda r: obj.issue_object(repo, _view(ds, repo, r), urls))


def _issue(ds: Dataset, req: ApiRequest, repo: str, number: str) -> ApiResponse:
    rec = ds.issue(repo, int(number))
    return ApiResponse(200, obj.issue_object(repo, _view(ds, repo, rec), _urls(req)))


def _comments(ds: Dataset, req: ApiRequest, repo: str, number: str) -> ApiResponse:
    rec = ds.issue(repo, int(number))
    since = iso(req.query["since"]) if req.query.get("since") else ""
    items = [
        obj.comment_object(repo, rec["number"], c, _urls(req))
        for c in rec["comments"]
        if c["created_at"] >= since
    ]
    return paginate(req, items)


def _timeline(ds: Dataset, req: ApiRequest, repo: str, number: str) -> ApiResponse:
    rec = ds.issue(repo, int(number))
    urls = _urls(req)
    events: list[tuple[str, dict[str, Any]]] = []
    for com in rec["comments"]:
        item = obj.commented_event(obj.comment_object(repo, rec["number"], com, urls))
        events.append((com["created_at"], item))
    for ev in rec["events"]:
        if ev["event"] == "raw":
            events.append((ev["created_at"], ev["raw"]))
            continue
        source = ds.issue(ev["source_repo"], ev["source_number"])
        issue = obj.issue_object(ev["source_repo"], _view(ds, ev["source_repo"], source), urls)
        issue["repository"] = obj.simple_repo_object(
            ev["source_repo"], _repo_fields(ds, ev["source_repo"]), urls
        )
        events.append((ev["created_at"], obj.cross_referenced_event(issue, urls, ev["created_at"])))
    if rec["state"] == "closed" and rec["closed_at"]:
        actor = rec.get("closed_by") or rec["user"]
        closed = obj.event_object(
            repo, "closed", actor, rec["closed_at"], urls, state_reason=rec["state_reason"]
        )
        events.append((rec["closed_at"], closed))
    events.sort(key=lambda pair: pair[0])
    return paginate(req, [item for _, item in events])


def _pulls(ds: Dataset, req: ApiRequest, repo: str) -> ApiResponse:
    q = req.query
    state = q.get("state", "open")
    sort = q.get("sort", "created")
    direction = q.get("direction", "desc")
    if state not in ("open", "closed", "all"):
        return validation_failed("PullRequest", "state")
    if sort not in ("created", "updated", "popularity", "long-running"):
        return validation_failed("PullRequest", "sort")
    recs = [
        r
        for r in ds.repo(repo)["issues"].values()
        if r["pull"] and (state == "all" or r["state"] == state)
    ]
    recs = sort_records(recs, "updated" if sort == "updated" else "created", direction)
    fields, urls = _repo_fields(ds, repo), _urls(req)
    return paginate(
        req, recs, lambda r: obj.pull_object(repo, _view(ds, repo, r), fields, urls, full=False)
    )


def _pull(ds: Dataset, req: ApiRequest, repo: str, number: str) -> ApiResponse:
    rec = ds.issue(repo, int(number))
    if not rec["pull"]:
        return not_found()
    return ApiResponse(
        200,
        obj.pull_object(repo, _view(ds, repo, rec), _repo_fields(ds, repo), _urls(req), full=True),
    )


def _pull_files(ds: Dataset, req: ApiRequest, repo: str, number: str) -> ApiResponse:
    rec = ds.issue(repo, int(number))
    if not rec["pull"]:
        return not_found()
    return paginate(
        req, [obj.file_object(repo, rec["number"], f, _urls(req)) for f in rec["files"]]
    )


def _commits(ds: Dataset, req: ApiRequest, repo: str) -> ApiResponse:
    query = dict(req.query)
    for key in ("since", "until"):
        if query.get(key):
            try:
                query[key] = iso(query[key])
            except DatasetError:
                return validation_failed("Commit", key)
    commits = [c for c in ds.repo(repo)["commits"] if git_objects.commit_matches(c, query)]
    commits.sort(key=lambda c: c["date"], reverse=True)
    urls = _urls(req)
    return paginate(req, commits, lambda c: git_objects.commit_object(repo, c, urls))


def _contents(ds: Dataset, req: ApiRequest, repo: str, path: str = "") -> ApiResponse:
    found = git_objects.content_object(repo, path, ds.repo(repo)["files"], _urls(req))
    return not_found() if found is None else ApiResponse(200, found)


def _search(ds: Dataset, req: ApiRequest) -> ApiResponse:
    query = req.query.get("q", "")
    if not query.strip():
        return validation_failed("Search", "q")
    hits = search_issues(ds, query, req.query.get("sort"), req.query.get("order", "desc"))
    urls = _urls(req)

    def render(hit: tuple[str, dict[str, Any], float]) -> dict[str, Any]:
        repo, rec, score = hit
        item = obj.issue_object(repo, _view(ds, repo, rec), urls)
        item["score"] = score
        # The search item schema has no closed_by and a non-null body.
        item.pop("closed_by", None)
        item["body"] = item["body"] or ""
        return item

    # GitHub serves at most the first 1000 results of a search.
    page = paginate(req, hits[:1000], render)
    page.body = {
        "total_count": len(hits),
        "incomplete_results": False,
        "search_type": "lexical",
        "items": page.body,
    }
    page.resource = "search"
    return page


def _user(ds: Dataset, req: ApiRequest) -> ApiResponse:
    if not req.authenticated:
        return ApiResponse(
            401,
            {
                "message": "Requires authentication",
                "documentation_url": f"{DOCS}/users/users#get-the-authenticated-user",
                "status": "401",
            },
        )
    login = ds.authenticated_user
    return ApiResponse(200, obj.private_user_object(login, _urls(req), ds.users.get(login, {})))


def _users(ds: Dataset, req: ApiRequest, login: str) -> ApiResponse:
    if login not in ds.known_logins():
        return not_found()
    return ApiResponse(200, obj.public_user_object(login, _urls(req), ds.users.get(login, {})))


_ROUTE_TABLE: list[tuple[str, Callable[..., ApiResponse]]] = [
    (r"/repos/(?P<repo>[^/]+/[^/]+)", _repo),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/labels", _labels),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/labels/(?P<name>[^/]+)", _label),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/issues", _issues),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)", _issue),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/comments", _comments),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<number>\d+)/timeline", _timeline),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/pulls", _pulls),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)", _pull),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<number>\d+)/files", _pull_files),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/commits", _commits),
    (r"/repos/(?P<repo>[^/]+/[^/]+)/contents(?:/(?P<path>.*))?", _contents),
    (r"/search/issues", _search),
    (r"/user", _user),
    (r"/users/(?P<login>[^/]+)", _users),
]
_ROUTES = [(re.compile(pattern), route) for pattern, route in _ROUTE_TABLE]


# -- helpers ------------------------------------------------------------------


def paginate(
    req: ApiRequest, items: list[Any], render: Callable[[Any], Any] | None = None
) -> ApiResponse:
    """Slice `items` by page/per_page (max 100, default 30) and add GitHub's Link header;
    `render` turns only the page's items into REST objects (big lists stay cheap)."""
    try:
        per_page = min(max(int(req.query.get("per_page", 30)), 1), 100)
        page = max(int(req.query.get("page", 1)), 1)
    except ValueError:
        per_page, page = 30, 1
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    if render is not None:
        chunk = [render(item) for item in chunk]
    links = []
    if page < last:
        links += [("next", page + 1), ("last", last)]
    if page > 1:
        links += [("first", 1), ("prev", min(page - 1, last))]
    headers = {}
    if links:
        headers["Link"] = ", ".join(f'<{_page_url(req, n)}>; rel="{rel}"' for rel, n in links)
    return ApiResponse(200, chunk, headers)


def sort_records(recs: list[dict[str, Any]], sort: str, direction: str) -> list[dict[str, Any]]:
    """Order issue records like GitHub: by created/updated/comments, ties by number."""
    keys: dict[str, Callable[[dict[str, Any]], Any]] = {
        "created": lambda r: (r["created_at"], r["number"]),
        "updated": lambda r: (r["updated_at"], r["number"]),
        "comments": lambda r: (len(r["comments"]), r["number"]),
        "reactions": lambda r: (r["reactions"], r["number"]),
    }
    return sorted(recs, key=keys.get(sort, keys["created"]), reverse=direction != "asc")


def _page_url(req: ApiRequest, page: int) -> str:
    query = dict(req.query)
    query["page"] = str(page)
    return f"{req.base_url}{req.path}?{urlencode(query)}"


def _urls(req: ApiRequest) -> obj.Urls:
    return obj.Urls(api=req.base_url)


def _view(ds: Dataset, repo: str, rec: dict[str, Any]) -> dict[str, Any]:
    """The record with label names resolved to label definitions."""
    labels = ds.repo(repo)["labels"]
    return {**rec, "labels": [labels[name] for name in rec["labels"]]}


def _repo_fields(ds: Dataset, repo: str) -> dict[str, Any]:
    record = ds.repo(repo)
    return {"id": record["id"], **record["fields"]}


def _matches_person(wanted: str | None, logins: list[str]) -> bool:
    if wanted is None or wanted == "":
        return True
    if wanted == "none":
        return not logins
    if wanted == "*":
        return bool(logins)
    return wanted in logins


def _follow_repository_id(ds: Dataset, path: str) -> str | None:
    """`/repositories/{id}/...` (where GitHub's 301s point) -> `/repos/{owner}/{name}/...`."""
    match = re.fullmatch(r"/repositories/(\d+)(/.*)?", path)
    if not match:
        return None
    for name, record in ds.repos.items():
        if str(record["id"]) == match.group(1):
            return f"/repos/{name}{match.group(2) or ''}"
    return "/repositories/missing"


def _moved_or_missing(ds: Dataset, repo: str, req: ApiRequest) -> ApiResponse:
    target = ds.redirects.get(repo)
    if target is None or target not in ds.repos:
        return not_found()
    rest = req.path.rstrip("/")[len(f"/repos/{repo}") :]
    location = f"{req.base_url}/repositories/{ds.repos[target]['id']}{rest}"
    if req.query:
        location += "?" + urlencode(req.query)
    body = {
        "message": "Moved Permanently",
        "url": location,
        "documentation_url": f"{DOCS}/guides/best-practices-for-using-the-rest-api#follow-redirects",
    }
    return ApiResponse(301, body, {"Location": location})
