"""`prready demo`: the `plan` pipeline on the bundled sample, with no network and no token.

Only the sources differ from a real run: the code comes from a git repository built from
the sample history (then cloned by the same acquisition code, as a remote would be), and
the issues are the sample's REST payloads, read by the same JSON readers the GitHub
client uses and saved by the same store code. Analysis and rendering are shared.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prready import clock
from prready.analysis.labels import classify_labels
from prready.app.plan import PlanOptions, PlanResult, Source, run_plan
from prready.app.sync import refresh_taken
from prready.config import UserConfig
from prready.demo.sample_history import SAMPLE_SLUG, sample_history
from prready.demo.sample_issues import SAMPLE_NOW, sample_payloads
from prready.models import Label, ProgressFn
from prready.paths import Paths, ensure_private_dir
from prready.sources.git_repo import build_repo
from prready.sources.github_payloads import comment_from_json, cross_ref_from_event, issue_from_json
from prready.store import issues_store

# The profile of the sample's imaginary newcomer: enough Python to start, new to C++.
DEMO_SKILLS = ("python", "testing", "nn")


def run_demo(
    paths: Paths,
    *,
    skills: Sequence[str] = DEMO_SKILLS,
    fmt: str = "html",
    output: Path | None = None,
    progress: ProgressFn | None = None,
) -> PlanResult:
    """Build the sample repository and store, then run the plan pipeline on them."""
    origin = build_sample_origin(paths)
    load_sample_issues(paths)
    now = clock.parse_iso(SAMPLE_NOW)
    options = PlanOptions(skills=tuple(skills), fmt=fmt, output=output)
    source = Source(offline=False, github=False, git_url=str(origin))
    return run_plan(
        SAMPLE_SLUG,
        paths,
        UserConfig(),
        options,
        source,
        progress=progress,
        now=now,
        sample=True,
    )


def build_sample_origin(paths: Paths) -> Path:
    """The sample's "remote": a real repository built from the sample history.

    Built afresh each run into a temporary folder and swapped in, so an interrupted demo
    never leaves a half-built remote; the history is deterministic, so the clone made from
    it by the acquisition code only fast-forwards (usually: nothing to fetch).
    """
    demo_dir = ensure_private_dir(paths.cache / "demo")
    origin = demo_dir / "tinyml"
    staging = Path(tempfile.mkdtemp(prefix=".tinyml-", dir=demo_dir))
    try:
        build_repo(staging / "repo", sample_history())
        if origin.exists():
            shutil.rmtree(origin)
        (staging / "repo").rename(origin)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return origin


def load_sample_issues(paths: Paths) -> int:
    """Store the sample's labels, issues, pull requests, comments and cross-references,
    and the taken status they imply as of the sample's own "now"; returns issues stored."""
    payloads = sample_payloads()
    slug = SAMPLE_SLUG
    conn = issues_store.open_cache(paths)
    try:
        labels = [_label(raw) for raw in payloads["labels"]]
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
    finally:
        conn.close()
    open_numbers = [i.number for i in issues if i.state == "open" and not i.is_pull_request]
    refresh_taken(
        slug,
        open_numbers,
        paths,
        UserConfig(),
        offline=True,
        now=clock.parse_iso(SAMPLE_NOW),
    )
    return len(issues)


def _label(raw: dict[str, Any]) -> Label:
    return Label(
        name=str(raw.get("name", "")),
        color=str(raw.get("color") or ""),
        description=str(raw.get("description") or ""),
    )


def _by_number(mapping: dict[Any, list[dict[str, Any]]]) -> dict[int, list[dict[str, Any]]]:
    return {int(k): v for k, v in sorted(mapping.items(), key=lambda kv: int(kv[0]))}
