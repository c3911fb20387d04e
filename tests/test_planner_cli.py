"""`prready issues`, `prready backtest` and `prready profile` end to end: a real git
repository built in tmp_path, issues saved in the store, no network."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from planfixtures import ADAM_TRACE

from prready.cli import cli
from prready.models import HistoryCommit, Issue, Label
from prready.paths import resolve_paths
from prready.sources.git_repo import build_repo
from prready.store import issues_store as store

SLUG = "acme/mini"
ADA = ("Ada Lovelace", "ada@example.org")
BOB = ("Bob Okafor", "bob@example.org")


def _commit(who, date, message, writes) -> HistoryCommit:  # type: ignore[no-untyped-def]
    return HistoryCommit(author_name=who[0], author_email=who[1], date=date, message=message, writes=writes)


HISTORY = [
    _commit(ADA, "2026-01-05T10:00:00Z", "Initial layout", {
        "mini/__init__.py": "from mini import nn, optim\n",
        "mini/nn/__init__.py": "from mini.nn.functional import relu, interpolate\n\n__all__ = ['relu', 'interpolate']\n",
        "mini/nn/functional.py": "def relu(x):\n    return x\n\n\ndef interpolate(x, scale):\n    return x\n",
        "mini/optim/__init__.py": "from mini.optim.adam import Adam\n",
        "mini/optim/optimizer.py": "class Optimizer:\n    pass\n",
        "mini/optim/adam.py": "import numpy as np\n\nfrom mini.optim.optimizer import Optimizer\n\n\nclass Adam(Optimizer):\n    def step(self):\n        return np.zeros(1)\n",
        "tests/test_nn.py": "import pytest\n\nimport mini.nn\n\n\ndef test_relu():\n    assert mini.nn.relu(1) == 1\n",
        "CONTRIBUTING.md": "Install with `pip install -e .` and test with `pytest tests/`.\nSign the CLA first.\n",
    }),
    _commit(BOB, "2026-03-01T10:00:00Z", "Fix relu on negative zero\n\nFixes #5", {
        "mini/nn/functional.py": "def relu(x):\n    return max(x, 0.0)\n\n\ndef interpolate(x, scale):\n    return x\n",
        "tests/test_nn.py": "import pytest\n\nimport mini.nn\n\n\ndef test_relu():\n    assert mini.nn.relu(-0.0) == 0.0\n",
    }),
    _commit(ADA, "2026-04-01T10:00:00Z", "Adam: keep max_exp_avg_sq state (closes #6)", {
        "mini/optim/adam.py": "import numpy as np\nimport scipy\n\nfrom mini.optim.optimizer import Optimizer\n\n\nclass Adam(Optimizer):\n    def step(self):\n        return np.ones(1)\n",
    }),
]


def _issue(number: int, title: str, body: str, labels: list[str], state: str = "open", reason: str | None = None) -> Issue:
    return Issue(
        repo=SLUG, number=number, title=title, body=body, state=state, labels=labels, assignees=[],
        author="reporter", comments=1, reactions=0, created_at="2026-02-01T10:00:00Z",
        updated_at=f"2026-05-{number:02d}T10:00:00Z", closed_at=None if state == "open" else "2026-05-01T00:00:00Z",
        url=f"https://github.com/{SLUG}/issues/{number}", state_reason=reason,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    build_repo(root, HISTORY)
    conn = store.open_cache(resolve_paths())
    try:
        store.save_labels(conn, SLUG, [Label("good first issue"), Label("bug"), Label("module: optim")])
        store.save_issues(conn, [
            _issue(1, "Typo in F.interpolate docstring", "The doc of `F.interpolate` is wrong.", ["good first issue"]),
            _issue(2, "Adam raises KeyError", ADAM_TRACE.replace("tinyml", "mini"), ["bug", "module: optim"]),
            _issue(5, "relu returns -0.0", "F.relu(-0.0) gives -0.0", ["bug"], state="closed"),
            _issue(6, "Adam amsgrad KeyError", ADAM_TRACE.replace("tinyml", "mini"), ["bug"], state="closed"),
            _issue(7, "Please add a GUI", "", [], state="closed", reason="not_planned"),
        ])
    finally:
        conn.close()
    return root


def test_issues_json_lists_mapped_modules(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["issues", SLUG, "--checkout", str(repo), "--offline", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = {item["number"]: item for item in json.loads(result.output)}
    assert set(data) == {1, 2}
    adam = data[2]
    assert adam["modules"][0]["name"] == "mini.optim.adam"
    assert adam["modules"][0]["path"] == "mini/optim/adam.py"
    assert 0 < adam["modules"][0]["score"] <= 1
    assert any("innermost in-repo frame" in e for e in adam["modules"][0]["evidence"])
    assert isinstance(adam["difficulty"], int) and adam["skills"][0] == "python"
    assert adam["taken"] is False and adam["taken_state"] == "fresh"
    assert data[1]["modules"][0]["name"] == "mini.nn.functional"


def test_issues_table_and_limit(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["issues", SLUG, "--checkout", str(repo), "--offline", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "1 of 2 open issues" in result.output
    assert "Adam raises KeyError" in result.output  # most recently updated first
    assert "Typo in" not in result.output


def test_issues_without_stored_issues_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["issues", "acme/empty", "--offline"])
    assert result.exit_code != 0
    assert "run `prready sync acme/empty` first" in result.output
    assert "Traceback" not in result.output


def test_backtest_offline_uses_fixing_commits(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["backtest", SLUG, "--checkout", str(repo), "--offline", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cases"] == 2 and data["sources"] == {"commits": 2, "pull requests": 0}
    rows = {row["number"]: row for row in data["rows"]}
    assert rows[5]["source"].startswith("commit ") and rows[5]["true_files"] == ["mini/nn/functional.py"]
    assert rows[6]["top1"] and rows[6]["file_hit"]
    assert data["top3"] == 2
    text = CliRunner().invoke(cli, ["backtest", SLUG, "--checkout", str(repo), "--offline"])
    assert "area in top 3: 2/2 (100%)" in text.output


def test_profile_proposes_and_saves_skills(repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["profile", "--from-git", str(repo), "--author", "ada@example.org", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    skills = {s["skill"]: s["evidence"] for s in data["skills"]}
    assert data["commits"] == 2 and not data["author_guessed"]
    assert "python" in skills and "testing" in skills and "docs" in skills
    assert any("numpy" in e for e in skills["numerics"])
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[labels]\n"easy" = "beginner"\n\n[profile]\nskills = [\n  "cuda",\n]\nname = "me"\n')
    saved = runner.invoke(cli, ["profile", "--from-git", str(repo), "--author", "ada@example.org", "--save"])
    assert saved.exit_code == 0, saved.output
    parsed = tomllib.loads(config.read_text())
    assert parsed["profile"]["skills"][0] == "python" and "cuda" not in parsed["profile"]["skills"]
    assert parsed["profile"]["name"] == "me" and parsed["labels"] == {"easy": "beginner"}
    assert (config.stat().st_mode & 0o077) == 0


def test_profile_errors_are_one_line(repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["profile", "--from-git", str(tmp_path / "nope")])
    assert missing.exit_code != 0 and "not a directory" in missing.output
    nobody = runner.invoke(cli, ["profile", "--from-git", str(repo), "--author", "zed@nowhere"])
    assert nobody.exit_code != 0 and "no commits by 'zed@nowhere'" in nobody.output
    assert "Traceback" not in missing.output + nobody.output
