"""Where prready keeps its files. Everything lives under one root when PRREADY_HOME is set."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from prready.errors import UsageError

APP_NAME = "prready"


@dataclass(frozen=True)
class Paths:
    cache: Path  # clones, issue cache, parse cache (safe to delete)
    data: Path  # progress store, plans (never deleted by prready)
    config: Path  # config.toml, profile

    @property
    def repos(self) -> Path:
        return self.cache / "repos"

    @property
    def cache_db(self) -> Path:
        return self.cache / "cache.sqlite3"

    @property
    def progress_db(self) -> Path:
        return self.data / "progress.sqlite3"

    @property
    def plans(self) -> Path:
        return self.data / "plans"

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"


def resolve_paths(env: dict[str, str] | None = None) -> Paths:
    """Cache, data and config directories; PRREADY_HOME overrides all three."""
    env = dict(os.environ) if env is None else env
    home = env.get("PRREADY_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(cache=root / "cache", data=root / "data", config=root / "config")
    import platformdirs  # imported here: PRREADY_HOME needs none of it

    return Paths(
        cache=Path(platformdirs.user_cache_dir(APP_NAME)),
        data=Path(platformdirs.user_data_dir(APP_NAME)),
        config=Path(platformdirs.user_config_dir(APP_NAME)),
    )


def ensure_private_dir(path: Path) -> Path:
    """Create a directory readable by the user only (0700), parents included."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)
    return path


def is_private_dir(path: Path) -> bool:
    """`path` is a real folder (not a symlink) that only this user owns and can enter: safe
    to load code-bearing files from (others could otherwise plant them)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    owner = os.geteuid() if hasattr(os, "geteuid") else info.st_uid
    return stat.S_ISDIR(info.st_mode) and info.st_uid == owner and not info.st_mode & 0o077


def write_private_file(path: Path, content: str | bytes) -> Path:
    """Write a file atomically (temp file + rename), new files with mode 0600.

    Nothing the write did not create changes: an existing folder keeps its mode (no chmod of
    /tmp); a device or FIFO is written through (as a shell redirection would), never
    replaced by a regular file; a symlink, socket or folder at `path` is refused with a
    UsageError. A regular file is replaced by a private (0600) one, as prready's files are."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_through(path, info, data)
        return path
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def _write_through(path: Path, info: os.stat_result, data: bytes) -> None:
    """Write into an existing device or FIFO; refuse what cannot be written into."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        raise UsageError(
            f"{path} is a symbolic link: not replaced or followed; give the path it points to"
        )
    if stat.S_ISDIR(mode):
        raise UsageError(f"{path} is a folder: give a file name inside it")
    if not (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
        raise UsageError(f"{path} is not a regular file (a socket?): not replaced")
    try:
        # Non-blocking open: a FIFO nobody reads is refused instead of hanging here.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise UsageError(f"{path} is a FIFO with no reader: start the reader first") from None
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
