"""Every command has help text with an example; the group has --version and --help."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from prready import __version__
from prready.cli import cli

COMMANDS = sorted(cli.commands)


def test_expected_commands_exist() -> None:
    for name in ("plan", "sync", "issues", "map", "track", "status", "demo"):
        assert name in cli.commands, name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`prready {name} --help` shows no example"
    assert f"prready {name}" in result.output
    assert cli.commands[name].help and len(cli.commands[name].help.strip()) > 20


def test_version_and_group_help() -> None:
    runner = CliRunner()
    assert __version__ in runner.invoke(cli, ["--version"]).output
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_unknown_option_is_one_clear_line() -> None:
    result = CliRunner().invoke(cli, ["plan", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output
    assert "Traceback" not in result.output


def test_unexpected_error_is_one_line_with_a_debug_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import prready.app.status as status_app

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("boom\nsecond line")

    monkeypatch.setattr(status_app, "status_report", broken)
    monkeypatch.setattr("prready.cli.status_cmd.status_report", broken, raising=False)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 70
    assert "unexpected TypeError: boom second line" in result.output
    assert "PRREADY_DEBUG=1" in result.output
    assert "Traceback" not in result.output
    monkeypatch.setenv("PRREADY_DEBUG", "1")
    assert isinstance(CliRunner().invoke(cli, ["status"]).exception, TypeError)


def test_help_summaries_match_each_commands_own_help() -> None:
    """`prready --help` lists commands from prready.cli.SUMMARIES without importing them."""
    from prready.cli import SUMMARIES

    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        help_text = cli.commands[name].help or ""
        assert help_text.strip().splitlines()[0] == SUMMARIES[name], name


def test_plan_stages_option_follows_the_stage_definitions() -> None:
    """`plan --stages` defaults to every stage and names each one as analysis.stages
    defines them: nothing about the stages is spelled in the command itself."""
    from prready.analysis.stages import STAGE_NUMBERS, STAGES

    option = next(p for p in cli.commands["plan"].params if p.name == "stages")
    assert option.default == f"{STAGE_NUMBERS[0]}-{STAGE_NUMBERS[-1]}"
    help_text = " ".join(CliRunner().invoke(cli, ["plan", "--help"]).output.split())
    every = ", ".join(f"{n} {STAGES[n].name}" for n in STAGE_NUMBERS)
    assert f"Stages to plan: {every}." in help_text
    assert f"[default: {option.default}]" in help_text
