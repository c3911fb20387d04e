"""Where the user stands in their plan, what to do next, and what a re-plan keeps.

Pure functions over `ProgressEntry` lists (one repository at a time): no store, no network,
no clock. A stage counts as complete once one of its steps is merged: each stage offers a
few alternative issues and landing one of them is the goal of the stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from prready.analysis.stages import LAST_STAGE, OUTSIDE_PLAN, STAGE_NAMES, STAGE_NUMBERS
from prready.models import Issue, Plan, ProgressEntry, StepStatus, TakenStatus

IN_PROGRESS = frozenset({StepStatus.STARTED, StepStatus.PR_OPEN})
TOUCHED = frozenset({StepStatus.STARTED, StepStatus.PR_OPEN, StepStatus.MERGED})


@dataclass(frozen=True)
class PlanCandidate:
    """An issue the plan considered for a stage: what replacements are picked from."""

    number: int
    stage: int
    title: str = ""
    skills: tuple[str, ...] = ()
    rank: int = 0  # position in the plan; lower is better


@dataclass
class StageSummary:
    stage: int
    name: str
    done: int = 0  # merged
    in_progress: int = 0  # started or pull request open
    left: int = 0  # planned, untouched
    dropped: int = 0  # dropped by the user (not counted in total)
    replaced: int = 0  # replaced by a later plan, never started (not counted either)

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.left

    @property
    def complete(self) -> bool:
        return self.done > 0

    @property
    def fraction(self) -> float:
        """Share of the stage achieved: 1.0 once complete, else in-progress steps count half."""
        if self.complete:
            return 1.0
        if not self.total:
            return 0.0
        return min(0.99, 0.5 * self.in_progress / self.total)


@dataclass
class NextAction:
    kind: Literal["replace", "follow-up", "continue", "start", "plan"]
    repo: str
    issue_number: int | None
    text: str
    command: str


@dataclass
class ReplanDecision:
    """What `prready plan` keeps when run again; pass `pins` to the planner."""

    pins: list[tuple[int, int]]  # (stage, issue number) to keep in place
    replaced: dict[int, str]  # untouched steps to replace -> why
    excluded: list[int]  # issue numbers the planner must not suggest again
    current_stage: int  # lowest stage not yet complete (LAST_STAGE + 1 when all are)
    completed_stages: list[int] = field(default_factory=list)
    moved_up: bool = False  # a stage was completed and the next one has not begun


def summarize_stages(entries: Iterable[ProgressEntry]) -> list[StageSummary]:
    """Done / in progress / left per stage (1-4 always, 0 only when used)."""
    summaries = {n: StageSummary(n, STAGE_NAMES[n]) for n in STAGE_NUMBERS}
    for entry in entries:
        stage = entry.stage if entry.stage in STAGE_NAMES else OUTSIDE_PLAN
        summary = summaries.setdefault(stage, StageSummary(stage, STAGE_NAMES[stage]))
        if entry.status == StepStatus.MERGED:
            summary.done += 1
        elif entry.status in IN_PROGRESS:
            summary.in_progress += 1
        elif entry.status == StepStatus.PLANNED:
            summary.left += 1
        elif entry.status == StepStatus.REPLACED:
            summary.replaced += 1
        else:
            summary.dropped += 1
    return [summaries[n] for n in sorted(summaries, key=lambda n: (n == 0, n))]


def current_stage(entries: Iterable[ProgressEntry]) -> int:
    """The lowest plan stage without a merged step (LAST_STAGE + 1 when all are done)."""
    for summary in summarize_stages(entries):
        if summary.stage and not summary.complete:
            return summary.stage
    return LAST_STAGE + 1


def next_actions(entries: Sequence[ProgressEntry], limit: int = 3) -> list[NextAction]:
    """The few most useful things to do now, most urgent first, with the command to run."""
    actions: list[NextAction] = []
    ordered = sorted(entries, key=_entry_order)
    for entry in ordered:
        if entry.flag and entry.status in (StepStatus.PLANNED, StepStatus.STARTED):
            ref = _ref(entry)
            if entry.replacement:
                alt = f"{entry.repo}#{entry.replacement}"
                actions.append(
                    NextAction(
                        "replace",
                        entry.repo,
                        entry.issue_number,
                        f"{ref} looks unavailable ({entry.flag}); #{entry.replacement} is a "
                        "replacement of the same stage and skills",
                        f"prready track {alt} start",
                    )
                )
            else:
                actions.append(
                    NextAction(
                        "replace",
                        entry.repo,
                        entry.issue_number,
                        f"{ref} looks unavailable ({entry.flag}); re-plan to get a replacement",
                        f"prready plan {entry.repo}",
                    )
                )
    for entry in ordered:
        ref = _ref(entry)
        if entry.status == StepStatus.PR_OPEN:
            shown = entry.pr_url or "your pull request"
            actions.append(
                NextAction(
                    "follow-up",
                    entry.repo,
                    entry.issue_number,
                    f"Answer review comments on {shown} for {ref}{_title(entry)}",
                    f"prready sync {entry.repo}",
                )
            )
    for entry in ordered:
        if entry.status == StepStatus.STARTED and not entry.flag:
            actions.append(
                NextAction(
                    "continue",
                    entry.repo,
                    entry.issue_number,
                    f"Keep going on {_ref(entry)}{_title(entry)}; open a pull request when ready",
                    f"prready track {_ref(entry)} pr URL",
                )
            )
    if not any(a.kind in ("follow-up", "continue") for a in actions):
        actions.extend(_start_actions(ordered))
    return actions[:limit]


def replan_pins(
    entries: Sequence[ProgressEntry],
    availability: Mapping[int, str] | None = None,
    *,
    fresh: bool = False,
) -> ReplanDecision:
    """Decide what a new plan keeps: only the steps the user has touched (started, pull
    request, merged) stay pinned; untouched steps are planned afresh, so changed options
    give a new plan and identical ones the same plan. Dropped issues and untouched ones
    that became unavailable are never suggested again. `fresh` (a fresh plan asked for)
    pins nothing.

    `availability` maps issue numbers to "" (available) or a reason ("closed", "taken: ...");
    numbers missing from it fall back to the flag the last sync stored on the entry.
    """
    availability = availability or {}
    pins: list[tuple[int, int]] = []
    replaced: dict[int, str] = {}
    excluded: list[int] = []
    for entry in sorted(entries, key=_entry_order):
        number = entry.issue_number
        if entry.status == StepStatus.DROPPED:
            excluded.append(number)
            continue
        if entry.status in TOUCHED:
            if entry.stage and not fresh:
                pins.append((entry.stage, number))
            continue
        reason = availability.get(number, entry.flag)
        if reason:
            # Planned or replaced, and no longer available: never suggested again.
            if entry.status == StepStatus.PLANNED:
                replaced[number] = reason
            excluded.append(number)
    summaries = summarize_stages(entries)
    completed = [s.stage for s in summaries if s.stage and s.complete]
    stage = current_stage(entries)
    begun = any(e.stage == stage and e.status in TOUCHED for e in entries)
    return ReplanDecision(
        pins=pins,
        replaced=replaced,
        excluded=sorted(set(excluded)),
        current_stage=stage,
        completed_stages=completed,
        moved_up=stage > 1 and (stage - 1) in completed and not begun,
    )


def suggest_replacement(
    stage: int,
    skills: Sequence[str],
    candidates: Iterable[PlanCandidate],
    exclude: Iterable[int] = (),
) -> PlanCandidate | None:
    """Best candidate of the same stage sharing the most skills (any, if `skills` is empty)."""
    wanted = {s.lower() for s in skills}
    skip = set(exclude)
    best: tuple[tuple[int, int, int], PlanCandidate] | None = None
    for cand in candidates:
        if cand.stage != stage or cand.number in skip:
            continue
        overlap = len(wanted & {s.lower() for s in cand.skills})
        if wanted and not overlap:
            continue
        key = (-overlap, cand.rank, cand.number)
        if best is None or key < best[0]:
            best = (key, cand)
    return best[1] if best else None


def unavailable_reason(issue: Issue | None, taken: TakenStatus | None) -> str:
    """Why an issue can no longer be worked on ("" when it still can)."""
    if issue is not None and issue.state == "closed":
        return "closed as not planned" if issue.state_reason == "not_planned" else "closed"
    if taken is not None and taken.taken:
        evidence = taken.evidence[0] if taken.evidence else "someone else is on it"
        return f"{taken.state}: {evidence}"
    return ""


def candidates_from_plan(plan: Plan) -> list[PlanCandidate]:
    """Every step and candidate of a plan as replacement candidates, in plan order."""
    seen: dict[int, PlanCandidate] = {}
    rank = 0
    for stage in plan.stages:
        pool = [(s.issue, s.fit.required) for s in stage.steps]
        pool += [(c.issue, c.skills) for c in stage.candidates]
        for issue, skills in pool:
            if issue.number not in seen:
                seen[issue.number] = PlanCandidate(
                    issue.number, stage.number, issue.title, tuple(skills), rank
                )
                rank += 1
    return list(seen.values())


def group_by_repo(entries: Iterable[ProgressEntry]) -> dict[str, list[ProgressEntry]]:
    """Entries per repository, repositories sorted case-insensitively."""
    groups: dict[str, list[ProgressEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.repo, []).append(entry)
    return {k: groups[k] for k in sorted(groups, key=str.lower)}


def _start_actions(ordered: Sequence[ProgressEntry]) -> list[NextAction]:
    stage = current_stage(ordered)
    waiting = [
        e
        for e in ordered
        if e.status == StepStatus.PLANNED and not e.flag and e.stage >= min(stage, LAST_STAGE)
    ]
    if waiting:
        entry = waiting[0]
        name = STAGE_NAMES.get(entry.stage, "")
        return [
            NextAction(
                "start",
                entry.repo,
                entry.issue_number,
                f"Start {_ref(entry)}{_title(entry)} (stage {entry.stage}: {name})",
                f"prready track {_ref(entry)} start",
            )
        ]
    if not ordered:
        return []
    repo = ordered[0].repo
    return [
        NextAction(
            "plan",
            repo,
            None,
            "No untouched step is left: run the planner again for new issues",
            f"prready plan {repo}",
        )
    ]


def _entry_order(entry: ProgressEntry) -> tuple[bool, int, str, int]:
    return (entry.stage == OUTSIDE_PLAN, entry.stage, entry.created_at, entry.issue_number)


def _ref(entry: ProgressEntry) -> str:
    return f"{entry.repo}#{entry.issue_number}"


def _title(entry: ProgressEntry) -> str:
    return f" ({entry.title!r})" if entry.title else ""
