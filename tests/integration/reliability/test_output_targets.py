"""Writes change only what they create: `--output DIR/plan.md` leaves DIR's mode alone (a
sticky 1777 folder stays 1777), a device or FIFO is written through, a symlink or folder
is refused; none is ever replaced by a regular file."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from gitfixtures import make_history_repo
from rhelpers import REPO, assert_clean_failure, assert_ok, invoke


@pytest.fixture
def tracked() -> None:
    assert_ok(invoke("track", f"{REPO}#5", "start", "--offline", "--force", "--note", "kept"))


def test_output_into_an_existing_sticky_folder_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    issues = tmp_path / "issues.json"
    issues.write_text(json.dumps([{"number": 1, "title": "Fix", "state": "OPEN"}]))
    assert_ok(invoke("sync", REPO, "--from-file", str(issues)))
    checkout = make_history_repo(tmp_path / "src")
    result = invoke(
        "plan", REPO, "--offline", "--checkout", str(checkout), "--format", "md",
        "--output", str(shared / "plan.md"),
    )  # fmt: skip
    assert_ok(result)
    assert (shared / "plan.md").is_file()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777  # was chmod-ed to 0700


@pytest.mark.usefixtures("tracked")
def test_export_into_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    target = folder / "progress.json"
    target.write_text("old")
    assert_ok(invoke("track", "--export", str(target)))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert "kept" in target.read_text()


@pytest.mark.usefixtures("tracked")
def test_export_to_a_new_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "new" / "progress.json"
    assert_ok(invoke("track", "--export", str(target)))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.usefixtures("tracked")
def test_export_to_a_device_writes_through_and_keeps_the_device(tmp_path: Path) -> None:
    # As root, a private null device: a regression must not replace the real /dev/null
    # (the old code did, as root). Without root, /dev/null cannot be replaced anyway.
    device = Path("/dev/null")
    if os.geteuid() == 0:
        device = tmp_path / "null"
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.stat(device)
    assert_ok(invoke("track", "--export", str(device)))
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.usefixtures("tracked")
def test_export_to_a_fifo_with_a_reader_writes_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            received.append(fh.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    time.sleep(0.3)  # let the reader open the FIFO first (it blocks there until we write)
    assert_ok(invoke("track", "--export", str(fifo)))
    thread.join(10)
    assert b"kept" in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.usefixtures("tracked")
def test_export_to_a_fifo_without_reader_is_refused_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_clean_failure(invoke("track", "--export", str(fifo)), match="no reader")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.usefixtures("tracked")
def test_export_onto_a_symlink_is_refused_and_both_ends_kept(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "link.json"
    link.symlink_to(victim)
    assert_clean_failure(invoke("track", "--export", str(link)), match="symbolic link")
    assert link.is_symlink() and victim.read_text() == "precious"


@pytest.mark.usefixtures("tracked")
def test_export_onto_a_folder_is_refused(tmp_path: Path) -> None:
    assert_clean_failure(invoke("track", "--export", str(tmp_path)), match="folder")
    assert tmp_path.is_dir()
