"""The plan as versioned JSON for scripts and other tools (see docs/json-output.md).

Field names are stable: they follow prready.models and change only with SCHEMA_VERSION.
Output is deterministic (sorted keys, sorted progress and events). Strings keep their
exact content, but characters that could spoof a terminal or break out of an HTML page
(controls, bidi overrides, zero-width characters, < > &) are written as \\uXXXX escapes.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from prready.models import (
    Difficulty,
    Issue,
    IssueAssessment,
    ModuleMatch,
    Plan,
    PlanStep,
    ProgressEntry,
    ProgressEvent,
    StepStatus,
    TakenStatus,
)
from prready.render.sanitize import JSON_EXCERPT_CHARS
from prready.render.view import issue_url
from prready.text import inert_json

SCHEMA_VERSION = 1

# Also escaped: markup characters, so the document can be pasted into a page as is.
_MARKUP = re.compile("[<>&]")


def render_json(plan: Plan, progress: list[ProgressEntry], events: list[ProgressEvent]) -> str:
    """The plan, its tracking progress and events as a JSON document (ends with a newline)."""
    statuses = {e.issue_number: e.status.value for e in progress if e.repo == plan.repo}
    steps = [st for stage in plan.stages for st in stage.steps]
    document = {
        "schema_version": SCHEMA_VERSION,
        "repo": plan.repo,
        "generated_at": plan.generated_at,
        "data_fetched_at": plan.data_fetched_at,
        "sample": plan.sample,
        "skills": list(plan.skills),
        "options": _plain(plan.options),
        "contributing": {
            "source": plan.contributing.source,
            "build": list(plan.contributing.build),
            "lint": list(plan.contributing.lint),
            "test": list(plan.contributing.test),
            "rules": list(plan.contributing.rules),
        },
        "stages": [
            {
                "number": stage.number,
                "key": stage.key,
                "title": stage.title,
                "goal": stage.goal,
                "steps": [_step(st, statuses, plan) for st in stage.steps],
                "candidates": [
                    _candidate(c, stage.also_fits.get(c.issue.number, []), plan)
                    for c in stage.candidates
                ],
                "note": stage.note,
            }
            for stage in plan.stages
        ],
        "set_aside": [
            {"issue": _issue(item.issue, plan), "kind": item.kind, "reason": item.reason}
            for item in plan.set_aside
        ],
        "set_aside_total": max(plan.set_aside_total, len(plan.set_aside)),
        "summary": _summary(
            [statuses.get(st.issue.number, StepStatus.PLANNED.value) for st in steps]
        ),
        "progress": [
            _entry(e) for e in sorted(progress, key=lambda e: (e.repo, e.stage, e.issue_number))
        ],
        "events": [
            _event(e)
            for e in sorted(events, key=lambda e: (e.at, e.repo, e.issue_number, e.status.value))
        ],
    }
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)
    return _MARKUP.sub(lambda m: f"\\u{ord(m.group()):04x}", inert_json(text)) + "\n"


# --------------------------------------------------------------------------- pieces
def _issue(issue: Issue, plan: Plan) -> dict[str, Any]:
    """The issue as stored; its url always a page of the repository on its own host."""
    body = issue.body or ""
    return {
        "number": issue.number,
        "title": issue.title,
        "url": issue_url(plan.repo, issue.number, issue.url, plan.web_host),
        "state": issue.state,
        "state_reason": issue.state_reason,
        "labels": list(issue.labels),
        "assignees": list(issue.assignees),
        "author": issue.author,
        "comments": issue.comments,
        "reactions": issue.reactions,
        "created_at": issue.created_at,
        "updated_at": issue.updated_at,
        "closed_at": issue.closed_at,
        "is_pull_request": issue.is_pull_request,
        "body_excerpt": body[:JSON_EXCERPT_CHARS],
        "body_chars": len(body),
    }


def _modules(matches: list[ModuleMatch]) -> list[dict[str, Any]]:
    return [
        {"name": m.name, "path": m.path, "score": _unit(m.score), "evidence": list(m.evidence)}
        for m in matches
    ]


def _difficulty(d: Difficulty) -> dict[str, Any]:
    return {"score": min(5, max(1, int(d.score))), "reasons": list(d.reasons)}


def _taken(t: TakenStatus) -> dict[str, Any]:
    return {"state": t.state, "evidence": list(t.evidence)}


def _step(st: PlanStep, statuses: dict[int, str], plan: Plan) -> dict[str, Any]:
    return {
        "stage": st.stage,
        "issue": _issue(st.issue, plan),
        "modules": _modules(st.modules),
        "difficulty": _difficulty(st.difficulty),
        "fit": {
            "required": list(st.fit.required),
            "matched": list(st.fit.matched),
            "new": list(st.fit.new),
        },
        "taken": _taken(st.taken),
        "why": list(st.why),
        "start_reading": list(st.start_reading),
        "look_for": {path: list(names) for path, names in st.look_for.items()},
        "tests": list(st.tests),
        "test_command": st.test_command,
        "reviewers": list(st.reviewers),
        "setup_notes": list(st.setup_notes),
        "effort": st.effort,
        "status": statuses.get(st.issue.number, StepStatus.PLANNED.value),
    }


def _candidate(c: IssueAssessment, also: list[int], plan: Plan) -> dict[str, Any]:
    return {
        "issue": _issue(c.issue, plan),
        "modules": _modules(c.modules),
        "difficulty": _difficulty(c.difficulty),
        "skills": list(c.skills),
        "taken": _taken(c.taken),
        "also_fits": sorted(also),
    }


def _entry(e: ProgressEntry) -> dict[str, Any]:
    return {
        "repo": e.repo,
        "issue_number": e.issue_number,
        "stage": e.stage,
        "status": e.status.value,
        "created_at": e.created_at,
        "updated_at": e.updated_at,
        "pr_url": e.pr_url,
        "notes": list(e.notes),
        "title": e.title,
    }


def _event(e: ProgressEvent) -> dict[str, Any]:
    return {
        "repo": e.repo,
        "issue_number": e.issue_number,
        "status": e.status.value,
        "at": e.at,
        "detail": e.detail,
    }


def _summary(statuses: list[str]) -> dict[str, int]:
    counts = {s.value: 0 for s in StepStatus}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return {"steps": len(statuses), **{k.replace("-", "_"): v for k, v in counts.items()}}


def _unit(score: float) -> float:
    """A score clamped to [0, 1] (NaN becomes 0), as the schema promises."""
    value = float(score)
    return 0.0 if math.isnan(value) else min(1.0, max(0.0, value))


def _plain(value: Any) -> Any:
    """Options as JSON-ready values: dicts, lists, scalars; anything else as its string."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
