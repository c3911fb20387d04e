"""PyTorch 1.13.1's full source tree (Debian's source package `pytorch`) as a git
repository, for slow tests and benchmarks that need PyTorch's real layout: test/, aten/,
c10/, tools/, CONTRIBUTING.md, CODEOWNERS and .github/, which the torch wheel lacks.

    python tests/pytorch_tree.py            # prints the work tree's path

The tarball comes from the Debian mirror already configured for apt: `apt-get source -d`
through a private sources list holding a `deb-src` twin of that mirror's `deb` entry (the
system's apt configuration is left alone), or, when apt cannot run (no root, no apt), a
plain download of the same file from the mirror's pool. Either way its SHA-256 must match
the one pinned here. The tree is extracted and committed once under the cache directory
(`$PRREADY_PYTORCH_SRC`, default /tmp/prready-pytorch-src), with a fixed author and date so
the commit id is the same on every machine; never inside this repository.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

TARBALL = "pytorch_1.13.1+dfsg.orig.tar.xz"
TARBALL_SHA256 = "d0355588b8528566d477e6ebf1b4d9d036a6fd75711339f66b27472ce5879dc7"
TOP_FOLDER = "pytorch-1.13.1"
POOL_PATH = "pool/main/p/pytorch/" + TARBALL
DEFAULT_MIRROR = "http://deb.debian.org/debian"
# The import commit: fixed identity and date, so its id is deterministic.
IDENTITY = ("PyTorch 1.13.1 (Debian orig tarball)", "pytorch-src@prready.invalid")
COMMIT_DATE = "2022-12-15T00:00:00Z"
COMMIT_MESSAGE = "PyTorch 1.13.1 source tree (Debian pytorch_1.13.1+dfsg.orig.tar.xz)"
# What a correct build of the tree commits to (git add -A -f of the tarball's contents).
EXPECTED_HEAD = "07a753c5ddbf33330e62ce35fbe01517e875765d"
APT_SOURCES = ("/etc/apt/sources.list", "/etc/apt/sources.list.d")


class PyTorchTreeUnavailable(RuntimeError):
    """The tree could not be had: no cache and no way to download it."""


def cache_dir() -> Path:
    return Path(os.environ.get("PRREADY_PYTORCH_SRC") or "/tmp/prready-pytorch-src")


def pytorch_repo(cache: Path | None = None, *, download: bool = True) -> Path:
    """The git work tree of PyTorch 1.13.1, built on first use. Raises
    PyTorchTreeUnavailable (with the reason) when it is absent and cannot be built."""
    cache = cache or cache_dir()
    repo = cache / TOP_FOLDER
    if _is_built(repo):
        return repo
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache / ".lock"):
        if _is_built(repo):  # another process built it while we waited
            return repo
        tarball = cache / TARBALL
        if not _sha256_ok(tarball):
            if not download:
                raise PyTorchTreeUnavailable(f"{tarball} is absent and downloads are off")
            fetch_tarball(cache)
        build_repo(tarball, repo)
    return repo


def fetch_tarball(cache: Path) -> Path:
    """Download the orig tarball into `cache` through apt, else from the mirror's pool."""
    target = cache / TARBALL
    reasons = []
    for how in (_fetch_with_apt, _fetch_from_pool):
        try:
            how(cache)
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            reasons.append(f"{how.__name__}: {exc}")
            continue
        if _sha256_ok(target):
            return target
        reasons.append(f"{how.__name__}: checksum mismatch")
        target.unlink(missing_ok=True)
    raise PyTorchTreeUnavailable("could not download " + TARBALL + ": " + "; ".join(reasons))


def build_repo(tarball: Path, repo: Path) -> Path:
    """Extract `tarball` and commit its tree at `repo` (replaced when half built)."""
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=repo.parent))
    try:
        subprocess.run(
            ["tar", "--no-same-owner", "-xJf", str(tarball), "-C", str(work)],
            check=True, capture_output=True,
        )  # fmt: skip
        tree = work / TOP_FOLDER
        if not (tree / "CONTRIBUTING.md").is_file():
            raise PyTorchTreeUnavailable(f"{tarball} does not hold {TOP_FOLDER}/")
        head = commit_tree(tree, IDENTITY, COMMIT_DATE, COMMIT_MESSAGE)
        if head != EXPECTED_HEAD:
            raise PyTorchTreeUnavailable(f"built commit {head}, expected {EXPECTED_HEAD}")
        if repo.exists():
            shutil.rmtree(repo)
        tree.rename(repo)
    except subprocess.CalledProcessError as exc:
        raise PyTorchTreeUnavailable(f"{' '.join(exc.cmd)} failed: {exc.stderr}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return repo


def commit_tree(tree: Path, identity: tuple[str, str], date: str, message: str) -> str:
    """Make `tree` a git repository of one commit holding every file in it, with a fixed
    author and date so the commit id is the same on every machine; returns that id."""
    run_git(tree, "init", "-q", "--initial-branch=main")
    # -f: the archive is the tree; the project's own .gitignore must not drop files from it.
    run_git(tree, "add", "-A", "-f")
    who = {"NAME": identity[0], "EMAIL": identity[1], "DATE": date}
    env = {f"GIT_{role}_{k}": v for role in ("AUTHOR", "COMMITTER") for k, v in who.items()}
    # No hooks, and no background `gc --auto` still writing into .git afterwards.
    quiet = ("-c", "core.hooksPath=/dev/null", "-c", "gc.auto=0", "-c", "maintenance.auto=false")
    run_git(tree, *quiet, "commit", "-q", "-m", message, env=env)
    return run_git(tree, "rev-parse", "HEAD").strip()


def debian_mirror(paths: tuple[str, ...] = APT_SOURCES) -> tuple[str, list[str], list[str]]:
    """(URI, suites, components) of the first Debian `deb` entry configured for apt
    (one-line or deb822 format); Debian's main mirror when none is found."""
    for path in _source_files(paths):
        text = path.read_text(encoding="utf-8", errors="replace")
        for entry in _deb_entries(text, deb822=path.suffix == ".sources"):
            uri, suites, components = entry
            if "security" not in uri and "main" in components:
                return uri, suites, components
    return DEFAULT_MIRROR, ["bookworm"], ["main"]


def _fetch_with_apt(cache: Path) -> None:
    if shutil.which("apt-get") is None:
        raise OSError("apt-get is not installed")
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise OSError("not root and no sudo")
        prefix = ["sudo", "-n"]
    uri, suites, components = debian_mirror()
    apt_dir = cache / "apt"
    (apt_dir / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (apt_dir / "parts").mkdir(exist_ok=True)
    (apt_dir / "sources.list").write_text(
        "".join(f"deb-src {uri} {suite} {' '.join(components)}\n" for suite in suites)
    )
    opts = [
        "-o", f"Dir::Etc::SourceList={apt_dir / 'sources.list'}",
        "-o", f"Dir::Etc::SourceParts={apt_dir / 'parts'}",
        "-o", f"Dir::State::Lists={apt_dir / 'lists'}",
        "-o", "APT::Sandbox::User=root",
    ]  # fmt: skip
    apt = [*prefix, "apt-get", "-q", *opts]
    run = {"stdin": subprocess.DEVNULL, "capture_output": True, "timeout": 900, "cwd": cache}
    subprocess.run([*apt, "update"], check=True, **run)
    # Only the orig tarball matters; apt may then fail on the Debian patch tarball.
    subprocess.run([*apt, "source", "-d", "pytorch"], check=False, **run)
    if not (cache / TARBALL).is_file():
        raise OSError(f"apt-get source -d pytorch did not download {TARBALL}")


def _fetch_from_pool(cache: Path) -> None:
    uri = debian_mirror()[0].rstrip("/")
    if not uri.startswith(("http://", "https://")):
        uri = DEFAULT_MIRROR
    part = cache / (TARBALL + ".part")
    with urllib.request.urlopen(f"{uri}/{POOL_PATH}", timeout=60) as response, part.open("wb") as fh:
        shutil.copyfileobj(response, fh, 1 << 20)
    part.replace(cache / TARBALL)


def _source_files(paths: tuple[str, ...]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in {".list", ".sources"})
        elif path.is_file():
            yield path


def _deb_entries(text: str, *, deb822: bool) -> Iterator[tuple[str, list[str], list[str]]]:
    if not deb822:
        for line in text.splitlines():
            # `deb [arch=amd64 signed-by=...] URI SUITE COMPONENT...`
            words = re.sub(r"\[[^]]*\]", " ", line.split("#", 1)[0]).split()
            if len(words) >= 4 and words[0] == "deb":
                yield words[1], [words[2]], words[3:]
        return
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" in fields.get("types", "").split() and fields.get("enabled", "yes") != "no":
            for uri in fields.get("uris", "").split():
                yield uri, fields.get("suites", "").split(), fields.get("components", "").split()


def _is_built(repo: Path) -> bool:
    if not (repo / ".git").is_dir():
        return False
    try:
        return run_git(repo, "rev-parse", "--verify", "HEAD^{commit}").strip() == EXPECTED_HEAD
    except subprocess.CalledProcessError as exc:
        print(f"pytorch_tree: {repo} is not the expected repository: {exc.stderr}", file=sys.stderr)
        return False


def _sha256_ok(path: Path) -> bool:
    return sha256_matches(path, TARBALL_SHA256)


def sha256_matches(path: Path, expected: str) -> bool:
    """True when `path` is a file whose SHA-256 is `expected`."""
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == expected


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `repo` without the user's config or any GIT_* variable of the caller
    (a GIT_DIR or GIT_INDEX_FILE inherited from a hook or a test would point elsewhere)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    full |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, **(env or {})}
    # The cache may belong to another user (built as root in CI): trust it for reading.
    cmd = ["git", "-c", f"safe.directory={repo}", *args]
    done = subprocess.run(cmd, cwd=repo, env=full, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, cmd, done.stdout, done.stderr)
    return done.stdout


if __name__ == "__main__":
    try:
        print(pytorch_repo())
    except PyTorchTreeUnavailable as exc:
        sys.exit(f"pytorch_tree: {exc}")
