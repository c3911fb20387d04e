"""`prready backtest` output: hit rates and one line per scored issue (text), or the whole
report as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from prready.render.messages import echo_notes
from prready.text import safe_line

if TYPE_CHECKING:
    from prready.reports import BacktestRun


def print_backtest(run: BacktestRun, fmt: str) -> None:
    """The run on standard output (notes on standard error), as text or JSON."""
    if fmt == "json":
        click.echo(json.dumps(backtest_json(run), indent=2, sort_keys=True))
        return
    report = run.report
    echo_notes(run.notes)
    click.echo(
        f"Backtest of {report.repo}: {report.cases} fixed issues scored, of "
        f"{sum(run.sources.values())} with a known fix "
        f"({run.sources.get('pull requests', 0)} via pull requests, "
        f"{run.sources.get('commits', 0)} via commits)"
    )
    if not report.cases:
        click.echo("Nothing to score: no closed issue with a known fix that touched mapped code.")
        return
    for label, hits in (
        ("area in top 1", report.top1),
        ("area in top 3", report.top3),
        ("file first", report.file_top1),
        ("file in top 3", report.file_hits),
    ):
        click.echo(f"  {label}: {hits}/{report.cases} ({report.rate(hits):.0%})")
    for row in report.rows:
        mark = "top1" if row.top1 else "top3" if row.top3 else "miss"
        title = safe_line(row.title, 60)
        fixed_in = safe_line(", ".join(row.true_areas), 200)
        guess = safe_line(", ".join(row.predicted_areas), 200) or "-"
        click.echo(f"  #{row.number} [{mark}] {title}  fixed in {fixed_in}; guessed {guess}")
    if report.skipped:
        click.echo(f"  skipped {len(report.skipped)}: their fix changed no mapped code")


def backtest_json(run: BacktestRun) -> dict[str, Any]:
    """The run as JSON-ready data: counts, sources, every scored row, skipped issues, notes."""
    report = run.report
    return {
        "repo": report.repo,
        "cases": report.cases,
        "top1": report.top1,
        "top3": report.top3,
        "file_hits": report.file_hits,
        "file_top1": report.file_top1,
        "sources": run.sources,
        "skipped": report.skipped,
        "rows": [vars(r) for r in report.rows],
        "notes": run.notes,
    }
