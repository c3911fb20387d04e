"""The loopback server's data, built in Python: repos, labels, issues, pull requests,
comments and cross-references, stored as plain records and rendered to REST on request."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

from .objects import stable_id

DEFAULT_TIME = "2024-01-01T00:00:00Z"


class DatasetError(ValueError):
    """A dataset call referred to something that does not exist or made no sense."""


class Dataset:
    """Repos and their issues/pulls; numbers are shared between issues and pulls like GitHub."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.repos: dict[str, dict[str, Any]] = {}
        self.redirects: dict[str, str] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.authenticated_user = "octocat"
        self._next_comment_id = 1_000_001

    # -- building -------------------------------------------------------------

    def add_repo(self, full_name: str, **fields: Any) -> None:
        """Add repo `owner/name`; `fields` override REST keys (description, language, ...)."""
        if full_name.count("/") != 1:
            raise DatasetError(f"repo must be owner/name, got {full_name!r}")
        with self.lock:
            self.repos[full_name] = {
                "fields": dict(fields),
                "labels": {},
                "issues": {},
                "commits": [],
                "files": {},
                "next_number": 1,
                "id": fields.get("id") or stable_id("repo", full_name),
            }

    def add_label(
        self,
        repo: str,
        name: str,
        color: str = "ededed",
        description: str = "",
        *,
        default: bool = False,
    ) -> None:
        """Define a label of `repo` (issues may also use labels never defined: they get
        defaults); `default` marks one of GitHub's own."""
        with self.lock:
            self.repo(repo)["labels"][name] = {
                "name": name,
                "color": color,
                "description": description,
                "default": default,
            }

    def add_user(self, login: str, **profile: Any) -> None:
        """Give `login` a profile (name, bio, company, ...) served by /users/{login}."""
        with self.lock:
            self.users.setdefault(login, {}).update(profile)

    def set_authenticated_user(self, login: str) -> None:
        """The login `/user` answers with when a token is sent."""
        with self.lock:
            self.authenticated_user = login
            self.users.setdefault(login, {})

    def add_issue(
        self,
        repo: str,
        title: str,
        body: str | None = "",
        user: str = "alice",
        labels: tuple[str, ...] | list[str] = (),
        assignees: tuple[str, ...] | list[str] = (),
        state: str = "open",
        created_at: str | datetime = DEFAULT_TIME,
        updated_at: str | datetime | None = None,
        closed_at: str | datetime | None = None,
        state_reason: str | None = None,
        reactions: int = 0,
        number: int | None = None,
        **extra: Any,
    ) -> int:
        """Add an issue and return its number (the next free one unless `number` is given)."""
        with self.lock:
            unknown = set(extra) - {"locked", "draft", "closed_by", "author_association"}
            if unknown:
                raise DatasetError(f"unknown issue fields: {sorted(unknown)}")
            rec = self._new_record(repo, number, title, body, user, state, created_at, updated_at)
            rec.update(
                labels=[self._ensure_label(repo, name) for name in labels],
                assignees=list(assignees),
                closed_at=iso(closed_at) if closed_at else None,
                state_reason=state_reason,
                reactions=reactions,
                **extra,
            )
            if state == "closed" and rec["closed_at"] is None:
                rec["closed_at"] = rec["updated_at"]
            if updated_at is None and rec["closed_at"]:
                rec["updated_at"] = max(rec["updated_at"], rec["closed_at"])
            return int(rec["number"])

    def add_comment(
        self,
        repo: str,
        number: int,
        user: str,
        body: str,
        created_at: str | datetime = DEFAULT_TIME,
        *,
        comment_id: int | None = None,
        author_association: str = "NONE",
    ) -> int:
        """Add a comment to issue or pull `number`; returns the comment id (the next free one
        unless `comment_id` is given). Bumps updated_at."""
        with self.lock:
            rec = self.issue(repo, number)
            cid = comment_id if comment_id is not None else self._next_comment_id
            self._next_comment_id = max(self._next_comment_id, cid + 1)
            stamp = iso(created_at)
            rec["comments"].append(
                {
                    "id": cid,
                    "user": user,
                    "body": body,
                    "created_at": stamp,
                    "author_association": author_association,
                }
            )
            rec["updated_at"] = max(rec["updated_at"], stamp)
            return cid

    def add_pull(
        self,
        repo: str,
        title: str,
        body: str | None = "",
        user: str = "bob",
        state: str = "open",
        merged: bool = False,
        files: list[dict[str, Any]] | None = None,
        references: list[int | str] | tuple[int | str, ...] = (),
        created_at: str | datetime = DEFAULT_TIME,
        merged_at: str | datetime | None = None,
        closed_at: str | datetime | None = None,
        updated_at: str | datetime | None = None,
        labels: tuple[str, ...] | list[str] = (),
        assignees: tuple[str, ...] | list[str] = (),
        number: int | None = None,
    ) -> int:
        """Add a pull request (also an issue carrying `pull_request`); each reference (an
        issue number, or "owner/repo#N") gets a cross-referenced timeline event."""
        with self.lock:
            rec = self._new_record(repo, number, title, body, user, state, created_at, updated_at)
            stamp_merged = iso(merged_at) if merged_at else None
            if merged and stamp_merged is None:
                stamp_merged = iso(closed_at) if closed_at else rec["updated_at"]
            if stamp_merged:
                rec["state"] = "closed"
            closed = iso(closed_at) if closed_at else stamp_merged
            if rec["state"] == "closed" and closed is None:
                closed = rec["updated_at"]
            rec.update(
                pull=True,
                merged_at=stamp_merged,
                closed_at=closed,
                files=[normalise_file(f) for f in (files or [])],
                labels=[self._ensure_label(repo, name) for name in labels],
                assignees=list(assignees),
            )
            if updated_at is None and closed:
                rec["updated_at"] = max(rec["updated_at"], closed)
            for ref in references:
                self.add_cross_reference(repo, rec["number"], ref, rec["created_at"])
            return int(rec["number"])

    def add_cross_reference(
        self,
        source_repo: str,
        source_number: int,
        target: int | str,
        created_at: str | datetime | None = None,
    ) -> None:
        """Record that `source_repo#source_number` mentions `target` (N or "owner/repo#N")."""
        with self.lock:
            target_repo, target_number = _parse_ref(source_repo, target)
            stamp = (
                iso(created_at)
                if created_at
                else self.issue(source_repo, source_number)["created_at"]
            )
            self.issue(target_repo, target_number)["events"].append(
                {
                    "event": "cross-referenced",
                    "created_at": stamp,
                    "source_repo": source_repo,
                    "source_number": source_number,
                }
            )

    def add_raw_timeline_event(self, repo: str, number: int, event: dict[str, Any]) -> None:
        """Serve `event` (already REST-shaped, with created_at) verbatim in the issue's timeline."""
        with self.lock:
            self.issue(repo, number)["events"].append(
                {
                    "event": "raw",
                    "created_at": event.get("created_at", DEFAULT_TIME),
                    "raw": dict(event),
                }
            )

    def add_commit(
        self,
        repo: str,
        message: str,
        author: str = "alice",
        date: str | datetime = DEFAULT_TIME,
        files: list[str | dict[str, Any]] | tuple[str, ...] = (),
        email: str | None = None,
        sha: str | None = None,
    ) -> str:
        """Add a commit (parent: the previous one added) touching `files`; returns its sha."""
        from .git_objects import new_commit

        with self.lock:
            commits = self.repo(repo)["commits"]
            parent = commits[-1]["sha"] if commits else None
            commit = new_commit(repo, message, author, email, iso(date), list(files), parent, sha)
            commits.append(commit)
            return str(commit["sha"])

    def add_file(self, repo: str, path: str, text: str) -> None:
        """Serve `text` at /repos/{repo}/contents/{path} (folders are derived from paths)."""
        with self.lock:
            self.repo(repo)["files"][path.strip("/")] = text

    def update_issue(self, repo: str, number: int, **changes: Any) -> None:
        """Change an issue or pull (title, body, state, labels, ...); bumps updated_at so the
        ETag and `since` filters see the change."""
        with self.lock:
            rec = self.issue(repo, number)
            if "labels" in changes:
                changes["labels"] = [self._ensure_label(repo, name) for name in changes["labels"]]
            for key in ("closed_at", "merged_at", "created_at"):
                if changes.get(key):
                    changes[key] = iso(changes[key])
            new_stamp = (
                iso(changes.pop("updated_at"))
                if changes.get("updated_at")
                else _later_than(rec["updated_at"])
            )
            if (
                changes.get("state") == "closed"
                and not rec["closed_at"]
                and "closed_at" not in changes
            ):
                changes["closed_at"] = new_stamp
            if changes.get("state") == "open":
                changes.setdefault("closed_at", None)
            unknown = set(changes) - set(rec)
            if unknown:
                raise DatasetError(f"unknown issue fields: {sorted(unknown)}")
            rec.update(changes)
            rec["updated_at"] = new_stamp

    def rename_repo(self, old: str, new: str) -> None:
        """Rename `old` to `new`; the old path then answers 301 like GitHub's moved repos."""
        with self.lock:
            record = self.repo(old)
            del self.repos[old]
            self.repos[new] = record
            self.redirects[old] = new
            for source, target in list(self.redirects.items()):
                if target == old:
                    self.redirects[source] = new
            # Cross-references keep pointing at the moved issues.
            for repo in self.repos.values():
                for rec in repo["issues"].values():
                    for event in rec["events"]:
                        if event.get("source_repo") == old:
                            event["source_repo"] = new

    def load_rest_payloads(self, repo: str, payload: dict[str, Any]) -> list[int]:
        """Ingest REST-shaped data into `repo` (created if missing); see README for the shape.
        Returns the issue/pull numbers loaded."""
        from .ingest import load_payloads

        with self.lock:
            if repo not in self.repos:
                self.add_repo(repo)
            return load_payloads(self, repo, payload)

    # -- reading (used by the server) ----------------------------------------

    def repo(self, full_name: str) -> dict[str, Any]:
        """The record of `full_name` or DatasetError."""
        try:
            return self.repos[full_name]
        except KeyError:
            raise DatasetError(f"no repo {full_name!r}; call add_repo first") from None

    def issue(self, repo: str, number: int) -> dict[str, Any]:
        """The record of issue/pull `number` in `repo` or DatasetError."""
        try:
            return self.repo(repo)["issues"][int(number)]
        except KeyError:
            raise DatasetError(f"no issue #{number} in {repo!r}") from None

    def known_logins(self) -> set[str]:
        """Every login that appears anywhere (authors, assignees, commenters, owners)."""
        with self.lock:
            logins = set(self.users) | {self.authenticated_user}
            for name, repo in self.repos.items():
                logins.add(name.split("/", 1)[0])
                for rec in repo["issues"].values():
                    logins.add(rec["user"])
                    logins.update(rec["assignees"])
                    logins.update(c["user"] for c in rec["comments"])
            return logins

    # -- internals ------------------------------------------------------------

    def _new_record(
        self,
        repo: str,
        number: int | None,
        title: str,
        body: str | None,
        user: str,
        state: str,
        created_at: str | datetime,
        updated_at: str | datetime | None,
    ) -> dict[str, Any]:
        if state not in ("open", "closed"):
            raise DatasetError(f"state must be open or closed, got {state!r}")
        record = self.repo(repo)
        if number is None:
            number = record["next_number"]
        if number in record["issues"]:
            raise DatasetError(f"#{number} already exists in {repo}")
        record["next_number"] = max(record["next_number"], number + 1)
        created = iso(created_at)
        rec: dict[str, Any] = {
            "number": number,
            "title": title,
            "body": body,
            "user": user,
            "state": state,
            "created_at": created,
            "updated_at": iso(updated_at) if updated_at else created,
            "closed_at": None,
            "state_reason": None,
            "labels": [],
            "assignees": [],
            "reactions": 0,
            "comments": [],
            "events": [],
            "pull": False,
            "merged_at": None,
            "files": [],
            "locked": False,
            "draft": False,
            "closed_by": None,
            "author_association": "NONE",
        }
        record["issues"][number] = rec
        return rec

    def _ensure_label(self, repo: str, name: str) -> str:
        self.repo(repo)["labels"].setdefault(
            name, {"name": name, "color": "ededed", "description": ""}
        )
        return name


def normalise_file(entry: dict[str, Any]) -> dict[str, Any]:
    """A pull's changed file with GitHub's defaults (status modified, +1/-0)."""
    if "filename" not in entry:
        raise DatasetError(f"a pull's file needs a filename: {entry!r}")
    return {"status": "modified", "additions": 1, "deletions": 0, **entry}


def iso(value: str | datetime) -> str:
    """ISO 8601 UTC with a Z, as GitHub writes timestamps."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise DatasetError(f"not an ISO 8601 timestamp: {value!r}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _later_than(stamp: str) -> str:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    previous = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return iso(max(now, previous + timedelta(seconds=1)))


def _parse_ref(default_repo: str, ref: int | str) -> tuple[str, int]:
    if isinstance(ref, int):
        return default_repo, ref
    text = str(ref).lstrip("#")
    if "#" in text:
        repo, num = text.rsplit("#", 1)
        return repo, int(num)
    return default_repo, int(text)
