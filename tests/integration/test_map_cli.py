"""`prready map`: the summary, JSON and GraphML exports, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from mapfixtures import make_map_repo
from prready.cli import cli


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_map_repo(tmp_path_factory.mktemp("mapcli"))


def test_text_summary(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["map", "me/mylib", "--checkout", str(repo)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "files: 5 cpp, 1 cuda, 10 python" in out
    assert "modules: 16  edges: 21 (1 binding, 14 import, 6 include; 2 conditional)" in out
    assert "skipped: 1 not-utf8, 1 symlink, 1 syntax-error, 1 vendored" in out
    assert "mylib " in out and "csrc " in out


def test_json_export_to_file(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.json"
    result = CliRunner().invoke(
        cli,
        ["map", "me/mylib", "--checkout", str(repo), "--format", "json", "--output", str(target)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    edges = {(e["source"], e["target"], e["kind"]) for e in data["edges"]}
    assert ("mylib.nn.functional", "csrc/module.cpp", "binding") in edges
    assert data["symbols"]["mylib.nn.Conv2d"] == "mylib.nn.layers"
    assert {"mylib", "mylib.nn", "csrc", "tests", "docs scripts"} <= {
        a["name"] for a in data["areas"]
    }
    assert any(m["name"] == "docs scripts/ünï.py" for m in data["modules"])


def test_graphml_export_opens_in_networkx(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "map.graphml"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "me/mylib",
            "--checkout",
            str(repo),
            "--area-depth",
            "2",
            "--format",
            "graphml",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(target)
    assert graph.nodes["mylib.nn.layers"]["area"] == "mylib.nn"
    assert graph.nodes["mylib.nn.layers"]["lines"] == 11  # 9 + the "# tweak" commit
    assert graph.edges["mylib.core", "mylib.nn.layers"]["conditional"] is True
    assert graph.edges["csrc/ops.cpp", "csrc/include/mylib/ops.h"]["kind"] == "include"


def test_json_to_stdout(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["map", "me/mylib", "--checkout", str(repo), "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["repo"] == "me/mylib"  # progress goes to stderr


def test_bad_repository_name_is_one_line(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["map", "../../etc", "--checkout", str(repo)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_area_depth_and_offline_without_clone(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["map", "me/mylib", "--area-depth", "0"])
    assert result.exit_code == 2
    assert "area-depth" in result.output
    result = CliRunner().invoke(cli, ["map", "me/nothing", "--offline"])
    assert result.exit_code != 0
    assert "offline" in result.output
    assert "Traceback" not in result.output


def test_unwritable_output_is_one_line(repo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "me/mylib",
            "--checkout",
            str(repo),
            "--format",
            "json",
            "-o",
            str(blocker / "m.json"),
        ],
    )
    assert result.exit_code != 0
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


def test_area_depth_comes_from_config_unless_given(repo: Path, isolated_home: Path) -> None:
    config = isolated_home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[plan]\narea_depth = 1\n", encoding="utf-8")
    args = ["map", "me/mylib", "--checkout", str(repo), "--format", "json"]
    from_config = json.loads(CliRunner().invoke(cli, args).stdout)
    assert "mylib.nn" not in {a["name"] for a in from_config["areas"]}
    given = json.loads(CliRunner().invoke(cli, [*args, "--area-depth", "2"]).stdout)
    assert "mylib.nn" in {a["name"] for a in given["areas"]}


def test_dash_and_suffix_choose_the_export(repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["map", "me/mylib", "--checkout", str(repo), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["modules"]  # '-' is standard output, JSON by default
    assert not Path("-").exists()
    target = tmp_path / "map.graphml"
    result = runner.invoke(cli, ["map", "me/mylib", "--checkout", str(repo), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(target).number_of_nodes() > 0
    result = runner.invoke(cli, ["map", "me/mylib", "--checkout", str(repo), "-o", "map.txt"])
    assert result.exit_code == 2 and "--format" in result.output


def test_a_map_in_its_own_process_leaves_the_collector_off_and_a_callers_on(
    tmp_path: Path,
) -> None:
    """`prready map` in a process of its own (`cli.main`) runs no collection after the map
    is built: the process ends a moment later. Run in a caller's process, it leaves the
    collector as it found it."""
    import gc

    from prready import process

    repo = make_map_repo(tmp_path)
    assert gc.isenabled()
    process.end_with_command()
    try:
        alone = CliRunner().invoke(cli, ["map", "me/mylib", "--checkout", str(repo)])
        assert alone.exit_code == 0, alone.output
        assert not gc.isenabled()
    finally:
        process.end_with_command(False)
        gc.enable()
    hosted = CliRunner().invoke(cli, ["map", "me/mylib", "--checkout", str(repo)])
    assert hosted.exit_code == 0, hosted.output
    assert gc.isenabled()
    summary = [line for line in alone.output.splitlines() if line.startswith("modules:")]
    assert summary and summary[0] in hosted.output  # the same map, restored
