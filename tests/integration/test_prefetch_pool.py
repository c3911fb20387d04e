"""The lexical index a map's scanning worker builds (`retrieval.IndexPrefetch.prebuild`):
errors reach the caller as themselves, and the map's pool never outlives the command,
delays its exit, prints tracebacks on Ctrl-C or runs while the next map forks."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import prready.app.retrieval as retrieval
from mapfixtures import map_code
from prready.app.map import build_code_map
from prready.app.retrieval import mapping_index, prefetch_index
from prready.app.workspace import Workspace
from prready.code_models import HistoryCommit
from prready.errors import InputError
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo

SLOW = 4.0  # seconds the worker's lexical job takes in these tests
_ORIGINAL = retrieval._lexical_plain


def _slow_lexical(units):  # top level: pickled by reference, runs in a forked worker
    time.sleep(SLOW)
    return _ORIGINAL(units)


def _files(n: int = 340, tag: str = "") -> dict[str, str]:
    files = {"pkg/__init__.py": '"""pkg"""\n', "pkg/ops/__init__.py": ""}
    for i in range(n):
        files[f"pkg/ops/op_{i}.py"] = f"def run_op_{i}(x):\n    return x  # op {i}{tag}\n"
    return files


def _repo(root: Path, files: dict[str, str]) -> Path:
    build_repo(
        root,
        [
            HistoryCommit(
                author_name="A",
                author_email="a@example.com",
                date="2026-01-01T00:00:00Z",
                message="Add",
                writes=files,
            )
        ],
    )
    return root


def _paths(tmp_path: Path, name: str) -> Paths:
    home = resolve_paths()
    return Paths(cache=tmp_path / name, data=home.data, config=home.config)


def _command(tmp_path: Path, root: Path) -> str:
    """The start of a script run as a command's process: the worker's job slowed down
    (`_slow_lexical`), the paths of `tmp_path`'s cache as `paths`, and `map_cold(ws)`,
    a cold map of `root` that hands the lexical build to its pool."""
    return textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import prready.app.retrieval as retrieval
        import test_prefetch_pool as t
        retrieval._lexical_plain = t._slow_lexical
        from prready.app.map import build_code_map
        from prready.app.retrieval import prefetch_index
        from prready.app.workspace import Workspace
        paths = t._paths(__import__('pathlib').Path({str(tmp_path)!r}), "cache")
        def map_cold(ws):
            h = ws.hold(prefetch_index(paths.cache_db))
            build_code_map(ws, "acme/pkg", checkout={str(root)!r}, on_sources=h, workers=2)
        """
    )


def _reap() -> None:
    for child in multiprocessing.active_children():
        child.join(SLOW + 10)


# ------------------------------------------------------ errors reach the caller as such
def test_an_error_before_the_index_build_is_not_masked(tmp_path: Path, monkeypatch) -> None:
    """An error raised in `_mapping_index` before `storing` is bound (here: git failing
    to list the checkout, as `library_blobs` does for a map without a key; equally a
    locked cache in `load_snapshot` or Ctrl-C) must reach the caller as itself."""
    root = _repo(tmp_path / "repo", {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n"})
    paths = _paths(tmp_path, "cache")
    code_map = map_code("acme/pkg", paths, checkout=root)
    code_map.key = ""  # a map built elsewhere: the index lists the checkout itself

    from prready.sources.git_repo import GitCommandError

    def failing_listing(root: Path):
        raise GitCommandError(["ls-files"], 128, b"fatal: index file corrupt")

    monkeypatch.setattr(retrieval, "list_files", failing_listing)
    with Workspace(paths) as ws, pytest.raises(GitCommandError):
        mapping_index(ws, code_map)


def test_ctrl_c_while_loading_the_lexical_snapshot_stays_a_keyboardinterrupt(
    tmp_path: Path, monkeypatch
) -> None:
    root = _repo(tmp_path / "repo", {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n"})
    paths = _paths(tmp_path, "cache")
    code_map = map_code("acme/pkg", paths, checkout=root)
    from prready.store.parse_cache import ParseCache

    real = ParseCache.load_snapshot

    def interrupted(self, key, *a, **k):
        if key and "history" not in key:  # the lexical snapshot's load
            raise KeyboardInterrupt
        return real(self, key, *a, **k)

    with Workspace(paths) as ws:
        monkeypatch.setattr(ParseCache, "load_snapshot", interrupted)
        with pytest.raises(KeyboardInterrupt):
            mapping_index(ws, code_map)


# ------------------------------------------------- no worker outlives the command
def test_a_command_that_fails_after_the_map_leaves_no_worker_running(
    tmp_path: Path, monkeypatch
) -> None:
    """`plan --modules nosuch` (check_modules raises InputError right after the map), a
    network error in the sync, or `issues` finding every assessment cached: the index
    never takes the job. Closing the workspace must not leave the map's pool behind."""
    monkeypatch.setattr(retrieval, "_lexical_plain", _slow_lexical)
    root = _repo(tmp_path / "repo", _files())
    paths = _paths(tmp_path, "cache")
    try:
        with pytest.raises(InputError), Workspace(paths) as ws:
            handle = ws.hold(prefetch_index(paths.cache_db))
            build_code_map(ws, "acme/pkg", checkout=root, on_sources=handle, workers=2)
            assert handle.building is not None  # the job was handed to a worker
            raise InputError("modules", "nosuch: no such module")
        alive = multiprocessing.active_children()
        assert alive == [], f"{len(alive)} pool processes still running after close"
    finally:
        _reap()


def test_the_interpreter_exit_does_not_wait_for_an_unused_job(tmp_path: Path) -> None:
    """Same, as a process: once the command has failed, the process exits without waiting
    for the worker's (unused) build."""
    root = _repo(tmp_path / "repo", _files())
    script = _command(tmp_path, root) + textwrap.dedent(
        """
        try:
            with Workspace(paths) as ws:
                map_cold(ws)
                raise SystemExit("error: no module named nosuch")
        finally:
            print(time.monotonic(), flush=True)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    ended = time.monotonic()
    failed_at = float(proc.stdout.strip().splitlines()[-1])
    assert ended - failed_at < SLOW / 2, (
        f"exit took {ended - failed_at:.1f}s after the command failed (the worker's job)"
    )


# ------------------------------------------- a second map never forks beside a pool
def test_a_second_map_never_forks_beside_the_first_maps_threads(
    tmp_path: Path, monkeypatch
) -> None:
    """A second map with the same handle (`IndexPrefetch.__call__`): the first map's job is
    dropped and its pool shut down before the second map forks its workers (a process is
    never forked with a thread running; Python 3.12+ warns: fork may deadlock)."""
    monkeypatch.setattr(retrieval, "_lexical_plain", _slow_lexical)
    first, second = _repo(tmp_path / "a", _files()), _repo(tmp_path / "b", _files(345, " second"))
    paths = _paths(tmp_path, "cache")
    seen: list[list[str]] = []
    recording = [False]

    baseline: set[threading.Thread] = set()

    def before_fork() -> None:
        if recording[0]:
            seen.append(sorted(t.name for t in threading.enumerate() if t not in baseline))

    os.register_at_fork(before=before_fork)
    try:
        with Workspace(paths) as ws:
            handle = ws.hold(prefetch_index(paths.cache_db))
            baseline.update(threading.enumerate())
            build_code_map(ws, "acme/a", checkout=first, on_sources=handle, workers=2)
            assert handle.building is not None
            recording[0] = True
            build_code_map(ws, "acme/b", checkout=second, on_sources=handle, workers=2)
            recording[0] = False
        assert seen and not any(seen), f"forked beside running threads: {seen[0]}"
    finally:
        recording[0] = False
        _reap()


def test_ctrl_c_after_the_map_prints_no_worker_tracebacks(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the terminal's process group) while the command works on after
    a cold map (the sync, assessing): the map's workers ignore it (the parent handles
    it), so none prints a KeyboardInterrupt traceback."""
    import signal

    root = _repo(tmp_path / "repo", _files())
    script = _command(tmp_path, root) + textwrap.dedent(
        """
        try:
            with Workspace(paths) as ws:
                map_cold(ws)
                print("mapped", flush=True)
                time.sleep(10)  # the sync
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr, flush=True)
            sys.exit(130)
        """
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "mapped"
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
