"""Start-up stays cheap: importing the command line (and `--help`, `--version`, `status` on
an empty store) loads none of the heavy libraries; commands import what they use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mapfixtures import make_map_repo

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("github", "git", "networkx", "jinja2", "rich", "grimp", "markdown_it", "nh3")

# What was loaded is printed by an exit handler: `main` ends the process (os._exit, see
# prready.process) after running them, so nothing after it runs.
PROBE = """
import atexit, json, sys
heavy = %s

def report():
    names = set(sys.modules) | {m.split(".")[0] for m in sys.modules}
    print("\\nLOADED=" + json.dumps(sorted(names & set(heavy))))

atexit.register(report)
sys.argv = ["prready", *json.loads(sys.argv[1])]
if sys.argv[1:] == ["<import>"]:
    import prready.cli
else:
    from prready.cli import main
    main()
"""


def loaded_heavy(args: list[str], home: Path, heavy: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `heavy` (libraries, or prready modules by full name) running `args` loads;
    the command must succeed (a command that failed early loads little)."""
    return probe(args, home, heavy)[0]


def probe(args: list[str], home: Path, heavy: tuple[str, ...] = HEAVY) -> tuple[list[str], str]:
    """`loaded_heavy`, and what the command printed on standard output."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PRREADY_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE % json.dumps(heavy), json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("LOADED=")]
    assert line, done.stderr
    assert done.returncode == 0, done.stderr
    return list(json.loads(line[-1][len("LOADED=") :])), done.stdout


@pytest.mark.parametrize(
    "args",
    [["<import>"], ["--help"], ["--version"], ["status"], ["plan", "--help"], ["track", "--help"]],
)
def test_start_up_loads_no_heavy_library(args: list[str], tmp_path: Path) -> None:
    assert loaded_heavy(args, tmp_path) == []


def test_plan_help_names_the_stages_without_loading_the_models(tmp_path: Path) -> None:
    """The stages option's default and help come from analysis.stages, which the help reads
    without prready.models (its one import of it is for types)."""
    assert loaded_heavy(["plan", "--help"], tmp_path, ("prready.models",)) == []


def test_a_warm_map_loads_neither_networkx_gitpython_nor_the_plan_renderer(tmp_path: Path) -> None:
    """`prready map` restored from its snapshot, in a pipe, prints plain progress lines and
    a summary: the graph is not built (networkx), nor are cloning (GitPython), the live
    progress display (rich), the plan's renderers, issue mapping, the issue and plan types
    and the stores loaded."""
    root = make_map_repo(tmp_path)
    args = ["map", "me/mylib", "--checkout", str(root)]
    unwanted = (
        *HEAVY,
        "prready.render.terminal",
        "prready.render.view",
        "prready.analysis.mapping",
        "prready.analysis.difficulty",
        # Nor the issue and plan types, the other commands' reports and the stores' modules
        # (the code side's types, the map's summary and the stored-name look-up are apart).
        "prready.models",
        "prready.reports",
        "prready.store.issues_store",
        "prready.store.progress_store",
    )
    # A cold map assembles the graph as plain dicts: networkx is loaded only by what
    # reads the graph itself (an export, a plan), never to build or summarise a map.
    cold, printed = probe(args, tmp_path / "home", (*unwanted, "prready.analysis.pyscan"))
    assert cold == ["prready.analysis.pyscan"]  # the probe sees what a map loads
    assert "me/mylib @" in printed  # the summary was printed
    warm, printed = probe(args, tmp_path / "home", unwanted)
    assert warm == []
    assert "me/mylib @" in printed and "scanned 0 files" in printed, printed
    export = [*args, "--format", "json", "--output", str(tmp_path / "map.json")]
    assert loaded_heavy(export, tmp_path / "home", ("networkx",)) == ["networkx"]


def test_a_warm_plan_page_loads_no_networkx(tmp_path: Path) -> None:
    """The plan page's picture reads the restored map's adjacency dicts: a warm plan
    (here the demo's, as HTML) never builds the graph, so networkx is not loaded."""
    args = ["demo", "--output", str(tmp_path / "plan.html")]
    home = tmp_path / "home"
    loaded_heavy(args, home, ("networkx",))  # cold: maps the sample
    assert loaded_heavy(args, home, ("networkx", "prready.render.svg")) == ["prready.render.svg"]


def test_status_on_an_empty_store_creates_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PRREADY_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "prready", "status"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Nothing tracked" in done.stdout
    assert not (tmp_path / "home").exists()


def test_track_action_names_match_the_app() -> None:
    from prready.app.track import ACTIONS
    from prready.cli.track_cmd import ACTION_NAMES

    assert tuple(ACTIONS) == ACTION_NAMES


def test_backtest_default_limit_matches_the_app() -> None:
    from prready.app.backtest import DEFAULT_LIMIT as APP_LIMIT
    from prready.cli.backtest_cmd import DEFAULT_LIMIT

    assert DEFAULT_LIMIT == APP_LIMIT


LIST_CLI_MODULES = """
import atexit, sys
from prready.cli import main

def report():  # at exit (see PROBE)
    print("\\nCLI=" + ",".join(sorted(m for m in sys.modules if m.startswith("prready.cli."))))

atexit.register(report)
sys.argv = ["prready", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], ""),
        (["--version"], ""),
        (["status"], "prready.cli.options,prready.cli.runtime,prready.cli.status_cmd"),
    ],
)
def test_only_the_command_run_is_imported(args: list[str], expected: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PRREADY_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", LIST_CLI_MODULES, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    line = [x for x in done.stdout.splitlines() if x.startswith("CLI=")]
    assert line, done.stderr
    assert line[-1][len("CLI=") :] == expected


def test_a_warm_plan_fetches_without_gitpython(tmp_path: Path, github_server: Any) -> None:
    """A warm `plan` fetches its cached clone as a plain subprocess: GitPython is loaded
    to clone (the cold plan, with progress), never on the warm one."""
    root = make_map_repo(tmp_path)
    github_server.dataset.add_repo("me/mylib")
    github_server.dataset.add_issue("me/mylib", title="Fix the parser", body="a crash in mylib")
    args = [
        "plan", "me/mylib", "--git-url", str(root), "--api-url", github_server.url,
        "--token", "x", "--all-open", "--output", str(tmp_path / "plan.md"),
    ]  # fmt: skip
    home = tmp_path / "home"
    assert loaded_heavy(args, home, ("git",)) == ["git"]  # the cold plan clones
    assert (home / "cache" / "repos").is_dir()
    assert loaded_heavy(args, home, ("git",)) == []
    assert "Fix the parser" in (tmp_path / "plan.md").read_text()


EXIT_PROBE = """
import atexit, json, os, sys
from prready import process

class Built:
    def __del__(self):
        os.write(1, b"FREED\\n")

# What a command built, kept to the exit (as a map or a plan is): never freed.
process.end_with_command()
process.outlive(Built())
atexit.register(lambda: os.write(1, b"EXIT HANDLERS RAN\\n"))
sys.argv = ["prready", *json.loads(sys.argv[1])]
from prready.cli import main
main()
"""


@pytest.mark.parametrize("args", [["--version"], ["status"], ["plan", "nope"]])
def test_the_exit_frees_nothing_a_command_built(args: list[str], tmp_path: Path) -> None:
    """Whether the command succeeds or fails, `main` ends the process without freeing
    what it built (see prready.process): exit handlers run, and the exit status and
    output are those of the command."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "PRREADY_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", EXIT_PROBE, json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "EXIT HANDLERS RAN" in done.stdout, done.stdout + done.stderr
    assert "FREED" not in done.stdout
    assert (done.returncode == 0) == (args != ["plan", "nope"]), done.stderr
    if args == ["--version"]:
        assert done.stdout.startswith("prready")
    assert "Traceback" not in done.stderr
