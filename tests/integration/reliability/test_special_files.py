"""Tracked paths that are not regular files (FIFO, socket) and modified files with a
newline in their name, through the real `prready map` / `plan` in a subprocess (a FIFO that
is opened blocks for ever, so a timeout turns that hang into a failure)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from test_hostile_repos import git

from rhelpers import REPO, assert_ok, invoke, run_prready


def make_repo(path: Path, files: dict[str, str], *extra_init: str) -> Path:
    path.mkdir(parents=True)
    git("init", "-q", *extra_init, cwd=path)
    for name, text in files.items():
        (path / name).write_text(text)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "init", cwd=path)
    return path


def map_json(checkout: Path) -> dict[str, object]:
    proc = run_prready(
        ["map", REPO, "--checkout", str(checkout), "--format", "json"], {}, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return dict(json.loads(proc.stdout))


def test_tracked_file_replaced_by_a_fifo_is_skipped_not_opened(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "import os\n", "b.py": "import a\n"})
    (repo / "a.py").unlink()
    os.mkfifo(repo / "a.py")
    data = map_json(repo)  # used to block for ever on open()
    assert data["skipped"]["not-a-regular-file"] == ["a.py"]  # type: ignore[index]


def test_tracked_file_replaced_by_a_socket_is_skipped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"s.py": "x = 1\n", "b.py": "import os\n"})
    (repo / "s.py").unlink()
    here = os.getcwd()
    os.chdir(repo)  # a short relative path: AF_UNIX paths are limited to ~100 bytes
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind("s.py")
            data = map_json(repo)
    finally:
        os.chdir(here)
    assert data["skipped"]["not-a-regular-file"] == ["s.py"]  # type: ignore[index]


def test_contributing_guide_that_is_a_fifo_is_never_opened(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"a.py": "import os\n", "CONTRIBUTING.md": "guide\n"})
    (repo / "CONTRIBUTING.md").unlink()
    os.mkfifo(repo / "CONTRIBUTING.md")
    issues = tmp_path / "issues.json"
    issues.write_text(
        json.dumps([{"number": 1, "title": "Fix a.py", "state": "OPEN", "body": "in a.py"}])
    )
    assert_ok(invoke("sync", REPO, "--from-file", str(issues)))
    proc = run_prready(
        ["plan", REPO, "--offline", "--checkout", str(repo), "--format", "json", "--output",
         str(tmp_path / "plan.json")],
        {}, timeout=90,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_modified_file_with_a_newline_in_its_name_is_hashed(
    tmp_path: Path, object_format: str
) -> None:
    name = "odd\nname.py"
    repo = make_repo(
        tmp_path / "r", {name: "x = 1\n", "b.py": "import os\n"}, f"--object-format={object_format}"
    )
    (repo / name).write_text("import sys\nx = 2\n")  # modified: its id must be recomputed
    (repo / "b.py").write_text("import json\n")
    map_json(repo)  # used to exit 70 (hash-object --stdin-paths split the name)
    from prready.sources.git_repo import list_files

    ids = {f.path: f.blob for f in list_files(repo)}
    for path in (name, "b.py"):
        expected = subprocess.run(
            ["git", "hash-object", "--no-filters", "--", path],
            cwd=repo, capture_output=True, check=True,
        ).stdout.decode().strip()  # fmt: skip
        assert ids[path] == expected
