"""Terminal output: concise tables, no escape sequences from GitHub, NO_COLOR and pipes."""

from __future__ import annotations

import io

import pytest

from prready.render.console import make_console, progress_reporter
from prready.render.terminal import render_plan_table
from renderfixtures import sample_plan, sample_progress


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def colour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def test_plan_table_lists_every_step_per_stage() -> None:
    buf = io.StringIO()
    render_plan_table(sample_plan(), sample_progress(), make_console(buf))
    out = buf.getvalue()
    assert "Plan for pytorch/pytorch" in out and "20 Nov 2026, 09:30 UTC" in out
    for text in (
        "Stage 1 · First contact",
        "Stage 4 · Substantial PR",
        "#101",
        "#102",
        "#201",
        "#301",
        "#401",
        "Merged",
        "PR open",
        "Started",
        "quiet claim",
        "3-4 weeks",
    ):
        assert text in out
    assert "\x1b" not in out  # not a terminal: no colour codes


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    tty = FakeTTY()
    render_plan_table(sample_plan(), sample_progress(), make_console(tty))
    assert "\x1b[" in tty.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTTY()
    render_plan_table(sample_plan(), sample_progress(), make_console(plain))
    assert "\x1b[3" not in plain.getvalue() and "#201" in plain.getvalue()


def test_markup_in_titles_stays_literal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    plan = sample_plan()
    plan.stages[0].steps[0].issue.title = "[bold red]boom[/] [link=http://evil]x[/link]"
    tty = FakeTTY()
    render_plan_table(plan, [], make_console(tty))
    assert "[bold red]boom[/]" in tty.getvalue()
    assert "http://evil" in tty.getvalue() and "\x1b]8;" not in tty.getvalue()


def test_plain_progress_lines_when_not_a_terminal() -> None:
    buf = io.StringIO()
    with progress_reporter(make_console(buf)) as report:
        for i in range(101):
            report("Cloning pytorch/pytorch", i, 100)
        report("Syncing issues\x1b]0;pwn\x07", 5, None)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "Cloning pytorch/pytorch: 0/100"
    assert lines[-2] == "Cloning pytorch/pytorch: 100/100"
    assert 3 <= len([ln for ln in lines if ln.startswith("Cloning")]) <= 6
    assert lines[-1] == "Syncing issues: 5"


def test_live_progress_on_a_terminal() -> None:
    tty = FakeTTY()
    with progress_reporter(make_console(tty)) as report:
        report("Building graph", 3, 10)
        report("Building graph", 10, 10)
        report("Reading files", 7, None)
    out = tty.getvalue()
    assert "Building graph" in out and "10/10" in out and "Reading files" in out


def test_stage_tables_line_up_and_effort_never_wraps() -> None:
    plan = sample_plan()
    plan.stages[3].steps[0].effort = "2-4 weeks + first build"
    buf = io.StringIO()
    console = make_console(buf)
    console.width = 100
    render_plan_table(plan, sample_progress(), console)
    lines = buf.getvalue().splitlines()
    headers = [ln for ln in lines if ln.lstrip().startswith("Issue ") and "Level" in ln]
    assert len(headers) == 4
    # The same columns start at the same place in every stage's table.
    assert len({ln.index("Effort") for ln in headers}) == 1
    assert len({ln.index("Level") for ln in headers}) == 1
    assert any("2-4 weeks + build" in ln for ln in lines)  # one piece, not wrapped


def test_table_effort_names_each_addition_without_cutting() -> None:
    from prready.analysis.step_setup import FIRST_BUILD, FIRST_BUILD_FAST
    from prready.render.terminal import short_effort

    assert short_effort("an evening") == "an evening"
    assert short_effort(f"an evening + {FIRST_BUILD_FAST}") == "an evening + setup"
    assert (
        short_effort(f"1-2 weeks + {FIRST_BUILD} + 4 days waiting for review")
        == "1-2 weeks + build + review"
    )
    assert short_effort("3-5 days + \x1b[2Jsomething else") == "3-5 days + more"
