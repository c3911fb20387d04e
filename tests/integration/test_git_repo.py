"""prready.sources.git_repo against real repositories built in tmp_path (no network)."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitfixtures import (
    ALICE,
    BOB,
    CHEN,
    DANA,
    HISTORY,
    bytes_of,
    commit_files,
    git,
    make_bare_remote,
    make_history_repo,
    missing_objects,
    push_to,
    serve_git_http,
)
from prready.code_models import HistoryCommit
from prready.errors import InputError, NetworkError, OfflineError, PrreadyError, UsageError
from prready.render.advice import error_text
from prready.sources import git_repo
from prready.sources.git_repo import (
    NO_FIX,
    acquire,
    build_repo,
    cache_path,
    clone_command,
    default_url,
    is_partial_clone,
    list_files,
    read_history,
    read_line_counts,
    read_listing,
    safe_clone_url,
    strip_credentials,
)

SLUG = "acme/minitorch"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


def _entries(folder: Path) -> list[str]:
    """What a folder of the cache holds, ignoring the lock files of acquire()."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


@pytest.fixture
def upstream(tmp_path: Path) -> tuple[Path, str]:
    """A work repository with HISTORY and a bare remote of it that serves partial clones."""
    work = make_history_repo(tmp_path / "src")
    return work, make_bare_remote(work, tmp_path / "remote.git")


# --------------------------------------------------------------------------- build_repo
def test_build_repo_is_deterministic_and_ignores_user_identity(tmp_path: Path) -> None:
    first = build_repo(tmp_path / "a", HISTORY)
    second = build_repo(tmp_path / "b", HISTORY)
    assert first == second and len(first) == 40
    committers = git("log", "--format=%cn <%ce>|%an|%ad", "--date=iso-strict", cwd=tmp_path / "a")
    assert "Test" not in committers  # conftest's global identity is never used
    assert (
        committers.splitlines()[-1]
        == "Alice Martin <alice@example.com>|Alice Martin|2025-01-10T09:00:00+00:00"
    )
    assert "2025-03-02T14:30:00+02:00" in committers  # the offset is kept
    assert git("status", "--porcelain", cwd=tmp_path / "a") == ""


def test_build_repo_applies_renames_deletes_and_writes(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    tracked = sorted(git("ls-files", "-z", cwd=repo).strip("\0").split("\0"))
    assert "minitorch/data.py" not in tracked and "minitorch/legacy.py" not in tracked
    assert "minitorch/utils/data.py" in tracked and "docs/user guide/intro.md" in tracked
    assert (
        (repo / "minitorch/utils/data.py").read_text().startswith("class Dataset:\n    def __len__")
    )
    assert len(tracked) == 15
    assert git("rev-list", "--count", "HEAD", cwd=repo).strip() == str(len(HISTORY))


def test_build_repo_renames_a_folder_and_allows_empty_history(tmp_path: Path) -> None:
    commits = [
        HistoryCommit(
            *ALICE, "2025-01-01T00:00:00Z", "a", writes={"pkg/a.py": "1", "pkg/sub/b.py": "2"}
        ),
        HistoryCommit(*BOB, "2025-01-02", "b", renames={"pkg": "lib"}, writes={"lib/a.py": "3"}),
    ]
    build_repo(tmp_path / "r", commits, branch="trunk")
    assert git("ls-files", cwd=tmp_path / "r").split() == ["lib/a.py", "lib/sub/b.py"]
    assert (tmp_path / "r/lib/a.py").read_text() == "3"
    assert git("branch", "--show-current", cwd=tmp_path / "r").strip() == "trunk"
    assert build_repo(tmp_path / "empty", []) == ""


@pytest.mark.parametrize(
    "commit, message",
    [
        (HistoryCommit(*ALICE, "2025-01-01", "x", writes={".git/config": "evil"}), "unsafe"),
        (HistoryCommit(*ALICE, "2025-01-01", "x", writes={"../out.py": "x"}), "unsafe"),
        (HistoryCommit(*ALICE, "2025-01-01", "x", writes={"/abs.py": "x"}), "unsafe"),
        (HistoryCommit(*ALICE, "2025-01-01", "x", renames={"nope.py": "b.py"}), "cannot rename"),
        (HistoryCommit(*ALICE, "2025-01-01", "x", deletes=["nope.py"]), "cannot delete"),
        (HistoryCommit("Eve <x>", "e@x", "2025-01-01", "x"), "invalid author"),
        (HistoryCommit(*ALICE, "yesterday", "x"), "invalid commit date"),
    ],
)
def test_build_repo_rejects_bad_commits(
    tmp_path: Path, commit: HistoryCommit, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build_repo(tmp_path / "r", [commit])


def test_build_repo_refuses_a_non_empty_destination(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r/keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        build_repo(tmp_path / "r", HISTORY)
    assert (tmp_path / "r/keep.txt").read_text() == "mine"


# --------------------------------------------------------------------------- read_history
def test_read_history_exact_records(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    records = read_history(repo)
    assert [(r.author_name, r.author_email, r.date) for r in records] == [
        (*DANA, "2026-10-01T06:30:00Z"),
        (*CHEN, "2026-05-30T23:59:59Z"),
        (*BOB, "2026-02-14T12:00:00Z"),
        (*DANA, "2025-12-01T10:00:00Z"),
        (*ALICE, "2025-09-05T17:45:00Z"),
        (*CHEN, "2025-06-20T08:15:00Z"),
        (*BOB, "2025-03-02T12:30:00Z"),  # +02:00 converted to UTC
        (*ALICE, "2025-01-10T09:00:00Z"),
    ]
    by_message = {r.message.splitlines()[0]: r for r in records}
    # The rename shows as delete + add (--no-renames).
    assert by_message["Move data utilities under utils"].files == [
        "minitorch/data.py",
        "minitorch/utils/__init__.py",
        "minitorch/utils/data.py",
    ]
    assert by_message["Remove legacy API"].files == [
        "docs/user guide/intro.md",
        "docs/übersicht.md",
        "minitorch/legacy.py",
    ]
    assert by_message["Fix dataset length"].message == "Fix dataset length\n\nFixes #42."
    assert records[0].sha == git("rev-parse", "HEAD", cwd=repo).strip()
    assert all(len(r.sha) == 40 for r in records)


def test_read_history_filters(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    assert [r.date[:10] for r in read_history(repo, since="2026-01-01")] == [
        "2026-10-01",
        "2026-05-30",
        "2026-02-14",
    ]
    assert {r.author_name for r in read_history(repo, author="dána")} == {DANA[0]}
    assert len(read_history(repo, author="BOB@EXAMPLE.ORG")) == 2
    assert read_history(repo, author="a.c(") == []  # a fixed string, not a regex error
    with pytest.raises(ValueError, match="not a revision"):
        read_history(repo, rev="--output=/tmp/x")  # never read as an option
    older = read_history(repo)[1].sha
    assert [r.sha for r in read_history(repo, rev=older)] == [r.sha for r in read_history(repo)[1:]]
    with pytest.raises(UsageError, match="not an ISO date"):
        read_history(repo, since="last tuesday")


def test_read_history_reads_a_merges_files_against_its_first_parent(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    who = {
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
    }

    def commit(path: str, text: str, message: str) -> None:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
        git("add", path, cwd=repo, env=who)
        git("commit", "-q", "-m", message, cwd=repo, env=who)

    git("init", "-q", "-b", "main", str(repo))
    commit("pkg/a.py", "a = 1\n", "Start")
    git("checkout", "-q", "-b", "feature", cwd=repo)
    commit("pkg/b.py", "b = 1\n", "Add b")
    commit("pkg/c.py", "c = 1\n", "Add c")
    git("checkout", "-q", "main", cwd=repo)
    commit("pkg/a.py", "a = 2\n", "Change a")
    message = "Merge pull request #7 from ada/feature\n\nAdd b and c"
    git("merge", "-q", "--no-ff", "feature", "-m", message, cwd=repo, env=who)
    plain, merges = read_history(repo), read_history(repo, merges=True)
    top = plain[0]
    assert (top.message.splitlines()[0], top.merge, top.files) == (message[:38], True, [])
    assert merges[0].merge and merges[0].files == ["pkg/b.py", "pkg/c.py"]
    # Every other commit reads the same either way.
    assert [(r.sha, r.files, r.merge) for r in merges[1:]] == [
        (r.sha, r.files, r.merge) for r in plain[1:]
    ]
    assert not any(r.merge for r in plain[1:])


def test_read_history_survives_hostile_messages_and_empty_repos(tmp_path: Path) -> None:
    evil = "subject \x1e\x1f with separators\n\nbody \x00 nul? \x1f%H"
    commits = [
        HistoryCommit(*ALICE, "2025-01-01T00:00:00Z", "ok", writes={"a.py": "1"}),
        HistoryCommit(
            *BOB, "2025-01-02T00:00:00Z", evil.replace("\x00", ""), writes={"b c.py": "2"}
        ),
    ]
    build_repo(tmp_path / "r", commits)
    records = read_history(tmp_path / "r")
    assert [r.files for r in records] == [["b c.py"], ["a.py"]]
    assert records[0].message.startswith("subject \x1e\x1f with separators")
    (tmp_path / "empty").mkdir()
    git("init", "-q", cwd=tmp_path / "empty")
    assert read_history(tmp_path / "empty") == []


def test_read_history_on_blobless_clone_fetches_no_blobs(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    _work, url = upstream
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    before = missing_objects(checkout.path)
    assert before > 0  # the clone really is partial: old blob versions are absent
    shutil.move(str(tmp_path / "remote.git"), str(tmp_path / "gone.git"))  # a lazy fetch would fail
    records = read_history(checkout.path)
    assert len(records) == len(HISTORY)
    assert missing_objects(checkout.path) == before


def test_line_counts_in_one_pass_and_none_from_a_blobless_clone(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    commits = [
        HistoryCommit(*ALICE, "2025-01-01T00:00:00Z", "one", writes={"a.py": "1\n2\n3\n"}),
        HistoryCommit(*BOB, "2025-01-02T00:00:00Z", "two", writes={"a.py": "1\nx\n3\n4\n"}),
    ]
    commits.append(
        HistoryCommit(*ALICE, "2025-01-03T00:00:00Z", "three", writes={"b.py": "b\n"})
    )
    head = build_repo(tmp_path / "r", commits)
    counts = read_line_counts(tmp_path / "r")
    second = git("rev-parse", "HEAD~1", cwd=tmp_path / "r").strip()
    first = git("rev-parse", "HEAD~2", cwd=tmp_path / "r").strip()
    # The first commit (no parent) imports the tree: no fix, not diffed, marked as such.
    assert counts == {head: 1, second: 3, first: NO_FIX}  # one line changed (1 + 1), one added
    assert not is_partial_clone(tmp_path / "r")
    assert read_line_counts(tmp_path / "r", limit=1) == {head: 1}
    # Named commits only, in one pass.
    assert read_line_counts(tmp_path / "r", commits=[second]) == {second: 3}
    assert read_line_counts(tmp_path / "r", commits=[first]) == {first: NO_FIX}
    assert read_line_counts(tmp_path / "r", commits=[head, second, first]) == counts
    assert read_line_counts(tmp_path / "r", commits=[]) == {}
    assert read_line_counts(tmp_path / "r", commits=["--all", "HEAD"]) == {}  # ids only
    # A past blob gone (a snapshot without its large files): no counts, no error.
    loose = tmp_path / "loose"
    git("init", "-q", str(loose), cwd=tmp_path)
    for n, text in enumerate(("1\n", "2\n")):
        (loose / "a.py").write_text(text)
        git("add", "a.py", cwd=loose)
        git("-c", "user.name=A", "-c", "user.email=a@b", "commit", "-qm", f"c{n}", cwd=loose)
    blob = git("rev-parse", "HEAD~1:a.py", cwd=loose).strip()
    (loose / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    assert read_line_counts(loose) == {}
    _work, url = upstream
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    before = missing_objects(checkout.path)
    assert is_partial_clone(checkout.path)
    assert read_line_counts(checkout.path) == {}
    assert missing_objects(checkout.path) == before  # nothing fetched


# --------------------------------------------------------------------------- list_files
def test_list_files_blob_ids_sizes_and_kinds(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    os.symlink("/etc/passwd", repo / "escape.txt")
    sub = git("rev-parse", "HEAD", cwd=repo).strip()
    git("update-index", "--add", "--cacheinfo", f"160000,{sub},vendor/sub", cwd=repo)
    (repo / "vendor/sub").mkdir(parents=True)  # an uninitialised submodule: an empty folder
    git("add", "escape.txt", cwd=repo)
    commit_files(repo, {}, "symlink and submodule")
    files = {f.path: f for f in list_files(repo)}
    assert files["escape.txt"].kind == "symlink" and files["escape.txt"].size == len("/etc/passwd")
    assert files["vendor/sub"].kind == "submodule" and files["vendor/sub"].blob == sub
    readme = files["README.md"]
    assert readme.kind == "file"
    assert readme.blob == git("rev-parse", "HEAD:README.md", cwd=repo).strip()
    assert readme.size == (repo / "README.md").stat().st_size
    assert files["docs/übersicht.md"].kind == "file"
    assert len(files) == 17


def test_list_files_rehashes_modified_and_skips_absent_files(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    (repo / "csrc/ops.cpp").write_text("int changed;\n")
    (repo / "README.md").unlink()
    files = {f.path: f for f in list_files(repo)}
    expected = git("hash-object", "csrc/ops.cpp", cwd=repo).strip()
    assert files["csrc/ops.cpp"].blob == expected and files["csrc/ops.cpp"].size == 13
    assert "README.md" not in files
    assert sorted(git("status", "--porcelain", cwd=repo).splitlines()) == [
        " D README.md",
        " M csrc/ops.cpp",
    ]


def test_listing_digest_follows_content_not_stat_data(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    clean = read_listing(repo).digest()
    # Touched, same bytes: git's stat data is stale (diff-files lists it), the digest is not.
    text = (repo / "README.md").read_bytes()
    (repo / "README.md").write_bytes(text)
    os.utime(repo / "README.md", (1, 1))
    assert b"README.md" in git("diff-files", "--name-only", cwd=repo).encode()
    assert read_listing(repo).digest() == clean
    # New bytes, then back to the old ones: a new digest, then the first again.
    (repo / "README.md").write_bytes(text + b"more\n")
    edited = read_listing(repo)
    assert edited.digest() != clean
    assert {f.path: f.blob for f in edited.files()}["README.md"] == git(
        "hash-object", "README.md", cwd=repo
    ).strip()
    (repo / "README.md").write_bytes(text)
    assert read_listing(repo).digest() == clean


def test_listing_digest_sees_deleted_special_and_sparse_files(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    clean = read_listing(repo).digest()
    (repo / "README.md").unlink()
    deleted = read_listing(repo)
    assert deleted.digest() != clean and "README.md" not in {f.path for f in deleted.files()}
    os.mkfifo(repo / "README.md")  # a FIFO where a file was tracked: never opened
    fifo = read_listing(repo)
    assert fifo.digest() not in (clean, deleted.digest())
    assert {f.path: f.kind for f in fifo.files()}["README.md"] == "special"
    (repo / "README.md").unlink()
    git("checkout", "--", "README.md", cwd=repo)
    assert read_listing(repo).digest() == clean
    # Marked skip-worktree (a sparse checkout) with the bytes unchanged: a new digest.
    git("update-index", "--skip-worktree", "README.md", cwd=repo)
    assert read_listing(repo).digest() != clean


def test_list_files_flags_names_that_are_not_utf8(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    raw = os.path.join(os.fsencode(repo), b"caf\xe9.py")
    with open(raw, "wb") as fh:
        fh.write(b"x = 1\n")
    git("add", "-A", cwd=repo)
    odd = [f for f in list_files(repo) if f.kind == "badname"]
    assert len(odd) == 1 and odd[0].path == "caf\ufffd.py" and odd[0].size == 6


# --------------------------------------------------------------------------- acquire: clone/update
def test_acquire_clones_blobless_with_progress(tmp_path: Path, upstream: tuple[Path, str]) -> None:
    work, url = upstream
    seen: list[tuple[str, int, int | None]] = []
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url, progress=lambda *a: seen.append(a))
    assert checkout.path == (tmp_path / "repos/acme/minitorch").resolve()
    assert checkout.origin == "cloned" and checkout.url == url
    assert checkout.head == git("rev-parse", "HEAD", cwd=work).strip()
    assert (
        git("config", "remote.origin.partialclonefilter", cwd=checkout.path).strip() == "blob:none"
    )
    assert missing_objects(checkout.path) > 0
    assert (checkout.path / "minitorch/utils/data.py").is_file()
    assert {label for label, _, _ in seen} >= {"receiving objects"}
    assert _entries(tmp_path / "repos/acme") == ["minitorch"]


def test_acquire_fetches_and_fast_forwards_then_resets_a_diverged_cache(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    work, url = upstream
    repos = tmp_path / "repos"
    first = acquire(SLUG, repos, git_url=url)
    new_head = commit_files(work, {"minitorch/optim.py": "class SGD:\n    pass\n"}, "Add SGD")
    push_to(work, url)
    second = acquire(SLUG, repos, git_url=url)
    assert second.origin == "updated" and second.head == new_head != first.head
    assert (second.path / "minitorch/optim.py").read_text() == "class SGD:\n    pass\n"
    assert git("rev-list", "--count", "HEAD", cwd=second.path).strip() == str(len(HISTORY) + 1)
    # A local commit in the cache plus rewritten upstream history: the cache follows upstream.
    commit_files(second.path, {"local.txt": "mine"}, "local change")
    git("reset", "-q", "--hard", "HEAD~2", cwd=work)
    rewritten = commit_files(work, {"minitorch/other.py": "x = 1\n"}, "Rewrite")
    push_to(work, url, force=True)
    third = acquire(SLUG, repos, git_url=url)
    assert third.head == rewritten and not (third.path / "local.txt").exists()
    assert not (third.path / "minitorch/optim.py").exists()


def test_acquire_switches_the_cache_to_a_new_git_url(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    work, url = upstream
    acquire(SLUG, tmp_path / "repos", git_url=url)
    mirror = make_bare_remote(work, tmp_path / "mirror.git")
    checkout = acquire(SLUG, tmp_path / "repos", git_url=mirror)
    assert checkout.url == mirror
    assert git("config", "remote.origin.url", cwd=checkout.path).strip() == mirror


def test_acquire_without_git_url_keeps_fetching_from_where_the_cache_came_from(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    """After `plan --git-url MIRROR`, `issues`/`backtest` without the flag must not switch
    the cache to github.com (which may be unreachable): they fetch from the mirror."""
    work, url = upstream
    first = acquire(SLUG, tmp_path / "repos", git_url=url)
    commit_files(work, {"minitorch/new.py": "x = 1\n"}, "later upstream work")
    push_to(work, url)
    again = acquire(SLUG, tmp_path / "repos")
    assert again.origin == "updated" and again.url == url
    assert again.head != first.head and (again.path / "minitorch/new.py").exists()
    assert git("config", "remote.origin.url", cwd=again.path).strip() == url


def test_acquire_replaces_a_damaged_cache_and_stale_partial_dirs(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    _work, url = upstream
    owner_dir = tmp_path / "repos/acme"
    (owner_dir / "minitorch").mkdir(parents=True)
    (owner_dir / "minitorch/junk").write_text("not a repo")
    (owner_dir / ".minitorch.partial-999999999-dead").mkdir()  # its process is gone
    (owner_dir / ".minitorch.partial-1-busy").mkdir()  # pid 1 lives: maybe another run
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    assert checkout.origin == "cloned" and not (checkout.path / "junk").exists()
    assert _entries(owner_dir) == [".minitorch.partial-1-busy", "minitorch"]


def test_acquire_accepts_a_plain_local_path_as_git_url(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    checkout = acquire(SLUG, tmp_path / "repos", git_url=str(tmp_path / "remote.git"))
    assert checkout.url == (tmp_path / "remote.git").resolve().as_uri()
    assert missing_objects(checkout.path) > 0  # as file://, so still blobless


# --------------------------------------------------------------------------- acquire: --checkout
def test_checkout_is_used_without_any_change(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    (repo / "csrc/ops.cpp").write_text("dirty\n")
    watched = [repo / ".git/config", repo / ".git/HEAD", repo / ".git/index"]
    before = bytes_of(*watched)
    listing = sorted(p.name for p in (repo / ".git").iterdir())
    checkout = acquire(SLUG, tmp_path / "repos", checkout=repo / "minitorch")  # a subfolder
    list_files(checkout.path)
    read_history(checkout.path)
    assert checkout.path == repo.resolve() and checkout.origin == "local"
    assert checkout.head == git("rev-parse", "HEAD", cwd=repo).strip()
    assert checkout.url == repo.resolve().as_uri()  # no origin remote: the folder itself
    assert bytes_of(*watched) == before
    assert sorted(p.name for p in (repo / ".git").iterdir()) == listing
    assert not (tmp_path / "repos").exists()


def test_checkout_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "file.txt").write_text("x")
    git("init", "-q", "--bare", str(tmp_path / "bare.git"))
    git("init", "-q", str(tmp_path / "empty"))
    cases = {
        tmp_path / "missing": "no such directory",
        tmp_path / "file.txt": "is not a directory",
        tmp_path / "plain": "is not a git repository",
        tmp_path / "bare.git": "bare repository",
        tmp_path / "empty": "has no commits",
    }
    for path, message in cases.items():
        with pytest.raises(InputError, match=message) as info:
            acquire(SLUG, tmp_path / "repos", checkout=path)
        assert "\n" not in str(info.value)
        # The library names the input, not the flag: the CLI words it as --checkout.
        assert info.value.input == "checkout" and "--checkout" not in str(info.value)
        assert error_text(info.value).startswith(f"--checkout {path}")


# --------------------------------------------------------------------------- acquire: offline
def test_offline_without_cache_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(OfflineError, match="offline and no cached clone") as info:
        acquire(SLUG, tmp_path / "repos", offline=True)
    assert "--" not in str(info.value)  # what to do means options: the CLI's to word
    assert error_text(info.value).endswith(
        ": give --checkout PATH to an existing clone, or run once without --offline"
    )


def test_offline_uses_the_cache_without_fetching(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    work, url = upstream
    first = acquire(SLUG, tmp_path / "repos", git_url=url)
    commit_files(work, {"new.py": ""}, "upstream moves on")
    push_to(work, url)
    again = acquire(SLUG, tmp_path / "repos", git_url=url, offline=True)
    assert again.origin == "local" and again.head == first.head and again.url == url


# --------------------------------------------------------------------------- safety
@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% {marker}",
        "git://example.com/o/r.git",
        "http://example.com/o/r.git",
        "fd::17",
        "--upload-pack=touch {marker}",
        "ftp://example.com/r.git",
        "ssh://-oProxyCommand=touch%20{marker}/r.git",
        "https:///no-host.git",
        "   ",
    ],
)
def test_unsafe_urls_are_refused_up_front(tmp_path: Path, url: str) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UsageError) as info:
        acquire(SLUG, tmp_path / "repos", git_url=url.format(marker=marker))
    assert "\n" not in str(info.value)
    assert not marker.exists() and not (tmp_path / "repos").exists()


def test_safe_urls_are_accepted() -> None:
    assert safe_clone_url("https://github.com/o/r.git") == "https://github.com/o/r.git"
    assert safe_clone_url("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert safe_clone_url("ssh://git@ghe.example.com/o/r.git").startswith("ssh://")
    assert safe_clone_url("http://127.0.0.1:8080/o/r.git").startswith("http://127.0.0.1")
    assert (
        default_url("https://github.com/pytorch/pytorch")
        == "https://github.com/pytorch/pytorch.git"
    )


def test_git_refuses_unsafe_transports_even_past_validation(tmp_path: Path) -> None:
    """Defence in depth: the -c protocol options alone stop ext:: in git itself."""
    marker = tmp_path / "pwned"
    with pytest.raises(git_repo.GitCommandError):
        git_repo._run(tmp_path, ["ls-remote", f"ext::sh -c touch% {marker}"])
    assert not marker.exists()


def test_hooks_never_run(tmp_path: Path, isolated_home: Path, upstream: tuple[Path, str]) -> None:
    _work, url = upstream
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "hook-ran"
    (hooks / "post-checkout").write_text(f"#!/bin/sh\ntouch {marker}\n")
    (hooks / "post-checkout").chmod(0o755)
    template = tmp_path / "template"
    shutil.copytree(hooks, template / "hooks")
    with (isolated_home / "gitconfig").open("a") as fh:
        fh.write(f"[core]\n\thooksPath = {hooks}\n[init]\n\ttemplateDir = {template}\n")
    git("clone", "-q", url, str(tmp_path / "control"))
    assert marker.exists()  # the hostile setup really does run hooks for a plain clone
    marker.unlink()
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    assert not marker.exists()
    assert not (checkout.path / ".git/hooks/post-checkout").exists()  # template not copied
    command = clone_command(url, tmp_path / "x")
    assert command[command.index("core.hooksPath=/dev/null") - 1] == "-c"
    assert "protocol.allow=never" in command and "--filter=blob:none" in command


def test_submodules_are_not_fetched(tmp_path: Path, isolated_home: Path) -> None:
    inner = make_history_repo(tmp_path, "inner")
    outer = make_history_repo(tmp_path, "outer")
    git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        inner.as_uri(),
        "third_party/inner",
        cwd=outer,
    )
    commit_files(outer, {}, "add submodule")
    url = make_bare_remote(outer, tmp_path / "outer.git")
    with (isolated_home / "gitconfig").open("a") as fh:
        fh.write("[submodule]\n\trecurse = true\n")
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    assert (checkout.path / ".gitmodules").is_file()
    assert list((checkout.path / "third_party/inner").iterdir()) == []
    assert not (checkout.path / ".git/modules").exists()
    kinds = {f.path: f.kind for f in list_files(checkout.path)}
    assert kinds["third_party/inner"] == "submodule"


@pytest.mark.parametrize("slug", ["../etc", "acme/..", "/abs/x", "a/b/c", "acme/.."])
def test_path_escaping_slugs_are_refused(tmp_path: Path, slug: str) -> None:
    with pytest.raises(UsageError):
        acquire(slug, tmp_path / "repos", git_url="https://github.com/o/r.git", offline=True)


def test_symlinked_owner_folder_cannot_escape_the_cache(tmp_path: Path) -> None:
    (tmp_path / "repos").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "repos/acme")
    with pytest.raises(UsageError, match="outside"):
        cache_path(SLUG, tmp_path / "repos")


# --------------------------------------------------------------------------- failures
def test_a_clone_whose_checkout_fails_leaves_no_half_directory(tmp_path: Path) -> None:
    work = make_history_repo(tmp_path)
    blob = git("hash-object", "-w", "--stdin", cwd=work, input_text="evil\n").strip()
    inner = git("mktree", cwd=work, input_text=f"100644 blob {blob}\tconfig\n").strip()
    tree = git(
        "mktree", cwd=work, input_text=f"040000 tree {inner}\t.git\n100644 blob {blob}\tok.txt\n"
    ).strip()
    bad = git("commit-tree", tree, "-m", "hostile", cwd=work).strip()
    git("update-ref", "refs/heads/main", bad, cwd=work)
    url = make_bare_remote(work, tmp_path / "bad.git")
    with pytest.raises(PrreadyError, match="refused to check out") as info:
        acquire(SLUG, tmp_path / "repos", git_url=url)
    assert "\n" not in str(info.value)
    assert _entries(tmp_path / "repos/acme") == []


def test_missing_repository_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no git repository") as info:
        acquire(SLUG, tmp_path / "repos", git_url=(tmp_path / "nothing.git").as_uri())
    assert _entries(tmp_path / "repos/acme") == []
    assert str(info.value).endswith("lack access): check OWNER/REPO")
    assert error_text(info.value).endswith("lack access): check OWNER/REPO or --git-url")


def test_git_missing_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty-bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(PrreadyError, match="git is not installed"):
        acquire(SLUG, tmp_path / "repos", git_url="https://github.com/o/r.git")


def test_unreachable_network_is_a_network_error(tmp_path: Path) -> None:
    with pytest.raises(NetworkError, match="cannot reach") as info:
        acquire(SLUG, tmp_path / "repos", git_url="https://user:s3cret@127.0.0.1:1/o/r.git")
    assert "s3cret" not in str(info.value)
    assert str(info.value).endswith("): check the network")
    assert error_text(info.value).endswith(
        "): check the network, or use --offline / --checkout PATH"
    )


class _Refuse(http.server.BaseHTTPRequestHandler):
    status = 401

    def do_GET(self) -> None:
        self.send_response(self.status)
        if self.status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_server() -> Iterator[tuple[str, type[_Refuse]]]:
    handler = type("Handler", (_Refuse,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/o/r.git", handler
    server.shutdown()
    server.server_close()


def test_authentication_refused(tmp_path: Path, refusing_server: tuple[str, type[_Refuse]]) -> None:
    url, _handler = refusing_server
    with pytest.raises(NetworkError, match="authentication refused") as info:
        acquire(SLUG, tmp_path / "repos", git_url=url)
    assert error_text(info.value).endswith(
        ": set up git credentials (e.g. `gh auth login`) or use --checkout PATH"
    )


def test_http_not_found(tmp_path: Path, refusing_server: tuple[str, type[_Refuse]]) -> None:
    url, handler = refusing_server
    handler.status = 404
    with pytest.raises(UsageError, match="no git repository"):
        acquire(SLUG, tmp_path / "repos", git_url=url)


@pytest.mark.parametrize(
    "stderr, kind, text",
    [
        ("fatal: write error: No space left on device", PrreadyError, "disk full"),
        (
            "fatal: unable to access 'https://x/': Could not resolve host: x",
            NetworkError,
            "cannot reach",
        ),
        (
            "remote: Repository not found.\nfatal: repository 'https://x/' not found",
            UsageError,
            "no git repository",
        ),
        ("fatal: Authentication failed for 'https://x/'", NetworkError, "authentication refused"),
        ("fatal: something odd\x1b[31m", PrreadyError, "something odd"),
    ],
)
def test_git_errors_are_classified(stderr: str, kind: type[PrreadyError], text: str) -> None:
    error = git_repo._classify(
        git_repo.GitCommandError(["git", "clone"], 128, stderr), "cloning", "https://x/"
    )
    assert type(error) is kind and text in str(error) and "\n" not in str(error)


def test_strip_credentials() -> None:
    assert (
        strip_credentials("https://me:tok@ghe.example.com:8443/o/r.git")
        == "https://ghe.example.com:8443/o/r.git"
    )
    assert strip_credentials("git@github.com:o/r.git") == "git@github.com:o/r.git"


def test_since_is_an_exact_utc_instant(tmp_path: Path) -> None:
    repo = make_history_repo(tmp_path)
    assert read_history(repo, since="2026-02-14")[-1].date == "2026-02-14T12:00:00Z"
    assert read_history(repo, since="2026-02-14T12:00:00Z")[-1].date == "2026-02-14T12:00:00Z"
    assert read_history(repo, since="2026-02-14T12:00:01Z")[-1].date == "2026-05-30T23:59:59Z"
    assert read_history(repo, since="2026-02-14T14:00:00+02:00")[-1].date == "2026-02-14T12:00:00Z"


def test_cache_follows_a_renamed_default_branch(tmp_path: Path, upstream: tuple[Path, str]) -> None:
    work, url = upstream
    acquire(SLUG, tmp_path / "repos", git_url=url)
    new_head = commit_files(work, {"renamed.py": ""}, "on trunk")
    push_to(work, url, "main")
    bare = tmp_path / "remote.git"
    git("branch", "-m", "main", "trunk", cwd=bare)
    git("symbolic-ref", "HEAD", "refs/heads/trunk", cwd=bare)
    checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
    assert checkout.head == new_head and checkout.origin == "cloned"
    assert git("branch", "--show-current", cwd=checkout.path).strip() == "trunk"


def test_http_clone_and_fetch_with_credentials_never_store_them(
    tmp_path: Path, upstream: tuple[Path, str]
) -> None:
    work, _url = upstream
    with serve_git_http(tmp_path, auth="bot:t0ps3cret") as (base, seen):
        url = f"{base.replace('http://', 'http://bot:t0ps3cret@')}/remote.git"
        checkout = acquire(SLUG, tmp_path / "repos", git_url=url)
        assert checkout.url == f"{base}/remote.git" and checkout.origin == "cloned"
        assert missing_objects(checkout.path) > 0  # blobless over smart HTTP too
        commit_files(work, {"later.py": "x = 2\n"}, "later")
        push_to(work, (tmp_path / "remote.git").as_uri())
        again = acquire(SLUG, tmp_path / "repos", git_url=url)
        assert (again.path / "later.py").read_text() == "x = 2\n" and again.origin == "updated"
        with pytest.raises(NetworkError, match="authentication refused") as info:
            acquire(SLUG, tmp_path / "other", git_url=url.replace("t0ps3cret", "wrong"))
        assert "wrong" not in str(info.value)
    assert seen and all(h.startswith("Basic ") or h == "" for h in seen)
    for path in (tmp_path / "repos").rglob("*"):
        if path.is_file():
            assert b"t0ps3cret" not in path.read_bytes(), path


def test_cache_folders_are_private(tmp_path: Path, upstream: tuple[Path, str]) -> None:
    _work, url = upstream
    repos = tmp_path / "home/cache/repos"
    checkout = acquire(SLUG, repos, git_url=url)
    for folder in (tmp_path / "home", tmp_path / "home/cache", repos, checkout.path.parent):
        assert folder.stat().st_mode & 0o077 == 0, folder


@pytest.mark.parametrize("url", ["", "   "])
def test_empty_git_url_is_a_usage_error_not_a_silent_github_clone(tmp_path: Path, url: str) -> None:
    with pytest.raises(InputError, match="git url is empty") as info:
        git_repo.acquire("octo/repo", tmp_path / "repos", git_url=url)
    assert error_text(info.value) == (
        "--git-url is empty: give a URL or path to clone from, or leave it out"
    )
    assert not (tmp_path / "repos" / "octo" / "repo").exists()
