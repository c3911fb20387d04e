"""Builders of full GitHub REST objects (users, labels, repos, issues, pulls, comments, files,
timeline events) from plain records, so every body validates against GitHub's published
schemas. The one builder of them: the loopback server renders its dataset with it, and
tools/make_demo_data.py writes the demo sample's shipped JSON with it."""

from __future__ import annotations

import base64
import functools
import hashlib
from dataclasses import dataclass
from typing import Any

HTML_BASE = "https://github.com"
EPOCH = "2020-01-01T00:00:00Z"


@dataclass(frozen=True)
class Urls:
    """Where generated objects point: `api` is the server's own base (so clients follow
    `url` fields back to it), `html` the web base used for html_url."""

    api: str
    html: str = HTML_BASE


@functools.lru_cache(maxsize=65536)
def stable_id(*parts: object) -> int:
    """A positive int64 id that depends only on `parts` (same dataset -> same ids)."""
    digest = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:6], "big") or 1


def node_id(prefix: str, ident: int) -> str:
    """A GraphQL-looking node id such as `I_kwDO...`."""
    return prefix + "_" + base64.b64encode(str(ident).encode()).decode().rstrip("=")


def user_object(login: str, urls: Urls, *, organization: bool = False) -> dict[str, Any]:
    """GitHub's simple-user object for `login` (bots end with `[bot]`; an organization as
    the owner of a repository)."""
    uid = stable_id("user", login)
    api = f"{urls.api}/users/{login}"
    return {
        "login": login,
        "id": uid,
        "node_id": node_id("U", uid),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.html}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Organization" if organization else "Bot" if login.endswith("[bot]") else "User",
        "user_view_type": "public",
        "site_admin": False,
    }


def public_user_object(login: str, urls: Urls, profile: dict[str, Any]) -> dict[str, Any]:
    """GitHub's public-user object (`/users/{login}`); `profile` overrides name, bio, etc."""
    obj = user_object(login, urls)
    obj.update(
        {
            "name": None,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": EPOCH,
            "updated_at": EPOCH,
        }
    )
    obj.update({k: v for k, v in profile.items() if k in obj})
    return obj


def private_user_object(login: str, urls: Urls, profile: dict[str, Any]) -> dict[str, Any]:
    """GitHub's private-user object (`/user` with a token)."""
    obj = public_user_object(login, urls, profile)
    obj.update(
        {
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
        }
    )
    return obj


def label_object(repo: str, label: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's label object; `label` holds name, color, description."""
    lid = stable_id("label", repo, label["name"])
    return {
        "id": lid,
        "node_id": node_id("LA", lid),
        "url": f"{urls.api}/repos/{repo}/labels/{_quote(label['name'])}",
        "name": label["name"],
        "color": label["color"],
        "default": bool(label.get("default", False)),
        "description": label.get("description") or "",
    }


def repo_object(full_name: str, fields: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's full-repository object; `fields` overrides any top-level key, and
    `owner_type: "Organization"` among them makes the owner an organization."""
    fields = dict(fields)
    organization = fields.pop("owner_type", "User") == "Organization"
    owner, name = full_name.split("/", 1)
    rid = fields.get("id") or stable_id("repo", full_name)
    api = f"{urls.api}/repos/{full_name}"
    obj: dict[str, Any] = {
        "id": rid,
        "node_id": node_id("R", rid),
        "name": name,
        "full_name": full_name,
        "owner": user_object(owner, urls, organization=organization),
        "private": False,
        "html_url": f"{urls.html}/{full_name}",
        "description": None,
        "fork": False,
        "url": api,
        "homepage": None,
        "language": "Python",
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "size": 0,
        "default_branch": "main",
        "open_issues_count": 0,
        "is_template": False,
        "topics": [],
        "has_issues": True,
        "has_projects": True,
        "has_wiki": True,
        "has_pages": False,
        "has_downloads": True,
        "has_discussions": False,
        "archived": False,
        "disabled": False,
        "visibility": "public",
        "pushed_at": EPOCH,
        "created_at": EPOCH,
        "updated_at": EPOCH,
        "license": None,
        "forks": 0,
        "open_issues": 0,
        "watchers": 0,
        "network_count": 0,
        "subscribers_count": 0,
        "mirror_url": None,
        "git_url": f"git://github.com/{full_name}.git",
        "ssh_url": f"git@github.com:{full_name}.git",
        "clone_url": f"{urls.html}/{full_name}.git",
        "svn_url": f"{urls.html}/{full_name}",
    }
    for key, suffix in _REPO_URL_SUFFIXES.items():
        obj[key] = api + suffix
    obj.update(fields)
    return obj


def simple_repo_object(full_name: str, fields: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's `repository` object (as embedded in pulls): the full one minus a few keys."""
    obj = repo_object(full_name, fields, urls)
    for key in ("network_count", "subscribers_count", "organization", "parent", "source"):
        obj.pop(key, None)
    return obj


def issue_object(repo: str, rec: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's issue object from an issue record (see Dataset.add_issue for its keys)."""
    number = rec["number"]
    api = f"{urls.api}/repos/{repo}/issues/{number}"
    iid = stable_id("issue", repo, number)
    assignees = [user_object(a, urls) for a in rec["assignees"]]
    obj: dict[str, Any] = {
        "url": api,
        "repository_url": f"{urls.api}/repos/{repo}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"{urls.html}/{repo}/{'pull' if rec['pull'] else 'issues'}/{number}",
        "id": iid,
        "node_id": node_id("PR" if rec["pull"] else "I", iid),
        "number": number,
        "title": rec["title"],
        "user": user_object(rec["user"], urls),
        "labels": [label_object(repo, lab, urls) for lab in rec["labels"]],
        "state": rec["state"],
        "locked": bool(rec.get("locked", False)),
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": len(rec["comments"]),
        "created_at": rec["created_at"],
        "updated_at": rec["updated_at"],
        "closed_at": rec["closed_at"],
        "author_association": rec.get("author_association", "NONE"),
        "active_lock_reason": None,
        "body": rec["body"],
        "closed_by": user_object(rec["closed_by"], urls) if rec.get("closed_by") else None,
        "reactions": reactions_object(api, rec["reactions"]),
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": rec["state_reason"],
    }
    if rec["pull"]:
        pull_api = f"{urls.api}/repos/{repo}/pulls/{number}"
        html = f"{urls.html}/{repo}/pull/{number}"
        obj["draft"] = bool(rec.get("draft", False))
        obj["pull_request"] = {
            "url": pull_api,
            "html_url": html,
            "diff_url": html + ".diff",
            "patch_url": html + ".patch",
            "merged_at": rec["merged_at"],
        }
    return obj


def reactions_object(issue_api: str, total: int) -> dict[str, Any]:
    """GitHub's reaction rollup; all `total` reactions are counted as +1."""
    return {
        "url": f"{issue_api}/reactions",
        "total_count": total,
        "+1": total,
        "-1": 0,
        "laugh": 0,
        "hooray": 0,
        "confused": 0,
        "heart": 0,
        "rocket": 0,
        "eyes": 0,
    }


def comment_object(repo: str, number: int, com: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's issue-comment object from a comment record (id, user, body, created_at)."""
    cid = com["id"]
    return {
        "url": f"{urls.api}/repos/{repo}/issues/comments/{cid}",
        "html_url": f"{urls.html}/{repo}/issues/{number}#issuecomment-{cid}",
        "issue_url": f"{urls.api}/repos/{repo}/issues/{number}",
        "id": cid,
        "node_id": node_id("IC", cid),
        "user": user_object(com["user"], urls),
        "created_at": com["created_at"],
        "updated_at": com.get("updated_at") or com["created_at"],
        "author_association": com.get("author_association", "NONE"),
        "body": com["body"],
        "reactions": reactions_object(f"{urls.api}/repos/{repo}/issues/comments/{cid}", 0),
        "performed_via_github_app": None,
    }


def pull_object(
    repo: str, rec: dict[str, Any], repo_fields: dict[str, Any], urls: Urls, *, full: bool
) -> dict[str, Any]:
    """GitHub's pull-request object (`full`) or pull-request-simple (list endpoint).

    Optional record keys: `head_repo` ((full name, fields) of a fork; default the base
    repository), `branch`, `merged_by`, `commits`."""
    number = rec["number"]
    api = f"{urls.api}/repos/{repo}/pulls/{number}"
    issue_api = f"{urls.api}/repos/{repo}/issues/{number}"
    html = f"{urls.html}/{repo}/pull/{number}"
    pid = stable_id("pull", repo, number)
    assignees = [user_object(a, urls) for a in rec["assignees"]]
    base_repo = simple_repo_object(repo, repo_fields, urls)
    head_repo = simple_repo_object(*rec["head_repo"], urls) if rec.get("head_repo") else base_repo
    sha = hashlib.sha1(f"{repo}#{number}".encode()).hexdigest()
    branch = rec.get("branch") or f"pr-{number}"
    owner = repo.split("/", 1)[0]
    obj: dict[str, Any] = {
        "url": api,
        "id": pid,
        "node_id": node_id("PR", pid),
        "html_url": html,
        "diff_url": html + ".diff",
        "patch_url": html + ".patch",
        "issue_url": issue_api,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{urls.api}/repos/{repo}/pulls/comments{{/number}}",
        "comments_url": f"{issue_api}/comments",
        "statuses_url": f"{urls.api}/repos/{repo}/statuses/{sha}",
        "number": number,
        "state": rec["state"],
        "locked": False,
        "title": rec["title"],
        "user": user_object(rec["user"], urls),
        "body": rec["body"],
        "labels": [label_object(repo, lab, urls) for lab in rec["labels"]],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": rec["created_at"],
        "updated_at": rec["updated_at"],
        "closed_at": rec["closed_at"],
        "merged_at": rec["merged_at"],
        "merge_commit_sha": sha if rec["merged_at"] else None,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "requested_reviewers": [],
        "requested_teams": [],
        "head": {
            "label": f"{rec['user']}:{branch}",
            "ref": branch,
            "sha": sha,
            "user": user_object(rec["user"], urls),
            "repo": head_repo,
        },
        "base": {
            "label": f"{owner}:{base_repo['default_branch']}",
            "ref": base_repo["default_branch"],
            "sha": hashlib.sha1(f"{repo}@base".encode()).hexdigest(),
            "user": base_repo["owner"],
            "repo": base_repo,
        },
        "_links": {
            "self": {"href": api},
            "html": {"href": html},
            "issue": {"href": issue_api},
            "comments": {"href": f"{issue_api}/comments"},
            "review_comments": {"href": f"{api}/comments"},
            "review_comment": {"href": f"{urls.api}/repos/{repo}/pulls/comments{{/number}}"},
            "commits": {"href": f"{api}/commits"},
            "statuses": {"href": f"{urls.api}/repos/{repo}/statuses/{sha}"},
        },
        "author_association": rec.get("author_association", "CONTRIBUTOR"),
        "auto_merge": None,
        "draft": bool(rec.get("draft", False)),
    }
    if full:
        files = rec["files"]
        obj.update(
            {
                "merged": rec["merged_at"] is not None,
                "mergeable": None if rec["state"] == "closed" else True,
                "rebaseable": None if rec["state"] == "closed" else True,
                "mergeable_state": "unknown" if rec["state"] == "closed" else "clean",
                "merged_by": user_object(rec.get("merged_by") or owner, urls)
                if rec["merged_at"]
                else None,
                "comments": len(rec["comments"]),
                "review_comments": 0,
                "maintainer_can_modify": head_repo["full_name"] != repo,
                "commits": rec.get("commits", 1),
                "additions": sum(f["additions"] for f in files),
                "deletions": sum(f["deletions"] for f in files),
                "changed_files": len(files),
            }
        )
    return obj


def event_object(
    repo: str, kind: str, actor: str, at: str, urls: Urls, **extra: Any
) -> dict[str, Any]:
    """A timeline/issue event (closed, labeled, assigned, merged, ...) by `actor` at `at`;
    `extra` adds the kind's own keys (label, assignee, state_reason, ...)."""
    # What tells apart two events of one kind, actor and time: the label or person they name.
    names = sorted(
        (key, value.get("name") or value.get("login") if isinstance(value, dict) else value)
        for key, value in extra.items()
    )
    eid = stable_id("event", repo, kind, actor, at, *names)
    obj: dict[str, Any] = {
        "id": eid,
        "node_id": node_id("LE" if kind == "labeled" else "E", eid),
        "url": f"{urls.api}/repos/{repo}/issues/events/{eid}",
        "actor": user_object(actor, urls),
        "event": kind,
        "commit_id": None,
        "commit_url": None,
        "created_at": at,
        "performed_via_github_app": None,
    }
    obj.update(extra)
    return obj


def commented_event(comment: dict[str, Any]) -> dict[str, Any]:
    """A comment object as the timeline lists it."""
    return {**comment, "event": "commented", "actor": comment["user"]}


def cross_referenced_event(source_issue: dict[str, Any], urls: Urls, at: str) -> dict[str, Any]:
    """`source_issue` (an issue object, usually a pull request's) mentioned this one at `at`."""
    return {
        "event": "cross-referenced",
        "actor": user_object(source_issue["user"]["login"], urls),
        "created_at": at,
        "updated_at": at,
        "source": {"type": "issue", "issue": source_issue},
    }


def file_object(repo: str, number: int, entry: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's diff-entry object for one changed file of a pull request."""
    sha = hashlib.sha1(f"{repo}#{number}:{entry['filename']}".encode()).hexdigest()
    ref = hashlib.sha1(f"{repo}#{number}".encode()).hexdigest()
    obj = {
        "sha": sha,
        "filename": entry["filename"],
        "status": entry.get("status", "modified"),
        "additions": entry.get("additions", 1),
        "deletions": entry.get("deletions", 0),
        "blob_url": f"{urls.html}/{repo}/blob/{ref}/{entry['filename']}",
        "raw_url": f"{urls.html}/{repo}/raw/{ref}/{entry['filename']}",
        "contents_url": f"{urls.api}/repos/{repo}/contents/{entry['filename']}?ref={ref}",
        "patch": entry.get("patch", "@@ -1 +1 @@\n-old\n+new"),
    }
    if obj["patch"] is None:  # GitHub leaves it out for binary files and huge diffs
        del obj["patch"]
    obj["changes"] = obj["additions"] + obj["deletions"]
    if entry.get("previous_filename"):
        obj["previous_filename"] = entry["previous_filename"]
    return obj


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


_REPO_URL_SUFFIXES = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}
