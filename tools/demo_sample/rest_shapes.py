"""Build JSON objects exactly as GitHub's REST API writes them (users, repositories, labels,
issues, comments, timeline events, pull requests, pull request files).

Identifiers are derived from names with CRC32 so the same sample always gives the same
ids. Field sets follow the schemas in GitHub's OpenAPI description (see
/work/shared/github-api/), so a client that parses real responses parses these.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any
from urllib.parse import quote

API = "https://api.github.com"
WEB = "https://github.com"

Json = dict[str, Any]


def stable_id(kind: str, name: str, base: int = 1_000_000) -> int:
    """A deterministic positive id for an object of `kind` called `name`."""
    return base + zlib.crc32(f"{kind}:{name}".encode()) % 900_000_000


def node_id(prefix: str, number: int) -> str:
    """A GraphQL-style node id like GitHub's ("I_kwDO..." for issues)."""
    return prefix + base64.b64encode(number.to_bytes(8, "big")).decode().rstrip("=")


def user(login: str, *, organization: bool = False) -> Json:
    """A `simple-user` object."""
    uid = stable_id("user", login)
    base = f"{API}/users/{login}"
    return {
        "login": login,
        "id": uid,
        "node_id": node_id("O_kgDO" if organization else "U_kgDO", uid),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": base,
        "html_url": f"{WEB}/{login}",
        "followers_url": f"{base}/followers",
        "following_url": f"{base}/following{{/other_user}}",
        "gists_url": f"{base}/gists{{/gist_id}}",
        "starred_url": f"{base}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{base}/subscriptions",
        "organizations_url": f"{base}/orgs",
        "repos_url": f"{base}/repos",
        "events_url": f"{base}/events{{/privacy}}",
        "received_events_url": f"{base}/received_events",
        "type": "Organization" if organization else "User",
        "user_view_type": "public",
        "site_admin": False,
    }


def public_user(login: str, *, name: str, created_at: str, updated_at: str) -> Json:
    """A `public-user` object, as `GET /user` returns it for a token without private scopes."""
    out = user(login)
    out.update(
        {
            "name": name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 3,
            "public_gists": 0,
            "followers": 1,
            "following": 4,
            "created_at": created_at,
            "updated_at": updated_at,
        }
    )
    return out


def repository(
    full_name: str,
    *,
    full: bool = False,
    fork: bool = False,
    organization: bool = False,
    **fields: Any,
) -> Json:
    """A `repository` object, or a `full-repository` one (GET /repos/{owner}/{repo}).

    `fields` override the defaults (counts, dates, description, license, ...)."""
    owner, name = full_name.split("/")
    rid = stable_id("repo", full_name)
    api = f"{API}/repos/{full_name}"
    out: Json = {
        "id": rid,
        "node_id": node_id("R_kgDO", rid),
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": user(owner, organization=organization),
        "html_url": f"{WEB}/{full_name}",
        "description": fields.pop("description", None),
        "fork": fork,
        "url": api,
    }
    for key, suffix in _REPO_URLS:
        out[key] = api + suffix
    out.update(
        {
            "git_url": f"git://github.com/{full_name}.git",
            "ssh_url": f"git@github.com:{full_name}.git",
            "clone_url": f"{WEB}/{full_name}.git",
            "svn_url": f"{WEB}/{full_name}",
            "mirror_url": None,
            "homepage": None,
            "language": "Python",
            "forks_count": 0,
            "forks": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "size": 0,
            "default_branch": "main",
            "open_issues_count": 0,
            "open_issues": 0,
            "is_template": False,
            "topics": [],
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "visibility": "public",
            "license": None,
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "pushed_at": "2025-01-01T00:00:00Z",
            "created_at": "2025-01-01T00:00:00Z",
            "updated_at": "2025-01-01T00:00:00Z",
        }
    )
    out.update(fields)
    if full:
        out.pop("has_downloads")
        out.setdefault("network_count", out["forks_count"])
        out.setdefault("subscribers_count", out["watchers_count"])
    return out


def label(repo: str, name: str, color: str, description: str | None, *, default: bool) -> Json:
    """A `label` object."""
    lid = stable_id("label", f"{repo}:{name}")
    return {
        "id": lid,
        "node_id": node_id("LA_kwDO", lid),
        "url": f"{API}/repos/{repo}/labels/{_quote(name)}",
        "name": name,
        "color": color,
        "default": default,
        "description": description,
    }


def reactions(url: str, plus_one: int) -> Json:
    """A `reaction-rollup` with `plus_one` thumbs-up reactions."""
    counts = {
        "+1": plus_one,
        "-1": 0,
        "laugh": 0,
        "confused": 0,
        "heart": 0,
        "hooray": 0,
        "eyes": 0,
        "rocket": 0,
    }
    return {"url": f"{url}/reactions", "total_count": plus_one, **counts}


def issue(repo: str, number: int, **f: Any) -> Json:
    """An `issue` object; pass `pull_merged_at=...` (or None) to make it a pull request."""
    api = f"{API}/repos/{repo}/issues/{number}"
    iid = stable_id("issue", f"{repo}#{number}", base=2_000_000_000)
    is_pull = "pull_merged_at" in f
    html = f"{WEB}/{repo}/{'pull' if is_pull else 'issues'}/{number}"
    assignees = [user(login) for login in f["assignees"]]
    out: Json = {
        "url": api,
        "repository_url": f"{API}/repos/{repo}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": html,
        "id": iid,
        "node_id": node_id("PR_kwDO" if is_pull else "I_kwDO", iid),
        "number": number,
        "title": f["title"],
        "user": user(f["user"]),
        "labels": f["labels"],
        "state": f["state"],
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": f["comments"],
        "created_at": f["created_at"],
        "updated_at": f["updated_at"],
        "closed_at": f["closed_at"],
        "author_association": f["author_association"],
        "active_lock_reason": None,
        "body": f["body"],
        "closed_by": user(f["closed_by"]) if f.get("closed_by") else None,
        "reactions": reactions(api, f["reactions"]),
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": f["state_reason"],
    }
    if is_pull:
        pulls = f"{API}/repos/{repo}/pulls/{number}"
        out["draft"] = False
        out["pull_request"] = {
            "url": pulls,
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": f["pull_merged_at"],
        }
    return out


def comment(
    repo: str, number: int, comment_id: int, login: str, body: str, at: str, association: str
) -> Json:
    """An `issue-comment` object."""
    return {
        "id": comment_id,
        "node_id": node_id("IC_kwDO", comment_id),
        "url": f"{API}/repos/{repo}/issues/comments/{comment_id}",
        "html_url": f"{WEB}/{repo}/issues/{number}#issuecomment-{comment_id}",
        "body": body,
        "user": user(login),
        "created_at": at,
        "updated_at": at,
        "issue_url": f"{API}/repos/{repo}/issues/{number}",
        "author_association": association,
        "performed_via_github_app": None,
        "reactions": reactions(f"{API}/repos/{repo}/issues/comments/{comment_id}", 0),
    }


def event(repo: str, kind: str, actor: str, at: str, **extra: Any) -> Json:
    """A timeline event with an id (labeled, assigned, closed, reopened, ...)."""
    eid = stable_id("event", f"{repo}:{kind}:{actor}:{at}:{sorted(extra.items())}", base=10**9)
    out: Json = {
        "id": eid,
        "node_id": node_id("LE_lADO" if kind == "labeled" else "E_lADO", eid),
        "url": f"{API}/repos/{repo}/issues/events/{eid}",
        "actor": user(actor),
        "event": kind,
        "commit_id": None,
        "commit_url": None,
        "created_at": at,
        "performed_via_github_app": None,
    }
    out.update(extra)
    return out


def commented_event(comment_json: Json) -> Json:
    """A comment as it appears in the timeline (`event: commented`)."""
    return {"event": "commented", "actor": comment_json["user"], **comment_json}


def cross_referenced(source_issue: Json, actor: str, at: str) -> Json:
    """A `cross-referenced` event: `source_issue` (a PR as an issue) mentions this issue."""
    return {
        "event": "cross-referenced",
        "actor": user(actor),
        "created_at": at,
        "updated_at": at,
        "source": {"type": "issue", "issue": source_issue},
    }


def pull(
    repo: str,
    number: int,
    issue_json: Json,
    *,
    head_repo: Json,
    base_repo: Json,
    branch: str,
    head_sha: str,
    base_sha: str,
    merged_by: str | None,
    stats: tuple[int, int, int],
    commits: int,
) -> Json:
    """A `pull-request` object (GET /repos/{owner}/{repo}/pulls/{number})."""
    api = f"{API}/repos/{repo}/pulls/{number}"
    merged_at = issue_json["pull_request"]["merged_at"]
    head_owner = head_repo["owner"]["login"]
    links = {
        "self": api,
        "html": issue_json["html_url"],
        "issue": issue_json["url"],
        "comments": issue_json["comments_url"],
        "review_comments": f"{api}/comments",
        "review_comment": f"{API}/repos/{repo}/pulls/comments{{/number}}",
        "commits": f"{api}/commits",
        "statuses": f"{API}/repos/{repo}/statuses/{head_sha}",
    }
    additions, deletions, changed = stats
    return {
        "url": api,
        "id": stable_id("pull", f"{repo}#{number}", base=3_000_000_000),
        "node_id": issue_json["node_id"],
        "html_url": issue_json["html_url"],
        "diff_url": issue_json["pull_request"]["diff_url"],
        "patch_url": issue_json["pull_request"]["patch_url"],
        "issue_url": issue_json["url"],
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{API}/repos/{repo}/pulls/comments{{/number}}",
        "comments_url": issue_json["comments_url"],
        "statuses_url": f"{API}/repos/{repo}/statuses/{head_sha}",
        "number": number,
        "state": issue_json["state"],
        "locked": False,
        "title": issue_json["title"],
        "user": issue_json["user"],
        "body": issue_json["body"],
        "labels": issue_json["labels"],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": issue_json["created_at"],
        "updated_at": issue_json["updated_at"],
        "closed_at": issue_json["closed_at"],
        "merged_at": merged_at,
        "merge_commit_sha": head_sha if merged_at else None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {
            "label": f"{head_owner}:{branch}",
            "ref": branch,
            "sha": head_sha,
            "user": head_repo["owner"],
            "repo": head_repo,
        },
        "base": {
            "label": f"{base_repo['owner']['login']}:main",
            "ref": "main",
            "sha": base_sha,
            "user": base_repo["owner"],
            "repo": base_repo,
        },
        "_links": {key: {"href": href} for key, href in links.items()},
        "author_association": issue_json["author_association"],
        "auto_merge": None,
        "draft": False,
        "merged": merged_at is not None,
        "mergeable": None if issue_json["state"] == "closed" else True,
        "rebaseable": None if issue_json["state"] == "closed" else True,
        "mergeable_state": "unknown" if issue_json["state"] == "closed" else "clean",
        "merged_by": user(merged_by) if merged_by else None,
        "comments": issue_json["comments"],
        "review_comments": 0,
        "maintainer_can_modify": head_repo["full_name"] != repo,
        "commits": commits,
        "additions": additions,
        "deletions": deletions,
        "changed_files": changed,
    }


def diff_entry(
    repo: str, head_sha: str, path: str, status: str, additions: int, deletions: int
) -> Json:
    """A `diff-entry` object of GET /repos/{owner}/{repo}/pulls/{number}/files."""
    blob = fake_sha(f"blob:{head_sha}:{path}")
    quoted = _quote(path, safe="/")
    return {
        "sha": blob,
        "filename": path,
        "status": status,
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
        "blob_url": f"{WEB}/{repo}/blob/{head_sha}/{quoted}",
        "raw_url": f"{WEB}/{repo}/raw/{head_sha}/{quoted}",
        "contents_url": f"{API}/repos/{repo}/contents/{quoted}?ref={head_sha}",
    }


def fake_sha(text: str) -> str:
    """A 40-hex-digit id standing in for a commit GitHub would name (head of a PR branch)."""
    return "".join(f"{zlib.crc32(f'{i}:{text}'.encode()):08x}" for i in range(5))


def _quote(text: str, safe: str = "") -> str:
    return quote(text, safe=safe)


_REPO_URLS = (
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
)
