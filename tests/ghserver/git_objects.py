"""Commits and repository contents: dataset records (add_commit, add_file) and their REST
objects, kept apart from issues because few tests need them."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from .objects import Urls, node_id, user_object


def new_commit(
    repo: str,
    message: str,
    author: str,
    email: str | None,
    date: str,
    files: list[Any],
    parent: str | None,
    sha: str | None,
) -> dict[str, Any]:
    """A commit record; `files` are paths or diff-entry-like dicts with a filename."""
    entries = [{"filename": f} if isinstance(f, str) else dict(f) for f in files]
    digest = (
        sha or hashlib.sha1(f"{repo}\0{message}\0{author}\0{date}\0{parent}".encode()).hexdigest()
    )
    return {
        "sha": digest,
        "message": message,
        "author": author,
        "email": email or f"{author}@users.noreply.github.com",
        "date": date,
        "files": [{"status": "modified", "additions": 1, "deletions": 0, **e} for e in entries],
        "parent": parent,
    }


def commit_matches(commit: dict[str, Any], query: dict[str, str]) -> bool:
    """GitHub's list-commits filters: path (file or folder), author (login or email), since, until."""
    path = query.get("path", "").strip("/")
    if path and not any(
        f["filename"] == path or f["filename"].startswith(path + "/") for f in commit["files"]
    ):
        return False
    author = query.get("author")
    if author and author not in (commit["author"], commit["email"]):
        return False
    if query.get("since") and commit["date"] < query["since"]:
        return False
    return not (query.get("until") and commit["date"] > query["until"])


def commit_object(repo: str, commit: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """GitHub's commit object as listed by /repos/{o}/{r}/commits."""
    api = f"{urls.api}/repos/{repo}"
    git_user = {"name": commit["author"], "email": commit["email"], "date": commit["date"]}
    parents = []
    if commit["parent"]:
        parents.append(
            {
                "sha": commit["parent"],
                "url": f"{api}/commits/{commit['parent']}",
                "html_url": f"{urls.html}/{repo}/commit/{commit['parent']}",
            }
        )
    user = user_object(commit["author"], urls)
    return {
        "sha": commit["sha"],
        "node_id": node_id("C", int(commit["sha"][:12], 16)),
        "url": f"{api}/commits/{commit['sha']}",
        "html_url": f"{urls.html}/{repo}/commit/{commit['sha']}",
        "comments_url": f"{api}/commits/{commit['sha']}/comments",
        "commit": {
            "url": f"{api}/git/commits/{commit['sha']}",
            "author": git_user,
            "committer": git_user,
            "message": commit["message"],
            "comment_count": 0,
            "tree": {
                "sha": _sha("tree", commit["sha"]),
                "url": f"{api}/git/trees/{_sha('tree', commit['sha'])}",
            },
            "verification": {
                "verified": False,
                "reason": "unsigned",
                "payload": None,
                "signature": None,
                "verified_at": None,
            },
        },
        "author": user,
        "committer": user,
        "parents": parents,
    }


def content_object(
    repo: str, path: str, files: dict[str, str], urls: Urls
) -> dict[str, Any] | list[dict[str, Any]] | None:
    """The content-file object for a file, the content-directory list for a folder, or None."""
    path = path.strip("/")
    if path in files:
        entry = _entry(repo, path, "file", files[path], urls)
        encoded = base64.b64encode(files[path].encode()).decode()
        # GitHub wraps base64 content at 60 characters.
        entry["content"] = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
        entry["encoding"] = "base64"
        return entry
    prefix = f"{path}/" if path else ""
    children: dict[str, str] = {}
    for name in files:
        if name.startswith(prefix):
            head, _, rest = name[len(prefix) :].partition("/")
            children[head] = "dir" if rest else "file"
    if not children:
        return None
    return [
        _entry(repo, prefix + name, kind, files.get(prefix + name, ""), urls)
        for name, kind in sorted(children.items())
    ]


def _entry(repo: str, path: str, kind: str, text: str, urls: Urls) -> dict[str, Any]:
    sha = _sha("blob" if kind == "file" else "tree", repo, path, text)
    api = f"{urls.api}/repos/{repo}"
    html = f"{urls.html}/{repo}/{'blob' if kind == 'file' else 'tree'}/main/{path}"
    git = f"{api}/git/{'blobs' if kind == 'file' else 'trees'}/{sha}"
    return {
        "type": kind,
        "size": len(text.encode()) if kind == "file" else 0,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": f"{api}/contents/{path}?ref=main",
        "git_url": git,
        "html_url": html,
        "download_url": f"https://raw.githubusercontent.com/{repo}/main/{path}"
        if kind == "file"
        else None,
        "_links": {"self": f"{api}/contents/{path}?ref=main", "git": git, "html": html},
    }


def _sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()
