"""Where prready keeps its files. Everything lives under one root when PRREADY_HOME is set."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

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


def write_private_file(path: Path, content: str | bytes) -> Path:
    """Write a file atomically (temp file + rename) with mode 0600."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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
