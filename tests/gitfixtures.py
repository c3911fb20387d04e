"""Repositories built in code for tests: a small Python + C++ project with real history,
bare remotes that serve blobless clones over file://, and small git helpers.

Tests may run git directly; prready itself only runs it from prready.sources.git_repo.
"""

from __future__ import annotations

import base64
import http.server
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prready.code_models import HistoryCommit
from prready.sources.git_repo import build_repo

ALICE = ("Alice Martin", "alice@example.com")
BOB = ("Bob Okafor", "bob@example.org")
CHEN = ("Chen Wei", "chen@example.net")
DANA = ("Dána Ólafsdóttir", "dana@example.is")


def _commit(who: tuple[str, str], date: str, message: str, **changes: object) -> HistoryCommit:
    return HistoryCommit(
        author_name=who[0], author_email=who[1], date=date, message=message, **changes
    )  # type: ignore[arg-type]


# Oldest first. Spans 2025-01 .. 2026-10 (more than 12 months), four authors, one rename
# (minitorch/data.py -> minitorch/utils/data.py), one delete (minitorch/legacy.py), a
# folder name with a space and a non-ASCII file name.
HISTORY: list[HistoryCommit] = [
    _commit(
        ALICE,
        "2025-01-10T09:00:00Z",
        "Initial layout",
        writes={
            "README.md": "# minitorch\n\nA tiny tensor library.\n",
            "minitorch/__init__.py": "from minitorch.tensor import Tensor\n\n__all__ = ['Tensor']\n",
            "minitorch/tensor.py": "class Tensor:\n    def __init__(self, data):\n        self.data = data\n",
            "minitorch/legacy.py": "def old_api():\n    return None\n",
            "minitorch/data.py": "class Dataset:\n    pass\n",
        },
    ),
    _commit(
        BOB,
        "2025-03-02T14:30:00+02:00",
        "Add nn module\n\nConv2d and functional helpers.",
        writes={
            "minitorch/nn/__init__.py": "from minitorch.nn.modules import Conv2d\n",
            "minitorch/nn/modules.py": "from minitorch.tensor import Tensor\n\n\nclass Conv2d:\n    pass\n",
            "minitorch/nn/functional.py": "def relu(x):\n    return x\n",
        },
    ),
    _commit(
        CHEN,
        "2025-06-20T08:15:00Z",
        "Add C++ kernels",
        writes={
            "csrc/ops.h": "#pragma once\nint add(int a, int b);\n",
            "csrc/ops.cpp": '#include "ops.h"\nint add(int a, int b) { return a + b; }\n',
            "csrc/cuda/ops.cu": '#include "../ops.h"\n',
        },
    ),
    _commit(
        ALICE,
        "2025-09-05T17:45:00Z",
        "Move data utilities under utils",
        renames={"minitorch/data.py": "minitorch/utils/data.py"},
        writes={"minitorch/utils/__init__.py": ""},
    ),
    _commit(
        DANA,
        "2025-12-01T10:00:00Z",
        "Remove legacy API",
        deletes=["minitorch/legacy.py"],
        writes={"docs/user guide/intro.md": "# Intro\n", "docs/übersicht.md": "# Übersicht\n"},
    ),
    _commit(
        BOB,
        "2026-02-14T12:00:00Z",
        "nn: add dropout",
        writes={
            "minitorch/nn/functional.py": "def relu(x):\n    return x\n\n\ndef dropout(x, p=0.5):\n    return x\n",
            "tests/test_nn.py": "from minitorch.nn import functional\n\n\ndef test_relu():\n    assert functional.relu(1) == 1\n",
        },
    ),
    _commit(
        CHEN,
        "2026-05-30T23:59:59Z",
        "csrc: faster add",
        writes={"csrc/ops.cpp": '#include "ops.h"\nint add(int a, int b) { return b + a; }\n'},
    ),
    _commit(
        DANA,
        "2026-10-01T06:30:00Z",
        "Fix dataset length\n\nFixes #42.",
        writes={
            "minitorch/utils/data.py": "class Dataset:\n    def __len__(self):\n        return 0\n",
            "tests/test_data.py": "from minitorch.utils.data import Dataset\n",
        },
    ),
]


def make_history_repo(tmp_path: Path, name: str = "minitorch") -> Path:
    """Build HISTORY as a real repository under tmp_path and return its working tree."""
    dest = tmp_path / name
    build_repo(dest, HISTORY)
    return dest


def make_bare_remote(src: Path, dest: Path) -> str:
    """Copy `src` into a bare repository that serves partial clones; return its file:// URL.

    A file:// clone silently falls back to a full clone unless the serving side allows
    filters, so uploadpack.allowFilter is set in the bare repository's own config.
    """
    git("clone", "-q", "--bare", "--no-local", str(src), str(dest))
    git("-C", str(dest), "config", "uploadpack.allowFilter", "true")
    git("-C", str(dest), "config", "uploadpack.allowAnySHA1InWant", "true")
    return dest.resolve().as_uri()


def git(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
) -> str:
    """Run git for a test and return stdout (text); raise with stderr on failure."""
    full_env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=full_env,
        input=input_text,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def commit_files(
    repo: Path,
    files: dict[str, str],
    message: str,
    *,
    author: tuple[str, str] = ALICE,
    date: str = "2026-11-01T12:00:00Z",
) -> str:
    """Write files into a work tree and commit them; return the new sha."""
    for rel, content in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    git("add", "-A", cwd=repo)
    ident = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
        "GIT_COMMITTER_DATE": date,
    }
    git("-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", message, cwd=repo, env=ident)
    return git("rev-parse", "HEAD", cwd=repo).strip()


def push_to(repo: Path, remote_url: str, branch: str = "main", *, force: bool = False) -> None:
    """Push a branch of a work tree to a (bare) remote URL."""
    git("push", "-q", *(["--force"] if force else []), remote_url, f"{branch}:{branch}", cwd=repo)


def missing_objects(repo: Path) -> int:
    """How many objects the partial clone lacks (they would be fetched lazily)."""
    out = git("rev-list", "--objects", "--all", "--missing=print", cwd=repo)
    return sum(1 for line in out.splitlines() if line.startswith("?"))


def bytes_of(*paths: Path) -> list[bytes]:
    """File contents, for asserting that a repository was not modified."""
    return [p.read_bytes() for p in paths]


class _GitHttpHandler(http.server.BaseHTTPRequestHandler):
    """Smart HTTP through `git http-backend` (CGI), optionally behind Basic auth."""

    root: Path
    auth: str | None  # expected "user:password", or None for no auth
    seen_auth: list[str]

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        header = self.headers.get("Authorization", "")
        self.seen_auth.append(header)
        if self.auth is not None:
            expected = "Basic " + base64.b64encode(self.auth.encode()).decode()
            if header != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="git"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = {
            **os.environ,
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
            "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            "REMOTE_ADDR": "127.0.0.1",
        }
        out = subprocess.run(
            ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
        ).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        status = 200
        headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").split("\r\n"):
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            elif key:
                headers.append((key, value.strip()))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_git_http(root: Path, auth: str | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve the bare repositories under `root` over loopback HTTP.

    Yields the base URL ("http://127.0.0.1:PORT") and the list of Authorization headers
    received, so a test can check what a client sent.
    """
    seen: list[str] = []
    handler = type("Handler", (_GitHttpHandler,), {"root": root, "auth": auth, "seen_auth": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
