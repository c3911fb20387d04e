"""`--output -` with the progress display live on a terminal: the document goes to standard
output, whole, and nothing of it to the terminal (rich's live display used to capture
standard output and print the document on standard error)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path


def test_plan_document_reaches_stdout_while_progress_is_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "PRREADY_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    shown = bytearray()

    def read_terminal() -> None:  # a terminal reads as it goes: its buffer is small
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed: all is read
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "prready", "demo", "--format", "json", "--output", "-"],
            stdout=subprocess.PIPE,
            stderr=follower,
            env=env,
            timeout=300,
            check=False,
        )
    finally:
        os.close(follower)
        reader.join(10)
        os.close(leader)
    assert proc.returncode == 0, bytes(shown[-2000:])
    plan = json.loads(proc.stdout)  # the whole document, and only it
    assert plan["repo"] == "prready-demo/tinyml"
    assert b'"stages"' not in shown  # none of it on the terminal
    assert b"SAMPLE" in shown  # the notice for a terminal user stays there
