"""The one module that talks to git: acquire a checkout, list its files, read its history.

Clones are blobless partial clones cached under `<cache>/repos/OWNER/REPO`; every git
command runs with hooks disabled, submodules off and only https/ssh/file transports
allowed, because the repositories we read are not ours. History comes from ONE
`git log --no-renames` pass: rename detection would fetch blobs lazily, one network
round trip each, on a blobless clone.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import shutil
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import IO, TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from prready import clock
from prready.code_models import CommitRecord, FileKind, HistoryCommit, TrackedFile
from prready.config import clone_url, resolve_api_url
from prready.errors import InputError, NetworkError, OfflineError, PrreadyError, UsageError
from prready.slug import parse_slug
from prready.text import safe_line

if TYPE_CHECKING:
    from prready.models import ProgressFn

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, runs stay unguarded
    fcntl = None  # type: ignore[assignment]


__all__ = [
    "Checkout",
    "acquire",
    "build_repo",
    "default_url",
    "head_date",
    "list_files",
    "read_history",
]


class GitCommandError(Exception):
    """A git command exited non-zero: its arguments, exit status and stderr.

    Our own class, not GitPython's: GitPython (0.15 s of imports) is loaded only to
    clone and fetch with progress (`_run_with_progress`); every other command is a plain
    subprocess, so a warm `prready map` never imports it."""

    def __init__(self, command: list[str], status: int | None, stderr: bytes | str) -> None:
        super().__init__(f"git exited with status {status}")
        self.command = command
        self.status = status
        self.stderr = stderr


_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a full commit id (SHA-1 or SHA-256)

# Options for every git command we run: no hooks, no submodules, no fsmonitor command,
# and only these transports (lazy blob fetches of a partial clone obey them too).
SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.quotePath=false",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.ssh.allow=always",
    "protocol.file.allow=always",
    "advice.detachedHead=false",
    "gc.auto=0",
)
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
_SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!//)[^\s]+$")
_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
_KINDS: dict[str, FileKind] = {"120000": "symlink", "160000": "submodule"}  # git modes that are not files


@dataclass
class Checkout:
    """A working tree ready to read, and where it came from."""

    path: Path  # working tree root
    head: str  # HEAD commit sha
    origin: Literal["cloned", "updated", "local"]
    url: str  # where it came from, credentials stripped


def default_url(slug: str, api_url: str | None = None) -> str:
    """The clone URL of OWNER/REPO on the host of the API (`api_url`; by default the one the
    environment names: GITHUB_API_URL, GH_HOST, else github.com)."""
    return clone_url(parse_slug(slug), api_url or resolve_api_url(None))


def acquire(
    slug: str,
    repos_dir: Path,
    *,
    git_url: str | None = None,
    checkout: Path | None = None,
    offline: bool = False,
    progress: ProgressFn | None = None,
    api_url: str | None = None,
) -> Checkout:
    """Return a checkout of OWNER/REPO: an existing clone as is, the cache, or a new clone.

    `checkout` is used read-only (no fetch, no checkout, no config writes). Otherwise the
    cache clone is fetched and fast-forwarded, or created as a blobless clone. Without
    `git_url`, an existing cache fetches from where it was cloned from.
    """
    if checkout is not None:
        return _use_existing(Path(checkout).expanduser())
    dest = cache_path(slug, repos_dir)
    if git_url is not None and not git_url.strip():
        raise InputError("git_url", "is empty: give a URL or path to clone from, or leave it out")
    url = safe_clone_url(git_url or default_url(slug, api_url))
    if offline:
        if _is_work_tree(dest):
            return Checkout(dest, _head(dest), "local", strip_credentials(_origin_url(dest)))
        raise OfflineError(
            f"offline and no cached clone of {slug} at {dest}", advice="checkout_or_online"
        )
    _private_dirs(Path(repos_dir).expanduser(), dest.parent)
    with _locked(dest.parent / f".{dest.name}.lock"):
        if _is_work_tree(dest):
            if git_url is None:
                # A cache cloned from a mirror keeps fetching from it: later commands
                # (`issues`, `backtest`, `map`) need not be given the git URL again.
                remembered = _origin_url(dest)
                url = safe_clone_url(remembered) if remembered else url
            return _update(dest, url, progress)
        return _clone(dest, url, progress)


def cache_path(slug: str, repos_dir: Path) -> Path:
    """`<repos_dir>/OWNER/REPO`, refusing any slug whose path would leave repos_dir."""
    owner, name = parse_slug(slug).split("/")
    base = Path(repos_dir).expanduser().resolve()
    dest = (base / owner / name).resolve()
    if dest.parent.parent != base:
        raise UsageError(
            f"repository {safe_line(slug, 120)!r} would be stored outside {base}: refused"
        )
    return dest


def safe_clone_url(url: str) -> str:
    """Accept https, ssh, scp-like, file:// and local paths (as file://); refuse the rest.

    http:// is allowed only to a loopback host (a local test server).
    """
    text = (url or "").strip()
    if not text or text.startswith("-") or any(ch in text for ch in "\0\n\r"):
        raise UsageError(
            f"git URL {safe_line(text, 120)!r} is not usable: give an https://, ssh:// or file:// URL"
        )
    if _SCP_LIKE.match(text):
        return text
    if "://" not in text and "::" not in text:
        local = Path(text).expanduser()
        if local.exists():
            return local.resolve().as_uri()
        raise UsageError(
            f"git URL {safe_line(text, 120)!r}: no such local repository and not a URL"
        )
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    host = (urlsplit(text).hostname or "") if scheme else ""
    if scheme != "file" and (host.startswith("-") or (scheme and not host)):
        raise UsageError(
            f"git URL {safe_line(strip_credentials(text), 120)!r} has no valid host name"
        )
    if scheme in ("https", "ssh", "git+ssh", "ssh+git", "file"):
        return text
    if scheme == "http" and host in _LOOPBACK_HOSTS:
        return text
    raise UsageError(
        f"git URL {safe_line(strip_credentials(text), 120)!r} uses a transport prready refuses: "
        "only https://, ssh:// and file:// (or a local path) are allowed"
    )


def strip_credentials(url: str) -> str:
    """The URL without any user:password@ part, safe to show or store."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def list_files(root: Path) -> list[TrackedFile]:
    """Every tracked path present in the working tree, with blob id and size (see
    `read_listing`)."""
    return read_listing(root).files()


@dataclass(frozen=True)
class Listing:
    """What git's index says of the checkout, and which files differ from it on disk.

    `raw` is `ls-files -s -v -z` as git printed it; `changes` maps each path that differs
    from the index (`diff-files`) to its state on disk: (blob id, kind) of the file there,
    or None when it is absent. `digest` names the working tree's content without a
    system call per file (the warm map's key). `files` takes the sizes of the files git
    vouches for from the index when the listing holds them (diff-files compares each
    one's size with the file's: a file it does not report has the size the index
    records) and asks the file system for the others."""

    root: Path
    raw: bytes
    changes: dict[bytes, tuple[str, str] | None]

    # Each entry of `raw` and the size git's index records for it, when the listing was
    # read with them (`read_listing(sizes=True)`): see `sizes`.
    stat_sizes: tuple[list[bytes], list[bytes]] | None = field(default=None, compare=False)

    def sizes(self) -> dict[bytes, int]:
        """Path -> size of each regular file git checks (tag H, stage 0) whose size in the
        index is not 0 ({} when the listing was read without them): the size on disk
        too, unless diff-files reports the path (which `changes` then holds)."""
        sizes: dict[bytes, int] = {}
        for entry, size in zip(*(self.stat_sizes or ([], [])), strict=True):
            tab = entry.find(b"\t")
            # (0: git "smudged" the entry, racily clean: it compares content, not size.)
            if entry[:2] == b"H " and entry[tab - 2 : tab] == b" 0" and size != b"0":
                sizes[entry[tab + 1 :]] = int(size)
        return sizes

    def entries(self) -> dict[bytes, tuple[str, str]]:
        """Path -> (mode, blob id) from the index; stage 0 first when a merge left several."""
        entries: dict[bytes, tuple[str, str]] = {}
        for item in self.raw.split(b"\0"):
            if not item:
                continue
            meta, _, raw_path = item.partition(b"\t")
            _tag, mode, blob, _stage = meta.decode("ascii").split(" ")
            entries.setdefault(raw_path, (mode, blob))
        return entries

    def digest(self) -> str:
        """A sha256 of every tracked path's mode and blob id as they are on disk: the same
        content gives the same digest whether or not git's stat data is fresh."""
        digest = hashlib.sha256(self.raw)
        for raw_path, now in sorted(self.changes.items()):
            digest.update(b"\n" + raw_path + b"\0" + repr(now).encode("ascii"))
        return digest.hexdigest()

    def blobs_changed_since(
        self, raw: bytes, changes: dict[bytes, tuple[str, str] | None]
    ) -> dict[str, tuple[str, int]] | None:
        """Path -> (blob id, size) of the tracked files whose content is all that changed
        since the listing (`raw`, `changes`) of an earlier run: same paths, modes, tags
        and stages, and on disk each such file a regular file. None when anything else
        changed (a file added, deleted, renamed, its mode or kind changed, a path not
        UTF-8): `files` then says what the working tree holds. Only the files that
        changed are looked at on disk, not every tracked one."""
        now_items, then_items = self.raw.split(b"\0"), raw.split(b"\0")
        if len(now_items) != len(then_items):
            return None
        now_blob: dict[bytes, str] = {}
        for now, then in zip(now_items, then_items, strict=True):
            if now == then:
                continue
            meta, _, raw_path = now.partition(b"\t")
            old_meta, _, old_path = then.partition(b"\t")
            fields, old_fields = meta.split(b" "), old_meta.split(b" ")
            if (
                raw_path != old_path
                or len(fields) != 4
                or len(old_fields) != 4
                or fields[:2] != old_fields[:2]  # tag and mode
                or fields[3] != old_fields[3]  # stage
                or fields[3] != b"0"
                or _KINDS.get(fields[1].decode("ascii", "replace"), "file") != "file"
            ):
                return None
            now_blob[raw_path] = fields[2].decode("ascii")
        entries: dict[bytes, tuple[str, str]] | None = None
        for raw_path in sorted({*changes, *self.changes}):
            if raw_path in changes and (changes[raw_path] or ("", ""))[1] != "file":
                return None  # absent or not a regular file then: the earlier run lacked it
            state = self.changes.get(raw_path)
            if state is None and raw_path in self.changes:
                return None  # deleted on disk
            if state is not None and state[1] != "file":
                return None
            if state is not None:
                now_blob[raw_path] = state[0]
            elif raw_path not in now_blob:  # back to what the index says
                entries = self.entries() if entries is None else entries
                entry = entries.get(raw_path)
                if entry is None or _KINDS.get(entry[0], "file") != "file":
                    return None
                now_blob[raw_path] = entry[1]
        prefix = os.fsencode(self.root) + b"/"
        out: dict[str, tuple[str, int]] = {}
        for raw_path, blob in now_blob.items():
            try:
                path = raw_path.decode("utf-8")
                info = os.lstat(prefix + raw_path)
            except (UnicodeDecodeError, OSError):
                return None
            if not stat.S_ISREG(info.st_mode):
                return None
            out[path] = (blob, info.st_size)
        return out

    def files(self) -> list[TrackedFile]:
        """Every tracked path present in the working tree, with blob id and size.

        Mode 120000 is a symlink (never followed), 160000 a submodule. A path that is not
        valid UTF-8 gets kind "badname"."""
        # Plain bytes paths: 12k lstat calls through pathlib cost five times the syscalls.
        prefix = os.fsencode(self.root) + b"/"
        lstat = os.lstat
        files: list[TrackedFile] = []
        changes, sizes = self.changes, self.sizes()
        for raw_path, (mode, blob) in self.entries().items():
            kind: FileKind = _KINDS.get(mode, "file")
            if raw_path in changes:
                now = changes[raw_path]
                if now is None:
                    continue  # tracked but absent from the working tree (deleted)
                blob = now[0]
            try:
                path = raw_path.decode("utf-8")
            except UnicodeDecodeError:
                path, kind = raw_path.decode("utf-8", "replace"), "badname"
            size = 0
            if kind == "file" and raw_path not in changes and raw_path in sizes:
                size = sizes[raw_path]  # a regular file of that size: git checked
            elif kind != "submodule":
                try:
                    info = lstat(prefix + raw_path)
                except OSError:
                    continue  # absent (a sparse checkout's skipped file)
                size = info.st_size
                if kind != "symlink" and not stat.S_ISREG(info.st_mode):
                    # A FIFO, socket or device where a file was tracked: never opened (a
                    # FIFO blocks the reader for ever); the map reports it as skipped.
                    kind, size = "special", 0
            files.append(TrackedFile(path, blob, size, kind))
        return files


# An entry tagged in lower case (`ls-files -v`: assume-unchanged) after a NUL, its path
# in group 1: the pattern starts with a literal, so the engine jumps from NUL to NUL (a
# `^` alternative made it try every position: 30 ms on PyTorch's listing, not 1).
_ASSUMED_ENTRY = re.compile(rb"\0[a-z] [^\t\0]*\t([^\0]+)")


_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def _refuse_unfinished_checkout(root: Path) -> None:
    """An index that lists nothing while HEAD holds files: a clone whose checkout failed
    (git leaves no index when a blob is missing) would map as an empty repository."""
    try:
        tree = _run(root, ["rev-parse", "--verify", "-q", "HEAD^{tree}"]).decode().strip()
    except GitCommandError:
        return  # no commit yet: nothing is missing
    if tree and tree != _EMPTY_TREE:
        raise InputError(
            "checkout",
            f"{root}: git's index lists no files while HEAD holds some, so its checkout did "
            "not finish; run `git reset` there (it rebuilds the index and leaves the files) "
            "or clone again",
        )


def read_listing(root: Path, *, sizes: bool = False) -> Listing:
    """One `ls-files -s` and one `diff-files` (run side by side); the files that differ
    from the index are re-hashed (see `_state_on_disk`). `sizes`: with the index's sizes
    (`Listing.sizes`: for a caller that will list every file, which then needs no system
    call for most of them)."""
    root = Path(root)
    # A thread of its own (not concurrent.futures: its import costs every map ~20 ms).
    diff: list[bytes | BaseException] = []

    def run_diff() -> None:
        try:
            diff.append(_run(root, ["diff-files", "--name-only", "-z"]))
        except BaseException as exc:  # raised again in the caller's thread
            diff.append(exc)

    thread = threading.Thread(target=run_diff, name="prready-diff-files", daemon=True)
    thread.start()
    try:
        # -v tags each entry (S: skip-worktree, so a changed sparse checkout changes `raw`;
        # lower case: assume-unchanged, which diff-files never reports: see below).
        # --debug adds each entry's stat data, its size among them.
        raw, stat_sizes = None, None
        if sizes:
            raw, stat_sizes = _entries_and_sizes(
                _run(root, ["ls-files", "-s", "-v", "-z", "--debug"])
            )
        if raw is None:  # not asked for, or not the layout expected
            raw, stat_sizes = _run(root, ["ls-files", "-s", "-v", "-z"]), None
    finally:
        thread.join()
    if isinstance(diff[0], BaseException):
        raise diff[0]
    if not raw:
        _refuse_unfinished_checkout(root)
    dirty = diff[0]
    if raw[:1].islower() or _ASSUMED_ENTRY.search(raw):
        # Files marked assume-unchanged may differ on disk with git none the wiser: they
        # are looked at as files diff-files reports are (scanned content is keyed by blob
        # id, which must be that of the bytes read).
        assumed = [m.group(1) for m in _ASSUMED_ENTRY.finditer(b"\0" + raw)]
        dirty = b"\0".join([dirty.strip(b"\0"), *assumed])
    listing = Listing(root, raw, {}, stat_sizes)
    if dirty.strip(b"\0"):
        listing = Listing(root, raw, _state_on_disk(root, listing.entries(), dirty), stat_sizes)
    return listing


# The stat data `ls-files --debug` prints after each entry (and its NUL), in the lines git
# has always printed (builtin/ls-files.c, print_debug): split on, the size kept.
_STAT_DATA = re.compile(
    rb"\0  ctime: \d+:\d+\n  mtime: \d+:\d+\n  dev: \d+\tino: \d+\n"
    rb"  uid: \d+\tgid: \d+\n  size: (\d+)\tflags: [0-9a-f]+\n"
)


def _entries_and_sizes(out: bytes) -> tuple[bytes | None, tuple[list[bytes], list[bytes]]]:
    """From `ls-files -s -v -z --debug`: what it prints without --debug, and its entries
    with the size of each; (None, ([], [])) when the output is not all such entries."""
    parts = _STAT_DATA.split(out)
    entries, sizes = parts[0::2], parts[1::2]
    if entries.pop() != b"" or b"\0" in b"".join(entries):  # text after the last entry
        return None, ([], [])
    raw = b"\0".join(entries) + b"\0" if entries else b""
    return raw, (entries, sizes)


def head_date(root: Path, rev: str = "HEAD") -> str:
    """The author date of HEAD (or commit `rev`) in UTC ("2025-11-21T10:00:00Z"), or ""
    when there is no such commit. One `git log -1` call: the churn window ends there."""
    if not rev or rev.startswith("-"):
        return ""  # never let a revision be read as an option
    try:
        stamp = _run(Path(root), ["log", "-1", "--format=%at", rev, "--"]).strip()
    except GitCommandError:
        return ""  # no commits yet, or not a commit
    if not stamp.isdigit():
        return ""
    return clock.iso_from_epoch(int(stamp))


def read_history(
    root: Path,
    *,
    since: str | None = None,
    author: str | None = None,
    limit: int = 0,
    rev: str = "HEAD",
    merges: bool = False,
) -> list[CommitRecord]:
    """Commits reachable from `rev` (HEAD, or a commit id: a caller that keys what it
    builds by a commit reads that commit's history, whatever HEAD is by then), newest
    first, with the paths each one touched. A merge touches none, unless `merges`: then
    the paths it changed against its first parent (a merged pull request's, in a
    repository that merges them with merge commits).

    One `git log --no-renames --name-only -z` pass (a rename shows as delete + add).
    `since` is an ISO date; `author` a case-insensitive substring of name or email;
    `limit` keeps the newest commits only. Dates are the author dates in UTC.
    """
    if not rev or rev.startswith("-"):
        raise ValueError(f"not a revision: {rev!r}")  # never let it be read as an option
    token = secrets.token_hex(8)
    start, sep = f"\x1e{token}\x1f", f"\x1f{token}\x1f"
    fmt = sep.join(["%H", "%P", "%aN", "%aE", "%at", "%ct", "%B"])
    args = ["log", "--no-renames", "--name-only", "-z", "--no-color", "--encoding=UTF-8"]
    if merges:
        args.append("--diff-merges=first-parent")
    args += [f"--format={start}{fmt}{sep}"]
    if since:
        args.append(f"--since={_iso_date(since)}")
    if author:
        args += ["--fixed-strings", "--regexp-ignore-case", f"--author={author}"]
    if limit > 0:
        args.append(f"--max-count={int(limit)}")
    if not _has_commits(root, rev):
        return []
    out = _run(root, [*args, rev, "--"]).decode("utf-8", "replace")
    records: list[CommitRecord] = []
    for chunk in out.split(start)[1:]:
        sha, parents, name, email, stamp, committed, message, names = chunk.split(sep, 7)
        files = [f for f in names.lstrip("\0").lstrip("\n").split("\0") if f]
        records.append(
            CommitRecord(
                sha=sha,
                author_name=name,
                author_email=email,
                date=clock.iso_from_epoch(int(stamp)),
                files=files,
                message=message.strip(),
                merge=len(parents.split()) > 1,
                committed=clock.iso_from_epoch(int(committed)),
            )
        )
    return records


NO_FIX = -1  # read_line_counts' count for a commit without parents


def read_line_counts(
    root: Path,
    *,
    since: str | None = None,
    limit: int = 0,
    commits: Iterable[str] | None = None,
) -> dict[str, int]:
    """Lines added plus deleted by each commit reachable from HEAD (sha -> lines), from one
    `git log --numstat` pass; binary files count no lines, a commit without parents is
    NO_FIX (-1: not diffed, no fix; kept so that a caller caching counts knows it was read). `commits`: those commits only
    (given by full sha; `since` and `limit` then do not apply), so a caller that keeps
    the counts of commits seen before asks for the new ones alone. {} for a partial
    (blobless) clone, where the diffs would fetch every past version of every file from
    the remote, and when a past blob is missing."""
    wanted = None if commits is None else [c for c in commits if _SHA.fullmatch(c)]
    if wanted == [] or not _has_commits(root) or is_partial_clone(root):
        return {}
    token = secrets.token_hex(8)
    start = f"\x1e{token}\x1f"
    # A commit without parents (the first import, a shallow clone's boundary) is no fix,
    # and its diff is the whole tree (seconds on PyTorch): git is told not to diff it.
    args = ["-c", "log.showRoot=false", "log", "--no-renames", "--numstat", "-z", "--no-color"]
    args.append(f"--format={start}%H %P")
    if since and wanted is None:
        args.append(f"--since={_iso_date(since)}")
    if limit > 0 and wanted is None:
        args.append(f"--max-count={int(limit)}")
    try:
        if wanted is None:
            raw = _run(root, [*args, "HEAD", "--"])
        else:  # each commit's own diff, as the walk above shows it
            stdin = "".join(f"{sha}\n" for sha in wanted).encode("ascii")
            raw = _run(root, [*args, "--no-walk=unsorted", "--stdin", "--"], stdin=stdin)
        out = raw.decode("utf-8", "replace")
    except GitCommandError:
        return {}  # a past blob is missing (a snapshot without its large files): no counts
    counts: dict[str, int] = {}
    for chunk in out.split(start)[1:]:
        head, _, stats = chunk.partition("\n")
        sha, _, parents = head.strip("\0\n").partition(" ")
        if not parents.strip():
            counts[sha] = NO_FIX
            continue
        total = 0
        for entry in stats.split("\0"):
            added, _, rest = entry.strip("\n").partition("\t")
            deleted = rest.partition("\t")[0]
            if added.isdigit() and deleted.isdigit():
                total += int(added) + int(deleted)
        counts[sha] = total
    return counts


def is_partial_clone(root: Path) -> bool:
    """True for a clone made with --filter (prready's own are blobless): a promisor
    remote, or the older extensions.partialClone setting."""
    pattern = r"^(remote\..*\.promisor|extensions\.partialclone)$"
    try:
        listing = _run(root, ["config", "--get-regexp", pattern]).decode("utf-8", "replace")
    except GitCommandError:
        return False  # neither is set: a full clone
    for line in listing.splitlines():
        key, _, value = line.partition(" ")
        if value.strip() and (not key.endswith(".promisor") or value.strip().lower() == "true"):
            return True
    return False


def build_repo(dest: Path, commits: list[HistoryCommit], *, branch: str = "main") -> str:
    """Create a real repository at `dest` with these commits and return its HEAD sha.

    One `git fast-import` stream writes every commit (committer = author, same date), so
    the same commits always give the same SHAs; the user's git config is not read.
    Renames move content like `git mv`; writes after a rename change the moved file.
    """
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} exists and is not empty")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch) or ".." in branch:
        raise ValueError(f"invalid branch name {branch!r}")
    dest.mkdir(parents=True, exist_ok=True)
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    _run(dest, ["init", "-q", "--template=", f"--initial-branch={branch}"], env=env)
    if not commits:
        return ""
    with tempfile.TemporaryFile() as stream:
        _write_fast_import(stream, commits, branch)
        stream.seek(0)
        _run(
            dest, ["fast-import", "--quiet", "--done", "--date-format=raw"], env=env, istream=stream
        )
    _run(dest, ["reset", "-q", "--hard"], env=env)
    return _head(dest)


def clone_bundle(bundle: Path, dest: Path) -> str:
    """Clone the git bundle `bundle` (how the demo sample ships) into a new folder `dest`,
    with a work tree, and return its HEAD sha. A full clone (a bundle cannot serve a
    partial one); like `build_repo`, the user's git config is not read."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} exists and is not empty")
    env = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    clone = ["clone", "-q", "--no-tags", "--template=", "--", str(bundle), str(dest)]
    _run(dest.parent, clone, env=env)
    return _head(dest)


# --------------------------------------------------------------------------- acquisition
def clone_command(url: str, dest: Path) -> list[str]:
    """The full clone command line: safe options, blobless, one branch, no submodules."""
    return [
        *_config_args(url),
        "clone",
        "--progress",
        "--filter=blob:none",
        "--single-branch",
        "--no-tags",
        "--no-recurse-submodules",
        "--template=",  # no hook files copied in from the user's template folder
        "--",
        url,
        str(dest),
    ]


def _clone(dest: Path, url: str, progress: ProgressFn | None) -> Checkout:
    """Clone into a temporary sibling, then rename: an interrupted clone leaves nothing.

    Credentials in the URL go to git through the environment, so the clone's config
    only ever holds the stripped URL.
    """
    for stale in dest.parent.glob(f".{dest.name}.partial-*"):
        if not _pid_alive(stale.name.split("-")[-2]):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = dest.parent / f".{dest.name}.partial-{os.getpid()}-{secrets.token_hex(4)}"
    clean = strip_credentials(url)
    try:
        command = clone_command(clean, tmp)
        _run_with_progress(dest.parent, command, "cloning", url, progress)
        if dest.exists():  # a damaged cache entry: the new clone replaces it
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return Checkout(dest, _head(dest), "cloned", clean)


def _update(dest: Path, url: str, progress: ProgressFn | None) -> Checkout:
    """Fetch the cache clone and move it to the remote head (reset if it diverged)."""
    clean = strip_credentials(url)
    if _origin_url(dest) != clean:
        _run(dest, ["remote", "set-url", "origin", clean])
    fetch = [
        *_config_args(url),
        "fetch",
        "--progress",
        "--no-recurse-submodules",
        "--prune",
        "origin",
    ]
    try:
        _fetch_with_progress(dest, fetch, url, progress)
    except UsageError:
        # The followed branch is gone upstream (say master renamed to main): clone afresh.
        return _clone(dest, url, progress)
    target = _remote_head(dest)
    if not target:
        return _clone(dest, url, progress)
    if target != _head(dest):
        if progress is not None:
            progress("checking out", 0, None)
        try:
            _run(dest, ["reset", "-q", "--hard", target], url=url)
        except GitCommandError as exc:
            raise _classify(exc, "updating", url) from None
    return Checkout(dest, _head(dest), "updated", clean)


def _use_existing(path: Path) -> Checkout:
    """Validate an existing clone without changing anything in it."""
    if not path.exists():
        raise InputError("checkout", f"{path}: no such directory")
    if not path.is_dir():
        raise InputError("checkout", f"{path} is not a directory: give the folder of a clone")
    quick = _quick_existing(path)
    if quick is not None:
        return quick
    try:
        out = _run(path, ["rev-parse", "--is-bare-repository", "--show-toplevel"])
    except GitCommandError as exc:
        text = _stderr(exc)
        if "dubious ownership" in text:
            raise InputError(
                "checkout",
                f"{path} is owned by another user: git refuses it "
                f"(git config --global --add safe.directory {path})",
            ) from None
        if "work tree" in text:
            raise InputError(
                "checkout",
                f"{path} is a bare repository or a .git folder: give a clone with a working tree",
            ) from None
        raise InputError(
            "checkout", f"{path} is not a git repository: give the folder of a clone"
        ) from None
    lines = out.decode("utf-8", "replace").splitlines()
    if not lines or lines[0] == "true" or len(lines) < 2:
        raise InputError(
            "checkout", f"{path} is a bare repository: give a clone with a working tree"
        )
    top = Path(lines[1])
    asked = path.resolve()
    if top.resolve() != asked and top.resolve() not in asked.parents:
        # core.worktree in the checkout's config points git at another folder.
        raise InputError(
            "checkout",
            f"{path}: its git config sets the working tree to another folder "
            f"({safe_line(str(top), 120)!r}): refused; give a plain clone",
        )
    if not _has_commits(top):
        raise InputError("checkout", f"{path} has no commits yet")
    url = _origin_url(top) or top.as_uri()
    return Checkout(top, _head(top), "local", strip_credentials(url))


def _quick_existing(path: Path) -> Checkout | None:
    """`_use_existing` of a plain clone with commits in two git calls instead of four:
    one `rev-parse` for the kind, working tree, HEAD and whether it is a commit, then the
    origin URL. None when anything is unusual: the caller's checks then say what."""
    try:
        out = _run(
            path, ["rev-parse", "--is-bare-repository", "--show-toplevel", "HEAD", "HEAD^{commit}", "--"]
        )  # fmt: skip
    except GitCommandError:
        return None
    lines = out.decode("utf-8", "replace").splitlines()
    if len(lines) != 5 or lines[0] != "false" or lines[4] != "--":
        return None
    top = Path(lines[1])
    asked = path.resolve()
    if top.resolve() != asked and top.resolve() not in asked.parents:
        return None
    head = lines[2].strip()
    if not head or not all(c in "0123456789abcdef" for c in head):
        return None
    url = _origin_url(top) or top.as_uri()
    return Checkout(top, head, "local", strip_credentials(url))


@cache
def _gitpython() -> SimpleNamespace:
    """What we use of GitPython, imported on first use (clone and fetch only). GitPython
    looks for a git binary when imported and raises ImportError when there is none; keep
    that quiet so a missing git becomes one clear line at first use."""
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")
    from git import Git, GitCommandError, GitCommandNotFound
    from git.cmd import handle_process_output
    from git.util import RemoteProgress, finalize_process

    return SimpleNamespace(
        Git=Git,
        GitCommandError=GitCommandError,
        GitCommandNotFound=GitCommandNotFound,
        handle_process_output=handle_process_output,
        RemoteProgress=RemoteProgress,
        finalize_process=finalize_process,
    )


def _progress_handler(fn: ProgressFn | None) -> Any:
    """A GitPython RemoteProgress that turns git's progress lines into ProgressFn calls
    and keeps error lines for messages."""
    remote_progress = _gitpython().RemoteProgress
    labels = {
        remote_progress.COUNTING: "counting objects",
        remote_progress.COMPRESSING: "compressing objects",
        remote_progress.RECEIVING: "receiving objects",
        remote_progress.RESOLVING: "resolving deltas",
        remote_progress.CHECKING_OUT: "checking out files",
        remote_progress.FINDING_SOURCES: "finding sources",
        remote_progress.WRITING: "writing objects",
    }

    class Progress(remote_progress):  # type: ignore[misc,valid-type]
        def __init__(self) -> None:
            super().__init__()
            self._fn = fn

        def update(
            self, op_code: int, cur_count: Any, max_count: Any = None, message: str = ""
        ) -> None:
            if self._fn is None:
                return
            label = labels.get(op_code & self.OP_MASK, "git")
            try:
                self._fn(label, int(cur_count or 0), int(max_count) if max_count else None)
            except Exception:  # a broken progress display must not stall git's pipe
                self._fn = None

    return Progress()


def _run_with_progress(
    cwd: Path, args: list[str], action: str, url: str, progress: ProgressFn | None
) -> None:
    """Run a clone/fetch, streaming its stderr progress; failures become one-line errors."""
    git = _gitpython()
    handler = _progress_handler(progress)
    try:
        proc = git.Git(str(cwd)).execute(
            [_git_exe(), *args], as_process=True, universal_newlines=True, env=_env(url=url)
        )
        git.handle_process_output(
            proc,
            None,
            handler.new_message_handler(),
            git.finalize_process,
            decode_streams=False,
        )
    except git.GitCommandNotFound:
        raise _git_missing() from None
    except git.GitCommandError as exc:
        failed = GitCommandError(list(map(str, exc.command)), exc.status, exc.stderr)
        lines = [*handler.error_lines, *handler.other_lines, _stderr(failed)]
        raise _classify(failed, action, url, "\n".join(lines)) from None


_PROGRESS_LINE = re.compile(r"(?:remote: )?([A-Za-z][A-Za-z ]*):\s+\d+% \((\d+)/(\d+)\)")


def _fetch_with_progress(cwd: Path, args: list[str], url: str, progress: ProgressFn | None) -> None:
    """Run a fetch as a plain subprocess, its stderr progress lines ("Receiving objects:
    45% (9/20)") turned into ProgressFn calls; failures become one-line errors. Without
    GitPython: every warm `plan` fetches, and GitPython's imports cost more than a
    fetch that finds nothing new."""
    command = [_git_exe(), *args]
    env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C", **_env(url=url)}
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise _git_missing() from None
    kept: list[str] = []
    pending = b""
    assert proc.stderr is not None
    with proc:
        while chunk := os.read(proc.stderr.fileno(), 65536):
            *lines, pending = re.split(rb"[\r\n]", pending + chunk)
            for raw in lines:
                _progress_or_keep(raw.decode("utf-8", "replace"), progress, kept)
        if pending:
            _progress_or_keep(pending.decode("utf-8", "replace"), progress, kept)
    if proc.returncode != 0:
        failed = GitCommandError(command, proc.returncode, "\n".join(kept))
        raise _classify(failed, "fetching", url) from None


def _progress_or_keep(line: str, progress: ProgressFn | None, kept: list[str]) -> None:
    """One line of git's stderr: a progress report (to `progress`) or kept for a message."""
    match = _PROGRESS_LINE.match(line.strip())
    if match is None:
        if line.strip():
            kept.append(line.strip()[:2000])
            del kept[:-50]  # a remote's chatter is bounded: the last lines say what failed
        return
    if progress is not None:
        with suppress(Exception):  # a broken progress display must not stall git's pipe
            progress(match.group(1).strip().lower(), int(match.group(2)), int(match.group(3)))


# --------------------------------------------------------------------------- errors
# What git's stderr says (lower-cased) when the host cannot be reached, when credentials
# are refused, and when there is no repository there (or none the credentials can see).
_UNREACHABLE = (
    "could not resolve host",
    "could not resolve hostname",
    "failed to connect",
    "connection refused",
    "connection timed out",
    "network is unreachable",
    "couldn't connect",
    "timed out",
    "name or service not known",
    "temporary failure in name resolution",
)
_AUTH_REFUSED = (
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "permission denied (publickey",
    "access denied",
    "http 403",
    "returned error: 403",
    "returned error: 401",
)
_NO_REPOSITORY = (
    "repository not found",
    "does not appear to be a git repository",
    "not a git repository",
    "does not exist",
    "returned error: 404",
    "not found",
)


def _classify(exc: GitCommandError, action: str, url: str, text: str | None = None) -> PrreadyError:
    """Map git's stderr to one actionable line of the right PrreadyError subclass."""
    text = text if text is not None else _stderr(exc)
    low = text.lower()
    where = repr(safe_line(strip_credentials(url), 120))
    detail = _detail(text)
    if "no space left" in low or "enospc" in low:
        return PrreadyError(f"disk full while {action} {where}: free some space and run again")
    if any(phrase in low for phrase in _UNREACHABLE):
        return NetworkError(
            f"cannot reach {where} while {action} ({detail}): check the network",
            advice="offline_or_checkout",
        )
    if any(phrase in low for phrase in _AUTH_REFUSED):
        return NetworkError(
            f"authentication refused by {where}: set up git credentials (e.g. `gh auth login`)",
            advice="checkout",
        )
    if "couldn't find remote ref" in low:
        return UsageError(f"the branch followed at {where} no longer exists ({detail})")
    if "checkout failed" in low or "unable to checkout working tree" in low:
        return PrreadyError(f"cloned {where} but git refused to check out its files ({detail})")
    if any(phrase in low for phrase in _NO_REPOSITORY):
        return UsageError(
            f"no git repository at {where} (or it is private and your credentials lack access): "
            "check OWNER/REPO",
            advice="git_url",
        )
    if "transport" in low and "not allowed" in low:
        return UsageError(f"git refused the transport of {where}: use https://, ssh:// or file://")
    return PrreadyError(f"git failed while {action} {where}: {detail}")


def _detail(text: str) -> str:
    """The most telling line of git's stderr, printable, bounded, without credentials."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    best = next(
        (ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else ""
    )
    best = _CREDENTIALS.sub("", best.removeprefix("fatal: ").removeprefix("error: "))
    return safe_line(best, 200) or "no message from git"


def _git_missing() -> PrreadyError:
    return PrreadyError("git is not installed or not on PATH: install git 2.30 or newer")


def _stderr(exc: GitCommandError) -> str:
    err = exc.stderr
    if isinstance(err, bytes):
        err = err.decode("utf-8", "replace")
    return _CREDENTIALS.sub("", str(err or ""))


# --------------------------------------------------------------------------- helpers
def _run(
    cwd: Path,
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    istream: IO[bytes] | None = None,
    url: str = "",
) -> bytes:
    """Run one git command with the safe options and return stdout as bytes.

    `url` is the remote a command may contact (a lazy blob fetch): it picks the allowed
    transports and supplies its credentials.
    """
    command = [_git_exe(), *_config_args(url), *args]
    full_env = {**_env(url=url, overrides=_neutralised_config(cwd)), **(env or {})}
    try:
        if stdin is not None:
            with tempfile.TemporaryFile() as fh:
                fh.write(stdin)
                fh.seek(0)
                return _execute(cwd, command, full_env, fh)
        return _execute(cwd, command, full_env, istream)
    except FileNotFoundError:
        raise _git_missing() from None


def _execute(cwd: Path, command: list[str], env: dict[str, str], istream: Any) -> bytes:
    """stdout of `command`; GitCommandError with its stderr when it exits non-zero. As
    GitPython ran it: messages in English, stdin from `istream` or nothing, and the
    current folder when `cwd` is gone (callers check their paths)."""
    full_env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C", **env}
    done = subprocess.run(
        command,
        cwd=cwd if os.path.isdir(cwd) else None,
        env=full_env,
        stdin=istream if istream is not None else subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise GitCommandError(command, done.returncode, done.stderr)
    return done.stdout


def _env(url: str = "", overrides: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """Environment for git: never prompt, messages in English (we match on them).

    Config pairs go in the environment (GIT_CONFIG_COUNT/KEY/VALUE): any key, even one
    with `=` or spaces in its subsection, reaches git intact, and they override the
    repository's own config. user:password in an http(s) URL becomes an Authorization
    header passed the same way, never on the command line or in a config file.
    """
    env = {"GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "LC_ALL": "C", "LANGUAGE": ""}
    pairs = list(overrides)
    parts = urlsplit(url) if "://" in url else None
    if parts and parts.scheme in ("https", "http") and parts.username:
        user = unquote(parts.username)
        secret = unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
        pairs.append(("http.extraHeader", f"Authorization: Basic {token}"))
    if pairs:
        env["GIT_CONFIG_COUNT"] = str(len(pairs))
        for i, (key, value) in enumerate(pairs):
            env[f"GIT_CONFIG_KEY_{i}"] = key
            env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env


# Config keys that make git run a program (or load one), matched on git's canonical
# spelling (section and variable lower-cased, subsection as written). Filters and diff
# drivers are neutralised from every scope: a hostile `.gitattributes` can name a
# driver the user configured globally. The rest only when the repository sets them.
_DRIVER_KEYS = re.compile(
    r"^(?:filter\..+\.(?:clean|smudge|process)|diff\..+\.(?:command|textconv))$"
)
_COMMAND_KEYS = re.compile(
    r"^(?:"
    r"filter\..+\.(?:clean|smudge|process)"
    r"|diff\..+\.(?:command|textconv)|diff\.external|diff\.tool|merge\.tool"
    r"|merge\..+\.driver|(?:merge|diff)tool\..+\.(?:cmd|path)"
    r"|credential(?:\..+)?\.helper"
    r"|gpg(?:\..+)?\.program"
    r"|core\.(?:sshcommand|askpass|editor|pager|gitproxy|fsmonitor|hookspath"
    r"|alternaterefscommand)"
    r"|sequence\.editor|pager\..+|alias\..+"
    r"|uploadpack\.packobjectshook|uploadpack\.hook"
    r"|remote\..+\.(?:uploadpack|receivepack|vcs|proxy)"
    r"|trailer\..+\.(?:command|cmd)"
    r"|(?:web|instaweb|man\..+|browser\..+)\.(?:browser|cmd|path|httpd)"
    r"|sendemail\..+"
    r")$"
)
# Keys whose safe value is not "": a required filter with no command would fail the run;
# showSignature would start gpg.program.
_SAFE_VALUES = {"log.showsignature": "false", "tag.gpgsign": "false", "commit.gpgsign": "false"}
_REPO_SCOPES = ("local", "worktree")
_ALLOWED_PROTOCOLS = ("https", "ssh", "file")


def neutralising_overrides(config_listing: bytes) -> tuple[tuple[str, str], ...]:
    """The config pairs that disarm every command-bearing key in `git config --list
    --show-scope -z` output: empty commands, required filters off, extra protocols never.

    Included files (`include.path`, `includeIf`) appear in the listing under the scope of
    the file that includes them, so they are covered too.
    """
    pairs: dict[str, str] = {}
    items = config_listing.split(b"\0")
    for scope_raw, entry in zip(items[0::2], items[1::2], strict=False):
        scope = scope_raw.decode("utf-8", "replace")
        key = entry.partition(b"\n")[0].decode("utf-8", "surrogateescape")
        if not key:
            continue
        low = _canonical(key)
        in_repo = scope in _REPO_SCOPES
        if _DRIVER_KEYS.match(low) or (in_repo and _COMMAND_KEYS.match(low)):
            pairs[key] = ""
            if low.startswith("filter."):
                pairs[key.rsplit(".", 1)[0] + ".required"] = "false"
        elif low.startswith("filter.") and low.endswith(".required"):
            pairs[key] = "false"
        elif in_repo and low in _SAFE_VALUES:
            pairs[key] = _SAFE_VALUES[low]
        elif in_repo and low.startswith("protocol.") and low.endswith(".allow"):
            name = low[len("protocol.") : -len(".allow")]
            if name not in _ALLOWED_PROTOCOLS:
                pairs[key] = "never"
    return tuple(sorted(pairs.items()))


def _canonical(key: str) -> str:
    """git's key spelling for matching: section and variable lower-cased, subsection kept."""
    section, _, rest = key.partition(".")
    if "." not in rest:
        return f"{section.lower()}.{rest.lower()}"
    middle, _, variable = rest.rpartition(".")
    return f"{section.lower()}.{middle}.{variable.lower()}"


def _neutralised_config(cwd: Path) -> tuple[tuple[str, str], ...]:
    """Overrides for the repository at `cwd` (none outside a repository).

    Listing config runs nothing: `git config` never starts filters, helpers or hooks.
    """
    git_path = Path(cwd) / ".git"
    try:
        stamps = [git_path.stat().st_mtime_ns]
        config = git_path / "config"
        if config.is_file():
            info = config.stat()
            stamps += [info.st_mtime_ns, info.st_size]
    except OSError:
        return ()  # not a repository root: clone targets, `git init` folders
    return _neutralised_cached(str(cwd), tuple(stamps))


@lru_cache(maxsize=64)
def _neutralised_cached(cwd: str, _stamp: object) -> tuple[tuple[str, str], ...]:
    command = [_git_exe(), "config", "--list", "--show-scope", "-z"]
    try:
        listing = _execute(Path(cwd), command, _env(), None)
    except GitCommandError:
        return ()
    return neutralising_overrides(listing)


def _private_dirs(repos_dir: Path, owner_dir: Path) -> None:
    """Create the cache folders readable by the user only (0700), missing parents too."""
    missing = [p for p in (owner_dir, *owner_dir.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    for folder in (repos_dir, owner_dir):
        with suppress(OSError):
            folder.chmod(0o700)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock so two prready runs never clone or update one cache at once."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with suppress(OSError):
        os.fchmod(fd, 0o600)  # a lock file left 0644 by an older prready
    with os.fdopen(fd, "a+b") as fh:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _pid_alive(text: str) -> bool:
    """Whether the process that left a partial clone may still be writing it."""
    if not text.isdigit():
        return False
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return int(text) != 0


def _config_args(url: str) -> list[str]:
    args: list[str] = []
    for item in SAFE_CONFIG:
        args += ["-c", item]
    if url.lower().startswith("http://"):
        args += ["-c", "protocol.http.allow=always"]  # safe_clone_url allowed loopback only
    return args


def _git_exe() -> str:
    """The git GitPython would run: $GIT_PYTHON_GIT_EXECUTABLE, else `git` on PATH."""
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def _is_work_tree(path: Path) -> bool:
    if not (path / ".git").exists():
        return False
    try:
        return _run(path, ["rev-parse", "--is-inside-work-tree"]).strip() == b"true"
    except GitCommandError:
        return False


def _has_commits(root: Path, rev: str = "HEAD") -> bool:
    try:
        _run(root, ["rev-parse", "--verify", "-q", f"{rev}^{{commit}}"])
        return True
    except GitCommandError:
        return False


def _state_on_disk(
    root: Path, entries: dict[bytes, tuple[str, str]], dirty: bytes
) -> dict[bytes, tuple[str, str] | None]:
    """Path -> (blob id, kind) on disk, or None when absent, for the `dirty` paths whose
    content or kind differs from the index.

    Hashed here, as git hashes a blob without filters: any path (a newline in a name broke
    `hash-object --stdin-paths`), no filter of the checkout's config ever consulted. Only
    regular files are read: a FIFO or device where a file was tracked is never opened.
    A file whose stat data alone changed (touched, same bytes) is not a change."""
    changed = [p for p in dirty.split(b"\0") if p in entries]
    if not changed:
        return {}
    algorithm = hashlib.sha256 if _object_format(root) == "sha256" else hashlib.sha1
    prefix = os.fsencode(root) + b"/"
    out: dict[bytes, tuple[str, str] | None] = {}
    for raw_path in changed:
        mode, blob = entries[raw_path]
        kind = _KINDS.get(mode, "file")
        if kind != "file":
            continue  # a symlink or submodule keeps its index entry (never followed)
        try:
            info = os.lstat(prefix + raw_path)
        except OSError:
            out[raw_path] = None
            continue
        if not stat.S_ISREG(info.st_mode):
            out[raw_path] = (blob, "special")
            continue
        new_id = _hash_blob(prefix + raw_path, algorithm)
        if new_id is not None and new_id != blob:
            out[raw_path] = (new_id, "file")
    return out


def _hash_blob(path: bytes, algorithm: Any) -> str | None:
    """git's blob id of a regular file (`blob <size>\\0` + content), None for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        digest = algorithm(b"blob %d\0" % info.st_size)
        remaining = info.st_size
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                return None  # shrank while read: keep the index id
            digest.update(chunk)
            remaining -= len(chunk)
        return str(digest.hexdigest())
    except OSError:
        return None
    finally:
        os.close(fd)


def _object_format(root: Path) -> str:
    """ "sha1" or "sha256" (`extensions.objectformat`)."""
    try:
        value = _run(root, ["config", "--get", "extensions.objectformat"])
    except GitCommandError:
        return "sha1"
    return value.decode("ascii", "replace").strip().lower() or "sha1"


def _head(root: Path) -> str:
    return _run(root, ["rev-parse", "HEAD"]).decode("ascii").strip()


def _origin_url(root: Path) -> str:
    try:
        return (
            _run(root, ["config", "--get", "remote.origin.url"]).decode("utf-8", "replace").strip()
        )
    except GitCommandError:
        return ""


def _remote_head(root: Path) -> str:
    """The commit the remote's default branch points to after a fetch ("" if none)."""
    for ref in ("refs/remotes/origin/HEAD", "@{upstream}"):
        try:
            return _run(root, ["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"]).decode().strip()
        except GitCommandError:
            continue
    return ""


def _iso_date(text: str) -> str:
    """A full ISO timestamp for git (a bare date means midnight UTC, not git's "now" time)."""
    try:
        when = clock.parse_iso(text)
    except ValueError:
        raise UsageError(
            f"since {safe_line(text, 120)!r} is not an ISO date like 2025-11-21"
        ) from None
    return when.isoformat()


# --------------------------------------------------------------------------- fast-import
def _write_fast_import(out: IO[bytes], commits: list[HistoryCommit], branch: str) -> None:
    """Serialise commits as a fast-import stream, checking every path as we go."""
    present: set[str] = set()
    for number, commit in enumerate(commits, start=1):
        ident = f"{_ident(commit.author_name, 'name')} <{_ident(commit.author_email, 'email')}>"
        when = _raw_date(commit.date)
        message = commit.message.encode("utf-8")
        out.write(f"commit refs/heads/{branch}\nmark :{number}\n".encode())
        out.write(f"author {ident} {when}\ncommitter {ident} {when}\n".encode())
        out.write(b"data %d\n%s\n" % (len(message), message))
        for old, new in commit.renames.items():
            moved = _under(present, _checked(old))
            if not moved:
                raise ValueError(f"commit {number}: cannot rename {old!r}: no such path")
            new = _checked(new)
            for path in moved:
                present.discard(path)
                present.add(new + path[len(old) :])
            out.write(b"R %s %s\n" % (_quote(old), _quote(new)))
        for path in commit.deletes:
            gone = _under(present, _checked(path))
            if not gone:
                raise ValueError(f"commit {number}: cannot delete {path!r}: no such path")
            present.difference_update(gone)
            out.write(b"D %s\n" % _quote(path))
        for path, content in commit.writes.items():
            present.add(_checked(path))
            data = content.encode("utf-8")
            out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (_quote(path), len(data), data))
        out.write(b"\n")
    out.write(b"done\n")


def _under(present: set[str], path: str) -> list[str]:
    """The tracked files at `path` or below it (a file or a whole folder)."""
    return sorted(p for p in present if p == path or p.startswith(path + "/"))


def _checked(path: str) -> str:
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or any(part in ("", ".", "..") or part.lower() == ".git" for part in parts)
        or any(ch in path for ch in "\0\n\\")
    ):
        raise ValueError(f"unsafe or malformed path {path!r}")
    return path


def _quote(path: str) -> bytes:
    escaped = path.replace("\\", "\\\\").replace('"', '\\"')
    return b'"%s"' % escaped.encode("utf-8")


def _ident(value: str, what: str) -> str:
    if not value or any(ch in value for ch in "<>\n\0"):
        raise ValueError(f"invalid author {what} {value!r}")
    return value


def _raw_date(text: str) -> str:
    """ISO 8601 to fast-import's raw `<unix seconds> <+hhmm>`; naive times are UTC."""
    try:
        when = clock.parse_iso(text)
    except ValueError:
        raise ValueError(f"invalid commit date {text!r}: use ISO 8601") from None
    offset = when.utcoffset() or (when - when)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
