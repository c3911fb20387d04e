"""The unit tier's guard (tests/unit/conftest.py) refuses processes, SQLite and sockets."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys

import pytest


def test_a_unit_test_cannot_start_a_process() -> None:
    with pytest.raises(AssertionError, match="subprocess"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


def test_a_unit_test_cannot_open_sqlite() -> None:
    with pytest.raises(AssertionError, match="SQLite"):
        sqlite3.connect(":memory:")


def test_a_unit_test_cannot_open_a_connection() -> None:
    with socket.socket() as sock, pytest.raises(AssertionError, match="socket"):
        sock.connect(("127.0.0.1", 9))
