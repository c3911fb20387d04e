"""Byte-identical outputs: every command's terminal, JSON, Markdown, HTML and GraphML output
on the demo, and the torch plan, compared with files committed under tests/golden/.

Written before the workspace refactor (issue 16) so that moving code between layers is
checked to change no output. Each command runs as its own process, as a user runs it, with
SOURCE_DATE_EPOCH fixing the clock and COLUMNS the terminal width; the temporary home is
written as `$PRREADY_HOME` so the files do not depend on where the test ran.

An intended change of output: rerun with PRREADY_UPDATE_GOLDEN=1 and review the diff of
tests/golden/ in the commit.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

GOLDEN = Path(__file__).parent / "golden"
EPOCH = 1798761600  # 2027-01-01T00:00:00Z
UPDATE = os.environ.get("PRREADY_UPDATE_GOLDEN") == "1"
DEMO = "prready-demo/tinyml"


class Session:
    """Runs `python -m prready ...` in one home with a fixed clock and width."""

    def __init__(self, home: Path, work: Path, extra_env: dict[str, str] | None = None) -> None:
        self.home = home
        self.work = work
        self.env = {
            **os.environ,
            "PRREADY_HOME": str(home),
            "SOURCE_DATE_EPOCH": str(EPOCH),
            "COLUMNS": "110",
            "LINES": "50",
            "TERM": "dumb",
            "NO_COLOR": "1",
            "PYTHONHASHSEED": "0",
            **(extra_env or {}),
        }
        self.env.pop("FORCE_COLOR", None)

    def run(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "prready", *args],
            cwd=self.work,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, f"prready {' '.join(args)}: {result.stderr[-3000:]}"
        return self.portable(result.stdout)

    def read(self, name: str) -> str:
        return self.portable((self.work / name).read_text(encoding="utf-8"))

    def portable(self, text: str) -> str:
        for path, token in ((self.work, "$WORK"), (self.home, "$PRREADY_HOME")):
            text = text.replace(str(path.resolve()), token).replace(str(path), token)
        return text


def check(outputs: dict[str, str], folder: str) -> None:
    """Compare each output with tests/golden/<folder>/<name>, or write them when updating."""
    where = GOLDEN / folder
    if UPDATE:
        shutil.rmtree(where, ignore_errors=True)
        where.mkdir(parents=True)
        for name, text in outputs.items():
            with (where / name).open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        return
    assert where.is_dir(), f"{where} is missing: run with PRREADY_UPDATE_GOLDEN=1"
    expected_names = sorted(p.name for p in where.iterdir())
    assert sorted(outputs) == expected_names, "the set of golden outputs changed"
    changed = []
    for name, text in sorted(outputs.items()):
        with (where / name).open(encoding="utf-8", newline="") as handle:
            expected = handle.read()
        if text != expected:
            diff = difflib.unified_diff(
                expected.splitlines(), text.splitlines(), f"golden/{name}", "now", lineterm="", n=1
            )
            changed.append("\n".join(list(diff)[:40]))
    assert not changed, "outputs differ from tests/golden:\n" + "\n\n".join(changed)


def _demo_outputs(s: Session) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in ("json", "html", "md"):
        s.run("demo", "--format", fmt, "--output", f"demo.{fmt}")
        out[f"demo.{fmt}"] = s.read(f"demo.{fmt}")
    out["demo.txt"] = s.run("demo")
    out["status.txt"] = s.run("status")
    out["status.json"] = s.run("status", "--format", "json")
    out["issues.txt"] = s.run("issues", DEMO, "--offline")
    out["issues.json"] = s.run("issues", DEMO, "--offline", "--format", "json")
    out["issues-labels.txt"] = s.run("issues", DEMO, "--offline", "--labels")
    out["map.txt"] = s.run("map", DEMO, "--offline")
    out["map.json"] = s.run("map", DEMO, "--offline", "--format", "json", "--output", "-")
    s.run("map", DEMO, "--offline", "--output", "map.graphml")
    out["map.graphml"] = s.read("map.graphml")
    checkout = _demo_checkout(s.home)
    out["backtest.txt"] = s.run("backtest", DEMO, "--offline", "--checkout", str(checkout))
    out["backtest.json"] = s.run(
        "backtest", DEMO, "--offline", "--checkout", str(checkout), "--format", "json"
    )
    out["profile.txt"] = s.run("profile", "--from-git", str(checkout))
    out["profile.json"] = s.run("profile", "--from-git", str(checkout), "--format", "json")
    out["track-start.txt"] = s.run("track", f"{DEMO}#49", "start", "--note", "reading it")
    out["track-pr.txt"] = s.run(
        "track", f"{DEMO}#49", "pr", "https://github.com/prready-demo/tinyml/pull/900"
    )
    out["status-after-track.txt"] = s.run("status", DEMO)
    out["track-export.json"] = s.run("track", "--export", "-")
    out["config.txt"] = s.run("config", "show")
    out["config.json"] = s.run("config", "show", "--format", "json")
    return out


def _demo_checkout(home: Path) -> Path:
    found = sorted(p.parent for p in home.rglob(".git") if "tinyml" in str(p.parent))
    assert found, f"no demo checkout under {home}"
    return found[0]


def test_demo_outputs_are_unchanged(tmp_path: Path) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    session = Session(home, work, {"HOME": str(tmp_path / "user")})
    check(_demo_outputs(session), "demo")


@pytest.mark.slow
def test_torch_plan_outputs_are_unchanged(tmp_path: Path, github_server: Any) -> None:
    from torchfixtures import make_torch_repo, torch_source
    from torchplan_issues import REPO, serve_torch_issues

    source = torch_source()
    if source is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0)")
    repo = make_torch_repo(tmp_path / "pytorch", source)
    serve_torch_issues(github_server.dataset, datetime.fromtimestamp(EPOCH, timezone.utc))
    home, work = tmp_path / "home", tmp_path / "work"
    work.mkdir()
    session = Session(home, work, {"HOME": str(tmp_path / "user"), "GH_ENTERPRISE_TOKEN": "x"})
    common: Sequence[str] = (
        "--git-url", str(repo), "--api-url", github_server.url, "--skills", "python,nn,testing",
    )  # fmt: skip
    host = urlsplit(github_server.url).netloc  # 127.0.0.1:PORT, a new port each run
    out: dict[str, str] = {}
    for fmt in ("json", "html", "md"):
        session.run("plan", REPO, *common, "--format", fmt, "--output", f"plan.{fmt}")
        out[f"plan.{fmt}"] = session.read(f"plan.{fmt}")
    out["plan.txt"] = session.run("plan", REPO, *common)
    out["status.txt"] = session.run("status", REPO)
    out["issues.json"] = session.run("issues", REPO, "--offline", "--format", "json")
    out = {name: text.replace(host, "$API_HOST") for name, text in out.items()}
    check(out, "torch")
