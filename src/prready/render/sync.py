"""`prready sync` output: notes and missing issues on standard error, then one line on
what the sync changed and what it cost, and one on the tracked steps it updated."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from prready.render.messages import echo_notes
from prready.text import safe_line

if TYPE_CHECKING:
    from prready.reports import SyncReport, TrackingUpdate


def print_sync(report: SyncReport, tracking: TrackingUpdate | None) -> None:
    echo_notes(report.notes)
    echo_notes(report.missing, kind="missing")
    click.echo(safe_line(sync_summary(report), 400))
    if tracking is not None and tracking.checked:
        click.echo(safe_line(tracking_summary(tracking), 400))


def sync_summary(report: SyncReport) -> str:
    """One line: what changed and what it cost."""
    if report.source == "offline":
        return (
            f"{report.repo}: offline, {report.stored_open} open issues in the store "
            f"(last synced {report.synced_at or 'never'})"
        )
    # (Closed issues seen for the first time are `backtest`'s: said only when there are some.)
    added = (
        f", {report.issues_new_closed} closed issues added" if report.issues_new_closed else ""
    )
    if report.source == "file":
        return (
            f"{report.repo}: {report.issues_new} new, {report.issues_updated} updated issues "
            f"from file, {report.issues_closed} closed{added}; {report.stored_open} open "
            "issues stored"
        )
    rate = ""
    if report.rate_remaining is not None and report.rate_limit is not None:
        rate = f"; rate limit {report.rate_remaining}/{report.rate_limit} left"
    return (
        f"{report.repo}: {report.issues_new} new, {report.issues_updated} updated, "
        f"{report.issues_closed} closed{added}; {report.stored_open} open issues stored "
        f"({report.queries} queries, {report.requests} requests, {report.not_modified} "
        f"unchanged (304){rate})"
    )


def tracking_summary(update: TrackingUpdate) -> str:
    """One line: what changed in the user's tracked steps."""
    parts = [f"{update.checked} tracked step(s) checked", f"{len(update.events)} updated"]
    for number, reason in sorted(update.flagged.items()):
        hint = update.replacements.get(number)
        parts.append(f"#{number} {reason}" + (f" (try #{hint})" if hint else ""))
    return "; ".join(parts)
