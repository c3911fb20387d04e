"""A `prready` process ends with its command without freeing what it built
(`prready.process`), and still ends as the interpreter would: other threads joined, exit
handlers run, output flushed, the status SystemExit gives."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from prready import process

_SCRIPT = textwrap.dedent(
    """
    import atexit, sys, threading, time
    from pathlib import Path
    from prready import process

    out = Path(sys.argv[1])
    process.end_with_command()
    process.outlive({"kept": list(range(1000))})

    def late_write():
        time.sleep(0.3)
        (out / "thread").write_text("joined")

    threading.Thread(target=late_write).start()
    atexit.register(lambda: (out / "atexit").write_text("ran"))
    sys.stdout.write("no newline, still flushed")
    process.exit_now(eval(sys.argv[2]))
    """
)


def _run(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path), code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("code", "status"), [("0", 0), ("None", 0), ("3", 3), ("True", 1)])
def test_exit_now_ends_as_the_interpreter_would(tmp_path: Path, code: str, status: int) -> None:
    done = _run(tmp_path, code)
    assert done.returncode == status, done.stderr
    assert done.stdout == "no newline, still flushed"
    # A thread that is no daemon still ran: the process exited the interpreter's way.
    assert (tmp_path / "thread").read_text() == "joined"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert done.stderr == ""


def test_exit_now_with_a_message_prints_it_and_fails(tmp_path: Path) -> None:
    done = _run(tmp_path, "'cannot go on'")
    assert done.returncode == 1
    assert done.stderr == "cannot go on\n"


def test_the_prready_program_ends_with_its_commands_status(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "prready", "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("prready")
    bad = subprocess.run(
        [sys.executable, "-m", "prready", "no-such-command"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "No such command" in bad.stderr


_WATCHED = textwrap.dedent(
    """
    import os, sys
    from prready import process

    class Built:
        def __del__(self):
            os.write(1, b"FREED\\n")

    process.end_with_command()
    process.outlive(Built())
    if sys.argv[1] == "profiled":
        sys.setprofile(lambda *args: None)
    process.exit_now(4)
    """
)


@pytest.mark.parametrize("how", ["alone", "profiled"])
def test_a_watched_process_exits_the_interpreters_way(how: str) -> None:
    """A profiler or debugger writes its results as the interpreter exits: then nothing
    is skipped (what was kept is freed); alone, nothing kept is freed."""
    done = subprocess.run(
        [sys.executable, "-c", _WATCHED, how], capture_output=True, text=True, check=False
    )
    assert done.returncode == 4, done.stderr
    assert ("FREED" in done.stdout) == (how == "profiled")


def test_outside_such_a_process_nothing_is_kept() -> None:
    assert not process.ends_with_command()
    process.outlive(object())
    assert process._kept == []
    process.end_with_command()
    try:
        process.outlive("kept")
        assert process._kept == ["kept"]
    finally:
        process.end_with_command(False)
    assert process._kept == [] and not process.ends_with_command()
