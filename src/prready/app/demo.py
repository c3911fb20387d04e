"""`prready demo`: the `plan` pipeline on the bundled sample, with no network and no token.

Only the sources differ from a real run: the code comes from a git repository cloned from
the sample's shipped bundle (then cloned by the same acquisition code, as a remote would
be), and the issues are the sample's shipped REST payloads, read by the same JSON readers
the GitHub client uses and saved by the same store code. Analysis and rendering are shared.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prready import clock
from prready.analysis.labels import classify_labels
from prready.app.plan import PlanOptions, Source, run_plan
from prready.app.sync import refresh_taken
from prready.app.workspace import Workspace
from prready.demo import SAMPLE_NOW, SAMPLE_SLUG, sample_bundle, sample_payloads
from prready.formats import PlanFormat
from prready.paths import Paths, ensure_private_dir
from prready.reports import PlanResult
from prready.sources.git_repo import clone_bundle
from prready.sources.github_payloads import (
    comment_from_json,
    cross_ref_from_event,
    issue_from_json,
    label_from_json,
)
from prready.store import issues_store

# The profile of the sample's imaginary newcomer: enough Python to start, new to C++.
DEMO_SKILLS = ("python", "testing", "nn")
SAMPLE_MOMENT = clock.parse_iso(SAMPLE_NOW)


def run_demo(
    ws: Workspace,
    *,
    skills: Sequence[str] = DEMO_SKILLS,
    fmt: PlanFormat = "html",
    output: Path | None = None,
) -> PlanResult:
    """Build the sample repository and store, then run the plan pipeline on them, as of
    the sample's own "now" (the workspace's config is the sample's: the default)."""
    origin = build_sample_origin(ws.paths)
    sample = ws.at(SAMPLE_MOMENT)
    load_sample_issues(sample)
    options = PlanOptions(skills=tuple(skills), fmt=fmt, output=output)
    source = Source(github=False, git_url=str(origin))
    return run_plan(sample, SAMPLE_SLUG, options, source, sample=True)


def build_sample_origin(paths: Paths) -> Path:
    """The sample's "remote": a real repository cloned from the shipped bundle.

    Made afresh each run in a temporary folder and swapped in, so an interrupted demo never
    leaves a half-made remote; the history is fixed, so the clone made from it by the
    acquisition code only fast-forwards (usually: nothing to fetch).
    """
    demo_dir = ensure_private_dir(paths.cache / "demo")
    origin = demo_dir / "tinyml"
    staging = Path(tempfile.mkdtemp(prefix=".tinyml-", dir=demo_dir))
    try:
        clone_bundle(sample_bundle(), staging / "repo")
        if origin.exists():
            shutil.rmtree(origin)
        (staging / "repo").rename(origin)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return origin


def load_sample_issues(ws: Workspace) -> int:
    """Store the sample's labels, issues, pull requests, comments and cross-references,
    and the taken status they imply as of the sample's own "now"; returns issues stored."""
    payloads = sample_payloads()
    slug = SAMPLE_SLUG
    conn = ws.cache
    labels = [label_from_json(raw) for raw in payloads["labels"]]
    issues_store.save_labels(conn, slug, classify_labels(labels, {}))
    issues = [issue_from_json(slug, raw) for raw in payloads["issues"]]
    issues_store.save_issues(conn, issues)
    for number, raws in _by_number(payloads["comments"]).items():
        issues_store.save_comments(
            conn, slug, number, [comment_from_json(number, raw) for raw in raws]
        )
    for number, events in _by_number(payloads["timelines"]).items():
        refs = [cross_ref_from_event(number, event) for event in events]
        issues_store.save_cross_refs(conn, slug, number, [r for r in refs if r is not None])
    issues_store.record_repo(
        conn,
        slug,
        payloads["repo"]["full_name"],
        default_branch=payloads["repo"].get("default_branch", ""),
        source="sample",
        synced_at=payloads["data_fetched_at"],
    )
    open_numbers = [i.number for i in issues if i.state == "open" and not i.is_pull_request]
    refresh_taken(ws.at(SAMPLE_MOMENT), slug, open_numbers, fetch=False)
    return len(issues)


def _by_number(mapping: dict[Any, list[dict[str, Any]]]) -> dict[int, list[dict[str, Any]]]:
    return {int(k): v for k, v in sorted(mapping.items(), key=lambda kv: int(kv[0]))}
