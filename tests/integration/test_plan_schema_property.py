"""Property: whatever the tracking history (steps started, PRs opened, merged, dropped,
issues tracked outside the plan, replans that replace steps), the JSON plan validates
against docs/plan.schema.json. The history runs on a real progress store."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prready.models import Plan, StepStatus
from prready.render.json_out import render_json
from prready.store.progress_store import (
    load_events,
    load_progress,
    open_progress,
    record_plan,
    set_status,
)
from renderfixtures import REPO, sample_plan

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "plan.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
START = datetime(2026, 11, 1, tzinfo=timezone.utc)
PLAN = sample_plan()
IN_PLAN = sorted(st_.issue.number for stage in PLAN.stages for st_ in stage.steps)
OUTSIDE = [900, 901, 902]  # issues tracked without any plan holding them

track_op = st.tuples(
    st.just("track"),
    st.sampled_from(IN_PLAN + OUTSIDE),
    st.sampled_from([s for s in StepStatus if s is not StepStatus.REPLACED]),
)
replan_op = st.tuples(
    st.just("replan"), st.sets(st.sampled_from(IN_PLAN)), st.just(StepStatus.PLANNED)
)
history = st.lists(st.one_of(track_op, replan_op), min_size=1, max_size=25)


def without(plan: Plan, dropped: set[int]) -> Plan:
    """The plan with some steps gone, as a later replan that replaced them would store it."""
    stages = [
        dataclasses.replace(s, steps=[x for x in s.steps if x.issue.number not in dropped])
        for s in plan.stages
    ]
    return dataclasses.replace(plan, stages=stages)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=history, plan_first=st.booleans())
def test_json_plan_validates_after_any_tracking_history(
    ops: list[tuple[str, object, StepStatus]], plan_first: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_progress(Path(tmp) / "progress.sqlite3")
        try:
            moment = START
            if plan_first:
                record_plan(conn, PLAN, moment)
            for kind, what, status in ops:
                moment += timedelta(minutes=5)
                if kind == "replan":
                    assert isinstance(what, set)
                    record_plan(conn, without(PLAN, what), moment)
                    continue
                assert isinstance(what, int)
                pr = f"https://github.com/{REPO}/pull/{5000 + what}"
                set_status(
                    conn,
                    REPO,
                    what,
                    status,
                    now=moment,
                    pr_url=pr if status in (StepStatus.PR_OPEN, StepStatus.MERGED) else None,
                )
            doc = json.loads(render_json(PLAN, load_progress(conn, REPO), load_events(conn, REPO)))
        finally:
            conn.close()
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]]
