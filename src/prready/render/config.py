"""`prready config show` output: every setting with its source (text), or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from prready.render.advice import TOKEN_ORIGINS
from prready.render.messages import echo_notes
from prready.text import inert_json, safe_line

if TYPE_CHECKING:
    from prready.reports import ConfigReport


def print_config(report: ConfigReport, fmt: str) -> None:
    """The settings on standard output (warnings about the file on standard error)."""
    if fmt == "json":
        text = json.dumps(config_json(report), indent=2, sort_keys=True, ensure_ascii=False)
        click.echo(inert_json(text))
        return
    state = "" if report.exists else " (does not exist: every value is a default)"
    click.echo(f"config file: {report.config_file}{state}")
    width = max(len(s.key) for s in report.settings)
    for s in report.settings:
        click.echo(f"  {s.key:<{width}}  {setting_text(s.value)}  ({source_text(s.source)})")
    echo_notes(report.warnings, kind="warning")


def print_config_path(path: Path) -> None:
    """The config file's path alone, for `$EDITOR "$(prready config path)"`."""
    click.echo(str(path))


def config_json(report: ConfigReport) -> dict[str, Any]:
    return {
        "config_file": report.config_file,
        "exists": report.exists,
        "settings": {
            s.key: {"value": s.value, "source": source_text(s.source)} for s in report.settings
        },
        "warnings": report.warnings,
    }


def setting_text(value: object) -> str:
    """A setting as config.toml would spell it (strings bare), safe for the terminal."""
    return safe_line(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def source_text(source: str) -> str:
    """Where a setting came from, for the user: a token's origin by its name (the CLI's
    flag, gh's command), every other source as it is."""
    return TOKEN_ORIGINS.get(source, source)
