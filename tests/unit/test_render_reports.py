"""The command renderers that print report dataclasses: exact lines for what the app
layer found, and names from a repository shown inert."""

from __future__ import annotations

from prready.map_report import AreaSummary, MapSummary
from prready.models import ProgressEvent, StepStatus
from prready.render.map import map_summary_text
from prready.render.sync import sync_summary, tracking_summary
from prready.reports import SyncReport, TrackingUpdate


def test_sync_summary_says_what_changed_and_what_it_cost_for_each_source() -> None:
    api = SyncReport(
        "o/r", issues_new=3, issues_updated=2, issues_closed=1, stored_open=40, queries=2
    )
    api.requests, api.not_modified, api.rate_remaining, api.rate_limit = 5, 4, 4990, 5000
    assert sync_summary(api) == (
        "o/r: 3 new, 2 updated, 1 closed; 40 open issues stored "
        "(2 queries, 5 requests, 4 unchanged (304); rate limit 4990/5000 left)"
    )
    api.rate_limit = None  # unknown limit: no rate clause
    assert sync_summary(api).endswith("4 unchanged (304))")
    from_file = SyncReport("o/r", source="file", issues_new=7, stored_open=7)
    assert sync_summary(from_file) == (
        "o/r: 7 new, 0 updated issues from file, 0 closed; 7 open issues stored"
    )
    offline = SyncReport("o/r", source="offline", stored_open=12)
    assert sync_summary(offline) == "o/r: offline, 12 open issues in the store (last synced never)"


def test_tracking_summary_names_flagged_steps_and_their_replacements() -> None:
    event = ProgressEvent("o/r", 5, StepStatus.MERGED, "2026-01-02T00:00:00Z")
    update = TrackingUpdate(
        "me", events=[event], flagged={9: "closed", 4: "locked"}, replacements={9: 11}, checked=3
    )
    assert tracking_summary(update) == (
        "3 tracked step(s) checked; 1 updated; #4 locked; #9 closed (try #11)"
    )


def test_map_summary_text_shows_hostile_names_inert() -> None:
    area = AreaSummary(
        name="pkg.\x1b]0;owned\x07evil\u202e",
        modules=2,
        lines=120,
        dependents=1,
        dependents_transitive=3,
        dependencies=0,
        centrality=0.25,
        churn=4,
        tests=1,
        owners=[],
    )
    summary = MapSummary(
        repo="o/r",
        head="0123456789abcdef",
        files_by_language={"python": 2},
        modules=2,
        edges=1,
        edges_by_kind={"import": 1},
        conditional_edges=0,
        areas=1,
        symbols=0,
        top_areas=[area],
        skipped={"too large": 1},
        cache={"scanned": 2, "cached": 0},
    )
    lines = map_summary_text(summary).splitlines()
    assert lines[0] == "o/r @ 0123456789a…"  # a head cut to 12 characters
    assert lines[2].startswith("modules: 2  edges: 1 (1 import; 0 conditional)")
    assert lines[3] == "scanned 2 files, 0 from cache"
    row = lines[6]
    assert row.startswith("pkg.evil ") and "\x1b" not in row and "\u202e" not in row
    assert row.split()[1:] == ["2", "120", "1", "3", "0", "0.2500", "4", "1"]
    assert lines[-1] == "skipped: 1 too large"
