"""Pure progress analysis: stage summaries, next actions, re-plan pins, replacements."""

from __future__ import annotations

from progress_fixtures import entry, issue, make_plan
from prready.analysis.progress import (
    PlanCandidate,
    candidates_from_plan,
    current_stage,
    next_actions,
    replan_pins,
    suggest_replacement,
    summarize_stages,
    unavailable_reason,
)
from prready.analysis.stages import LAST_STAGE
from prready.models import StepStatus as S
from prready.models import TakenStatus


def test_summary_counts_each_status_in_its_stage() -> None:
    entries = [
        entry(1, 1, S.MERGED),
        entry(2, 1, S.PLANNED),
        entry(3, 2, S.STARTED),
        entry(4, 2, S.PR_OPEN),
        entry(5, 2, S.DROPPED),
        entry(8, 2, S.REPLACED),
        entry(6, 3, S.PLANNED),
        entry(7, 0, S.STARTED),
    ]
    by_stage = {s.stage: s for s in summarize_stages(entries)}
    assert [s.stage for s in summarize_stages(entries)] == [1, 2, 3, 4, 0]
    assert (by_stage[1].done, by_stage[1].left, by_stage[1].complete) == (1, 1, True)
    assert (by_stage[2].in_progress, by_stage[2].dropped, by_stage[2].total) == (2, 1, 2)
    assert by_stage[2].replaced == 1  # a later plan's doing, not the user's drop
    assert not by_stage[2].complete and 0 < by_stage[2].fraction < 1
    assert by_stage[1].fraction == 1.0 and by_stage[4].fraction == 0.0
    assert by_stage[0].in_progress == 1
    assert current_stage(entries) == 2


def test_current_stage_after_everything_is_merged() -> None:
    entries = [entry(n, n, S.MERGED) for n in range(1, 5)]
    assert current_stage(entries) == LAST_STAGE + 1
    actions = next_actions(entries)
    assert [a.kind for a in actions] == ["plan"]


def test_next_actions_order_flag_review_continue() -> None:
    entries = [
        entry(1, 1, S.STARTED, created=1),
        entry(2, 1, S.PR_OPEN, created=2),
        entry(3, 2, S.PLANNED, flag="taken: bob opened #9", replacement=8, created=3),
        entry(4, 2, S.PLANNED, created=4),
    ]
    entries[1].pr_url = "https://github.com/acme/widgets/pull/20"
    kinds = [(a.kind, a.issue_number) for a in next_actions(entries, limit=5)]
    assert kinds == [("replace", 3), ("follow-up", 2), ("continue", 1)]
    replace = next_actions(entries)[0]
    assert replace.command == "prready track acme/widgets#8 start"
    assert "taken: bob" in replace.text


def test_next_action_starts_first_untouched_step_of_current_stage() -> None:
    entries = [
        entry(1, 1, S.MERGED, created=1),
        entry(2, 1, S.PLANNED, created=2),
        entry(5, 2, S.PLANNED, flag="closed", created=3),
        entry(6, 2, S.PLANNED, created=4),
    ]
    flagged, action = next_actions(entries)
    assert (flagged.kind, flagged.command) == ("replace", "prready plan acme/widgets")
    assert action.kind == "start" and action.issue_number == 6
    assert action.command == "prready track acme/widgets#6 start"


def test_replan_keeps_only_touched_and_replaces_unavailable_untouched() -> None:
    entries = [
        entry(1, 1, S.MERGED),
        entry(2, 2, S.STARTED, flag="taken: someone"),  # started: stays even if taken
        entry(3, 2, S.PLANNED),  # taken since last plan
        entry(4, 2, S.PLANNED),  # fine
        entry(5, 3, S.PLANNED, flag="closed"),  # flagged by the last sync
        entry(6, 3, S.DROPPED),
        entry(7, 3, S.PLANNED, flag="closed"),  # flagged, but fresh data says available
    ]
    decision = replan_pins(entries, {3: "taken: alice claimed it", 4: "", 7: ""})
    # Untouched steps (#4, #7) are planned afresh: changed options give a new plan.
    assert decision.pins == [(1, 1), (2, 2)]
    assert decision.replaced == {3: "taken: alice claimed it", 5: "closed"}
    assert decision.excluded == [3, 5, 6]
    assert decision.completed_stages == [1]
    assert decision.current_stage == 2
    assert not decision.moved_up  # stage 2 already begun
    # --fresh pins nothing, and still never suggests a dropped or unavailable issue.
    fresh = replan_pins(entries, {3: "taken: alice claimed it", 4: "", 7: ""}, fresh=True)
    assert fresh.pins == [] and fresh.excluded == [3, 5, 6]


def test_replan_does_not_exclude_steps_a_re_plan_replaced() -> None:
    """A step an earlier re-plan replaced (other --skills) may come back when the options
    come back; one replaced because it was taken may not."""
    entries = [entry(4, 2, S.REPLACED), entry(8, 3, S.REPLACED, flag="taken: bob")]
    decision = replan_pins(entries)
    assert decision.pins == [] and decision.excluded == [8] and decision.replaced == {}


def test_replan_moves_up_when_previous_stage_done() -> None:
    entries = [entry(1, 1, S.MERGED), entry(2, 1, S.PLANNED), entry(3, 2, S.PLANNED)]
    decision = replan_pins(entries)
    assert decision.current_stage == 2 and decision.moved_up
    assert replan_pins([entry(1, 1, S.STARTED)]).moved_up is False


def test_suggest_replacement_prefers_same_stage_and_most_shared_skills() -> None:
    cands = [
        PlanCandidate(10, 2, skills=("python",), rank=0),
        PlanCandidate(11, 2, skills=("python", "cuda"), rank=5),
        PlanCandidate(12, 3, skills=("python", "cuda"), rank=1),
        PlanCandidate(13, 2, skills=("docs",), rank=2),
    ]
    assert suggest_replacement(2, ["CUDA", "python"], cands).number == 11  # type: ignore[union-attr]
    assert suggest_replacement(2, ["python"], cands, exclude=[10, 11]) is None
    assert suggest_replacement(2, [], cands).number == 10  # type: ignore[union-attr]
    assert suggest_replacement(4, ["python"], cands) is None


def test_unavailable_reason() -> None:
    assert unavailable_reason(issue(1), TakenStatus("fresh")) == ""
    assert unavailable_reason(issue(1, state="closed"), None) == "closed"
    closed = issue(1, state="closed")
    closed.state_reason = "not_planned"
    assert unavailable_reason(closed, None) == "closed as not planned"
    taken = TakenStatus("taken", ["@bob opened pull request #9"])
    assert unavailable_reason(issue(1), taken) == "taken: @bob opened pull request #9"
    assert unavailable_reason(issue(1), TakenStatus("stale-claim", ["old"])) == ""


def test_candidates_from_plan_keep_order_and_stage() -> None:
    plan = make_plan({1: [(1, ["python"])], 2: [(2, ["cuda"])]}, {2: [(9, ["cuda"]), (2, [])]})
    cands = candidates_from_plan(plan)
    assert [(c.number, c.stage, c.rank) for c in cands] == [(1, 1, 0), (2, 2, 1), (9, 2, 2)]
    assert cands[1].skills == ("cuda",)
